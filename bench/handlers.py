"""Handler cost: updates per second through the whole stack, and processing time per update.

N people (200; quick: 10) chat with the coach at the same time, each like a person: an update,
then wait for the coach's answer, then the next. The stack is the whole of it: the fake Bot
API, python-telegram-bot long polling, the Telegram transport, the core, SQLite (a file,
WAL). The fake and the people run in a process of their own (``--people``), as Telegram and
its users are elsewhere; the bot's process is measured. Each person onboards (/start, consent, the
safety screen, time zone, two reminder times, the version), says "Not now", asks for /help,
types a question, and opens and closes /settings.

Flood control is set far above Telegram's limits here (as in the end-to-end tests): this
measures our cost, not Telegram's 1 message a second per chat.

Updates per second: the updates the people sent (messages and button presses), divided by
the time from the first to the last answer of the slowest person.

Processing time per update is measured inside ``Coach.handle`` (the per-user path every
update takes): its wall time minus the time spent awaiting the transport (every
``TelegramDelivery`` call: the outbox's pacing, the HTTP round trip to the fake, its
answer). What remains is loading the state, the core's step, the commit (SQLite, through a
worker thread) and the bookkeeping. Under load it includes waiting for the event loop and
the database threads that the other people's updates keep busy, so it is also measured for
one person alone.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from content.loader import Content, load_all
from content.model import CoachConfig
from tests.e2e.conftest import (
    TOKEN,
    ZONES,
    Conversation,
    PollingConversation,
    RunningCoach,
    onboard,
    running_coach,
)
from tests.fakes.bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
PATIENCE = 120.0  # seconds a person waits for an answer before the bench fails

_waited: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "_waited", default=None
)


@dataclass(frozen=True)
class HandlerCost:
    users: int
    updates: int
    seconds: float
    processing: list[float]  # seconds per update, transport waits excluded

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.processing)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _instrument(coach: RunningCoach) -> list[float]:
    """Time every ``Coach.handle``, less what it spent awaiting the transport."""
    samples: list[float] = []
    runtime = coach.parts.coach
    delivery = coach.parts.delivery
    handle = runtime.handle

    async def timed_handle(*args: Any, **kwargs: Any) -> Any:
        waits: list[float] = []
        token = _waited.set(waits)
        started = time.perf_counter()
        try:
            return await handle(*args, **kwargs)
        finally:
            samples.append(time.perf_counter() - started - sum(waits))
            _waited.reset(token)

    def waited(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await call(*args, **kwargs)
            finally:
                waits = _waited.get()
                if waits is not None:
                    waits.append(time.perf_counter() - started)

        return timed

    runtime.handle = timed_handle  # type: ignore[method-assign]
    for name in ("send", "edit", "answer", "send_photo", "send_document"):
        setattr(delivery, name, waited(getattr(delivery, name)))
    return samples


class Person(PollingConversation):
    """Waits patiently, looking every 10 ms: under a load of 200 people an answer may take
    seconds."""

    patience = PATIENCE
    poll = 0.01


async def _chat(content: Content, chat: Conversation) -> None:
    """One person's conversation, each step waiting for the coach's answer."""
    m = content.messages
    await onboard(chat, content)
    await chat.tap(m.onboarding.later, expect=m.onboarding.later_ok[:20])
    await chat.say("/help")
    await chat.say("how long do I hold the stretch for?")
    await chat.say("/settings", expect=m.settings.menu[:20])
    await chat.tap(m.settings.done, expect=m.settings.closed)


async def _people(count: int, first_id: int) -> None:
    """Child: the fake Bot API and the people, in a process of their own. Prints the fake's
    URL; then, at each "go" on stdin, runs a phase and prints its result: first one person
    alone, then ``count`` people at once. Exits at EOF."""
    contents = load_all(config=CoachConfig(known_timezones=ZONES))
    content = contents["en"]
    async with FakeBotApi(token=TOKEN) as api:
        print(json.dumps({"base_url": api.base_url}), flush=True)
        for phase, size, first in (("alone", 1, first_id - 1), ("crowd", count, first_id)):
            await asyncio.to_thread(sys.stdin.readline)
            chats = [Person(api, api.user(first + n)) for n in range(size)]
            presses = len(api.callback_answers)
            started = time.perf_counter()
            await asyncio.gather(*(_chat(content, chat) for chat in chats))
            seconds = time.perf_counter() - started
            updates = len(api.callback_answers) - presses
            updates += sum(len(api.incoming_messages(c.chat_id)) for c in chats)
            problems = [str(v) for v in api.violations] + api.internal_errors
            print(json.dumps({"phase": phase, "seconds": seconds, "updates": updates,
                              "problems": problems}), flush=True)  # fmt: skip
        await asyncio.to_thread(sys.stdin.readline)


async def measure(users: int, *, first_id: int = 700_000) -> tuple[HandlerCost, HandlerCost]:
    """(one person alone, ``users`` people at once), in one running coach."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.handlers", "--people", str(users), str(first_id),
        cwd=ROOT, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    costs: list[HandlerCost] = []
    try:
        api: Any = SimpleNamespace(base_url=json.loads(await proc.stdout.readline())["base_url"])
        with tempfile.TemporaryDirectory() as folder:
            async with running_coach(api, Path(folder) / "coach.db") as coach:
                samples = _instrument(coach)
                for size in (1, users):
                    samples.clear()
                    proc.stdin.write(b"go\n")
                    await proc.stdin.drain()
                    line = await asyncio.wait_for(proc.stdout.readline(), PATIENCE * 2)
                    result = json.loads(line)
                    if result["problems"]:
                        raise AssertionError(f"Bot API violations: {result['problems'][:5]}")
                    costs.append(HandlerCost(size, int(result["updates"]),
                                             float(result["seconds"]), list(samples)))  # fmt: skip
    finally:
        if proc.returncode is None:
            proc.stdin.close()
            await asyncio.wait_for(proc.wait(), 10)
    return costs[0], costs[1]


def run(quick: bool) -> list[tuple[str, str]]:
    users = 10 if quick else 200
    alone, crowd = asyncio.run(measure(users))
    ms = 1000.0
    return [
        (
            f"{users} people at once: updates handled",
            f"{crowd.updates:,} in {crowd.seconds:.1f} s = {crowd.rate:.0f} updates/s",
        ),
        (
            f"{users} people at once: processing per update",
            f"p50 {crowd.percentile(0.5) * ms:.1f} ms, p99 {crowd.percentile(0.99) * ms:.1f} ms "
            f"(mean {statistics.mean(crowd.processing) * ms:.1f} ms)",
        ),
        (
            "1 person alone: processing per update",
            f"p50 {alone.percentile(0.5) * ms:.1f} ms, p99 {alone.percentile(0.99) * ms:.1f} ms "
            f"({alone.updates} updates, {alone.rate:.0f} updates/s)",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--people":
        asyncio.run(_people(int(sys.argv[2]), int(sys.argv[3])))
        raise SystemExit(0)
    for metric, value in run(quick="--quick" in sys.argv):
        print(f"{metric}: {value}")
