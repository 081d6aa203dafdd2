"""The clinician desk over a real database: posting, re-posting under leases, presses, relay.

The Bot API is a small recording fake behind the real ``Outbox``; the patient's side is the
runtime's ``Recorder`` transport. The end-to-end tests drive the same desk through Telegram.
"""

from __future__ import annotations

import asyncio
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from telegram.error import BadRequest

from bot.clinic import MAX_REPOSTS, ClinicDesk, Clinician, parse_clinician_ids
from bot.clock import ManualClock
from bot.outbox import Limits, Outbox
from bot.runtime import Coach
from bot.store import Store
from bot.tables import User
from content.loader import load_all
from content.model import CoachConfig
from dialogs.actions import MAX_TEXT, DeleteData, OpenReferral
from dialogs.events import TextReceived
from dialogs.state import State
from tests.bot.helpers import Recorder

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CHAT = -100_300
DOC = 501
STRANGER = 777
CONTENTS = load_all(
    config=CoachConfig(
        known_timezones=frozenset(zoneinfo.available_timezones()),
        clinician_chat_enabled=True,
        clinic_name="Riverside Physio",
    )
)
TEXT = CONTENTS["en"].messages.clinic
DANA = Clinician(DOC, "Dana Smith")


@dataclass
class FakeBot:
    """The three Bot API calls the desk makes, recorded; ``refuse`` rejects the next sends."""

    sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    refuse: int = 0
    next_id: int = 100

    async def send_message(self, **params: Any) -> Any:
        await asyncio.sleep(0)
        if self.refuse:
            self.refuse -= 1
            raise BadRequest("Chat not found")
        self.next_id += 1
        self.sent.append((self.next_id, params))
        return SimpleNamespace(message_id=self.next_id)

    async def edit_message_text(self, **params: Any) -> Any:
        self.edits.append(params)
        return True

    async def answer_callback_query(self, **params: Any) -> Any:
        return True

    def posts(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, p) for i, p in self.sent if "Referral #" in p["text"]]


@dataclass
class Desk:
    desk: ClinicDesk
    coach: Coach
    patient_side: Recorder
    bot: FakeBot


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def make_desk(store: Store, clock: ManualClock, bot: FakeBot, worker: str = "w1") -> Desk:
    limits = Limits(global_rate=1000, private_per_second=100, group_per_minute=1000)
    outbox = Outbox(bot, limits=limits, sleep=_no_sleep)
    desk = ClinicDesk(store, CONTENTS, clock, outbox, chat_id=CHAT,
                      clinician_ids=frozenset({DOC}), repost_every=timedelta(minutes=15),
                      timezone="Europe/London", worker_id=worker)  # fmt: skip
    recorder = Recorder()
    coach = Coach(store, CONTENTS, clock, recorder, referrals=desk)
    desk.attach(coach)
    return Desk(desk, coach, recorder, bot)


def sharing_patient(store: Store, name: str = "ann") -> User:
    """A user who agreed to share warning-sign reports with the clinic."""
    user = store.get_or_create_user("console", name, name, "en", NOW)
    assert user.id is not None
    state = State()
    state = state.model_copy(
        update={"profile": state.profile.model_copy(update={"consent_clinician": True})}
    )
    assert store.commit_turn(user.id, 0, state.to_json(), [], NOW).committed
    return user


async def open_referral(
    d: Desk, store: Store, tier: str = "urgent", *, forward: bool = True, announce: bool = True
) -> tuple[User, int]:
    """Store a referral as a turn would, then (``announce``) tell the desk like the runtime."""
    user = store.get_or_create_user("console", "bob", "bob", "en", NOW)
    assert user.id is not None
    action = OpenReferral(tier=tier, flags=("fever_unwell",), source="free_text",
                          words="hot and shivery", at=NOW, forward=forward)  # fmt: skip
    _, version = store.load_state(user.id)
    result = store.commit_turn(user.id, version, State().to_json(), [action], NOW)
    [referral_id] = result.referral_ids
    if announce:
        await d.desk.referral_opened(user, referral_id, action)
        await d.desk.drain()
    return user, referral_id


