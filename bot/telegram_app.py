"""The Telegram transport and its composition root.

Translation only: an update becomes an event for :meth:`bot.runtime.Coach.handle`, and the
core's ``Send``/``Edit``/``AnswerButton`` become Bot API calls through :class:`bot.outbox.Outbox`
(the one outbound path, with flood control). Nothing here decides what the coach says.

- Polling by default; a webhook when ``COACH_WEBHOOK_URL`` is set. python-telegram-bot answers a
  webhook request whose ``X-Telegram-Bot-Api-Secret-Token`` is missing or wrong with 403 itself
  (``telegram/ext/_utils/webhookhandler.py``, ``TelegramHandler._validate_post``); we always
  give it a secret (a random one when none is configured).
- Updates of different users run concurrently; one user's updates are handled one after
  another, in the order they arrived (the ``Coach`` lock serialises the turn itself).
- Private chats for patients. Group chats are dropped, except the clinician chat
  (``COACH_CLINICIAN_CHAT_ID``), whose messages and presses go to :class:`bot.clinic.ClinicDesk`.
  A patient's typed message is also offered to the desk, after the core handled it, so that
  it reaches a clinician who wrote to them.
- The durable timer dispatcher ticks every second on the application's ``JobQueue``.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import secrets
import weakref
import zoneinfo
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import (
    BotCommand,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram import User as TelegramUser
from telegram.constants import ChatType
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    MessageHandler,
    filters,
)

from bot.clinic import ClinicDesk
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.metrics import Metrics
from bot.outbox import Delivered, DeliveryFailed, Limits, Outbox, Outcome, RetryPolicy
from bot.runtime import Coach
from bot.store import SchemaBehind, Store
from bot.tables import User
from bot.timers import Dispatcher, default_worker_id
from content.loader import DEFAULT_LOCALE, Content, load_all
from dialogs.actions import MAX_BUTTON_DATA_BYTES, MAX_TEXT, Edit, Keyboard, Send
from dialogs.events import ButtonPressed, CommandIssued, Event, TextReceived

__all__ = [
    "ALLOWED_UPDATES",
    "TIMER_JOB",
    "CoachApplication",
    "TelegramCoach",
    "TelegramDelivery",
    "build_application",
    "keyboard_markup",
    "run_telegram",
    "split_text",
    "to_event",
    "webhook_options",
]

log = logging.getLogger(__name__)

TRANSPORT = "telegram"
TIMER_JOB = "coach-timers"
#: Edited messages arrive so that they can be ignored on purpose rather than by accident.
ALLOWED_UPDATES: tuple[str, ...] = ("message", "edited_message", "callback_query")
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+(.*))?$", re.DOTALL)
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_ANSWERED_KEPT = 4096
MAX_CAPTION = 1024
#: A user's updates beyond this many waiting their turn are dropped (and presses answered).
MAX_WAITING_PER_USER = 20

Context = CallbackContext[Any, Any, Any, Any]


# --- translation: update -> event, action -> Bot API parameters --------------------------------


def to_event(message: Message) -> Event | None:
    """The event a private-chat message stands for; None for messages with nothing to read."""
    text = message.text
    if text is not None:
        match = _COMMAND.match(text.strip())
        if match is not None:
            name, args = match.group(1).lower(), (match.group(2) or "").strip()
            first_name = message.from_user.first_name if message.from_user else ""
            return CommandIssued(name, args, display_name=first_name)
        return TextReceived(text)
    if message.caption:
        return TextReceived(message.caption)
    if message.effective_attachment is not None:
        # A sticker, photo, voice note...: nothing we can read; the core answers empty text.
        return TextReceived("")
    return None  # service messages and the like


def keyboard_markup(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = []
    for row in buttons:
        for button in row:
            size = len(button.data.encode("utf-8"))
            if not 1 <= size <= MAX_BUTTON_DATA_BYTES:
                raise ValueError(f"callback_data must be 1-64 bytes, got {size}")
        rows.append([InlineKeyboardButton(b.label, callback_data=b.data) for b in row])
    return InlineKeyboardMarkup(rows)


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split a text longer than Telegram allows, preferring paragraph, then line, then word
    boundaries."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = rest.rfind(separator, 0, limit + 1)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        head = rest[:cut].rstrip()
        rest = rest[cut:].lstrip()
        if head:
            chunks.append(head)
    if rest.strip() or not chunks:
        chunks.append(rest)
    return chunks


def _raise_if_transient(result: Delivered[Any]) -> None:
    """The runtime keeps a durable message for another try when sending raises."""
    if result.outcome is Outcome.GAVE_UP:
        raise DeliveryFailed("Telegram could not be reached")


def _fit_edit(text: str) -> str:
    """An edit can't be split: keep it within the limit."""
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


