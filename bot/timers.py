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
from dialogs.events import TimerFired

log = logging.getLogger(__name__)


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
        """Fire every timer due now. Returns how many fired."""
        if self._ticking.locked():
            return 0  # the previous tick is still working through a large batch
        async with self._ticking:
            fired = 0
            while True:
                now = self.clock.now()
                self.last_tick = now
                due = await asyncio.to_thread(
                    self.store.claim_due, now, self.worker_id, self.batch_size, self.lease
                )
                if not due:
                    return fired
                await asyncio.gather(*(self._fire(timer) for timer in due))
                fired += len(due)
                if len(due) < self.batch_size:
                    return fired

    async def _fire(self, timer: DueTimer) -> None:
        async with self._slots:
            user = await asyncio.to_thread(self.store.get_user, timer.user_id)
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
                return
            await asyncio.to_thread(self.store.finish_timer, timer, self.worker_id)

    async def release(self) -> int:
        """Give back every lease this worker holds (graceful shutdown)."""
        return await asyncio.to_thread(self.store.release_claims, self.worker_id)
