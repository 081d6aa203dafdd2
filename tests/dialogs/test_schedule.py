"""dialogs.schedule: the parsers by table, the wall-clock maths by properties over tricky zones.

The property tests check the module against oracles written here from first principles (fold and
round-trips, and a minute-by-minute scan), and bias their start instants towards real UTC-offset
changes so that DST gaps, folds and skipped days are exercised on most runs.
"""

from __future__ import annotations

import functools
import itertools
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dialogs.schedule import (
    DEFAULT_QUIET_END,
    DEFAULT_QUIET_START,
    NoSuchLocalDay,
    format_local,
    in_quiet_hours,
    local_date,
    looks_like_abbreviation,
    looks_like_fixed_offset,
    next_occurrence,
    next_outside_quiet_hours,
    occurrence_on,
    parse_clock_time,
    parse_duration,
    parse_timezone,
)

KNOWN = frozenset(zoneinfo.available_timezones())

ZONES = (
    "America/New_York", "America/Los_Angeles", "America/Sao_Paulo", "America/Santiago",
    "America/St_Johns", "America/Havana", "America/Asuncion", "America/Godthab", "America/Nuuk",
    "America/Scoresbysund", "America/Caracas", "America/Mexico_City", "America/Goose_Bay",
    "Europe/London", "Europe/Berlin", "Europe/Dublin", "Europe/Moscow", "Europe/Kyiv",
    "Africa/Casablanca", "Africa/Cairo", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tehran",
    "Asia/Jerusalem", "Asia/Gaza", "Asia/Dhaka", "Asia/Pyongyang", "Asia/Tokyo",
    "Australia/Sydney", "Australia/Lord_Howe", "Australia/Adelaide", "Pacific/Auckland",
    "Pacific/Chatham", "Pacific/Apia", "Pacific/Kiritimati", "Pacific/Kwajalein",
    "Pacific/Pitcairn", "Antarctica/Troll", "UTC",
)  # fmt: skip

SLOT_TIMES = (time(0, 0), time(0, 30), time(1, 30), time(2, 0), time(2, 30), time(3, 0),
              time(23, 0), time(23, 30), time(23, 59), time(12, 0))  # fmt: skip

FAST = settings(max_examples=200, deadline=None, database=None)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


# --- oracles -----------------------------------------------------------------------------------


def _exists(zone: ZoneInfo, wall: datetime) -> bool:
    """Whether some instant shows this naive wall time (it survives a UTC round-trip)."""
    return any(
        wall.replace(tzinfo=zone, fold=f).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        == wall
        for f in (0, 1)
    )


def _shows(zone: ZoneInfo, instant: datetime) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _no_minute_from(zone: ZoneInfo, day: date, t: time) -> bool:
    """True when no wall minute at or after ``t`` exists on ``day``: the date has no slot."""
    wall = datetime.combine(day, t)
    while wall.date() == day:
        if _exists(zone, wall):
            return False
        wall += timedelta(minutes=1)
    return True


def _slot_passed(zone: ZoneInfo, day: date, t: time, start: datetime) -> bool:
    """Whether ``day``'s slot lies at or before ``start`` (or ``day`` has none)."""
    slot = datetime.combine(day, t)
    if _exists(zone, slot):
        return slot.replace(tzinfo=zone, fold=0).astimezone(UTC) <= start  # fold=0: the first
    return _no_minute_from(zone, day, t) or _shows(zone, start) > slot


def _fires_at(zone: ZoneInfo, t: time, instant: datetime) -> bool:
    """The policy, stated on one minute-aligned instant: the slot's first showing that date, or
    the jump of the clock over it when that date skips it."""
    shown = instant.astimezone(zone)
    slot = datetime.combine(shown.date(), t)
    if shown.replace(tzinfo=None) == slot:
        return shown.fold == 0
    return _shows(zone, instant - timedelta(seconds=1)) < slot < shown.replace(tzinfo=None)


