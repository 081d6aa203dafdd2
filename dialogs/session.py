"""The guided session: each step its own message, holds as durable timers with a countdown.

Phases and their transitions (``EDGES``): the user can pause, stop or say "this hurts" from
any phase in which exercise is going on; a timer that fires much too late (the coach was down)
closes the session with a message instead of silently carrying on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from content.loader import Content
from content.model import VariationId
from dialogs import check_in, reminders, safety
from dialogs.actions import CancelTimers, Edit, Keyboard, RecordSession, SaveCheckIn, StartTimer
from dialogs.state import Idle, OnboardingFlow, SessionFlow
from dialogs.turn import Turn, as_number, normalise, session_button

__all__ = ["EDGES", "PlanStep", "begin", "minutes_for", "on_control", "on_text", "on_timer", "plan"]

TIMER_KIND = "session"
COUNTDOWN_REF = "countdown"

EDGES: tuple[tuple[str, str], ...] = (
    ("pain_before", "ready"),
    ("ready", "running"),
    ("running", "running"),
    ("running", "paused"),
    ("paused", "running"),
    ("pain_before", "hurt_kind"),
    ("ready", "hurt_kind"),
    ("running", "hurt_kind"),
    ("paused", "hurt_kind"),
    ("hurt_kind", "hurt_mild"),
    ("hurt_mild", "running"),
    ("hurt_kind", "screening"),
    ("hurt_mild", "checkin"),
    ("ready", "checkin"),
    ("running", "checkin"),
    ("paused", "checkin"),
    ("running", "idle"),
)

StepKind = Literal["prepare", "hold", "release", "double_hold", "double_release"]


@dataclass(frozen=True)
class PlanStep:
    kind: StepKind
    seconds: int = 0
    side: str = ""
    rep: int = 0

    @property
    def is_hold(self) -> bool:
        return self.kind in ("hold", "double_hold")


def plan(content: Content, variation: VariationId, reps: int, hold: int) -> tuple[PlanStep, ...]:
    """Prepare, then right and left for each round, then both knees where the version has it."""
    release = content.programme.timings.release_seconds
    steps = [PlanStep("prepare")]
    for rep in range(1, reps + 1):
        for side in ("right", "left"):
            steps.append(PlanStep("hold", hold, side, rep))
            steps.append(PlanStep("release", release, side, rep))
    if content.programme.variations.get(variation).double_hold:
        steps.append(PlanStep("double_hold", hold))
        steps.append(PlanStep("double_release", release))
    return tuple(steps)


def minutes_for(content: Content, variation: VariationId, reps: int, hold: int) -> int:
    total = sum(s.seconds for s in plan(content, variation, reps, hold)) + 30
    return max(1, math.ceil(total / 60))


def begin(turn: Turn) -> None:
    """Start a session now, unless setup isn't finished or safety has paused exercise."""
    state = turn.state
    if state.safety.hold_tier is not None:
        safety.still_paused(turn)
        return
    if not state.profile.onboarded:
        from dialogs import onboarding

        turn.send(turn.m.common.not_onboarded)
        flow = state.flow
        onboarding.ask_step(turn, flow.step if isinstance(flow, OnboardingFlow) else "welcome")
        return
    if isinstance(state.flow, SessionFlow) and not close_if_stale(turn):
        turn.send(turn.m.session.in_session)
        return
    safety.leave_current_flow(turn)
    reminders.answered_by_session(turn)
    if turn.state.adapt.weekly_screen_due:
        turn.update(adapt=turn.state.adapt.model_copy(update={"weekly_screen_due": False}))
        turn.send(turn.m.session.weekly_check)
        safety.start_screen(turn, "weekly", then_session=True)
        return
    p = turn.state.profile
    no = turn.state.sessions_started + 1
    flow = SessionFlow(
        no=no, started_at=turn.now, variation=p.variation, reps=p.reps, hold_seconds=p.hold_seconds
    )
    turn.update(sessions_started=no)
    turn.set_flow(flow)
    turn.actions.append(_record(turn, flow, "started"))
    s = turn.m.session
    minutes = minutes_for(turn.content, p.variation, p.reps, p.hold_seconds)
    turn.send(
        s.intro.format(
            reps=p.reps,
            seconds=p.hold_seconds,
            minutes=minutes,
            cautions=turn.content.programme.cautions,
        )
    )
    _ask_pain_before(turn, flow)


