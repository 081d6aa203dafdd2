"""Onboarding through the core, every step and every bad answer."""

from __future__ import annotations

from dialogs.actions import StartTimer
from dialogs.state import Idle, OnboardingFlow, ScreeningFlow, SessionFlow
from tests.dialogs.driver import Driver


def test_welcome_says_what_the_coach_is_not_and_names_the_emergency_number(content):
    d = Driver(content)
    d.cmd("start", display_name="Ann")
    said = d.said()
    assert "Hi, Ann" in said
    assert "not" in said and "doctor" in said
    assert content.config.emergency_number in said


def test_happy_path_stores_the_plan_and_books_both_reminders(content):
    d = Driver(content)
    d.onboard()
    p = d.state.profile
    assert (p.timezone, p.morning, p.evening, p.variation) == (
        "Europe/London",
        "08:00",
        "20:00",
        "floor",
    )
    assert p.consent_store is True
    kinds = {t.kind for t in d.of(StartTimer)}
    assert {"reminder:morning", "reminder:evening"} <= kinds
    summary = d.said()
    assert "08:00" in summary and "20:00" in summary and "Europe/London" in summary


def test_summary_offers_to_start_now(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.start_now)
    assert isinstance(d.state.flow, SessionFlow)


def test_later_leaves_the_user_onboarded_and_idle(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    assert isinstance(d.state.flow, Idle)
    assert d.state.profile.onboarded


def _to_timezone(d: Driver) -> None:
    ob = d.content.messages.onboarding
    d.cmd("start")
    d.press(ob.welcome_button)
    d.press(ob.consent_yes)
    for _ in d.content.safety.screens.onboarding:
        d.press(d.content.safety.answers.no)
    assert isinstance(d.state.flow, OnboardingFlow) and d.state.flow.step == "timezone"


def test_timezone_typed_as_a_city(content):
    d = Driver(content)
    _to_timezone(d)
    d.text("lisbon")
    assert d.state.profile.timezone == "Europe/Lisbon"


def test_a_fixed_offset_is_refused_with_the_reason(content):
    d = Driver(content)
    _to_timezone(d)
    d.text("UTC+2")
    assert d.state.profile.timezone is None
    assert "daylight" in d.said()
    assert d.state.flow.step == "timezone"


def test_an_unknown_timezone_gets_an_example(content):
    d = Driver(content)
    _to_timezone(d)
    d.text("Narnia")
    assert "Narnia" in d.said() and "Madrid" in d.said()
    assert d.state.flow.step == "timezone"


def test_typed_times_in_many_forms_and_nonsense_answered_with_an_example(content):
    d = Driver(content)
    _to_timezone(d)
    d.press("Europe/London")
    d.text("25:99")
    assert "7:15" in d.said()
    assert d.state.flow.step == "morning"
    d.text("7:15")
    assert d.state.profile.morning == "07:15"
    d.text("7.15pm")
    assert d.state.profile.evening == "19:15"


def test_either_reminder_can_be_switched_off(content):
    d = Driver(content)
    _to_timezone(d)
    d.press("Europe/London")
    d.press(content.messages.onboarding.time_off)
    d.press("21:00")
    assert d.state.profile.morning is None and d.state.profile.evening == "21:00"


def test_declining_consent_is_respected(content):
    d = Driver(content)
    d.onboard(consent=False)
    assert d.state.profile.consent_store is False
    assert "won't be available" in "\n".join(d.texts())


def test_clinician_consent_is_asked_only_when_a_clinic_is_configured(content, clinic_content):
    plain = Driver(content)
    plain.onboard()
    assert "forward" not in "\n".join(plain.texts())
    clinic = Driver(clinic_content)
    clinic.onboard()
    assert clinic.state.profile.consent_clinician is True
    assert "Riverside Physio" in "\n".join(clinic.texts())


def test_a_word_where_a_button_was_expected_lists_the_choices(content):
    d = Driver(content)
    d.cmd("start")
    d.press(content.messages.onboarding.welcome_button)
    d.text("purple")
    said = d.said()
    assert content.messages.onboarding.consent_yes in said
    assert d.state.flow.step == "consent"


def test_typed_label_works_like_the_button(content):
    d = Driver(content)
    d.cmd("start")
    d.text(content.messages.onboarding.welcome_button.upper())
    assert d.state.flow.step == "consent"


def test_stretch_before_onboarding_finishes_setup_first(content):
    d = Driver(content)
    d.cmd("stretch")
    assert isinstance(d.state.flow, OnboardingFlow)
    assert content.messages.common.not_onboarded in d.said()


def test_commands_do_not_skip_the_safety_questions(content):
    d = Driver(content)
    ob = content.messages.onboarding
    d.cmd("start")
    d.press(ob.welcome_button)
    d.press(ob.consent_yes)
    assert isinstance(d.state.flow, ScreeningFlow)
    queue = d.state.flow.queue
    d.cmd("settings")
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.queue == queue


def test_typing_off_switches_a_reminder_off(content):
    d = Driver(content)
    _to_timezone(d)
    d.press("Europe/London")
    d.text("off")
    d.text("None")
    assert (d.state.profile.morning, d.state.profile.evening) == (None, None)
    assert d.state.flow.step == "variation"


def test_stretch_mid_onboarding_asks_the_current_question_again(content):
    d = Driver(content)
    _to_timezone(d)
    d.press("Europe/London")
    d.cmd("stretch")
    assert d.state.flow.step == "morning"
    assert content.messages.onboarding.morning in d.said()