@functools.cache
def _transitions(name: str, year: int) -> tuple[datetime, ...]:
    """The instants in ``year`` at which ``name`` changes its UTC offset, to the second."""
    zone = ZoneInfo(name)
    found = []
    day = utc(year, 1, 1)
    while day.year == year:
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            lo, hi = day, nxt
            while hi - lo > timedelta(seconds=1):
                mid = lo + (hi - lo) // 2
                mid = mid.replace(microsecond=0)
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        day = nxt
    return tuple(found)


@st.composite
def zone_and_start(draw: st.DrawFn, before: int, after: int) -> tuple[str, datetime]:
    """A zone and an instant in 1990-2037, usually within [-before, +after] minutes of one of
    the zone's offset changes."""
    name = draw(st.sampled_from(ZONES))
    year = draw(st.integers(1990, 2037))
    changes = _transitions(name, year)
    jitter = timedelta(seconds=draw(st.integers(0, 59)), microseconds=draw(st.integers(0, 999)))
    if changes and draw(st.integers(0, 3)):
        base = draw(st.sampled_from(changes))
        return name, base + timedelta(minutes=draw(st.integers(-before, after))) + jitter
    return name, utc(year, 1, 1) + timedelta(minutes=draw(st.integers(0, 364 * 1440))) + jitter


slot_times = st.one_of(
    st.sampled_from(SLOT_TIMES), st.builds(time, st.integers(0, 23), st.integers(0, 59))
)


def test_the_zone_list_is_in_the_tz_data():
    assert set(ZONES) <= KNOWN


# --- parse_clock_time --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7:15", time(7, 15)), ("07:15", time(7, 15)), ("7.15", time(7, 15)),
        ("7.15pm", time(19, 15)), ("7:15 PM", time(19, 15)), ("7:15 p.m.", time(19, 15)),
        ("7pm", time(19, 0)), ("7 am", time(7, 0)), ("7 a.m.", time(7, 0)), ("7p", time(19, 0)),
        ("19:15", time(19, 15)), ("1915", time(19, 15)), ("715", time(7, 15)),
        ("0715", time(7, 15)), ("19h15", time(19, 15)), ("19h", time(19, 0)),
        ("19", time(19, 0)), ("7", time(7, 0)), ("0", time(0, 0)), ("00:00", time(0, 0)),
        ("23:59", time(23, 59)), ("noon", time(12, 0)), ("Midday", time(12, 0)),
        ("midnight", time(0, 0)), ("12 noon", time(12, 0)), ("  7:15  ", time(7, 15)),
        ("at 7:15", time(7, 15)), ("At 7pm", time(19, 0)), ("at noon", time(12, 0)),
        ("@ 8:00", time(8, 0)), ("12am", time(0, 0)), ("12:30 am", time(0, 30)),
        ("12pm", time(12, 0)), ("12:30pm", time(12, 30)), ("\uff17\uff1a\uff11\uff15", time(7, 15)),
    ],
)  # fmt: skip
def test_clock_times_people_type(text, expected):
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    "text",
    ["25:99", "7:60", "13pm", "0am", "00:30 am", "abc", "", "   ", "-1", "7:5", "7:", "24:00",
     "24", "7:15:30", "7.5", "12345", "1960", "noonish", "at", "7 o'clock", "7:15 xm",
     "7" * 1000, "at " + " " * 100 + "7:15", "\u0667:\u0661\u0665", "seven", "7am pm"],
)  # fmt: skip
def test_clock_nonsense_is_refused(text):
    assert parse_clock_time(text) is None


