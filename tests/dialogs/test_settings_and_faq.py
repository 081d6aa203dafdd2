"""Settings changes and answers from the FAQ."""

from __future__ import annotations

from dialogs.actions import CancelTimers, StartTimer
from dialogs.state import Idle, SettingsFlow
from tests.dialogs.driver import Driver


def test_hold_length_is_kept_within_20_to_30_seconds(content):
    d = Driver(content)
    d.onboard()
    d.cmd("settings")
    d.press(content.messages.settings.hold)
    d.text("35")
    assert "20" in d.said() and "30" in d.said()
    assert d.state.profile.hold_seconds == 20
    d.text("25s")
    assert d.state.profile.hold_seconds == 25
    assert isinstance(d.state.flow, SettingsFlow) and d.state.flow.step == "menu"


def test_reps_version_and_times_change_and_reminders_follow(content):
    d = Driver(content)
    d.onboard()
    d.cmd("settings")
    d.press(content.messages.settings.reps)
    d.press("3")
    d.press(content.messages.settings.variation)
    d.press("With a strap or towel")
    d.press(content.messages.settings.times)
    d.text("6:45")
    d.press(content.messages.onboarding.time_off)
    p = d.state.profile
    assert (p.reps, p.variation, p.morning, p.evening) == (3, "strap", "06:45", None)
    assert any(isinstance(a, StartTimer) and a.kind == "reminder:morning" for a in d.last.actions)
    assert any(
        isinstance(a, CancelTimers) and "reminder:evening" in a.kinds for a in d.last.actions
    )
    d.press(content.messages.settings.done)
    assert isinstance(d.state.flow, Idle)


def test_timezone_change_moves_reminders(content):
    d = Driver(content)
    d.onboard()
    d.cmd("settings")
    d.press(content.messages.settings.timezone)
    d.text("Tokyo")
    assert d.state.profile.timezone == "Asia/Tokyo"
    morning = next(
        a for a in reversed(d.log) if isinstance(a, StartTimer) and a.kind == "reminder:morning"
    )
    assert morning.due_at.hour == 23  # 08:00 in Tokyo is 23:00 UTC the day before


def test_faq_answers_common_questions(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    for question, expected in [
        ("how long should I hold each stretch?", content.faq.entries["hold_time"].answer),
        ("Is it normal to feel a pull?", content.faq.entries["pulling_normal"].answer),
        ("can I do it sitting in a chair", content.faq.entries["seated"].answer),
        ("how should I breathe", content.faq.entries["breathing"].answer),
        ("can my kids do this too", content.faq.entries["children"].answer),
    ]:
        d.text(question)
        assert d.said() == expected, question


def test_unknown_text_gets_a_short_helpful_fallback(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    d.text("what's the weather like")
    assert "/help" in d.said()


def test_help_lists_commands_and_privacy(content):
    d = Driver(content)
    d.cmd("help")
    said = d.said()
    assert "/stretch" in said and "/settings" in said and "Privacy" in said


def test_reminder_offers_to_start(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    d.advance(24 * 3600)
    assert "morning knee-to-chest stretch" in "\n".join(d.texts())
    d.press(content.messages.reminders.start)
    assert type(d.state.flow).__name__ == "SessionFlow"
