"""Scale: claim cost, start-up time and peak memory with 10k, 100k and 1M users in the database,
on SQLite and PostgreSQL (quick: 10k users, SQLite only).

For each size the database is filled by ``bench.scan_claim._fill`` (every user has a morning
and an evening reminder spread over the day, 2,500 due now) and the dispatcher's claim is
timed by ``bench.scan_claim._measure`` (five claims of 500 due rows, five times over; the
median batch).

Start-up is measured in a fresh process (``python -m bench.scale --startup URL``), as
``coach run`` starts: imports, ``Store`` (SQLite: migrations checked and applied; PostgreSQL:
the schema version checked), content load and validation, ``build_application``, then the
first dispatcher tick against the populated database. That tick runs at the due minute; the
2,500 rows due then are still under the lease of the claims just measured, so it scans the
due range of the index and fires nothing: it is start-up work, not delivery. The process's
peak RSS (``VmHWM`` from ``/proc``) is that process's alone.

Targets at 1M users: start-up < 3 s, peak RSS < 250 MB, and the claim cost per reminder
within 1.2x of its cost at 10k users.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

#: In the start-up child, the moment the interpreter reached this module (stdlib only so far).
MODULE_STARTED = time.perf_counter()

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH"
STARTUP_TARGET_S = 3.0
RSS_TARGET_MB = 250.0
COST_RATIO_TARGET = 1.2


def _peak_rss_mb() -> float:
    """This process's peak RSS: ``VmHWM``, its memory map's high-water mark. (``ru_maxrss``
    would not do: Linux carries it across ``exec``, so a child spawned by a big parent
    reports the parent's size.)"""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def _rss_mb() -> float:
    """The current resident set (not the peak), from /proc."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def startup_child(url: str, started: float) -> dict[str, Any]:
    """In a fresh process: start the coach as ``coach run`` does, up to its first tick."""
    import zoneinfo

    from bench.scan_claim import NOW
    from bot.clock import ManualClock
    from bot.config import Settings
    from bot.store import Store
    from bot.telegram_app import build_application
    from content.loader import load_all

    imported = time.perf_counter()
    settings = Settings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url="http://127.0.0.1:9/bot",  # never called: no request is made
        database_url=url,
    )
    store = Store(settings.database_url)
    if store.is_sqlite:
        store.upgrade()  # what ``coach run`` does on SQLite
    else:
        store.require_current_schema()
    stored = time.perf_counter()
    contents = load_all(config=settings.coach_config(frozenset(zoneinfo.available_timezones())))
    loaded = time.perf_counter()
    application = build_application(settings, store, contents, ManualClock(NOW), worker_id="boot")
    assert application.coach is not None
    built = time.perf_counter()
    rss_before_tick = _rss_mb()
    fired = asyncio.run(application.coach.dispatcher.tick())
    ticked = time.perf_counter()
    return {
        "imports_s": imported - started,
        "store_s": stored - imported,
        "content_s": loaded - stored,
        "build_s": built - loaded,
        "tick_s": ticked - built,
        "ready_s": ticked - started,
        "fired": fired,
        "rss_before_tick_mb": rss_before_tick,
        "rss_after_tick_mb": _rss_mb(),
        "peak_rss_mb": _peak_rss_mb(),
    }


def child_report(module: str, args: list[str], timeout: float) -> dict[str, Any]:
    """Run ``python -m module *args`` in a fresh interpreter and read the JSON report it
    prints as its first line. ``wall_s`` runs from the spawn to the moment the report
    arrives."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        line = child.stdout.readline()
        wall = time.perf_counter() - started
        errors = child.stderr.read()
        child.wait(timeout=timeout)
    if not line:
        raise RuntimeError(f"{module} {args[0]} failed: {errors.strip().splitlines()[-1:]}")
    result: dict[str, Any] = json.loads(line)
    result["wall_s"] = wall
    return result


def measure_startup(url: str) -> dict[str, Any]:
    """Run :func:`startup_child` in a fresh interpreter (the report is written right after
    the first tick)."""
    return child_report("bench.scale", ["--startup", url], timeout=300)


def _startup_text(boot: dict[str, Any]) -> str:
    spawn = boot["wall_s"] - boot["ready_s"]
    return (
        f"{boot['wall_s']:.2f} s (spawn and interpreter {spawn:.2f}, imports "
        f"{boot['imports_s']:.2f}, store {boot['store_s']:.2f}, content "
        f"{boot['content_s']:.2f}, build {boot['build_s']:.2f}, first tick "
        f"{boot['tick_s'] * 1000:.0f} ms)"
    )


def run(quick: bool) -> list[tuple[str, str]]:
    # imported here, so that the start-up child (this module) starts from a bare interpreter
    from bench.scan_claim import BATCH, _fill, _measure, bench_store

    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    rows: list[tuple[str, str]] = []
    # quick: SQLite only (``scan_claim`` measures the PostgreSQL claim at 10k in quick mode)
    for backend in ("sqlite",) if quick else ("sqlite", "postgresql"):
        costs: dict[int, float] = {}
        for users in sizes:
            with bench_store(backend, users) as store:
                if store is None:
                    rows.append((backend, "skipped: no server at 127.0.0.1:5432"))
                    break
                filled = time.perf_counter()
                _fill(store, users)
                filled = time.perf_counter() - filled
                ms, _rate = _measure(store)
                costs[users] = ms / BATCH * 1000
                boot = measure_startup(store.url)
            label = f"{backend} {users:>9,} users"
            rows += [
                (f"{label}: claim", f"{ms:.1f} ms per 500, {costs[users]:.0f} µs/reminder"),
                (f"{label}: start-up (spawn to first tick)", _startup_text(boot)),
                (f"{label}: peak RSS", f"{boot['peak_rss_mb']:.0f} MB"),
                (f"{label}: fill (not start-up)", f"{filled:.1f} s"),
            ]
        if len(costs) > 1:
            first, last = min(costs), max(costs)
            ratio = costs[last] / costs[first]
            verdict = "met" if ratio <= COST_RATIO_TARGET else "NOT MET"
            rows.append(
                (
                    f"{backend} claim cost {last:,} vs {first:,} users",
                    f"{ratio:.2f}x (target <= {COST_RATIO_TARGET}x: {verdict})",
                )
            )
    return rows


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--startup":
        print(json.dumps(startup_child(sys.argv[2], MODULE_STARTED)), flush=True)
    else:
        for metric, value in run(quick="--quick" in sys.argv):
            print(f"{metric}: {value}")