# --- parse_duration ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("45m", 45), ("45 min", 45), ("45 mins", 45), ("45 minutes", 45), ("1 minute", 1),
        ("1h", 60), ("1 hr", 60), ("1h30", 90), ("1h 30m", 90), ("1h30m", 90),
        ("1 hour 30 minutes", 90), ("1 hour and 30 minutes", 90), ("1:30", 90), ("0:45", 45),
        ("90", 90), ("90m", 90), ("2 hours", 120), ("an hour", 60), ("half an hour", 30),
        ("a quarter of an hour", 15), ("an hour and a half", 90), ("1.5h", 90),
        ("0.25 hours", 15), ("12h", 720), ("12:00", 720), ("720", 720), ("in 10 minutes", 10),
        ("for 2 hours", 120), ("  20 MIN ", 20), ("0h 30m", 30),
    ],
)  # fmt: skip
def test_snooze_durations_people_type(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text",
    ["0", "0m", "0h", "0:00", "-5", "-1h", "721", "12h 1m", "13h", "12:01", "1 day", "30s",
     "1.33h", "1.5h 30m", "1h 75m", "1:75", "1:5", "and 30", "h", "m", "hour", "", "abc",
     "1.5", "1.5m", "9" * 500, "an hour and a half and a bit"],
)  # fmt: skip
def test_duration_nonsense_zero_and_too_long_are_refused(text):
    assert parse_duration(text) is None


# --- parse_timezone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Europe/London", "Europe/London"), ("europe/london", "Europe/London"),
        ("EUROPE/LONDON", "Europe/London"), ("london", "Europe/London"),
        ("New York", "America/New_York"), ("new_york", "America/New_York"),
        ("america/new york", "America/New_York"), ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"), ("St. John's", "America/St_Johns"),
        ("port au prince", "America/Port-au-Prince"), ("Lord Howe", "Australia/Lord_Howe"),
        ("tokyo", "Asia/Tokyo"), ("  Kolkata ", "Asia/Kolkata"), ("apia", "Pacific/Apia"),
        ("UTC", "UTC"), ("utc", "UTC"), ("Etc/UTC", "UTC"), ("Zulu", "UTC"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("indianapolis", "America/Indiana/Indianapolis"), ("istanbul", "Europe/Istanbul"),
        ("nicosia", "Asia/Nicosia"), ("singapore", "Asia/Singapore"), ("japan", "Japan"),
        ("US/Eastern", "US/Eastern"),
    ],
)  # fmt: skip
def test_timezones_by_name_or_city(text, expected):
    assert parse_timezone(text, KNOWN) == expected


@pytest.mark.parametrize(
    "text",
    ["+02:00", "UTC+2", "utc + 5:30", "GMT-5", "Etc/GMT-2", "etc/gmt+10", "-0500", "\u22123",
     "GMT", "Etc/GMT", "GMT0", "Greenwich", "Z"],
)  # fmt: skip
def test_fixed_offsets_are_refused_and_recognised(text):
    assert parse_timezone(text, KNOWN) is None
    assert looks_like_fixed_offset(text)


@pytest.mark.parametrize("text", ["EST", "cet", "PST8PDT", "BST", "IST", "HST", "MST7MDT"])
def test_abbreviations_are_refused_and_recognised(text):
    assert parse_timezone(text, KNOWN) is None
    assert looks_like_abbreviation(text) and not looks_like_fixed_offset(text)


@pytest.mark.parametrize(
    "text",
    ["Narnia", "", "  ", "eastern", "samoa", "localtime", "Factory", "Europe", "Europe/",
     "/London", "London" * 20, "7:15", "Europe/Londonx"],
)  # fmt: skip
def test_unknown_ambiguous_and_junk_zones_are_refused(text):
    assert parse_timezone(text, KNOWN) is None


@pytest.mark.parametrize("text", ["UTC", "London", "Europe/London", "EST", "", "7:15", "Zulu"])
def test_names_are_not_offsets(text):
    assert not looks_like_fixed_offset(text)


def test_only_names_the_caller_knows_are_returned():
    assert parse_timezone("london", frozenset({"UTC"})) is None
    assert parse_timezone("utc", frozenset({"Etc/UTC"})) == "Etc/UTC"
    assert parse_timezone("utc", frozenset({"Europe/London"})) is None


def test_a_city_in_two_regions_is_ambiguous_but_full_names_still_work():
    zones = frozenset({"Asia/Springfield", "Europe/Springfield"})
    assert parse_timezone("springfield", zones) is None
    assert parse_timezone("asia/springfield", zones) == "Asia/Springfield"