async def advance_and_tick(clock: ManualClock, *desks: Desk, minutes: float = 15) -> None:
    clock.advance(minutes * 60)
    await asyncio.gather(*(d.desk.tick() for d in desks))


# --- the store -------------------------------------------------------------------------------


def test_a_status_change_is_conditional_audited_and_stops_reposting(store: Store) -> None:
    user = store.get_or_create_user("console", "ann", "ann", "en", NOW)
    action = OpenReferral(tier="emergency", flags=("bladder_bowel",), source="onboarding",
                          words="", at=NOW, forward=True)  # fmt: skip
    [rid] = store.commit_turn(user.id or 0, 0, "{}", [action], NOW).referral_ids
    assert store.forward_referral(rid, NOW) and not store.forward_referral(rid, NOW)
    later = NOW + timedelta(minutes=3)
    assert store.set_referral_status(rid, "acknowledged", actor="501", note="Dana", now=later,
                                     allowed_from=("open",))  # fmt: skip
    assert not store.set_referral_status(rid, "acknowledged", actor="502", note="Nia", now=later,
                                         allowed_from=("open",))  # fmt: skip
    events = store.referral_events(rid)
    assert [(e.status, e.actor, e.at) for e in events] == [
        ("open", "coach", NOW),
        ("acknowledged", "501", later),
    ]
    referral = store.referral_by_id(rid)
    assert referral is not None and referral.status == "acknowledged"
    assert referral.updated_at == later
    forward = store.forward_of(rid)
    assert forward is not None and forward.next_post_at is None
    assert [r.id for r in store.referrals(status=("open", "acknowledged"))] == [rid]
    assert store.referrals(status="open") == []


def test_two_workers_never_hold_the_same_post(store: Store) -> None:
    user = store.get_or_create_user("console", "ann", "ann", "en", NOW)
    action = OpenReferral(tier="urgent", flags=("night_pain",), source="weekly", words="",
                          at=NOW, forward=True)  # fmt: skip
    [rid] = store.commit_turn(user.id or 0, 0, "{}", [action], NOW).referral_ids
    store.forward_referral(rid, NOW)
    lease = timedelta(seconds=60)
    [claimed] = store.claim_forwards(NOW, "w1", 10, lease)
    assert claimed.referral_id == rid and claimed.posts == 0
    assert store.claim_forwards(NOW, "w2", 10, lease) == []
    after_lease = NOW + timedelta(seconds=61)
    assert [c.referral_id for c in store.claim_forwards(after_lease, "w2", 10, lease)] == [rid]
    assert not store.finish_forward(rid, "w1", posts=1, failures=0, next_post_at=None)
    assert store.finish_forward(rid, "w2", posts=1, failures=0, next_post_at=after_lease)


# --- posting and re-posting ------------------------------------------------------------------


