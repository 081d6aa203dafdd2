"""Reminders through the core: snooze, skip, reschedule, pause, quiet hours, nudges, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialogs.actions import RecordReminder, StartTimer
from dialogs.events import CommandIssued, TimerFired
from dialogs.state import Idle, SessionFlow
from tests.dialogs.driver import Driver

# Monday 2 March 2026, 06:00 London (UTC, before the clocks change on 29 March)
MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _user(content, morning="08:00", evening="20:00", zone="Europe/London") -> Driver:
    d = Driver(content, now=MONDAY)
    ob = content.messages.onboarding
    d.cmd("start")
    d.press(ob.welcome_button)
    d.press(ob.consent_yes)
    for _ in content.safety.screens.onboarding:
        d.press(content.safety.answers.no)
    d.text(zone)
    d.text(morning) if morning else d.press(ob.time_off)
    d.text(evening) if evening else d.press(ob.time_off)
    d.press("Lying on the floor")
    d.press(ob.later)
    return d


def _reminders_sent(d: Driver) -> list[tuple[str, datetime]]:
    return [(r.slot, r.due_at) for r in d.of(RecordReminder) if r.outcome == "sent"]


def _outcomes(d: Driver) -> list[str]:
    return [r.outcome for r in d.of(RecordReminder)]


def test_the_reminder_says_which_session_and_offers_every_choice(content):
    d = _user(content)
    d.advance(2 * 3600)  # 08:00
    said = d.said()
    assert "morning" in said
    r = content.messages.reminders
    for label in (r.start, r.snooze_10, r.snooze_30, r.snooze_60, r.other_time, r.skip):
        assert d.button(label)
    assert _reminders_sent(d) == [("morning", MONDAY + timedelta(hours=2))]


def test_one_reminder_per_slot_per_day_at_local_time(content):
    d = _user(content)
    d.advance(7 * 24 * 3600)
    sent = _reminders_sent(d)
    assert len(sent) == 14
    assert all(due.hour in (8, 20) and due.minute == 0 for _, due in sent)


def test_start_now_begins_a_session(content):
    d = _user(content)
    d.advance(2 * 3600)
    d.press(content.messages.reminders.start)
    assert isinstance(d.state.flow, SessionFlow)
    assert "started" in _outcomes(d)


def test_snooze_buttons_and_typed_delays(content):
    r = content.messages.reminders
    d = _user(content)
    d.advance(2 * 3600)
    d.press(r.snooze_10)
    assert "08:10" in d.said()
    d.advance(10 * 60)
    assert "morning knee-to-chest" in d.said()  # the reminder again
    d.text("45m")
    assert "08:55" in d.said()
    d.cmd("snooze")
    assert d.state.reminders.pending == "morning"


def test_snooze_command_with_a_delay_and_nonsense(content):
    r = content.messages.reminders
    d = _user(content)
    d.do(CommandIssued("snooze", "1h"))
    assert r.nothing_to_snooze in d.said()
    d.advance(2 * 3600)
    d.do(CommandIssued("snooze", "1h30"))
    assert "09:30" in d.said()
    d.do(CommandIssued("snooze", "forever"))
    assert "forever" in d.said() and "45m" in d.said()


def test_skip_records_and_says_when_the_next_one_is(content):
    d = _user(content)
    d.advance(2 * 3600)
    d.press(content.messages.reminders.skip)
    assert "skipped" in _outcomes(d)
    assert "20:00" in d.said()
    assert "nudge" not in d.timers


def test_another_time_today_moves_only_today(content):
    r = content.messages.reminders
    d = _user(content)
    d.advance(2 * 3600)
    d.press(r.other_time)
    d.text("25:99")
    assert "7:15" in d.said()
    d.text("10:15")
    assert "10:15" in d.said() and "08:00" in d.said()
    d.advance(2 * 3600 + 15 * 60)  # 10:15
    assert "morning knee-to-chest" in d.said()
    d.advance(24 * 3600)
    mornings = [due for slot, due in _reminders_sent(d) if slot == "morning"]
    assert [m.strftime("%d %H:%M") for m in mornings] == ["02 08:00", "02 10:15", "03 08:00"]


def test_an_unanswered_reminder_gets_one_gentle_nudge(content):
    d = _user(content)
    d.advance(2 * 3600)
    d.advance(12 * 3600 - 60)  # until just before the evening
    nudges = [t for t in d.texts() if "Still time for this morning" in t]
    assert len(nudges) == 1


def test_the_nudge_never_lands_in_quiet_hours_or_after_the_next_slot(content):
    d = _user(content, morning="06:30", evening="07:30")
    d.advance(30 * 60)  # 06:30 reminder; nudge would be 08:00, after the 07:30 slot
    assert "nudge" not in d.timers
    late = _user(content, morning="21:30", evening=None)
    late.advance(15 * 3600 + 30 * 60)  # 21:30; nudge at 23:00 is quiet, moves to 07:00
    nudge = late.timers["nudge"]
    assert nudge.due_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def test_a_slot_inside_quiet_hours_is_still_honoured(content):
    d = _user(content, morning="06:00", evening="23:00")
    d.advance(24 * 3600)
    assert {slot for slot, _ in _reminders_sent(d)} == {"morning", "evening"}


def test_morning_and_evening_are_never_stacked(content):
    d = _user(content, morning="08:00", evening="09:00")
    d.advance(3 * 3600 + 60)
    assert d.state.reminders.pending == "evening"
    reminders = [t for t in d.texts() if "knee-to-chest stretch. It takes" in t]
    assert len(reminders) == 2 and all(("morning" in t) != ("evening" in t) for t in reminders)


def test_after_downtime_a_late_reminder_is_missed_not_sent(content):
    d = _user(content)
    d.fire_late("reminder:morning", late_by=45 * 60)
    assert _outcomes(d)[-1] == "missed"
    assert "morning knee-to-chest" not in d.said()
    assert "reminder:morning" in d.timers  # tomorrow's is booked


def test_within_the_grace_it_is_sent_once(content):
    d = _user(content)
    timer = d.timers["reminder:morning"]
    d.fire_late("reminder:morning", late_by=10 * 60)
    assert _outcomes(d)[-1] == "sent"
    again = d.do(TimerFired(timer.kind, timer.token))  # delivered twice after a crash
    assert again.actions == ()


def test_pause_for_a_holiday_and_the_message_when_it_ends(content):
    r = content.messages.reminders
    d = _user(content)
    d.cmd("pause")
    d.press(r.pause_3)
    assert "05 Mar" in d.said() or "Thu" in d.said()
    d.advance(3 * 24 * 3600 + 60)
    assert "paused" in _outcomes(d) and "sent" not in _outcomes(d)
    assert sum(r.pause_over[:20] in t for t in d.texts()) == 1
    d.advance(24 * 3600)
    assert "sent" in _outcomes(d)


def test_pause_until_resumed_and_resume(content):
    r = content.messages.reminders
    d = _user(content)
    d.cmd("resume")
    assert r.not_paused in d.said()
    d.cmd("pause")
    d.press(r.pause_0)
    d.advance(5 * 24 * 3600)
    assert "sent" not in _outcomes(d)
    d.cmd("resume")
    assert "back on" in d.said()
    ((_start, end),) = d.state.reminders.pauses
    assert end == d.now
    d.advance(24 * 3600)
    assert "sent" in _outcomes(d)


def _snooze_then_stretch(d: Driver, content) -> None:
    r = content.messages.reminders
    due = d.timers["reminder:morning"].due_at
    d.advance((due - d.now).total_seconds())
    d.press(r.snooze_30)
    if any("snoozed your morning reminder" in t for t in d.texts(d.last)):
        return
    d.advance(30 * 60)
    d.press(r.start)
    d.press(content.messages.session.stop)
    d.press("2")
    d.press(content.messages.checkin.feel_options.mild_pull)
    d.press("2")


def test_keeps_snoozing_is_offered_once_to_move_never_moved_silently(content):
    d = _user(content, evening=None)
    for _day in range(5):
        _snooze_then_stretch(d, content)
        if isinstance(d.state.flow, Idle) and d.state.prompt.choices:
            d.press(content.messages.reminders.move_no)
    offers = [t for t in d.texts() if "snoozed your morning reminder" in t]
    assert len(offers) == 1
    assert d.state.profile.morning == "08:00"


def test_accepting_the_offer_moves_the_slot(content):
    r = content.messages.reminders
    d = _user(content, evening=None)
    for _day in range(3):
        _snooze_then_stretch(d, content)
    d.press(r.move_yes.format(time="08:30"))
    assert d.state.profile.morning == "08:30"
    assert d.timers["reminder:morning"].due_at.strftime("%H:%M") == "08:30"


def test_changing_time_zone_moves_every_future_reminder(content):
    d = _user(content)
    d.cmd("settings")
    d.press(content.messages.settings.timezone)
    d.text("New York")
    assert d.timers["reminder:morning"].due_at == datetime(2026, 3, 2, 13, 0, tzinfo=UTC)
    old = d.of(StartTimer)[0]
    assert d.do(TimerFired(old.kind, old.token)).actions == ()  # the old booking is ignored


def test_dst_spring_forward_fires_at_the_first_valid_minute(content):
    d = _user(content, morning="02:30", evening=None, zone="America/New_York")
    d.now = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    d.cmd("start")  # re-book from here
    d.advance(2 * 24 * 3600)
    sent = [due for _, due in _reminders_sent(d)]
    # 8 March 2026: 02:30 does not exist in New York; it fires at 03:00 EDT (07:00 UTC)
    assert datetime(2026, 3, 8, 7, 0, tzinfo=UTC) in sent
    assert len(sent) == 2


def test_dst_fall_back_fires_once(content):
    d = _user(content, morning="01:30", evening=None, zone="America/New_York")
    d.now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    d.cmd("start")
    d.advance(2 * 24 * 3600)
    sent = [due for _, due in _reminders_sent(d)]
    nov1 = [s for s in sent if s.date() == datetime(2026, 11, 1).date()]
    assert nov1 == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # the first 01:30 (EDT)


def test_no_reminders_while_a_red_flag_pauses_exercise(content):
    d = _user(content)
    d.text("I've lost control of my bladder since this morning")
    d.advance(2 * 24 * 3600)
    assert "sent" not in _outcomes(d) and "safety_pause" in _outcomes(d)
    d.press(content.safety.clearance.cleared)
    d.press(content.safety.clearance.confirm_yes)
    d.advance(24 * 3600)
    assert "sent" in _outcomes(d)


def test_a_session_already_running_is_not_interrupted(content):
    d = _user(content)
    d.now = MONDAY + timedelta(hours=2) - timedelta(seconds=30)
    d.cmd("stretch")
    d.press("2")
    d.press(content.messages.session.ready)
    d.advance(40)
    assert "busy" in _outcomes(d)
    assert isinstance(d.state.flow, SessionFlow)


def test_quiet_hours_are_configurable_and_validated(content):
    d = _user(content)
    d.cmd("settings")
    d.press(content.messages.settings.quiet)
    d.text("tea time")
    assert "22:00-07:00" in d.said()
    d.text("23:30-06:15")
    p = d.state.profile
    assert (p.quiet_start, p.quiet_end) == ("23:30", "06:15")
    assert isinstance(d.state.flow, type(d.state.flow)) and not isinstance(d.state.flow, Idle)


def test_weekly_summary_then_the_safety_check_before_the_next_session(content):
    d = _user(content)
    d.advance(7 * 24 * 3600)
    weekly = [a for a in d.log if type(a).__name__ == "ShowProgress"]
    assert [a.kind for a in weekly] == ["weekly"]
    assert isinstance(d.state.flow, Idle)  # nothing waits on the user; reminders go on
    d.cmd("stretch")
    assert type(d.state.flow).__name__ == "ScreeningFlow" and d.state.flow.purpose == "weekly"
    while type(d.state.flow).__name__ == "ScreeningFlow":
        d.press(content.safety.answers.no)
    assert isinstance(d.state.flow, SessionFlow)
    assert d.referrals() == []
    d.press(content.messages.session.stop)
    d.cmd("stretch")  # only once a week
    assert isinstance(d.state.flow, SessionFlow)
