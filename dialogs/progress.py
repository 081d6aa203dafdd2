"""Progress: streaks, the week against the goal, pain against the first week, and the line of
encouragement that fits those numbers. Pure: the shell passes the stored history in.

A streak counts local days with at least one session that got going (a hold was done). Paused
days (holiday pauses) neither count nor break it; today without a session yet doesn't break it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import mean

from content.loader import Content
from dialogs.schedule import local_date

__all__ = ["History", "PainPoint", "ProgressReport", "SessionPoint", "summarise"]

WEEK_GOAL = 14  # two sessions a day


@dataclass(frozen=True)
class SessionPoint:
    started_at: datetime
    status: str
    holds_done: int


@dataclass(frozen=True)
class PainPoint:
    at: datetime
    phase: str  # before | after
    pain: int


@dataclass(frozen=True)
class History:
    timezone: str
    joined_at: datetime
    sessions: tuple[SessionPoint, ...]
    pain: tuple[PainPoint, ...]
    pauses: tuple[tuple[datetime, datetime | None], ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProgressReport:
    streak: int
    week_sessions: int
    week_goal: int
    pain_this_week: float | None
    pain_first_week: float | None
    text: str
    before: tuple[tuple[date, int], ...]  # chart points: local date, pain before a session
    after: tuple[tuple[date, int], ...]  # pain after a session
    session_days: tuple[date, ...]


def _paused_days(history: History, now: datetime) -> set[date]:
    days: set[date] = set()
    for start, end in history.pauses:
        day = local_date(start, history.timezone)
        last = local_date(end or now, history.timezone)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def _streak(active: set[date], paused: set[date], today: date) -> int:
    streak = 0
    day = today
    if day not in active:
        day -= timedelta(days=1)  # today isn't over yet
    while day in active or day in paused:
        if day in active:
            streak += 1
        day -= timedelta(days=1)
    return streak


def _average(points: list[int]) -> float | None:
    return round(mean(points), 1) if points else None


def summarise(
    history: History, now: datetime, content: Content, *, weekly: bool = False
) -> ProgressReport:
    tz = history.timezone
    text = content.messages.progress
    today = local_date(now, tz)
    active = {local_date(s.started_at, tz) for s in history.sessions if s.holds_done > 0}
    week_start = today - timedelta(days=6)
    week_sessions = sum(
        1
        for s in history.sessions
        if s.holds_done > 0 and local_date(s.started_at, tz) >= week_start
    )
    after = [p for p in history.pain if p.phase == "after"]
    first_week_end = local_date(history.joined_at, tz) + timedelta(days=6)
    first = [p.pain for p in after if local_date(p.at, tz) <= first_week_end]
    this = [p.pain for p in after if local_date(p.at, tz) >= week_start]
    streak = _streak(active, _paused_days(history, now), today)
    pain_first, pain_this = _average(first), _average(this)
    lines = [
        (text.weekly_title if weekly else text.title),
        text.streak.format(days=streak),
        text.week.format(done=week_sessions, goal=WEEK_GOAL),
    ]
    if pain_this is not None and pain_first is not None:
        lines.append(text.pain.format(now=f"{pain_this:g}", first=f"{pain_first:g}"))
    elif not after:
        lines.append(text.no_pain_yet)
    lines.append(_encouragement(content, streak, week_sessions, pain_this, pain_first, history))
    return ProgressReport(
        streak=streak,
        week_sessions=week_sessions,
        week_goal=WEEK_GOAL,
        pain_this_week=pain_this,
        pain_first_week=pain_first,
        text="\n".join(lines),
        before=tuple((local_date(p.at, tz), p.pain) for p in history.pain if p.phase == "before"),
        after=tuple((local_date(p.at, tz), p.pain) for p in after),
        session_days=tuple(sorted(active)),
    )


def _encouragement(
    content: Content,
    streak: int,
    week: int,
    pain_this: float | None,
    pain_first: float | None,
    history: History,
) -> str:
    """One line that fits the numbers; never praise for pushing through pain."""
    e = content.messages.progress.encouragement
    if pain_this is not None and pain_first is not None and pain_this >= pain_first + 2:
        return e.pain_up
    if week == 0:
        return e.restart
    if pain_this is not None and pain_first is not None and pain_this < pain_first:
        return e.pain_down
    if week >= WEEK_GOAL:
        return e.goal_met
    if streak >= 3:
        return e.streak
    return e.keep_going
