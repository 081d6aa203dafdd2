"""The durable timer dispatcher: claims due rows in batches and feeds them to the runtime.

Ticked about once a second by APScheduler (python-telegram-bot's JobQueue in Telegram mode).
Rows are leased, so a worker that dies only delays its rows until the lease expires.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.runtime import Coach
from bot.store import DueTimer, Store
from bot.tables import User
from dialogs.events import TimerFired

log = logging.getLogger(__name__)

#: A durable message still in the outbox this long after its turn was not delivered.
OUTBOX_SETTLE = timedelta(seconds=30)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    def __init__(
        self,
        store: Store,
        coach: Coach,
        clock: Clock,
        *,
        worker_id: str | None = None,
        batch_size: int = 500,
        lease: timedelta = timedelta(seconds=60),
        concurrency: int = 64,
    ) -> None:
        self.store = store
        self.coach = coach
        self.clock = clock
        self.worker_id = worker_id or default_worker_id()
        self.batch_size = batch_size
        self.lease = lease
        self.concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self.last_tick: datetime | None = None
        self._ticking = asyncio.Lock()

    async def tick(self) -> int:
        """Fire every timer due now, then re-send durable messages left behind. Returns how
        many timers fired."""
        if self._ticking.locked():
            return 0  # the previous tick is still working through a large batch
        async with self._ticking:
            fired = await self._fire_due()
            await self._resend_undelivered()
            return fired

    async def _resend_undelivered(self) -> None:
        now = self.clock.now()
        pending = await asyncio.to_thread(
            self.store.claim_undelivered,
            now - OUTBOX_SETTLE,
            now,
            self.worker_id,
            self.batch_size,
            self.lease,
        )
        for item in pending:
            user = await asyncio.to_thread(self.store.get_user, item.user_id)
            if user is None:
                continue
            try:
                await self.coach.send_one(user, item.message, item.id)
            except Exception:
                log.exception(
                    "re-sending outbox message %s for user %s failed; will retry",
                    item.id,
                    item.user_id,
                )

    async def _fire_due(self) -> int:
        """Fire every due timer, ``concurrency`` turns at a time.

        The next batch is claimed while the current one is still being delivered: as soon as
        no more than ``concurrency`` of its timers are left waiting for a slot. The outbox
        queue then never runs dry between two batches (the claim, the users and the first
        commits of the next one would otherwise leave the flood limit unused for a while).
        Fired rows are deleted at each claim and at the end.
        """
        # Claim again once no more than this many timers are in hand: the ones in a slot and
        # as many again waiting for one (at 30/s, some 4 s of sends still to go).
        refill_at = min(2 * self.concurrency, self.batch_size)
        hand = _Hand()
        fired = 0
        try:
            while True:
                now = self.clock.now()
                self.last_tick = now
                due = await asyncio.to_thread(
                    self.store.claim_due, now, self.worker_id, self.batch_size, self.lease
                )
                if due:
                    lag = (now - min(t.due_at for t in due)).total_seconds()
                    self.coach.metrics.set("coach_dispatcher_lag_seconds", max(0.0, lag))
                    users = await asyncio.to_thread(self.store.get_users, {t.user_id for t in due})
                    for timer in due:
                        hand.start(timer, self._fire(timer, users.get(timer.user_id)))
                    fired += len(due)
                if len(due) < self.batch_size:
                    break
                await hand.down_to(refill_at)
                await self._finish(hand.take_finished())
            await hand.down_to(0)
            await self._finish(hand.take_finished())
            return fired
        except asyncio.CancelledError:  # shutdown: the turns in hand go with the tick
            await hand.cancel()
            raise
        except Exception:  # a claim failed: let the turns in hand end before saying so
            await hand.down_to(0)
            raise

    async def _finish(self, timers: list[DueTimer]) -> None:
        if timers:
            await asyncio.to_thread(self.store.finish_timers, timers, self.worker_id)

    async def _fire(self, timer: DueTimer, user: User | None) -> bool:
        """Feed one timer to the runtime. False keeps the row for a retry after its lease."""
        async with self._slots:
            try:
                if user is not None and user.active:
                    await self.coach.handle(user, TimerFired(timer.kind, timer.token))
            except Exception:
                # Keep the row: its lease runs out and it is tried again, never silently lost.
                log.exception(
                    "timer %s (%s) for user %s failed; will retry after the lease",
                    timer.id,
                    timer.kind,
                    timer.user_id,
                )
                return False
            return True

    async def release(self) -> int:
        """Give back every lease this worker holds (graceful shutdown)."""
        return await asyncio.to_thread(self.store.release_claims, self.worker_id)


class _Hand:
    """The timers being fired: their tasks, and the ones that fired and can be deleted."""

    def __init__(self) -> None:
        self.running: set[asyncio.Task[bool]] = set()
        self.finished: list[DueTimer] = []
        self._low = 0
        self._low_enough = asyncio.Event()

    def start(self, timer: DueTimer, turn: Coroutine[Any, Any, bool]) -> None:
        task = asyncio.create_task(turn)
        self.running.add(task)
        task.add_done_callback(functools.partial(self._ended, timer))

    def _ended(self, timer: DueTimer, task: asyncio.Task[bool]) -> None:
        self.running.discard(task)
        if not task.cancelled() and task.exception() is None and task.result():
            self.finished.append(timer)
        if len(self.running) <= self._low:
            self._low_enough.set()

    async def down_to(self, count: int) -> None:
        """Wait until no more than ``count`` are still running."""
        while len(self.running) > count:
            self._low = count
            self._low_enough.clear()
            await self._low_enough.wait()

    def take_finished(self) -> list[DueTimer]:
        finished, self.finished = self.finished, []
        return finished

    async def cancel(self) -> None:
        for task in self.running:
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)