# --- occurrence_on / next_occurrence: explicit transitions -------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "t", "expected"),
    [
        # spring forward: the skipped 02:00-03:00 fires when the clock jumps, at 03:00 local
        ("Europe/Berlin", date(2024, 3, 31), time(2, 30), utc(2024, 3, 31, 1, 0)),
        ("Europe/Berlin", date(2024, 3, 31), time(2, 0), utc(2024, 3, 31, 1, 0)),
        ("Europe/Berlin", date(2024, 3, 31), time(1, 59), utc(2024, 3, 31, 0, 59)),
        ("Europe/Berlin", date(2024, 3, 31), time(3, 0), utc(2024, 3, 31, 1, 0)),
        # fall back: 02:30 happens twice and fires at the first (CEST)
        ("Europe/Berlin", date(2024, 10, 27), time(2, 30), utc(2024, 10, 27, 0, 30)),
        ("America/New_York", date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 7, 0)),
        ("America/New_York", date(2024, 11, 3), time(1, 30), utc(2024, 11, 3, 5, 30)),
        # Lord Howe moves by 30 minutes: 02:00 -> 02:30 in October, 02:00 -> 01:30 in April
        ("Australia/Lord_Howe", date(2024, 10, 6), time(2, 15), utc(2024, 10, 5, 15, 30)),
        ("Australia/Lord_Howe", date(2024, 4, 7), time(1, 45), utc(2024, 4, 6, 14, 45)),
        # Dublin's negative DST: winter is the "daylight" offset; folds still fire first
        ("Europe/Dublin", date(2024, 10, 27), time(1, 30), utc(2024, 10, 27, 0, 30)),
        # southern hemisphere and midnight transitions
        ("Australia/Sydney", date(2024, 10, 6), time(2, 30), utc(2024, 10, 5, 16, 0)),
        ("America/Santiago", date(2024, 9, 8), time(0, 30), utc(2024, 9, 8, 4, 0)),
        ("America/Sao_Paulo", date(2018, 11, 4), time(0, 30), utc(2018, 11, 4, 3, 0)),
        ("Asia/Kathmandu", date(2024, 1, 1), time(8, 0), utc(2024, 1, 1, 2, 15)),
    ],
)  # fmt: skip
def test_occurrence_on_across_transitions(tz, day, t, expected):
    got = occurrence_on(t, tz, day)
    assert got == expected and got.tzinfo is UTC
    assert local_date(got, tz) == day


def test_a_repeated_wall_time_fires_once():
    assert next_occurrence(time(2, 30), "Europe/Berlin", utc(2024, 10, 27, 0, 0)) == utc(
        2024, 10, 27, 0, 30
    )
    # just after the first 02:30: the second 02:30 (01:30 UTC) is skipped, tomorrow's is next
    assert next_occurrence(time(2, 30), "Europe/Berlin", utc(2024, 10, 27, 0, 30)) == utc(
        2024, 10, 28, 1, 30
    )
    assert next_occurrence(time(1, 30), "America/New_York", utc(2024, 11, 3, 5, 30)) == utc(
        2024, 11, 4, 6, 30
    )
    assert next_occurrence(time(1, 45), "Australia/Lord_Howe", utc(2024, 4, 6, 14, 45)) == utc(
        2024, 4, 7, 15, 15
    )


def test_apia_skipped_2011_12_30():
    tz = "Pacific/Apia"
    with pytest.raises(NoSuchLocalDay):
        occurrence_on(time(8, 0), tz, date(2011, 12, 30))
    with pytest.raises(NoSuchLocalDay):
        occurrence_on(time(0, 0), tz, date(2011, 12, 30))
    assert local_date(utc(2011, 12, 30, 9, 59, 59), tz) == date(2011, 12, 29)
    assert local_date(utc(2011, 12, 30, 10, 0), tz) == date(2011, 12, 31)
    # Thursday 29th 08:00 (UTC-10) fires, then Saturday 31st 08:00 (UTC+14)
    assert occurrence_on(time(8, 0), tz, date(2011, 12, 29)) == utc(2011, 12, 29, 18, 0)
    assert next_occurrence(time(8, 0), tz, utc(2011, 12, 29, 18, 0)) == utc(2011, 12, 30, 18, 0)
    assert format_local(utc(2011, 12, 30, 18, 0), tz) == "Sat 08:00"


