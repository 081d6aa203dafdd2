"""The clinician hand-off end to end: the real Application against the fake Bot API, a patient in
a private chat and clinicians in the clinic's group, a real SQLite file and a manual clock.

Every test ends with the fake's check that no request broke the Bot API spec.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clinic import MAX_REPOSTS
from content.loader import Content
from tests.e2e.conftest import Conversation, RunningCoach, running_coach, start_session
from tests.fakes.bot_api import FakeBotApi, FakeUser, SentMessage, assert_no_violations

CLINIC = -100_200
DOC = 501  # a listed clinician
NURSE = 502  # another listed clinician
STRANGER = 777  # in the group, not listed
EMERGENCY = "I can't control my bladder since yesterday"
URGENT = "I've had a fever since yesterday"


@pytest.fixture
async def clinic(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[RunningCoach]:
    async with running_coach(
        api,
        tmp_path / "coach.db",
        clinician_chat_id=CLINIC,
        clinician_ids=f"{DOC}, {NURSE}",
        clinic_name="Riverside Physio",
    ) as running:
        yield running


def patient(api: FakeBotApi, user_id: int = 4242) -> Conversation:
    return Conversation(api, api.user(user_id, "Annabel", username="annabel_w", last_name="Ward"))


def member(api: FakeBotApi, user_id: int, first_name: str) -> FakeUser:
    return api.group_user(user_id, chat_id=CLINIC, first_name=first_name, last_name="Smith",
                          title="Riverside clinicians", chat_type="supergroup")  # fmt: skip


async def begin_onboarding(chat: Conversation, content: Content, *, share: bool) -> None:
    """/start to the first safety question, agreeing (or not) to share reports with the clinic."""
    ob = content.messages.onboarding
    await chat.say("/start", expect="Backstretch Coach")
    await chat.tap(ob.welcome_button, expect=ob.consent.split("?")[0])
    await chat.tap(ob.consent_yes, expect="This coach is run with Riverside Physio")
    await chat.tap(ob.clinician_yes if share else ob.clinician_no, expect=ob.screen_intro[:30])


async def answer_screen_no(chat: Conversation, content: Content) -> None:
    for _ in range(20):
        if content.safety.answers.no not in chat.last().button_texts():
            return
        await chat.tap(content.safety.answers.no)


async def onboard_sharing(chat: Conversation, content: Content) -> None:
    ob = content.messages.onboarding
    await begin_onboarding(chat, content, share=True)
    await answer_screen_no(chat, content)
    await chat.tap("Europe/London", expect=ob.morning[:20])
    await chat.tap("08:00", expect=ob.evening[:20])
    await chat.tap("20:00", expect=ob.variation[:20])
    await chat.tap(content.programme.variations.floor.name, expect="All set")


async def referral_post(coach: RunningCoach, number: int = 1) -> SentMessage:
    """The ``number``-th referral posted to the clinic, once it is sent and stored."""
    api = coach.api

    def find() -> SentMessage | None:
        posts = [m for m in api.chat_messages(CLINIC) if "Referral #" in m.content]
        if len(posts) < number:
            return None
        post = posts[number - 1]
        stored = coach.store.clinic_message(str(CLINIC), str(post.message_id))
        return post if stored is not None else None

    return await api.wait_for(find)


async def in_thread(coach: RunningCoach, message: SentMessage) -> None:
    """Wait until the desk has stored ``message`` as part of a referral's thread."""
    await coach.api.wait_for(
        lambda: coach.store.clinic_message(str(CLINIC), str(message.message_id))
    )


async def press(api: FakeBotApi, who: FakeUser, message: SentMessage, label: str) -> str:
    """Press a button in the clinic chat; return the answer Telegram showed."""
    query_id = await who.press_button(label, message_id=message.message_id)
    await api.wait_for(lambda: query_id in api.callback_answers)
    return str(api.callback_answers[query_id].get("text", ""))


def clinic_texts(api: FakeBotApi) -> list[str]:
    return [m.content for m in api.chat_messages(CLINIC)]


# --- forwarding ------------------------------------------------------------------------------


