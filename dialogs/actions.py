"""Actions: orders the core gives the shell. Named as imperatives.

The shell carries them out in order: storage actions in the same transaction as the new
state, then messages. Message texts here are final; the shell does not reword anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Action",
    "AnswerButton",
    "Button",
    "CancelTimers",
    "DeleteData",
    "Edit",
    "ExportData",
    "Keyboard",
    "OpenReferral",
    "RecordReminder",
    "RecordSession",
    "ResolveReferrals",
    "SaveCheckIn",
    "Send",
    "ShowProgress",
    "StartTimer",
]

MAX_TEXT = 4096
MAX_BUTTON_DATA_BYTES = 64


@dataclass(frozen=True)
class Button:
    label: str
    data: str

    def __post_init__(self) -> None:
        size = len(self.data.encode("utf-8"))
        if not 1 <= size <= MAX_BUTTON_DATA_BYTES:
            raise ValueError(f"button data must be 1-64 bytes, got {size}: {self.data!r}")


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Send:
    """Send a new message. ``ref`` names it so that a later ``Edit`` can change it."""

    text: str
    buttons: Keyboard = ()
    ref: str | None = None
    important: bool = False  # a safety message: never dropped, never merged
    #: Written to the outbox in the turn's transaction and re-sent after a crash until
    #: delivered: at least once, so a crash costs at most one duplicate, never a lost message.
    durable: bool = False

    def __post_init__(self) -> None:
        if not 1 <= len(self.text) <= MAX_TEXT:
            raise ValueError(f"message text must be 1-{MAX_TEXT} characters")


@dataclass(frozen=True)
class Edit:
    """Replace the text (and buttons) of the message last sent with ``ref``."""

    ref: str
    text: str
    buttons: Keyboard = ()


@dataclass(frozen=True)
class AnswerButton:
    """Answer the button press that caused this transition, with an optional short notice."""

    notice: str = ""


@dataclass(frozen=True)
class StartTimer:
    """Fire ``TimerFired(kind, token)`` at ``due_at``, replacing any timer of the same kind."""

    kind: str
    due_at: datetime
    token: str


@dataclass(frozen=True)
class CancelTimers:
    """Forget every pending timer of these kinds (all session timers, say)."""

    kinds: tuple[str, ...]


@dataclass(frozen=True)
class SaveCheckIn:
    session_no: int
    at: datetime
    phase: str  # "before" or "after" a session
    pain: int | None = None
    stiffness: int | None = None
    feel: str | None = None


@dataclass(frozen=True)
class RecordReminder:
    """The stored mark of one reminder occurrence and what became of it."""

    slot: str
    due_at: datetime
    outcome: str  # sent | missed | paused | busy | safety_pause | snoozed | skipped | started
    at: datetime


@dataclass(frozen=True)
class RecordSession:
    """Create or update the stored record of a guided session."""

    session_no: int
    status: str  # started | completed | stopped | hurt | interrupted
    started_at: datetime
    variation: str
    reps: int
    hold_seconds: int
    ended_at: datetime | None = None
    holds_done: int = 0


@dataclass(frozen=True)
class OpenReferral:
    """Store a red-flag referral; the shell forwards it to a clinician when configured."""

    tier: str
    flags: tuple[str, ...]
    source: str  # onboarding | screen | free_text | hurt | check_in
    words: str
    at: datetime
    forward: bool = False
    details: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ResolveReferrals:
    """Close the user's open referrals (they confirmed a clinician cleared them)."""

    status: str = "patient_cleared"
    note: str = ""


@dataclass(frozen=True)
class ShowProgress:
    """Gather the user's stored history and send the progress summary (and its chart)."""

    kind: str = "progress"  # progress | weekly | report


@dataclass(frozen=True)
class ExportData:
    """Send the user everything stored about them, as JSON and a CSV of check-ins."""


@dataclass(frozen=True)
class DeleteData:
    """Erase every row naming the user; referrals keep no personal fields."""


Action = (
    Send
    | Edit
    | AnswerButton
    | StartTimer
    | CancelTimers
    | SaveCheckIn
    | RecordSession
    | RecordReminder
    | OpenReferral
    | ResolveReferrals
    | ShowProgress
    | ExportData
    | DeleteData
)
