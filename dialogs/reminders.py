"""Morning and evening reminders: when they are due, what they say, and what people do with them.

Timers (each at most one per user; ``StartTimer`` replaces the same kind):

- ``reminder:morning`` / ``reminder:evening``: the slot's next occurrence. Its token is
  ``<slot>.<due epoch>.<HH:MM>.<zone>`` so a reminder booked for a time or zone the user has
  since changed is recognised and dropped, and the same occurrence is never handled twice.
- ``snooze``: the pending reminder again, later. ``nudge``: one gentle follow-up.
- ``pause_end``: the end of a holiday pause.

Policies:

- Each occurrence fires once. One more than ``reminder_grace_minutes`` late (the coach was
  down) is recorded as missed and not sent: no burst after downtime.
- A slot the user set inside quiet hours is honoured; the nudge never lands in quiet hours,
  and never once the next slot has started. Snoozes are the user's own choice and are kept.
- The morning and evening reminders are never stacked: a new one replaces an unanswered one.
- A user who keeps snoozing the same slot is offered, once, to move it; never moved silently.
- While paused (holiday) or while a red flag pauses exercise, reminders are recorded, not sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from dialogs import session
from dialogs.actions import CancelTimers, RecordReminder, ShowProgress, StartTimer
from dialogs.schedule import (
    NoSuchLocalDay,
    format_local,
    local_date,
    next_occurrence,
    next_outside_quiet_hours,
    occurrence_on,
    parse_clock_time,
    parse_duration,
)
from dialogs.state import Idle, ReminderState
from dialogs.turn import Turn

__all__ = [
    "SLOTS",
    "answered_by_session",
    "on_choice",
    "on_due",
    "on_nudge",
    "on_pause_end",
    "on_snooze_due",
    "on_text",
    "pause_menu",
    "resume",
    "schedule_all",
    "snooze_command",
    "timer_kind",
]

SLOTS = ("morning", "evening")
SNOOZE_KIND = "snooze"
NUDGE_KIND = "nudge"
PAUSE_END_KIND = "pause_end"
WEEKLY_KIND = "weekly"
WEEKLY_DAY = 6  # Sunday
WEEKLY_DEFAULT_TIME = "19:00"
PAUSE_DAYS = {"pause_1": 1, "pause_3": 3, "pause_7": 7, "pause_0": 0}
SNOOZE_MINUTES = {"snooze_10": 10, "snooze_30": 30, "snooze_60": 60}


def timer_kind(slot: str) -> str:
    return f"reminder:{slot}"


def _zone(turn: Turn) -> str:
    return turn.state.profile.timezone or turn.content.config.default_timezone


def _slot_time(turn: Turn, slot: str) -> str | None:
    profile = turn.state.profile
    value: str | None = profile.morning if slot == "morning" else profile.evening
    return value


def _clock(hhmm: str) -> time:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return time(hour, minute)


def _token(slot: str, due: datetime, hhmm: str, tz: str) -> str:
    return f"{slot}.{int(due.timestamp())}.{hhmm}.{tz}"


def _parse_token(token: str) -> tuple[str, datetime, str, str] | None:
    parts = token.split(".", 3)
    if len(parts) != 4 or not parts[1].lstrip("-").isdigit():
        return None
    return parts[0], datetime.fromtimestamp(int(parts[1]), UTC), parts[2], parts[3]


def _set(turn: Turn, **changes: object) -> None:
    turn.update(reminders=turn.state.reminders.model_copy(update=changes))


# --- booking ---------------------------------------------------------------------------------


def _next_due(turn: Turn, slot: str, after: datetime) -> datetime | None:
    hhmm = _slot_time(turn, slot)
    if hhmm is None:
        return None
    return next_occurrence(_clock(hhmm), _zone(turn), after)


def _book(turn: Turn, slot: str, after: datetime) -> None:
    """Book the slot's next occurrence strictly after ``after`` (or cancel a switched-off slot)."""
    hhmm = _slot_time(turn, slot)
    due = _next_due(turn, slot, after)
    if hhmm is None or due is None or not turn.state.profile.onboarded:
        turn.actions.append(CancelTimers((timer_kind(slot),)))
        return
    turn.actions.append(StartTimer(timer_kind(slot), due, _token(slot, due, hhmm, _zone(turn))))


