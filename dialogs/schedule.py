"""The pure time functions behind the reminders: parsing what people type, and wall-clock maths.

No clock reads and no I/O beyond zoneinfo's tz data: ``now``/``after``/``instant`` are passed in
as aware datetimes (UTC by convention; any aware datetime is accepted) and every instant returned
is an aware UTC datetime. Zone names are IANA keys, e.g. as returned by :func:`parse_timezone`;
an unknown key raises :class:`zoneinfo.ZoneInfoNotFoundError`. Naive instants and tz-aware
``time`` values raise :class:`ValueError`, because either would silently mean the wrong moment.

Policies
--------
Clock times (:func:`parse_clock_time`), minutes resolution:
  * ``7:15``, ``07:15``, ``7.15``, ``19h15``, ``1915``/``715`` (compact, minutes = last two
    digits), ``19``/``7`` (a bare number is an hour on the 24-hour clock), ``19h``, an optional
    ``am``/``pm``/``a.m.``/``p``, ``noon``/``midday``/``midnight``, a leading ``at``/``@``.
  * Minutes must have two digits: ``7:5`` is refused, since people mean 7:05 and 7:50 alike.
  * With am/pm the hour must be 1-12 (``0am`` and ``13pm`` are refused; 12am is 00:00, 12pm is
    12:00); without it, 0-23. ``24:00`` and seconds (``7:15:30``) are refused.
  * Input longer than 40 characters is refused without being parsed.

Snooze durations (:func:`parse_duration`), whole minutes from 1 minute to 12 hours inclusive:
  * ``45``/``45m``/``45 min``/``45 minutes``, ``1h``/``2 hours``/``1.5h``, ``1h30``/``1h 30m``/
    ``1 hour and 30 minutes``, ``1:30`` (H:MM), ``an hour``, ``half an hour``, ``a quarter of an
    hour``, ``an hour and a half``; an optional leading ``in``/``for``.
  * A bare number is minutes. After an hours part the minutes must be below 60 (``1h 75m`` is
    refused, ``90m`` is fine). Decimal hours must come to whole minutes (``1.33h`` is refused).

Time zones (:func:`parse_timezone`), in this order:
  1. ``UTC`` and its aliases (``Etc/UTC``, ``UCT``, ``Zulu``, ...) give ``"UTC"``.
  2. A full IANA name, case-, accent-, space/underscore-insensitively (``america/new york``).
  3. A city alone: the last component of a region/city name (``sao paulo``, ``St. John's``).
     Legacy areas (``US/``, ``Canada/``, ...) are not searched. When two names share a city, the
     deeper one wins (``America/Argentina/Buenos_Aires``, not the old ``America/Buenos_Aires``);
     a tie left over is settled by a short table of canonical names or else refused as ambiguous.
     ``Pacific/Samoa`` is never matched by city: it is American Samoa, a day away from Samoa.
  4. A one-word legacy zone that is a place (``Japan``, ``Eire``, ``GB``, ``Singapore``).
  Refused: fixed offsets (``+02:00``, ``UTC+2``, ``GMT-5``, ``Etc/GMT-2``, and ``GMT`` itself,
  which UK users type meaning UK time) and abbreviations (``EST``, ``CET``, ``PST8PDT``, ...),
  because none of them follows daylight saving; :func:`looks_like_fixed_offset` and
  :func:`looks_like_abbreviation` tell the caller which explanation to give.

Reminder slots (:func:`occurrence_on`, :func:`next_occurrence`):
  * A slot belongs to a local date and always fires on that date, at most once.
  * Wall time repeated (fall-back): fires once, at the first occurrence (fold=0).
  * Wall time skipped (spring-forward gap): fires at the first valid minute after it, i.e. the
    moment the clock jumps over it (02:30 in Berlin on the spring-forward day fires at 03:00),
    rounded up to a whole minute for the historical gaps that end on odd seconds.
  * If nothing at or after the wall time exists on that date, the date has no slot and
    :class:`NoSuchLocalDay` is raised: a whole skipped day (``Pacific/Apia`` 2011-12-30), or a
    gap that runs to midnight (``America/Nuuk`` springs forward 23:00 -> 00:00, so a 23:30 slot
    is skipped that Saturday rather than fired at Sunday 00:00, which would give Sunday two
    reminders). :func:`next_occurrence` simply moves on to the next date that has one.

Quiet hours (:func:`in_quiet_hours`): the window ``[start, end)`` is read off the local wall
clock, may wrap midnight, defaults to 22:00-07:00, and ``start == end`` means no quiet hours.
:func:`next_outside_quiet_hours` follows the wall clock through DST changes; it assumes a zone
does not change its UTC offset twice within one quiet window (no zone in the tz data does).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

__all__ = [
    "DEFAULT_QUIET_END",
    "DEFAULT_QUIET_START",
    "MAX_SNOOZE",
    "NoSuchLocalDay",
    "format_local",
    "in_quiet_hours",
    "local_date",
    "looks_like_abbreviation",
    "looks_like_fixed_offset",
    "next_occurrence",
    "next_outside_quiet_hours",
    "occurrence_on",
    "parse_clock_time",
    "parse_duration",
    "parse_timezone",
]

DEFAULT_QUIET_START = time(22, 0)
DEFAULT_QUIET_END = time(7, 0)
MAX_SNOOZE = timedelta(hours=12)

_MAX_TEXT = 40  # longer than any real answer; caps regex work on pasted junk
_MAX_ZONE_TEXT = 64
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class NoSuchLocalDay(ValueError):
    """No instant on this local date shows the slot's wall time or any later one.

    Raised by :func:`occurrence_on` for dates the zone skips (``Pacific/Apia`` 2011-12-30) and
    for gaps that run to midnight; the slot is skipped that day rather than moved to the next.
    """


# --- clock times -------------------------------------------------------------------------------

_NAMED_TIMES = {
    "noon": time(12, 0),
    "midday": time(12, 0),
    "12 noon": time(12, 0),
    "midnight": time(0, 0),
    "12 midnight": time(0, 0),
}

_CLOCK_RE = re.compile(
    r"""
    (?: (?P<h1>[0-9]{1,2}) (?: [:.] (?P<m1>[0-9]{2}) )?    # 7  07  7:15  7.15
      | (?P<h2>[0-9]{1,2}) h (?P<m2>[0-9]{2})?             # 19h  19h15
      | (?P<h3>[0-9]{1,2}) (?P<m3>[0-9]{2})                # 715  1915
    )
    \s*
    (?: (?P<mer>[ap]) (?: \.?\s?m\.? )? )?                 # am  pm  a.m.  p
    """,
    re.VERBOSE,
)


def _clean(text: str) -> str:
    """Fold what people type to one spelling: NFKC (full-width digits), lower case, one space."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def parse_clock_time(text: str) -> time | None:
    """The wall-clock time someone typed, or None when it isn't one (see module policies)."""
    if len(text) > _MAX_TEXT:
        return None
    s = _clean(text)
    for prefix in ("at ", "@"):
        s = s.removeprefix(prefix).strip()
    if s in _NAMED_TIMES:
        return _NAMED_TIMES[s]
    m = _CLOCK_RE.fullmatch(s)
    if m is None:
        return None
    hour_text = m["h1"] or m["h2"] or m["h3"]
    hour = int(hour_text)
    minute = int(m["m1"] or m["m2"] or m["m3"] or 0)
    if minute > 59:
        return None
    if m["mer"] is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m["mer"] == "p" else 0)
    elif hour > 23:
        return None
    return time(hour, minute)


