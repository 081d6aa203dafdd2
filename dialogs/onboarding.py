"""Onboarding: what the coach is, consent, the safety screen, time zone, times, variation.

Transitions, in order (a safety screen that finds something leaves this line; see safety.py):

    welcome -> consent -> [clinician_consent] -> (screen) -> timezone -> morning -> evening
            -> variation -> summary -> (session | idle)
"""

from __future__ import annotations

from content.model import VARIATION_IDS
from dialogs import reminders, safety, session
from dialogs.schedule import looks_like_fixed_offset, parse_clock_time, parse_timezone
from dialogs.state import Idle, OnboardingFlow, OnboardingStep
from dialogs.turn import Turn, normalise

__all__ = ["EDGES", "ask_step", "begin", "on_choice", "on_text", "plan_summary"]

#: Every transition this flow may take, for the generated diagram and the tests that check it.
EDGES: tuple[tuple[str, str], ...] = (
    ("welcome", "consent"),
    ("consent", "clinician_consent"),
    ("consent", "screen"),
    ("clinician_consent", "screen"),
    ("screen", "timezone"),
    ("timezone", "morning"),
    ("morning", "evening"),
    ("evening", "variation"),
    ("variation", "summary"),
    ("summary", "session"),
    ("summary", "idle"),
)

MORNING_CHOICES = ("07:00", "08:00", "09:00")
EVENING_CHOICES = ("19:00", "20:00", "21:00")


def begin(turn: Turn, display_name: str = "") -> None:
    turn.set_profile(display_name=display_name[:64])
    ask_step(turn, "welcome")


def ask_step(turn: Turn, step: OnboardingStep) -> None:
    """Put the question of ``step`` on screen and make it the current step."""
    turn.set_flow(OnboardingFlow(step=step))
    text = turn.m.onboarding
    if step == "welcome":
        turn.ask(turn.fmt(text.welcome), [("go", text.welcome_button)])
    elif step == "consent":
        turn.ask(text.consent, [("yes", text.consent_yes), ("no", text.consent_no)], per_row=1)
    elif step == "clinician_consent":
        turn.ask(
            turn.fmt(text.clinician_consent),
            [("yes", text.clinician_yes), ("no", text.clinician_no)],
            per_row=1,
        )
    elif step == "timezone":
        turn.ask(text.timezone, _timezone_choices(turn), per_row=2)
    elif step == "morning":
        choices = [(_time_id(t), t) for t in MORNING_CHOICES] + [("off", text.time_off)]
        turn.ask(text.morning, choices, per_row=4)
    elif step == "evening":
        choices = [(_time_id(t), t) for t in EVENING_CHOICES] + [("off", text.time_off)]
        turn.ask(text.evening, choices, per_row=4)
    elif step == "variation":
        variations = turn.content.programme.variations
        choices = [(v, variations.get(v).name) for v in VARIATION_IDS]
        turn.ask(text.variation, choices, per_row=1)
    elif step == "summary":
        turn.set_profile(onboarded=True)
        reminders.schedule_all(turn)
        summary = turn.fmt(text.summary, **plan_summary(turn))
        turn.ask(summary, [("start", text.start_now), ("later", text.later)])


def plan_summary(turn: Turn) -> dict[str, object]:
    """The values the plan summaries show, shared by onboarding and settings."""
    p = turn.state.profile
    off = turn.m.onboarding.reminder_off
    return {
        "timezone": p.timezone or turn.content.config.default_timezone,
        "morning": p.morning or off,
        "evening": p.evening or off,
        "variation": turn.content.programme.variations.get(p.variation).name,
        "reps": p.reps,
        "seconds": p.hold_seconds,
        "quiet": f"{p.quiet_start}–{p.quiet_end}"
        if p.quiet_start and p.quiet_end
        else turn.m.reminders.quiet_off,
    }


def on_choice(turn: Turn, flow: OnboardingFlow, choice: str) -> None:
    step = flow.step
    if step == "welcome":
        ask_step(turn, "consent")
    elif step == "consent":
        turn.set_profile(consent_store=choice == "yes")
        if choice != "yes":
            turn.send(turn.m.onboarding.consent_declined)
        if turn.content.config.clinician_chat_enabled:
            ask_step(turn, "clinician_consent")
        else:
            _start_screen(turn)
    elif step == "clinician_consent":
        turn.set_profile(consent_clinician=choice == "yes")
        _start_screen(turn)
    elif step == "timezone":
        zone = dict(_timezone_choices(turn)).get(choice)
        if zone is not None:
            _set_timezone(turn, zone)
    elif step in ("morning", "evening"):
        value = None if choice == "off" else f"{choice[1:3]}:{choice[3:5]}"
        _set_time(turn, step, value)
    elif step == "variation" and choice in VARIATION_IDS:
        turn.set_profile(variation=choice)
        ask_step(turn, "summary")
    elif step == "summary":
        if choice == "start":
            session.begin(turn)
        else:
            turn.set_flow(Idle())
            turn.send(turn.m.onboarding.later_ok)


def on_text(turn: Turn, flow: OnboardingFlow, text: str) -> bool:
    """Typed answers for the steps that take them. False when the text isn't an answer here."""
    ob = turn.m.onboarding
    if flow.step == "timezone":
        zone = parse_timezone(text, turn.content.config.known_timezones)
        if zone is not None:
            _set_timezone(turn, zone)
        elif looks_like_fixed_offset(text):
            turn.send(ob.timezone_offset.format(text=text[:40]))
        else:
            turn.send(ob.timezone_unknown.format(text=text[:40]))
        return True
    if flow.step in ("morning", "evening"):
        if normalise(text) in ob.time_off_words:
            _set_time(turn, flow.step, None)
            return True
        parsed = parse_clock_time(text)
        if parsed is None:
            turn.send(ob.time_invalid.format(text=text[:40]))
        else:
            _set_time(turn, flow.step, f"{parsed.hour:02d}:{parsed.minute:02d}")
        return True
    return False


def _start_screen(turn: Turn) -> None:
    turn.send(turn.m.onboarding.screen_intro)
    safety.start_screen(turn, "onboarding", return_to="timezone")


def _set_timezone(turn: Turn, zone: str) -> None:
    turn.set_profile(timezone=zone)
    turn.send(turn.m.onboarding.timezone_set.format(timezone=zone))
    ask_step(turn, "morning")


def _set_time(turn: Turn, step: OnboardingStep, value: str | None) -> None:
    if step == "morning":
        turn.set_profile(morning=value)
        ask_step(turn, "evening")
    else:
        turn.set_profile(evening=value)
        ask_step(turn, "variation")


def _timezone_choices(turn: Turn) -> list[tuple[str, str]]:
    config = turn.content.config
    zones = [config.default_timezone, *config.timezone_choices]
    unique = list(dict.fromkeys(zones))[:8]
    return [(f"z{i}", zone) for i, zone in enumerate(unique)]


def _time_id(hhmm: str) -> str:
    return "t" + hhmm.replace(":", "")
