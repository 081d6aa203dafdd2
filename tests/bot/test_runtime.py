"""The runtime over a real database: restarts mid-hold, and one event at a time per user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.clock import ManualClock
from dialogs.events import ButtonPressed, CommandIssued, TextReceived
from tests.bot.helpers import wire

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def _onboarded_in_a_hold(store, clock):
    coach, dispatcher, rec = wire(store, clock)
    user = store.get_or_create_user("console", "ann", "ann", "en", clock.now())
    content = coach.content_for("en")
    await coach.handle(user, CommandIssued("start"))
    presses = [content.messages.onboarding.welcome_button, content.messages.onboarding.consent_yes]
    presses += [content.safety.answers.no] * len(content.safety.screens.onboarding)
    presses += [
        "Europe/London",
        "08:00",
        "20:00",
        "Lying on the floor",
        content.messages.onboarding.start_now,
        "3",
        content.messages.session.ready,
    ]
    for label in presses:
        await coach.handle(user, ButtonPressed(rec.button(label)))
    assert "Right knee, round 1 of 2" in rec.texts()[-1]
    return user, coach, dispatcher, rec


async def test_a_restart_mid_hold_carries_on_when_quick(sqlite_store):
    clock = ManualClock(START)
    await _onboarded_in_a_hold(sqlite_store, clock)
    # the process dies; a new one starts 20 s later with the same database
    clock.advance(20)
    _, dispatcher2, rec2 = wire(sqlite_store, clock, worker="w2")
    await dispatcher2.tick()
    assert any("Slowly let go" in t for t in rec2.texts())


async def test_a_restart_long_after_a_hold_closes_the_session_with_a_message(store):
    clock = ManualClock(START)
    user, coach, _, _ = await _onboarded_in_a_hold(store, clock)
    clock.advance(30 * 60)
    _, dispatcher2, rec2 = wire(store, clock, worker="w2")
    await dispatcher2.tick()
    content = coach.content_for("en")
    assert rec2.texts() == [content.messages.session.interrupted]
    assert [s.status for s in store.sessions(user.id)] == ["interrupted"]
    assert store.pending_timers(user.id, ["session"]) == []


async def test_concurrent_events_for_one_user_are_applied_one_at_a_time(store):
    clock = ManualClock(START)
    coach, _, rec = wire(store, clock)
    user = store.get_or_create_user("console", "ann", "ann", "en", clock.now())
    await coach.handle(user, CommandIssued("start"))
    welcome = rec.button(coach.content_for("en").messages.onboarding.welcome_button)
    # a double tap and two messages arrive together
    await asyncio.gather(
        coach.handle(user, ButtonPressed(welcome), callback_id="a"),
        coach.handle(user, ButtonPressed(welcome), callback_id="b"),
        coach.handle(user, TextReceived("hello")),
    )
    expired = coach.content_for("en").messages.common.expired
    assert sorted(n for _, n in rec.answers) == ["", expired]  # acted on once, refused once
    _, version = store.load_state(user.id)
    assert version == 4  # start + three events, none lost


async def test_two_processes_on_one_database_never_lose_an_update(store):
    clock = ManualClock(START)
    coach_a, _, _ = wire(store, clock, "a")
    coach_b, _, _ = wire(store, clock, "b")
    user = store.get_or_create_user("console", "ann", "ann", "en", clock.now())
    await asyncio.gather(*(c.handle(user, TextReceived("hi")) for c in [coach_a, coach_b] * 5))
    _, version = store.load_state(user.id)
    assert version == 10


def test_coach_referrals_lists_open_referrals_without_the_users_words(sqlite_store, capsys):
    from bot.cli import main
    from dialogs.actions import OpenReferral

    user = sqlite_store.get_or_create_user("console", "ann", "ann", "en", START)
    referral = OpenReferral(
        tier="emergency",
        flags=("bladder_bowel",),
        source="free_text",
        words="private words",
        at=START,
    )
    sqlite_store.commit_turn(user.id, 0, "{}", [referral], START)
    import os

    os.environ["COACH_DATABASE_URL"] = sqlite_store.url
    try:
        assert main(["referrals"]) == 0
    finally:
        del os.environ["COACH_DATABASE_URL"]
    out = capsys.readouterr().out
    assert "emergency" in out and "bladder_bowel" in out and "open" in out
    assert "private words" not in out