# --- snooze durations --------------------------------------------------------------------------

_DURATION_PHRASES = {
    "an hour": 60,
    "one hour": 60,
    "half an hour": 30,
    "half hour": 30,
    "a half hour": 30,
    "quarter of an hour": 15,
    "a quarter of an hour": 15,
    "quarter hour": 15,
    "a quarter hour": 15,
    "an hour and a half": 90,
    "one and a half hours": 90,
    "a minute": 1,
}

_HM_RE = re.compile(r"(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})")
_DURATION_RE = re.compile(
    r"""
    (?: (?P<h>[0-9]{1,2}(?:\.[0-9]{1,2})?) \s* (?:hours|hour|hrs|hr|h) )?
    (?: \s* (?P<and>and\s+)? (?P<m>[0-9]{1,4}) \s* (?:minutes|minute|mins|min|m)? )?
    """,
    re.VERBOSE,
)


def parse_duration(text: str) -> timedelta | None:
    """A snooze length from 1 minute to :data:`MAX_SNOOZE`, or None (see module policies)."""
    if len(text) > _MAX_TEXT:
        return None
    s = _clean(text)
    for prefix in ("in ", "for "):
        s = s.removeprefix(prefix)
    minutes: Fraction
    if s in _DURATION_PHRASES:
        minutes = Fraction(_DURATION_PHRASES[s])
    elif (hm := _HM_RE.fullmatch(s)) is not None:
        if int(hm["m"]) > 59:
            return None
        minutes = Fraction(int(hm["h"]) * 60 + int(hm["m"]))
    elif (d := _DURATION_RE.fullmatch(s)) is not None and (d["h"] or d["m"]):
        hours = Fraction(d["h"]) if d["h"] else None
        mins = int(d["m"]) if d["m"] else None
        if hours is None and d["and"]:
            return None  # "and 30"
        if hours is not None and mins is not None and (hours.denominator != 1 or mins > 59):
            return None  # "1.5h 30m", "1h 75m"
        minutes = Fraction(hours or 0) * 60 + (mins or 0)
    else:
        return None
    if minutes.denominator != 1 or not 1 <= minutes <= MAX_SNOOZE // timedelta(minutes=1):
        return None
    return timedelta(minutes=int(minutes))


