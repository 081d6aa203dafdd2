"""End-to-end fixtures: the real Application, polling the fake Bot API over loopback HTTP.

The database is a real SQLite file, time is a :class:`bot.clock.ManualClock`: a test moves it
forward and ticks the timer dispatcher, so a 20-second hold takes milliseconds. The bench
(``bench/api_calls.py``) drives the same harness.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import zoneinfo
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.outbox import Limits, RetryPolicy
from bot.store import Store
from bot.tables import User
from bot.telegram_app import ALLOWED_UPDATES, CoachApplication, TelegramCoach, build_application
from content.loader import Content, load_all
from content.model import CoachConfig
from tests.fakes.bot_api import FakeBotApi, FakeUser, SentMessage, assert_no_violations

TOKEN = "123456:TEST"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning
ZONES = frozenset(zoneinfo.available_timezones())
#: Tests answer at machine speed, far faster than a person; pacing each chat at 1 message a
#: second would only slow them down. One test runs Telegram's real limits.
FAST = Limits(global_rate=1000, private_per_second=100, group_per_minute=1000)
QUICK_RETRY = RetryPolicy(max_attempts=4, backoff_base=0.05, backoff_max=0.5)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(api: FakeBotApi, database: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": TOKEN,
        "telegram_api_base_url": api.base_url,
        "database_url": f"sqlite:///{database}",
        "timezone": "Europe/London",
        "auto_migrate": True,
    }
    return Settings(**(values | overrides))


_LOADED: dict[CoachConfig, dict[str, Content]] = {}


def _contents(config: CoachConfig) -> dict[str, Content]:
    """Content is immutable and takes a second to load and check: once per configuration."""
    if config not in _LOADED:
        _LOADED[config] = load_all(config=config)
    return _LOADED[config]


@dataclass
class RunningCoach:
    """The coach, running: the application, its parts, the fake and the hands on the clock."""

    api: FakeBotApi
    application: CoachApplication
    clock: ManualClock
    store: Store
    contents: dict[str, Content]

    @property
    def parts(self) -> TelegramCoach:
        assert self.application.coach is not None
        return self.application.coach

    @property
    def content(self) -> Content:
        return self.contents["en"]

    def user_row(self, telegram_id: int) -> User:
        user = self.store.get_or_create_user("telegram", str(telegram_id), str(telegram_id), "en",
                                             self.clock.now())  # fmt: skip
        return user

    async def tick(self) -> int:
        return await self.parts.dispatcher.tick()

    async def run_timers(self, telegram_id: int, kinds: tuple[str, ...] = ("session",),
                         limit: int = 200) -> int:  # fmt: skip
        """Jump the clock from one due timer to the next and fire it, until none is left."""
        user_id = self.user_row(telegram_id).id
        assert user_id is not None
        fired = 0
        for _ in range(limit):
            pending = await asyncio.to_thread(self.store.pending_timers, user_id, list(kinds))
            if not pending:
                return fired
            self.clock.set(max(self.clock.now(), pending[0].due_at))
            fired += await self.tick()
        raise AssertionError("timers kept coming")


@contextlib.asynccontextmanager
async def running_coach(
    api: FakeBotApi,
    database: Path,
    *,
    limits: Limits | None = FAST,
    retry: RetryPolicy | None = QUICK_RETRY,
    request_timeout: float | None = None,
    tick_seconds: float | None = None,
    webhook_port: int | None = None,
    **settings_overrides: Any,
) -> AsyncIterator[RunningCoach]:
    """Start the real Application like ``run_polling`` (or ``run_webhook``) does, and stop it."""
    settings = make_settings(api, database, **settings_overrides)
    store = Store(settings.database_url)
    await asyncio.to_thread(store.upgrade)
    contents = _contents(settings.coach_config(ZONES))
    clock = ManualClock(START)
    application = build_application(settings, store, contents, clock, worker_id="e2e",
                                    limits=limits, retry=retry, tick_seconds=tick_seconds,
                                    request_timeout=request_timeout)  # fmt: skip
    await application.initialize()
    try:
        assert application.post_init is not None
        await application.post_init(application)
        await application.start()
        updater = application.updater
        assert updater is not None
        if webhook_port is None:
            await updater.start_polling(poll_interval=0, timeout=1,
                                        allowed_updates=list(ALLOWED_UPDATES))  # fmt: skip
        else:
            from bot.telegram_app import webhook_options

            options = webhook_options(settings) | {"listen": "127.0.0.1", "port": webhook_port}
            await updater.start_webhook(**options)
        try:
            yield RunningCoach(api, application, clock, store, contents)
        finally:
            await updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        store.dispose()


class Conversation:
    """One person in a private chat with the coach, waiting for each answer like a person."""

    def __init__(self, api: FakeBotApi, user: FakeUser) -> None:
        self.api = api
        self.user = user
        self.chat_id = user.chat_id

    def messages(self) -> list[SentMessage]:
        return self.api.chat_messages(self.chat_id)

    def last(self) -> SentMessage:
        return self.messages()[-1]

    def high_water(self) -> int:
        ids = [m.message_id for m in self.messages()]
        ids += [int(m["message_id"]) for m in self.api.incoming_messages(self.chat_id)]
        return max(ids, default=0)

    async def say(self, text: str, expect: str | None = None) -> SentMessage:
        """Type ``text``; return the first answer (containing ``expect``)."""
        sent_id = await self.user.send(text)
        return await self.api.wait_for_message(self.chat_id, contains=expect, after=sent_id)

    async def tap(self, label: str, expect: str | None = None, *,
                  message_id: int | None = None) -> SentMessage | None:  # fmt: skip
        """Press the newest button labelled ``label``; wait until the press is answered (the
        whole turn is delivered by then) and return the first new message (containing
        ``expect``), if one is expected."""
        before = self.high_water()
        query_id = await self.user.press_button(label, message_id=message_id)
        await self.api.wait_for(lambda: query_id in self.api.callback_answers)
        if expect is None:
            return None
        return await self.api.wait_for_message(self.chat_id, contains=expect, after=before)

    def answer_to(self, query_id: str) -> dict[str, Any]:
        return self.api.callback_answers[query_id]


class PollingConversation(Conversation):
    """A ``Conversation`` that polls the chat instead of waking on every change the fake
    records: with hundreds of people at once, or a flaky server, those wake-ups would make the
    people, not the bot, the bottleneck. ``patience`` is how long a person waits for an
    answer; ``poll`` how often they look."""

    patience = 30.0
    poll = 0.02

    async def _until(self, found: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.patience
        while time.monotonic() < deadline:
            value = found()
            if value:
                return value
            await asyncio.sleep(self.poll)
        raise AssertionError(f"chat {self.chat_id}: no answer within {self.patience} s")

    def _answer(self, after: int, expect: str | None) -> SentMessage | None:
        for message in self.messages():
            if message.message_id > after and (expect is None or expect in message.content):
                return message
        return None

    async def say(self, text: str, expect: str | None = None) -> SentMessage:
        sent_id = await self.user.send(text)
        answer: SentMessage = await self._until(lambda: self._answer(sent_id, expect))
        return answer

    async def _tapped(self, query_id: str, before: int, expect: str | None) -> SentMessage | None:
        """Wait until the press is answered, then for the first new message with ``expect``."""
        await self._until(lambda: query_id in self.api.callback_answers)
        if expect is None:
            return None
        answer: SentMessage = await self._until(lambda: self._answer(before, expect))
        return answer

    async def tap(self, label: str, expect: str | None = None, *,
                  message_id: int | None = None) -> SentMessage | None:  # fmt: skip
        before = self.high_water()
        query_id = await self.user.press_button(label, message_id=message_id)
        return await self._tapped(query_id, before, expect)


async def onboard(chat: Conversation, content: Content) -> SentMessage:
    """/start to the plan summary with the default choices; returns the summary message."""
    ob = content.messages.onboarding
    answers = content.safety.answers
    await chat.say("/start", expect="Backstretch Coach")
    await chat.tap(ob.welcome_button, expect=ob.consent.split("?")[0])
    await chat.tap(ob.consent_yes, expect=ob.screen_intro[:30])
    for _ in range(20):  # the safety screen: "No" to every question
        if answers.no not in chat.last().button_texts():
            break
        await chat.tap(answers.no)
    await chat.tap("Europe/London", expect=ob.morning[:20])
    await chat.tap("08:00", expect=ob.evening[:20])
    await chat.tap("20:00", expect=ob.variation[:20])
    floor = content.programme.variations.floor.name
    summary = await chat.tap(floor, expect="All set")
    assert summary is not None
    return summary


async def start_session(chat: Conversation, content: Content, *, pain: str = "3") -> SentMessage:
    """From the plan summary (or idle): start a session, answer the pain question, press Ready;
    returns the first hold's countdown message."""
    s = content.messages.session
    if s.ready not in chat.last().button_texts():
        if content.messages.onboarding.start_now in chat.last().button_texts():
            await chat.tap(content.messages.onboarding.start_now, expect=s.pain_before[:20])
        else:
            await chat.say("/stretch", expect=s.pain_before[:20])
        await chat.tap(pain)
    hold = await chat.tap(s.ready, expect="s left")
    assert hold is not None
    return hold


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN, enforce_limits=False) as fake:
        yield fake
        assert_no_violations(fake)


@pytest.fixture
async def coach(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[RunningCoach]:
    async with running_coach(api, tmp_path / "coach.db") as running:
        yield running


@pytest.fixture
def conversation(api: FakeBotApi) -> Callable[..., Conversation]:
    def make(
        user_id: int = 4242, first_name: str = "Ann", language_code: str = "en"
    ) -> Conversation:
        return Conversation(api, api.user(user_id, first_name=first_name,
                                          language_code=language_code))  # fmt: skip

    return make
