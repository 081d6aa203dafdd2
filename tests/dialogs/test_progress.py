"""Progress numbers, encouragement, adaptation and data-rights commands, in the core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialogs.actions import DeleteData, ExportData, ShowProgress
from dialogs.progress import History, PainPoint, SessionPoint, summarise
from dialogs.state import Idle
from tests.dialogs.driver import Driver

JOINED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _history(days_with_sessions, tz="Europe/London", pauses=(), pain=()):
    sessions = tuple(
        SessionPoint(JOINED + timedelta(days=d), "completed", 5) for d in days_with_sessions
    )
    return History(
        timezone=tz, joined_at=JOINED, sessions=sessions, pain=tuple(pain), pauses=tuple(pauses)
    )


def test_streak_counts_days_in_a_row_and_today_does_not_break_it(content):
    now = JOINED + timedelta(days=4, hours=2)  # day 4, no session yet today
    report = summarise(_history([1, 2, 3]), now, content)
    assert report.streak == 3
    assert summarise(_history([0, 2, 3]), now, content).streak == 2


def test_paused_days_neither_count_nor_break_the_streak(content):
    now = JOINED + timedelta(days=6, hours=2)
    pause = (JOINED + timedelta(days=2), JOINED + timedelta(days=4, hours=1))
    report = summarise(_history([0, 1, 5, 6], pauses=[pause]), now, content)
    assert report.streak == 4


def test_streak_follows_the_users_local_days(content):
    # 23:30 UTC is already the next day in Tokyo
    late = [SessionPoint(datetime(2026, 3, d, 23, 30, tzinfo=UTC), "completed", 5) for d in (2, 3)]
    now = datetime(2026, 3, 4, 23, 45, tzinfo=UTC)
    tokyo = History("Asia/Tokyo", JOINED, tuple(late), ())
    london = History("Europe/London", JOINED, tuple(late), ())
    assert (
        summarise(tokyo, now, content).session_days != summarise(london, now, content).session_days
    )
    assert summarise(tokyo, now, content).streak == 2


def test_week_against_the_goal_and_pain_against_the_first_week(content):
    pain = [PainPoint(JOINED + timedelta(days=d), "after", p) for d, p in [(0, 6), (1, 6), (8, 3)]]
    now = JOINED + timedelta(days=8, hours=1)
    report = summarise(_history([0, 1, 7, 8], pain=pain), now, content)
    assert (report.week_sessions, report.week_goal) == (2, 14)
    assert (report.pain_first_week, report.pain_this_week) == (6, 3)
    assert "3/10 this week, 6/10 in your first week" in report.text
    assert content.messages.progress.encouragement.pain_down in report.text


def test_never_praise_when_pain_is_up(content):
    pain = [PainPoint(JOINED, "after", 2), PainPoint(JOINED + timedelta(days=8), "after", 6)]
    now = JOINED + timedelta(days=8, hours=1)
    report = summarise(_history(range(9), pain=pain), now, content)
    assert content.messages.progress.encouragement.pain_up in report.text


def _complete_session(d: Driver, pain: str = "2", feel: str = "A mild pull") -> None:
    d.run_session()
    d.press(pain)
    d.press(feel)
    d.press("2")


def test_step_up_is_offered_after_a_steady_week_and_applied_on_yes(content):
    d = Driver(content)
    d.onboard()
    for _ in range(8):
        _complete_session(d)
        d.now += timedelta(days=1)
    offers = [t for t in d.texts() if t.startswith("You've had a steady week")]
    assert len(offers) == 1 and "25-second holds" in offers[0]
    d.press(content.messages.adapt.step_up_yes)
    assert d.state.profile.hold_seconds == 25


def test_no_automatic_step_up_after_a_flag(content):
    d = Driver(content)
    d.onboard()
    answers = content.safety.answers
    for day in range(9):
        if day == 3:  # pain down one leg: a routine flag, through the structured questions
            _complete_session(d, feel=content.messages.checkin.feel_options.down_leg)
            while type(d.state.flow).__name__ == "ScreeningFlow":
                qid = d.state.flow.queue[0]
                d.press(answers.yes if qid == "one_leg_below_knee" else answers.no)
            assert d.referrals()[-1].tier == "routine"
        else:
            _complete_session(d)
        d.now += timedelta(days=1)
    assert not [t for t in d.texts() if t.startswith("You've had a steady week")]


def test_too_hard_twice_offers_a_gentler_version(content):
    d = Driver(content)
    d.onboard()
    too_hard = content.messages.checkin.feel_options.too_hard
    _complete_session(d, feel=too_hard)
    assert content.messages.adapt.step_down not in "\n".join(d.texts())
    _complete_session(d, feel=too_hard)
    assert content.messages.adapt.step_down in d.said()
    d.press("Seated on a chair")
    assert d.state.profile.variation == "seated"


def test_saying_the_floor_is_a_problem_offers_other_versions(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    d.text("I can't get down on the floor these days")
    assert content.messages.adapt.step_down in d.said()
    d.press(content.messages.adapt.keep)
    assert d.state.profile.variation == "floor"


def test_progress_export_and_delete_commands(content):
    d = Driver(content)
    d.onboard()
    d.press(content.messages.onboarding.later)
    assert d.of(ShowProgress, d.cmd("progress")) == [ShowProgress("progress")]
    assert d.of(ShowProgress, d.cmd("report")) == [ShowProgress("report")]
    assert d.of(ExportData, d.cmd("export")) == [ExportData()]
    d.cmd("delete")
    d.press(content.messages.data.delete_no)
    assert d.of(DeleteData) == [] and content.messages.data.kept in d.said()
    d.cmd("delete")
    t = d.press(content.messages.data.delete_yes)
    assert d.of(DeleteData, t) == [DeleteData()]
    assert not d.state.profile.onboarded and isinstance(d.state.flow, Idle)


def test_progress_without_consent_explains_why_there_is_nothing(content):
    d = Driver(content)
    d.onboard(consent=False)
    d.cmd("progress")
    assert d.said() == content.messages.progress.unavailable
