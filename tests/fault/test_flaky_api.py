"""A scripted day of 50 people while the Bot API fails at random: nothing is lost, nobody is
stuck, and everyone's messages arrive in order.

The fake Bot API answers a seeded-random share of the bot's calls (sendMessage,
editMessageText, answerCallbackQuery) with one of Telegram's failures: 429 with a retry
after 1 s, 500, a timeout (the call is held past the client's timeout and then carried out,
as a slow Telegram does: the bot's retry makes it a duplicate), or a dropped connection.
No call fails more than twice in a row (the outbox gives up on network errors after
four attempts, which is tested elsewhere; here every failure must be ridden out).

The day, on a manual clock with the dispatcher ticked by hand: everyone onboards; the evening
reminder comes; every fifth person starts a session from it and checks in after, the others
skip it; the next morning's reminder comes. Then:

- every person's stored state is right: check-ins and session records for those who did a
  session and nothing for the others, a ``reminder_log`` row for each reminder occurrence,
  nobody left in a flow, no timer of a session left, the outbox empty, every button answered;
- every person's messages arrive in order: the messages in each chat, leaving out the late
  duplicates the timeouts made, are exactly those of a reference run of the same day
  without failures (everyone in a group says the same, so the reference has one of each).
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from content.loader import Content
from dialogs.actions import StartTimer
from dialogs.state import State
from tests.e2e.conftest import PollingConversation, RunningCoach, onboard, running_coach
from tests.fakes.bot_api import Call, FakeBotApi, SentMessage, _Fault, assert_no_violations

TOKEN = "123456:TEST"
PEOPLE = 50
SEED = 20260302
FAULT_RATE = 0.05  # of the calls below
FLAKY_METHODS = frozenset({"sendMessage", "editMessageText", "answerCallbackQuery"})
MAX_FAILURES_IN_A_ROW = 2
SESSION_EVERY = 5  # every fifth person does a session; the others skip the reminder
#: The first 20 onboard through the flaky Bot API; the other 30 start from the state a
#: reference onboarding left (onboarding 50 through the transport alone takes ~25 s here).
ONBOARDED = 20
REQUEST_TIMEOUT = 1.0  # the bot's HTTP timeouts
HELD_FOR = 1.6  # a "timeout" holds the call this long, then carries it out
PATIENCE = 30.0  # how long a person waits for an answer


class FlakyBotApi(FakeBotApi):
    """The fake Bot API, failing at random (seeded) once ``flaky`` is set."""

    def __init__(self, *args: Any, seed: int, rate: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rng = random.Random(seed)
        self.rate = rate
        self.flaky = False
        self.injected: Counter[str] = Counter()
        self.held: list[Call] = []
        self._params: dict[str, Any] = {}
        self._in_a_row: Counter[tuple[str, str]] = Counter()

    async def _handle(
        self, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.StreamResponse:
        self._params = params  # read by _take_fault, before the first await of _handle
        response = await super()._handle(request, method, params)
        return response

    def _take_fault(self, method: str) -> _Fault | None:
        planned = super()._take_fault(method)
        if planned is not None or not self.flaky or method not in FLAKY_METHODS:
            return planned
        target = str(self._params.get("chat_id", self._params.get("callback_query_id")))
        key = (method, target)
        if self._in_a_row[key] >= MAX_FAILURES_IN_A_ROW or self.rng.random() >= self.rate:
            self._in_a_row[key] = 0
            return None
        self._in_a_row[key] += 1
        kind = self.rng.choice(["429", "500", "timeout", "drop"])
        self.injected[kind] += 1
        if kind == "429":
            return _Fault("fail", 1, 429, "Too Many Requests: retry after 1", retry_after=1)
        if kind == "500":
            return _Fault("fail", 1, 500, "Internal Server Error")
        if kind == "drop":
            return _Fault("drop", 1)
        self.held.append(self.calls[-1])
        return _Fault("delay", 1, seconds=HELD_FOR)


class Person(PollingConversation):
    """Reads the chat like a person: waits patiently (a 429 costs a second, a timeout more),
    and answers the newest real message, not a late copy a timed-out call left behind."""

    patience = PATIENCE

    def messages(self) -> list[SentMessage]:
        late = _late_copies(self.api)
        return [m for m in super().messages() if id(m.params) not in late]

    async def tap(
        self, label: str, expect: str | None = None, *, message_id: int | None = None
    ) -> SentMessage | None:
        before = self.high_water()
        shown = [
            (m.message_id, str(b["callback_data"]))
            for m in self.messages()
            for b in m.buttons()
            if b.get("text") == label and "callback_data" in b
            and message_id in (None, m.message_id)
        ]  # fmt: skip
        if not shown:
            raise LookupError(f"chat {self.chat_id}: no button {label!r}")
        return await self._tapped(await self.user.press(*shown[-1]), before, expect)

    async def wait_for(self, text: str) -> SentMessage:
        answer: SentMessage = await self._until(lambda: self._answer(0, text))
        return answer


async def _reminder(coach: RunningCoach, people: list[Person], slot: str) -> datetime:
    """Bring the clock to everyone's ``slot`` reminder and tick; returns the due time."""
    first = coach.user_row(people[0].chat_id).id
    assert first is not None
    (timer,) = coach.store.pending_timers(first, [f"reminder:{slot}"])
    coach.clock.set(timer.due_at)
    await coach.tick()
    text = getattr(coach.content.messages.reminders, slot)[:40]
    await asyncio.gather(*(p.wait_for(text) for p in people))
    return timer.due_at