def test_a_gap_that_runs_to_midnight_skips_that_days_slot():
    # Nuuk springs forward Saturday 23:00 -> Sunday 00:00: a 23:30 slot has nowhere to go that
    # Saturday, and firing at Sunday 00:00 would give Sunday two reminders.
    tz = "America/Nuuk"
    with pytest.raises(NoSuchLocalDay):
        occurrence_on(time(23, 30), tz, date(2024, 3, 30))
    assert occurrence_on(time(22, 30), tz, date(2024, 3, 30)) == utc(2024, 3, 31, 0, 30)
    got = next_occurrence(time(23, 30), tz, utc(2024, 3, 30, 12, 0))
    assert got == utc(2024, 4, 1, 0, 30) and format_local(got, tz) == "Sun 23:30"


def test_a_gap_ending_on_odd_seconds_fires_at_the_next_whole_minute():
    # Berlin left local mean time (+00:53:28) for CET at midnight on 1893-04-01: 00:00-00:06:32
    # never showed, and minutes resolution means the first valid minute after 00:03 is 00:07.
    got = occurrence_on(time(0, 3), "Europe/Berlin", date(1893, 4, 1))
    assert got == utc(1893, 3, 31, 23, 7) and format_local(got, "Europe/Berlin") == "Sat 00:07"


