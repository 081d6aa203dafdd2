"""``step``: the single entry point of the core.

Order of precedence on every event that carries the user's words:
1. the free-text red-flag scan (a red flag wins over everything, mid-session included);
2. commands;
3. the answer to the question on screen (a button, or the same answer typed);
4. the current flow's own typed answers;
5. the FAQ, then a short fallback.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from content.loader import Content
from dialogs import adaptation, check_in, faq, onboarding, reminders, safety, session, settings
from dialogs.actions import Action, DeleteData, ExportData, ShowProgress
from dialogs.events import (
    ButtonPressed,
    ClinicianCleared,
    CommandIssued,
    Event,
    TextReceived,
    TimerFired,
)
from dialogs.state import (
    CheckInFlow,
    ClearanceFlow,
    Idle,
    OnboardingFlow,
    ScreeningFlow,
    SessionFlow,
    SettingsFlow,
    State,
)
from dialogs.turn import CLEARANCE_SCOPE, SESSION_SCOPE, Turn, normalise, parse_button

__all__ = ["MAX_INPUT_CHARS", "Transition", "step"]

MAX_INPUT_CHARS = 4096


@dataclass(frozen=True)
class Transition:
    state: State
    actions: tuple[Action, ...]


def step(state: State, event: Event, now: datetime, content: Content) -> Transition:
    """Decide what happens next. Pure: the same inputs always give the same transition."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    turn = Turn(state=state, now=now, content=content, from_button=isinstance(event, ButtonPressed))
    if isinstance(event, TextReceived):
        _on_text(turn, event.text)
    elif isinstance(event, ButtonPressed):
        _on_button(turn, event.data)
    elif isinstance(event, CommandIssued):
        _on_command(turn, event)
    elif isinstance(event, TimerFired):
        _on_timer(turn, event)
    elif isinstance(event, ClinicianCleared):
        safety.clinician_cleared(turn)
    turn.answer_button()
    return Transition(turn.state, tuple(turn.actions))


def clean_text(text: str) -> str:
    """Drop control characters (keeping line breaks) and cap the length."""
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return kept[:MAX_INPUT_CHARS].strip()


def _on_text(turn: Turn, raw: str) -> None:
    text = clean_text(raw)
    if not text:
        turn.send(turn.m.help.fallback)
        return
    if len(raw) > MAX_INPUT_CHARS:
        turn.send(turn.m.common.too_long)
    if safety.check_free_text(turn, text):
        return
    choice = _typed_choice(turn, text)
    if choice is not None:
        _on_choice(turn, choice)
        return
    flow = turn.state.flow
    handled = False
    if isinstance(flow, OnboardingFlow):
        handled = onboarding.on_text(turn, flow, text)
    elif isinstance(flow, SessionFlow):
        handled = session.on_text(turn, flow, text)
    elif isinstance(flow, CheckInFlow):
        handled = check_in.on_text(turn, flow, text)
    elif isinstance(flow, SettingsFlow):
        handled = settings.on_text(turn, flow, text)
    elif isinstance(flow, Idle):
        handled = reminders.on_text(turn, text) or adaptation.floor_trouble(turn, text)
    if handled:
        return
    entry = faq.match(text, turn.content.faq)
    if entry is not None:
        turn.send(entry.answer)
    elif turn.state.prompt.choices:
        labels = ", ".join(f'"{label}"' for _, label in turn.state.prompt.choices)
        turn.send(turn.m.common.not_understood_choice.format(choices=labels))
    else:
        turn.send(turn.fmt(turn.m.help.fallback))


def _typed_choice(turn: Turn, text: str) -> str | None:
    """A typed answer that means one of the buttons on screen: its label, or a yes/no word."""
    choices = turn.state.prompt.choices
    if not choices:
        return None
    said = normalise(text)
    for cid, label in choices:
        if said == normalise(label):
            return cid
    ids = {cid for cid, _ in choices}
    if {"yes", "no"} <= ids:
        answers = turn.content.safety.answers
        if said in answers.yes_words:
            return "yes"
        if said in answers.no_words:
            return "no"
        if "unsure" in ids and said in answers.unsure_words:
            return "unsure"
    return None


def _on_button(turn: Turn, data: str) -> None:
    parsed = parse_button(data)
    expired = turn.m.common.expired
    if parsed is None:
        turn.answer_button(expired)
        return
    if parsed.scope == SESSION_SCOPE:
        flow = turn.state.flow
        if isinstance(flow, SessionFlow) and flow.no == parsed.token:
            session.on_control(turn, flow, parsed.choice)
        else:
            turn.answer_button(expired)
        return
    if parsed.scope == CLEARANCE_SCOPE:
        safety.on_clearance_button(turn, parsed.choice)
        return
    prompt = turn.state.prompt
    if parsed.token != prompt.token or parsed.choice not in {cid for cid, _ in prompt.choices}:
        turn.answer_button(expired)
        return
    _on_choice(turn, parsed.choice)