def close_if_stale(turn: Turn) -> bool:
    """Close a session whose timer is long overdue (the user blocked the bot mid-hold, or the
    coach was down): recorded as interrupted. True when there was one to close."""
    flow = turn.state.flow
    if not isinstance(flow, SessionFlow) or flow.phase != "running" or flow.timer_due_at is None:
        return False
    grace = timedelta(seconds=turn.content.programme.timings.resume_grace_seconds)
    if turn.now - flow.timer_due_at <= grace:
        return False
    turn.actions.append(CancelTimers((TIMER_KIND,)))
    turn.actions.append(_record(turn, flow, "interrupted", ended=True))
    turn.set_flow(Idle())
    return True


def _ask_pain_before(turn: Turn, flow: SessionFlow) -> None:
    s = turn.m.session
    scale = [session_button(flow.no, str(n), f"p{n}") for n in range(11)]
    rows = (
        tuple(scale[:6]),
        tuple(scale[6:]),
        (
            session_button(flow.no, s.skip, "skip"),
            session_button(flow.no, s.stop, "stop"),
            session_button(flow.no, s.hurts, "hurts"),
        ),
    )
    turn.send(s.pain_before, rows)


def _controls(turn: Turn, flow: SessionFlow) -> Keyboard:
    s = turn.m.session
    b = session_button
    if flow.phase == "ready":
        return (
            (b(flow.no, s.ready, "ready"),),
            (b(flow.no, s.stop, "stop"), b(flow.no, s.hurts, "hurts")),
        )
    if flow.phase == "paused":
        return (
            (b(flow.no, s.resume, "resume"), b(flow.no, s.stop, "stop")),
            (b(flow.no, s.hurts, "hurts"),),
        )
    return (
        (b(flow.no, s.pause, "pause"), b(flow.no, s.stop, "stop")),
        (b(flow.no, s.hurts, "hurts"),),
    )


def on_control(turn: Turn, flow: SessionFlow, choice: str) -> None:
    """A session button (or its typed word). Presses that don't fit the phase are harmless."""
    s = turn.m.session
    if choice == "hurts":
        _hurts(turn, flow)
    elif choice.startswith("p") and choice[1:].isdigit() and flow.phase == "pain_before":
        _pain_before(turn, flow, int(choice[1:]))
    elif choice == "skip" and flow.phase == "pain_before":
        _pain_before(turn, flow, None)
    elif choice == "ready" and flow.phase == "ready":
        _run(turn, flow.model_copy(update={"position": 1}))
    elif choice == "pause":
        if flow.phase == "running":
            _pause(turn, flow)
        else:
            turn.answer_button(s.already_paused if flow.phase == "paused" else "")
    elif choice in ("resume", "cont"):
        if flow.phase in ("paused", "hurt_mild"):
            turn.send(s.resumed)
            _run(turn, flow, seconds=flow.remaining or None)
        else:
            turn.answer_button(s.not_paused)
    elif choice in ("stop", "end"):
        if flow.phase in ("ready", "running", "paused", "hurt_mild", "pain_before"):
            _stop(turn, flow)
    elif choice in ("mild_pull", "sharp", "down_leg", "numb", "other"):
        if flow.phase == "hurt_kind":
            _hurt_kind(turn, flow, choice)
    else:
        turn.answer_button(turn.m.common.expired)


