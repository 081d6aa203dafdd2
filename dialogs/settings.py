"""Settings: change reminder times, time zone, version, rounds and hold length at any time."""

from __future__ import annotations

from content.model import VARIATION_IDS
from dialogs import onboarding, reminders
from dialogs.schedule import looks_like_fixed_offset, parse_clock_time, parse_timezone
from dialogs.state import Idle, SettingsFlow, SettingsStep
from dialogs.turn import Turn, as_number, normalise

__all__ = ["EDGES", "on_choice", "on_text", "open_menu"]

EDGES: tuple[tuple[str, str], ...] = tuple(
    [
        ("menu", s)
        for s in ("times_morning", "timezone", "variation", "reps", "hold", "quiet", "idle")
    ]
    + [("times_morning", "times_evening"), ("times_evening", "menu")]
    + [(s, "menu") for s in ("timezone", "variation", "reps", "hold", "quiet")]
)


def open_menu(turn: Turn) -> None:
    s = turn.m.settings
    turn.set_flow(SettingsFlow(step="menu"))
    summary = turn.fmt(s.summary, **onboarding.plan_summary(turn))
    choices = [
        ("times", s.times),
        ("timezone", s.timezone),
        ("variation", s.variation),
        ("reps", s.reps),
        ("hold", s.hold),
        ("quiet", s.quiet),
        ("done", s.done),
    ]
    turn.ask(s.menu.format(summary=summary), choices, per_row=2)


