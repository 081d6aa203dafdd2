"""A fake Telegram Bot API server for end-to-end tests.

Why: end-to-end tests should drive the real python-telegram-bot stack (HTTP, retries, polling,
webhooks) without the network, and should fail when the bot sends something the real Telegram
would reject. So this is a real aiohttp server on 127.0.0.1 that speaks the Bot API wire format,
checks every request against ``api.json`` (see :mod:`.api_spec`), keeps per-chat message history,
lets a test play the user, and can inject the failures Telegram produces in production.

Usage::

    async with FakeBotApi() as api:
        bot = telegram.Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
        ann = api.user(42)
        await ann.send("/start")
        reply = await api.wait_for_message(42, contains="Welcome")
        assert_no_violations(api)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import socket
import struct
import time
import traceback
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

import aiohttp
from aiohttp import web

from .api_spec import BotApiSpec, UploadedFile, parse_entities

__all__ = [
    "DEFAULT_TOKEN",
    "NOT_MODIFIED",
    "Call",
    "FakeBotApi",
    "FakeUser",
    "SentMessage",
    "Violation",
    "WaitTimeout",
    "assert_no_violations",
    "fake_bot_api",
]

T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST-token"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
# Only these count toward the flood limits of this fake; edits, chat actions and callback
# answers are limited far more loosely by Telegram and are not modelled.
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_BLOCKABLE_PREFIXES = ("send", "edit", "copy", "forward")
_POLL_STEP = 0.05

Outcome = Literal["pending", "ok", "error", "rate_limited", "dropped"]


@dataclass
class Call:
    """One request the bot made, with its decoded parameters and how it was answered.

    ``time`` is ``time.monotonic()`` at arrival. ``outcome`` is "ok", "error" (any error
    answer, injected or not), "rate_limited" (429 from ``enforce_limits``), "dropped" (connection
    closed on purpose) or "pending" while the answer is still being prepared.
    """

    method: str
    params: dict[str, Any]
    time: float
    status: int | None = None
    outcome: Outcome = "pending"
    description: str | None = None
    injected: str | None = None
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


@dataclass(frozen=True)
class Violation:
    """A request that departs from the Bot API spec; ``rejected`` if it was answered with 400."""

    method: str
    message: str
    rejected: bool = True

    def __str__(self) -> str:
        suffix = "" if self.rejected else " (Telegram would silently ignore this)"
        return f"{self.method}: {self.message}{suffix}"


@dataclass
class SentMessage:
    """A message the bot sent, as it looks now (edits applied; earlier versions in ``history``).

    ``text`` and ``caption`` are what the user sees (markup of ``parse_mode`` removed);
    ``raw_text`` is what the bot sent. ``data`` holds uploaded photo/document bytes.
    """

    chat_id: int
    message_id: int
    kind: Literal["text", "photo", "document", "other"]
    date: int
    text: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    caption: str | None = None
    reply_markup: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    file_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None
    data: bytes | None = field(default=None, repr=False)
    edit_count: int = 0
    edit_date: int | None = None
    deleted: bool = False
    history: list[tuple[str | None, dict[str, Any] | None]] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def content(self) -> str:
        """Text or caption, whichever the message has."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def document(self) -> bytes | None:
        return self.data if self.kind == "document" else None

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    def buttons(self) -> list[dict[str, Any]]:
        """Inline buttons, row by row, flattened."""
        return [button for row in self.inline_keyboard for button in row]

    def button_texts(self) -> list[str]:
        return [str(button.get("text")) for button in self.buttons()]

    def callback_data(self) -> list[str]:
        return [str(b["callback_data"]) for b in self.buttons() if "callback_data" in b]


class WaitTimeout(AssertionError):
    """A wait helper gave up; the message describes what the fake saw meanwhile."""


class _ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class _Fault:
    kind: Literal["fail", "delay", "drop"]
    remaining: int
    status: int = 0
    description: str = ""
    retry_after: int | None = None
    seconds: float = 0.0


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes | None
    filename: str | None
    mime_type: str | None
    file_path: str


@dataclass
class _Chat:
    id: int
    info: dict[str, Any]
    next_message_id: int = 1
    sent: dict[int, SentMessage] = field(default_factory=dict)
    incoming: dict[int, dict[str, Any]] = field(default_factory=dict)
    blocked: bool = False

    @property
    def type(self) -> str:
        return str(self.info["type"])

    def new_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id


