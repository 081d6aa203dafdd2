"""Every red-flag tier end to end in Telegram: the advice arrives, and exercise pauses where
the tier demands it."""

from __future__ import annotations

from tests.e2e.conftest import onboard, start_session


async def test_emergency_typed_mid_hold_stops_the_countdown_and_pauses_exercise(
    coach, conversation
):
    content = coach.contents["en"]
    chat = conversation()
    await onboard(chat, content)
    hold = await start_session(chat, content)
    edits_before = hold.edit_count
    await chat.say(
        "I suddenly can't feel anything down there when I wipe",
        expect=content.safety.tiers.emergency.title,
    )
    coach.clock.advance(30)
    await coach.application.coach.dispatcher.tick()
    refreshed = next(m for m in chat.messages() if m.message_id == hold.message_id)
    assert refreshed.edit_count == edits_before  # the countdown stopped at once
    assert not any("Slowly let go" in m.text for m in chat.messages())
    await chat.say("/stretch", expect=content.safety.clearance.still_paused[:40])


async def test_urgent_answer_in_the_screen_pauses_until_cleared_twice(coach, conversation):
    content = coach.contents["en"]
    chat = conversation()
    ob = content.messages.onboarding
    await chat.say("/start", expect="Backstretch Coach")
    await chat.tap(ob.welcome_button)
    await chat.tap(ob.consent_yes, expect=ob.screen_intro[:30])
    answers = content.safety.answers
    for _ in range(4):  # the four emergency questions: no
        await chat.tap(answers.no)
    await chat.tap(answers.yes)  # the urgent group
    await chat.tap(answers.no)  # fever
    await chat.tap(answers.yes)  # cancer history
    while answers.no in chat.last().button_texts():  # the rest of the screen: no
        await chat.tap(answers.no)
    assert any(content.safety.tiers.urgent.title in m.text for m in chat.messages())
    await chat.say("/stretch", expect=content.safety.clearance.still_paused[:40])
    await chat.tap(content.safety.clearance.cleared, expect=content.safety.clearance.confirm[:30])
    await chat.tap(
        content.safety.clearance.confirm_yes, expect=content.safety.clearance.resumed[:30]
    )
    await chat.tap("Europe/London")  # onboarding carries on where the screen left off


async def test_routine_flag_continues_with_the_gentlest_version(coach, conversation):
    content = coach.contents["en"]
    chat = conversation()
    await onboard(chat, content)
    await chat.say(
        "the pain keeps getting worse even though I stretch every day",
        expect=content.safety.tiers.routine.title,
    )
    seated = content.programme.variations.seated
    await chat.say("/stretch", expect=content.messages.session.pain_before[:20])
    await chat.tap("3", expect=seated.prepare[:30])