# --- delivery: the core's messages as Bot API calls --------------------------------------------


class TelegramDelivery:
    """``bot.runtime.Delivery`` for Telegram, over the outbox."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self._answered: OrderedDict[str, None] = OrderedDict()

    async def send(self, user: User, message: Send) -> str | None:
        chat_id = int(user.chat_id)
        chunks = split_text(message.text)
        markup = keyboard_markup(message.buttons)
        message_id: str | None = None
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            result = await self.outbox.send_message(
                chat_id,
                chunk,
                reply_markup=markup if last else None,
                user_id=user.id,
                important=message.important,
            )
            _raise_if_transient(result)
            if not result.ok or result.value is None:
                return None  # blocked or rejected: it can never be delivered
            message_id = str(result.value.message_id)
        return message_id

    async def edit(self, user: User, message_id: str, edit: Edit) -> None:
        if not message_id.isdigit():
            log.warning("user %s: message ref %r is not a Telegram message id", user.id, edit.ref)
            return
        await self.outbox.edit_message_text(
            int(user.chat_id),
            int(message_id),
            _fit_edit(edit.text),
            reply_markup=keyboard_markup(edit.buttons),
            user_id=user.id,
        )

    async def send_photo(self, user: User, png: bytes, caption: str) -> None:
        chat_id = int(user.chat_id)

        def send(fits: str | None) -> Awaitable[Delivered[Message]]:
            return self.outbox.send_photo(chat_id, png, filename="progress.png", caption=fits,
                                          user_id=user.id)  # fmt: skip

        await self._with_caption(user, caption, send)

    async def send_document(self, user: User, filename: str, data: bytes, caption: str) -> None:
        chat_id = int(user.chat_id)

        def send(fits: str | None) -> Awaitable[Delivered[Message]]:
            return self.outbox.send_document(chat_id, data, filename=filename, caption=fits,
                                             user_id=user.id)  # fmt: skip

        await self._with_caption(user, caption, send)

    async def _with_caption(
        self,
        user: User,
        caption: str,
        send: Callable[[str | None], Awaitable[Delivered[Message]]],
    ) -> None:
        """A caption over Telegram's 1024 characters follows the file as its own message."""
        if len(caption) <= MAX_CAPTION:
            _raise_if_transient(await send(caption or None))
            return
        _raise_if_transient(await send(None))
        for chunk in split_text(caption):
            _raise_if_transient(
                await self.outbox.send_message(int(user.chat_id), chunk, user_id=user.id)
            )

    async def answer(self, user: User, callback_id: str, notice: str) -> None:
        self._remember_answer(callback_id)
        await self.outbox.answer_callback_query(callback_id, notice or None)

    def was_answered(self, callback_id: str) -> bool:
        return callback_id in self._answered

    def _remember_answer(self, callback_id: str) -> None:
        self._answered[callback_id] = None
        while len(self._answered) > _ANSWERED_KEPT:
            self._answered.popitem(last=False)


# --- the transport ---------------------------------------------------------------------------


class _Turnstile:
    """One user's updates, one at a time in arrival order. Entered before the handler's
    first await, and ``asyncio.Lock`` wakes its waiters first come, first served."""

    __slots__ = ("__weakref__", "lock", "waiting")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.waiting = 0

    async def __aenter__(self) -> None:
        self.waiting += 1
        try:
            await self.lock.acquire()
        except BaseException:
            self.waiting -= 1
            raise

    async def __aexit__(self, *exc_info: object) -> None:
        self.waiting -= 1
        self.lock.release()