def on_text(turn: Turn, flow: SessionFlow, text: str) -> bool:
    """Typed words for the buttons: "pause", "stop", "this hurts", a pain number."""
    said = normalise(text)
    s = turn.m.session
    hurt = turn.content.safety.hurt
    words = {
        normalise(s.pause): "pause",
        normalise(s.resume): "resume",
        normalise(s.stop): "stop",
        normalise(s.hurts): "hurts",
        normalise(s.ready): "ready",
        normalise(s.skip): "skip",
        "hurts": "hurts",
        "it hurts": "hurts",
        "ouch": "hurts",
        normalise(hurt.continue_): "cont",
        normalise(hurt.stop): "end",
    }
    kinds = turn.content.safety.hurt.kinds.model_dump()
    words |= {normalise(label): kind for kind, label in kinds.items()}
    if said in words:
        on_control(turn, flow, words[said])
        return True
    pain = as_number(text, 0, 10)
    if flow.phase == "pain_before" and pain is not None:
        _pain_before(turn, flow, pain)
        return True
    return False


def _pain_before(turn: Turn, flow: SessionFlow, pain: int | None) -> None:
    if pain is not None and turn.state.profile.consent_store:
        turn.actions.append(SaveCheckIn(session_no=flow.no, at=turn.now, phase="before", pain=pain))
    flow = flow.model_copy(update={"phase": "ready", "position": 0})
    turn.set_flow(flow)
    variation = turn.content.programme.variations.get(flow.variation)
    turn.send(variation.prepare, _keyboard(turn, flow))


def _run(turn: Turn, flow: SessionFlow, seconds: int | None = None) -> None:
    """Show the step at ``flow.position`` and start its timer (the first countdown tick)."""
    steps = plan(turn.content, flow.variation, flow.reps, flow.hold_seconds)
    step = steps[flow.position]
    length = seconds if seconds is not None else step.seconds
    ends = turn.now + timedelta(seconds=length)
    every = turn.content.programme.timings.countdown_edit_every_seconds
    first_tick = min(every, length) if step.is_hold else length
    flow = flow.model_copy(update={"phase": "running", "step_ends_at": ends, "remaining": 0})
    flow = _start_timer(turn, flow, first_tick)
    turn.set_flow(flow)
    text = _step_text(turn, flow, step)
    if step.is_hold:
        text += "\n\n" + turn.m.session.countdown.format(left=length)
        turn.send(text, _keyboard(turn, flow), ref=COUNTDOWN_REF)
    else:
        turn.send(text, _keyboard(turn, flow))


def _start_timer(turn: Turn, flow: SessionFlow, seconds: float) -> SessionFlow:
    seq = flow.timer_seq + 1
    due = turn.now + timedelta(seconds=seconds)
    turn.actions.append(StartTimer(TIMER_KIND, due, f"{flow.no}.{seq}"))
    return flow.model_copy(update={"timer_seq": seq, "timer_due_at": due})


def on_timer(turn: Turn, flow: SessionFlow, token: str) -> None:
    """A countdown tick or the end of a step. Stale timers (paused, stopped) do nothing."""
    if token != f"{flow.no}.{flow.timer_seq}" or flow.phase != "running":
        return
    assert flow.step_ends_at is not None and flow.timer_due_at is not None
    grace = timedelta(seconds=turn.content.programme.timings.resume_grace_seconds)
    if turn.now - flow.timer_due_at > grace:
        _interrupted(turn, flow)
        return
    steps = plan(turn.content, flow.variation, flow.reps, flow.hold_seconds)
    step = steps[flow.position]
    left = (flow.step_ends_at - turn.now).total_seconds()
    if step.is_hold and left >= 1:
        shown = math.ceil(left)
        text = _step_text(turn, flow, step) + "\n\n" + turn.m.session.countdown.format(left=shown)
        turn.actions.append(Edit(COUNTDOWN_REF, text, _keyboard(turn, flow)))
        every = turn.content.programme.timings.countdown_edit_every_seconds
        turn.set_flow(_start_timer(turn, flow, min(every, left)))
        return
    if step.is_hold:
        flow = flow.model_copy(update={"holds_done": flow.holds_done + 1})
    if flow.position + 1 >= len(steps):
        _finish(turn, flow)
    else:
        _run(turn, flow.model_copy(update={"position": flow.position + 1}))


