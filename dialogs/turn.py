"""One turn of the core: the state being changed and the actions being collected.

Flows write ``turn.ask(...)`` and ``turn.set_flow(...)`` instead of building action tuples by
hand. Mutation is local to one call of ``step``; from outside the core stays pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from content.loader import Content
from content.model import Messages
from dialogs.actions import Action, AnswerButton, Button, Keyboard, Send
from dialogs.state import Flow, Profile, Prompt, State

__all__ = ["ParsedButton", "Turn", "as_number", "normalise", "parse_button"]

SESSION_SCOPE = "s"
CLEARANCE_SCOPE = "c"


@dataclass(frozen=True)
class ParsedButton:
    scope: str  # "p" (a question: p<token>), "s" (session controls: s<no>) or "c" (clearance)
    token: int
    choice: str


_BUTTON = re.compile(
    r"^(?:p(?P<p>[0-9a-z]{1,12})|s(?P<s>[0-9]{1,12})|(?P<c>c)):(?P<choice>[a-z0-9_]{1,40})$"
)


def parse_button(data: str) -> ParsedButton | None:
    """Decode button data; anything malformed (forged, truncated, foreign) gives None."""
    match = _BUTTON.match(data)
    if match is None:
        return None
    choice = match["choice"]
    if match["s"] is not None:
        return ParsedButton(SESSION_SCOPE, int(match["s"]), choice)
    if match["c"] is not None:
        return ParsedButton(CLEARANCE_SCOPE, 0, choice)
    return ParsedButton("p", int(match["p"], 36), choice)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if number == 0:
            return out


def normalise(text: str) -> str:
    """Lowercase, curly quotes straightened, punctuation at the ends and runs of spaces gone."""
    text = text.replace("’", "'").replace("‘", "'").casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .!?,;:\"'()")


def as_number(text: str, low: int, high: int) -> int | None:
    """A typed whole number in [low, high], or None. Only ASCII digits count ("²" does not)."""
    said = normalise(text)
    if said.isascii() and said.isdigit() and len(said) <= 4 and low <= int(said) <= high:
        return int(said)
    return None


@dataclass
class Turn:
    state: State
    now: datetime
    content: Content
    actions: list[Action] = field(default_factory=list)
    from_button: bool = False

    @property
    def m(self) -> Messages:
        return self.content.messages

    def fmt(self, template: str, **params: Any) -> str:
        """Fill a content template; the operator's settings are always available."""
        name = self.state.profile.display_name
        base: dict[str, Any] = {
            "emergency_number": self.content.config.emergency_number,
            "clinic_name": self.content.config.clinic_name,
            "name": f", {name}" if name else "",
        }
        return template.format(**(base | params))

    def send(
        self,
        text: str,
        buttons: Keyboard = (),
        *,
        ref: str | None = None,
        important: bool = False,
        durable: bool = False,
    ) -> None:
        self.actions.append(
            Send(text[:4096], buttons, ref=ref, important=important, durable=durable or important)
        )

    def ask(
        self,
        text: str,
        choices: Sequence[tuple[str, str]],
        *,
        per_row: int = 2,
        important: bool = False,
        durable: bool = False,
    ) -> None:
        """Send a question whose buttons carry a fresh token; typed labels count too."""
        token = self.state.prompt.token + 1
        self.state = self.state.model_copy(
            update={"prompt": Prompt(token=token, choices=tuple(choices))}
        )
        prefix = "p" + _base36(token)
        buttons = [Button(label, f"{prefix}:{cid}") for cid, label in choices]
        self.send(text, _rows(buttons, per_row), important=important, durable=durable)

    def clear_prompt(self) -> None:
        """The question on screen has been answered: its buttons are now stale."""
        self.state = self.state.model_copy(
            update={"prompt": Prompt(token=self.state.prompt.token, choices=())}
        )

    def answer_button(self, notice: str = "") -> None:
        if self.from_button and not any(isinstance(a, AnswerButton) for a in self.actions):
            self.actions.append(AnswerButton(notice))

    def set_flow(self, flow: Flow) -> None:
        self.state = self.state.model_copy(update={"flow": flow})

    def set_profile(self, **changes: Any) -> None:
        profile: Profile = self.state.profile.model_copy(update=changes)
        self.state = self.state.model_copy(update={"profile": profile})

    def update(self, **changes: Any) -> None:
        self.state = self.state.model_copy(update=changes)


def _rows(buttons: Sequence[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def session_button(session_no: int, label: str, choice: str) -> Button:
    return Button(label, f"{SESSION_SCOPE}{session_no}:{choice}")


def clearance_button(label: str, choice: str) -> Button:
    return Button(label, f"{CLEARANCE_SCOPE}:{choice}")