@dataclass
class TelegramCoach:
    """Everything the Telegram transport wires together (one per application)."""

    settings: Settings
    store: Store
    contents: Mapping[str, Content]
    clock: Clock
    outbox: Outbox
    delivery: TelegramDelivery
    coach: Coach
    dispatcher: Dispatcher
    tick_seconds: float | None = 1.0
    clinic: ClinicDesk | None = None

    def __post_init__(self) -> None:
        self._turnstiles: weakref.WeakValueDictionary[int, _Turnstile] = (
            weakref.WeakValueDictionary()
        )

    # --- updates ------------------------------------------------------------------------

    async def on_message(self, update: Update, context: Context) -> None:
        message = update.message
        if message is None:
            if update.edited_message is not None:
                log.debug("update %s: edited message ignored", update.update_id)
            return
        sender = message.from_user
        if sender is None or sender.is_bot:
            return
        clinic = self._clinic_for(message.chat)
        if clinic is not None:
            turnstile = self._admit(sender.id, update, "message")
            if turnstile is None:
                return
            async with turnstile:
                await clinic.on_message(message)
            return
        if not self._private(message.chat, update):
            return
        event = to_event(message)
        if event is None:
            log.debug("update %s: message with nothing to read ignored", update.update_id)
            return
        turnstile = self._admit(sender.id, update, "message")
        if turnstile is None:
            return
        async with turnstile:
            user = await self._user(sender, message.chat.id)
            await self.coach.handle(user, event)
            if self.clinic is not None and isinstance(event, TextReceived):
                await self.clinic.patient_wrote(user, event.text)

    async def on_button(self, update: Update, context: Context) -> None:
        query = update.callback_query
        if query is None:
            return
        chat = query.message.chat if query.message is not None else None
        clinic = self._clinic_for(chat)
        if clinic is not None:
            clinic_turnstile = self._admit(query.from_user.id, update, "press")
            if clinic_turnstile is None:
                await self.outbox.answer_callback_query(query.id)
                return
            async with clinic_turnstile:
                await clinic.on_button(query)
            return
        if query.data is None or (  # a private chat's buttons are its owner's alone
            chat is not None and (not self._private(chat, update) or chat.id != query.from_user.id)
        ):
            await self.outbox.answer_callback_query(query.id)
            return
        chat_id = chat.id if chat is not None else query.from_user.id
        turnstile = self._admit(query.from_user.id, update, "press")
        if turnstile is None:
            await self.outbox.answer_callback_query(query.id)
            return
        async with turnstile:
            user = await self._user(query.from_user, chat_id)
            await self.coach.handle(user, ButtonPressed(query.data), callback_id=query.id)

    async def on_error(self, update: object, context: Context) -> None:
        """Log with context (never the message text) and tell the user; keep running."""
        error = context.error
        if not isinstance(update, Update):
            log.error("error outside an update: %s", type(error).__name__, exc_info=error)
            return
        sender = update.effective_user
        unreachable = isinstance(error, DeliveryFailed)
        log.log(
            logging.WARNING if unreachable else logging.ERROR,
            "update %s from user %s failed: %s",
            update.update_id,
            sender.id if sender else "-",
            type(error).__name__,
            exc_info=None if unreachable else error,
        )
        chat = update.effective_chat
        if sender is None or chat is None or chat.type != ChatType.PRIVATE:
            return
        try:
            query = update.callback_query
            if query is not None and not self.delivery.was_answered(query.id):
                await self.outbox.answer_callback_query(query.id)
            if unreachable:
                return  # Telegram is not answering; a durable message is sent again later
            content = self.coach.content_for(sender.language_code)
            await self.outbox.send_message(chat.id, content.messages.common.something_wrong)
        except Exception:
            log.exception("update %s: telling the user about the error failed", update.update_id)

    def _private(self, chat: Chat, update: Update) -> bool:
        if chat.type == ChatType.PRIVATE:
            return True
        log.debug("update %s from group chat %s dropped", update.update_id, chat.id)
        return False

    def _clinic_for(self, chat: Chat | None) -> ClinicDesk | None:
        """The desk, when the update comes from the clinician chat."""
        if chat is None or chat.type == ChatType.PRIVATE or self.clinic is None:
            return None
        return self.clinic if self.clinic.is_clinic_chat(chat.id) else None

    def _admit(self, telegram_user_id: int, update: Update, what: str) -> _Turnstile | None:
        """This user's turnstile, or None (logged) when too many of their updates already wait:
        one user's flood must not take every concurrent-update slot from everybody else."""
        turnstile = self._turnstiles.get(telegram_user_id)
        if turnstile is None:
            turnstile = _Turnstile()
            self._turnstiles[telegram_user_id] = turnstile
        if turnstile.waiting < MAX_WAITING_PER_USER:
            return turnstile
        log.warning("update %s: user %s is flooding; %s dropped", update.update_id,
                    telegram_user_id, what)  # fmt: skip
        return None

    async def _user(self, sender: TelegramUser, chat_id: int) -> User:
        user = await asyncio.to_thread(
            self.store.get_or_create_user,
            TRANSPORT,
            str(sender.id),
            str(chat_id),
            sender.language_code or DEFAULT_LOCALE,
            self.clock.now(),
        )
        assert user.id is not None
        if not user.active:
            # They reached us (after a /start, usually), so they have unblocked the bot.
            log.info("user %s is back; marking them active", user.id)
            await asyncio.to_thread(self.store.set_active, user.id, True)
            user.active = True
        self.outbox.allow(int(user.chat_id))
        return user

    async def mark_inactive(self, chat_id: int, user_id: int | None) -> None:
        """The outbox's ``Forbidden`` hook: the user blocked the bot or is gone."""
        if user_id is not None:
            await asyncio.to_thread(self.store.set_active, user_id, False)

    # --- lifecycle ----------------------------------------------------------------------

    async def post_init(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if gc.get_freeze_count() == 0:
            # Once per process: what start-up built lives as long as the process, so the
            # collector need not walk it again. A full collection during a fan-out otherwise
            # stops everything for about 0.1 s every 40 s.
            gc.collect()
            gc.freeze()
        await self.announce()
        self.coach.metrics.on_scrape(self._api_errors)
        if self.settings.http_listen:
            # aiohttp is imported only when the listener is wanted: it is slow to import.
            from bot.health import health_app, serve

            app = health_app(self.store, self.dispatcher, self.coach.metrics, self.clock)
            self._health = await serve(app, self.settings.http_listen)
            log.info("health and metrics on http://%s", self.settings.http_listen)
        if self.tick_seconds:
            job_queue = application.job_queue
            if job_queue is None:
                raise RuntimeError("python-telegram-bot[job-queue] is needed for the timers")
            job_queue.run_repeating(
                self._tick,
                interval=self.tick_seconds,
                first=self.tick_seconds,
                name=TIMER_JOB,
                job_kwargs={"max_instances": 2, "coalesce": True},
            )

    async def post_stop(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if application.job_queue is not None:
            for job in application.job_queue.get_jobs_by_name(TIMER_JOB):
                job.schedule_removal()
        if self.clinic is not None:
            await self.clinic.drain()

    def _api_errors(self, metrics: Metrics) -> None:
        for code, count in self.outbox.stats.errors.items():
            metrics.set("coach_bot_api_errors_total", count, code=code)

    async def post_shutdown(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        health = getattr(self, "_health", None)
        if health is not None:
            await health.cleanup()
        released = await self.dispatcher.release()
        if released:
            log.info("released %d timer leases", released)

    async def _tick(self, context: Context) -> None:
        await self.tick()

    async def tick(self) -> int:
        """One beat: fire due timers, then post due referrals to the clinician chat."""
        fired = await self.dispatcher.tick()
        if self.clinic is not None:
            await self.clinic.tick()
        return fired

    async def announce(self) -> None:
        """The command menu and the descriptions, per locale (English is the default)."""
        bot = self.outbox.bot
        for locale, content in self.contents.items():
            language = None if locale == DEFAULT_LOCALE else locale
            text = content.messages.telegram
            commands = [
                BotCommand(name, about) for name, about in text.commands.model_dump().items()
            ]
            await self.outbox.submit(
                "setMyCommands",
                bot.set_my_commands,
                {"commands": commands, "language_code": language},
                limited=False,
                max_retry_after=30.0,
            )
            await self._set_if_changed("description", text.description, language)
            await self._set_if_changed("short_description", text.short_description, language)

    async def _set_if_changed(self, field: str, wanted: str, language: str | None) -> None:
        """Telegram limits these calls tightly, so a restart doesn't repeat an unchanged one."""
        bot = self.outbox.bot
        getter = getattr(bot, f"get_my_{field}")
        current = await self.outbox.submit(
            f"getMy{_camel(field)}",
            getter,
            {"language_code": language},
            limited=False,
            max_retry_after=30.0,
        )
        if current.ok and getattr(current.value, field, None) == wanted:
            return
        setter = getattr(bot, f"set_my_{field}")
        await self.outbox.submit(
            f"setMy{_camel(field)}",
            setter,
            {field: wanted, "language_code": language},
            limited=False,
            max_retry_after=30.0,
        )


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


class CoachApplication(Application[Any, Any, Any, Any, Any, Any]):
    """A PTB ``Application`` that knows its coach (typed, instead of a ``bot_data`` key)."""

    __slots__ = ("coach",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.coach: TelegramCoach | None = None


# --- composition root -------------------------------------------------------------------------


def build_application(
    settings: Settings,
    store: Store,
    contents: Mapping[str, Content],
    clock: Clock,
    *,
    worker_id: str | None = None,
    limits: Limits | None = None,
    retry: RetryPolicy | None = None,
    tick_seconds: float | None = 1.0,
    request_timeout: float | None = None,
) -> CoachApplication:
    """Wire the coach to Telegram. ``application.coach`` holds the parts (for tests, tools).

    ``limits`` defaults to Telegram's (global rate from ``settings.global_rate``);
    ``tick_seconds=None`` leaves the dispatcher to be ticked by hand (tests);
    ``request_timeout`` sets the connect/read/write timeouts of Bot API calls.
    """
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .application_class(CoachApplication)
        .token(settings.telegram_bot_token.get_secret_value())
        .concurrent_updates(True)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url
        builder = builder.base_url(base)
        if base.endswith("/bot"):
            builder = builder.base_file_url(base.removesuffix("/bot") + "/file/bot")
    if request_timeout is not None:
        builder = (
            builder.connect_timeout(request_timeout)
            .read_timeout(request_timeout)
            .write_timeout(request_timeout)
            .pool_timeout(request_timeout)
        )
    application = builder.build()
    assert isinstance(application, CoachApplication)

    outbox = Outbox(
        application.bot, limits=limits or Limits(global_rate=settings.global_rate), retry=retry
    )
    delivery = TelegramDelivery(outbox)
    metrics = Metrics()
    worker_id = worker_id or default_worker_id()
    clinic = ClinicDesk.from_settings(settings, store, contents, clock, outbox, worker_id)
    coach = Coach(store, contents, clock, delivery, referrals=clinic, metrics=metrics)
    if clinic is not None:
        clinic.attach(coach)
    dispatcher = Dispatcher(store, coach, clock, worker_id=worker_id)
    parts = TelegramCoach(
        settings=settings,
        store=store,
        contents=contents,
        clock=clock,
        outbox=outbox,
        delivery=delivery,
        coach=coach,
        dispatcher=dispatcher,
        tick_seconds=tick_seconds,
        clinic=clinic,
    )
    outbox.on_forbidden = parts.mark_inactive
    application.coach = parts

    application.add_handler(MessageHandler(filters.UpdateType.MESSAGES, parts.on_message))
    application.add_handler(CallbackQueryHandler(parts.on_button))
    application.add_error_handler(parts.on_error)
    application.post_init = parts.post_init
    application.post_stop = parts.post_stop
    application.post_shutdown = parts.post_shutdown
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for ``run_webhook`` / ``Updater.start_webhook`` from the settings."""
    if not settings.webhook_url:
        raise ValueError("COACH_WEBHOOK_URL is not set")
    host, _, port = settings.webhook_listen.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("COACH_WEBHOOK_LISTEN must look like HOST:PORT, e.g. 0.0.0.0:8443")
    if settings.webhook_secret is not None:
        secret = settings.webhook_secret.get_secret_value()
        if not _SECRET.match(secret):
            raise ValueError("COACH_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ -")
    else:
        secret = secrets.token_urlsafe(32)  # Telegram echoes whatever setWebhook was given
    return {
        "listen": host.strip("[]"),
        "port": int(port),
        "url_path": urlsplit(settings.webhook_url).path.strip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
        "allowed_updates": list(ALLOWED_UPDATES),
        "drop_pending_updates": False,
    }


def run_telegram(settings: Settings) -> int:
    """``coach run``: serve Telegram until stopped (Ctrl-C or SIGTERM)."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the token
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line a second otherwise
    if settings.telegram_bot_token is None:
        log.error("TELEGRAM_BOT_TOKEN is not set")
        return 2
    store = Store(settings.database_url)
    try:
        if settings.auto_migrate and store.is_sqlite:
            store.upgrade()  # one machine, one file: keep it simple
        else:
            store.require_current_schema()  # shared PostgreSQL: migrations are a deliberate step
        contents = load_all(config=settings.coach_config(frozenset(zoneinfo.available_timezones())))
        application = build_application(settings, store, contents, SystemClock())
        if settings.webhook_url:
            options = webhook_options(settings)
            log.info("serving the webhook on %s:%s", options["listen"], options["port"])
            application.run_webhook(**options)
        else:
            log.info("long polling for updates")
            application.run_polling(
                drop_pending_updates=False, allowed_updates=list(ALLOWED_UPDATES)
            )
    except SchemaBehind as exc:
        log.error("%s", exc)
        return 1
    finally:
        store.dispose()
    return 0