# --- time zones --------------------------------------------------------------------------------

_OFFSET_RE = re.compile(
    r"""
    (?:etc/)?(?:utc|gmt|ut)?[+-][0-9]{1,2}(?::?[0-9]{2})?   # +02:00  -5  +0530  utc+2  etc/gmt-2
    | (?:etc/)?(?:gmt|utc|ut)[0-9]{1,2}                     # gmt0  utc5
    | (?:etc/)?(?:gmt|greenwich)                            # gmt  etc/greenwich
    | z
    """,
    re.VERBOSE,
)
_UTC_ALIASES = frozenset({"utc", "etc/utc", "uct", "etc/uct", "universal", "etc/universal",
                          "zulu", "etc/zulu"})  # fmt: skip
# fmt: off
_ABBREVIATIONS = frozenset({
    "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst", "akdt", "hst", "hast", "hadt",
    "ast", "adt", "nst", "ndt", "cet", "cest", "eet", "eest", "wet", "west", "met", "mest", "bst",
    "ist", "msk", "aest", "aedt", "acst", "acdt", "awst", "nzst", "nzdt", "jst", "kst", "hkt",
    "sgt", "pht", "wib", "wita", "wit", "sast", "cat", "eat", "wat",
    "est5edt", "cst6cdt", "mst7mdt", "pst8pdt",
})
# fmt: on
_NOT_PLACES = frozenset({"factory", "localtime", "posixrules"})  # in the tz data, not zones
_LEGACY_AREAS = ("us/", "canada/", "mexico/", "brazil/", "chile/", "etc/", "systemv/")
_NOT_BY_CITY = frozenset({"pacific/samoa"})  # American Samoa; "samoa" means Apia to Samoans
_CANONICAL = {"istanbul": "Europe/Istanbul", "nicosia": "Asia/Nicosia"}  # ties in the tz data


def _squash(text: str) -> str:
    """Upper case, spaces and the minus sign mean nothing in an offset: ``UTC + 2`` is ``utc+2``."""
    s = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-").replace("\u2013", "-")
    return "".join(s.split())


def looks_like_fixed_offset(text: str) -> bool:
    """Whether the text is a UTC offset (``+02:00``, ``UTC+2``, ``GMT-5``, ``Etc/GMT-2``, ``GMT``).

    Offsets ignore daylight saving, so :func:`parse_timezone` refuses them; this lets the caller
    say why and ask for a city instead.
    """
    return len(text) <= _MAX_ZONE_TEXT and _OFFSET_RE.fullmatch(_squash(text)) is not None


def looks_like_abbreviation(text: str) -> bool:
    """Whether the text is a zone abbreviation (``EST``, ``CET``, ``BST``, ``PST8PDT``).

    They name one half of a zone's year or are ambiguous (IST, CST), so they are refused too.
    """
    return len(text) <= _MAX_ZONE_TEXT and _squash(text) in _ABBREVIATIONS


