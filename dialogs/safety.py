"""Safety: the warning-sign screen, referrals, the pause they impose, and how it is lifted.

A red flag wins over every other flow. ``check_free_text`` runs before anything else on every
message the user types; the structured screen is the primary net and free text the second.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from content.model import Tier
from dialogs.actions import (
    CancelTimers,
    Keyboard,
    OpenReferral,
    RecordSession,
    ResolveReferrals,
    SaveCheckIn,
)
from dialogs.state import (
    CheckInFlow,
    ClearanceFlow,
    Idle,
    OnboardingFlow,
    OnboardingStep,
    ScreeningFlow,
    ScreenPurpose,
    SessionFlow,
)
from dialogs.triage_text import Finding, highest_tier, scan_text
from dialogs.turn import Turn, clearance_button

__all__ = [
    "TIER_ORDER",
    "check_free_text",
    "clinician_cleared",
    "leave_current_flow",
    "note_sharp_pain",
    "on_clearance_button",
    "on_clearance_choice",
    "on_screen_choice",
    "raise_flag",
    "start_screen",
    "still_paused",
]

TIER_ORDER: dict[str, int] = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}
YES_NO = ("yes", "no", "unsure")


def start_screen(
    turn: Turn,
    purpose: ScreenPurpose,
    *,
    questions: tuple[str, ...] | None = None,
    words: str = "",
    preset: tuple[str, ...] = (),
    preset_tier: Literal["routine", "urgent"] = "routine",
    return_to: OnboardingStep | None = None,
    then_session: bool = False,
) -> None:
    queue = questions if questions is not None else getattr(turn.content.safety.screens, purpose)
    turn.set_flow(
        ScreeningFlow(
            purpose=purpose,
            queue=queue,
            words=words,
            preset=preset,
            preset_tier=preset_tier,
            return_to=return_to,
            then_session=then_session,
        )
    )
    _ask_current(turn)


def _ask_current(turn: Turn) -> None:
    flow = turn.state.flow
    assert isinstance(flow, ScreeningFlow)
    safety = turn.content.safety
    question = safety.questions[flow.queue[0]]
    text = question.text
    if flow.purpose == "confirm":
        text = turn.fmt(safety.confirm_text.question, question=question.text)
    answers = safety.answers
    turn.ask(
        text,
        [("yes", answers.yes), ("no", answers.no), ("unsure", answers.unsure)],
        per_row=3,
        important=True,
    )


def on_screen_choice(turn: Turn, flow: ScreeningFlow, choice: str) -> None:
    """A yes, no or not sure. "Not sure" counts as yes; an emergency yes ends the screen at once."""
    questions = turn.content.safety.questions
    qid, rest, yes = flow.queue[0], flow.queue[1:], flow.yes
    question = questions[qid]
    if choice in ("yes", "unsure"):
        if question.expand:
            rest = tuple(q for q in question.expand if q not in yes) + rest
        else:
            yes = (*yes, qid)
            if question.tier == "emergency":
                rest = ()
    flow = flow.model_copy(update={"queue": rest, "yes": yes})
    if rest:
        turn.set_flow(flow)
        _ask_current(turn)
    else:
        _finish_screen(turn, flow)


def _finish_screen(turn: Turn, flow: ScreeningFlow) -> None:
    safety = turn.content.safety
    found = [safety.questions[q] for q in flow.yes]
    flags = _unique([f for q in found for f in q.flags] + list(flow.preset))
    tiers: list[str] = [str(q.tier) for q in found] + ([flow.preset_tier] if flow.preset else [])
    tier = max(tiers, key=TIER_ORDER.__getitem__, default="none")
    if tier == "none":
        turn.set_flow(Idle())
        if flow.purpose == "onboarding":
            turn.send(turn.m.onboarding.screen_clear)
        elif flow.purpose == "after_hurt":
            turn.send(safety.hurt.screen_clear)
        else:
            turn.send(turn.m.common.ok)
        if flow.return_to is not None:
            _resume_onboarding(turn, flow.return_to)
        elif flow.then_session:
            from dialogs import session

            session.begin(turn)
        return
    details = tuple(safety.questions[q].text for q in flow.yes)
    source = "free_text" if flow.purpose == "confirm" else flow.purpose
    raise_flag(
        turn,
        _as_tier(tier),
        flags,
        source=source,
        words=flow.words,
        details=details,
        return_to=flow.return_to,
    )


def raise_flag(
    turn: Turn,
    tier: Tier,
    flags: list[str] | tuple[str, ...],
    *,
    source: str,
    words: str = "",
    details: tuple[str, ...] = (),
    return_to: OnboardingStep | None = None,
) -> None:
    """Give the tier's advice now, store a referral, and pause exercise where the tier demands."""
    leave_current_flow(turn)
    content = turn.content
    safety = turn.state.safety
    hold = safety.hold_tier
    if tier in ("emergency", "urgent") and TIER_ORDER[tier] > TIER_ORDER[hold or "none"]:
        hold = tier
    turn.update(
        safety=safety.model_copy(
            update={
                "hold_tier": hold,
                "flags": tuple(_unique([*safety.flags, *flags])),
                "last_flag_at": turn.now,
            }
        )
    )
    forward = turn.state.profile.consent_clinician and content.config.clinician_chat_enabled
    turn.actions.append(
        OpenReferral(
            tier=tier,
            flags=tuple(flags),
            source=source,
            words=words[:1000],
            at=turn.now,
            forward=forward,
            details=details,
        )
    )
    gentlest = content.programme.gentlest_variation
    tier_text = content.safety.tiers.get(tier)
    text = f"{tier_text.title}\n\n" + turn.fmt(
        tier_text.advice, gentlest=content.programme.variations.get(gentlest).name
    )
    clearance = content.safety.clearance
    buttons: Keyboard
    if tier == "emergency":
        buttons = (
            (clearance_button(clearance.getting_help, "help"),),
            (clearance_button(clearance.cleared, "cleared"),),
        )
        turn.actions.append(CancelTimers(("session",)))
    elif tier == "urgent":
        buttons = ((clearance_button(clearance.cleared, "cleared"),),)
        turn.actions.append(CancelTimers(("session",)))
    else:
        buttons = ()
        turn.set_profile(variation=gentlest)
    turn.send(text, buttons, important=True)
    turn.set_flow(Idle())
    if tier == "routine" and return_to is not None:
        _resume_onboarding(turn, return_to)
    elif return_to is not None:
        turn.send(turn.m.onboarding.stopped_for_safety)