class FakeUser:
    """A person talking to the bot, in a private chat or in a group chat."""

    def __init__(self, api: FakeBotApi, user: dict[str, Any], chat_id: int) -> None:
        self._api = api
        self.info = user
        self.chat_id = chat_id

    @property
    def id(self) -> int:
        return int(self.info["id"])

    @property
    def first_name(self) -> str:
        return str(self.info["first_name"])

    def message_update(
        self, text: str, *, reply_to_message_id: int | None = None
    ) -> dict[str, Any]:
        """Build (without queueing) the update Telegram sends for a text from this user."""
        return self._api._user_message_update(self, text, reply_to_message_id)

    def press_update(self, message_id: int, callback_data: str) -> dict[str, Any]:
        """Build (without queueing) the callback_query update for pressing a bot's button."""
        return self._api._press_update(self, message_id, callback_data)

    async def send(self, text: str, *, reply_to_message_id: int | None = None) -> int:
        """Send ``text`` to the bot; returns the new message's id."""
        update = self.message_update(text, reply_to_message_id=reply_to_message_id)
        self._api.inject_update(update)
        await asyncio.sleep(0)
        return int(update["message"]["message_id"])

    async def press(self, message_id: int, callback_data: str) -> str:
        """Press the inline button carrying ``callback_data``; returns the callback query id."""
        update = self.press_update(message_id, callback_data)
        self._api.inject_update(update)
        await asyncio.sleep(0)
        return str(update["callback_query"]["id"])

    async def press_button(self, text: str, *, message_id: int | None = None) -> str:
        """Press the button labelled ``text`` on the newest message that shows it."""
        for sent in reversed(self._api.chat_messages(self.chat_id)):
            if message_id is not None and sent.message_id != message_id:
                continue
            for button in sent.buttons():
                if button.get("text") == text and "callback_data" in button:
                    return await self.press(sent.message_id, str(button["callback_data"]))
        raise LookupError(f"no message in chat {self.chat_id} shows a callback button {text!r}")

    def messages(self) -> list[SentMessage]:
        return self._api.chat_messages(self.chat_id)

    async def wait_for_message(
        self,
        contains: str | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 -- the documented test-helper signature
        after: int | None = None,
    ) -> SentMessage:
        return await self._api.wait_for_message(
            self.chat_id, contains=contains, timeout=timeout, after=after
        )


