"""Check-ins, the structured safety screen, referrals, clearance, and the free-text net."""

from __future__ import annotations

from dialogs.actions import CancelTimers, OpenReferral
from dialogs.events import ButtonPressed, ClinicianCleared, TimerFired
from dialogs.state import CheckInFlow, ClearanceFlow, Idle, OnboardingFlow, ScreeningFlow
from tests.dialogs.driver import Driver


def _checked_in(d: Driver, pain: str = "2", feel: str = "A mild pull", stiff: str = "4") -> None:
    d.press(pain)
    d.press(feel)
    d.press(stiff)


def test_check_in_is_stored_with_every_answer(content):
    d = Driver(content)
    d.onboard()
    d.run_session(pain_before="5")
    _checked_in(d, "2", "A mild pull", "4")
    saved = d.check_ins()
    assert [(c.phase, c.pain) for c in saved] == [("before", 5), ("after", 2)]
    assert (saved[-1].stiffness, saved[-1].feel) == (4, "mild_pull")
    assert isinstance(d.state.flow, Idle)
    assert content.messages.checkin.saved in "\n".join(d.texts())


def test_words_where_a_number_is_asked_get_an_example(content):
    d = Driver(content)
    d.onboard()
    d.run_session()
    for bad in ("five", "11", "-1", "3.5", "🙂"):
        d.text(bad)
        assert content.messages.checkin.number_invalid in d.said()
        assert isinstance(d.state.flow, CheckInFlow) and d.state.flow.step == "pain"
    d.text("4")
    assert d.state.flow.step == "feel"


def test_without_consent_nothing_is_stored(content):
    d = Driver(content)
    d.onboard(consent=False)
    d.run_session()
    _checked_in(d)
    assert d.check_ins() == []
    assert content.messages.checkin.not_saved in "\n".join(d.texts())


def test_a_worrying_check_in_answer_opens_the_safety_questions(content):
    d = Driver(content)
    d.onboard()
    d.run_session()
    _checked_in(d, "3", content.messages.checkin.feel_options.down_leg, "3")
    assert d.check_ins()[-1].feel == "down_leg"  # stored before anything else happens
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.purpose == "after_hurt"


def test_pain_rising_two_points_above_the_recent_average_asks_questions(content):
    d = Driver(content)
    d.onboard()
    for pain in ("2", "2", "5"):
        d.run_session()
        _checked_in(d, pain)
        if isinstance(d.state.flow, ScreeningFlow):
            break
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.purpose == "pain_rise"


def _answer_screen(d: Driver, yes_to: set[str]) -> None:
    a = d.content.safety.answers
    while isinstance(d.state.flow, ScreeningFlow):
        qid = d.state.flow.queue[0]
        d.press(a.yes if qid in yes_to else a.no)


def _start_screen(d: Driver) -> None:
    ob = d.content.messages.onboarding
    d.cmd("start")
    d.press(ob.welcome_button)
    d.press(ob.consent_yes)


def test_emergency_answer_stops_onboarding_with_emergency_advice(content):
    d = Driver(content)
    _start_screen(d)
    d.press(content.safety.answers.no)  # bladder/bowel
    d.press(content.safety.answers.yes)  # saddle numbness
    said = d.said()
    assert content.safety.tiers.emergency.title in said
    assert "999" in said and "112" in said and "911" in said
    assert d.state.safety.hold_tier == "emergency"
    (referral,) = d.referrals()
    assert referral.tier == "emergency" and referral.flags == ("saddle_numbness",)
    assert not d.state.profile.onboarded
    # no more questions after an emergency answer
    assert not isinstance(d.state.flow, ScreeningFlow)


def test_not_sure_counts_as_yes(content):
    d = Driver(content)
    _start_screen(d)
    d.press(content.safety.answers.unsure)
    assert d.state.safety.hold_tier == "emergency"
    assert d.referrals()[0].flags == ("bladder_bowel",)


def test_the_emergency_message_cannot_be_dismissed_with_one_tap(content):
    d = Driver(content)
    _start_screen(d)
    d.press(content.safety.answers.yes)
    d.press(content.safety.clearance.cleared)
    assert d.state.safety.hold_tier == "emergency"  # still paused after one tap
    assert isinstance(d.state.flow, ClearanceFlow)
    d.press(content.safety.clearance.confirm_yes)
    assert d.state.safety.hold_tier is None
    # onboarding carries on where the screen left off
    assert isinstance(d.state.flow, OnboardingFlow) and d.state.flow.step == "timezone"


