"""The outbox's flood control and retry policy, on virtual time (nothing sleeps for real).

A scripted bot stands in for Telegram: it records when each attempt arrived (in virtual
seconds) and raises the errors python-telegram-bot raises for Telegram's answers.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.outbox import Delivered, Limits, Outbox, Outcome, RetryPolicy

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

T = TypeVar("T")
TOKEN = "987654:SECRET-token-value"


class VirtualTime:
    """``sleep`` and ``monotonic`` for the outbox; :meth:`run` jumps to the next wake-up
    whenever every task is waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._seq), future))
        await future

    async def run(self, *awaitables: Awaitable[T]) -> list[T]:
        tasks = [asyncio.ensure_future(a) for a in awaitables]
        while True:
            for _ in range(50):  # let every task run until it waits
                await asyncio.sleep(0)
            if all(t.done() for t in tasks):
                return [t.result() for t in tasks]
            if not self._sleepers:
                raise AssertionError("deadlock: tasks wait, but nobody sleeps")
            wake, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, wake)
            future.set_result(None)


@dataclass
class Attempt:
    method: str
    chat_id: int | None
    text: str | None
    at: float
    ok: bool


@dataclass
class ScriptedBot:
    """Telegram's side: every attempt is recorded; ``fail`` queues errors per method."""

    time: VirtualTime
    token: str = TOKEN
    attempts: list[Attempt] = field(default_factory=list)
    faults: dict[str, deque[Exception]] = field(default_factory=dict)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fail(self, method: str, *errors: Exception) -> None:
        self.faults.setdefault(method, deque()).extend(errors)

    def _arrive(self, method: str, chat_id: int | None, text: str | None) -> None:
        queue = self.faults.get(method)
        error = queue.popleft() if queue else None
        self.attempts.append(Attempt(method, chat_id, text, self.time.now, error is None))
        if error is not None:
            raise error

    async def send_message(self, chat_id: int, text: str, reply_markup: Any = None) -> Any:
        self._arrive("sendMessage", chat_id, text)
        return SimpleNamespace(message_id=next(self.message_ids), chat_id=chat_id, text=text)

    async def edit_message_text(self, chat_id: int, message_id: int, text: str,
                                reply_markup: Any = None) -> Any:  # fmt: skip
        self._arrive("editMessageText", chat_id, text)
        return True

    async def send_photo(self, chat_id: int, photo: Any, caption: str | None = None) -> Any:
        self._arrive("sendPhoto", chat_id, caption)
        return SimpleNamespace(message_id=next(self.message_ids), chat_id=chat_id)

    async def send_document(self, chat_id: int, document: Any, caption: str | None = None) -> Any:
        self._arrive("sendDocument", chat_id, caption)
        return SimpleNamespace(message_id=next(self.message_ids), chat_id=chat_id)

    async def answer_callback_query(self, callback_query_id: str, text: str | None = None) -> Any:
        self._arrive("answerCallbackQuery", None, text)
        return True

    def delivered(self, chat_id: int | None = None) -> list[Attempt]:
        return [a for a in self.attempts if a.ok and (chat_id is None or a.chat_id == chat_id)]


@dataclass
class Rig:
    time: VirtualTime
    bot: ScriptedBot
    outbox: Outbox
    forbidden: list[tuple[int, int | None]]


def make_rig(limits: Limits | None = None, retry: RetryPolicy | None = None) -> Rig:
    clock = VirtualTime()
    bot = ScriptedBot(clock)
    forbidden: list[tuple[int, int | None]] = []

    async def on_forbidden(chat_id: int, user_id: int | None) -> None:
        forbidden.append((chat_id, user_id))

    outbox = Outbox(bot, limits=limits, retry=retry, on_forbidden=on_forbidden,
                    sleep=clock.sleep, monotonic=clock.monotonic, jitter=lambda: 1.0)  # fmt: skip
    return Rig(clock, bot, outbox, forbidden)


def max_in_window(times: list[float], window: float) -> int:
    """The most events in any half-open interval of ``window`` seconds."""
    ordered = sorted(times)
    best = 0
    for i, start in enumerate(ordered):
        best = max(best, sum(1 for t in ordered[i:] if t < start + window - 1e-9))
    return best


# --- flood control ---------------------------------------------------------------------------


async def test_the_global_rate_spaces_sends_across_chats() -> None:
    rig = make_rig(Limits(global_rate=30))
    sends = [rig.outbox.send_message(1000 + n, f"m{n}") for n in range(90)]
    results = await rig.time.run(*sends)
    assert all(r.ok for r in results)
    times = [a.at for a in rig.bot.delivered()]
    assert len(times) == 90
    assert max_in_window(times, 1.0) <= 30
    assert times[-1] == pytest.approx(89 / 30)  # no slower than the limit either


