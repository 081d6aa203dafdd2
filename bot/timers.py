"""The durable timer dispatcher: claims due rows in batches and feeds them to the runtime.

Ticked about once a second by APScheduler (python-telegram-bot's JobQueue in Telegram mode).
Rows are leased, so a worker that dies only delays its rows until the lease expires.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from datetime import datetime, timedelta

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
        fired = 0
        while True:
            now = self.clock.now()
            self.last_tick = now
            due = await asyncio.to_thread(
                self.store.claim_due, now, self.worker_id, self.batch_size, self.lease
            )
            if not due:
                return fired
            lag = (now - min(t.due_at for t in due)).total_seconds()
            self.coach.metrics.set("coach_dispatcher_lag_seconds", max(0.0, lag))
            users = await asyncio.to_thread(self.store.get_users, {t.user_id for t in due})
            done = await asyncio.gather(*(self._fire(t, users.get(t.user_id)) for t in due))
            await asyncio.to_thread(
                self.store.finish_timers,
                [t for t, ok in zip(due, done, strict=True) if ok],
                self.worker_id,
            )
            fired += len(due)
            if len(due) < self.batch_size:
                return fired

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