def test_exercise_stays_paused_until_cleared(content):
    d = Driver(content)
    d.onboard()
    d.text("I can't feel anything down there when I wipe")
    assert d.state.safety.hold_tier == "emergency"
    d.cmd("stretch")
    assert content.safety.clearance.still_paused in d.said()
    assert not any(a for a in d.last.actions if type(a).__name__ == "RecordSession")
    d.press(content.safety.clearance.cleared)
    d.press(content.safety.clearance.confirm_no)
    assert d.state.safety.hold_tier == "emergency"


def test_a_clinician_can_clear_the_pause(content):
    d = Driver(content)
    d.onboard()
    d.text("I've wet myself without noticing since the back pain started")
    assert d.state.safety.hold_tier == "emergency"
    d.do(ClinicianCleared(referral_id=1))
    assert d.state.safety.hold_tier is None
    assert content.safety.clearance.cleared_by_clinician in d.said()


def test_urgent_group_expands_to_single_questions(content):
    d = Driver(content)
    _start_screen(d)
    _answer_screen(d, {"urgent_group", "night_pain"})
    (referral,) = d.referrals()
    assert referral.tier == "urgent" and referral.flags == ("night_pain",)
    assert d.state.safety.hold_tier == "urgent"
    assert content.safety.tiers.urgent.title in "\n".join(d.texts())


def test_routine_flag_continues_onboarding_with_the_gentlest_version(content):
    d = Driver(content)
    _start_screen(d)
    _answer_screen(d, {"routine_group", "one_leg_below_knee"})
    (referral,) = d.referrals()
    assert referral.tier == "routine"
    assert d.state.safety.hold_tier is None
    assert d.state.profile.variation == content.programme.gentlest_variation
    assert isinstance(d.state.flow, OnboardingFlow) and d.state.flow.step == "timezone"


def test_an_emergency_typed_mid_hold_stops_the_countdown_at_once(content):
    d = Driver(content)
    d.onboard()
    d.cmd("stretch")
    d.press("3")
    d.press(content.messages.session.ready)
    timer = d.timers["session"]
    t = d.text("both my legs have gone weak and numb")
    assert any(isinstance(a, CancelTimers) and "session" in a.kinds for a in t.actions)
    assert content.safety.tiers.emergency.title in d.said(t)
    assert d.state.safety.hold_tier == "emergency"
    # the old countdown timer, if it still fires, does nothing
    assert d.do(TimerFired(timer.kind, timer.token)).actions == ()


def test_a_negated_emergency_term_asks_instead_of_dropping_it(content):
    d = Driver(content)
    d.onboard()
    d.text("no problems peeing I think")
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.purpose == "confirm"
    d.press(content.safety.answers.no)
    assert d.referrals() == []
    assert d.state.safety.hold_tier is None


def test_a_confirmed_emergency_becomes_a_referral_with_the_users_words(content):
    d = Driver(content)
    d.onboard()
    d.text("not sure if my bladder is working right")
    d.press(content.safety.answers.yes)
    (referral,) = d.referrals()
    assert referral.tier == "emergency" and referral.source == "free_text"
    assert "bladder" in referral.words


def test_free_text_flag_in_the_middle_of_a_check_in_keeps_the_answers_given(content):
    d = Driver(content)
    d.onboard()
    d.run_session()
    d.press("3")
    d.text("I've lost control of my bowels")
    after = [c for c in d.check_ins() if c.phase == "after"]
    assert after and after[-1].pain == 3
    assert d.referrals()[-1].tier == "emergency"


def test_referrals_are_forwarded_only_with_consent(clinic_content):
    d = Driver(clinic_content)
    ob = clinic_content.messages.onboarding
    d.cmd("start")
    d.press(ob.welcome_button)
    d.press(ob.consent_yes)
    d.press(ob.clinician_no)
    d.press(clinic_content.safety.answers.yes)
    (referral,) = d.of(OpenReferral)
    assert referral.forward is False
    assert "112" in d.said()  # the advice is given all the same


def test_stale_forged_and_double_tapped_buttons_are_refused_politely(content):
    d = Driver(content)
    d.cmd("start")
    welcome = d.button(content.messages.onboarding.welcome_button)
    d.press(content.messages.onboarding.welcome_button)
    again = d.do(ButtonPressed(welcome.data))
    assert d.notices(again) == [content.messages.common.expired]
    assert d.texts(again) == []
    for forged in ("", "x" * 70, "zz:yes", "1:drop table", "s99:stop", "c:cleared", "💥"):
        t = d.do(ButtonPressed(forged))
        assert d.notices(t) == [content.messages.common.expired], forged
        assert d.texts(t) == []
    assert d.state.flow.step == "consent"


def test_someone_elses_emergency_gets_a_line_for_them(content):
    d = Driver(content)
    d.onboard()
    d.text("my dad can't pee and his legs are numb")
    assert "person you're describing" in d.said()
    assert d.state.safety.hold_tier is None