def schedule_all(turn: Turn) -> None:
    """(Re)book both slots from now: after onboarding, a settings change, travel, /start."""
    for slot in SLOTS:
        _book(turn, slot, turn.now)
    _book_weekly(turn)


def _book_weekly(turn: Turn) -> None:
    """The weekly summary: Sundays at the evening reminder time (19:00 when that is off)."""
    p = turn.state.profile
    if not p.onboarded or not p.consent_store:
        turn.actions.append(CancelTimers((WEEKLY_KIND,)))
        return
    at = _clock(p.evening or WEEKLY_DEFAULT_TIME)
    due = next_occurrence(at, _zone(turn), turn.now)
    for _ in range(8):
        if local_date(due, _zone(turn)).weekday() == WEEKLY_DAY:
            break
        due = next_occurrence(at, _zone(turn), due)
    # a minute after the evening reminder, so the two never arrive as one
    due += timedelta(minutes=1)
    turn.actions.append(StartTimer(WEEKLY_KIND, due, str(int(due.timestamp()))))
    turn.update(adapt=turn.state.adapt.model_copy(update={"weekly_due": due}))


def on_weekly(turn: Turn, token: str) -> None:
    due = turn.state.adapt.weekly_due
    if due is None or token != str(int(due.timestamp())):
        return
    _book_weekly(turn)
    if turn.now - due > timedelta(hours=12) or turn.state.safety.hold_tier is not None:
        return
    turn.actions.append(ShowProgress("weekly"))
    # the short weekly safety check comes before the next session, never blocking reminders
    turn.update(adapt=turn.state.adapt.model_copy(update={"weekly_screen_due": True}))


def _end_of_slot_day(turn: Turn, slot: str, due: datetime) -> datetime:
    """The regular time on the local date of ``due``: the next booking comes after it, so a
    one-off earlier time today never causes a second reminder the same day."""
    hhmm = _slot_time(turn, slot)
    if hhmm is None:
        return turn.now
    try:
        regular = occurrence_on(_clock(hhmm), _zone(turn), local_date(due, _zone(turn)))
    except NoSuchLocalDay:
        return max(turn.now, due)
    return max(turn.now, due, regular)


# --- a reminder comes due ----------------------------------------------------------------


def on_due(turn: Turn, slot: str, token: str) -> None:
    parsed = _parse_token(token)
    if parsed is None or parsed[0] != slot:
        return
    _, due, hhmm, tz = parsed
    if tz != _zone(turn):
        return  # booked before the user changed time zone; the new booking stands
    state = turn.state.reminders
    if state.handled.get(slot) == due:
        return  # the same occurrence delivered twice (a crash between claim and finish)
    regular = hhmm == _slot_time(turn, slot)
    if not regular and hhmm != "once":
        return  # booked for a time the user has since changed
    _set(turn, handled={**state.handled, slot: due})
    _book(turn, slot, _end_of_slot_day(turn, slot, due))
    outcome = _deliver(turn, slot, due)
    turn.actions.append(RecordReminder(slot=slot, due_at=due, outcome=outcome, at=turn.now))


def _deliver(turn: Turn, slot: str, due: datetime) -> str:
    state = turn.state
    grace = timedelta(minutes=turn.content.config.reminder_grace_minutes)
    if _paused(turn):
        return "paused"
    if state.safety.hold_tier is not None:
        return "safety_pause"
    if turn.now - due > grace:
        return "missed"
    if not isinstance(state.flow, Idle) or not state.profile.onboarded:
        return "busy"
    # Never stacked: a new reminder replaces one still waiting for an answer.
    turn.actions.append(CancelTimers((NUDGE_KIND, SNOOZE_KIND)))
    _set(
        turn, pending=slot, pending_due=due, nudged=False, snoozed_this=False, asking_time_for=None
    )
    _send_reminder(turn, slot)
    _book_nudge(turn, slot, due)
    return "sent"


