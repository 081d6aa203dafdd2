"""The one outbound path to Telegram: flood control, retries and the answers that end a message.

Every Bot API call that sends or edits a message goes through :class:`Outbox`:

- **Flood control.** Telegram counts the messages that *arrive* in any one second, and a
  message arrives at some moment between our starting the request and its answer coming
  back. So the global limit is kept by a count, not by a clock: a send may start only while
  (sends in flight) + (sends whose answer came back less than a second ago) <
  ``global_rate``. Whatever the network's delays, no second can then hold more than
  ``global_rate`` arrivals (:class:`_Gate` has the argument). Starts are also scheduled
  ``1 / global_rate`` apart, so the first second is not one burst. The price is one round
  trip a second per slot: at 10 ms, 30/s becomes about 29.7/s. At most one message a second
  per private chat and 20 a minute per group chat (chat id < 0), counted the same way, from
  the answer of the previous one. Each chat is a FIFO: one message at a time, in the order
  it was queued, retries included, so a message held back by a 429 is never overtaken by
  the next one. Sends start in the order they came to the gate.
- **Retries.** ``RetryAfter`` (429): wait as long as Telegram says and send the same message
  again, as often as it takes (a message is never dropped for flood control). ``TimedOut``,
  ``NetworkError`` and 5xx: exponential backoff with jitter, a bounded number of attempts, then
  log and give up. A send that timed out may still have been delivered: delivery is at least
  once. (It is counted as answered when we gave up waiting; should Telegram read it later
  still, the worst that follows is one 429, which is retried.)
- **Final answers.** ``Forbidden`` (the user blocked the bot, or the account is gone): call
  ``on_forbidden`` (which marks the user inactive) and drop this and every later message to that
  chat until :meth:`Outbox.allow` is called. ``BadRequest`` "message is not modified" is a
  success. Any other ``BadRequest``: log the method and the parameter *names*, never their
  values (message texts are health data) and never the token, and give up.

Time is injected (``sleep`` and ``monotonic``) so the limiter is tested without real waiting.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import math
import random
import time
import warnings
import weakref
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

NOT_MODIFIED = "message is not modified"
MAX_CALLBACK_ANSWER = 200

Sleep = Callable[[float], Awaitable[Any]]
Monotonic = Callable[[], float]
ForbiddenHook = Callable[[int, int | None], Awaitable[None]]


class DeliveryFailed(RuntimeError):
    """Telegram could not be reached after every attempt: worth trying again later."""


class Outcome(enum.Enum):
    SENT = "sent"
    NOT_MODIFIED = "not_modified"  # an edit that changed nothing: counts as success
    FORBIDDEN = "forbidden"  # blocked by the user / kicked: dropped, user marked inactive
    REJECTED = "rejected"  # any other BadRequest (or 401/404/409): logged, dropped
    GAVE_UP = "gave_up"  # network errors and 5xx past the last attempt


@dataclass(frozen=True)
class Delivered(Generic[T]):
    outcome: Outcome
    value: T | None = None
    attempts: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome in (Outcome.SENT, Outcome.NOT_MODIFIED)


@dataclass(frozen=True)
class Limits:
    """Telegram's flood limits. Bots with paid broadcasts may raise ``global_rate`` to 1000."""

    global_rate: float = 30.0  # messages per second, all chats together
    private_per_second: float = 1.0  # messages per second to one private chat
    group_per_minute: int = 20  # messages per minute to one group chat

    def __post_init__(self) -> None:
        if self.global_rate <= 0 or self.private_per_second <= 0 or self.group_per_minute < 1:
            raise ValueError("flood limits must be positive")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5  # for network errors and 5xx; RetryAfter is always honoured
    important_attempts: int = 10  # safety messages try harder
    backoff_base: float = 0.5
    backoff_max: float = 30.0

    def backoff(self, failures: int, jitter: float) -> float:
        """Seconds to wait after ``failures`` failed attempts; ``jitter`` in [0, 1]."""
        raw = min(self.backoff_max, self.backoff_base * 2.0 ** (failures - 1))
        return raw * (0.5 + jitter / 2)


@dataclass
class OutboxStats:
    calls: int = 0
    sent: int = 0
    not_modified: int = 0
    rate_limited: int = 0
    retried: int = 0
    forbidden: int = 0
    rejected: int = 0
    gave_up: int = 0
    waited: float = 0.0  # seconds spent waiting for the flood limits
    by_method: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)  # failed calls by error code

    def error(self, code: str) -> None:
        self.errors[code] = self.errors.get(code, 0) + 1


class _Window:
    """The times of the last ``limit`` sends to one chat: a sliding-window limit."""

    __slots__ = ("limit", "times", "window")

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self.times: deque[float] = deque(maxlen=limit)

    def next_allowed(self, now: float) -> float:
        if len(self.times) < self.limit:
            return now
        return max(now, self.times[0] + self.window)

    def idle_since(self, now: float) -> bool:
        return not self.times or now - self.times[-1] >= self.window