def test_a_paused_user_not_yet_onboarded_is_not_sent_back_to_the_start(content):
    d = Driver(content)
    _start_screen(d)
    d.press(content.safety.answers.yes)  # an emergency during onboarding
    for command in ("stretch", "settings", "start"):
        d.cmd(command)
        assert content.safety.clearance.still_paused in d.said(), command
        assert d.state.safety.hold_tier == "emergency"


def test_a_question_about_an_emergency_sign_in_general_gets_the_advice_and_no_pause(content):
    d = Driver(content)
    d.onboard()
    d.text("what should I do if I ever can't feel my bum?")
    said = d.said()
    assert "999" in said and "emergency department" in said
    assert d.state.safety.hold_tier is None
    assert not isinstance(d.state.flow, ScreeningFlow)


def test_a_general_question_with_a_sign_happening_now_is_asked_about(content):
    d = Driver(content)
    d.onboard()
    d.text("what if I can't feel my bum? I can't, actually, since this morning")
    assert isinstance(d.state.flow, ScreeningFlow)


def test_a_general_question_mid_hold_leaves_the_session_running(content):
    d = Driver(content)
    d.onboard()
    d.cmd("stretch")
    flow = d.state.flow
    d.text("what happens if both legs go weak, is that an emergency?")
    assert "999" in d.said()
    assert type(d.state.flow) is type(flow)


def test_wording_only_the_model_suspects_is_asked_about_with_that_tiers_question(content):
    d = Driver(content)
    d.onboard()
    d.text("3am again. tried the sofa, the floor, the bed with 4 pillows. the pain never lets up")
    flow = d.state.flow
    assert isinstance(flow, ScreeningFlow) and flow.purpose == "confirm"
    assert flow.queue == ("night_pain",)
    assert content.safety.questions["night_pain"].text in d.said()
    assert d.referrals() == []  # nothing raised before the user answers
    d.press(content.safety.answers.yes)
    (referral,) = d.referrals()
    assert (referral.tier, referral.flags) == ("urgent", ("night_pain",))
    assert d.state.safety.hold_tier == "urgent"


def test_a_model_suspicion_answered_no_changes_nothing(content):
    d = Driver(content)
    d.onboard()
    d.text("Week 5. No improvement whatsoever. Still a 6 every morning.")
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.queue == ("worsening_pain",)
    d.press(content.safety.answers.no)
    assert d.referrals() == [] and d.state.safety.hold_tier is None
    # back to where the user was: onboarding's last question
    assert isinstance(d.state.flow, OnboardingFlow) and d.state.flow.step == "summary"


def test_a_doubtful_emergency_is_asked_before_a_lower_finding_is_raised(content):
    """'Worse every week' alone is routine; the doubtful bladder sign must not be settled by
    it. The question comes first; the routine flag rides along."""
    d = Driver(content)
    d.onboard()
    d.text("the pain is worse every week, and maybe I leaked a bit of wee last night?")
    flow = d.state.flow
    assert isinstance(flow, ScreeningFlow) and flow.queue == ("bladder_bowel",)
    assert flow.preset == ("worsening_pain",)
    d.press(content.safety.answers.yes)
    (referral,) = d.referrals()
    assert referral.tier == "emergency"
    assert set(referral.flags) == {"bladder_bowel", "worsening_pain"}


def test_a_lower_finding_is_still_raised_when_the_emergency_doubt_is_answered_no(content):
    d = Driver(content)
    d.onboard()
    d.text("my pain keeps getting worse every week and I'm not sure if I can feel my bum")
    assert isinstance(d.state.flow, ScreeningFlow) and d.state.flow.queue == ("saddle_numbness",)
    d.press(content.safety.answers.no)
    (referral,) = d.referrals()
    assert (referral.tier, referral.flags) == ("routine", ("worsening_pain",))
    assert d.state.safety.hold_tier is None


def test_every_flag_the_model_can_suspect_has_a_question_of_its_own(content):
    """A suspicion is asked about with a question on that flag at that tier, never a
    question about something else."""
    from dialogs.safety import _confirm_questions
    from dialogs.triage_text import Finding
    from dialogs.turn import Turn

    turn = Turn(content=content, state=Driver(content).state, now=Driver(content).now)
    for name, spec in content.triage.flags.items():
        tiers = (
            {spec.tier}
            if isinstance(spec.tier, str)
            else {spec.tier.one_side, spec.tier.both_sides}
        )
        for tier in tiers:
            (qid, *_) = _confirm_questions(turn, [Finding(name, tier, None, "")])
            question = content.safety.questions[qid]
            assert question.tier == tier and name in question.flags, (name, tier, qid)