def _send_reminder(turn: Turn, slot: str) -> None:
    r = turn.m.reminders
    p = turn.state.profile
    minutes = session.minutes_for(turn.content, p.variation, p.reps, p.hold_seconds)
    text = (r.morning if slot == "morning" else r.evening).format(minutes=minutes)
    turn.ask(text, _reminder_choices(turn), per_row=3, durable=True)


def _reminder_choices(turn: Turn) -> list[tuple[str, str]]:
    r = turn.m.reminders
    return [
        ("remind_start", r.start),
        ("snooze_10", r.snooze_10),
        ("snooze_30", r.snooze_30),
        ("snooze_60", r.snooze_60),
        ("remind_other", r.other_time),
        ("remind_skip", r.skip),
    ]


def _quiet(turn: Turn) -> tuple[time, time] | None:
    p = turn.state.profile
    if p.quiet_start is None or p.quiet_end is None or p.quiet_start == p.quiet_end:
        return None
    return _clock(p.quiet_start), _clock(p.quiet_end)


def _book_nudge(turn: Turn, slot: str, due: datetime) -> None:
    at = turn.now + timedelta(minutes=turn.content.config.nudge_after_minutes)
    quiet = _quiet(turn)
    if quiet is not None:
        at = next_outside_quiet_hours(at, _zone(turn), *quiet)
    if at >= _next_slot_start(turn, due):
        return  # too late: the next session has started by then
    turn.actions.append(StartTimer(NUDGE_KIND, at, f"{slot}.{int(due.timestamp())}"))


def _next_slot_start(turn: Turn, due: datetime) -> datetime:
    """When the next reminder after this one (either slot) is due."""
    candidates = [d for s in SLOTS if (d := _next_due(turn, s, due)) is not None]
    return min(candidates, default=due + timedelta(days=1))


def _pending_matches(turn: Turn, token: str) -> str | None:
    state = turn.state.reminders
    slot, _, epoch = token.partition(".")
    if state.pending != slot or state.pending_due is None:
        return None
    if epoch != str(int(state.pending_due.timestamp())):
        return None
    return slot


def on_nudge(turn: Turn, token: str) -> None:
    slot = _pending_matches(turn, token)
    state = turn.state
    if slot is None or state.reminders.nudged or _paused(turn) or not isinstance(state.flow, Idle):
        return
    if state.safety.hold_tier is not None:
        return
    quiet = _quiet(turn)
    if quiet is not None and next_outside_quiet_hours(turn.now, _zone(turn), *quiet) != turn.now:
        return  # never inside quiet hours (a late timer after downtime, say)
    _set(turn, nudged=True)
    r = turn.m.reminders
    text = r.nudge_morning if slot == "morning" else r.nudge_evening
    turn.ask(text, [("remind_start", r.start), ("remind_skip", r.skip)], durable=True)


def on_snooze_due(turn: Turn, token: str) -> None:
    slot = _pending_matches(turn, token)
    state = turn.state
    if slot is None or _paused(turn) or state.safety.hold_tier is not None:
        return
    if not isinstance(state.flow, Idle):
        return
    _send_reminder(turn, slot)


# --- what people do with a reminder -------------------------------------------------------


def on_choice(turn: Turn, choice: str) -> None:
    if choice in SNOOZE_MINUTES:
        _snooze(turn, timedelta(minutes=SNOOZE_MINUTES[choice]))
    elif choice == "remind_start":
        _answered(turn, "started")
        session.begin(turn)
    elif choice == "remind_later":
        turn.send(turn.m.reminders.later_ok)
    elif choice == "remind_skip":
        _skip(turn)
    elif choice == "remind_other":
        slot = turn.state.reminders.pending
        if slot is not None:
            _set(turn, asking_time_for=slot)
            turn.send(turn.m.reminders.ask_time_today)
    elif choice in PAUSE_DAYS:
        _pause(turn, PAUSE_DAYS[choice])
    elif choice.startswith("move_"):
        _move(turn, choice)


