"""The clinician desk: referrals posted to a clinic's Telegram group, and what clinicians do there.

When ``COACH_CLINICIAN_CHAT_ID`` is set and the patient agreed at onboarding (the core decides
that: ``OpenReferral.forward``), each referral is posted to that chat under a pseudonym
("patient #12"), with three buttons: Acknowledge, Message the patient, Clear to resume. Only the
Telegram users listed in ``COACH_CLINICIAN_IDS`` may press them or write to a patient; anyone
else is refused politely, nothing changes, and the attempt is logged.

- **Durable posting.** A referral to forward gets a ``clinic_forwards`` row, due at once. The
  first post and every re-post are claimed under a lease (two workers never post the same one)
  and a failed post is tried again with a back-off. An emergency or urgent referral that nobody
  acknowledged is posted again every ``COACH_REFERRAL_REPOST_MINUTES``, at most
  :data:`MAX_REPOSTS` times. :meth:`ClinicDesk.tick` runs beside the timer dispatcher.
- **Relay.** A clinician's reply to any message of a referral's thread goes to the patient,
  prefixed so they know it is the clinic team. From then until the referral is cleared, the
  patient's typed messages are copied back into the thread, *after* the core has handled them
  as usual (the safety scan always sees a message first).
- **Clearing** goes through the core (``ClinicianCleared`` via ``Coach.handle``), which lifts
  the pause and tells the patient in its own words.

Every post, relay and status change is stored as a ``ReferralEvent`` with its time. Logs carry
ids, never message text (it is health data).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram import User as TelegramUser

from bot.clock import Clock
from bot.config import Settings
from bot.outbox import DeliveryFailed, Outbox
from bot.runtime import Coach
from bot.store import DueForward, Store
from bot.tables import Referral, User
from content.loader import DEFAULT_LOCALE, Content
from content.model import ClinicText
from dialogs.actions import MAX_TEXT, OpenReferral, Send
from dialogs.events import ClinicianCleared

__all__ = [
    "CALLBACK_PREFIX",
    "LIVE",
    "MAX_REPOSTS",
    "ClinicDesk",
    "Clinician",
    "Pressed",
    "parse_clinician_ids",
]

log = logging.getLogger(__name__)

#: Buttons in the clinician chat carry ``clinic:<action>:<referral id>``.
CALLBACK_PREFIX = "clinic"
ACTIONS = frozenset({"ack", "msg", "clear"})
#: How many times an unacknowledged referral is posted again after the first post.
MAX_REPOSTS = 8
REPOSTED_TIERS = frozenset({"emergency", "urgent"})
#: Statuses in which a referral's thread is live: clinicians and the patient can still write.
LIVE: tuple[str, ...] = ("open", "acknowledged")
#: The messages of a thread that carry the referral and its buttons.
POST_KINDS: tuple[str, ...] = ("post", "repost")
LEASE = timedelta(seconds=60)
RETRY_FIRST = timedelta(seconds=30)
MAX_FAILURES = 12
#: A forwarded referral with no forward row this long after it was stored was missed (the
#: process stopped between storing the turn and forwarding it); older than ``ADOPT_WITHIN``
#: it is left alone rather than surprising the clinic with old news.
ADOPT_SETTLE = timedelta(seconds=30)
ADOPT_WITHIN = timedelta(days=2)
HISTORY_DAYS = 14
PAIN_SHOWN = 6
DRAIN_SECONDS = 5.0


def parse_clinician_ids(raw: str) -> frozenset[int]:
    """``COACH_CLINICIAN_IDS``: Telegram user ids separated by commas (or spaces)."""
    ids: set[int] = set()
    for part in raw.replace(",", " ").split():
        try:
            ids.add(int(part))
        except ValueError:
            log.warning("COACH_CLINICIAN_IDS: %r is not a Telegram user id; ignored", part)
    return frozenset(ids)


@dataclass(frozen=True)
class Clinician:
    """Whoever acted in the clinician chat: their Telegram id and how Telegram names them."""

    id: int
    name: str

    @classmethod
    def from_telegram(cls, user: TelegramUser) -> Clinician:
        name = user.full_name + (f" (@{user.username})" if user.username else "")
        return cls(user.id, name)

    @property
    def actor(self) -> str:
        """The audit trail's actor: the Telegram user id."""
        return str(self.id)