class FakeBotApi:
    """A Bot API server on 127.0.0.1 (random free port), for use as an async context manager.

    ``enforce_limits`` turns on Telegram's flood limits: more than ``global_rate`` sends per
    second overall, more than ``private_chat_rate`` per second to one private chat, or more than
    ``group_rate_per_minute`` per minute to one group are answered with 429 and counted in
    ``limit_hits``. Only sendMessage, sendPhoto and sendDocument count as sends.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        enforce_limits: bool = False,
        global_rate: int = 30,
        private_chat_rate: int = 1,
        group_rate_per_minute: int = 20,
        spec: BotApiSpec | None = None,
        bot_first_name: str = "Backstretch Coach",
        bot_username: str = "backstretch_coach_bot",
    ) -> None:
        self._token = token
        self.spec = spec if spec is not None else BotApiSpec.load()
        self.enforce_limits = enforce_limits
        self.global_rate = global_rate
        self.private_chat_rate = private_chat_rate
        self.group_rate_per_minute = group_rate_per_minute
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 123456
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

        self.calls: list[Call] = []
        self.violations: list[Violation] = []
        self.internal_errors: list[str] = []
        self.limit_hits = 0
        self.filtered_updates: list[dict[str, Any]] = []
        self.webhook_posts: list[tuple[dict[str, Any], int]] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.webhook: dict[str, Any] = {}

        self._chats: dict[int, _Chat] = {}
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: list[str] | None = None
        self._update_ids = itertools.count(100_000)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._open_queries: set[str] = set()
        self._files: dict[str, _StoredFile] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._poll_generation = 0
        self._sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = {}
        self._changed = asyncio.Event()
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._port = 0
        self._handlers: dict[str, Callable[[Call], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendChatAction": self._send_chat_action,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "setMyDescription": self._set_text_setting("description", self.descriptions),
            "getMyDescription": self._get_text_setting("description", self.descriptions),
            "setMyShortDescription": self._set_text_setting(
                "short_description", self.short_descriptions
            ),
            "getMyShortDescription": self._get_text_setting(
                "short_description", self.short_descriptions
            ),
            "setMyName": self._set_text_setting("name", self.names),
            "getMyName": self._get_text_setting("name", self.names),
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getFile": self._get_file,
            "getChat": self._get_chat,
        }

    # -- lifecycle --------------------------------------------------------------------------

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        self._session = aiohttp.ClientSession()

    async def stop(self) -> None:
        """Answer pending long polls at once, then shut the server down."""
        self._closing.set()
        self._notify()
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def token(self) -> str:
        return self._token

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """For ``telegram.Bot(base_url=...)``; PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    # -- playing the user -------------------------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str = "en",
        *,
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """A user in a private chat with the bot (the chat id is the user id)."""
        info = self._user_info(user_id, first_name, language_code, last_name, username)
        chat_info: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            chat_info["last_name"] = last_name
        if username:
            chat_info["username"] = username
        self._chat(user_id).info = chat_info
        return FakeUser(self, info, user_id)

    def group_user(
        self,
        user_id: int,
        chat_id: int = -1001,
        first_name: str = "Ann",
        language_code: str = "en",
        *,
        title: str = "Clinicians",
        chat_type: Literal["group", "supergroup"] = "group",
        last_name: str | None = None,
        username: str | None = None,
    ) -> FakeUser:
        """A member of a group chat (negative ``chat_id``) the bot is in."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative")
        info = self._user_info(user_id, first_name, language_code, last_name, username)
        self._chat(chat_id).info = {"id": chat_id, "type": chat_type, "title": title}
        return FakeUser(self, info, chat_id)

    def inject_update(self, update: Mapping[str, Any]) -> int:
        """Queue any update, even a malformed one; returns its update_id."""
        queued = dict(update)
        queued.setdefault("update_id", next(self._update_ids))
        kinds = [key for key in queued if key != "update_id"]
        allowed = self._allowed_updates
        if allowed:
            wanted = not kinds or any(kind in allowed for kind in kinds)
        else:
            wanted = not any(kind in _DEFAULT_EXCLUDED_UPDATES for kind in kinds)
        if wanted:
            self._updates.append(queued)
        else:
            self.filtered_updates.append(queued)
        self._notify()
        return int(queued["update_id"])

    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates queued and not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    def _user_info(
        self,
        user_id: int,
        first_name: str,
        language_code: str,
        last_name: str | None,
        username: str | None,
    ) -> dict[str, Any]:
        info: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            info["last_name"] = last_name
        if username:
            info["username"] = username
        if language_code:
            info["language_code"] = language_code
        return info

    def _user_message_update(
        self, user: FakeUser, text: str, reply_to_message_id: int | None
    ) -> dict[str, Any]:
        chat = self._chat(user.chat_id)
        message: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "from": dict(user.info),
            "chat": dict(chat.info),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        if reply_to_message_id is not None:
            replied = self._message_json_by_id(chat, reply_to_message_id)
            if replied is None:
                raise LookupError(f"no message {reply_to_message_id} in chat {chat.id} to reply to")
            message["reply_to_message"] = replied
        chat.incoming[message["message_id"]] = message
        self._notify()
        return {"update_id": next(self._update_ids), "message": message}

    def _press_update(self, user: FakeUser, message_id: int, callback_data: str) -> dict[str, Any]:
        chat = self._chat(user.chat_id)
        sent = chat.sent.get(message_id)
        if sent is None or sent.deleted:
            raise LookupError(f"the bot has no message {message_id} in chat {chat.id}")
        if callback_data not in sent.callback_data():
            raise LookupError(
                f"message {message_id} has no button with callback_data {callback_data!r}; "
                f"it has {sent.callback_data()}"
            )
        query_id = str(4_000_000_000_000_000 + next(self._query_ids))
        self._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": dict(user.info),
            "message": self._message_json(chat, sent),
            "chat_instance": str(abs(chat.id) * 7919 + self.bot_user["id"]),
            "data": callback_data,
        }
        return {"update_id": next(self._update_ids), "callback_query": query}

    # -- what the bot did -------------------------------------------------------------------

    def chat_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id``, oldest first, with edits applied."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.sent.values() if include_deleted or not m.deleted]

    def incoming_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the fake users sent in ``chat_id`` (as the Message dicts the bot got)."""
        chat = self._chats.get(chat_id)
        return list(chat.incoming.values()) if chat else []

    def calls_to(self, method: str) -> list[Call]:
        """Calls of one method (any spelling), whatever their outcome."""
        canonical = self.spec.canonical_method(method) or method
        return [call for call in self.calls if call.method == canonical]

    def unanswered_callback_queries(self) -> list[str]:
        """Callback queries the bot never answered (the user's button keeps spinning)."""
        return sorted(self._open_queries)

    def take_violations(self) -> list[Violation]:
        """Return and forget the violations so far (for tests that provoke them on purpose)."""
        taken, self.violations = self.violations, []
        return taken

    # -- waiting ----------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[], T | None],
        timeout: float = 5.0,  # noqa: ASYNC109 -- the documented test-helper signature
    ) -> T:
        """Wait until ``predicate()`` is truthy and return its value.

        Re-checked on every change the fake records and at least every 50 ms, so a predicate
        may also look at state outside the fake.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeout(f"condition not met within {timeout}s\n{self.describe()}")
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, _POLL_STEP))

    async def wait_for_message(
        self,
        chat_id: int,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 -- the documented test-helper signature
        *,
        after: int | None = None,
        predicate: Callable[[SentMessage], bool] | None = None,
    ) -> SentMessage:
        """The oldest bot message in ``chat_id`` matching all the given conditions.

        ``after`` skips messages with an id not above it (message ids are per chat and shared
        with the user's messages, so pass the id :meth:`FakeUser.send` returned).
        """

        def find() -> SentMessage | None:
            for sent in self.chat_messages(chat_id):
                if after is not None and sent.message_id <= after:
                    continue
                if contains is not None and contains not in sent.content:
                    continue
                if predicate is not None and not predicate(sent):
                    continue
                return sent
            return None

        try:
            return await self.wait_for(find, timeout)
        except WaitTimeout as error:
            wanted = f"contains={contains!r}" if contains is not None else "any message"
            raise WaitTimeout(f"no bot message in chat {chat_id} with {wanted}; {error}") from None

    async def wait_for_call(
        self,
        method: str,
        timeout: float = 5.0,  # noqa: ASYNC109 -- the documented test-helper signature
        **param_filters: Any,
    ) -> Call:
        """The oldest call of ``method`` whose params match; a filter may be a predicate."""
        canonical = self.spec.canonical_method(method) or method

        def matches(call: Call) -> bool:
            for key, expected in param_filters.items():
                if key not in call.params:
                    return False
                value = call.params[key]
                if callable(expected) and not expected(value):
                    return False
                if not callable(expected) and value != expected:
                    return False
            return True

        def find() -> Call | None:
            return next((c for c in self.calls if c.method == canonical and matches(c)), None)

        try:
            return await self.wait_for(find, timeout)
        except WaitTimeout as error:
            raise WaitTimeout(f"no {canonical} call matching {param_filters}; {error}") from None

    def describe(self, last: int = 15) -> str:
        """A short account of recent calls and chats, for failure messages."""
        lines = [f"last {min(last, len(self.calls))} of {len(self.calls)} calls:"]
        for call in self.calls[-last:]:
            shown = {k: v for k, v in call.params.items() if k != "reply_markup"}
            lines.append(f"  {call.method} {call.outcome} {call.status} {shown}"[:300])
        for chat_id, chat in self._chats.items():
            texts = [m.content[:60] for m in chat.sent.values() if not m.deleted]
            lines.append(f"  chat {chat_id}: {texts[-5:]}")
        if self.violations:
            lines.append(f"violations: {[str(v) for v in self.violations]}")
        return "\n".join(lines)

    # -- fault injection --------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 2,
        count: int = 1,
        description: str | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` with an error, like Telegram does."""
        if status == 429:
            text = description or f"Too Many Requests: retry after {retry_after}"
        else:
            text = description or _DEFAULT_DESCRIPTIONS.get(status, "Bad Request")
        fault = _Fault(
            "fail",
            count,
            status=status,
            description=text,
            retry_after=retry_after if status == 429 else None,
        )
        self._add_fault(method, fault)

    def delay_next(self, method: str, seconds: float, count: int = 1) -> None:
        """Hold the next ``count`` calls of ``method`` for ``seconds`` before handling them.

        The call is still carried out after the delay even when the client gave up, as a slow
        Telegram would: a timed-out send may have been delivered.
        """
        self._add_fault(method, _Fault("delay", count, seconds=seconds))

    def drop_next(self, method: str, count: int = 1) -> None:
        """Close the connection without answering the next ``count`` calls of ``method``."""
        self._add_fault(method, _Fault("drop", count))

    def block(self, chat_id: int) -> None:
        """From now on every send or edit to ``chat_id`` gets 403 (user blocked the bot)."""
        self._chat(chat_id).blocked = True

    def unblock(self, chat_id: int) -> None:
        self._chat(chat_id).blocked = False

    def _add_fault(self, method: str, fault: _Fault) -> None:
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        if fault.remaining < 1:
            raise ValueError("count must be at least 1")
        self._faults.setdefault(canonical, deque()).append(fault)

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    # -- webhooks ---------------------------------------------------------------------------

    async def post_to_webhook(
        self, url: str, update: Mapping[str, Any], secret_token: str | None = None
    ) -> int:
        """POST an update to the bot's webhook like Telegram would; returns the HTTP status."""
        if self._session is None:
            raise RuntimeError("FakeBotApi is not started")
        body = dict(update)
        body.setdefault("update_id", next(self._update_ids))
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        async with self._session.post(
            url, data=json.dumps(body), headers=headers, timeout=aiohttp.ClientTimeout(total=10)
        ) as response:
            await response.read()
            self.webhook_posts.append((body, response.status))
            self._notify()
            return response.status

    # -- HTTP -------------------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        if path.startswith("file/bot"):
            return self._serve_file(path.removeprefix("file/bot"))
        if not path.startswith("bot"):
            return _error_response(404, "Not Found")
        token, _, name = path.removeprefix("bot").partition("/")
        if token != self._token:
            return _error_response(401, "Unauthorized")
        try:
            params = await _read_params(request)
        except ValueError as error:
            return _error_response(400, f"Bad Request: {error}")
        canonical = self.spec.canonical_method(name) if name and "/" not in name else None
        if canonical is None:
            call = Call(name, params, time.monotonic(), violations=["unknown method"])
            self.calls.append(call)
            self.violations.append(Violation(name, "unknown method"))
            return self._finish(call, 404, "Not Found")
        return await self._handle(request, canonical, params)

    async def _handle(
        self, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.StreamResponse:
        attachments = _split_attachments(params)
        result = self.spec.check(method, params)
        result.params.update(attachments)
        call = Call(method, result.params, time.monotonic())
        call.violations = [str(issue) for issue in result.issues]
        self.calls.append(call)
        self.violations.extend(Violation(method, str(i), i.fatal) for i in result.issues)
        self._notify()

        fault = self._take_fault(method)
        if fault is not None:
            call.injected = fault.kind
            if fault.kind == "drop":
                call.outcome = "dropped"
                self._notify()
                if request.transport is not None:
                    request.transport.close()
                return web.Response()
            if fault.kind == "fail":
                return self._finish(call, fault.status, fault.description, fault.retry_after)
            await self._sleep(fault.seconds)
        if result.fatal:
            return self._finish(call, 400, f"Bad Request: {result.fatal[0]}")
        try:
            self._check_blocked(method, call.params)
            handler = self._handlers.get(method, self._generic)
            payload = await handler(call)
        except _ApiError as error:
            return self._finish(call, error.status, error.description, error.retry_after)
        except Exception:
            self.internal_errors.append(f"{method}: {traceback.format_exc()}")
            return self._finish(call, 500, "Internal Server Error")
        call.status, call.outcome = 200, "ok"
        self._notify()
        return web.json_response({"ok": True, "result": payload})

    def _finish(
        self, call: Call, status: int, description: str, retry_after: int | None = None
    ) -> web.Response:
        call.status, call.description = status, description
        call.outcome = "rate_limited" if call.outcome == "rate_limited" else "error"
        self._notify()
        return _error_response(status, description, retry_after)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _serve_file(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        if token != self._token:
            return _error_response(401, "Unauthorized")
        for stored in self._files.values():
            if stored.file_path == file_path and stored.data is not None:
                return web.Response(body=stored.data, content_type="application/octet-stream")
        return _error_response(404, "Not Found")

    # -- chats, messages and files ----------------------------------------------------------

    def _chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                info: dict[str, Any] = {
                    "id": chat_id,
                    "type": "private",
                    "first_name": f"User {chat_id}",
                }
            else:
                kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
                info = {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}
            chat = self._chats[chat_id] = _Chat(chat_id, info)
        return chat

    def _target_chat(self, params: Mapping[str, Any]) -> _Chat:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise _ApiError(400, "Bad Request: chat not found")
        return self._chat(chat_id)

    def _check_blocked(self, method: str, params: Mapping[str, Any]) -> None:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or not method.startswith(_BLOCKABLE_PREFIXES):
            return
        chat = self._chats.get(chat_id)
        if chat is not None and chat.blocked:
            if chat.type == "private":
                raise _ApiError(403, "Forbidden: bot was blocked by the user")
            raise _ApiError(403, "Forbidden: bot was kicked from the group chat")

    def _rate_gate(self, chat: _Chat, call: Call) -> None:
        """With ``enforce_limits``, answer 429 to a send over a flood limit; else book it."""
        if not self.enforce_limits:
            return
        now = time.monotonic()
        while self._sends and now - self._sends[0] >= 1.0:
            self._sends.popleft()
        window, allowed = (1.0, self.private_chat_rate)
        if chat.type != "private":
            window, allowed = (60.0, self.group_rate_per_minute)
        per_chat = self._chat_sends.setdefault(chat.id, deque())
        while per_chat and now - per_chat[0] >= window:
            per_chat.popleft()
        retry: float | None = None
        if len(self._sends) >= self.global_rate:
            retry = self._sends[-self.global_rate] + 1.0 - now
        if len(per_chat) >= allowed:
            retry = max(retry or 0.0, per_chat[-allowed] + window - now)
        if retry is not None:
            self.limit_hits += 1
            call.outcome = "rate_limited"
            seconds = max(1, math.ceil(retry))
            raise _ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)
        self._sends.append(now)
        per_chat.append(now)

    def _reply_to(self, chat: _Chat, params: Mapping[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if not isinstance(reply, dict):
            return None
        message_id = reply.get("message_id")
        if isinstance(message_id, int) and self._message_json_by_id(chat, message_id):
            return message_id
        if reply.get("allow_sending_without_reply"):
            return None
        raise _ApiError(400, "Bad Request: message to be replied not found")

    def _message_json_by_id(self, chat: _Chat, message_id: int) -> dict[str, Any] | None:
        if message_id in chat.incoming:
            return chat.incoming[message_id]
        sent = chat.sent.get(message_id)
        if sent is None or sent.deleted:
            return None
        return self._message_json(chat, sent, nested=False)

    def _message_json(
        self, chat: _Chat, sent: SentMessage, *, nested: bool = True
    ) -> dict[str, Any]:
        """The Message object Telegram returns for a bot message, as it is now."""
        message: dict[str, Any] = {
            "message_id": sent.message_id,
            "from": dict(self.bot_user),
            "chat": dict(chat.info),
            "date": sent.date,
        }
        if sent.edit_date is not None:
            message["edit_date"] = sent.edit_date
        if sent.kind == "text":
            message["text"] = sent.text
        elif sent.kind == "photo" and sent.file_id:
            message["photo"] = self._photo_sizes(self._files[sent.file_id])
        elif sent.kind == "document" and sent.file_id:
            message["document"] = self._document_json(self._files[sent.file_id])
        if sent.caption:
            message["caption"] = sent.caption
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            message["reply_markup"] = sent.reply_markup
        if nested and sent.reply_to_message_id is not None:
            replied = self._message_json_by_id(chat, sent.reply_to_message_id)
            if replied is not None:
                message["reply_to_message"] = replied
        return message

    def _store_file(self, value: Any, params: Mapping[str, Any], folder: str) -> _StoredFile:
        """Keep an upload (or resolve a file_id / URL) the way Telegram's file storage would."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, str):
            if value in self._files:
                return self._files[value]
            if not value.startswith(("http://", "https://")):
                raise _ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            upload = UploadedFile("url", value.rsplit("/", 1)[-1] or None, None, b"")
            return self._new_file(upload, folder, from_url=True)
        if isinstance(value, UploadedFile):
            return self._new_file(value, folder)
        raise _ApiError(400, "Bad Request: there is no file in the request")

    def _new_file(
        self, upload: UploadedFile, folder: str, *, from_url: bool = False
    ) -> _StoredFile:
        number = next(self._file_ids)
        name = upload.filename or f"file_{number}"
        stored = _StoredFile(
            file_id=f"fake-{folder}-{number:06d}",
            file_unique_id=f"uniq{number:06d}",
            data=None if from_url else upload.data,
            filename=name,
            mime_type=upload.content_type,
            file_path=f"{folder}/file_{number}{_safe_suffix(name)}",
        )
        self._files[stored.file_id] = stored
        return stored

    def _photo_sizes(self, stored: _StoredFile) -> list[dict[str, Any]]:
        width, height = _image_size(stored.data or b"")
        scale = min(1.0, 90 / max(width, height))
        sizes = [
            (f"{stored.file_id}-thumb", int(width * scale) or 1, int(height * scale) or 1),
            (stored.file_id, width, height),
        ]
        return [
            {
                "file_id": file_id,
                "file_unique_id": f"{stored.file_unique_id}{index}",
                "width": w,
                "height": h,
                "file_size": len(stored.data or b""),
            }
            for index, (file_id, w, h) in enumerate(sizes)
        ]

    def _document_json(self, stored: _StoredFile) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data or b""),
        }
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.mime_type:
            document["mime_type"] = stored.mime_type
        return document

    def _new_sent(
        self, chat: _Chat, call: Call, kind: Literal["text", "photo", "document", "other"]
    ) -> SentMessage:
        params = call.params
        reply_to = self._reply_to(chat, params)
        self._rate_gate(chat, call)
        markup = params.get("reply_markup")
        sent = SentMessage(
            chat_id=chat.id,
            message_id=chat.new_message_id(),
            kind=kind,
            date=int(time.time()),
            parse_mode=params.get("parse_mode"),
            reply_markup=markup if isinstance(markup, dict) else None,
            reply_to_message_id=reply_to,
            params=params,
        )
        chat.sent[sent.message_id] = sent
        return sent

    # -- method handlers --------------------------------------------------------------------

    async def _generic(self, call: Call) -> Any:
        """Other documented methods: ``True``, or a bare Message where one is promised."""
        returns = self.spec.methods[call.method].get("returns", [])
        if returns == ["Message"] and isinstance(call.params.get("chat_id"), int):
            chat = self._target_chat(call.params)
            return self._message_json(chat, self._new_sent(chat, call, "other"))
        return True

    async def _get_me(self, call: Call) -> Any:
        return dict(self.bot_user)

    async def _get_updates(self, call: Call) -> Any:
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        params = call.params
        offset = params.get("offset")
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(int(params.get("timeout", 0)), 0)
        if "allowed_updates" in params:
            self._allowed_updates = list(params["allowed_updates"])
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self._updates and not self._closing.is_set():
            if generation != self._poll_generation:
                raise _ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)
        return self._updates[:limit]

    async def _send_message(self, call: Call) -> Any:
        chat = self._target_chat(call.params)
        text = str(call.params["text"])
        sent = self._new_sent(chat, call, "text")
        sent.raw_text = text
        sent.text = _visible(text, call.params, "entities")
        return self._message_json(chat, sent)

    async def _send_photo(self, call: Call) -> Any:
        return self._send_file(call, "photo", "photos")

    async def _send_document(self, call: Call) -> Any:
        return self._send_file(call, "document", "documents")

    def _send_file(self, call: Call, kind: Literal["photo", "document"], folder: str) -> Any:
        chat = self._target_chat(call.params)
        stored = self._store_file(call.params.get(kind), call.params, folder)
        sent = self._new_sent(chat, call, kind)
        sent.file_id, sent.data = stored.file_id, stored.data
        if kind == "document":  # Telegram keeps no name or type for photos
            sent.filename, sent.mime_type = stored.filename, stored.mime_type
        caption = call.params.get("caption")
        if isinstance(caption, str):
            sent.caption = _visible(caption, call.params, "caption_entities") or None
        return self._message_json(chat, sent)

    def _editable(self, params: Mapping[str, Any]) -> tuple[_Chat, SentMessage]:
        if "chat_id" not in params:
            raise _ApiError(400, "Bad Request: MESSAGE_ID_INVALID")  # inline messages: unmodelled
        chat = self._target_chat(params)
        message_id = params.get("message_id")
        sent = chat.sent.get(message_id) if isinstance(message_id, int) else None
        if sent is None or sent.deleted:
            if isinstance(message_id, int) and message_id in chat.incoming:
                raise _ApiError(400, "Bad Request: message can't be edited")
            raise _ApiError(400, "Bad Request: message to edit not found")
        return chat, sent

    @staticmethod
    def _begin_edit(sent: SentMessage, markup: dict[str, Any] | None) -> None:
        """Keep the current version in ``history``, then count the edit."""
        sent.history.append((sent.content, sent.reply_markup))
        sent.reply_markup = markup
        sent.edit_count += 1
        sent.edit_date = int(time.time())

    async def _edit_message_text(self, call: Call) -> Any:
        chat, sent = self._editable(call.params)
        if sent.kind != "text":
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        raw = str(call.params.get("text", ""))
        visible = _visible(raw, call.params, "entities")
        markup = _inline_markup(call.params.get("reply_markup"))
        if (visible, raw, markup) == (sent.text, sent.raw_text, _inline_markup(sent.reply_markup)):
            raise _ApiError(400, NOT_MODIFIED)
        self._begin_edit(sent, markup)
        sent.text, sent.raw_text, sent.parse_mode = visible, raw, call.params.get("parse_mode")
        return self._message_json(chat, sent)

    async def _edit_message_caption(self, call: Call) -> Any:
        chat, sent = self._editable(call.params)
        if sent.kind not in {"photo", "document"}:
            raise _ApiError(400, "Bad Request: there is no caption in the message to edit")
        raw = call.params.get("caption")
        caption = _visible(str(raw), call.params, "caption_entities") if raw else None
        markup = _inline_markup(call.params.get("reply_markup"))
        if (caption or None, markup) == (sent.caption, _inline_markup(sent.reply_markup)):
            raise _ApiError(400, NOT_MODIFIED)
        self._begin_edit(sent, markup)
        sent.caption = caption or None
        return self._message_json(chat, sent)

    async def _edit_message_reply_markup(self, call: Call) -> Any:
        chat, sent = self._editable(call.params)
        markup = _inline_markup(call.params.get("reply_markup"))
        if markup == _inline_markup(sent.reply_markup):
            raise _ApiError(400, NOT_MODIFIED)
        self._begin_edit(sent, markup)
        return self._message_json(chat, sent)

    async def _delete_message(self, call: Call) -> Any:
        chat = self._target_chat(call.params)
        message_id = call.params["message_id"]
        sent = chat.sent.get(message_id)
        if sent is not None and not sent.deleted:
            sent.deleted = True
        elif message_id in chat.incoming:
            del chat.incoming[message_id]
        else:
            raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _answer_callback_query(self, call: Call) -> Any:
        query_id = str(call.params["callback_query_id"])
        if query_id not in self._open_queries:
            raise _ApiError(400, QUERY_TOO_OLD)
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = dict(call.params)
        return True

    async def _send_chat_action(self, call: Call) -> Any:
        self._target_chat(call.params)
        return True

    @staticmethod
    def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, call: Call) -> Any:
        self.commands[self._commands_key(call.params)] = list(call.params["commands"])
        return True

    async def _get_my_commands(self, call: Call) -> Any:
        return self.commands.get(self._commands_key(call.params), [])

    async def _delete_my_commands(self, call: Call) -> Any:
        self.commands.pop(self._commands_key(call.params), None)
        return True

    def _set_text_setting(
        self, name: str, store: dict[str, str]
    ) -> Callable[[Call], Awaitable[Any]]:
        async def handler(call: Call) -> Any:
            language = str(call.params.get("language_code") or "")
            value = call.params.get(name)
            if value:
                store[language] = str(value)
            else:
                store.pop(language, None)
            return True

        return handler

    def _get_text_setting(
        self, name: str, store: dict[str, str]
    ) -> Callable[[Call], Awaitable[Any]]:
        async def handler(call: Call) -> Any:
            language = str(call.params.get("language_code") or "")
            return {name: store.get(language, store.get("", ""))}

        return handler

    async def _set_webhook(self, call: Call) -> Any:
        url = str(call.params["url"])
        if not url:
            self.webhook = {}
            return True
        if not url.startswith("https://"):
            raise _ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided")
        self.webhook = {k: v for k, v in call.params.items() if not isinstance(v, UploadedFile)}
        if "allowed_updates" in call.params:
            self._allowed_updates = list(call.params["allowed_updates"])
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, call: Call) -> Any:
        self.webhook = {}
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, call: Call) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if "max_connections" in self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
        if self._allowed_updates is not None and self.webhook:
            info["allowed_updates"] = self._allowed_updates
        return info

    async def _get_chat(self, call: Call) -> Any:
        chat = self._target_chat(call.params)
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        return {
            **chat.info,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {name: True for name in (*gifts, "gifts_from_channels")},
        }

    async def _get_file(self, call: Call) -> Any:
        stored = self._files.get(str(call.params["file_id"]))
        if stored is None:
            raise _ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data or b""),
            "file_path": stored.file_path,
        }


def assert_no_violations(api: FakeBotApi) -> None:
    """Fail when the bot sent anything the spec forbids, or the fake itself broke."""
    problems = [str(v) for v in api.violations] + api.internal_errors
    if problems:
        listing = "\n  ".join(problems)
        raise AssertionError(f"{len(problems)} Bot API violation(s):\n  {listing}")


@contextlib.asynccontextmanager
async def fake_bot_api(
    *, check_violations: bool = True, **kwargs: Any
) -> AsyncIterator[FakeBotApi]:
    """A started :class:`FakeBotApi`; on a clean exit, fail if any violation was recorded."""
    async with FakeBotApi(**kwargs) as api:
        yield api
        if check_violations:
            assert_no_violations(api)


def _error_response(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Parameters from the query string and a form, multipart or JSON body."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise ValueError("can't parse JSON body") from error
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(key, value.filename, value.content_type, value.file.read())
        elif isinstance(value, bytes | bytearray):
            params[key] = UploadedFile(key, None, None, bytes(value))
        else:
            params[key] = value
    return params


def _split_attachments(params: dict[str, Any]) -> dict[str, Any]:
    """Remove file parts that a parameter references as ``attach://name``; they are not params."""
    referenced = {
        name for value in params.values() if isinstance(value, str) for name in _attach_names(value)
    }
    files = {name for name in referenced if isinstance(params.get(name), UploadedFile)}
    return {name: params.pop(name) for name in files}


def _attach_names(text: str) -> list[str]:
    names = []
    for chunk in text.split("attach://")[1:]:
        name = "".join(itertools.takewhile(lambda c: c.isalnum() or c in "_-", chunk))
        if name:
            names.append(name)
    return names


def _visible(text: str, params: Mapping[str, Any], entities_key: str) -> str:
    """Text as the user sees it: the markup of ``parse_mode`` removed."""
    mode = params.get("parse_mode")
    if mode is None or entities_key in params:
        return text
    plain, error = parse_entities(text, str(mode))
    return text if error else plain


def _inline_markup(markup: object) -> dict[str, Any] | None:
    """Only inline keyboards stay attached to a message; Telegram drops the rest."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return markup
    return None


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG or JPEG, or a plausible default."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return max(int(width), 1), max(int(height), 1)
    if data.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                break
            marker = data[index + 1]
            length = int.from_bytes(data[index + 2 : index + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return max(int(width), 1), max(int(height), 1)
            index += 2 + length
    return 800, 600


def _safe_suffix(filename: str) -> str:
    """The file extension, if it is plain enough to sit in a URL path."""
    _, dot, extension = filename.rpartition(".")
    return f".{extension}" if dot and extension.isalnum() and len(extension) <= 8 else ""
