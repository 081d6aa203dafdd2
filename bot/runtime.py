"""The runtime: applies one user's events one at a time and carries out the core's actions.

Per user, events are serialised by an in-process lock and, across processes, by the version
number on the state row (a conflicting commit reloads and steps again). Storage actions are
committed with the new state before any message goes out, so nothing stored is lost when
sending fails.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from pydantic import ValidationError

from bot import charts
from bot.clock import Clock
from bot.metrics import Metrics
from bot.store import Store, TurnResult
from bot.tables import User
from content.loader import DEFAULT_LOCALE, Content
from dialogs.actions import (
    AnswerButton,
    Edit,
    ExportData,
    OpenReferral,
    RecordReminder,
    Send,
    ShowProgress,
)
from dialogs.core import step
from dialogs.events import Event
from dialogs.progress import History, PainPoint, SessionPoint, summarise
from dialogs.state import State

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 8


class Delivery(Protocol):
    """What a transport must do. Telegram and the console implement it with equal rank."""

    async def send(self, user: User, message: Send) -> str | None:
        """Send; return the transport's message id (None when it could not be sent)."""
        ...

    async def edit(self, user: User, message_id: str, edit: Edit) -> None: ...

    async def answer(self, user: User, callback_id: str, notice: str) -> None: ...

    async def send_photo(self, user: User, png: bytes, caption: str) -> None: ...

    async def send_document(self, user: User, filename: str, data: bytes, caption: str) -> None: ...


class ReferralSink(Protocol):
    async def referral_opened(
        self, user: User, referral_id: int, referral: OpenReferral
    ) -> None: ...


@dataclass(frozen=True)
class Handled:
    state: State
    sent: int


