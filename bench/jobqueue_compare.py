"""Our durable timer table against the common alternative, side by side in one run: one
python-telegram-bot ``JobQueue.run_daily`` job per reminder slot (two per user), at 10k and
100k users (quick: 2.5k, to keep ``make bench-quick`` under a minute).

Both sides start from the same SQLite database, filled by ``bench.scan_claim._fill`` (two
reminder rows per user).

- **JobQueue**, in a fresh process (``python -m bench.jobqueue_compare --jobqueue URL``): build
  the ``Application``, start its ``JobQueue``, read every user's two slots from the database
  and register one ``run_daily`` job for each. Jobs live in memory only, so a restart pays
  this again. Registration time is the ``run_daily`` loop; the memory is the process's RSS
  after registration minus its RSS before reading the slots; start-up runs from the spawn to
  the last job registered.
- **Durable table** (ours): registration is writing the rows (``_fill``: once, not at every
  start); start-up and memory are those of a fresh ``coach run``-like process up to its first
  dispatcher tick (``bench.scale.startup_child``), the RSS delta being the first tick's.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

#: In a child, the moment the interpreter reached this module (stdlib only so far).
MODULE_STARTED = time.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH"
ZONE = "Europe/London"


def _rss_mb() -> float:
    import os

    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def jobqueue_child(url: str, started: float) -> dict[str, Any]:
    """In a fresh process: restore every user's two daily jobs into PTB's JobQueue."""
    import gc
    from datetime import time as clock_time
    from zoneinfo import ZoneInfo

    import sqlalchemy as sa
    from telegram.ext import ApplicationBuilder, ContextTypes

    async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:  # never runs here
        return None

    application = ApplicationBuilder().token(TOKEN).build()
    job_queue = application.job_queue
    assert job_queue is not None
    zone = ZoneInfo(ZONE)

    async def restore() -> dict[str, float]:
        await job_queue.start()
        gc.collect()
        rss_before = _rss_mb()
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            slots = conn.execute(sa.text("SELECT user_id, kind, due_at FROM timers")).all()
        engine.dispose()
        registering = time.perf_counter()
        for user_id, kind, due_at in slots:
            due = due_at if not isinstance(due_at, str) else _parse(due_at)
            job_queue.run_daily(
                remind,
                time=clock_time(due.hour, due.minute, tzinfo=zone),
                name=f"{user_id}:{kind}",
                chat_id=user_id,
                user_id=user_id,
            )
        registered = time.perf_counter()
        jobs = len(job_queue.jobs())
        del slots
        gc.collect()
        result = {
            "jobs": jobs,
            "register_s": registered - registering,
            "ready_s": registered - started,
            "rss_delta_mb": _rss_mb() - rss_before,
        }
        await job_queue.stop(wait=False)
        return result

    result: dict[str, Any] = asyncio.run(restore())
    from bench.scale import _peak_rss_mb

    result["peak_rss_mb"] = _peak_rss_mb()
    return result


def _parse(text: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(text)


def _child(args: list[str]) -> dict[str, Any]:
    from bench.scale import child_report

    return child_report("bench.jobqueue_compare", args, timeout=600)


def run(quick: bool) -> list[tuple[str, str]]:
    from bench.scale import measure_startup
    from bench.scan_claim import _fill, _measure, _remove_sqlite, _sqlite

    sizes = [2_500] if quick else [10_000, 100_000]  # _measure needs 2,500 due rows
    rows: list[tuple[str, str]] = []
    for users in sizes:
        store = _sqlite(users)
        try:
            filling = time.perf_counter()
            _fill(store, users)
            filled = time.perf_counter() - filling
            claim_ms, _rate = _measure(store, repeats=1)  # the first claims: 500 due rows each
            url = store.url
        finally:
            store.dispose()
        try:
            queue = _child(["--jobqueue", url])
            ours = measure_startup(url)
        finally:
            _remove_sqlite(store)
        ours_delta = ours["rss_after_tick_mb"] - ours["rss_before_tick_mb"]
        peak_ratio = queue["peak_rss_mb"] / ours["peak_rss_mb"]
        start_ratio = queue["wall_s"] / ours["wall_s"]
        label = f"{users:>7,} users"
        rows += [
            (
                f"{label}: registration",
                f"JobQueue {queue['register_s']:.2f} s for {queue['jobs']:,} jobs; durable "
                f"table {filled:.2f} s to write {2 * users:,} rows (once, kept across restarts)"
                f" = {queue['register_s'] / filled:.1f}x",
            ),
            (f"{label}: first claim (durable table)", f"{claim_ms:.1f} ms per 500 due rows"),
            (
                f"{label}: memory",
                f"JobQueue +{queue['rss_delta_mb']:.0f} MB RSS (peak {queue['peak_rss_mb']:.0f}"
                f" MB); durable table {ours_delta:+.1f} MB for the first tick (peak "
                f"{ours['peak_rss_mb']:.0f} MB) = peak {peak_ratio:.1f}x",
            ),
            (
                f"{label}: start-up (spawn to ready)",
                f"JobQueue {queue['wall_s']:.2f} s (every job re-registered); durable table "
                f"{ours['wall_s']:.2f} s (to the first tick) = {start_ratio:.1f}x",
            ),
        ]
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--jobqueue":
        print(json.dumps(jobqueue_child(sys.argv[2], MODULE_STARTED)), flush=True)
    else:
        for metric, value in run(quick="--quick" in sys.argv):
            print(f"{metric}: {value}")