def on_text(turn: Turn, text: str) -> bool:
    """Typed answers while a reminder waits: a delay such as ``45m``, or a time for today."""
    state = turn.state.reminders
    if state.asking_time_for is not None:
        when = parse_clock_time(text)
        if when is None:
            turn.send(turn.m.onboarding.time_invalid.format(text=text[:40]))
        else:
            _today_at(turn, state.asking_time_for, when)
        return True
    if state.pending is None:
        return False
    delay = parse_duration(text)
    if delay is not None:
        _snooze(turn, delay)
        return True
    return False


def snooze_command(turn: Turn, args: str) -> None:
    """``/snooze`` or ``/snooze 45m``: 30 minutes unless a delay is given."""
    r = turn.m.reminders
    if turn.state.reminders.pending is None:
        turn.send(r.nothing_to_snooze)
        return
    if not args.strip():
        _snooze(turn, timedelta(minutes=30))
        return
    delay = parse_duration(args)
    if delay is None:
        turn.send(r.snooze_invalid.format(text=args[:40]))
    else:
        _snooze(turn, delay)


def _snooze(turn: Turn, delay: timedelta) -> None:
    state = turn.state.reminders
    slot, due = state.pending, state.pending_due
    if slot is None or due is None:
        turn.send(turn.m.reminders.nothing_to_snooze)
        return
    at = turn.now + delay
    turn.actions.append(CancelTimers((NUDGE_KIND,)))
    turn.actions.append(StartTimer(SNOOZE_KIND, at, f"{slot}.{int(due.timestamp())}"))
    turn.actions.append(RecordReminder(slot=slot, due_at=due, outcome="snoozed", at=turn.now))
    in_a_row = dict(state.snoozes_in_a_row)
    if not state.snoozed_this:
        in_a_row[slot] = in_a_row.get(slot, 0) + 1
    _set(turn, snoozed_this=True, snoozes_in_a_row=in_a_row, nudged=True)
    r = turn.m.reminders
    turn.send(r.snoozed.format(time=format_local(at, _zone(turn))[-5:]))
    limit = turn.content.config.snoozes_before_offer
    if in_a_row[slot] >= limit and slot not in state.move_offered:
        _offer_move(turn, slot, at)


def _offer_move(turn: Turn, slot: str, at: datetime) -> None:
    """Offer, once, to move a slot the user keeps snoozing to the time they snoozed to."""
    r = turn.m.reminders
    local = format_local(at, _zone(turn))[-5:]
    hour, minute = (int(x) for x in local.split(":"))
    minute = minute - minute % 5
    target = f"{hour:02d}:{minute:02d}"
    _set(turn, move_offered=(*turn.state.reminders.move_offered, slot))
    name = r.slot_morning if slot == "morning" else r.slot_evening
    turn.ask(
        r.offer_move.format(slot=name, time=target),
        [
            (f"move_{slot}_{target.replace(':', '')}", r.move_yes.format(time=target)),
            ("move_no", r.move_no),
        ],
        per_row=1,
    )


def _move(turn: Turn, choice: str) -> None:
    r = turn.m.reminders
    parts = choice.split("_")
    if len(parts) != 3 or parts[1] not in SLOTS or len(parts[2]) != 4:
        turn.send(r.kept)
        return
    slot, hhmm = parts[1], f"{parts[2][:2]}:{parts[2][2:]}"
    if slot == "morning":
        turn.set_profile(morning=hhmm)
    else:
        turn.set_profile(evening=hhmm)
    counts = dict(turn.state.reminders.snoozes_in_a_row)
    counts[slot] = 0
    _set(turn, snoozes_in_a_row=counts)
    _book(turn, slot, turn.now)
    name = r.slot_morning if slot == "morning" else r.slot_evening
    turn.send(r.moved.format(slot=name, time=hhmm))


def _today_at(turn: Turn, slot: str, when: time) -> None:
    """Move only today's reminder for ``slot``; the usual time stays."""
    r = turn.m.reminders
    tz = _zone(turn)
    try:
        due = occurrence_on(when, tz, local_date(turn.now, tz))
    except NoSuchLocalDay:
        due = turn.now
    hhmm = f"{when.hour:02d}:{when.minute:02d}"
    if due <= turn.now:
        turn.send(r.time_passed.format(time=hhmm))
        return
    _set(turn, asking_time_for=None, pending=None, pending_due=None)
    turn.actions.append(CancelTimers((NUDGE_KIND, SNOOZE_KIND)))
    turn.actions.append(StartTimer(timer_kind(slot), due, _token(slot, due, "once", tz)))
    usual = _slot_time(turn, slot) or r.no_reminders
    turn.send(r.moved_today.format(time=hhmm, usual=usual))


