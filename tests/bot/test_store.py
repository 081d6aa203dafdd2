"""Storage on real SQLite and PostgreSQL: one turn is one transaction, timers are leased."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialogs.actions import CancelTimers, OpenReferral, RecordSession, SaveCheckIn, StartTimer

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _user(store, name="ann"):
    return store.get_or_create_user("console", name, name, "en", NOW)


def test_schema_is_current_after_upgrade(store):
    current, head = store.schema_status()
    assert current == head
    store.require_current_schema()


def test_users_are_unique_per_transport_id(store):
    a = _user(store)
    b = _user(store)
    assert a.id == b.id
    assert _user(store, "bob").id != a.id


def test_a_turn_commits_state_and_actions_together(store):
    user = _user(store)
    actions = [
        SaveCheckIn(session_no=1, at=NOW, phase="after", pain=3, stiffness=2, feel="mild_pull"),
        RecordSession(
            session_no=1,
            status="completed",
            started_at=NOW,
            variation="floor",
            reps=2,
            hold_seconds=20,
            ended_at=NOW + timedelta(minutes=4),
            holds_done=5,
        ),
        StartTimer("session", NOW + timedelta(seconds=10), "1.1"),
        OpenReferral(tier="urgent", flags=("night_pain",), source="screen", words="", at=NOW),
    ]
    result = store.commit_turn(user.id, 0, '{"v": 1}', actions, NOW)
    assert result.committed and len(result.referral_ids) == 1
    assert store.load_state(user.id) == ('{"v": 1}', 1)
    (check_in,) = store.check_ins(user.id)
    assert (check_in.pain, check_in.stiffness, check_in.feel) == (3, 2, "mild_pull")
    assert check_in.at == NOW and check_in.at.tzinfo is not None
    (session,) = store.sessions(user.id)
    assert session.status == "completed" and session.holds_done == 5
    (referral,) = store.referrals(user.id)
    assert referral.tier == "urgent" and referral.status == "open"


def test_a_stale_version_is_refused_and_nothing_is_written(store):
    user = _user(store)
    assert store.commit_turn(user.id, 0, '{"v": 1}', [], NOW).committed
    stale = store.commit_turn(
        user.id, 0, '{"v": 2}', [SaveCheckIn(session_no=1, at=NOW, phase="after", pain=9)], NOW
    )
    assert not stale.committed
    assert store.load_state(user.id) == ('{"v": 1}', 1)
    assert store.check_ins(user.id) == []
    assert store.commit_turn(user.id, 1, '{"v": 2}', [], NOW).committed


def test_start_timer_replaces_the_same_kind_and_cancel_removes_it(store):
    user = _user(store)
    store.commit_turn(user.id, 0, "{}", [StartTimer("session", NOW, "1.1")], NOW)
    store.commit_turn(
        user.id, 1, "{}", [StartTimer("session", NOW + timedelta(seconds=5), "1.2")], NOW
    )
    (timer,) = store.pending_timers(user.id)
    assert timer.token == "1.2"
    store.commit_turn(user.id, 2, "{}", [CancelTimers(("session",))], NOW)
    assert store.pending_timers(user.id) == []


def test_due_timers_are_claimed_once_until_the_lease_runs_out(store):
    user = _user(store)
    store.commit_turn(user.id, 0, "{}", [StartTimer("reminder:morning", NOW, "m")], NOW)
    lease = timedelta(seconds=30)
    first = store.claim_due(NOW, "w1", 10, lease)
    assert [t.kind for t in first] == ["reminder:morning"]
    assert store.claim_due(NOW, "w2", 10, lease) == []
    later = store.claim_due(NOW + timedelta(seconds=31), "w2", 10, lease)
    assert [t.id for t in later] == [first[0].id]


def test_finishing_a_timer_keeps_a_replacement(store):
    user = _user(store)
    store.commit_turn(user.id, 0, "{}", [StartTimer("session", NOW, "1.1")], NOW)
    (due,) = store.claim_due(NOW, "w1", 10, timedelta(seconds=30))
    store.commit_turn(
        user.id, 1, "{}", [StartTimer("session", NOW + timedelta(seconds=10), "1.2")], NOW
    )
    store.finish_timer(due, "w1")
    (left,) = store.pending_timers(user.id)
    assert left.token == "1.2"


def test_released_claims_are_free_at_once(store):
    user = _user(store)
    store.commit_turn(user.id, 0, "{}", [StartTimer("session", NOW, "1.1")], NOW)
    store.claim_due(NOW, "w1", 10, timedelta(minutes=5))
    assert store.release_claims("w1") == 1
    assert len(store.claim_due(NOW, "w2", 10, timedelta(minutes=5))) == 1


def test_timers_in_the_future_are_not_claimed(store):
    user = _user(store)
    store.commit_turn(user.id, 0, "{}", [StartTimer("session", NOW + timedelta(hours=1), "x")], NOW)
    assert store.claim_due(NOW, "w1", 10, timedelta(seconds=30)) == []