def _step_text(turn: Turn, flow: SessionFlow, step: PlanStep) -> str:
    variation = turn.content.programme.variations.get(flow.variation)
    side = getattr(turn.content.programme.sides, step.side) if step.side else ""
    params = {
        "side": side,
        "side_title": side.capitalize(),
        "rep": step.rep,
        "reps": flow.reps,
        "seconds": step.seconds,
    }
    if step.kind == "hold":
        return variation.hold.format(**params)
    if step.kind == "release":
        return variation.release.format(**params)
    if step.kind == "double_hold" and variation.double_hold:
        return variation.double_hold.format(**params)
    if step.kind == "double_release" and variation.double_release:
        return variation.double_release.format(**params)
    return variation.prepare


def _keyboard(turn: Turn, flow: SessionFlow) -> Keyboard:
    return _controls(turn, flow)


def _pause(turn: Turn, flow: SessionFlow) -> None:
    assert flow.step_ends_at is not None
    left = max(1, math.ceil((flow.step_ends_at - turn.now).total_seconds()))
    turn.actions.append(CancelTimers((TIMER_KIND,)))
    flow = flow.model_copy(update={"phase": "paused", "remaining": left})
    turn.set_flow(flow)
    turn.send(turn.m.session.paused, _keyboard(turn, flow))


def _stop(turn: Turn, flow: SessionFlow) -> None:
    turn.actions.append(CancelTimers((TIMER_KIND,)))
    turn.actions.append(_record(turn, flow, "stopped", ended=True))
    turn.send(turn.m.session.stopped)
    check_in.begin(turn, flow.no)


def _finish(turn: Turn, flow: SessionFlow) -> None:
    turn.actions.append(_record(turn, flow, "completed", ended=True))
    turn.send(turn.m.session.finished)
    check_in.begin(turn, flow.no, completed=True)


def _interrupted(turn: Turn, flow: SessionFlow) -> None:
    turn.actions.append(_record(turn, flow, "interrupted", ended=True))
    turn.set_flow(Idle())
    turn.send(turn.m.session.interrupted)


def _hurts(turn: Turn, flow: SessionFlow) -> None:
    if flow.phase in ("hurt_kind",):
        return
    remaining = flow.remaining
    if flow.phase == "running" and flow.step_ends_at is not None:
        remaining = max(1, math.ceil((flow.step_ends_at - turn.now).total_seconds()))
    turn.actions.append(CancelTimers((TIMER_KIND,)))
    flow = flow.model_copy(update={"phase": "hurt_kind", "remaining": remaining})
    turn.set_flow(flow)
    hurt = turn.content.safety.hurt
    kinds = hurt.kinds.model_dump()
    rows = tuple((session_button(flow.no, label, kind),) for kind, label in kinds.items())
    turn.send(hurt.question, rows, important=True)


def _hurt_kind(turn: Turn, flow: SessionFlow, kind: str) -> None:
    hurt = turn.content.safety.hurt
    if kind == "mild_pull":
        flow = flow.model_copy(update={"phase": "hurt_mild"})
        turn.set_flow(flow)
        b = session_button
        turn.send(
            hurt.mild_pull, ((b(flow.no, hurt.continue_, "cont"), b(flow.no, hurt.stop, "end")),)
        )
        return
    turn.actions.append(_record(turn, flow, "hurt", ended=True))
    preset = safety.note_sharp_pain(turn) if kind == "sharp" else ()
    if kind == "sharp":
        turn.send(hurt.sharp_repeat if preset else hurt.sharp_first)
    else:
        turn.send(hurt.other)
    safety.start_screen(turn, "after_hurt", preset=preset, words=kind)


def _record(turn: Turn, flow: SessionFlow, status: str, *, ended: bool = False) -> RecordSession:
    return RecordSession(
        session_no=flow.no,
        status=status,
        started_at=flow.started_at,
        variation=flow.variation,
        reps=flow.reps,
        hold_seconds=flow.hold_seconds,
        ended_at=turn.now if ended else None,
        holds_done=flow.holds_done,
    )
