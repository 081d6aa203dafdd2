"""Property tests: random event sequences never break the core's promises."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.actions import Button, Edit, SaveCheckIn, Send
from dialogs.events import ButtonPressed, CommandIssued, TextReceived, TimerFired
from dialogs.state import CheckInFlow, SessionFlow, State
from tests.dialogs.driver import Driver

COMMANDS = ["start", "stretch", "settings", "help", "nonsense"]
TEXTS = [
    "yes",
    "no",
    "not sure",
    "7:15",
    "25:99",
    "lisbon",
    "UTC+2",
    "3",
    "11",
    "pause",
    "stop",
    "resume",
    "this hurts",
    "how long do I hold",
    "",
    "🙂" * 50,
    "x" * 5000,
    "\x00\x07 control",
    "my legs are both numb",
    "no bladder problems",
    "ready",
]

event_choice = st.one_of(
    st.tuples(st.just("cmd"), st.sampled_from(COMMANDS)),
    st.tuples(st.just("text"), st.sampled_from(TEXTS) | st.text(max_size=200)),
    st.tuples(st.just("press"), st.integers(0, 20)),
    st.tuples(st.just("forged"), st.text(max_size=80)),
    st.tuples(st.just("wait"), st.sampled_from([1, 5, 10, 30, 300, 3600])),
)


def _buttons(d: Driver) -> list[Button]:
    for action in reversed(d.log):
        if isinstance(action, Send) and action.buttons:
            return [b for row in action.buttons for b in row]
    return []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(event_choice, min_size=1, max_size=40), st.booleans())
def test_random_sequences_never_raise_and_keep_every_promise(content, events, onboard_first):
    d = Driver(content)
    if onboard_first:
        d.onboard()
    for kind, value in events:
        before = d.state
        if kind == "cmd":
            d.cmd(value)
        elif kind == "text":
            d.text(value)
        elif kind == "press":
            buttons = _buttons(d)
            if buttons:
                d.do(ButtonPressed(buttons[value % len(buttons)].data))
        elif kind == "forged":
            d.do(ButtonPressed(value))
        else:
            d.advance(value)
        if d.last is None:
            continue
        for action in d.last.actions:
            if isinstance(action, (Send, Edit)):
                assert 1 <= len(action.text) <= 4096
        # answers already given in a check-in are saved whenever the check-in is left
        left_check_in = isinstance(before.flow, CheckInFlow) and d.state.flow != before.flow
        if left_check_in and before.profile.consent_store and before.flow.pain is not None:
            saved = [a for a in d.last.actions if isinstance(a, SaveCheckIn)]
            if not isinstance(d.state.flow, CheckInFlow):
                assert any(a.session_no == before.flow.session_no for a in saved)
        # safety: while exercise is paused by a red flag, no session runs
        if d.state.safety.hold_tier is not None:
            assert not isinstance(d.state.flow, SessionFlow)
        assert State.from_json(d.state.to_json()) == d.state


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=600))
def test_any_text_in_any_main_flow_is_answered(content, text):
    d = Driver(content)
    d.onboard()
    d.cmd("stretch")
    t = d.text(text)
    assert t.actions, "every message gets some answer"


def test_old_timers_are_ignored_after_anything_else_happened(content):
    d = Driver(content)
    d.onboard()
    d.cmd("stretch")
    d.press("3")
    d.press(content.messages.session.ready)
    stale = d.timers["session"]
    d.advance(10)
    d.now += timedelta(seconds=1)
    assert d.do(TimerFired(stale.kind, stale.token)).actions == ()
    assert d.do(CommandIssued("help")).actions
    assert d.do(TextReceived("pause")).actions
