"""Due-reminder scan and claim cost as the number of users grows, on SQLite and PostgreSQL.

For each size, every user has a morning and an evening reminder spread over the day, and
500 of them are due now. We time ``Store.claim_due`` (the dispatcher's query and its lease
update) per batch of 500 and show the query plan, which must use the ``due_at`` index.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col

from bot.store import Store
from bot.tables import Timer, User

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
BATCH = 500
ROUNDS = 5
REPEATS = 5  # passes over the due rows; the figure is the median of all claims


def _fill(store: Store, users: int) -> None:
    rng = random.Random(7)
    chunk = 20_000
    with Session(store.engine) as s, s.begin():
        for start in range(0, users, chunk):
            n = min(chunk, users - start)
            s.execute(
                sa.insert(User),
                [
                    dict(
                        transport="bench",
                        external_id=str(start + i),
                        chat_id=str(start + i),
                        locale="en",
                        active=True,
                        created_at=NOW,
                    )
                    for i in range(n)
                ],
            )
        ids = list(s.scalars(sa.select(User.id).where(User.transport == "bench")))
        rows = []
        for index, uid in enumerate(ids):
            due_now = index < BATCH * ROUNDS
            for kind in ("reminder:morning", "reminder:evening"):
                offset = 0 if due_now and kind == "reminder:morning" else rng.randint(60, 86_000)
                rows.append(
                    dict(user_id=uid, kind=kind, token="t", due_at=NOW + timedelta(seconds=offset))
                )
            if len(rows) >= chunk:
                s.execute(sa.insert(Timer), rows)
                rows = []
        if rows:
            s.execute(sa.insert(Timer), rows)
    if not store.is_sqlite:
        with store.engine.begin() as conn:
            conn.execute(sa.text("ANALYZE timers"))


def _plan(store: Store) -> str:
    sql = (
        "SELECT id FROM timers WHERE due_at <= :now AND "
        "(claimed_until IS NULL OR claimed_until < :now) ORDER BY due_at LIMIT 500"
    )
    now = NOW.replace(tzinfo=None) if store.is_sqlite else NOW
    prefix = "EXPLAIN QUERY PLAN " if store.is_sqlite else "EXPLAIN "
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text(prefix + sql), {"now": now}).fetchall()
    text = " | ".join(str(r[-1]) for r in rows)
    return text[:110]


def _measure(store: Store, repeats: int = REPEATS) -> tuple[float, float]:
    """Claim the 2,500 due rows in five batches of 500, ``repeats`` times (the leases are
    released between repeats); the median batch time and the overall rate. One pass of five
    single claims varied by a third from run to run on a shared 2-core machine."""
    timings = []
    claimed = 0
    for repeat in range(repeats):
        for round_no in range(ROUNDS):
            started = time.perf_counter()
            got = store.claim_due(NOW, f"bench{round_no}", BATCH, timedelta(minutes=5))
            timings.append(time.perf_counter() - started)
            claimed += len(got)
        if repeat < repeats - 1:
            with store.engine.begin() as conn:
                conn.execute(
                    sa.update(Timer)
                    .where(col(Timer.claimed_by).is_not(None))
                    .values(claimed_by=None, claimed_until=None)
                )
    assert claimed == BATCH * ROUNDS * repeats, claimed
    per_batch = sorted(timings)[len(timings) // 2]
    return per_batch * 1000, claimed / sum(timings)


def _sqlite(users: int) -> Store:
    folder = Path(tempfile.mkdtemp(prefix="coach-bench-"))
    store = Store(f"sqlite:///{folder / 'bench.db'}")
    store.upgrade()
    return store


def _remove_sqlite(store: Store) -> None:
    """Delete a ``_sqlite`` store's folder (the 1M-user file is a third of a gigabyte)."""
    if store.is_sqlite:
        shutil.rmtree(Path(str(store.engine.url.database)).parent, ignore_errors=True)


def _postgres() -> tuple[Store, str] | None:
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"coach_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception:
        return None
    store = Store(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    store.upgrade()
    return store, name


def _drop(name: str) -> None:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextmanager
def bench_store(backend: str, users: int) -> Iterator[Store | None]:
    """An empty, migrated store on ``backend`` sized for ``users``, removed afterwards (the
    file, or the PostgreSQL database); None when no PostgreSQL server answers."""
    name = None
    if backend == "sqlite":
        store = _sqlite(users)
    else:
        made = _postgres()
        if made is None:
            yield None
            return
        store, name = made
    try:
        yield store
    finally:
        store.dispose()
        if name:
            _drop(name)
        _remove_sqlite(store)


def run(quick: bool) -> list[tuple[str, str]]:
    sizes = [10_000] if quick else [10_000, 100_000, 1_000_000]
    results: list[tuple[str, str]] = []
    for backend in ("sqlite", "postgresql"):
        for users in sizes:
            with bench_store(backend, users) as store:
                if store is None:
                    results.append((f"{backend}", "skipped: no server at 127.0.0.1:5432"))
                    break
                _fill(store, users)
                ms, rate = _measure(store)
                label = f"{backend} {users:>9,} users"
                results.append(
                    (
                        f"{label}: claim 500 due",
                        f"{ms:.1f} ms/batch, {rate:,.0f} rows/s, "
                        f"{ms / BATCH * 1000:.0f} µs/reminder",
                    )
                )
                if users == sizes[-1]:
                    results.append((f"{backend} query plan", _plan(store)))
    return results
