"""The database fails under a turn: a locked SQLite file, a full disk. The user is told to try
again, the log says what failed, and nothing is half-written.

Both failures hit the last answer of a check-in, a turn that writes several things at once
(the new state, the check-in row): the whole turn rolls back.

- **Locked:** another connection holds ``BEGIN EXCLUSIVE`` on the file. The coach's engine
  waits up to 30 s for a lock (its ``timeout``); the test shortens that wait to 0.3 s with
  ``PRAGMA busy_timeout`` on new connections, so the turn fails with "database is locked".
- **Disk full:** the INSERT of the check-in row, which comes after the UPDATE of the state in
  the same transaction, raises ``sqlite3.OperationalError("database or disk is full")`` once,
  as SQLite does with ``SQLITE_FULL``.
"""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from bot.config import Settings
from bot.store import Store
from content.loader import Content
from tests.e2e.conftest import (
    Conversation,
    RunningCoach,
    onboard,
    running_coach,
    start_session,
)
from tests.fakes.bot_api import FakeBotApi, assert_no_violations

TOKEN = "123456:TEST"


def _snapshot(store: Store, user_id: int) -> dict[str, Any]:
    """Everything a turn could write for this user."""
    raw, version = store.load_state(user_id)
    return {
        "state": raw,
        "version": version,
        "rows": store.rows_naming(user_id),
        "check_ins": [(c.phase, c.pain, c.stiffness, c.feel) for c in store.check_ins(user_id)],
        "sessions": [(r.session_no, r.status) for r in store.sessions(user_id)],
        "timers": [(t.kind, t.token, t.due_at) for t in store.pending_timers(user_id)],
    }


@contextmanager
def short_busy_timeout(store: Store, milliseconds: int = 300) -> Iterator[None]:
    """New connections of ``store`` wait ``milliseconds`` for a lock instead of 30 s."""

    def shorten(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA busy_timeout = {milliseconds}")

    event.listen(store.engine, "connect", shorten)
    store.engine.dispose()  # pooled connections were made before the listener
    try:
        yield
    finally:
        event.remove(store.engine, "connect", shorten)
        store.engine.dispose()


@contextmanager
def exclusive_lock(database: Path) -> Iterator[None]:
    """Another process's writer holding the whole file."""
    other = sqlite3.connect(database, isolation_level=None, timeout=5)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


@contextmanager
def disk_full_on(engine: sa.engine.Engine, statement_prefix: str) -> Iterator[list[str]]:
    """The first statement starting with ``statement_prefix`` fails as on a full disk."""
    failed: list[str] = []

    def fail(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not failed and statement.lstrip().upper().startswith(statement_prefix):
            failed.append(statement)
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield failed
    finally:
        event.remove(engine, "before_cursor_execute", fail)


async def _to_last_check_in_question(
    coach: RunningCoach, chat: Conversation, content: Content
) -> int:
    """Onboard, run a whole session, answer the first two check-in questions; the stiffness
    question is on screen. Returns the user id."""
    m = content.messages
    await onboard(chat, content)
    await start_session(chat, content)
    await coach.run_timers(chat.chat_id)
    await coach.api.wait_for_message(chat.chat_id, contains=m.checkin.pain)
    await chat.tap("2", expect=m.checkin.feel)
    await chat.tap(m.checkin.feel_options.mild_pull, expect=m.checkin.stiffness[:20])
    user_id = coach.user_row(chat.chat_id).id
    assert user_id is not None
    return user_id


def _turn_failures(caplog: pytest.LogCaptureFixture, error: str) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == "bot.telegram_app"
        and r.levelno == logging.ERROR
        and "failed" in r.getMessage()
        and error in r.getMessage()
        and r.exc_info is not None
    ]


@pytest.mark.parametrize("failure", ["locked", "disk_full"])
async def test_a_storage_error_tells_the_user_to_try_again_and_writes_nothing(
    tmp_path, content: Content, caplog: pytest.LogCaptureFixture, failure: str
):
    database = tmp_path / "coach.db"
    m = content.messages
    async with FakeBotApi(token=TOKEN) as api, running_coach(api, database) as coach:
        chat = Conversation(api, api.user(4242, first_name="Ann"))
        user_id = await _to_last_check_in_question(coach, chat, content)
        before = _snapshot(coach.store, user_id)
        caplog.clear()
        caplog.set_level(logging.WARNING)

        if failure == "locked":
            with short_busy_timeout(coach.store), exclusive_lock(database):
                sorry = await chat.tap("3", expect=m.common.something_wrong)
        else:
            with disk_full_on(coach.store.engine, "INSERT INTO CHECK_INS") as failed:
                sorry = await chat.tap("3", expect=m.common.something_wrong)
            assert failed, "the check-in INSERT was never reached"

        # told to try again, the press answered, a clear error in the log
        assert sorry is not None and sorry.content == m.common.something_wrong
        assert not api.unanswered_callback_queries()
        assert _turn_failures(caplog, "OperationalError"), [r.getMessage() for r in caplog.records]
        # nothing half-written: the state's version, every row of the user, unchanged
        assert _snapshot(coach.store, user_id) == before

        # and trying again works
        await chat.tap("3", expect=m.checkin.saved)
        after = _snapshot(coach.store, user_id)
        assert after["version"] == before["version"] + 1
        assert after["check_ins"] == [*before["check_ins"], ("after", 2, 3, "mild_pull")]
        assert_no_violations(api)


async def test_the_console_tells_the_user_to_try_again_after_a_storage_error(
    tmp_path, content: Content, monkeypatch: pytest.MonkeyPatch
):
    from bot import console

    stores: list[Store] = []

    class FailingOnceStore(Store):
        def __init__(self, url: str) -> None:
            super().__init__(url)
            stores.append(self)
            self._failed = False
            event.listen(self.engine, "before_cursor_execute", self._fail)

        def _fail(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            # the first user line's turn: the /start before it inserted the state row
            if not self._failed and statement.lstrip().upper().startswith("UPDATE DIALOG_STATES"):
                self._failed = True
                raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(console, "Store", FailingOnceStore)
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'coach.db'}", auto_migrate=True)
    out = io.StringIO()
    code = await console.run_chat(
        settings, user_name="ann", speed=100, stdin=io.StringIO("/help\n/help\n"), stdout=out
    )
    text = out.getvalue()
    assert code == 0
    assert m_something_wrong(content) in text
    assert text.count(content.messages.help.privacy[:30]) == 1  # the second /help worked


def m_something_wrong(content: Content) -> str:
    return content.messages.common.something_wrong