async def _run_sessions(coach: RunningCoach, people: list[Person]) -> None:
    """Every running hold, step by step: the clock jumps to the next due timer."""
    ids = [coach.user_row(p.chat_id).id for p in people]
    for _ in range(200):
        pending = [
            t
            for uid in ids
            if uid is not None
            for t in coach.store.pending_timers(uid, ["session"])
        ]
        if not pending:
            return
        coach.clock.set(max(coach.clock.now(), min(t.due_at for t in pending)))
        await coach.tick()
    raise AssertionError("session timers kept coming")


async def _session_and_check_in(person: Person, content: Content) -> None:
    m = content.messages
    await person.tap(m.reminders.start, expect=m.session.pain_before[:20])
    await person.tap("3", expect=m.session.ready)
    await person.tap(m.session.ready, expect="s left")


async def _check_in(person: Person, content: Content) -> None:
    m = content.messages
    await person.wait_for(m.checkin.pain)
    await person.tap("2", expect=m.checkin.feel)
    await person.tap(m.checkin.feel_options.mild_pull, expect=m.checkin.stiffness[:20])
    await person.tap("3", expect=m.checkin.saved)


Snapshot = tuple[str, list[tuple[str, datetime, str]]]


@dataclass
class Day:
    active: list[Person]
    skipping: list[Person]
    due: dict[str, datetime]
    #: How many messages each chat held once onboarding was over.
    after_onboarding: dict[int, int]
    #: A freshly onboarded person's state and timers (to seed others with).
    onboarded: Snapshot


def _seed_onboarded(coach: RunningCoach, chat_id: int, snapshot: Snapshot) -> None:
    state, timers = snapshot
    user_id = coach.user_row(chat_id).id
    assert user_id is not None
    starts = tuple(StartTimer(kind, due_at, token) for kind, due_at, token in timers)
    assert coach.store.commit_turn(user_id, 0, state, starts, coach.clock.now()).committed


async def scripted_day(
    coach: RunningCoach, api: FakeBotApi, chat_ids: list[int], *, seed_from: Day | None = None
) -> Day:
    """The day. With ``seed_from``, only the first ``ONBOARDED`` people onboard through
    Telegram; the others start from the onboarded state and timers ``seed_from`` recorded."""
    content = coach.content
    m = content.messages
    people = [Person(api, api.user(c)) for c in chat_ids]
    active = people[::SESSION_EVERY]
    skipping = [p for p in people if p not in active]
    onboarding = people if seed_from is None else people[:ONBOARDED]

    async def first_steps(person: Person) -> None:
        await onboard(person, content)
        await person.tap(m.onboarding.later, expect=m.onboarding.later_ok[:20])

    await asyncio.gather(*(first_steps(p) for p in onboarding))
    for person in people:
        if person not in onboarding:
            assert seed_from is not None
            _seed_onboarded(coach, person.chat_id, seed_from.onboarded)
    after_onboarding = {p.chat_id: len(p.messages()) for p in people}
    first = coach.user_row(people[0].chat_id).id
    assert first is not None
    state, _ = coach.store.load_state(first)
    assert state is not None
    timers = [(t.kind, t.due_at, t.token) for t in coach.store.pending_timers(first)]

    due = {"evening": await _reminder(coach, people, "evening")}
    await asyncio.gather(
        *(_session_and_check_in(p, content) for p in active),
        *(p.tap(m.reminders.skip, expect=m.reminders.skipped[:8]) for p in skipping),
    )
    await _run_sessions(coach, active)
    await asyncio.gather(*(_check_in(p, content) for p in active))
    due["morning"] = await _reminder(coach, people, "morning")
    return Day(active, skipping, due, after_onboarding, (state, timers))


