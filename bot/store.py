"""Storage: users, dialog state (JSON + version), check-ins, sessions, timers, referrals.

Synchronous SQLAlchemy; the async shell calls it through ``asyncio.to_thread``. One turn of
the core is committed in one transaction: the new state (guarded by its version number) and
every storage action it ordered, so a crash never leaves half a turn behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from bot.tables import (
    CheckIn,
    ClinicForward,
    ClinicMessage,
    DialogState,
    MessageRef,
    OutboxMessage,
    Referral,
    ReferralEvent,
    ReminderLog,
    SessionRecord,
    Timer,
    User,
)
from dialogs.actions import (
    Action,
    Button,
    CancelTimers,
    DeleteData,
    OpenReferral,
    RecordReminder,
    RecordSession,
    ResolveReferrals,
    SaveCheckIn,
    Send,
    StartTimer,
)

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


#: Referral statuses that still need a clinician's attention.
OPEN_STATUSES = ("open", "acknowledged")


class SchemaBehind(RuntimeError):
    """The database needs ``coach db upgrade`` before the coach can use it."""


@dataclass(frozen=True)
class DueTimer:
    id: int
    user_id: int
    kind: str
    token: str
    due_at: datetime


@dataclass(frozen=True)
class DueForward:
    """A claimed referral forward: post (or re-post) it to the clinician chat now."""

    referral_id: int
    posts: int
    failures: int


@dataclass(frozen=True)
class TurnResult:
    committed: bool
    referral_ids: tuple[int, ...] = ()
    #: One entry per ``Send`` of the turn, in order: its outbox row id, or None if not durable.
    outbox_ids: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class PendingMessage:
    id: int
    user_id: int
    message: Send


def send_to_json(message: Send) -> str:
    return json.dumps(
        {
            "text": message.text,
            "ref": message.ref,
            "important": message.important,
            "buttons": [[[b.label, b.data] for b in row] for row in message.buttons],
        }
    )


def send_from_json(raw: str) -> Send:
    data = json.loads(raw)
    buttons = tuple(tuple(Button(label, d) for label, d in row) for row in data["buttons"])
    return Send(data["text"], buttons, ref=data["ref"], important=data["important"], durable=True)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    # --- schema ---------------------------------------------------------------------------

    def _alembic_config(self) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = self.engine
        return cfg

    def upgrade(self) -> None:
        """Bring the schema to the newest migration."""
        from alembic import command

        command.upgrade(self._alembic_config(), "head")

    def schema_status(self) -> tuple[str | None, str]:
        """(current revision, newest revision)."""
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(self._alembic_config()).get_current_head() or ""
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        return current, head

    def require_current_schema(self) -> None:
        current, head = self.schema_status()
        if current != head:
            raise SchemaBehind(
                f"the database schema is at {current or 'nothing'}, the code needs {head}: "
                "run `coach db upgrade`"
            )

    def dispose(self) -> None:
        self.engine.dispose()

    # --- users ----------------------------------------------------------------------------

    def get_or_create_user(
        self, transport: str, external_id: str, chat_id: str, locale: str, now: datetime
    ) -> User:
        with Session(self.engine, expire_on_commit=False) as s:
            found = s.exec(
                select(User).where(User.transport == transport, User.external_id == external_id)
            ).first()
            if found is not None:
                if (found.chat_id, found.locale) != (chat_id, locale):
                    found.chat_id, found.locale = chat_id, locale  # language or chat changed
                    s.add(found)
                    s.commit()
                return found
            user = User(
                transport=transport,
                external_id=external_id,
                chat_id=chat_id,
                locale=locale,
                created_at=now,
            )
            s.add(user)
            try:
                s.commit()
            except sa.exc.IntegrityError:  # created by a concurrent update a moment ago
                s.rollback()
                return s.exec(
                    select(User).where(User.transport == transport, User.external_id == external_id)
                ).one()
            return user

    def get_user(self, user_id: int) -> User | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(User, user_id)

    def get_users(self, user_ids: Iterable[int]) -> dict[int, User]:
        with Session(self.engine, expire_on_commit=False) as s:
            rows = s.exec(select(User).where(col(User.id).in_(list(user_ids)))).all()
            return {u.id: u for u in rows if u.id is not None}

    def set_active(self, user_id: int, active: bool) -> None:
        with Session(self.engine) as s:
            s.execute(sa.update(User).where(col(User.id) == user_id).values(active=active))
            s.commit()

    # --- dialog state ---------------------------------------------------------------------

    def load_state(self, user_id: int) -> tuple[str | None, int]:
        with Session(self.engine) as s:
            row = s.get(DialogState, user_id)
            return (row.data, row.version) if row else (None, 0)

    def commit_turn(
        self,
        user_id: int,
        expected_version: int,
        state_json: str,
        actions: Sequence[Action],
        now: datetime,
    ) -> TurnResult:
        """Save the new state and the turn's storage actions atomically.

        Returns ``committed=False`` when another process changed the state since it was
        loaded (optimistic concurrency); the caller reloads and steps again.
        """
        referral_ids: list[int] = []
        outbox_ids: list[int | None] = []
        with Session(self.engine) as s, s.begin():
            if expected_version == 0:
                try:
                    with s.begin_nested():  # another process may create the row at the same time
                        s.add(
                            DialogState(user_id=user_id, version=1, data=state_json, updated_at=now)
                        )
                        s.flush()
                except sa.exc.IntegrityError:
                    return TurnResult(False)
            else:
                result = s.execute(
                    sa.update(DialogState)
                    .where(
                        col(DialogState.user_id) == user_id,
                        col(DialogState.version) == expected_version,
                    )
                    .values(version=expected_version + 1, data=state_json, updated_at=now)
                )
                if result.rowcount != 1:  # type: ignore[attr-defined]
                    s.rollback()
                    return TurnResult(False)
            for action in actions:
                if isinstance(action, Send):
                    outbox_ids.append(self._outbox(s, user_id, action, now))
                    continue
                new_id = self._apply(s, user_id, action, now)
                if new_id is not None:
                    referral_ids.append(new_id)
        return TurnResult(True, tuple(referral_ids), tuple(outbox_ids))

    def _outbox(self, s: Session, user_id: int, message: Send, now: datetime) -> int | None:
        if not message.durable:
            return None
        row = OutboxMessage(user_id=user_id, payload=send_to_json(message), created_at=now)
        s.add(row)
        s.flush()
        return row.id

    def _apply(self, s: Session, user_id: int, action: Action, now: datetime) -> int | None:
        if isinstance(action, StartTimer):
            self._upsert_timer(s, user_id, action)
        elif isinstance(action, CancelTimers):
            s.execute(
                delete(Timer).where(
                    col(Timer.user_id) == user_id, col(Timer.kind).in_(action.kinds)
                )
            )
        elif isinstance(action, SaveCheckIn):
            s.add(
                CheckIn(
                    user_id=user_id,
                    session_no=action.session_no,
                    phase=action.phase,
                    at=action.at,
                    pain=action.pain,
                    stiffness=action.stiffness,
                    feel=action.feel,
                )
            )
        elif isinstance(action, RecordSession):
            self._record_session(s, user_id, action)
        elif isinstance(action, ResolveReferrals):
            self._resolve_referrals(s, user_id, action, now)
        elif isinstance(action, DeleteData):
            self._delete_user(s, user_id)
        elif isinstance(action, RecordReminder):
            s.add(
                ReminderLog(
                    user_id=user_id,
                    slot=action.slot,
                    due_at=action.due_at,
                    outcome=action.outcome,
                    at=action.at,
                )
            )
        elif isinstance(action, OpenReferral):
            referral = Referral(
                user_id=user_id,
                tier=action.tier,
                flags=json.dumps(list(action.flags)),
                source=action.source,
                words=action.words,
                details=json.dumps(list(action.details)),
                forward=action.forward,
                created_at=now,
                updated_at=now,
            )
            s.add(referral)
            s.flush()
            assert referral.id is not None
            s.add(
                ReferralEvent(
                    referral_id=referral.id,
                    at=now,
                    status="open",
                    actor="coach",
                    note=f"{action.tier}: {', '.join(action.flags)}",
                )
            )
            return referral.id
        return None

    def _upsert_timer(self, s: Session, user_id: int, action: StartTimer) -> None:
        existing = s.exec(
            select(Timer).where(Timer.user_id == user_id, Timer.kind == action.kind)
        ).first()
        if existing is None:
            s.add(
                Timer(user_id=user_id, kind=action.kind, token=action.token, due_at=action.due_at)
            )
        else:
            existing.token = action.token
            existing.due_at = action.due_at
            existing.claimed_by = None
            existing.claimed_until = None
            s.add(existing)

    def _record_session(self, s: Session, user_id: int, action: RecordSession) -> None:
        row = s.exec(
            select(SessionRecord).where(
                SessionRecord.user_id == user_id, SessionRecord.session_no == action.session_no
            )
        ).first()
        if row is None:
            row = SessionRecord(
                user_id=user_id,
                session_no=action.session_no,
                status=action.status,
                started_at=action.started_at,
                variation=action.variation,
                reps=action.reps,
                hold_seconds=action.hold_seconds,
            )
        row.status = action.status
        row.ended_at = action.ended_at
        row.holds_done = action.holds_done
        s.add(row)

    # --- timers ---------------------------------------------------------------------------

    def _claim(
        self,
        table: type[Any],
        ready: Any,
        order: Any,
        now: datetime,
        worker: str,
        limit: int,
        lease: timedelta,
    ) -> list[Any]:
        """Lease up to ``limit`` ready rows of ``table`` (timers, outbox) to ``worker``.

        A row is free when unclaimed or when its lease ran out (its worker died). PostgreSQL:
        ``FOR UPDATE SKIP LOCKED`` so several workers claim disjoint batches; SQLite: a single
        writer, the claim is one transaction.
        """
        free = sa.or_(table.claimed_until.is_(None), table.claimed_until < now)
        query = select(table.id).where(ready, free).order_by(order).limit(limit)
        if not self.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        with Session(self.engine, expire_on_commit=False) as s, s.begin():
            ids = list(s.exec(query).all())
            if not ids:
                return []
            until = now + lease
            s.execute(  # still free? (another writer may have won a row meanwhile)
                sa.update(table)
                .where(table.id.in_(ids), free)
                .values(claimed_by=worker, claimed_until=until)
            )
            mine = select(table).where(
                table.id.in_(ids), table.claimed_by == worker, table.claimed_until == until
            )
            return list(s.exec(mine.order_by(order)).all())

    def claim_due(self, now: datetime, worker: str, limit: int, lease: timedelta) -> list[DueTimer]:
        """Claim up to ``limit`` due timers for ``worker``, ordered by due time."""
        rows = self._claim(
            Timer, col(Timer.due_at) <= now, col(Timer.due_at), now, worker, limit, lease
        )
        return [DueTimer(r.id or 0, r.user_id, r.kind, r.token, r.due_at) for r in rows]

    def finish_timers(self, timers: Iterable[DueTimer], worker: str) -> None:
        """Delete fired timers, except those the turn they caused replaced with a new one."""
        rows = [
            {"b_id": t.id, "b_token": t.token, "b_due_at": t.due_at, "b_worker": worker}
            for t in timers
        ]
        if not rows:
            return
        # One statement run for every row (executemany), not one statement built per row.
        statement = sa.delete(Timer).where(
            col(Timer.id) == sa.bindparam("b_id"),
            col(Timer.token) == sa.bindparam("b_token"),
            col(Timer.due_at) == sa.bindparam("b_due_at"),
            col(Timer.claimed_by) == sa.bindparam("b_worker"),
        )
        with self.engine.begin() as conn:
            conn.execute(statement, rows)

    def finish_timer(self, timer: DueTimer, worker: str) -> None:
        self.finish_timers([timer], worker)

    def release_claims(self, worker: str) -> int:
        with Session(self.engine) as s, s.begin():
            result = s.execute(
                sa.update(Timer)
                .where(col(Timer.claimed_by) == worker)
                .values(claimed_by=None, claimed_until=None)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    def pending_timers(self, user_id: int, kinds: Iterable[str] | None = None) -> list[Timer]:
        with Session(self.engine) as s:
            query = select(Timer).where(Timer.user_id == user_id)
            if kinds is not None:
                query = query.where(col(Timer.kind).in_(list(kinds)))
            return list(s.exec(query.order_by(col(Timer.due_at))).all())

    def _resolve_referrals(
        self, s: Session, user_id: int, action: ResolveReferrals, now: datetime
    ) -> None:
        open_ones = s.exec(
            select(Referral).where(
                Referral.user_id == user_id, col(Referral.status).in_(OPEN_STATUSES)
            )
        ).all()
        for referral in open_ones:
            referral.status = action.status
            referral.updated_at = now
            s.add(referral)
            assert referral.id is not None
            s.add(
                ReferralEvent(
                    referral_id=referral.id,
                    at=now,
                    status=action.status,
                    actor="patient",
                    note=action.note,
                )
            )

    # --- data rights ----------------------------------------------------------------------

    def _delete_user(self, s: Session, user_id: int) -> None:
        """Every row naming the user goes; referrals stay for the clinic's audit, anonymised."""
        s.execute(
            sa.update(Referral)
            .where(col(Referral.user_id) == user_id)
            .values(user_id=None, words="", details="[]")
        )
        for table in (
            Timer,
            OutboxMessage,
            MessageRef,
            ReminderLog,
            CheckIn,
            SessionRecord,
            DialogState,
        ):
            s.execute(delete(table).where(col(table.user_id) == user_id))
        s.execute(delete(User).where(col(User.id) == user_id))

    def rows_naming(self, user_id: int) -> dict[str, int]:
        """How many rows of each table still name the user (for the deletion check)."""
        checks = {
            "users": "id",
            "dialog_states": "user_id",
            "check_ins": "user_id",
            "sessions": "user_id",
            "timers": "user_id",
            "message_refs": "user_id",
            "referrals": "user_id",
            "reminder_log": "user_id",
            "outbox": "user_id",
        }
        with self.engine.connect() as conn:
            return {
                table: int(
                    conn.execute(
                        sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :uid"),
                        {"uid": user_id},
                    ).scalar_one()
                )
                for table, column in checks.items()
            }

    def export_user(self, user_id: int) -> dict[str, Any]:
        """Everything stored about the user, as plain JSON-ready data."""

        def rows(
            items: Sequence[Any], skip: tuple[str, ...] = ("user_id",)
        ) -> list[dict[str, Any]]:
            out = []
            for item in items:
                data = item.model_dump(mode="json")
                out.append({k: v for k, v in data.items() if k not in skip})
            return out

        user = self.get_user(user_id)
        raw, _ = self.load_state(user_id)
        return {
            "user": rows([user] if user else [], skip=()),
            "state": json.loads(raw) if raw else None,
            "sessions": rows(self.sessions(user_id)),
            "check_ins": rows(self.check_ins(user_id)),
            "referrals": rows(self.referrals(user_id)),
            "reminders": rows(self.reminder_log(user_id)),
        }

    # --- outbox -------------------------------------------------------------------------------

    def delivered(self, outbox_id: int) -> None:
        with Session(self.engine) as s, s.begin():
            s.execute(delete(OutboxMessage).where(col(OutboxMessage.id) == outbox_id))

    def claim_undelivered(
        self, created_before: datetime, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[PendingMessage]:
        """Durable messages a crashed or failed turn left behind, oldest first."""
        rows = self._claim(
            OutboxMessage,
            col(OutboxMessage.created_at) <= created_before,
            col(OutboxMessage.id),
            now,
            worker,
            limit,
            lease,
        )
        return [PendingMessage(r.id or 0, r.user_id, send_from_json(r.payload)) for r in rows]

    def reminder_log(self, user_id: int | None = None) -> list[ReminderLog]:
        with Session(self.engine) as s:
            query = select(ReminderLog)
            if user_id is not None:
                query = query.where(ReminderLog.user_id == user_id)
            return list(s.exec(query.order_by(col(ReminderLog.id))).all())

    # --- message refs ---------------------------------------------------------------------

    def set_message_ref(self, user_id: int, ref: str, message_id: str) -> None:
        with Session(self.engine) as s, s.begin():
            row = s.get(MessageRef, (user_id, ref))
            if row is None:
                s.add(MessageRef(user_id=user_id, ref=ref, message_id=message_id))
            else:
                row.message_id = message_id
                s.add(row)

    def get_message_ref(self, user_id: int, ref: str) -> str | None:
        with Session(self.engine) as s:
            row = s.get(MessageRef, (user_id, ref))
            return row.message_id if row else None

    # --- reading back ---------------------------------------------------------------------

    def check_ins(self, user_id: int) -> list[CheckIn]:
        with Session(self.engine) as s:
            query = select(CheckIn).where(CheckIn.user_id == user_id).order_by(col(CheckIn.id))
            return list(s.exec(query).all())

    def sessions(self, user_id: int) -> list[SessionRecord]:
        with Session(self.engine) as s:
            query = (
                select(SessionRecord)
                .where(SessionRecord.user_id == user_id)
                .order_by(col(SessionRecord.session_no))
            )
            return list(s.exec(query).all())

    def referrals(
        self, user_id: int | None = None, status: str | Sequence[str] | None = None
    ) -> list[Referral]:
        """Referrals, oldest first; ``status`` is one status or several."""
        with Session(self.engine) as s:
            query = select(Referral)
            if user_id is not None:
                query = query.where(Referral.user_id == user_id)
            if isinstance(status, str):
                query = query.where(Referral.status == status)
            elif status is not None:
                query = query.where(col(Referral.status).in_(list(status)))
            return list(s.exec(query.order_by(col(Referral.id))).all())

    # --- referrals: the clinician hand-off ------------------------------------------------

    def referral_by_id(self, referral_id: int) -> Referral | None:
        with Session(self.engine, expire_on_commit=False) as s:
            return s.get(Referral, referral_id)

    def referral_events(self, referral_id: int) -> list[ReferralEvent]:
        """The referral's audit trail, oldest first."""
        with Session(self.engine) as s:
            query = (
                select(ReferralEvent)
                .where(ReferralEvent.referral_id == referral_id)
                .order_by(col(ReferralEvent.id))
            )
            return list(s.exec(query).all())

    def set_referral_status(
        self,
        referral_id: int,
        status: str,
        *,
        actor: str,
        note: str,
        now: datetime,
        allowed_from: Sequence[str],
    ) -> bool:
        """Move a referral to ``status`` if it is in one of ``allowed_from``, with its audit
        event, in one transaction. False when it was not (someone else got there first).

        Leaving ``open`` also stops its re-posting.
        """
        with Session(self.engine) as s, s.begin():
            result = s.execute(
                sa.update(Referral)
                .where(col(Referral.id) == referral_id, col(Referral.status).in_(allowed_from))
                .values(status=status, updated_at=now)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return False
            event = ReferralEvent(
                referral_id=referral_id, at=now, status=status, actor=actor, note=note
            )
            s.add(event)
            if status != "open":
                s.execute(
                    sa.update(ClinicForward)
                    .where(col(ClinicForward.referral_id) == referral_id)
                    .values(next_post_at=None)
                )
            return True

    def record_referral_event(
        self, referral_id: int, *, actor: str, note: str, now: datetime
    ) -> None:
        """An audit event that is not a status change (a post, a relayed message): it is
        stored with the referral's status at the time."""
        with Session(self.engine) as s, s.begin():
            self._referral_event(s, referral_id, actor, note, now)

    def _referral_event(
        self, s: Session, referral_id: int, actor: str, note: str, now: datetime
    ) -> None:
        referral = s.get(Referral, referral_id)
        status = referral.status if referral is not None else "unknown"
        s.add(ReferralEvent(referral_id=referral_id, at=now, status=status, actor=actor, note=note))

    def forward_referral(self, referral_id: int, now: datetime) -> bool:
        """Schedule the referral's first post to the clinician chat (due now). False when it
        was already scheduled."""
        with Session(self.engine) as s, s.begin():
            if s.get(ClinicForward, referral_id) is not None:
                return False
            try:
                with s.begin_nested():
                    s.add(ClinicForward(referral_id=referral_id, next_post_at=now))
                    s.flush()
            except sa.exc.IntegrityError:  # scheduled by another worker a moment ago
                return False
            return True

    def adopt_unforwarded(self, since: datetime, before: datetime, now: datetime) -> list[int]:
        """Schedule forwarded open referrals created in [since, before] that never were (the
        process stopped between storing the turn and forwarding it). Returns their ids."""
        query = (
            select(Referral.id)
            .outerjoin(ClinicForward, col(ClinicForward.referral_id) == col(Referral.id))
            .where(
                col(Referral.forward).is_(True),
                col(Referral.status) == "open",
                col(Referral.user_id).is_not(None),
                col(Referral.created_at) >= since,
                col(Referral.created_at) <= before,
                col(ClinicForward.referral_id).is_(None),
            )
        )
        with Session(self.engine) as s:
            found = [i for i in s.exec(query).all() if i is not None]
        return [i for i in found if self.forward_referral(i, now)]

    def claim_forwards(
        self,
        now: datetime,
        worker: str,
        limit: int,
        lease: timedelta,
        referral_id: int | None = None,
    ) -> list[DueForward]:
        """Claim due referral posts for ``worker`` (optionally just one referral's), oldest
        due first. Leased like timers: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL."""
        free = sa.or_(
            col(ClinicForward.claimed_until).is_(None), col(ClinicForward.claimed_until) < now
        )
        query = (
            select(ClinicForward.referral_id)
            .where(col(ClinicForward.next_post_at) <= now, free)
            .order_by(col(ClinicForward.next_post_at))
            .limit(limit)
        )
        if referral_id is not None:
            query = query.where(col(ClinicForward.referral_id) == referral_id)
        if not self.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        until = now + lease
        with Session(self.engine) as s, s.begin():
            ids = list(s.exec(query).all())
            if not ids:
                return []
            # Still free at the update, too: on SQLite the select takes no lock, so another
            # worker in this process may have claimed a row in between.
            s.execute(
                sa.update(ClinicForward)
                .where(col(ClinicForward.referral_id).in_(ids), free)
                .values(claimed_by=worker, claimed_until=until)
            )
            rows = s.exec(
                select(ClinicForward)
                .where(
                    col(ClinicForward.referral_id).in_(ids),
                    col(ClinicForward.claimed_by) == worker,
                    col(ClinicForward.claimed_until) == until,
                )
                .order_by(col(ClinicForward.next_post_at))
            ).all()
            return [DueForward(r.referral_id, r.posts, r.failures) for r in rows]

    def finish_forward(
        self,
        referral_id: int,
        worker: str,
        *,
        posts: int,
        failures: int,
        next_post_at: datetime | None,
    ) -> bool:
        """Record a claimed post's outcome and when the next is due; release the claim.
        False when the claim was lost (its lease ran out and another worker took it)."""
        with Session(self.engine) as s, s.begin():
            row = s.get(ClinicForward, referral_id)
            if row is None or row.claimed_by != worker:
                return False
            referral = s.get(Referral, referral_id)
            if referral is None or referral.status != "open":
                next_post_at = None  # acknowledged or cleared meanwhile
            row.posts, row.failures, row.next_post_at = posts, failures, next_post_at
            row.claimed_by, row.claimed_until = None, None
            s.add(row)
            return True

    def forward_of(self, referral_id: int) -> ClinicForward | None:
        with Session(self.engine) as s:
            return s.get(ClinicForward, referral_id)

    def add_clinic_message(
        self,
        referral_id: int,
        chat_id: str,
        message_id: str,
        kind: str,
        now: datetime,
        *,
        actor: str | None = None,
        note: str | None = None,
    ) -> None:
        """Remember a message of the referral's thread; with ``note``, audit it too."""
        with Session(self.engine) as s, s.begin():
            s.add(
                ClinicMessage(
                    referral_id=referral_id,
                    chat_id=chat_id,
                    message_id=message_id,
                    kind=kind,
                    at=now,
                )
            )
            if note is not None:
                self._referral_event(s, referral_id, actor or "coach", note, now)

    def clinic_message(self, chat_id: str, message_id: str) -> ClinicMessage | None:
        with Session(self.engine) as s:
            return s.exec(
                select(ClinicMessage).where(
                    ClinicMessage.chat_id == chat_id, ClinicMessage.message_id == message_id
                )
            ).first()

    def clinic_messages(
        self, referral_id: int, kinds: Sequence[str] | None = None
    ) -> list[ClinicMessage]:
        """The referral's thread in the clinician chat, oldest first."""
        with Session(self.engine) as s:
            query = select(ClinicMessage).where(ClinicMessage.referral_id == referral_id)
            if kinds is not None:
                query = query.where(col(ClinicMessage.kind).in_(list(kinds)))
            return list(s.exec(query.order_by(col(ClinicMessage.id))).all())

    def relayed_referral(self, user_id: int, statuses: Sequence[str], kind: str) -> Referral | None:
        """The user's newest forwarded referral, in one of ``statuses``, whose thread holds a
        message of ``kind`` (a clinician's message passed on to them)."""
        written = sa.exists().where(
            col(ClinicMessage.referral_id) == col(Referral.id),
            col(ClinicMessage.kind) == kind,
        )
        query = (
            select(Referral)
            .where(
                Referral.user_id == user_id,
                col(Referral.forward).is_(True),
                col(Referral.status).in_(list(statuses)),
                written,
            )
            .order_by(col(Referral.id).desc())
            .limit(1)
        )
        with Session(self.engine, expire_on_commit=False) as s:
            return s.exec(query).first()