def still_paused(turn: Turn) -> None:
    clearance = turn.content.safety.clearance
    turn.send(clearance.still_paused, ((clearance_button(clearance.cleared, "cleared"),),))


def on_clearance_button(turn: Turn, choice: str) -> None:
    """The buttons under a tier message. Lifting the pause takes a second, confirming tap."""
    clearance = turn.content.safety.clearance
    if turn.state.safety.hold_tier is None:
        turn.answer_button(turn.m.common.expired)
        return
    if choice == "help":
        turn.send(clearance.acknowledged_help)
    elif choice == "cleared":
        leave_current_flow(turn)
        turn.set_flow(ClearanceFlow())
        turn.ask(clearance.confirm, [("yes", clearance.confirm_yes), ("no", clearance.confirm_no)])
    else:
        turn.answer_button(turn.m.common.expired)


def on_clearance_choice(turn: Turn, choice: str) -> None:
    clearance = turn.content.safety.clearance
    turn.set_flow(Idle())
    if choice == "yes":
        _lift_hold(turn)
        turn.actions.append(
            ResolveReferrals("patient_cleared", "confirmed a clinician cleared them")
        )
        turn.send(clearance.resumed)
        _continue_after_clearance(turn)
    else:
        turn.send(clearance.acknowledged_help)


def clinician_cleared(turn: Turn) -> None:
    if turn.state.safety.hold_tier is None:
        return
    _lift_hold(turn)
    if isinstance(turn.state.flow, ClearanceFlow):
        turn.set_flow(Idle())
    turn.send(turn.content.safety.clearance.cleared_by_clinician)
    _continue_after_clearance(turn)


def _lift_hold(turn: Turn) -> None:
    turn.update(safety=turn.state.safety.model_copy(update={"hold_tier": None}))


def _continue_after_clearance(turn: Turn) -> None:
    if not turn.state.profile.onboarded and isinstance(turn.state.flow, Idle):
        _resume_onboarding(turn, "timezone")