def _on_choice(turn: Turn, choice: str) -> None:
    """An answer to the question on screen, pressed or typed."""
    turn.clear_prompt()
    flow = turn.state.flow
    if isinstance(flow, OnboardingFlow):
        onboarding.on_choice(turn, flow, choice)
    elif isinstance(flow, ScreeningFlow):
        safety.on_screen_choice(turn, flow, choice)
    elif isinstance(flow, CheckInFlow):
        check_in.on_choice(turn, flow, choice)
    elif isinstance(flow, SettingsFlow):
        settings.on_choice(turn, flow, choice)
    elif isinstance(flow, ClearanceFlow):
        safety.on_clearance_choice(turn, choice)
    elif isinstance(flow, Idle) and choice.startswith(("remind_", "snooze_", "pause_", "move_")):
        reminders.on_choice(turn, choice)
    elif isinstance(flow, Idle) and choice.startswith("adapt_"):
        adaptation.on_choice(turn, choice)
    elif isinstance(flow, Idle) and choice.startswith("delete_"):
        _on_delete_choice(turn, choice)


def _on_command(turn: Turn, command: CommandIssued) -> None:
    name = command.name.lower().lstrip("/")
    state = turn.state
    flow = state.flow
    if name == "help":
        turn.send(turn.fmt(turn.m.help.text))
        turn.send(turn.m.help.privacy)
        return
    if isinstance(flow, ScreeningFlow):
        # The safety questions come first; nothing skips them.
        safety.start_screen(
            turn,
            flow.purpose,
            questions=flow.queue,
            words=flow.words,
            preset=flow.preset,
            preset_tier=flow.preset_tier,
            return_to=flow.return_to,
        )
        return
    if name == "start":
        if state.safety.hold_tier is not None:
            safety.still_paused(turn)
        elif not state.profile.onboarded:
            onboarding.begin(turn, command.display_name)
        else:
            # a returning user (who had blocked the bot, say) gets reminders back and no
            # session left hanging from before
            session.close_if_stale(turn)
            reminders.schedule_all(turn)
            turn.send(turn.fmt(turn.m.welcome_back))
    elif name == "stretch":
        session.begin(turn)
    elif name == "snooze":
        reminders.snooze_command(turn, command.args)
    elif name == "pause":
        if not state.profile.onboarded:
            turn.send(turn.m.common.not_onboarded)
        else:
            reminders.pause_menu(turn)
    elif name == "resume":
        reminders.resume(turn)
    elif name in ("progress", "report"):
        if not state.profile.consent_store:
            turn.send(turn.m.progress.unavailable)
        else:
            turn.actions.append(ShowProgress(name))
    elif name == "export":
        turn.actions.append(ExportData())
    elif name == "delete":
        safety.leave_current_flow(turn)
        d = turn.m.data
        turn.ask(d.delete_question, [("delete_yes", d.delete_yes), ("delete_no", d.delete_no)],
                 per_row=1)  # fmt: skip
    elif name == "settings":
        if state.safety.hold_tier is not None and not state.profile.onboarded:
            safety.still_paused(turn)
        elif not state.profile.onboarded:
            turn.send(turn.m.common.not_onboarded)
            onboarding.begin(turn, command.display_name)
        elif isinstance(flow, SessionFlow):
            turn.send(turn.m.session.in_session)
        else:
            safety.leave_current_flow(turn)
            settings.open_menu(turn)
    else:
        turn.send(turn.m.common.unknown_command)


def _on_delete_choice(turn: Turn, choice: str) -> None:
    d = turn.m.data
    if choice != "delete_yes":
        turn.send(d.kept)
        return
    turn.actions.append(DeleteData())
    turn.state = State()  # nothing of theirs is kept, in the database or here
    turn.send(d.deleted)  # not durable: nothing of theirs may be stored after this


def _on_timer(turn: Turn, event: TimerFired) -> None:
    flow = turn.state.flow
    if event.kind == session.TIMER_KIND:
        if isinstance(flow, SessionFlow):
            session.on_timer(turn, flow, event.token)
    elif event.kind.startswith("reminder:"):
        reminders.on_due(turn, event.kind.split(":", 1)[1], event.token)
    elif event.kind == reminders.SNOOZE_KIND:
        reminders.on_snooze_due(turn, event.token)
    elif event.kind == reminders.NUDGE_KIND:
        reminders.on_nudge(turn, event.token)
    elif event.kind == reminders.PAUSE_END_KIND:
        reminders.on_pause_end(turn, event.token)
    elif event.kind == reminders.WEEKLY_KIND:
        reminders.on_weekly(turn, event.token)