class Coach:
    def __init__(
        self,
        store: Store,
        contents: Mapping[str, Content],
        clock: Clock,
        delivery: Delivery,
        referrals: ReferralSink | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics or Metrics()
        self.store = store
        self.contents = contents
        self.clock = clock
        self.delivery = delivery
        self.referrals = referrals
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def content_for(self, locale: str | None) -> Content:
        if locale:
            short = locale.split("-")[0].lower()
            if short in self.contents:
                return self.contents[short]
        return self.contents[DEFAULT_LOCALE]

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    async def load_state(self, user_id: int) -> State:
        raw, _ = await asyncio.to_thread(self.store.load_state, user_id)
        return _parse_state(raw, user_id)

    async def handle(self, user: User, event: Event, callback_id: str | None = None) -> Handled:
        """Apply one event for one user: step the core, commit, then deliver."""
        assert user.id is not None
        started = time.perf_counter()
        async with self._lock(user.id):
            content = self.content_for(user.locale)
            for _attempt in range(MAX_CONFLICT_RETRIES):
                raw, version = await asyncio.to_thread(self.store.load_state, user.id)
                state = _parse_state(raw, user.id)
                now = self.clock.now()
                transition = step(state, event, now, content)
                result = await asyncio.to_thread(
                    self.store.commit_turn,
                    user.id,
                    version,
                    transition.state.to_json(),
                    transition.actions,
                    now,
                )
                if result.committed:
                    break
                log.info("state conflict for user %s, stepping again", user.id)
            else:
                raise RuntimeError(f"user {user.id}: state kept changing under us")
            self.metrics.inc("coach_updates_handled_total", source=type(event).__name__)
            for action in transition.actions:
                if isinstance(action, RecordReminder):
                    self.metrics.inc("coach_reminders_total", outcome=action.outcome)
            stepped = time.perf_counter()
            sent = await self._deliver(user, transition.actions, callback_id, result)
            for action in transition.actions:
                if isinstance(action, ShowProgress):
                    await self._show_progress(user, transition.state, content, action.kind)
                elif isinstance(action, ExportData):
                    await self._export(user, content)
            # One line per event: who and what kind, never the words.
            log.info(
                "%s handled",
                type(event).__name__,
                extra={
                    "user_id": user.id,
                    "event": type(event).__name__,
                    "flow": type(transition.state.flow).__name__,
                    "sent": sent,
                    "ms_to_commit": round((stepped - started) * 1000, 1),
                    "ms_total": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return Handled(transition.state, sent)

    async def _history(self, user: User, state: State) -> History:
        assert user.id is not None
        sessions = await asyncio.to_thread(self.store.sessions, user.id)
        check_ins = await asyncio.to_thread(self.store.check_ins, user.id)
        return History(
            timezone=state.profile.timezone or "UTC",
            joined_at=user.created_at,
            sessions=tuple(SessionPoint(r.started_at, r.status, r.holds_done) for r in sessions),
            pain=tuple(PainPoint(c.at, c.phase, c.pain) for c in check_ins if c.pain is not None),
            pauses=state.reminders.pauses,
            flags=state.safety.flags,
        )

    async def _show_progress(self, user: User, state: State, content: Content, kind: str) -> None:
        """Numbers and words come from the core's pure ``summarise``; here we only draw."""
        history = await self._history(user, state)
        report = summarise(history, self.clock.now(), content, weekly=kind == "weekly")
        text = content.messages.progress
        if kind == "report":
            flags = ", ".join(history.flags) or text.none
            pdf = await asyncio.to_thread(charts.clinician_report, report, text, flags)
            await self.delivery.send_document(user, "progress-report.pdf", pdf, text.report_caption)
            self.metrics.inc("coach_messages_sent_total", kind="document")
            return
        chart = await asyncio.to_thread(charts.pain_chart, report, text)
        await self.delivery.send_photo(user, chart.png, report.text)
        self.metrics.inc("coach_messages_sent_total", kind="photo")

    async def _export(self, user: User, content: Content) -> None:
        assert user.id is not None
        data = await asyncio.to_thread(self.store.export_user, user.id)
        as_json = json.dumps(data, indent=2, ensure_ascii=False).encode()
        await self.delivery.send_document(
            user, "backstretch-data.json", as_json, content.messages.data.export_done
        )
        await self.delivery.send_document(user, "check-ins.csv", _check_ins_csv(data), "")

    async def send_one(self, user: User, message: Send, outbox_id: int | None = None) -> None:
        """Send one message; a durable one leaves the outbox only once it is delivered.

        ``Delivery.send`` returns None when the message can never be delivered (the user
        blocked the bot): that too ends its life in the outbox. A transient failure raises,
        and the outbox row stays for the dispatcher to send again.
        """
        assert user.id is not None
        message_id = await self.delivery.send(user, message)
        if message_id is not None:
            self.metrics.inc("coach_messages_sent_total", kind="message")
        if outbox_id is not None:
            await asyncio.to_thread(self.store.delivered, outbox_id)
        if message.ref and message_id is not None:
            await asyncio.to_thread(self.store.set_message_ref, user.id, message.ref, message_id)

    async def _deliver(
        self,
        user: User,
        actions: tuple[object, ...],
        callback_id: str | None,
        result: TurnResult,
    ) -> int:
        assert user.id is not None
        sent = 0
        referrals = iter(result.referral_ids)
        outbox = iter(result.outbox_ids)
        for action in actions:
            if isinstance(action, Send):
                await self.send_one(user, action, next(outbox, None))
                sent += 1
            elif isinstance(action, Edit):
                message_id = await asyncio.to_thread(
                    self.store.get_message_ref, user.id, action.ref
                )
                if message_id is not None:
                    await self.delivery.edit(user, message_id, action)
                    self.metrics.inc("coach_messages_sent_total", kind="edit")

        # The clinic hears of a referral only once the patient's own advice is out.
        for action in actions:
            if isinstance(action, OpenReferral):
                referral_id = next(referrals, None)
                if self.referrals is not None and referral_id is not None:
                    await self.referrals.referral_opened(user, referral_id, action)
        if callback_id is not None:
            # Every press is answered exactly once, after the turn's messages: the answer
            # marks the whole turn as delivered (the end-to-end tests wait on it).
            notice = next((a.notice for a in actions if isinstance(a, AnswerButton)), "")
            await self.delivery.answer(user, callback_id, notice)
        return sent


def _check_ins_csv(data: dict[str, object]) -> bytes:
    buffer = io.StringIO()
    fields = ["at", "session_no", "phase", "pain", "stiffness", "feel"]
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    rows = data.get("check_ins")
    for row in rows if isinstance(rows, list) else []:
        writer.writerow(row)
    return buffer.getvalue().encode()


def _parse_state(raw: str | None, user_id: int) -> State:
    if raw is None:
        return State()
    try:
        return State.from_json(raw)
    except ValidationError:
        # A state we cannot read must not lock the user out; their stored records are kept.
        log.error("unreadable dialog state for user %s; starting a fresh dialog", user_id)
        return State()
