"""Morning and evening reminders: when the next one is due, and what it says.

A reminder is a durable timer per slot (``reminder:morning``, ``reminder:evening``) whose token
is the slot's time, so a reminder set for an old time is recognised and dropped.
"""

from __future__ import annotations

from datetime import time

from dialogs import session
from dialogs.actions import CancelTimers, StartTimer
from dialogs.schedule import next_occurrence
from dialogs.state import Idle
from dialogs.turn import Turn

__all__ = ["SLOTS", "on_choice", "on_due", "schedule_all", "timer_kind"]

SLOTS = ("morning", "evening")


def timer_kind(slot: str) -> str:
    return f"reminder:{slot}"


def _slot_time(turn: Turn, slot: str) -> str | None:
    profile = turn.state.profile
    value: str | None = profile.morning if slot == "morning" else profile.evening
    return value


def _schedule(turn: Turn, slot: str) -> None:
    hhmm = _slot_time(turn, slot)
    if hhmm is None or not turn.state.profile.onboarded:
        turn.actions.append(CancelTimers((timer_kind(slot),)))
        return
    tz = turn.state.profile.timezone or turn.content.config.default_timezone
    hour, minute = (int(x) for x in hhmm.split(":"))
    due = next_occurrence(time(hour, minute), tz, turn.now)
    turn.actions.append(StartTimer(timer_kind(slot), due, f"{slot}.{hhmm}.{tz}"))


def schedule_all(turn: Turn) -> None:
    for slot in SLOTS:
        _schedule(turn, slot)


def on_due(turn: Turn, slot: str, token: str) -> None:
    """Send the reminder unless exercise is paused or the user is busy; always book the next."""
    hhmm = _slot_time(turn, slot)
    tz = turn.state.profile.timezone or turn.content.config.default_timezone
    if token != f"{slot}.{hhmm}.{tz}":
        return  # set for a time or zone the user has since changed
    _schedule(turn, slot)
    state = turn.state
    if state.safety.hold_tier is not None or not isinstance(state.flow, Idle):
        return
    r = turn.m.reminders
    p = state.profile
    minutes = session.minutes_for(turn.content, p.variation, p.reps, p.hold_seconds)
    text = (r.morning if slot == "morning" else r.evening).format(minutes=minutes)
    turn.ask(text, [("remind_start", r.start), ("remind_later", r.later)])


def on_choice(turn: Turn, choice: str) -> None:
    if choice == "remind_start":
        session.begin(turn)
    else:
        turn.send(turn.m.reminders.later_ok)