def check_free_text(turn: Turn, text: str) -> bool:
    """The second net (and the third: the model). True when a red flag took over this turn."""
    scan = scan_text(text, turn.content.triage, turn.content.triage_net)
    if scan.about_others:
        turn.send(turn.fmt(turn.content.safety.confirm_text.someone_else), important=True)
    return_to = _onboarding_step(turn)
    if scan.findings and not scan.asks_first:
        raise_flag(
            turn,
            _as_tier(scan.tier),
            _unique([f.flag for f in scan.findings + scan.to_confirm]),
            source="free_text",
            words=text,
            return_to=return_to,
        )
        return True
    if scan.questions:
        # Ask first; what the lexicon found for sure rides along and is raised with any "yes"
        # (or on its own when every answer is "no"), so a doubtful emergency is never settled
        # by a lower tier.
        higher = [f for f in scan.questions if TIER_ORDER[f.tier] > TIER_ORDER[scan.tier]]
        questions = _confirm_questions(turn, higher)
        known = scan.tier if scan.tier in ("routine", "urgent") else "routine"
        leave_current_flow(turn)
        start_screen(
            turn,
            "confirm",
            questions=questions,
            words=text,
            preset=tuple(f.flag for f in scan.findings),
            preset_tier=known,
            return_to=return_to,
        )
        return True
    if scan.asked_about:
        # A question about an emergency sign in general: the advice, as information. Nothing
        # is paused and no flag is raised; whatever the user was doing goes on.
        turn.send(turn.fmt(turn.content.safety.confirm_text.if_ever), important=True)
        return True
    return False


def _confirm_questions(turn: Turn, findings: list[Finding]) -> tuple[str, ...]:
    """The screen questions that ask about these flags at these tiers, in screen order; when
    none does, the tier's whole screen (the emergency one after "this hurts")."""
    questions = turn.content.safety.questions
    wanted = {(f.tier, f.flag) for f in findings}
    chosen = [
        qid
        for qid, q in questions.items()
        if not q.expand and any((q.tier, flag) in wanted for flag in q.flags)
    ]
    if chosen:
        return tuple(chosen)
    tier = highest_tier(tuple(findings))
    if tier == "emergency":
        return tuple(turn.content.safety.screens.after_hurt)
    return tuple(qid for qid, q in questions.items() if q.tier == tier and q.expand) or tuple(
        turn.content.safety.screens.after_hurt
    )


def leave_current_flow(turn: Turn) -> None:
    """Close whatever was going on so safety can take over: stop a session, keep a check-in."""
    flow = turn.state.flow
    if isinstance(flow, SessionFlow):
        turn.actions.append(CancelTimers(("session",)))
        turn.actions.append(
            RecordSession(
                session_no=flow.no,
                status="hurt",
                started_at=flow.started_at,
                variation=flow.variation,
                reps=flow.reps,
                hold_seconds=flow.hold_seconds,
                ended_at=turn.now,
                holds_done=flow.holds_done,
            )
        )
    elif (
        isinstance(flow, CheckInFlow) and flow.pain is not None and turn.state.profile.consent_store
    ):
        turn.actions.append(
            SaveCheckIn(
                session_no=flow.session_no,
                at=turn.now,
                phase="after",
                pain=flow.pain,
                feel=flow.feel,
            )
        )
    turn.clear_prompt()  # the question of the flow being left is stale now
    turn.set_flow(Idle())


def _onboarding_step(turn: Turn) -> OnboardingStep | None:
    flow = turn.state.flow
    if isinstance(flow, OnboardingFlow):
        return flow.step
    if isinstance(flow, ScreeningFlow):
        return flow.return_to
    return None


def _resume_onboarding(turn: Turn, step: OnboardingStep) -> None:
    from dialogs import onboarding

    onboarding.ask_step(turn, step)


def _as_tier(tier: str) -> Tier:
    if tier == "emergency":
        return "emergency"
    if tier == "urgent":
        return "urgent"
    return "routine"


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def note_sharp_pain(turn: Turn) -> tuple[str, ...]:
    """Remember sharp pain; a repeat within the content's window makes a routine referral."""
    state = turn.state.safety
    window = timedelta(days=turn.content.safety.sharp_pain_repeat_days)
    recent = tuple(t for t in state.sharp_pain_at if turn.now - t <= window)
    turn.update(safety=state.model_copy(update={"sharp_pain_at": (*recent, turn.now)[-5:]}))
    return ("sharp_pain_during",) if recent else ()
