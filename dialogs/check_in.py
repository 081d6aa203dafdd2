"""The check-in after a session: pain now (0-10), how the stretch felt, stiffness (0-10).

A worrying answer (sharp pain, pain down the leg, numbness) or a pain score 2 or more above the
recent average opens the matching safety questions once the check-in is stored.
"""

from __future__ import annotations

from statistics import mean

from content.model import WORRYING_FEELS
from dialogs import adaptation, safety
from dialogs.actions import SaveCheckIn
from dialogs.state import CheckInFlow, Idle
from dialogs.turn import Turn, as_number

__all__ = ["EDGES", "RECENT_PAIN_KEPT", "begin", "on_choice", "on_text"]

EDGES: tuple[tuple[str, str], ...] = (
    ("pain", "feel"),
    ("feel", "stiffness"),
    ("stiffness", "idle"),
    ("stiffness", "screening"),
    ("stiffness", "step_up_offer"),
    ("stiffness", "step_down_offer"),
)

RECENT_PAIN_KEPT = 6
PAIN_RISE_POINTS = 2


def begin(turn: Turn, session_no: int, *, completed: bool = False) -> None:
    turn.set_flow(CheckInFlow(session_no=session_no, completed=completed))
    _ask_scale(turn, turn.m.checkin.pain)


def _ask_scale(turn: Turn, text: str) -> None:
    turn.ask(text, [(str(n), str(n)) for n in range(11)], per_row=6)


def on_choice(turn: Turn, flow: CheckInFlow, choice: str) -> None:
    c = turn.m.checkin
    if flow.step == "pain" and choice.isdigit():
        turn.set_flow(flow.model_copy(update={"step": "feel", "pain": int(choice)}))
        options = c.feel_options.model_dump()
        turn.ask(c.feel, list(options.items()), per_row=1)
    elif flow.step == "feel":
        turn.set_flow(flow.model_copy(update={"step": "stiffness", "feel": choice}))
        _ask_scale(turn, c.stiffness)
    elif flow.step == "stiffness" and choice.isdigit():
        _complete(turn, flow, int(choice))


def on_text(turn: Turn, flow: CheckInFlow, text: str) -> bool:
    """Numbers for the two scales; anything else gets an example of a good answer."""
    if flow.step in ("pain", "stiffness"):
        score = as_number(text, 0, 10)
        if score is not None:
            on_choice(turn, flow, str(score))
        else:
            turn.send(turn.m.checkin.number_invalid)
        return True
    return False


def _complete(turn: Turn, flow: CheckInFlow, stiffness: int) -> None:
    c = turn.m.checkin
    stored = turn.state.profile.consent_store
    previous = turn.state.recent_pain
    if stored:
        turn.actions.append(
            SaveCheckIn(
                session_no=flow.session_no,
                at=turn.now,
                phase="after",
                pain=flow.pain,
                stiffness=stiffness,
                feel=flow.feel,
            )
        )
        if flow.pain is not None:
            turn.update(recent_pain=(*previous, flow.pain)[-RECENT_PAIN_KEPT:])
    turn.set_flow(Idle())
    turn.send(c.saved if stored else c.not_saved)
    if flow.feel in WORRYING_FEELS:
        preset: tuple[str, ...] = ()
        if flow.feel == "sharp":
            preset = safety.note_sharp_pain(turn)
        safety.start_screen(turn, "after_hurt", preset=preset, words=f"check-in: {flow.feel}")
        return
    if (
        flow.pain is not None
        and len(previous) >= 2
        and flow.pain - mean(previous) >= PAIN_RISE_POINTS
    ):
        turn.send(c.pain_up)
        safety.start_screen(turn, "pain_rise", words=f"pain {flow.pain}/10 after session")
        return
    if flow.feel == "hardly":
        turn.send(c.hardly_tip)
    elif flow.feel == "mild_pull":
        turn.send(c.mild_tip)
    if not adaptation.after_check_in(turn, completed=flow.completed, feel=flow.feel):
        turn.send(c.encouragement)