async def test_a_higher_global_rate_is_configurable() -> None:
    rig = make_rig(Limits(global_rate=1000))
    await rig.time.run(*(rig.outbox.send_message(1000 + n, "x") for n in range(300)))
    times = [a.at for a in rig.bot.delivered()]
    assert max_in_window(times, 1.0) <= 1000
    assert times[-1] < 1.0


Latency = Callable[[random.Random], float]


@dataclass
class LaggyBot(ScriptedBot):
    """A send reaches Telegram ``up`` seconds after it starts and its answer comes back
    ``down`` seconds later; ``flaky`` of the attempts fail with a 502 (retried)."""

    up: Latency = lambda rng: 0.0
    down: Latency = lambda rng: 0.0
    flaky: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))

    async def send_message(self, chat_id: int, text: str, reply_markup: Any = None) -> Any:
        await self.time.sleep(self.up(self.rng))
        if self.rng.random() < self.flaky:
            self.fail("sendMessage", NetworkError("Bad Gateway"))
        try:
            return await super().send_message(chat_id, text, reply_markup)
        finally:
            await self.time.sleep(self.down(self.rng))


def laggy_rig(bot_args: dict[str, Any], limits: Limits | None = None) -> tuple[Rig, LaggyBot]:
    clock = VirtualTime()
    bot = LaggyBot(clock, **bot_args)
    outbox = Outbox(bot, limits=limits, sleep=clock.sleep, monotonic=clock.monotonic,
                    jitter=lambda: 1.0)  # fmt: skip
    return Rig(clock, bot, outbox, []), bot


def jittery(rng: random.Random) -> float:
    """Mostly a few ms; now and then a send held up for up to 1.5 s."""
    if rng.random() < 0.08:
        return rng.uniform(0.1, 1.5)
    return rng.uniform(0.0, 0.02)


@pytest.mark.parametrize("seed", range(8))
async def test_no_second_ever_holds_more_than_the_global_rate_whatever_the_latency(
    seed: int,
) -> None:
    rig, bot = laggy_rig(
        {"up": jittery, "down": jittery, "flaky": 0.05, "rng": random.Random(seed)}
    )
    results = await rig.time.run(*(rig.outbox.send_message(1000 + n, f"m{n}") for n in range(300)))
    assert all(r.ok for r in results)
    arrivals = [a.at for a in bot.attempts]  # failed attempts reached Telegram too
    assert len(bot.delivered()) == 300
    assert max_in_window(arrivals, 1.0) <= 30
    assert rig.outbox._gate.in_flight == 0  # every attempt, failed or not, gave its slot back
    # Delays like these on sends started strictly 1/30 s apart (a pace with no regard for
    # latency) do put more than 30 in a second: the case the gate exists for.
    replay = random.Random(seed)
    spaced = [n / 30 + jittery(replay) for n in range(300)]
    assert max_in_window(spaced, 1.0) > 30


@pytest.mark.parametrize("round_trip", [0.0, 0.01, 0.05])
async def test_the_gate_still_reaches_close_to_the_rate(round_trip: float) -> None:
    """Each slot is busy for one second plus the round trip: 30 / (1 + round trip) a second."""
    rig, bot = laggy_rig({"up": lambda rng: rng.uniform(0, round_trip),
                          "down": lambda rng: 0.0})  # fmt: skip
    await rig.time.run(*(rig.outbox.send_message(1000 + n, f"m{n}") for n in range(600)))
    times = sorted(a.at for a in bot.delivered())
    assert max_in_window(times, 1.0) <= 30
    rate = (len(times) - 1) / (times[-1] - times[0])
    assert rate >= 0.99 * 30 / (1 + round_trip)
    assert rate <= 30 * (1 + 1e-9)


async def test_sends_slower_than_a_second_are_all_counted_while_in_flight() -> None:
    rig, bot = laggy_rig({"up": lambda rng: 1.6, "down": lambda rng: 0.4})
    await rig.time.run(*(rig.outbox.send_message(1000 + n, "x") for n in range(100)))
    arrivals = [a.at for a in bot.attempts]
    assert max_in_window(arrivals, 1.0) <= 30
    assert max_in_window([t - 1.6 for t in arrivals], 3.0) <= 30  # 30 slots, 3 s each


