"""Bot API calls for one complete guided session, through the real stack (python-telegram-bot,
the outbox, the runtime, SQLite) against the fake Bot API, on a manual clock.

Target (docs: a guided session should be cheap in Telegram's rate limit): in the exercise
part, from pressing Ready to the "well done" message, at most one message per step of the
plan plus at most one edit per 10 s of hold. The whole session (from /stretch to the stored
check-in) is reported too, button answers included; and one user's whole day: two reminders,
each answered with "Start now", two sessions and two check-ins.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialogs.session import plan
from tests.e2e.conftest import TOKEN, Conversation, onboard, running_coach
from tests.fakes.bot_api import Call, FakeBotApi, assert_no_violations

EDIT_EVERY_SECONDS = 10


@dataclass(frozen=True)
class SessionCalls:
    reps: int
    hold: int
    steps: int
    hold_seconds_total: int
    messages: int  # exercise part
    edits: int  # exercise part
    session_messages: int  # /stretch to the stored check-in
    session_edits: int
    session_answers: int

    @property
    def label(self) -> str:
        return f"{self.reps} rounds x {self.hold} s"

    @property
    def edit_budget(self) -> int:
        return math.floor(self.hold_seconds_total / EDIT_EVERY_SECONDS)

    @property
    def within_target(self) -> bool:
        return self.messages <= self.steps and self.edits <= self.edit_budget


def _is_send_of(call: Call, text: str) -> bool:
    return call.method == "sendMessage" and call.params.get("text") == text


def _count(calls: list[Call], method: str) -> int:
    return sum(1 for c in calls if c.method == method and c.ok)


async def measure(reps: int, hold: int) -> SessionCalls:
    with tempfile.TemporaryDirectory() as folder:
        async with (
            FakeBotApi(token=TOKEN) as api,
            running_coach(api, Path(folder) / "coach.db") as coach,
        ):
            content = coach.content
            m = content.messages
            chat = Conversation(api, api.user(1001, first_name="Bench"))
            await onboard(chat, content)
            await chat.tap(m.onboarding.later, expect=m.onboarding.later_ok[:20])
            t = content.programme.timings
            if (reps, hold) != (t.default_reps, t.default_hold_seconds):
                await chat.say("/settings", expect=m.settings.menu[:20])
                await chat.tap(m.settings.reps, expect=m.settings.reps_question[:20])
                await chat.tap(str(reps), expect=m.settings.saved)
                await chat.tap(m.settings.hold)
                await chat.tap(f"{hold} s", expect=m.settings.saved)
                await chat.tap(m.settings.done, expect=m.settings.closed)

            session_start = len(api.calls)
            await chat.say("/stretch", expect=m.session.pain_before[:20])
            await chat.tap("3", expect=content.programme.variations.floor.prepare[:20])
            exercise_start = len(api.calls)
            await chat.tap(m.session.ready, expect="s left")
            await coach.run_timers(chat.chat_id)
            await api.wait_for_message(chat.chat_id, contains=m.session.finished)
            calls = api.calls[exercise_start:]
            end = next(i for i, c in enumerate(calls) if _is_send_of(c, m.session.finished))
            exercise = calls[: end + 1]

            await api.wait_for_message(chat.chat_id, contains=m.checkin.pain)
            await chat.tap("2", expect=m.checkin.feel)
            await chat.tap(m.checkin.feel_options.mild_pull, expect=m.checkin.stiffness[:20])
            await chat.tap("3", expect=m.checkin.saved)
            session = api.calls[session_start:]
            assert_no_violations(api)

    steps = plan(content, "floor", reps, hold)
    return SessionCalls(
        reps=reps,
        hold=hold,
        steps=len(steps),
        hold_seconds_total=sum(s.seconds for s in steps if s.is_hold),
        messages=_count(exercise, "sendMessage"),
        edits=_count(exercise, "editMessageText"),
        session_messages=_count(session, "sendMessage"),
        session_edits=_count(session, "editMessageText"),
        session_answers=_count(session, "answerCallbackQuery"),
    )


async def _check_in(chat: Conversation, m: Any) -> None:
    await _wait(chat, m.checkin.pain)
    await chat.tap("2", expect=m.checkin.feel)
    await chat.tap(m.checkin.feel_options.mild_pull, expect=m.checkin.stiffness[:20])
    await chat.tap("3", expect=m.checkin.saved)


async def _wait(chat: Conversation, text: str) -> None:
    await chat.api.wait_for_message(chat.chat_id, contains=text)


async def measure_day() -> dict[str, int]:
    """One user's day: each of the two reminders fires, is answered with "Start now", and is
    followed by a whole session and its check-in. Counts every Bot API call from the first
    reminder to the second stored check-in (long polling excluded)."""
    with tempfile.TemporaryDirectory() as folder:
        async with (
            FakeBotApi(token=TOKEN) as api,
            running_coach(api, Path(folder) / "coach.db") as coach,
        ):
            m = coach.content.messages
            chat = Conversation(api, api.user(1002, first_name="Day"))
            await onboard(chat, coach.content)
            await chat.tap(m.onboarding.later, expect=m.onboarding.later_ok[:20])
            user_id = coach.user_row(chat.chat_id).id
            assert user_id is not None
            day_start = len(api.calls)
            for slot in ("evening", "morning"):  # onboarded at 09:00: 20:00 comes first
                (timer,) = coach.store.pending_timers(user_id, [f"reminder:{slot}"])
                coach.clock.set(timer.due_at)
                await coach.tick()
                await _wait(chat, getattr(m.reminders, slot)[:30])
                await chat.tap(m.reminders.start, expect=m.session.pain_before[:20])
                await chat.tap("3", expect=m.session.ready)
                await chat.tap(m.session.ready, expect="s left")
                await coach.run_timers(chat.chat_id)
                await _check_in(chat, m)
            day = [c for c in api.calls[day_start:] if c.ok and c.method != "getUpdates"]
            assert_no_violations(api)
    counts: dict[str, int] = {}
    for call in day:
        counts[call.method] = counts.get(call.method, 0) + 1
    return counts


def run(quick: bool) -> list[tuple[str, str]]:
    configs = [(2, 20)] if quick else [(2, 20), (3, 30)]
    rows: list[tuple[str, str]] = []
    for reps, hold in configs:
        result = asyncio.run(measure(reps, hold))
        verdict = "within target" if result.within_target else "OVER TARGET"
        rows += [
            (f"{result.label}: messages, exercise part",
             f"{result.messages} (target <= {result.steps}, one per step)"),
            (f"{result.label}: edits, exercise part",
             f"{result.edits} (target <= {result.edit_budget}, one per "
             f"{EDIT_EVERY_SECONDS} s of {result.hold_seconds_total} s held)"),
            (f"{result.label}: verdict", verdict),
            (f"{result.label}: whole session",
             f"{result.session_messages} messages, {result.session_edits} edits, "
             f"{result.session_answers} button answers"),
        ]  # fmt: skip
    day = asyncio.run(measure_day())
    detail = ", ".join(f"{n} {method}" for method, n in sorted(day.items()))
    rows.append(("per user per day (2 reminders, 2 sessions, 2 check-ins)",
                 f"{sum(day.values())} calls: {detail}"))  # fmt: skip
    return rows


if __name__ == "__main__":
    for metric, value in run(quick=False):
        print(f"{metric}: {value}")