async def test_a_referral_is_posted_then_reposted_until_the_cap(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    user, rid = await open_referral(d, sqlite_store)
    [(first_id, first)] = d.bot.posts()
    assert first["chat_id"] == CHAT and f"patient #{user.id}" in first["text"]
    assert "hot and shivery" in first["text"] and "reply_parameters" not in first
    assert [b.text for row in first["reply_markup"].inline_keyboard for b in row] == [
        TEXT.buttons.acknowledge, TEXT.buttons.message, TEXT.buttons.clear]  # fmt: skip

    await advance_and_tick(clock, d, minutes=14)
    assert len(d.bot.posts()) == 1
    for _ in range(MAX_REPOSTS + 3):
        await advance_and_tick(clock, d)
    posts = d.bot.posts()
    assert len(posts) == 1 + MAX_REPOSTS
    assert all(p["reply_parameters"].message_id == first_id for _, p in posts[1:])
    assert TEXT.repost.format(count=MAX_REPOSTS, max=MAX_REPOSTS) in posts[-1][1]["text"]
    forward = sqlite_store.forward_of(rid)
    assert forward is not None and forward.posts == 1 + MAX_REPOSTS
    assert forward.next_post_at is None


async def test_a_routine_referral_is_posted_once(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    await open_referral(d, sqlite_store, "routine")
    for _ in range(3):
        await advance_and_tick(clock, d)
    assert len(d.bot.posts()) == 1


async def test_reposting_survives_a_restart_and_two_workers_post_once(store: Store) -> None:
    clock = ManualClock(NOW)
    bot = FakeBot()
    before = make_desk(store, clock, bot, "old")
    await open_referral(before, store, "emergency")
    assert len(bot.posts()) == 1
    # Restarted as two workers, each with its own desk, both ticking at once.
    one, two = make_desk(store, clock, bot, "w1"), make_desk(store, clock, bot, "w2")
    await advance_and_tick(clock, one, two)
    assert len(bot.posts()) == 2
    await advance_and_tick(clock, one, two, minutes=1)
    assert len(bot.posts()) == 2


async def test_a_post_the_chat_refuses_is_tried_again_with_a_back_off(
    sqlite_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot(refuse=2))
    _, rid = await open_referral(d, sqlite_store, "emergency")
    assert d.bot.posts() == []
    await advance_and_tick(clock, d, minutes=0.4)  # the first retry waits 30 s
    assert d.bot.posts() == []
    await advance_and_tick(clock, d, minutes=0.1)
    assert d.bot.posts() == []  # the second try was refused too; the next waits 60 s
    await advance_and_tick(clock, d, minutes=1)
    assert len(d.bot.posts()) == 1
    forward = sqlite_store.forward_of(rid)
    assert forward is not None and (forward.posts, forward.failures) == (1, 0)
    assert "did not take the post" in caplog.text
    assert "hot and shivery" not in caplog.text  # never the patient's words in the logs


async def test_a_referral_stored_but_never_forwarded_is_picked_up_by_the_sweep(
    sqlite_store: Store,
) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    _, rid = await open_referral(d, sqlite_store, "emergency", announce=False)  # a crash
    await d.desk.tick()
    assert d.bot.posts() == []  # too fresh: the turn may still be forwarding it
    await advance_and_tick(clock, d, minutes=1)
    assert len(d.bot.posts()) == 1
    assert [e.note for e in sqlite_store.referral_events(rid)][-1] == "posted to the clinician chat"


async def test_without_consent_nothing_is_scheduled(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    _, rid = await open_referral(d, sqlite_store, "emergency", forward=False)
    await advance_and_tick(clock, d, minutes=60)
    assert d.bot.sent == [] and sqlite_store.forward_of(rid) is None


async def test_reposting_stops_when_the_patient_deletes_their_data(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    user, rid = await open_referral(d, sqlite_store, "emergency")
    _, version = sqlite_store.load_state(user.id or 0)
    sqlite_store.commit_turn(user.id or 0, version, "{}", [DeleteData()], NOW)
    await advance_and_tick(clock, d)
    assert len(d.bot.posts()) == 1
    referral = sqlite_store.referral_by_id(rid)
    assert referral is not None and referral.user_id is None and referral.words == ""


async def test_a_long_report_fits_one_message(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    user = sqlite_store.get_or_create_user("console", "cy", "cy", "en", NOW)
    action = OpenReferral(tier="urgent", flags=("night_pain",), source="weekly",
                          words="w" * 1000, at=NOW, forward=True,
                          details=tuple("q" * 400 for _ in range(12)))  # fmt: skip
    [rid] = sqlite_store.commit_turn(user.id or 0, 0, "{}", [action], NOW).referral_ids
    await d.desk.referral_opened(user, rid, action)
    await d.desk.drain()
    [(_, post)] = d.bot.posts()
    assert len(post["text"]) <= MAX_TEXT


# --- presses ---------------------------------------------------------------------------------


async def test_presses_are_checked_before_anything_changes(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    _, rid = await open_referral(d, sqlite_store, "emergency")
    [(post_id, _)] = d.bot.posts()
    notices = TEXT.notices
    stranger = Clinician(STRANGER, "Sam")
    assert (
        await d.desk.press(stranger, post_id, f"clinic:ack:{rid}")
    ).notice == notices.not_allowed
    for message_id, data in [
        (post_id, f"clinic:ack:{rid + 1}"),  # another referral's button on this post
        (post_id, "clinic:nuke:1"),
        (post_id, "c:cleared"),
        (post_id + 50, f"clinic:ack:{rid}"),  # a message that is not a post
        (None, f"clinic:ack:{rid}"),
    ]:
        assert (await d.desk.press(DANA, message_id, data)).notice == notices.unknown
    referral = sqlite_store.referral_by_id(rid)
    assert referral is not None and referral.status == "open"
    assert len(sqlite_store.referral_events(rid)) == 2  # opened, posted

    pressed = await d.desk.press(DANA, post_id, f"clinic:ack:{rid}")
    assert pressed.notice == notices.acknowledged and pressed.then is not None
    await pressed.then()
    [edit] = d.bot.edits
    assert edit["message_id"] == post_id and "Acknowledged by Dana Smith" in edit["text"]
    again = await d.desk.press(DANA, post_id, f"clinic:ack:{rid}")
    assert again.notice == notices.already_acknowledged and again.then is None


async def test_clearing_goes_through_the_core_and_ends_the_thread(sqlite_store: Store) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    ann = sharing_patient(sqlite_store)
    await d.coach.handle(ann, TextReceived("I've had a fever since yesterday"))
    await d.desk.drain()
    [referral] = sqlite_store.referrals(ann.id)
    assert referral.forward and referral.id is not None
    assert (await d.coach.load_state(ann.id or 0)).safety.hold_tier == "urgent"
    [(post_id, _)] = d.bot.posts()

    clock.advance(120)
    pressed = await d.desk.press(DANA, post_id, f"clinic:clear:{referral.id}")
    assert pressed.notice == TEXT.notices.cleared
    cleared = CONTENTS["en"].safety.clearance.cleared_by_clinician
    assert cleared in d.patient_side.texts(ann.id)
    assert (await d.coach.load_state(ann.id or 0)).safety.hold_tier is None
    last = sqlite_store.referral_events(referral.id)[-1]
    assert (last.status, last.actor, last.at) == ("cleared", str(DOC), clock.now())
    again = await d.desk.press(DANA, post_id, f"clinic:clear:{referral.id}")
    assert again.notice == TEXT.notices.already_cleared
    assert d.patient_side.texts(ann.id).count(cleared) == 1
    await advance_and_tick(clock, d)
    assert len(d.bot.posts()) == 1  # no re-post once cleared


# --- relay -----------------------------------------------------------------------------------


async def test_the_patients_messages_go_back_only_while_a_clinician_talks_to_them(
    sqlite_store: Store,
) -> None:
    clock = ManualClock(NOW)
    d = make_desk(sqlite_store, clock, FakeBot())
    user, rid = await open_referral(d, sqlite_store, "urgent")
    [(post_id, _)] = d.bot.posts()
    assert not await d.desk.patient_wrote(user, "is anyone there?")  # nobody wrote to them yet

    assert await d.desk.relay_to_patient(DANA, rid, "900", "Please ring the clinic today.")
    [to_patient] = d.patient_side.texts(user.id)
    assert to_patient.startswith("💬") and "Please ring the clinic today." in to_patient
    assert await d.desk.patient_wrote(user, "Will do")
    copy = d.bot.sent[-1][1]
    assert copy["reply_parameters"].message_id == 900 and "Will do" in copy["text"]
    thread = sqlite_store.clinic_messages(rid)
    assert [m.kind for m in thread] == ["post", "clinician", "note", "patient"]

    huge = "x" * 5000
    assert await d.desk.relay_to_patient(DANA, rid, "901", huge)
    assert len(d.patient_side.texts(user.id)[-1]) <= MAX_TEXT

    assert not await d.desk.relay_to_patient(DANA, rid, "902", None)  # a sticker, say
    assert TEXT.relay_not_text in d.bot.sent[-1][1]["text"]
    await d.desk.press(DANA, post_id, f"clinic:clear:{rid}")
    assert not await d.desk.patient_wrote(user, "one more thing")
    assert not await d.desk.relay_to_patient(DANA, rid, "903", "and another")
    assert TEXT.relay_closed in d.bot.sent[-1][1]["text"]
    assert len(d.patient_side.texts(user.id)) == 2


def test_clinician_ids_are_read_leniently() -> None:
    assert parse_clinician_ids("501, 502,503  x") == frozenset({501, 502, 503})
    assert parse_clinician_ids("") == frozenset()
