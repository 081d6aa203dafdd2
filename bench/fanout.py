"""Reminder fan-out against the fake Bot API with Telegram's flood limits enforced.

N users (10,000; quick: 600) have their morning reminder due at the same minute. The real
stack delivers them: the JobQueue ticks the durable-timer ``Dispatcher`` every second, it
feeds ``TimerFired`` through ``Coach.handle`` (core, one commit per user with its outbox
row), ``TelegramDelivery`` and the ``Outbox`` (flood control), python-telegram-bot, HTTP and
the fake server, which answers 429 to any send over 30/s overall or 1/s per chat.

The fake runs in its own process, as Telegram is another machine: in the bot's process it
would share the event loop, and every stall of the loop would bunch its arrival timestamps.
(``--fake-in-process`` runs it in-process, for comparison.)

Reported: the achieved send rate (first to last reminder, at the fake) as a share of the
30/s limit (target >= 0.95), the 429s the fake answered (target 0), and how late the last
reminder arrived against the physical minimum N / 30 s, counted from the moment the bot was
up with every reminder due (so it includes the up-to-1-s wait for the first tick).

The clock the core sees is a ``ManualClock`` standing at the due minute, so nothing can be
recorded as "missed"; the outbox paces on real monotonic time, so the rate is real.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import time as clock_time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from bot.store import Store
from bot.tables import DialogState, Timer, User
from dialogs.reminders import _token
from dialogs.schedule import next_occurrence
from dialogs.state import Profile, State
from tests.e2e.conftest import START, TOKEN, running_coach
from tests.fakes.bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 30.0  # Telegram's global limit, messages per second
ZONE = "Europe/London"
DUE = next_occurrence(clock_time(8, 0), ZONE, START)  # the next 08:00 London after START
FIRST_ID = 500_000  # Telegram user ids of the seeded users (chat id == user id)
MARK = "morning knee-to-chest"


def seed(store: Store, count: int, first_id: int = FIRST_ID) -> list[int]:
    """``count`` onboarded Telegram users whose morning reminder is due at ``DUE`` (bulk
    inserts, as ``tests/bot/test_reminder_delivery.py`` seeds them). Returns their chat ids."""
    state = State(
        profile=Profile(
            onboarded=True, consent_store=True, timezone=ZONE, morning="08:00", evening=None
        )
    ).to_json()
    token = _token("morning", DUE, "08:00", ZONE)
    chats = [first_id + n for n in range(count)]
    names = [str(c) for c in chats]
    with Session(store.engine) as s, s.begin():
        for start in range(0, count, 5000):
            part = names[start : start + 5000]
            s.execute(
                sa.insert(User),
                [
                    dict(
                        transport="telegram",
                        external_id=n,
                        chat_id=n,
                        locale="en",
                        active=True,
                        created_at=START,
                    )
                    for n in part
                ],
            )
        ids = list(s.scalars(sa.select(User.id).where(User.transport == "telegram")))
        s.execute(
            sa.insert(DialogState),
            [dict(user_id=i, version=1, data=state, updated_at=START) for i in ids],
        )
        s.execute(
            sa.insert(Timer),
            [dict(user_id=i, kind="reminder:morning", token=token, due_at=DUE) for i in ids],
        )
    return chats


# --- the fake, in a process of its own -----------------------------------------------------------


def _report(api: FakeBotApi) -> dict[str, Any]:
    sends = [c for c in api.calls if c.method == "sendMessage"]
    reminders = [c for c in sends if c.ok and MARK in str(c.params.get("text"))]
    return {
        "times": [c.time for c in reminders],
        "chats": [int(c.params["chat_id"]) for c in reminders],
        "limit_hits": api.limit_hits,
        "violations": [str(v) for v in api.violations] + api.internal_errors,
    }


async def _serve() -> None:
    """Child: run the fake; answer "count" and "report" lines on stdin with JSON lines."""
    async with FakeBotApi(token=TOKEN, enforce_limits=True) as api:
        print(json.dumps({"base_url": api.base_url}), flush=True)
        while True:
            line = (await asyncio.to_thread(sys.stdin.readline)).strip()
            if line == "count":
                ok = sum(
                    1
                    for c in api.calls
                    if c.method == "sendMessage" and c.ok and MARK in str(c.params.get("text"))
                )
                print(json.dumps({"count": ok}), flush=True)
            else:
                print(json.dumps(_report(api)), flush=True)
                return


class _RemoteFake:
    """The bench's handle on the fake in its child process."""

    def __init__(self, proc: asyncio.subprocess.Process, base_url: str) -> None:
        self.proc = proc
        self.base_url = base_url

    async def ask(self, line: str) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line.encode() + b"\n")
        await self.proc.stdin.drain()
        answer: dict[str, Any] = json.loads(await self.proc.stdout.readline())
        return answer