def test_next_occurrence_is_strictly_after_and_in_utc():
    tz = "Europe/London"
    assert next_occurrence(time(8, 0), tz, utc(2024, 1, 1, 7, 59)) == utc(2024, 1, 1, 8, 0)
    assert next_occurrence(time(8, 0), tz, utc(2024, 1, 1, 8, 0)) == utc(2024, 1, 2, 8, 0)
    tokyo_now = datetime(2024, 1, 1, 17, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 08:00 UTC
    got = next_occurrence(time(8, 0), tz, tokyo_now)
    assert got == utc(2024, 1, 2, 8, 0) and got.tzinfo is UTC


def test_bad_arguments_are_refused_loudly():
    with pytest.raises(ValueError, match="aware"):
        next_occurrence(time(8, 0), "UTC", datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="tzinfo"):
        occurrence_on(time(8, 0, tzinfo=UTC), "UTC", date(2024, 1, 1))
    with pytest.raises(ValueError, match="aware"):
        in_quiet_hours(datetime(2024, 1, 1), "UTC")
    with pytest.raises(zoneinfo.ZoneInfoNotFoundError):
        local_date(utc(2024, 1, 1), "Mars/Olympus_Mons")


def test_format_local_is_locale_neutral_24h():
    assert format_local(utc(2024, 1, 1, 8, 0), "Europe/London") == "Mon 08:00"
    assert format_local(utc(2024, 1, 6, 23, 30), "Asia/Tokyo") == "Sun 08:30"
    assert format_local(utc(2024, 7, 1, 19, 5), "America/New_York") == "Mon 15:05"


# --- properties ----------------------------------------------------------------------------------


@FAST
@given(case=zone_and_start(before=40 * 1440, after=1440), t=slot_times)
@example(case=("America/Nuuk", utc(2024, 3, 1)), t=time(23, 30))  # gap runs to midnight
@example(case=("Pacific/Apia", utc(2011, 12, 1)), t=time(8, 0))  # skipped day
@example(case=("Pacific/Kwajalein", utc(1993, 8, 1)), t=time(0, 0))
@example(case=("America/St_Johns", utc(1995, 10, 1)), t=time(23, 30))  # falls back over midnight
@example(case=("America/St_Johns", utc(1990, 10, 28, 2, 31)), t=time(0, 0))  # 00:00 already past
@example(case=("Australia/Lord_Howe", utc(2024, 3, 20)), t=time(1, 45))
def test_sixty_days_of_slots(case, t):
    """One firing per local date that has the slot, in order, each at the wall time or, when the
    clock skips it, at the jump; dates without one have no minute left from the slot on."""
    name, start = case
    zone = ZoneInfo(name)
    fired = []
    u = start
    for _ in range(60):
        u = next_occurrence(t, name, u)
        fired.append(u)
    assert all(f.tzinfo is UTC for f in fired)
    assert start < fired[0] and all(a < b for a, b in itertools.pairwise(fired))
    dates = [f.astimezone(zone).date() for f in fired]
    assert len(set(dates)) == len(dates), "two firings on one local date"
    for f, d in zip(fired, dates, strict=True):
        shown = f.astimezone(zone)
        slot = datetime.combine(d, t)
        if _exists(zone, slot):
            assert shown.replace(tzinfo=None) == slot and shown.fold == 0
        else:
            assert shown.time() > t and shown.second == 0
            assert _shows(zone, f - timedelta(seconds=1)) < slot  # the clock jumped over it here
    # Dates before the first firing had their slot before ``start``; ``start``'s wall date can
    # lag behind them where the clock fell back over midnight (St John's until 2010).
    day = start.astimezone(zone).date()
    while day <= dates[-1]:
        if day not in dates:
            if day < dates[0]:
                assert _slot_passed(zone, day, t, start), f"{day} skipped with its slot ahead"
            else:
                assert _no_minute_from(zone, day, t), f"{day} has a slot but no firing"
        day += timedelta(days=1)


@FAST
@given(case=zone_and_start(before=36 * 60, after=12 * 60), t=slot_times)
@example(case=("America/Nuuk", utc(2024, 3, 30, 12)), t=time(23, 30))
@example(case=("Pacific/Apia", utc(2011, 12, 29, 19)), t=time(8, 0))
@example(case=("America/St_Johns", utc(1995, 10, 29, 2, 10)), t=time(0, 0))  # 00:00 twice
@example(case=("America/St_Johns", utc(1995, 10, 29, 2, 10)), t=time(23, 30))
def test_next_occurrence_matches_a_minute_by_minute_scan(case, t):
    name, start = case
    zone = ZoneInfo(name)
    got = next_occurrence(t, name, start)
    assert _fires_at(zone, t, got)
    minute = start.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < got:
        assert not _fires_at(zone, t, minute), f"missed a firing at {minute}"
        minute += timedelta(minutes=1)


# --- quiet hours -------------------------------------------------------------------------------


def test_default_quiet_hours_wrap_midnight():
    tz = "Europe/Berlin"  # UTC+1 in January
    quiet = {h: in_quiet_hours(utc(2024, 1, 10, h, 0), tz) for h in range(24)}
    assert sorted(h for h, q in quiet.items() if q) == [0, 1, 2, 3, 4, 5, 21, 22, 23]
    assert in_quiet_hours(utc(2024, 1, 10, 5, 59, 59), tz)
    assert not in_quiet_hours(utc(2024, 1, 10, 6, 0), tz)
    assert next_outside_quiet_hours(utc(2024, 1, 10, 23, 0), tz) == utc(2024, 1, 11, 6, 0)
    assert next_outside_quiet_hours(utc(2024, 1, 10, 12, 0), tz) == utc(2024, 1, 10, 12, 0)


def test_a_daytime_window_and_an_empty_one():
    tz = "UTC"
    nap = (time(13, 0), time(15, 0))
    assert in_quiet_hours(utc(2024, 1, 1, 14, 0), tz, *nap)
    assert not in_quiet_hours(utc(2024, 1, 1, 15, 0), tz, *nap)
    assert not in_quiet_hours(utc(2024, 1, 1, 23, 0), tz, *nap)
    assert next_outside_quiet_hours(utc(2024, 1, 1, 13, 0), tz, *nap) == utc(2024, 1, 1, 15, 0)
    never = (time(22, 0), time(22, 0))
    assert not any(in_quiet_hours(utc(2024, 1, 1, h), tz, *never) for h in range(24))
    tokyo = datetime(2024, 1, 1, 23, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    got = next_outside_quiet_hours(tokyo, tz, *never)
    assert got == tokyo and got.tzinfo is UTC


@pytest.mark.parametrize(
    ("tz", "instant", "window", "expected"),
    [
        # Berlin, spring night: 23:00 CET to 07:00 CEST is seven hours, not eight
        ("Europe/Berlin", utc(2024, 3, 30, 22, 0), None, utc(2024, 3, 31, 5, 0)),
        # Berlin, autumn night: 23:00 CEST to 07:00 CET is nine hours
        ("Europe/Berlin", utc(2024, 10, 26, 21, 0), None, utc(2024, 10, 27, 6, 0)),
        # a window ending inside the gap ends when the clock jumps over it (03:00 CEST)
        ("Europe/Berlin", utc(2024, 3, 30, 22, 0), (time(22), time(2, 30)), utc(2024, 3, 31, 1)),
        # New York fall-back: 01:10 is quiet twice and each ends at the following 01:30
        ("America/New_York", utc(2024, 11, 3, 5, 10), (time(22), time(1, 30)),
         utc(2024, 11, 3, 5, 30)),
        ("America/New_York", utc(2024, 11, 3, 6, 10), (time(22), time(1, 30)),
         utc(2024, 11, 3, 6, 30)),
        # ... and a window can end by the clock falling back below its start
        ("America/New_York", utc(2024, 11, 3, 5, 45), (time(1, 30), time(3)),
         utc(2024, 11, 3, 6, 0)),
        # Lord Howe jumps 02:00 -> 02:30, over a 02:15 end
        ("Australia/Lord_Howe", utc(2024, 10, 5, 15, 0), (time(22), time(2, 15)),
         utc(2024, 10, 5, 15, 30)),
        # Apia's skipped day, from Thursday 23:00 to Saturday 07:00 in eight hours
        ("Pacific/Apia", utc(2011, 12, 30, 9, 0), None, utc(2011, 12, 30, 17, 0)),
    ],
)  # fmt: skip
def test_quiet_hours_across_dst_nights(tz, instant, window, expected):
    start, end = window or (DEFAULT_QUIET_START, DEFAULT_QUIET_END)
    assert in_quiet_hours(instant, tz, start, end)
    got = next_outside_quiet_hours(instant, tz, start, end)
    assert got == expected and got.tzinfo is UTC
    assert not in_quiet_hours(got, tz, start, end)


minute_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))


@FAST
@given(case=zone_and_start(before=18 * 60, after=6 * 60), start=minute_times, end=minute_times)
@example(case=("Pacific/Apia", utc(2011, 12, 30, 9)), start=time(22), end=time(7))
@example(case=("America/New_York", utc(2024, 11, 3, 5, 45)), start=time(1, 30), end=time(3))
@example(case=("America/St_Johns", utc(1995, 10, 29, 2, 0)), start=time(23, 30), end=time(0))
def test_next_outside_quiet_hours_matches_a_minute_by_minute_scan(case, start, end):
    name, instant = case
    zone = ZoneInfo(name)

    def quiet(u: datetime) -> bool:
        t = u.astimezone(zone).time()
        if start == end:
            return False
        return start <= t < end if start < end else (t >= start or t < end)

    assert in_quiet_hours(instant, name, start, end) == quiet(instant)
    got = next_outside_quiet_hours(instant, name, start, end)
    assert not quiet(got) and got.tzinfo is UTC
    if not quiet(instant):
        assert got == instant
        return
    assert got > instant
    minute = instant.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < got:
        assert quiet(minute), f"{minute} was already outside quiet hours"
        minute += timedelta(minutes=1)