async def test_one_message_a_second_per_private_chat_in_fifo_order() -> None:
    rig = make_rig()
    texts = [f"step {n}" for n in range(5)]
    await rig.time.run(*(rig.outbox.send_message(42, t) for t in texts))
    delivered = rig.bot.delivered(42)
    assert [a.text for a in delivered] == texts
    gaps = [b.at - a.at for a, b in itertools.pairwise(delivered)]
    assert all(gap >= 1.0 - 1e-9 for gap in gaps)
    assert delivered[-1].at == pytest.approx(4.0)


async def test_edits_share_the_chats_pace_but_other_chats_go_on() -> None:
    rig = make_rig()
    await rig.time.run(
        rig.outbox.send_message(42, "a"),
        rig.outbox.edit_message_text(42, 1, "a, edited"),
        rig.outbox.send_message(43, "b"),
    )
    by_text = {a.text: a.at for a in rig.bot.delivered()}
    assert by_text["a, edited"] >= by_text["a"] + 1.0
    assert by_text["b"] < 0.1


async def test_files_queue_behind_messages_at_the_same_pace() -> None:
    rig = make_rig()
    await rig.time.run(
        rig.outbox.send_message(42, "here you are"),
        rig.outbox.send_document(42, b"{}", filename="data.json", caption="json"),
        rig.outbox.send_photo(42, b"png", caption="chart"),
    )
    delivered = rig.bot.delivered(42)
    assert [(a.method, a.text) for a in delivered] == [
        ("sendMessage", "here you are"),
        ("sendDocument", "json"),
        ("sendPhoto", "chart"),
    ]
    assert [a.at for a in delivered] == pytest.approx([0.0, 1.0, 2.0])


async def test_twenty_messages_a_minute_per_group_chat() -> None:
    rig = make_rig()
    texts = [f"g{n}" for n in range(45)]
    await rig.time.run(*(rig.outbox.send_message(-100123, t) for t in texts))
    delivered = rig.bot.delivered(-100123)
    assert [a.text for a in delivered] == texts
    times = [a.at for a in delivered]
    assert max_in_window(times, 60.0) <= 20
    assert times[19] < 1.0  # a burst of 20 is fine...
    assert times[20] >= 60.0  # ...the 21st waits for the window
    assert times[40] >= 120.0


async def test_callback_answers_are_not_paced() -> None:
    rig = make_rig()
    await rig.time.run(rig.outbox.send_message(42, "a"), rig.outbox.send_message(42, "b"),
                       *(rig.outbox.answer_callback_query(str(n)) for n in range(5)))  # fmt: skip
    answers = [a.at for a in rig.bot.delivered() if a.method == "answerCallbackQuery"]
    assert answers == [0.0] * 5


# --- retries -----------------------------------------------------------------------------------


async def test_retry_after_waits_resends_the_same_message_and_keeps_the_order() -> None:
    rig = make_rig()
    rig.bot.fail("sendMessage", RetryAfter(5))
    texts = ["first", "second", "third"]
    results = await rig.time.run(*(rig.outbox.send_message(42, t) for t in texts))
    assert all(r.outcome is Outcome.SENT for r in results)
    assert [a.text for a in rig.bot.attempts] == ["first", "first", "second", "third"]
    delivered = rig.bot.delivered(42)
    assert [a.text for a in delivered] == texts  # nothing lost, nothing overtaken
    assert delivered[0].at >= 5.0
    assert results[0].attempts == 2


async def test_retry_after_is_never_given_up_for_messages() -> None:
    rig = make_rig(retry=RetryPolicy(max_attempts=2))
    rig.bot.fail("sendMessage", *(RetryAfter(30) for _ in range(6)))
    [result] = await rig.time.run(rig.outbox.send_message(42, "patience"))
    assert result.ok and result.attempts == 7
    assert rig.time.now >= 180.0


async def test_retry_after_in_one_chat_does_not_stop_the_others() -> None:
    rig = make_rig()
    rig.bot.fail("sendMessage", RetryAfter(10))
    await rig.time.run(rig.outbox.send_message(42, "slow"), rig.outbox.send_message(43, "fast"))
    by_text = {a.text: a.at for a in rig.bot.delivered()}
    assert by_text["fast"] < 1.0
    assert by_text["slow"] >= 10.0


async def test_server_errors_are_retried_with_exponential_backoff() -> None:
    fast_chats = Limits(global_rate=1000, private_per_second=1000)
    rig = make_rig(fast_chats, RetryPolicy(max_attempts=5, backoff_base=0.5))
    rig.bot.fail("sendMessage", NetworkError("Internal Server Error"),
                 NetworkError("Bad Gateway"), TimedOut())  # fmt: skip
    [result] = await rig.time.run(rig.outbox.send_message(42, "hello"))
    assert result.outcome is Outcome.SENT and result.attempts == 4
    times = [a.at for a in rig.bot.attempts]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps == pytest.approx([0.5, 1.0, 2.0], abs=0.01)  # jitter pinned to its top


