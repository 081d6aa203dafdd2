"""Real databases: a SQLite file per test, and PostgreSQL when the local server answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.store import Store

PG_ADMIN_URL = os.environ.get(
    "COACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_available() -> str | None:
    try:
        engine = sa.create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return None
    except Exception as exc:  # no server, no driver, refused: say why and skip
        return f"no PostgreSQL at {PG_ADMIN_URL}: {type(exc).__name__}"


@pytest.fixture
def sqlite_store(tmp_path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'coach.db'}")
    store.upgrade()
    yield store
    store.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    reason = _postgres_available()
    if reason:
        pytest.skip(reason)
    name = f"coach_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        # A throwaway database need not survive a power cut: skip the fsync per commit.
        conn.execute(sa.text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def postgres_store(postgres_url) -> Iterator[Store]:
    store = Store(postgres_url)
    store.upgrade()
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def store(request) -> Store:
    return request.getfixturevalue(f"{request.param}_store")
