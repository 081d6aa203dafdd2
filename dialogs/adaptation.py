"""Adapting the programme: step up gradually, step down when it's too much.

- Step up (hold 20 -> 25 -> 30 s, then 2 -> 3 rounds) is only *offered*, after at least a week
  and seven completed sessions at the current level with pain not rising, and never when a red
  flag of any tier was raised since the level began.
- Step down: "too hard or uncomfortable" twice, or saying lying on the floor is a problem,
  offers the other versions (seated, wall-assisted, strap). Nothing changes without a yes.
- The user can always change all of this by hand in /settings.
"""

from __future__ import annotations

from datetime import timedelta
from statistics import mean

from content.model import VARIATION_IDS
from dialogs.turn import Turn, normalise

__all__ = ["after_check_in", "floor_trouble", "on_choice"]

STEP_UP_AFTER = timedelta(days=7)
STEP_UP_SESSIONS = 7
HOLD_STEP = 5
TOO_HARD_TIMES = 2


def _set(turn: Turn, **changes: object) -> None:
    turn.update(adapt=turn.state.adapt.model_copy(update=changes))


def _next_level(turn: Turn) -> tuple[str, dict[str, int]] | None:
    p = turn.state.profile
    t = turn.content.programme.timings
    a = turn.m.adapt
    if p.hold_seconds < t.hold_max_seconds:
        seconds = min(t.hold_max_seconds, p.hold_seconds + HOLD_STEP)
        return a.step_up_hold.format(seconds=seconds), {"hold_seconds": seconds}
    if p.reps < t.reps_max:
        return a.step_up_reps.format(reps=p.reps + 1), {"reps": p.reps + 1}
    return None


def after_check_in(turn: Turn, *, completed: bool, feel: str | None) -> bool:
    """Called once a check-in is stored. True when it asked the user something."""
    adapt = turn.state.adapt
    if adapt.level_since is None:
        _set(turn, level_since=turn.now)
        adapt = turn.state.adapt
    if feel == "too_hard":
        _set(turn, too_hard=adapt.too_hard + 1)
        if turn.state.adapt.too_hard >= TOO_HARD_TIMES:
            _set(turn, too_hard=0)
            offer_step_down(turn)
            return True
        return False
    if completed:
        _set(turn, sessions_at_level=adapt.sessions_at_level + 1)
    return _maybe_offer_step_up(turn)


def _maybe_offer_step_up(turn: Turn) -> bool:
    adapt = turn.state.adapt
    safety = turn.state.safety
    since = adapt.level_since
    if since is None or turn.now - since < STEP_UP_AFTER:
        return False
    if adapt.sessions_at_level < STEP_UP_SESSIONS:
        return False
    if safety.last_flag_at is not None and safety.last_flag_at >= since:
        return False  # never automatic after a flag
    if safety.hold_tier is not None:
        return False
    pain = turn.state.recent_pain
    if len(pain) >= 2 and pain[-1] > mean(pain[:-1]):
        return False  # pain rising: stay put
    step = _next_level(turn)
    if step is None:
        return False
    what, _ = step
    a = turn.m.adapt
    turn.ask(a.step_up.format(what=what), [("adapt_up", a.step_up_yes),
                                           ("adapt_stay", a.step_up_no)])  # fmt: skip
    return True


def offer_step_down(turn: Turn) -> None:
    a = turn.m.adapt
    variations = turn.content.programme.variations
    current = turn.state.profile.variation
    choices = [(f"adapt_v_{v}", variations.get(v).name) for v in VARIATION_IDS
               if v not in (current, "floor")]  # fmt: skip
    turn.ask(a.step_down, [*choices, ("adapt_keep", a.keep)], per_row=1)


def floor_trouble(turn: Turn, text: str) -> bool:
    """Someone says lying on the floor is the problem: offer the other versions."""
    said = normalise(text)
    if any(phrase in said for phrase in turn.m.adapt.floor_trouble_words):
        offer_step_down(turn)
        return True
    return False


def on_choice(turn: Turn, choice: str) -> None:
    a = turn.m.adapt
    if choice == "adapt_up":
        step = _next_level(turn)
        if step is not None:
            what, changes = step
            turn.set_profile(**changes)
            turn.send(a.stepped_up.format(what=what))
        _set(turn, level_since=turn.now, sessions_at_level=0)
    elif choice == "adapt_stay":
        _set(turn, level_since=turn.now, sessions_at_level=0)
        turn.send(a.not_yet)
    elif choice.startswith("adapt_v_") and choice[8:] in VARIATION_IDS:
        variation = choice[8:]
        turn.set_profile(variation=variation)
        _set(turn, level_since=turn.now, sessions_at_level=0, too_hard=0)
        name = turn.content.programme.variations.get(turn.state.profile.variation).name
        turn.send(a.switched.format(variation=name))
    elif choice == "adapt_keep":
        turn.send(turn.m.common.ok)