class _LocalFake:
    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.base_url = api.base_url

    async def ask(self, line: str) -> dict[str, Any]:
        report = _report(self.api)
        return {"count": len(report["times"])} if line == "count" else report


@contextlib.asynccontextmanager
async def fake_server(in_process: bool = False) -> AsyncIterator[_RemoteFake | _LocalFake]:
    if in_process:
        async with FakeBotApi(token=TOKEN, enforce_limits=True) as api:
            yield _LocalFake(api)
        return
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fanout",
        "--serve-fake",
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        limit=2**26,
    )
    try:
        assert proc.stdout is not None
        first = json.loads(await asyncio.wait_for(proc.stdout.readline(), 60))
        yield _RemoteFake(proc, first["base_url"])
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()


# --- the measurement ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FanOut:
    users: int
    delivered: int
    duplicates: int
    rate: float  # reminders per second at the fake, first to last
    limit_hits: int  # 429s the fake answered
    retried_429: int  # 429s the outbox saw
    last_after: float  # seconds from "up with everything due" to the last reminder
    longest_pause: float  # the longest time between two reminders reaching the fake

    @property
    def share(self) -> float:
        return self.rate / LIMIT

    @property
    def minimum(self) -> float:
        return self.users / LIMIT

    @property
    def lateness(self) -> float:
        return self.last_after - self.minimum


async def measure(users: int, *, in_process: bool = False) -> FanOut:
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "coach.db"
        seeding = Store(f"sqlite:///{database}")
        seeding.upgrade()
        chats = set(seed(seeding, users))
        seeding.dispose()
        async with fake_server(in_process) as fake:
            api: Any = SimpleNamespace(base_url=fake.base_url)
            # limits=None: Telegram's limits (30/s overall, 1/s per chat); retry=None: the
            # production retry policy; tick_seconds=1: the JobQueue ticks the dispatcher.
            async with running_coach(
                api, database, limits=None, retry=None, tick_seconds=1.0
            ) as coach:
                coach.clock.set(DUE)
                # the fake's clock is time.monotonic() too: one clock per machine on Linux
                up = time.monotonic()
                deadline = up + users / LIMIT * 2 + 60
                while time.monotonic() < deadline:
                    await asyncio.sleep(0.5)
                    if (await fake.ask("count"))["count"] >= users:
                        break
                stats = coach.parts.outbox.stats
            report = await fake.ask("report")
    if report["violations"]:
        raise AssertionError(f"Bot API violations: {report['violations'][:5]}")
    times = sorted(report["times"])
    per_chat: dict[int, int] = {}
    for chat in report["chats"]:
        per_chat[chat] = per_chat.get(chat, 0) + 1
    if set(per_chat) != chats:
        raise AssertionError(f"{len(chats - set(per_chat))} of {users} reminders never arrived")
    return FanOut(
        users=users,
        delivered=len(times),
        duplicates=sum(n - 1 for n in per_chat.values()),
        rate=(len(times) - 1) / (times[-1] - times[0]),
        limit_hits=int(report["limit_hits"]),
        retried_429=stats.rate_limited,
        last_after=times[-1] - up,
        longest_pause=max(b - a for a, b in itertools.pairwise(times)),
    )


def run(quick: bool) -> list[tuple[str, str]]:
    users = 600 if quick else 10_000
    result = asyncio.run(measure(users))
    label = f"{users:,} users due at 08:00"
    verdict = "met" if result.share >= 0.95 and result.limit_hits == 0 else "NOT MET"
    return [
        (f"{label}: send rate", f"{result.rate:.2f}/s = {result.share:.3f} of the 30/s limit"),
        (f"{label}: 429s", f"{result.limit_hits} from the fake ({result.retried_429} retried)"),
        (
            f"{label}: last reminder",
            f"{result.last_after:.1f} s after due; minimum {result.minimum:.1f} s; "
            f"{result.lateness:+.1f} s late",
        ),
        (f"{label}: longest pause between two sends", f"{result.longest_pause:.2f} s"),
        (f"{label}: delivered", f"{result.delivered:,} ({result.duplicates} duplicates)"),
        (f"{label}: verdict (>= 0.95 of 30/s, no 429)", verdict),
    ]


if __name__ == "__main__":
    if "--serve-fake" in sys.argv:
        asyncio.run(_serve())
    else:
        count = next((int(a) for a in sys.argv[1:] if a.isdigit()), 600)
        outcome = asyncio.run(measure(count, in_process="--fake-in-process" in sys.argv))
        print(outcome, f"share {outcome.share:.3f} lateness {outcome.lateness:+.1f} s")
