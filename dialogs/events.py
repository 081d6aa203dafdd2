"""Events: facts the shell reports to the core. Named in the past tense."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ButtonPressed",
    "ClinicianCleared",
    "CommandIssued",
    "Event",
    "TextReceived",
    "TimerFired",
]


@dataclass(frozen=True)
class CommandIssued:
    """The user sent a command such as ``/start`` or ``/stretch`` (name without the slash)."""

    name: str
    args: str = ""
    display_name: str = ""


@dataclass(frozen=True)
class TextReceived:
    """The user typed something that is not a command."""

    text: str


@dataclass(frozen=True)
class ButtonPressed:
    """The user pressed a button; ``data`` is exactly what the button carried (maybe forged)."""

    data: str


@dataclass(frozen=True)
class TimerFired:
    """A durable timer came due. ``token`` lets the core ignore a timer it no longer wants."""

    kind: str
    token: str


@dataclass(frozen=True)
class ClinicianCleared:
    """A clinician (verified by the shell) cleared the user to resume exercise."""

    referral_id: int


Event = CommandIssued | TextReceived | ButtonPressed | TimerFired | ClinicianCleared