def _key(name: str) -> str:
    """How a place name is compared: no accents, case, punctuation or ``_``/``-``/space nuance."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    for dropped in (".", "'", "\u2019"):
        s = s.replace(dropped, "")
    s = s.replace("_", " ").replace("-", " ")
    return "/".join(" ".join(part.split()) for part in s.split("/"))


@dataclass(frozen=True)
class _ZoneIndex:
    utc: str | None
    full: dict[str, str]
    cities: dict[str, str | None]  # None: ambiguous
    single: dict[str, str]


@functools.lru_cache(maxsize=4)
def _index(known_zones: frozenset[str]) -> _ZoneIndex:
    """Look-up tables for one set of zones, built once (callers pass the same frozenset)."""
    full: dict[str, str] = {}
    by_city: dict[str, list[str]] = {}
    single: dict[str, str] = {}
    for name in sorted(known_zones):
        k = _key(name)
        if (k in _NOT_PLACES or k in _ABBREVIATIONS or k in _UTC_ALIASES
                or _OFFSET_RE.fullmatch(_squash(name))):  # fmt: skip
            continue
        if "/" not in k:
            single[k] = name
            continue
        full[k] = name
        if not k.startswith(_LEGACY_AREAS) and k not in _NOT_BY_CITY:
            by_city.setdefault(k.rsplit("/", 1)[1], []).append(name)
    cities: dict[str, str | None] = {}
    for city, names in by_city.items():
        deepest = max(n.count("/") for n in names)
        names = [n for n in names if n.count("/") == deepest]
        if len(names) == 1:
            cities[city] = names[0]
        else:
            preferred = _CANONICAL.get(city)
            cities[city] = preferred if preferred in names else None
    utc = next((z for z in ("UTC", "Etc/UTC") if z in known_zones), None)
    return _ZoneIndex(utc=utc, full=full, cities=cities, single=single)


def parse_timezone(text: str, known_zones: frozenset[str]) -> str | None:
    """The IANA zone key for what someone typed, or None (see module policies).

    ``known_zones`` is ``zoneinfo.available_timezones()``, computed once by the caller; only
    names in it are returned.
    """
    if len(text) > _MAX_ZONE_TEXT or looks_like_fixed_offset(text) or looks_like_abbreviation(text):
        return None
    k = _key(_clean(text))
    if not k:
        return None
    idx = _index(known_zones)
    if k in _UTC_ALIASES:
        return idx.utc
    return idx.full.get(k) or idx.cities.get(k) or idx.single.get(k)


# --- reminder slots ----------------------------------------------------------------------------


def _aware(instant: datetime, name: str) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got {instant!r}")
    return instant


def _naive(t: time, name: str) -> time:
    if t.tzinfo is not None:
        raise ValueError(f"{name} is a wall-clock time and must not carry a tzinfo, got {t!r}")
    return t.replace(fold=0)


def _offset_at(zone: ZoneInfo, seconds: int) -> timedelta | None:
    return (_EPOCH + timedelta(seconds=seconds)).astimezone(zone).utcoffset()


def _first_offset_change(zone: ZoneInfo, lo: datetime, hi: datetime) -> datetime:
    """The first whole second in ``(lo, hi]`` with another UTC offset than ``lo``'s.

    The caller guarantees that ``hi`` has another offset; tz transitions fall on whole seconds,
    so bisecting seconds finds the transition exactly.
    """
    lo_s = (lo - _EPOCH) // _SECOND
    hi_s = -((_EPOCH - hi) // _SECOND)  # ceiling
    before = _offset_at(zone, lo_s)
    while hi_s - lo_s > 1:
        mid = (lo_s + hi_s) // 2
        if _offset_at(zone, mid) == before:
            lo_s = mid
        else:
            hi_s = mid
    return _EPOCH + timedelta(seconds=hi_s)


def local_date(instant: datetime, tz: str) -> date:
    """The date a wall calendar in ``tz`` shows at ``instant``."""
    return _aware(instant, "instant").astimezone(ZoneInfo(tz)).date()


def occurrence_on(local: time, tz: str, day: date) -> datetime:
    """The UTC instant of the ``local`` slot on local date ``day`` (DST policy: module docs).

    Raises :class:`NoSuchLocalDay` when ``day`` has no wall time at or after ``local``.
    """
    zone = ZoneInfo(tz)
    wall = datetime.combine(day, _naive(local, "local"))
    candidates = [wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)]
    existing = [u for u in candidates if u.astimezone(zone).replace(tzinfo=None) == wall]
    if existing:
        return min(existing)  # the first of a repeated wall time
    # In a gap fold=0 reads the wall with the offset before it and fold=1 with the one after,
    # so the jump over ``wall`` lies between the two readings.
    lo, hi = min(candidates), max(candidates)
    if lo == hi:
        raise NoSuchLocalDay(f"{wall:%Y-%m-%d %H:%M} cannot be placed in {tz}")
    jump = _first_offset_change(zone, lo, hi)
    shown = jump.astimezone(zone)
    if shown.second:  # only historical LMT offsets have seconds: go to the next whole minute
        jump += timedelta(seconds=60 - shown.second)
        shown = jump.astimezone(zone)
    if shown.date() != day:
        raise NoSuchLocalDay(f"{tz} shows no time from {local:%H:%M} on {day.isoformat()}")
    return jump


def next_occurrence(local: time, tz: str, after: datetime) -> datetime:
    """The first instant strictly after ``after`` at which the ``local`` slot fires, in UTC.

    Slots increase with their dates (each is the first showing of its wall time), so the answer
    is the slot of the first date, from ``after``'s own, whose slot is later than ``after``.
    """
    after = _aware(after, "after")
    start = local_date(after, tz)
    for offset in range(15):
        try:
            u = occurrence_on(local, tz, start + timedelta(days=offset))
        except NoSuchLocalDay:
            continue  # a skipped date, or a gap that runs to midnight
        if u > after:
            return u
    raise RuntimeError(f"no {local:%H:%M} in {tz} within two weeks after {after.isoformat()}")


# --- quiet hours -------------------------------------------------------------------------------


def _in_window(t: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= t < end
    return t >= start or t < end


def in_quiet_hours(
    instant: datetime, tz: str, start: time = DEFAULT_QUIET_START, end: time = DEFAULT_QUIET_END
) -> bool:
    """Whether the wall clock in ``tz`` reads inside ``[start, end)`` at ``instant``."""
    shown = _aware(instant, "instant").astimezone(ZoneInfo(tz))
    return _in_window(shown.time(), _naive(start, "start"), _naive(end, "end"))


def next_outside_quiet_hours(
    instant: datetime, tz: str, start: time = DEFAULT_QUIET_START, end: time = DEFAULT_QUIET_END
) -> datetime:
    """``instant`` (in UTC) if it is outside quiet hours, else the first instant that is.

    Walks the wall clock rather than adding hours, so a window that spans a DST change still
    ends at ``end`` local time; when the clock jumps out of the window (over ``end`` in a gap, or
    back below ``start`` at a fall-back) the window ends at that jump.
    """
    zone = ZoneInfo(tz)
    start, end = _naive(start, "start"), _naive(end, "end")
    u = _aware(instant, "instant").astimezone(UTC)
    for _ in range(8):
        shown = u.astimezone(zone)
        if not _in_window(shown.time(), start, end):
            return u
        offset = shown.utcoffset()
        assert offset is not None  # a ZoneInfo always has one
        wall = shown.replace(tzinfo=None)
        end_wall = datetime.combine(wall.date(), end)
        if end_wall <= wall:
            end_wall += timedelta(days=1)
        target = (end_wall - offset).replace(tzinfo=UTC)  # when ``end`` shows if nothing changes
        if target.astimezone(zone).utcoffset() == offset:
            u = target
        else:
            u = _first_offset_change(zone, u, target)  # the clock changes first: look again there
    raise RuntimeError(f"quiet hours {start}-{end} in {tz} do not end after {instant.isoformat()}")


def format_local(instant: datetime, tz: str) -> str:
    """``"Mon 08:00"``: the weekday and 24-hour wall time in ``tz``, the same in every locale."""
    shown = _aware(instant, "instant").astimezone(ZoneInfo(tz))
    return f"{_WEEKDAYS[shown.weekday()]} {shown:%H:%M}"