async def test_an_emergency_typed_mid_onboarding_reaches_the_clinic_with_its_buttons(
    clinic: RunningCoach, api: FakeBotApi
) -> None:
    content = clinic.content
    chat = patient(api)
    await begin_onboarding(chat, content, share=True)
    await answer_screen_no(chat, content)
    await chat.say(EMERGENCY, expect=content.safety.tiers.emergency.title)

    post = await referral_post(clinic)
    user = clinic.user_row(chat.chat_id)
    text = content.messages.clinic
    assert f"patient #{user.id}" in post.content
    assert text.tiers.emergency in post.content
    assert EMERGENCY in post.content and text.flags["bladder_bowel"] in post.content
    assert text.no_pain in post.content and text.no_sessions in post.content
    for identity in ("Annabel", "annabel_w", "Ward", str(chat.chat_id)):
        assert identity not in post.content  # a pseudonym only
    assert post.button_texts() == [text.buttons.acknowledge, text.buttons.message,
                                   text.buttons.clear]  # fmt: skip
    [referral] = clinic.store.referrals(user.id)
    assert referral.forward and referral.status == "open"
    notes = [e.note for e in clinic.store.referral_events(referral.id or 0)]
    assert notes[-1] == "posted to the clinician chat"

    # Cleared by a clinician, the patient is told in the core's words and setup carries on.
    doc = member(api, DOC, "Dana")
    assert await press(api, doc, post, text.buttons.clear) == text.notices.cleared
    told = await chat.user.wait_for_message(content.safety.clearance.cleared_by_clinician[:30])
    timezone = content.messages.onboarding.timezone[:30]
    await chat.user.wait_for_message(timezone, after=told.message_id)
    assert_no_violations(api)


async def test_consent_declined_means_nothing_reaches_the_clinic_but_the_advice_is_given(
    clinic: RunningCoach, api: FakeBotApi
) -> None:
    content = clinic.content
    chat = patient(api)
    await begin_onboarding(chat, content, share=False)
    await chat.tap(content.safety.answers.yes, expect=content.safety.tiers.emergency.title)
    await chat.say(URGENT, expect=content.safety.tiers.urgent.title)
    assert clinic.parts.clinic is not None
    await clinic.parts.clinic.drain()
    clinic.clock.advance(3600)
    await clinic.parts.tick()
    await asyncio.sleep(0.1)
    assert api.chat_messages(CLINIC) == []
    referrals = clinic.store.referrals(clinic.user_row(chat.chat_id).id)
    assert [(r.tier, r.forward) for r in referrals] == [("emergency", False), ("urgent", False)]
    assert_no_violations(api)


# --- acknowledging ---------------------------------------------------------------------------


async def test_only_a_listed_clinician_can_acknowledge_and_a_forged_press_changes_nothing(
    clinic: RunningCoach, api: FakeBotApi
) -> None:
    content = clinic.content
    text = content.messages.clinic
    chat = patient(api)
    await onboard_sharing(chat, content)
    await start_session(chat, content)
    await chat.say(EMERGENCY, expect=content.safety.tiers.emergency.title)  # mid-hold
    post = await referral_post(clinic)
    [referral] = clinic.store.referrals(clinic.user_row(chat.chat_id).id)
    assert referral.id is not None and referral.source == "free_text"

    stranger = member(api, STRANGER, "Sam")
    assert await press(api, stranger, post, text.buttons.acknowledge) == text.notices.not_allowed
    doc = member(api, DOC, "Dana")
    forged = doc.press_update(post.message_id, f"clinic:ack:{referral.id}")
    forged["callback_query"]["data"] = f"clinic:clear:{referral.id + 40}"
    api.inject_update(forged)
    forged_id = forged["callback_query"]["id"]
    await api.wait_for(lambda: forged_id in api.callback_answers)
    assert api.callback_answers[forged_id].get("text") == text.notices.unknown
    assert clinic.store.referral_by_id(referral.id).status == "open"  # type: ignore[union-attr]
    assert post.edit_count == 0

    assert await press(api, doc, post, text.buttons.acknowledge) == text.notices.acknowledged
    await api.wait_for(lambda: "Acknowledged by Dana Smith" in post.content)
    assert text.buttons.acknowledge not in post.button_texts()
    assert post.button_texts() == [text.buttons.message, text.buttons.clear]
    stored = clinic.store.referral_by_id(referral.id)
    assert stored is not None and stored.status == "acknowledged"
    events = clinic.store.referral_events(referral.id)
    acknowledged = [e for e in events if e.status == "acknowledged"]
    assert acknowledged[0].actor == str(DOC) and acknowledged[0].at == clinic.clock.now()
    nurse = member(api, NURSE, "Nia")
    again = await press(api, nurse, post, text.buttons.message)
    assert again == text.notices.message  # acknowledged: still live for messages
    assert_no_violations(api)


# --- messages both ways, and clearing --------------------------------------------------------


