"""Typed models of the content files. Unknown or missing keys fail at load, never at run time."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Tier = Literal["emergency", "urgent", "routine"]
VariationId = Literal["floor", "seated", "wall", "strap"]
VARIATION_IDS: tuple[VariationId, ...] = ("floor", "seated", "wall", "strap")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- messages.yaml -------------------------------------------------------------------------


class CommonText(_Strict):
    expired: str
    not_understood_choice: str
    something_wrong: str
    too_long: str
    back_to_menu: str
    not_onboarded: str
    unknown_command: str
    ok: str


class OnboardingText(_Strict):
    welcome: str
    welcome_button: str
    consent: str
    consent_yes: str
    consent_no: str
    consent_declined: str
    clinician_consent: str
    clinician_yes: str
    clinician_no: str
    screen_intro: str
    screen_clear: str
    stopped_for_safety: str
    timezone: str
    timezone_keep: str
    timezone_unknown: str
    timezone_offset: str
    timezone_set: str
    morning: str
    evening: str
    time_off: str
    time_off_words: tuple[str, ...]
    time_invalid: str
    variation: str
    summary: str
    start_now: str
    later: str
    later_ok: str
    reminder_off: str


class SessionText(_Strict):
    not_allowed: str
    intro: str
    pain_before: str
    skip: str
    ready: str
    pause: str
    resume: str
    stop: str
    hurts: str
    countdown: str
    hold_done: str
    paused: str
    already_paused: str
    not_paused: str
    resumed: str
    stopped: str
    interrupted: str
    finished: str
    weekly_check: str
    no_session: str
    in_session: str


FeelId = Literal["mild_pull", "hardly", "sharp", "down_leg", "numb", "too_hard"]
WORRYING_FEELS: frozenset[str] = frozenset({"sharp", "down_leg", "numb"})


class FeelOptions(_Strict):
    mild_pull: str
    hardly: str
    sharp: str
    down_leg: str
    numb: str
    too_hard: str


class CheckInText(_Strict):
    pain: str
    feel: str
    feel_options: FeelOptions
    stiffness: str
    number_invalid: str
    saved: str
    not_saved: str
    hardly_tip: str
    mild_tip: str
    pain_up: str
    encouragement: str


class SettingsText(_Strict):
    menu: str
    summary: str
    times: str
    timezone: str
    variation: str
    reps: str
    hold: str
    quiet: str
    done: str
    reps_question: str
    hold_question: str
    hold_invalid: str
    reps_invalid: str
    saved: str
    closed: str


class HelpText(_Strict):
    text: str
    privacy: str
    fallback: str
    faq_more: str


class ReminderText(_Strict):
    morning: str
    evening: str
    nudge_morning: str
    nudge_evening: str
    start: str
    later: str
    later_ok: str
    snooze_10: str
    snooze_30: str
    snooze_60: str
    other_time: str
    skip: str
    snoozed: str
    snooze_hint: str
    snooze_invalid: str
    nothing_to_snooze: str
    skipped: str
    skipped_no_next: str
    ask_time_today: str
    moved_today: str
    time_passed: str
    offer_move: str
    move_yes: str
    move_no: str
    moved: str
    kept: str
    slot_morning: str
    slot_evening: str
    pause_question: str
    pause_1: str
    pause_3: str
    pause_7: str
    pause_0: str
    paused_until: str
    paused_indefinitely: str
    pause_over: str
    resumed: str
    not_paused: str
    quiet_question: str
    quiet_off: str
    quiet_invalid: str
    no_reminders: str


class TelegramCommands(_Strict):
    """The command menu Telegram shows, in order: each command's description (1-256 chars)."""

    start: str = Field(min_length=1, max_length=256)
    stretch: str = Field(min_length=1, max_length=256)
    snooze: str = Field(min_length=1, max_length=256)
    pause: str = Field(min_length=1, max_length=256)
    resume: str = Field(min_length=1, max_length=256)
    settings: str = Field(min_length=1, max_length=256)
    progress: str = Field(min_length=1, max_length=256)
    help: str = Field(min_length=1, max_length=256)
    export: str = Field(min_length=1, max_length=256)
    delete: str = Field(min_length=1, max_length=256)


