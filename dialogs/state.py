"""The user's dialog state: one frozen value, stored as JSON with a version number.

Everything the coach needs to decide the next step is here; nothing lives in the transport.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from content.model import Tier, VariationId

__all__ = [
    "AdaptState",
    "CheckInFlow",
    "ClearanceFlow",
    "Flow",
    "Idle",
    "OnboardingFlow",
    "Profile",
    "Prompt",
    "ReminderState",
    "SafetyState",
    "ScreeningFlow",
    "SessionFlow",
    "SettingsFlow",
    "State",
]

STATE_SCHEMA = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Profile(_Frozen):
    onboarded: bool = False
    display_name: str = ""
    consent_store: bool = False
    consent_clinician: bool = False
    timezone: str | None = None
    morning: str | None = "08:00"  # local wall-clock "HH:MM", or None when switched off
    evening: str | None = "20:00"
    variation: VariationId = "floor"
    reps: int = 2
    hold_seconds: int = 20
    quiet_start: str | None = "22:00"  # nudges and catch-ups never land in [start, end)
    quiet_end: str | None = "07:00"


class ReminderState(_Frozen):
    """What the reminders remember between turns."""

    pending: str | None = None  # the slot whose reminder awaits an answer
    pending_due: datetime | None = None  # the occurrence it was for
    nudged: bool = False
    snoozed_this: bool = False  # the pending occurrence has been snoozed at least once
    #: The last occurrence handled per slot: a duplicate delivery of the same timer is ignored.
    handled: dict[str, datetime] = {}
    snoozes_in_a_row: dict[str, int] = {}
    move_offered: tuple[str, ...] = ()
    paused_until: datetime | None = None
    paused_indefinitely: bool = False
    #: Pause periods (start, end or None while open), kept so streaks can skip paused days.
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()
    asking_time_for: str | None = None  # waiting for a typed time for "another time today"


class AdaptState(_Frozen):
    """Progression and step-down bookkeeping."""

    level_since: datetime | None = None  # when the hold/rounds last changed
    sessions_at_level: int = 0
    too_hard: int = 0  # check-ins that said "too hard" since the last change
    weekly_due: datetime | None = None  # the next weekly summary
    weekly_screen_due: bool = False  # ask the weekly safety questions before the next session


class SafetyState(_Frozen):
    #: An open emergency or urgent referral pauses all exercise until cleared.
    hold_tier: Tier | None = None
    #: Every flag the user has reported, for the clinician and for "never step up after a flag".
    flags: tuple[str, ...] = ()
    #: When sharp pain during the stretch was reported; a repeat makes a routine referral.
    sharp_pain_at: tuple[datetime, ...] = ()
    #: When the last red flag of any tier was raised (no automatic step-up after a flag).
    last_flag_at: datetime | None = None


class Prompt(_Frozen):
    """The question on screen: buttons carry ``token`` so an old button is recognised."""

    token: int = 0
    choices: tuple[tuple[str, str], ...] = ()  # (choice id, label) that count as an answer


class Idle(_Frozen):
    kind: Literal["idle"] = "idle"


OnboardingStep = Literal[
    "welcome",
    "consent",
    "clinician_consent",
    "timezone",
    "morning",
    "evening",
    "variation",
    "summary",
]


class OnboardingFlow(_Frozen):
    kind: Literal["onboarding"] = "onboarding"
    step: OnboardingStep = "welcome"


ScreenPurpose = Literal["onboarding", "after_hurt", "pain_rise", "weekly", "confirm"]


class ScreeningFlow(_Frozen):
    kind: Literal["screening"] = "screening"
    purpose: ScreenPurpose
    queue: tuple[str, ...]  # question ids still to ask; the first is on screen
    yes: tuple[str, ...] = ()  # question ids answered yes (or not sure)
    words: str = ""  # what the user typed that started this, for the clinician
    preset: tuple[str, ...] = ()  # flags already known (a repeat of sharp pain; free text)
    preset_tier: Literal["routine", "urgent"] = "routine"  # the tier those flags stand for
    return_to: OnboardingStep | None = None  # where onboarding resumes when nothing is found
    then_session: bool = False  # start the session the user asked for when nothing is found


SessionPhase = Literal["pain_before", "ready", "running", "paused", "hurt_kind", "hurt_mild"]


class SessionFlow(_Frozen):
    kind: Literal["session"] = "session"
    no: int
    started_at: datetime
    variation: VariationId
    reps: int
    hold_seconds: int
    phase: SessionPhase = "pain_before"
    position: int = 0  # index into the session plan
    step_ends_at: datetime | None = None
    timer_due_at: datetime | None = (
        None  # when the pending timer should fire; lateness shows a restart
    )
    remaining: int = 0  # seconds left of the current step while paused
    timer_seq: int = 0  # bumps on every timer, so an old timer is recognised and ignored
    holds_done: int = 0


CheckInStep = Literal["pain", "feel", "stiffness"]


class CheckInFlow(_Frozen):
    kind: Literal["checkin"] = "checkin"
    session_no: int
    completed: bool = False  # the session ran to the end (not stopped early)
    step: CheckInStep = "pain"
    pain: int | None = None
    feel: str | None = None


SettingsStep = Literal[
    "menu", "times_morning", "times_evening", "timezone", "variation", "reps", "hold", "quiet"
]


class SettingsFlow(_Frozen):
    kind: Literal["settings"] = "settings"
    step: SettingsStep = "menu"


class ClearanceFlow(_Frozen):
    """Waiting for the second tap that lifts a safety pause."""

    kind: Literal["clearance"] = "clearance"


Flow = Annotated[
    Idle
    | OnboardingFlow
    | ScreeningFlow
    | SessionFlow
    | CheckInFlow
    | SettingsFlow
    | ClearanceFlow,
    Field(discriminator="kind"),
]


class State(_Frozen):
    schema_version: int = STATE_SCHEMA
    profile: Profile = Profile()
    safety: SafetyState = SafetyState()
    reminders: ReminderState = ReminderState()
    adapt: AdaptState = AdaptState()
    flow: Flow = Idle()
    prompt: Prompt = Prompt()
    sessions_started: int = 0
    recent_pain: tuple[int, ...] = ()  # the last few after-session pain scores

    def to_json(self) -> str:
        return self.model_dump_json()

    @classmethod
    def from_json(cls, raw: str) -> State:
        return cls.model_validate_json(raw)