def test_backoff_is_capped_and_jittered() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=30.0)
    assert policy.backoff(1, 1.0) == 0.5
    assert policy.backoff(20, 1.0) == 30.0
    assert policy.backoff(3, 0.0) == 1.0  # half of 2 s at the bottom of the jitter


async def test_network_errors_give_up_after_a_bounded_number_of_attempts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rig = make_rig(retry=RetryPolicy(max_attempts=3))
    rig.bot.fail("sendMessage", *(NetworkError("Internal Server Error") for _ in range(10)))
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        [result, after] = await rig.time.run(rig.outbox.send_message(42, "lost"),
                                             rig.outbox.send_message(42, "next"))  # fmt: skip
    assert result.outcome is Outcome.GAVE_UP and result.attempts == 3
    assert not after.ok  # the same outage: the next message has its own three attempts
    assert len(rig.bot.attempts) == 6
    assert rig.outbox.stats.gave_up == 2
    assert any("giving up" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


async def test_important_messages_try_harder() -> None:
    rig = make_rig(retry=RetryPolicy(max_attempts=2, important_attempts=6))
    rig.bot.fail("sendMessage", *(TimedOut() for _ in range(4)))
    [result] = await rig.time.run(rig.outbox.send_message(42, "call 999", important=True))
    assert result.ok and result.attempts == 5


# --- final answers -----------------------------------------------------------------------------


async def test_forbidden_marks_the_user_inactive_and_drops_their_messages() -> None:
    rig = make_rig()
    rig.bot.fail("sendMessage", Forbidden("Forbidden: bot was blocked by the user"))
    results = await rig.time.run(
        rig.outbox.send_message(42, "one", user_id=7),
        rig.outbox.send_message(42, "two", user_id=7),
        rig.outbox.edit_message_text(42, 1, "three", user_id=7),
        rig.outbox.send_message(43, "someone else", user_id=8),
    )
    assert [r.outcome for r in results[:3]] == [Outcome.FORBIDDEN] * 3
    assert results[3].ok
    assert rig.forbidden == [(42, 7)]
    assert [a.text for a in rig.bot.attempts if a.chat_id == 42] == ["one"]  # no more calls
    rig.outbox.allow(42)  # they came back
    [again] = await rig.time.run(rig.outbox.send_message(42, "welcome back", user_id=7))
    assert again.ok


async def test_message_is_not_modified_counts_as_success() -> None:
    rig = make_rig()
    rig.bot.fail("editMessageText", BadRequest(
        "Message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"))  # fmt: skip
    [result] = await rig.time.run(rig.outbox.edit_message_text(42, 5, "same"))
    assert result.ok and result.outcome is Outcome.NOT_MODIFIED
    assert len(rig.bot.attempts) == 1  # not retried


async def test_other_bad_requests_are_logged_by_parameter_names_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rig = make_rig()
    rig.bot.fail("sendMessage", BadRequest("Chat not found"))
    rig.bot.fail("editMessageText", BadRequest("Message to edit not found"))
    secret_text = "my pain is 7 and I have numbness"
    with caplog.at_level(logging.DEBUG, logger="bot.outbox"):
        sent, edited = await rig.time.run(
            rig.outbox.send_message(4242, secret_text, user_id=99),
            rig.outbox.edit_message_text(4243, 987654321, secret_text),
        )
    assert sent.outcome is Outcome.REJECTED and edited.outcome is Outcome.REJECTED
    assert len(rig.bot.attempts) == 2  # given up at once
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "sendMessage" in text and "editMessageText" in text
    assert "chat_id, text" in text and "chat_id, message_id, text" in text
    for value in (secret_text, "pain", TOKEN, "987654", "987654321"):
        assert value not in text


async def test_an_answer_that_would_come_too_late_is_given_up() -> None:
    rig = make_rig()
    rig.bot.fail("answerCallbackQuery", RetryAfter(60))
    [result] = await rig.time.run(rig.outbox.answer_callback_query("q1", "expired"))
    assert result.outcome is Outcome.GAVE_UP


def test_delivered_ok_means_sent_or_unchanged() -> None:
    assert Delivered(Outcome.SENT).ok and Delivered(Outcome.NOT_MODIFIED).ok
    assert not Delivered(Outcome.FORBIDDEN).ok and not Delivered(Outcome.GAVE_UP).ok


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Limits(global_rate=0)