@dataclass(frozen=True)
class Pressed:
    """What a press in the clinician chat comes to: the answer to show, then work that may
    follow the answer (edits, a prompt), so the button stops spinning first."""

    notice: str
    then: Callable[[], Awaitable[None]] | None = None


class ClinicDesk:
    """``bot.runtime.ReferralSink`` for a clinic's Telegram group. See the module docstring."""

    def __init__(
        self,
        store: Store,
        contents: Mapping[str, Content],
        clock: Clock,
        outbox: Outbox,
        *,
        chat_id: int,
        clinician_ids: frozenset[int],
        repost_every: timedelta,
        timezone: str,
        worker_id: str,
        batch_size: int = 100,
    ) -> None:
        self.store = store
        self.contents = contents
        self.clock = clock
        self.outbox = outbox
        self.chat_id = chat_id
        self.clinician_ids = clinician_ids
        self.repost_every = repost_every
        self.zone = ZoneInfo(timezone)
        self.worker_id = worker_id
        self.batch_size = batch_size
        self._coach: Coach | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ticking = asyncio.Lock()
        self._adopted_at: datetime | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        store: Store,
        contents: Mapping[str, Content],
        clock: Clock,
        outbox: Outbox,
        worker_id: str,
    ) -> ClinicDesk | None:
        """The desk, or None when no clinician chat is configured."""
        if settings.clinician_chat_id is None:
            return None
        return cls(
            store,
            contents,
            clock,
            outbox,
            chat_id=settings.clinician_chat_id,
            clinician_ids=parse_clinician_ids(settings.clinician_ids),
            repost_every=timedelta(minutes=settings.referral_repost_minutes),
            timezone=settings.timezone,
            worker_id=worker_id,
        )

    def attach(self, coach: Coach) -> None:
        """The coach the desk clears patients through (it holds the desk as its sink)."""
        self._coach = coach

    @property
    def coach(self) -> Coach:
        if self._coach is None:
            raise RuntimeError("ClinicDesk.attach(coach) was not called")
        return self._coach

    @property
    def text(self) -> ClinicText:
        """The clinic's language is the default locale's."""
        return self.contents[DEFAULT_LOCALE].messages.clinic

    def is_clinic_chat(self, chat_id: int) -> bool:
        return chat_id == self.chat_id

    def is_clinician(self, telegram_id: int) -> bool:
        return telegram_id in self.clinician_ids

    # --- posting ------------------------------------------------------------------------

    async def referral_opened(self, user: User, referral_id: int, referral: OpenReferral) -> None:
        """The runtime's hook, called after the turn is stored and before its messages go out:
        schedule the post and send it in the background, so the patient's advice never waits
        for the clinician chat. A failure here is picked up by :meth:`tick`."""
        if not referral.forward:
            log.info("referral #%s: not forwarded (no consent to share)", referral_id)
            return
        try:
            await asyncio.to_thread(self.store.forward_referral, referral_id, self.clock.now())
        except Exception:
            log.exception("referral #%s: scheduling its post failed; retried later", referral_id)
            return
        self._spawn(self._post_due(referral_id))

    async def tick(self) -> int:
        """Post what is due (first posts left behind, re-posts). Returns how many were due."""
        if self._ticking.locked():
            return 0  # the previous tick is still posting
        async with self._ticking:
            now = self.clock.now()
            if self._adopted_at is None or now - self._adopted_at >= ADOPT_SETTLE:
                self._adopted_at = now
                adopted = await asyncio.to_thread(
                    self.store.adopt_unforwarded, now - ADOPT_WITHIN, now - ADOPT_SETTLE, now
                )
                for referral_id in adopted:
                    log.warning("referral #%s had not been forwarded; posting it now", referral_id)
            return await self._post_due(None)

    async def drain(self, timeout: float = DRAIN_SECONDS) -> None:  # noqa: ASYNC109
        """Let background posts finish (shutdown); a cancelled one is retried after its lease."""
        tasks = set(self._tasks)
        if not tasks:
            return
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        for task in pending:
            task.cancel()

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post_due(self, referral_id: int | None) -> int:
        due = await asyncio.to_thread(
            self.store.claim_forwards,
            self.clock.now(),
            self.worker_id,
            self.batch_size,
            LEASE,
            referral_id,
        )
        for item in due:
            try:
                await self._post(item)
            except Exception:
                log.exception(
                    "referral #%s: posting to the clinician chat failed; retried after the lease",
                    item.referral_id,
                )
        return len(due)

    async def _post(self, item: DueForward) -> None:
        referral = await asyncio.to_thread(self.store.referral_by_id, item.referral_id)
        if referral is None or referral.status != "open" or referral.user_id is None:
            # Acknowledged, cleared, or the patient deleted their data: nothing more to post.
            await self._finish(item, posts=item.posts, failures=0, next_post_at=None)
            return
        assert referral.id is not None
        repost = item.posts  # 0 for the first post
        reply_to = None
        if repost:
            first = await asyncio.to_thread(self.store.clinic_messages, referral.id, ("post",))
            reply_to = first[0].message_id if first else None
        text = await self._render(referral, repost=repost)
        message_id = await self._send(text, self._markup(referral), reply_to=reply_to)
        now = self.clock.now()
        if message_id is None:
            failures = item.failures + 1
            wait = min(self.repost_every, RETRY_FIRST * 2 ** (failures - 1))
            give_up = failures >= MAX_FAILURES
            log.error(
                "referral #%s: the clinician chat did not take the post (%d in a row); %s",
                referral.id,
                failures,
                "giving up" if give_up else f"trying again in {wait.total_seconds():.0f} s",
            )
            retry_at = None if give_up else now + wait
            await self._finish(item, posts=item.posts, failures=failures, next_post_at=retry_at)
            return
        note = (
            f"re-posted to the clinician chat ({repost} of {MAX_REPOSTS}): not acknowledged"
            if repost
            else "posted to the clinician chat"
        )
        await asyncio.to_thread(
            self.store.add_clinic_message,
            referral.id,
            str(self.chat_id),
            message_id,
            "repost" if repost else "post",
            now,
            actor="coach",
            note=note,
        )
        posts = item.posts + 1
        again = referral.tier in REPOSTED_TIERS and posts <= MAX_REPOSTS
        await self._finish(
            item, posts=posts, failures=0, next_post_at=now + self.repost_every if again else None
        )
        log.info("referral #%s %s as message %s", referral.id, note, message_id)
        current = await asyncio.to_thread(self.store.referral_by_id, referral.id)
        if current is not None and current.status != "open":
            await self.refresh_posts(current)  # acknowledged or cleared while it was posted

    async def _finish(
        self, item: DueForward, *, posts: int, failures: int, next_post_at: datetime | None
    ) -> None:
        kept = await asyncio.to_thread(
            self.store.finish_forward,
            item.referral_id,
            self.worker_id,
            posts=posts,
            failures=failures,
            next_post_at=next_post_at,
        )
        if not kept:
            log.warning("referral #%s: the post's lease ran out first", item.referral_id)

    async def refresh_posts(self, referral: Referral) -> None:
        """Edit every post of the referral to show its status now (and the buttons left)."""
        assert referral.id is not None
        text = await self._render(referral)
        markup = self._markup(referral)
        posts = await asyncio.to_thread(self.store.clinic_messages, referral.id, POST_KINDS)
        for post in posts:
            if not (post.message_id.isdigit() and post.chat_id.lstrip("-").isdigit()):
                continue
            await self.outbox.edit_message_text(
                int(post.chat_id), int(post.message_id), text, reply_markup=markup
            )

    async def _send(
        self,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        reply_to: str | None = None,
    ) -> str | None:
        """Send to the clinician chat; its message id, or None when it could not be sent."""
        self.outbox.allow(self.chat_id)  # the bot may have been added back to the group
        params: dict[str, Any] = {"chat_id": self.chat_id, "text": _fit(text)}
        if markup is not None:
            params["reply_markup"] = markup
        if reply_to is not None and reply_to.isdigit():
            params["reply_parameters"] = ReplyParameters(
                message_id=int(reply_to), allow_sending_without_reply=True
            )
        result = await self.outbox.submit(
            "sendMessage",
            self.outbox.bot.send_message,
            params,
            chat_id=self.chat_id,
            important=True,
        )
        if not result.ok or result.value is None:
            return None
        return str(result.value.message_id)

    async def _note(self, referral_id: int, text: str, reply_to: str, kind: str = "note") -> None:
        """A short note in the thread (kept in it, so a reply to the note still counts)."""
        message_id = await self._send(text, reply_to=reply_to)
        if message_id is not None:
            await asyncio.to_thread(
                self.store.add_clinic_message,
                referral_id,
                str(self.chat_id),
                message_id,
                kind,
                self.clock.now(),
            )

    # --- what the post says -------------------------------------------------------------

    def patient_label(self, user_id: int | None) -> str:
        """Pseudonymous: our own user number, never a Telegram name or username."""
        if user_id is None:
            return self.text.patient_deleted
        return self.text.patient.format(number=user_id)

    async def _render(self, referral: Referral, *, repost: int = 0) -> str:
        t = self.text
        history = await asyncio.to_thread(self._history, referral.user_id)
        events = await asyncio.to_thread(self.store.referral_events, referral.id or 0)
        flags = ", ".join(t.flags.get(f, f) for f in json.loads(referral.flags))
        parts: list[str] = []
        if repost:
            parts.append(t.repost.format(count=repost, max=MAX_REPOSTS))
        parts.append(
            t.referral.format(
                tier=getattr(t.tiers, referral.tier, referral.tier),
                referral=referral.id,
                patient=self.patient_label(referral.user_id),
                time=self._time(referral.created_at),
                source=t.sources.get(referral.source, referral.source),
                flags=flags or "-",
            )
        )
        if referral.words:
            parts.append(t.words.format(words=referral.words))
        details = json.loads(referral.details)
        if details:
            parts.append(t.details.format(details="\n".join(f"• {d}" for d in details)))
        parts.extend(history)
        status = "open"
        for event in events:  # a line for each status change made by a clinician
            if event.status != status and event.status in ("acknowledged", "cleared"):
                template = t.acknowledged if event.status == "acknowledged" else t.cleared
                parts.append(
                    template.format(clinician=event.note or event.actor, time=self._time(event.at))
                )
            status = event.status
        return _fit("\n\n".join(parts))

    def _history(self, user_id: int | None) -> list[str]:
        """Recent pain scores and sessions, from the store (blocking: run in a thread)."""
        if user_id is None:
            return []
        t = self.text
        lines: list[str] = []
        scores = [c for c in self.store.check_ins(user_id) if c.pain is not None][-PAIN_SHOWN:]
        if scores:
            entries = ", ".join(
                t.pain_entry.format(
                    pain=c.pain,
                    date=self._date(c.at),
                    what=t.pain_before if c.phase == "before" else t.pain_after,
                )
                for c in scores
            )
            lines.append(t.pain.format(pain=entries))
        else:
            lines.append(t.no_pain)
        sessions = self.store.sessions(user_id)
        if sessions:
            since = self.clock.now() - timedelta(days=HISTORY_DAYS)
            recent = [r for r in sessions if r.started_at >= since]
            last = max(sessions, key=lambda r: r.started_at)
            status = t.session_status.get(last.status, last.status)
            lines.append(
                t.sessions.format(
                    days=HISTORY_DAYS,
                    done=sum(1 for r in recent if r.status == "completed"),
                    total=len(recent),
                    last=f"{self._date(last.started_at)}, {status}",
                )
            )
        else:
            lines.append(t.no_sessions)
        return lines

    def _markup(self, referral: Referral) -> InlineKeyboardMarkup | None:
        if referral.status not in LIVE:
            return None
        b = self.text.buttons

        def button(label: str, action: str) -> list[InlineKeyboardButton]:
            data = f"{CALLBACK_PREFIX}:{action}:{referral.id}"
            return [InlineKeyboardButton(label, callback_data=data)]

        rows = [button(b.acknowledge, "ack")] if referral.status == "open" else []
        rows += [button(b.message, "msg"), button(b.clear, "clear")]
        return InlineKeyboardMarkup(rows)

    def _time(self, at: datetime) -> str:
        local = at.astimezone(self.zone)
        return f"{local:%a} {local.day} {local:%b %H:%M %Z}"

    def _date(self, at: datetime) -> str:
        local = at.astimezone(self.zone)
        return f"{local:%a} {local.day} {local:%b}"

    # --- buttons --------------------------------------------------------------------------

    async def on_button(self, query: CallbackQuery) -> None:
        """A press in the clinician chat: always answered once, whatever happens."""
        pressed = Pressed(self.contents[DEFAULT_LOCALE].messages.common.something_wrong)
        try:
            message_id = query.message.message_id if query.message is not None else None
            pressed = await self.press(
                Clinician.from_telegram(query.from_user), message_id, query.data or ""
            )
        finally:
            await self.outbox.answer_callback_query(query.id, pressed.notice)
        if pressed.then is not None:
            await pressed.then()

    async def press(self, clinician: Clinician, message_id: int | None, data: str) -> Pressed:
        """Check who pressed what, on which message, then act. A press by someone who is not
        a listed clinician, or a button that does not belong to the message it came from (a
        forged or foreign one), is refused and changes nothing."""
        notices = self.text.notices
        if not self.is_clinician(clinician.id):
            log.warning("clinician chat: a press by user %s, not a listed clinician, refused",
                        clinician.id)  # fmt: skip
            return Pressed(notices.not_allowed)
        action, referral_id = _parse(data)
        thread = None
        if action is not None and message_id is not None:
            thread = await asyncio.to_thread(
                self.store.clinic_message, str(self.chat_id), str(message_id)
            )
        if thread is None or thread.referral_id != referral_id or thread.kind not in POST_KINDS:
            log.warning("clinician chat: a button that is not ours (message %s) refused",
                        message_id)  # fmt: skip
            return Pressed(notices.unknown)
        referral = await asyncio.to_thread(self.store.referral_by_id, referral_id)
        if referral is None:
            return Pressed(notices.unknown)
        if action == "ack":
            return await self.acknowledge(referral, clinician)
        if action == "clear":
            return await self.clear(referral, clinician)
        return self._ask_for_message(referral, str(message_id))

    async def acknowledge(self, referral: Referral, clinician: Clinician) -> Pressed:
        notices = self.text.notices
        assert referral.id is not None
        changed = await asyncio.to_thread(
            self.store.set_referral_status,
            referral.id,
            "acknowledged",
            actor=clinician.actor,
            note=clinician.name,
            now=self.clock.now(),
            allowed_from=("open",),
        )
        if not changed:
            current = await asyncio.to_thread(self.store.referral_by_id, referral.id)
            if current is not None and current.status == "acknowledged":
                return Pressed(notices.already_acknowledged)
            return Pressed(notices.already_cleared)
        log.info("referral #%s acknowledged by clinician %s", referral.id, clinician.id)
        return Pressed(notices.acknowledged, self._refresher(referral.id))

    async def clear(self, referral: Referral, clinician: Clinician) -> Pressed:
        """Through the core first (it lifts the pause and tells the patient), then the status:
        a failure in between leaves the referral live, so the button can be pressed again."""
        notices = self.text.notices
        assert referral.id is not None
        if referral.status not in LIVE:
            return Pressed(notices.already_cleared)
        user = None
        if referral.user_id is not None:
            user = await asyncio.to_thread(self.store.get_user, referral.user_id)
        if user is not None:
            await self.coach.handle(user, ClinicianCleared(referral.id))
        changed = await asyncio.to_thread(
            self.store.set_referral_status,
            referral.id,
            "cleared",
            actor=clinician.actor,
            note=clinician.name,
            now=self.clock.now(),
            allowed_from=LIVE,
        )
        if not changed:
            return Pressed(notices.already_cleared)
        log.info("referral #%s cleared by clinician %s", referral.id, clinician.id)
        return Pressed(notices.cleared, self._refresher(referral.id))

    def _ask_for_message(self, referral: Referral, post_id: str) -> Pressed:
        notices = self.text.notices
        referral_id = referral.id
        assert referral_id is not None
        if referral.status not in LIVE or referral.user_id is None:
            return Pressed(notices.closed)
        prompt = self.text.prompt.format(patient=self.patient_label(referral.user_id))

        async def then() -> None:
            await self._note(referral_id, prompt, post_id, kind="prompt")

        return Pressed(notices.message, then)

    def _refresher(self, referral_id: int) -> Callable[[], Awaitable[None]]:
        async def refresh() -> None:
            current = await asyncio.to_thread(self.store.referral_by_id, referral_id)
            if current is not None:
                await self.refresh_posts(current)

        return refresh

    # --- relay ----------------------------------------------------------------------------

    async def on_message(self, message: Message) -> None:
        """A message in the clinician chat. Only a listed clinician's reply to a message of a
        referral's thread is passed on; the group's other talk is none of our business."""
        sender = message.from_user
        replied = message.reply_to_message
        if sender is None or replied is None:
            return
        thread = await asyncio.to_thread(
            self.store.clinic_message, str(self.chat_id), str(replied.message_id)
        )
        if thread is None:
            return
        if not self.is_clinician(sender.id):
            log.warning("clinician chat: a reply by user %s, not a listed clinician, not passed on",
                        sender.id)  # fmt: skip
            return
        await self.relay_to_patient(
            Clinician.from_telegram(sender),
            thread.referral_id,
            str(message.message_id),
            message.text or message.caption,
        )

    async def relay_to_patient(
        self, clinician: Clinician, referral_id: int, message_id: str, text: str | None
    ) -> bool:
        """Pass a clinician's message to the patient; say in the thread how it went."""
        t = self.text
        referral = await asyncio.to_thread(self.store.referral_by_id, referral_id)
        if referral is None:
            return False
        label = self.patient_label(referral.user_id)
        if referral.status not in LIVE:
            await self._note(referral_id, t.relay_closed, message_id)
            return False
        if not text or not text.strip():
            await self._note(referral_id, t.relay_not_text, message_id)
            return False
        user = None
        if referral.user_id is not None:
            user = await asyncio.to_thread(self.store.get_user, referral.user_id)
        if user is None:
            await self._note(referral_id, t.relay_deleted.format(patient=label), message_id)
            return False
        delivered: str | None = None
        try:
            delivered = await self.coach.delivery.send(
                user, Send(_fill(t.to_patient, text), important=True)
            )
        except DeliveryFailed:
            delivered = None
        now = self.clock.now()
        if delivered is None:
            log.warning("referral #%s: a clinician's message could not reach user %s",
                        referral_id, user.id)  # fmt: skip
            await asyncio.to_thread(
                self.store.record_referral_event,
                referral_id,
                actor=clinician.actor,
                note="a clinician's message could not be delivered to the patient",
                now=now,
            )
            await self._note(referral_id, t.relay_failed.format(patient=label), message_id)
            return False
        self.coach.metrics.inc("coach_messages_sent_total", kind="message")
        await asyncio.to_thread(
            self.store.add_clinic_message,
            referral_id,
            str(self.chat_id),
            message_id,
            "clinician",
            now,
            actor=clinician.actor,
            note="a clinician's message was passed on to the patient",
        )
        log.info("referral #%s: clinician %s wrote to user %s", referral_id, clinician.id, user.id)
        await self._note(referral_id, t.relayed.format(patient=label), message_id)
        return True

    async def patient_wrote(self, user: User, text: str) -> bool:
        """Copy a patient's typed message into their live thread, if a clinician wrote to them.

        Called after the core handled the message, so this is only ever in addition to the
        coaching. A failure is logged and never reaches the patient's turn.
        """
        if user.id is None or not text.strip():
            return False
        try:
            referral = await asyncio.to_thread(
                self.store.relayed_referral, user.id, LIVE, "clinician"
            )
            if referral is None or referral.id is None:
                return False
            written = await asyncio.to_thread(
                self.store.clinic_messages, referral.id, ("clinician",)
            )
            body = _fill(self.text.from_patient, text, patient=self.patient_label(user.id))
            message_id = await self._send(body, reply_to=written[-1].message_id)
            now = self.clock.now()
            if message_id is None:
                log.warning("referral #%s: user %s's message did not reach the clinician chat",
                            referral.id, user.id)  # fmt: skip
                await asyncio.to_thread(
                    self.store.record_referral_event,
                    referral.id,
                    actor="patient",
                    note="the patient's message could not be passed to the clinician chat",
                    now=now,
                )
                return False
            await asyncio.to_thread(
                self.store.add_clinic_message,
                referral.id,
                str(self.chat_id),
                message_id,
                "patient",
                now,
                actor="patient",
                note="the patient's message was passed on to the clinician chat",
            )
            log.info("referral #%s: user %s's message passed to the clinician chat",
                     referral.id, user.id)  # fmt: skip
            return True
        except Exception:
            log.exception("user %s: passing their message to the clinician chat failed", user.id)
            return False


def _parse(data: str) -> tuple[str | None, int]:
    """``clinic:<action>:<referral id>``, or (None, 0) for anything else."""
    prefix, _, rest = data.partition(":")
    action, _, number = rest.partition(":")
    if prefix != CALLBACK_PREFIX or action not in ACTIONS or not number.isdigit():
        return None, 0
    return action, int(number)


def _fit(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _fill(template: str, text: str, **values: object) -> str:
    """Fill ``{text}`` with someone's message, cut so that the whole fits one message."""
    room = MAX_TEXT - len(template.format(text="", **values))
    if len(text) > room:
        text = text[: max(0, room - 1)] + "…"
    return template.format(text=text, **values)