class _Gate:
    """The global limit: at most ``capacity`` sends reach Telegram in any ``window`` seconds.

    A send may start only while ``in_flight + len(answered) < capacity``, where ``answered``
    holds the times of the answers that came back less than ``window`` ago. Why that is
    enough, whatever the latencies: take any ``window``-long stretch of Telegram's clock and
    the sends that arrived in it, and among them the one that started last, at ``s``. Every
    other one had started by ``s``; it was still in flight then, or its answer had come back,
    after its arrival, so within ``window`` before ``s``. Either way it was counted at ``s``,
    and the count was below ``capacity``: so the stretch holds at most ``capacity`` arrivals.

    Sends start in the order they reach the gate (an ``asyncio.Lock`` is first come, first
    served), on a schedule ``interval`` apart. That only smooths the flow: after a late
    wake-up the next send may follow sooner, and the count above still holds.
    """

    def __init__(self, rate: float, sleep: Sleep, monotonic: Monotonic) -> None:
        # 30/s is 30 per second; below 1/s, one per 1/rate seconds.
        self.capacity = max(1, math.floor(rate))
        self.window = max(1.0, self.capacity / rate)
        self.interval = 1.0 / rate
        self.in_flight = 0
        self.answered: deque[float] = deque()
        self._next_start = -math.inf
        self._sleep = sleep
        self._monotonic = monotonic
        self._turn = asyncio.Lock()
        self._came_back = asyncio.Event()

    async def enter(self) -> float:
        """Wait for a free slot and take it (call :meth:`leave` once the answer is in).
        Returns the seconds waited."""
        async with self._turn:
            began = now = self._monotonic()
            # ``slot``: when this send may go by the book. The spacing runs from there, not
            # from when a sleep happened to end, or every late wake-up would cost throughput.
            slot = max(now, self._next_start)
            if slot > now:
                await self._sleep(slot - now)
            while True:
                now = self._monotonic()
                while self.answered and now - self.answered[0] >= self.window:
                    self.answered.popleft()
                excess = self.in_flight + len(self.answered) + 1 - self.capacity
                if excess <= 0:
                    break
                if excess <= len(self.answered):
                    # The oldest ``excess`` answers leave the window by then. Answers coming
                    # back meanwhile join at the end, so these are still the oldest: drop
                    # them without asking the clock again (a virtual clock may round short).
                    free = self.answered[excess - 1] + self.window
                    await self._sleep(free - now)
                    for _ in range(excess):
                        self.answered.popleft()
                    slot = max(slot, free)
                    break
                self._came_back.clear()  # too many in flight: wait for an answer
                await self._came_back.wait()
                slot = max(slot, self._monotonic())
            self.in_flight += 1
            self._next_start = slot + self.interval
            return self._monotonic() - began

    def leave(self) -> None:
        """The send's answer (or its failure) is in: it counts for one more window."""
        self.in_flight -= 1
        self.answered.append(self._monotonic())
        self._came_back.set()


