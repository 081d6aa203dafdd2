"""Clocks. The shell reads time here and passes it to the core; tests control it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    def seconds_to_real(self, seconds: float) -> float:
        """How long ``seconds`` of coach time take in real time."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def seconds_to_real(self, seconds: float) -> float:
        return seconds


class ScaledClock:
    """Time that runs ``speed`` times faster than real time (``coach chat --speed N``)."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start = start or datetime.now(UTC)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._t0) * self.speed)

    def seconds_to_real(self, seconds: float) -> float:
        return seconds / self.speed


class ManualClock:
    """A clock that moves only when a test says so."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> datetime:
        self._now += timedelta(seconds=seconds)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def seconds_to_real(self, seconds: float) -> float:
        return 0.0
