"""The database tables. Every datetime is stored as UTC and read back timezone-aware."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite has no time zones of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use aware UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("transport", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    transport: str = Field(max_length=16)  # "telegram" or "console"
    external_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    locale: str = Field(default="en", max_length=16)
    active: bool = True
    created_at: datetime = _utc()


class DialogState(SQLModel, table=True):
    __tablename__ = "dialog_states"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    version: int = 0
    data: str
    updated_at: datetime = _utc()


class CheckIn(SQLModel, table=True):
    __tablename__ = "check_ins"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    session_no: int
    phase: str = Field(max_length=8)  # before | after
    at: datetime = _utc()
    pain: int | None = None
    stiffness: int | None = None
    feel: str | None = Field(default=None, max_length=16)


class SessionRecord(SQLModel, table=True):
    __tablename__ = "sessions"
    __table_args__ = (sa.UniqueConstraint("user_id", "session_no"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    session_no: int
    status: str = Field(max_length=16)
    started_at: datetime = _utc()
    ended_at: datetime | None = _utc(default=None, nullable=True)
    variation: str = Field(max_length=16)
    reps: int
    hold_seconds: int
    holds_done: int = 0


class Timer(SQLModel, table=True):
    """Everything that happens later is one row: holds, countdowns, reminders."""

    __tablename__ = "timers"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", ondelete="CASCADE")
    kind: str = Field(max_length=32)
    token: str = Field(max_length=96)
    due_at: datetime = _utc(index=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _utc(default=None, nullable=True)


class MessageRef(SQLModel, table=True):
    """Which Telegram (or console) message a named ``Send`` became, so it can be edited later."""

    __tablename__ = "message_refs"

    user_id: int = Field(foreign_key="users.id", primary_key=True, ondelete="CASCADE")
    ref: str = Field(primary_key=True, max_length=32)
    message_id: str = Field(max_length=32)


class Referral(SQLModel, table=True):
    __tablename__ = "referrals"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(
        default=None, foreign_key="users.id", index=True, ondelete="SET NULL"
    )
    tier: str = Field(max_length=16)
    flags: str  # JSON list
    source: str = Field(max_length=16)
    words: str = ""  # the user's own words; cleared when the user deletes their data
    details: str = "[]"  # JSON list of the questions answered yes
    status: str = Field(default="open", max_length=16)
    forward: bool = False
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ReferralEvent(SQLModel, table=True):
    """The audit trail: every status change of a referral, with its time."""

    __tablename__ = "referral_events"

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referrals.id", index=True, ondelete="CASCADE")
    at: datetime = _utc()
    status: str = Field(max_length=16)
    actor: str = Field(default="coach", max_length=64)
    note: str = ""


class ReminderLog(SQLModel, table=True):
    """The stored mark of each reminder occurrence: sent, missed, snoozed, skipped..."""

    __tablename__ = "reminder_log"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    slot: str = Field(max_length=16)
    due_at: datetime = _utc()
    outcome: str = Field(max_length=16)
    at: datetime = _utc()


class OutboxMessage(SQLModel, table=True):
    """A durable message, written with the turn that decided it and deleted once delivered.

    Rows older than a few seconds are re-sent by the dispatcher, so a crash between the
    commit and the send costs at most one duplicate, never a lost reminder or safety advice.
    """

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    payload: str  # JSON: text, buttons, ref
    created_at: datetime = _utc(index=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _utc(default=None, nullable=True)


class ClinicForward(SQLModel, table=True):
    """A referral forwarded to the clinician chat: when to post it (again), under a lease.

    One row per forwarded referral. ``next_post_at`` is the first post (due at once) and then
    each re-post of an unacknowledged emergency or urgent referral; None when nothing more is
    due. Workers claim due rows (``claimed_by``/``claimed_until``) so two never post the same.
    """

    __tablename__ = "clinic_forwards"

    referral_id: int = Field(foreign_key="referrals.id", primary_key=True, ondelete="CASCADE")
    posts: int = 0  # how many times it reached the chat (the first post included)
    failures: int = 0  # failed attempts in a row, for the back-off
    next_post_at: datetime | None = _utc(default=None, nullable=True, index=True)
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_until: datetime | None = _utc(default=None, nullable=True)


class ClinicMessage(SQLModel, table=True):
    """A message of a referral's thread in the clinician chat (ids only, never the text).

    ``kind``: ``post`` and ``repost`` (the referral with its buttons), ``prompt`` (the "reply
    here" note), ``clinician`` (a clinician's message passed on to the patient) and ``patient``
    (the patient's message passed back). A reply to any of them belongs to the referral.
    """

    __tablename__ = "clinic_messages"
    __table_args__ = (sa.UniqueConstraint("chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referrals.id", index=True, ondelete="CASCADE")
    chat_id: str = Field(max_length=64)
    message_id: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    at: datetime = _utc()
