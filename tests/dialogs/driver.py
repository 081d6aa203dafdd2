"""A plain, synchronous driver for the core: no mocks, no I/O, just step() and a list of timers.

It keeps what a shell would keep (pending timers, the last keyboard) so tests read like a
conversation: ``d.cmd("start"); d.press("Sounds good"); d.text("7:15")``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from content.loader import Content
from dialogs.actions import (
    Action,
    AnswerButton,
    Button,
    CancelTimers,
    Edit,
    OpenReferral,
    SaveCheckIn,
    Send,
    StartTimer,
)
from dialogs.core import Transition, step
from dialogs.events import ButtonPressed, CommandIssued, Event, TextReceived, TimerFired
from dialogs.state import State

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # a Monday


@dataclass
class Driver:
    content: Content
    now: datetime = START
    state: State = field(default_factory=State)
    log: list[Action] = field(default_factory=list)
    timers: dict[str, StartTimer] = field(default_factory=dict)
    last: Transition | None = None

    # --- events ---------------------------------------------------------------------------

    def do(self, event: Event) -> Transition:
        transition = step(self.state, event, self.now, self.content)
        # The state must survive the database: what is saved is what comes back.
        assert State.from_json(transition.state.to_json()) == transition.state
        self.state = transition.state
        self.last = transition
        self.log.extend(transition.actions)
        for action in transition.actions:
            if isinstance(action, StartTimer):
                self.timers[action.kind] = action
            elif isinstance(action, CancelTimers):
                for kind in action.kinds:
                    self.timers.pop(kind, None)
        return transition

    def cmd(self, name: str, display_name: str = "") -> Transition:
        return self.do(CommandIssued(name, display_name=display_name))

    def text(self, text: str) -> Transition:
        return self.do(TextReceived(text))

    def press(self, label: str) -> Transition:
        """Press the newest button with this label (as a person would)."""
        return self.do(ButtonPressed(self.button(label).data))

    def button(self, label: str) -> Button:
        for action in reversed(self.log):
            if isinstance(action, Send):
                for row in action.buttons:
                    for b in row:
                        if b.label == label:
                            return b
        raise AssertionError(f"no button {label!r}; last texts: {self.texts()[-3:]}")

    def advance(self, seconds: float) -> list[Transition]:
        """Let time pass, firing due timers in order, as the dispatcher would."""
        end = self.now + timedelta(seconds=seconds)
        fired = []
        while True:
            due = sorted(
                (t for t in self.timers.values() if t.due_at <= end), key=lambda t: t.due_at
            )
            if not due:
                break
            timer = due[0]
            self.now = max(self.now, timer.due_at)
            del self.timers[timer.kind]
            fired.append(self.do(TimerFired(timer.kind, timer.token)))
        self.now = end
        return fired

    def fire_late(self, kind: str, late_by: float) -> Transition:
        timer = self.timers.pop(kind)
        self.now = timer.due_at + timedelta(seconds=late_by)
        return self.do(TimerFired(timer.kind, timer.token))

    # --- reading back ---------------------------------------------------------------------

    def texts(self, transition: Transition | None = None) -> list[str]:
        actions = transition.actions if transition else self.log
        return [a.text for a in actions if isinstance(a, Send)]

    def said(self, transition: Transition | None = None) -> str:
        return "\n---\n".join(self.texts(transition or self.last))

    def of(self, kind: type, transition: Transition | None = None) -> list:
        actions = transition.actions if transition else self.log
        return [a for a in actions if isinstance(a, kind)]

    def notices(self, transition: Transition | None = None) -> list[str]:
        return [a.notice for a in self.of(AnswerButton, transition)]

    def edits(self) -> list[Edit]:
        return self.of(Edit)

    def referrals(self) -> list[OpenReferral]:
        return self.of(OpenReferral)

    def check_ins(self) -> list[SaveCheckIn]:
        return self.of(SaveCheckIn)

    # --- common paths ---------------------------------------------------------------------

    def onboard(self, *, consent: bool = True, variation: str = "Lying on the floor") -> None:
        msgs = self.content.messages.onboarding
        self.cmd("start", display_name="Ann")
        self.press(msgs.welcome_button)
        self.press(msgs.consent_yes if consent else msgs.consent_no)
        if self.content.config.clinician_chat_enabled:
            self.press(msgs.clinician_yes)
        no = self.content.safety.answers.no
        for _ in self.content.safety.screens.onboarding:
            self.press(no)
        self.press("Europe/London")
        self.press("08:00")
        self.press("20:00")
        self.press(variation)
        assert self.state.profile.onboarded

    def run_session(self, pain_before: str = "3") -> None:
        """Start a session and let it run to the check-in."""
        self.cmd("stretch")
        self.press(pain_before)
        self.press(self.content.messages.session.ready)
        self.advance(600)