class TelegramText(_Strict):
    """What Telegram shows about the bot: its description, short description and commands."""

    description: str = Field(min_length=1, max_length=512)
    short_description: str = Field(min_length=1, max_length=120)
    commands: TelegramCommands


class Encouragement(_Strict):
    pain_up: str
    restart: str
    pain_down: str
    goal_met: str
    streak: str
    keep_going: str


class ProgressText(_Strict):
    title: str
    weekly_title: str
    streak: str
    week: str
    pain: str
    no_pain_yet: str
    unavailable: str
    chart_title: str
    chart_before: str
    chart_after: str
    chart_sessions: str
    report_title: str
    report_lines: str
    report_caption: str
    none: str
    encouragement: Encouragement


class DataText(_Strict):
    export_done: str
    delete_question: str
    delete_yes: str
    delete_no: str
    deleted: str
    kept: str


class AdaptText(_Strict):
    step_up: str
    step_up_hold: str
    step_up_reps: str
    step_up_yes: str
    step_up_no: str
    stepped_up: str
    not_yet: str
    step_down: str
    keep: str
    switched: str
    floor_trouble_words: tuple[str, ...]


class ClinicTiers(_Strict):
    emergency: str
    urgent: str
    routine: str


class ClinicButtons(_Strict):
    acknowledge: str = Field(min_length=1, max_length=64)
    message: str = Field(min_length=1, max_length=64)
    clear: str = Field(min_length=1, max_length=64)


class ClinicNotices(_Strict):
    """Answers to a button press in the clinician chat (Telegram shows up to 200 characters)."""

    not_allowed: str = Field(max_length=200)
    unknown: str = Field(max_length=200)
    acknowledged: str = Field(max_length=200)
    already_acknowledged: str = Field(max_length=200)
    already_cleared: str = Field(max_length=200)
    cleared: str = Field(max_length=200)
    message: str = Field(max_length=200)
    closed: str = Field(max_length=200)


class ClinicText(_Strict):
    """The clinician chat: what the clinic's staff see, and the relay to and from the patient.

    ``sources``, ``flags`` and ``session_status`` name the core's ids for people; an id
    missing there is shown as it is.
    """

    patient: str
    patient_deleted: str
    tiers: ClinicTiers
    sources: dict[str, str]
    flags: dict[str, str]
    session_status: dict[str, str]
    referral: str
    words: str
    details: str
    pain: str
    pain_entry: str
    pain_before: str
    pain_after: str
    no_pain: str
    sessions: str
    no_sessions: str
    repost: str
    acknowledged: str
    cleared: str
    buttons: ClinicButtons
    notices: ClinicNotices
    prompt: str
    to_patient: str
    from_patient: str
    relayed: str
    relay_failed: str
    relay_closed: str
    relay_not_text: str
    relay_deleted: str


class Messages(_Strict):
    common: CommonText
    onboarding: OnboardingText
    session: SessionText
    checkin: CheckInText
    settings: SettingsText
    help: HelpText
    reminders: ReminderText
    progress: ProgressText
    data: DataText
    adapt: AdaptText
    telegram: TelegramText
    clinic: ClinicText
    welcome_back: str


# --- programme.yaml ------------------------------------------------------------------------


class Timings(_Strict):
    hold_min_seconds: int = Field(ge=5, le=120)
    hold_max_seconds: int = Field(ge=5, le=120)
    default_hold_seconds: int = Field(ge=5, le=120)
    reps_min: int = Field(ge=1, le=10)
    reps_max: int = Field(ge=1, le=10)
    default_reps: int = Field(ge=1, le=10)
    release_seconds: int = Field(ge=1, le=60)
    countdown_edit_every_seconds: int = Field(ge=5, le=60)
    resume_grace_seconds: int = Field(ge=10, le=3600)