class Outbox:
    """Flood-controlled, retrying calls to the Bot API. See the module docstring."""

    def __init__(
        self,
        bot: Any,
        *,
        limits: Limits | None = None,
        retry: RetryPolicy | None = None,
        on_forbidden: ForbiddenHook | None = None,
        sleep: Sleep = asyncio.sleep,
        monotonic: Monotonic = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.bot = bot
        self.limits = limits or Limits()
        self.retry = retry or RetryPolicy()
        self.on_forbidden = on_forbidden
        self._sleep = sleep
        self._monotonic = monotonic
        self._jitter = jitter
        self._gate = _Gate(self.limits.global_rate, sleep, monotonic)
        self._windows: dict[int, _Window] = {}
        self._chat_locks: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._forbidden: set[int] = set()
        self._since_prune = 0
        self.stats = OutboxStats()

    # --- the calls the transport makes ----------------------------------------------------

    async def send_message(
        self,
        chat_id: int,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        user_id: int | None = None,
        important: bool = False,
    ) -> Delivered[Message]:
        params: dict[str, Any] = {"chat_id": chat_id, "text": text}
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        return await self.submit(
            "sendMessage",
            self.bot.send_message,
            params,
            chat_id=chat_id,
            user_id=user_id,
            important=important,
        )

    async def edit_message_text(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        *,
        reply_markup: InlineKeyboardMarkup | None = None,
        user_id: int | None = None,
    ) -> Delivered[Any]:
        params: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text}
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        return await self.submit(
            "editMessageText", self.bot.edit_message_text, params, chat_id=chat_id, user_id=user_id
        )

    async def send_photo(
        self,
        chat_id: int,
        png: bytes,
        *,
        filename: str = "chart.png",
        caption: str | None = None,
        user_id: int | None = None,
    ) -> Delivered[Message]:
        params: dict[str, Any] = {"chat_id": chat_id, "photo": InputFile(png, filename=filename)}
        if caption:
            params["caption"] = caption
        return await self.submit(
            "sendPhoto", self.bot.send_photo, params, chat_id=chat_id, user_id=user_id
        )

    async def send_document(
        self,
        chat_id: int,
        data: bytes,
        *,
        filename: str,
        caption: str | None = None,
        user_id: int | None = None,
    ) -> Delivered[Message]:
        params: dict[str, Any] = {
            "chat_id": chat_id,
            "document": InputFile(data, filename=filename),
        }
        if caption:
            params["caption"] = caption
        return await self.submit(
            "sendDocument", self.bot.send_document, params, chat_id=chat_id, user_id=user_id
        )

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None
    ) -> Delivered[Any]:
        """Answers are not messages: no flood pacing (they must arrive within seconds)."""
        params: dict[str, Any] = {"callback_query_id": callback_query_id}
        if text:
            params["text"] = text[:MAX_CALLBACK_ANSWER]
        return await self.submit(
            "answerCallbackQuery",
            self.bot.answer_callback_query,
            params,
            limited=False,
            max_retry_after=10.0,
        )

    def allow(self, chat_id: int) -> None:
        """The chat talked to us again (unblocked the bot): send to it again."""
        self._forbidden.discard(chat_id)

    def is_forbidden(self, chat_id: int) -> bool:
        return chat_id in self._forbidden

    # --- the one path ---------------------------------------------------------------------

    async def submit(
        self,
        method: str,
        fn: Callable[..., Awaitable[T]],
        params: Mapping[str, Any],
        *,
        chat_id: int | None = None,
        user_id: int | None = None,
        limited: bool = True,
        important: bool = False,
        max_retry_after: float | None = None,
    ) -> Delivered[T]:
        """Call ``fn(**params)`` (the Bot API ``method``) under the flood limits and retries.

        ``chat_id`` makes the call part of that chat's FIFO and limits; ``limited=False`` skips
        the pacing (callback answers, bot settings). ``max_retry_after`` gives up on a 429
        that asks for a longer wait (only for calls that are worth nothing late).
        """
        if chat_id is not None and chat_id in self._forbidden:
            return Delivered(Outcome.FORBIDDEN)
        started = self._monotonic()
        if chat_id is None:
            result = await self._attempts(
                method, fn, params, None, user_id, limited, important, max_retry_after
            )
        else:
            async with self._chat_lock(chat_id):
                result = await self._attempts(
                    method, fn, params, chat_id, user_id, limited, important, max_retry_after
                )
        # One line per outbound call: ids and outcome, never the text or the token.
        log.info(
            "bot api %s",
            method,
            extra={
                "method": method,
                "chat_id": chat_id,
                "user_id": user_id,
                "outcome": result.outcome.name.lower(),
                "attempts": result.attempts,
                "ms": round((self._monotonic() - started) * 1000, 1),
            },
        )
        return result

    async def _attempts(
        self,
        method: str,
        fn: Callable[..., Awaitable[T]],
        params: Mapping[str, Any],
        chat_id: int | None,
        user_id: int | None,
        limited: bool,
        important: bool,
        max_retry_after: float | None,
    ) -> Delivered[T]:
        attempts_allowed = self.retry.important_attempts if important else self.retry.max_attempts
        failures = 0
        attempt = 0
        while True:
            if chat_id is not None and chat_id in self._forbidden:
                return Delivered(Outcome.FORBIDDEN, attempts=attempt)
            if limited:
                await self._pace(chat_id)
            attempt += 1
            self.stats.calls += 1
            self.stats.by_method[method] = self.stats.by_method.get(method, 0) + 1
            try:
                try:
                    value = await fn(**params)
                finally:
                    if limited:
                        self._gate.leave()
                        if chat_id is not None:
                            self._booked(chat_id)
            except RetryAfter as exc:
                wait = _retry_after_seconds(exc)
                self.stats.rate_limited += 1
                self.stats.error("429")
                if max_retry_after is not None and wait > max_retry_after:
                    log.warning("%s: flood control asks for %.0f s; giving up", method, wait)
                    self.stats.gave_up += 1
                    return Delivered(Outcome.GAVE_UP, attempts=attempt)
                log.info(
                    "%s to chat %s: flood control, retrying in %.1f s",
                    method,
                    _chat_label(chat_id),
                    wait,
                )
                self.stats.retried += 1
                await self._hold_chat(chat_id, wait)
                continue
            except Forbidden as exc:
                self.stats.error("403")
                return await self._forbidden_answer(method, chat_id, user_id, exc, attempt)
            except BadRequest as exc:
                if NOT_MODIFIED not in str(exc).lower():
                    self.stats.error("400")
                if NOT_MODIFIED in str(exc).lower():
                    self.stats.not_modified += 1
                    return Delivered(Outcome.NOT_MODIFIED, attempts=attempt)
                return self._rejected(method, params, exc, attempt)
            except (ChatMigrated, InvalidToken) as exc:
                return self._rejected(method, params, exc, attempt)
            except NetworkError as exc:  # TimedOut, connection errors and every 5xx
                self.stats.error("timeout" if isinstance(exc, TimedOut) else "5xx_or_network")
                failures += 1
                if failures >= attempts_allowed:
                    log.error(
                        "%s to chat %s failed %d times (%s); giving up",
                        method,
                        _chat_label(chat_id),
                        failures,
                        type(exc).__name__,
                    )
                    self.stats.gave_up += 1
                    return Delivered(Outcome.GAVE_UP, attempts=attempt)
                delay = self.retry.backoff(failures, self._jitter())
                log.info(
                    "%s to chat %s: %s, retry %d in %.2f s",
                    method,
                    _chat_label(chat_id),
                    type(exc).__name__,
                    failures,
                    delay,
                )
                self.stats.retried += 1
                await self._sleep(delay)
                continue
            except TelegramError as exc:  # Conflict and anything new: not worth repeating
                self.stats.error("other")
                return self._rejected(method, params, exc, attempt)
            self.stats.sent += 1
            return Delivered(Outcome.SENT, value, attempts=attempt)

    async def _forbidden_answer(
        self, method: str, chat_id: int | None, user_id: int | None, exc: Exception, attempt: int
    ) -> Delivered[Any]:
        self.stats.forbidden += 1
        log.info(
            "%s to chat %s: forbidden (%s); marking the user inactive",
            method,
            _chat_label(chat_id),
            _short(exc),
        )
        if chat_id is not None:
            self._forbidden.add(chat_id)
            if self.on_forbidden is not None:
                try:
                    await self.on_forbidden(chat_id, user_id)
                except Exception:
                    log.exception("marking chat %s inactive failed", _chat_label(chat_id))
        return Delivered(Outcome.FORBIDDEN, attempts=attempt)

    def _rejected(
        self, method: str, params: Mapping[str, Any], exc: Exception, attempt: int
    ) -> Delivered[Any]:
        self.stats.rejected += 1
        # Parameter names only: their values are message texts (health data) and ids.
        log.warning(
            "%s rejected (%s: %s); parameters: %s",
            method,
            type(exc).__name__,
            _short(exc),
            ", ".join(sorted(params)),
        )
        return Delivered(Outcome.REJECTED, attempts=attempt)

    # --- flood control --------------------------------------------------------------------

    def _chat_lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._chat_locks[chat_id] = lock
        return lock

    def _window(self, chat_id: int) -> _Window:
        window = self._windows.get(chat_id)
        if window is None:
            if chat_id < 0:
                window = _Window(self.limits.group_per_minute, 60.0)
            else:
                window = _Window(1, 1.0 / self.limits.private_per_second)
            self._windows[chat_id] = window
        return window

    async def _pace(self, chat_id: int | None) -> None:
        """Wait for this chat's turn, then take a global slot (given back by ``leave``)."""
        if chat_id is not None:
            window = self._window(chat_id)
            now = self._monotonic()
            wait = window.next_allowed(now) - now
            if wait > 0:
                self.stats.waited += wait
                await self._sleep(wait)
        self.stats.waited += await self._gate.enter()

    def _booked(self, chat_id: int) -> None:
        """Count a send from when its answer came: the next one then reaches Telegram a full
        interval after this one did, whatever the network's delays."""
        self._window(chat_id).times.append(self._monotonic())
        self._prune()

    async def _hold_chat(self, chat_id: int | None, seconds: float) -> None:
        """Telegram asked for a pause. The chat's lock is held, so nothing overtakes."""
        self.stats.waited += seconds
        await self._sleep(seconds)

    def _prune(self) -> None:
        """Forget the windows of chats that have been quiet for a full window."""
        self._since_prune += 1
        if self._since_prune < 1000:
            return
        self._since_prune = 0
        now = self._monotonic()
        for chat_id in [c for c, w in self._windows.items() if w.idle_since(now)]:
            del self._windows[chat_id]


def _retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form is deprecated
        warnings.simplefilter("ignore")
        value = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return max(0.0, seconds)


def _chat_label(chat_id: int | None) -> str:
    return "-" if chat_id is None else str(chat_id)


def _short(exc: Exception) -> str:
    """Telegram's error description (it names the problem, not the parameter values)."""
    return str(exc)[:200]