def _answered(turn: Turn, outcome: str) -> None:
    state = turn.state.reminders
    if state.pending is None or state.pending_due is None:
        return
    counts = dict(state.snoozes_in_a_row)
    if not state.snoozed_this:
        counts[state.pending] = 0
    turn.actions.append(CancelTimers((NUDGE_KIND, SNOOZE_KIND)))
    turn.actions.append(
        RecordReminder(slot=state.pending, due_at=state.pending_due, outcome=outcome, at=turn.now)
    )
    _set(turn, pending=None, pending_due=None, snoozes_in_a_row=counts, asking_time_for=None)


def answered_by_session(turn: Turn) -> None:
    """A session started some other way (/stretch) also answers a waiting reminder."""
    _answered(turn, "started")


def _skip(turn: Turn) -> None:
    r = turn.m.reminders
    _answered(turn, "skipped")
    candidates = [d for s in SLOTS if (d := _next_due(turn, s, turn.now)) is not None]
    if candidates:
        turn.send(r.skipped.format(time=format_local(min(candidates), _zone(turn))))
    else:
        turn.send(r.skipped_no_next)


# --- holiday pause ------------------------------------------------------------------------


def _paused(turn: Turn) -> bool:
    state = turn.state.reminders
    if state.paused_indefinitely:
        return True
    return state.paused_until is not None and turn.now < state.paused_until


def pause_menu(turn: Turn) -> None:
    r = turn.m.reminders
    turn.ask(
        r.pause_question,
        [
            ("pause_1", r.pause_1),
            ("pause_3", r.pause_3),
            ("pause_7", r.pause_7),
            ("pause_0", r.pause_0),
        ],
    )


def _pause(turn: Turn, days: int) -> None:
    r = turn.m.reminders
    state = turn.state.reminders
    until = turn.now + timedelta(days=days) if days else None
    pauses = (*_close_open_pause(state, turn.now), (turn.now, until))
    _set(
        turn,
        paused_until=until,
        paused_indefinitely=until is None,
        pauses=pauses[-50:],
        pending=None,
        pending_due=None,
    )
    turn.actions.append(CancelTimers((NUDGE_KIND, SNOOZE_KIND, PAUSE_END_KIND)))
    if until is None:
        turn.send(r.paused_indefinitely)
        return
    turn.actions.append(StartTimer(PAUSE_END_KIND, until, str(int(until.timestamp()))))
    turn.send(r.paused_until.format(date=format_local(until, _zone(turn))))


def _close_open_pause(
    state: ReminderState, now: datetime
) -> tuple[tuple[datetime, datetime | None], ...]:
    return tuple((start, now if end is None or end > now else end) for start, end in state.pauses)


def _lift_pause(turn: Turn) -> None:
    state = turn.state.reminders
    _set(
        turn,
        paused_until=None,
        paused_indefinitely=False,
        pauses=_close_open_pause(state, turn.now),
    )
    turn.actions.append(CancelTimers((PAUSE_END_KIND,)))


def _next_text(turn: Turn) -> str:
    candidates = [d for s in SLOTS if (d := _next_due(turn, s, turn.now)) is not None]
    if not candidates:
        return turn.m.reminders.no_reminders
    return format_local(min(candidates), _zone(turn))


def resume(turn: Turn) -> None:
    r = turn.m.reminders
    if not _paused(turn):
        turn.send(r.not_paused)
        return
    _lift_pause(turn)
    schedule_all(turn)
    turn.send(r.resumed.format(time=_next_text(turn)))


def on_pause_end(turn: Turn, token: str) -> None:
    state = turn.state.reminders
    if state.paused_until is None or token != str(int(state.paused_until.timestamp())):
        return
    _lift_pause(turn)
    schedule_all(turn)
    turn.send(turn.m.reminders.pause_over.format(time=_next_text(turn)), durable=True)