def _as_sent(message: SentMessage) -> str:
    """The message as it was sent (edits come later)."""
    return str(message.history[0][0]) if message.history else message.content


def _late_copies(api: FakeBotApi) -> set[int]:
    """The params (by identity) of calls held past the client's timeout: the bot sent those
    again, and the held call, carried out late, left a copy."""
    return {id(call.params) for call in getattr(api, "held", [])}


def _delivered(api: FakeBotApi, chat_id: int) -> list[str]:
    """The chat's messages in arrival order, without the late copies."""
    late = _late_copies(api)
    return [
        _as_sent(m)
        for m in api.chat_messages(chat_id, include_deleted=True)
        if id(m.params) not in late
    ]


async def test_a_day_of_50_people_survives_a_flaky_bot_api(tmp_path: Path):
    # the reference: the same day without failures, one person of each group
    async with (
        FakeBotApi(token=TOKEN) as reference_api,
        running_coach(reference_api, tmp_path / "reference.db") as reference,
    ):
        ref = await scripted_day(reference, reference_api, [1, 2])
        assert_no_violations(reference_api)
    expected = {}
    for group, (person,) in (("active", ref.active), ("skipping", ref.skipping)):
        messages = _delivered(reference_api, person.chat_id)
        expected[group] = messages
        expected[f"{group}, seeded"] = messages[ref.after_onboarding[person.chat_id] :]

    chat_ids = [1000 + n for n in range(PEOPLE)]
    async with (
        FlakyBotApi(token=TOKEN, seed=SEED, rate=FAULT_RATE) as api,
        running_coach(api, tmp_path / "coach.db", request_timeout=REQUEST_TIMEOUT) as coach,
    ):
        api.flaky = True
        day = await scripted_day(coach, api, chat_ids, seed_from=ref)
        api.flaky = False
        await asyncio.sleep(HELD_FOR)  # let the last held calls land
        stats = coach.parts.outbox.stats
        store = coach.store

        # the failures really happened, and were ridden out
        assert set(api.injected) == {"429", "500", "timeout", "drop"}, api.injected
        assert stats.gave_up == 0 and stats.rejected <= len(api.held), stats
        assert_no_violations(api)
        assert not api.unanswered_callback_queries()

        for group, members in (("active", day.active), ("skipping", day.skipping)):
            for person in members:
                seeded = chat_ids.index(person.chat_id) >= ONBOARDED
                wanted = expected[f"{group}, seeded" if seeded else group]
                # in order, nothing missing, nothing extra beyond the timeouts' late copies
                assert _delivered(api, person.chat_id) == wanted, person.chat_id
                user_id = coach.user_row(person.chat_id).id
                assert user_id is not None
                raw, _ = store.load_state(user_id)
                assert raw is not None and State.from_json(raw).flow.kind == "idle"
                assert not store.pending_timers(user_id, ["session"])
                logged = {(r.slot, r.due_at, r.outcome) for r in store.reminder_log(user_id)}
                assert ("evening", day.due["evening"], "sent") in logged
                assert ("morning", day.due["morning"], "sent") in logged
                check_ins = [
                    (c.phase, c.pain, c.stiffness, c.feel) for c in store.check_ins(user_id)
                ]
                sessions = [(r.session_no, r.status) for r in store.sessions(user_id)]
                if group == "active":
                    assert check_ins == [("before", 3, None, None), ("after", 2, 3, "mild_pull")]
                    assert sessions == [(1, "completed")]
                else:
                    assert check_ins == [] and sessions == []
        with store.engine.connect() as conn:
            left = conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one()
        assert left == 0
