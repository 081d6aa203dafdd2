"""Fuzzing the Telegram transport and the core: Hypothesis drives random sequences of updates
through the real Application (python-telegram-bot polling the fake Bot API) into the core.

The updates: texts (ordinary, empty, huge, emoji, control characters), commands (known and
unknown, with arguments) in whatever state the dialog is in, red-flag phrases, forged and
malformed button data, stale buttons from earlier messages, a press on another person's
message, and messages from a group chat. A few people share one running coach for the whole
test (one app per test run); each update is handled to the end before the next is sent.

After every update:

- nothing crashed: no handler error reached the error handler, nothing was logged at ERROR;
- the bot sent nothing the Bot API would reject (``api.violations`` is empty);
- a forged or malformed button changed nothing (the presser's stored state is unchanged, no
  message was sent) and was answered with the "that one has expired" notice; a press on
  somebody else's message changed nothing for either of them and sent nothing;
- no stored check-in was lost (the number of check-ins never goes down);
- a red-flag phrase (from ``tests/triage/labelled.yaml``: the emergency, urgent and routine
  messages labelled as affirmed, about the writer) was answered with its tier's advice (the
  tier's title), whatever the dialog was doing. A few emergencies (listed by
  ``_scanner_asks_first``) the scanner answers with the yes/no confirmation question instead
  (it is unsure, or the model suspects a higher tier): for those, that question is what must
  come. Where the
  scanner finds a higher tier than the label (an urgent message that also names an
  emergency sign), the higher tier's advice must come. (``tests/triage/test_labelled.py``
  checks the scanner against the labels.)

Bounded: ``MAX_EXAMPLES`` sequences of up to 8 updates, no shrinking (the state is shared, so
a shrunk sequence would not replay the same way); well under a minute.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from content.loader import Content
from dialogs.state import State
from dialogs.triage_text import scan_text
from dialogs.turn import _base36, parse_button
from tests.e2e.conftest import Conversation, RunningCoach, onboard, running_coach, start_session
from tests.fakes.bot_api import FakeBotApi, FakeUser, assert_no_violations

TOKEN = "123456:TEST"
MAX_EXAMPLES = 40
PEOPLE = (9001, 9002, 9003)  # the first two onboarded, the first with a session behind them
GROUP_MEMBER, GROUP_CHAT = 9100, -100777
LABELLED = Path(__file__).resolve().parents[1] / "triage" / "labelled.yaml"


def _red_flags() -> list[str]:
    """Affirmed red flags of every tier about the writer themself (not the ones the labels
    say should be asked about first, nor those about someone else)."""
    cases = yaml.safe_load(LABELLED.read_text())
    return [
        case["text"]
        for case in cases
        if case["tier"] != "none"
        and case.get("flags")
        and not case.get("confirm")
        and not case.get("others")
    ]


RED_FLAGS = _red_flags()


def _scanner_asks_first(content: Content) -> set[str]:
    """Labelled-affirmed red flags the free-text scanner (lexicon and model, as the bot runs
    it) asks about instead of acting on."""
    return {t for t in RED_FLAGS if scan_text(t, content.triage, content.triage_net).asks_first}


COMMANDS = [
    "start", "stretch", "snooze", "pause", "resume", "settings", "help", "progress", "report",
    "export", "delete", "quit", "cancel", "Start", "stretch@backstretch_coach_bot", "x" * 32,
]  # fmt: skip


# --- the updates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    who: int
    text: str


@dataclass(frozen=True)
class Command:
    who: int
    name: str
    args: str


@dataclass(frozen=True)
class RedFlag:
    who: int
    text: str


@dataclass(frozen=True)
class Forged:
    who: int
    data: str


@dataclass(frozen=True)
class Stale:
    who: int
    pick: int


@dataclass(frozen=True)
class Foreign:
    who: int
    owner: int
    pick: int


@dataclass(frozen=True)
class Group:
    text: str


people = st.sampled_from(range(len(PEOPLE)))
texts = st.one_of(
    st.text(max_size=60),
    st.just(""),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), min_size=1, max_size=20),
    st.sampled_from(["👋", "💪🏽🧘‍♀️", "\u200d\u200d", "e\u0301", "🔥" * 300, "ok\x00", "3", "No"]),
    st.integers(4000, 6000).map(lambda n: ("pain " * n)[:n]),
)
malformed = st.text(min_size=1, max_size=64).filter(
    lambda d: len(d.encode()) <= 64 and parse_button(d) is None
)
wrong_token = st.tuples(st.sampled_from(["p", "s"]), st.integers(10**9, 10**10), st.sampled_from(
    ["yes", "no", "go", "stop", "ready", "p3", "remind_start", "delete_yes", "zz"]
)).map(lambda t: f"{t[0]}{t[1] if t[0] == 's' else _base36(t[1])}:{t[2]}")  # fmt: skip
updates = st.one_of(
    st.builds(Text, people, texts),
    st.builds(Command, people, st.sampled_from(COMMANDS), st.sampled_from(["", "45m", "x y"])),
    st.builds(RedFlag, people, st.sampled_from(RED_FLAGS)),
    st.builds(Forged, people, st.one_of(malformed, wrong_token)),
    st.builds(Stale, people, st.integers(0, 10**6)),
    st.builds(Foreign, people, people, st.integers(0, 10**6)).filter(lambda f: f.who != f.owner),
    st.builds(Group, texts),
)


# --- the harness ---------------------------------------------------------------------------


class ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """Sends one update at a time and waits until its handler (and any error handling) is
    over; checks the invariants after each."""

    def __init__(self, coach: RunningCoach, api: FakeBotApi, content: Content) -> None:
        self.coach = coach
        self.api = api
        self.content = content
        self.users: list[FakeUser] = [api.user(i, first_name=f"P{i}") for i in PEOPLE]
        self.group = api.group_user(GROUP_MEMBER, chat_id=GROUP_CHAT, title="Walkers")
        self.finished = 0
        self.handler_errors: list[BaseException] = []
        self.errors = ErrorLog()
        self._queries = itertools.count(1)
        self.asks_first = _scanner_asks_first(content)
        self.steps: Counter[str] = Counter()
        self._wrap_handlers()

    def _wrap_handlers(self) -> None:
        application = self.coach.application
        for handler in application.handlers[0]:
            handler.callback = self._finishing(handler.callback)
        handlers = dict(application.error_handlers)
        application.error_handlers.clear()
        for callback, block in handlers.items():
            application.error_handlers[self._recording(callback)] = block

    def _finishing(self, callback: Any) -> Any:
        async def wrapped(update: Any, context: Any) -> None:
            try:
                await callback(update, context)
            except BaseException as exc:
                self.handler_errors.append(exc)
                raise
            finally:
                self.finished += 1

        return wrapped

    def _recording(self, callback: Any) -> Any:
        async def wrapped(update: Any, context: Any) -> None:
            self.handler_errors.append(context.error)
            await callback(update, context)

        return wrapped

    # --- reading the world ---

    def _user(self, who: int) -> tuple[int, str] | None:
        """(user id, stored chat id), read without creating anything."""
        with self.coach.store.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT id, chat_id FROM users WHERE transport='telegram' AND external_id=?",
                (str(PEOPLE[who]),),
            ).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def state(self, who: int) -> str:
        """The stored dialog state (someone who never wrote has the initial one)."""
        user = self._user(who)
        raw = None if user is None else self.coach.store.load_state(user[0])[0]
        return raw if raw is not None else State().to_json()

    def chat_id_stored(self, who: int) -> str | None:
        user = self._user(who)
        return None if user is None else user[1]

    def check_ins(self) -> int:
        with self.coach.store.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM check_ins").scalar_one())

    def sent(self) -> int:
        return sum(1 for c in self.api.calls if c.method.startswith("send") and c.ok)

    def buttons(self, who: int) -> list[tuple[int, str]]:
        """Every button the bot ever showed this person, but never one that deletes data
        (a stale press on it would be a real, confirmed deletion)."""
        return [
            (m.message_id, data)
            for m in self.api.chat_messages(PEOPLE[who])
            for data in m.callback_data()
            if "delete" not in data
        ]

    # --- sending ---

    async def _wait(self, expected: int) -> None:
        await self.api.wait_for(lambda: self.finished >= expected, timeout=30)
        await asyncio.sleep(0)  # the error handler, if any, runs right after the handler

    async def _press(self, who: int, message_id: int | None, chat: int | None, data: str) -> str:
        """Press, as Telegram would shape the callback query (the fake builds only genuine
        ones), and wait until it is handled. Returns the query id."""
        query_id = f"fuzz{next(self._queries)}"
        self.api._open_queries.add(query_id)  # so the bot's answer is accepted
        query: dict[str, Any] = {
            "id": query_id,
            "from": dict(self.users[who].info),
            "chat_instance": "1",
            "data": data,
        }
        if message_id is not None and chat is not None:
            fake_chat = self.api._chat(chat)
            query["message"] = self.api._message_json(fake_chat, fake_chat.sent[message_id])
        expected = self.finished + 1
        self.api.inject_update({"callback_query": query})
        await self._wait(expected)
        return query_id

    async def apply(self, update: object) -> None:
        self.steps[type(update).__name__] += 1
        before_check_ins = self.check_ins()
        if isinstance(update, Text):
            await self._say(self.users[update.who], update.text)
        elif isinstance(update, Command):
            await self._say(self.users[update.who], f"/{update.name} {update.args}".strip())
        elif isinstance(update, RedFlag):
            await self._red_flag(update)
        elif isinstance(update, Forged):
            await self._forged(update)
        elif isinstance(update, Stale):
            shown = self.buttons(update.who)
            if shown:
                message_id, data = shown[update.pick % len(shown)]
                await self._press(update.who, message_id, PEOPLE[update.who], data)
        elif isinstance(update, Foreign):
            await self._foreign(update)
        elif isinstance(update, Group):
            before = len(self.api.chat_messages(GROUP_CHAT))
            await self._say(self.group, update.text)
            assert len(self.api.chat_messages(GROUP_CHAT)) == before, "answered a group chat"
        self._check(before_check_ins)

    async def _say(self, user: FakeUser, text: str) -> int:
        """Send a message and wait until it is handled to the end; returns its id."""
        expected = self.finished + 1
        sent_id = await user.send(text)
        await self._wait(expected)
        return sent_id

    async def _red_flag(self, update: RedFlag) -> None:
        chat = PEOPLE[update.who]
        sent_id = await self._say(self.users[update.who], update.text)
        if update.text in self.asks_first:
            wanted = self.content.safety.confirm_text.question.split("{")[0]
        else:
            tier = scan_text(update.text, self.content.triage).tier
            assert tier != "none"
            wanted = self.content.safety.tiers.get(tier).title
        answers = [m.content for m in self.api.chat_messages(chat) if m.message_id > sent_id]
        assert any(wanted in a for a in answers), (update.text, answers)

    async def _forged(self, update: Forged) -> None:
        chat = PEOPLE[update.who]
        messages = self.api.chat_messages(chat)
        message_id = messages[-1].message_id if messages else None
        before, sent = self.state(update.who), self.sent()
        query_id = await self._press(update.who, message_id, chat, update.data)
        answer = self.api.callback_answers.get(query_id, {})
        assert answer.get("text") == self.content.messages.common.expired, (update, answer)
        assert self.state(update.who) == before, f"a forged press changed the state: {update}"
        assert self.sent() == sent, f"a forged press sent a message: {update}"

    async def _foreign(self, update: Foreign) -> None:
        shown = self.buttons(update.owner)
        if not shown:
            return
        message_id, data = shown[update.pick % len(shown)]
        states = (self.state(update.who), self.state(update.owner))
        chat_id, sent = self.chat_id_stored(update.who), self.sent()
        query_id = await self._press(update.who, message_id, PEOPLE[update.owner], data)
        assert query_id in self.api.callback_answers
        assert (self.state(update.who), self.state(update.owner)) == states, update
        assert self.chat_id_stored(update.who) == chat_id, "the presser's chat was rewritten"
        assert self.sent() == sent, f"a press on somebody else's message sent a message: {update}"

    def _check(self, before_check_ins: int) -> None:
        assert not self.handler_errors, self.handler_errors
        assert not self.errors.records, [r.getMessage() for r in self.errors.records]
        assert_no_violations(self.api)
        assert self.check_ins() >= before_check_ins, "a stored check-in was lost"


async def _prepare(coach: RunningCoach, api: FakeBotApi, content: Content) -> None:
    """People in different states: one onboarded with a session and its check-in stored, one
    onboarded, one who has never written."""
    m = content.messages
    first = Conversation(api, api.user(PEOPLE[0], first_name=f"P{PEOPLE[0]}"))
    await onboard(first, content)
    await start_session(first, content)
    await coach.run_timers(first.chat_id)
    await api.wait_for_message(first.chat_id, contains=m.checkin.pain)
    await first.tap("2", expect=m.checkin.feel)
    await first.tap(m.checkin.feel_options.mild_pull, expect=m.checkin.stiffness[:20])
    await first.tap("3", expect=m.checkin.saved)
    second = Conversation(api, api.user(PEOPLE[1], first_name=f"P{PEOPLE[1]}"))
    await onboard(second, content)


async def test_random_updates_never_crash_never_break_the_api_and_never_lose_data(
    tmp_path: Path, content: Content
):
    async with (
        FakeBotApi(token=TOKEN) as api,
        running_coach(api, tmp_path / "coach.db") as coach,
    ):
        await _prepare(coach, api, content)
        harness = Harness(coach, api, content)
        assert harness.check_ins() == 2
        logging.getLogger().addHandler(harness.errors)
        loop = asyncio.get_running_loop()

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(st.lists(updates, min_size=1, max_size=8))
        def sequence(steps: list[object]) -> None:
            async def play() -> None:
                for step in steps:
                    await harness.apply(step)

            asyncio.run_coroutine_threadsafe(play(), loop).result(timeout=300)

        try:
            # Hypothesis runs in a worker thread; the updates run on this loop, with the app.
            await asyncio.to_thread(sequence)
        finally:
            logging.getLogger().removeHandler(harness.errors)
        print("\nupdates sent:", dict(harness.steps))
        print("labelled red flags the scanner asks about first:", sorted(harness.asks_first))
        assert harness.check_ins() >= 2


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-q", "-s"])
