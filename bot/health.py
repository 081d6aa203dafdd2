"""``/healthz`` and ``/metrics`` over HTTP (aiohttp).

Served on the webhook server's port in webhook mode, or on ``COACH_HTTP_LISTEN`` in polling
mode. Healthy means: the database answers, and the dispatcher ticked in the last few seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from aiohttp import web

from bot.clock import Clock
from bot.metrics import Metrics
from bot.store import OPEN_STATUSES, Store
from bot.timers import Dispatcher

log = logging.getLogger(__name__)

TICK_STALE_AFTER = timedelta(seconds=10)


def _database_ok(store: Store) -> bool:
    try:
        with store.engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        log.warning("health check: the database does not answer", exc_info=True)
        return False


def health_app(
    store: Store, dispatcher: Dispatcher, metrics: Metrics, clock: Clock
) -> web.Application:
    def tick_age(m: Metrics) -> None:
        if dispatcher.last_tick is not None:
            age = (clock.now() - dispatcher.last_tick).total_seconds()
            m.set("coach_dispatcher_last_tick_age_seconds", age)

    metrics.on_scrape(tick_age)
    metrics.on_scrape(referral_gauges(store))

    async def healthz(_request: web.Request) -> web.Response:
        database = await asyncio.to_thread(_database_ok, store)
        last = dispatcher.last_tick
        age = None if last is None else (clock.now() - last).total_seconds()
        ticking = age is not None and age <= TICK_STALE_AFTER.total_seconds()
        body = {
            "database": "ok" if database else "down",
            "dispatcher": "ok" if ticking else "stalled",
            "last_tick_age_seconds": age,
        }
        status = 200 if database and ticking else 503
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")

    async def prometheus(_request: web.Request) -> web.Response:
        text = await asyncio.to_thread(metrics.render)
        return web.Response(text=text, content_type="text/plain", charset="utf-8")

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", prometheus)
    return app


def referral_gauges(store: Store) -> Callable[[Metrics], None]:
    """A scrape-time collector: open referrals by tier, from the database."""

    def collect(metrics: Metrics) -> None:
        counts: dict[str, int] = {"emergency": 0, "urgent": 0, "routine": 0}
        for referral in store.referrals(status=OPEN_STATUSES):
            counts[referral.tier] = counts.get(referral.tier, 0) + 1
        for tier, count in counts.items():
            metrics.set("coach_open_referrals", count, tier=tier)

    return collect


async def serve(app: web.Application, listen: str) -> web.AppRunner:
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host or "0.0.0.0", int(port)).start()
    return runner