class Sides(_Strict):
    right: str
    left: str


class Variation(_Strict):
    name: str
    summary: str
    prepare: str
    hold: str
    release: str
    double_hold: str | None
    double_release: str | None


class Variations(_Strict):
    floor: Variation
    seated: Variation
    wall: Variation
    strap: Variation

    def get(self, variation: VariationId) -> Variation:
        chosen: Variation = getattr(self, variation)
        return chosen


class Programme(_Strict):
    timings: Timings
    sides: Sides
    cautions: str
    variations: Variations
    gentlest_variation: VariationId


# --- safety.yaml ---------------------------------------------------------------------------


class Answers(_Strict):
    yes: str
    no: str
    unsure: str
    # Typed words that count as each answer (lowercase). "Not sure" counts as yes for safety.
    yes_words: tuple[str, ...]
    no_words: tuple[str, ...]
    unsure_words: tuple[str, ...]


class ScreenQuestion(_Strict):
    tier: Tier
    flags: tuple[str, ...]
    text: str
    expand: tuple[str, ...] = ()
    bilateral: bool | None = None


class Screens(_Strict):
    onboarding: tuple[str, ...]
    after_hurt: tuple[str, ...]
    pain_rise: tuple[str, ...]
    weekly: tuple[str, ...]


class TierText(_Strict):
    title: str
    advice: str


class Tiers(_Strict):
    emergency: TierText
    urgent: TierText
    routine: TierText

    def get(self, tier: Tier) -> TierText:
        chosen: TierText = getattr(self, tier)
        return chosen


HurtKind = Literal["mild_pull", "sharp", "down_leg", "numb", "other"]


class HurtKinds(_Strict):
    mild_pull: str
    sharp: str
    down_leg: str
    numb: str
    other: str


class HurtText(_Strict):
    question: str
    kinds: HurtKinds
    mild_pull: str
    sharp_first: str
    sharp_repeat: str
    other: str
    screen_clear: str
    # "continue" is a keyword, so the YAML key maps onto an alias.
    continue_: str = Field(alias="continue")
    stop: str


class ClearanceText(_Strict):
    getting_help: str
    cleared: str
    confirm: str
    confirm_yes: str
    confirm_no: str
    acknowledged_help: str
    still_paused: str
    resumed: str
    cleared_by_clinician: str


class ConfirmText(_Strict):
    question: str
    someone_else: str
    if_ever: str


class Safety(_Strict):
    answers: Answers
    questions: dict[str, ScreenQuestion]
    screens: Screens
    sharp_pain_repeat_days: int = Field(ge=1, le=365)
    tiers: Tiers
    hurt: HurtText
    clearance: ClearanceText
    confirm_text: ConfirmText


# --- faq.yaml ------------------------------------------------------------------------------


class FaqEntry(_Strict):
    title: str
    keywords: tuple[str, ...] = Field(min_length=1)
    answer: str


class Faq(_Strict):
    entries: dict[str, FaqEntry]


# --- configuration the core needs, set by the operator ---------------------------------------


class CoachConfig(_Strict):
    """Operator settings that change what the coach says or decides (not how it runs)."""

    emergency_number: str = "999"
    clinic_name: str = "your GP or physiotherapist"
    clinician_chat_enabled: bool = False
    default_timezone: str = "Europe/London"
    timezone_choices: tuple[str, ...] = (
        "Europe/London",
        "Europe/Berlin",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Australia/Sydney",
    )
    known_timezones: frozenset[str] = frozenset()
    #: A reminder more than this late (the coach was down) is recorded as missed, not sent.
    reminder_grace_minutes: int = 30
    #: One gentle nudge this long after an unanswered reminder (outside quiet hours).
    nudge_after_minutes: int = 90
    #: Snoozes of the same slot in a row before offering, once, to move it.
    snoozes_before_offer: int = 3