async def test_a_clinician_and_the_patient_talk_through_the_thread_until_it_is_cleared(
    clinic: RunningCoach, api: FakeBotApi
) -> None:
    content = clinic.content
    text = content.messages.clinic
    chat = patient(api)
    await onboard_sharing(chat, content)
    await chat.say(EMERGENCY, expect=content.safety.tiers.emergency.title)
    post = await referral_post(clinic)
    user = clinic.user_row(chat.chat_id)
    label = f"patient #{user.id}"
    doc = member(api, DOC, "Dana")
    stranger = member(api, STRANGER, "Sam")

    assert await press(api, doc, post, text.buttons.message) == text.notices.message
    prompt = await api.wait_for_message(CLINIC, contains=label, after=post.message_id)
    assert prompt.reply_to_message_id == post.message_id

    await stranger.send("Not a clinician, ignore me", reply_to_message_id=post.message_id)
    asked = await doc.send(
        "Please call us on 01234 567890 now.", reply_to_message_id=post.message_id
    )
    relayed = await chat.user.wait_for_message("01234 567890")
    assert relayed.content.startswith("💬 Message from the clinic team")
    assert not any("ignore me" in m.content for m in chat.messages())
    await api.wait_for_message(CLINIC, contains=text.relayed.format(patient=label), after=asked)

    # The patient's answer goes through the core first (it is still coached) and then back.
    before = len(chat.messages())
    sent = await chat.user.send("Calling you now, thanks")
    copy = await api.wait_for_message(CLINIC, contains="Calling you now", after=asked)
    assert copy.reply_to_message_id == asked and label in copy.content
    await in_thread(clinic, copy)
    await api.wait_for(lambda: len(chat.messages()) > before)  # the coach answered it as well
    assert chat.messages()[-1].message_id > sent

    # A reply to the patient's copy is passed on too: the whole thread counts.
    bye = await doc.send("Good, speak soon.", reply_to_message_id=copy.message_id)
    await chat.user.wait_for_message("speak soon")
    await api.wait_for_message(CLINIC, contains=text.relayed.format(patient=label), after=bye)

    [referral] = clinic.store.referrals(user.id)
    assert referral.id is not None
    audit = clinic.store.referral_events(referral.id)
    notes = [e.note for e in audit]
    assert notes.count("a clinician's message was passed on to the patient") == 2
    assert notes.count("the patient's message was passed on to the clinician chat") == 1
    assert not any("01234" in n or "Calling" in n for n in notes)  # no message text in the audit

    cleared = content.safety.clearance.cleared_by_clinician
    assert await press(api, doc, post, text.buttons.clear) == text.notices.cleared
    await chat.user.wait_for_message(cleared[:30])
    await api.wait_for(lambda: "Cleared to resume by Dana Smith" in post.content)
    assert post.button_texts() == []
    assert clinic.store.referral_by_id(referral.id).status == "cleared"  # type: ignore[union-attr]
    assert [e.status for e in clinic.store.referral_events(referral.id)][-1] == "cleared"

    await chat.say("/stretch", expect=content.messages.session.pain_before[:20])  # resumed

    # After clearing the relay stops, both ways.
    in_clinic = len(api.chat_messages(CLINIC))
    await chat.say("5", expect=None)
    late = await doc.send("One more thing", reply_to_message_id=copy.message_id)
    await api.wait_for_message(CLINIC, contains=text.relay_closed, after=late)
    assert not any("One more thing" in m.content or "ignore me" in m.content
                   for m in chat.messages())  # fmt: skip
    assert len(api.chat_messages(CLINIC)) == in_clinic + 1  # only the "not passed on" note
    assert_no_violations(api)


# --- re-posting ------------------------------------------------------------------------------


async def test_an_unacknowledged_urgent_referral_is_posted_again_until_acknowledged(
    clinic: RunningCoach, api: FakeBotApi
) -> None:
    content = clinic.content
    text = content.messages.clinic
    chat = patient(api)
    await onboard_sharing(chat, content)
    await chat.tap(content.messages.onboarding.later)
    await chat.say(URGENT, expect=content.safety.tiers.urgent.title)
    first = await referral_post(clinic)
    assert text.tiers.urgent in first.content

    clinic.clock.advance(timedelta(minutes=14, seconds=59).total_seconds())
    await clinic.parts.tick()
    assert len(api.chat_messages(CLINIC)) == 1
    clinic.clock.advance(1)
    await clinic.parts.tick()
    second = await referral_post(clinic, 2)
    assert second.reply_to_message_id == first.message_id
    assert text.repost.format(count=1, max=MAX_REPOSTS) in second.content
    assert second.button_texts() == first.button_texts()

    clinic.clock.advance(15 * 60)
    await clinic.parts.tick()
    third = await referral_post(clinic, 3)
    assert text.repost.format(count=2, max=MAX_REPOSTS) in third.content

    doc = member(api, DOC, "Dana")
    assert await press(api, doc, third, text.buttons.acknowledge) == text.notices.acknowledged
    for message in (first, second, third):  # every copy shows who acknowledged it
        await api.wait_for(lambda m=message: "Acknowledged by Dana Smith" in m.content)
        assert text.buttons.acknowledge not in message.button_texts()
    for _ in range(3):
        clinic.clock.advance(15 * 60)
        await clinic.parts.tick()
    await asyncio.sleep(0.1)
    assert len([m for m in api.chat_messages(CLINIC) if "Referral #" in m.content]) == 3
    [referral] = clinic.store.referrals(clinic.user_row(chat.chat_id).id)
    notes = [e.note for e in clinic.store.referral_events(referral.id or 0)]
    assert sum(n.startswith("re-posted") for n in notes) == 2
    assert json.loads(referral.flags) == ["fever_unwell"]
    assert_no_violations(api)