def _ask(turn: Turn, step: SettingsStep) -> None:
    turn.set_flow(SettingsFlow(step=step))
    s = turn.m.settings
    ob = turn.m.onboarding
    t = turn.content.programme.timings
    if step == "times_morning":
        choices = [("t" + x.replace(":", ""), x) for x in onboarding.MORNING_CHOICES]
        turn.ask(ob.morning, [*choices, ("off", ob.time_off)], per_row=4)
    elif step == "times_evening":
        choices = [("t" + x.replace(":", ""), x) for x in onboarding.EVENING_CHOICES]
        turn.ask(ob.evening, [*choices, ("off", ob.time_off)], per_row=4)
    elif step == "timezone":
        zones = list(
            dict.fromkeys(
                [turn.content.config.default_timezone, *turn.content.config.timezone_choices]
            )
        )[:8]
        turn.ask(ob.timezone, [(f"z{i}", z) for i, z in enumerate(zones)], per_row=2)
    elif step == "variation":
        variations = turn.content.programme.variations
        turn.ask(ob.variation, [(v, variations.get(v).name) for v in VARIATION_IDS], per_row=1)
    elif step == "reps":
        turn.ask(s.reps_question, [(str(n), str(n)) for n in range(t.reps_min, t.reps_max + 1)])
    elif step == "quiet":
        choices = [(cid, f"{a}–{b}") for cid, (a, b) in QUIET_CHOICES.items()]
        turn.ask(turn.m.reminders.quiet_question, [*choices, ("q_off", turn.m.reminders.quiet_off)])
    elif step == "hold":
        options = sorted(
            {t.hold_min_seconds, (t.hold_min_seconds + t.hold_max_seconds) // 2, t.hold_max_seconds}
        )
        turn.ask(
            s.hold_question.format(min=t.hold_min_seconds, max=t.hold_max_seconds),
            [(str(n), f"{n} s") for n in options],
            per_row=3,
        )


def on_choice(turn: Turn, flow: SettingsFlow, choice: str) -> None:
    step = flow.step
    if step == "menu":
        if choice == "done":
            turn.set_flow(Idle())
            turn.send(turn.m.settings.closed)
        elif choice == "times":
            _ask(turn, "times_morning")
        elif choice == "timezone":
            _ask(turn, "timezone")
        elif choice == "variation":
            _ask(turn, "variation")
        elif choice == "reps":
            _ask(turn, "reps")
        elif choice == "hold":
            _ask(turn, "hold")
        elif choice == "quiet":
            _ask(turn, "quiet")
    elif step in ("times_morning", "times_evening"):
        _set_time(turn, step, None if choice == "off" else f"{choice[1:3]}:{choice[3:5]}")
    elif step == "timezone":
        zones = list(
            dict.fromkeys(
                [turn.content.config.default_timezone, *turn.content.config.timezone_choices]
            )
        )
        index = int(choice[1:]) if choice[1:].isdigit() else -1
        if 0 <= index < len(zones):
            _saved(turn, timezone=zones[index])
    elif step == "variation" and choice in VARIATION_IDS:
        _saved(turn, variation=choice)
    elif step == "reps" and choice.isdigit():
        _set_reps(turn, int(choice))
    elif step == "hold" and choice.isdigit():
        _set_hold(turn, int(choice))
    elif step == "quiet":
        window = QUIET_CHOICES.get(choice)
        _saved(
            turn, quiet_start=window[0] if window else None, quiet_end=window[1] if window else None
        )


def on_text(turn: Turn, flow: SettingsFlow, text: str) -> bool:
    step = flow.step
    ob = turn.m.onboarding
    said = normalise(text).removesuffix("s").removesuffix("sec").removesuffix("second").strip()
    if step in ("times_morning", "times_evening"):
        if normalise(text) in ob.time_off_words:
            _set_time(turn, step, None)
            return True
        parsed = parse_clock_time(text)
        if parsed is None:
            turn.send(ob.time_invalid.format(text=text[:40]))
        else:
            _set_time(turn, step, f"{parsed.hour:02d}:{parsed.minute:02d}")
        return True
    if step == "timezone":
        zone = parse_timezone(text, turn.content.config.known_timezones)
        if zone is not None:
            _saved(turn, timezone=zone)
        elif looks_like_fixed_offset(text):
            turn.send(ob.timezone_offset.format(text=text[:40]))
        else:
            turn.send(ob.timezone_unknown.format(text=text[:40]))
        return True
    if step == "reps":
        _set_reps(turn, as_number(said, 0, 99) or -1)
        return True
    if step == "hold":
        _set_hold(turn, as_number(said, 0, 999) or -1)
        return True
    if step == "quiet":
        window = parse_window(text)
        if window is None:
            turn.send(turn.m.reminders.quiet_invalid.format(text=text[:40]))
        else:
            _saved(turn, quiet_start=window[0], quiet_end=window[1])
        return True
    return False


QUIET_CHOICES = {
    "q2207": ("22:00", "07:00"),
    "q2308": ("23:00", "08:00"),
    "q2106": ("21:00", "06:00"),
}


def parse_window(text: str) -> tuple[str, str] | None:
    """``22:00-07:00``, ``22-7``, ``10pm to 7am``: a quiet-hours range, or None."""
    said = normalise(text).replace("–", "-").replace(" to ", "-")
    start, sep, end = said.partition("-")
    if not sep:
        return None
    first, second = parse_clock_time(start), parse_clock_time(end)
    if first is None or second is None or first == second:
        return None
    return f"{first.hour:02d}:{first.minute:02d}", f"{second.hour:02d}:{second.minute:02d}"


def _set_time(turn: Turn, step: SettingsStep, value: str | None) -> None:
    if step == "times_morning":
        turn.set_profile(morning=value)
        _ask(turn, "times_evening")
    else:
        _saved(turn, evening=value)


def _set_reps(turn: Turn, reps: int) -> None:
    t = turn.content.programme.timings
    if t.reps_min <= reps <= t.reps_max:
        _saved(turn, reps=reps)
    else:
        turn.send(turn.m.settings.reps_invalid.format(min=t.reps_min, max=t.reps_max))


def _set_hold(turn: Turn, seconds: int) -> None:
    t = turn.content.programme.timings
    if t.hold_min_seconds <= seconds <= t.hold_max_seconds:
        _saved(turn, hold_seconds=seconds)
    else:
        turn.send(
            turn.m.settings.hold_invalid.format(min=t.hold_min_seconds, max=t.hold_max_seconds)
        )


def _saved(turn: Turn, **changes: object) -> None:
    turn.set_profile(**changes)
    reminders.schedule_all(turn)
    turn.send(turn.m.settings.saved)
    open_menu(turn)
