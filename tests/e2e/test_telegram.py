"""The Telegram transport end to end: the real python-telegram-bot Application against the fake
Bot API over HTTP, a real SQLite file, and a manual clock for the holds.

Every test ends with the fake's check that no request broke the Bot API spec.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Chat as TgChat
from telegram import Message, PhotoSize, Sticker
from telegram import User as TgUser

from bot.telegram_app import TIMER_JOB, keyboard_markup, split_text, to_event
from dialogs.actions import Button
from dialogs.events import CommandIssued, TextReceived
from tests.e2e.conftest import (
    QUICK_RETRY,
    TOKEN,
    Conversation,
    RunningCoach,
    free_port,
    onboard,
    running_coach,
    start_session,
)
from tests.fakes.bot_api import FakeBotApi, assert_no_violations

# python-telegram-bot itself reads RetryAfter.retry_after in its deprecated int form.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

Chat = Callable[..., Conversation]
COMMANDS = ["start", "stretch", "snooze", "pause", "resume", "settings", "progress", "help",
            "export", "delete"]  # fmt: skip


def sends_to(api: FakeBotApi, chat_id: int, since: int = 0) -> list[Any]:
    return [c for c in api.calls[since:]
            if c.method in ("sendMessage", "editMessageText")
            and c.params.get("chat_id") == chat_id]  # fmt: skip


# --- start-up --------------------------------------------------------------------------------


async def test_start_up_sets_commands_and_descriptions(
    coach: RunningCoach, api: FakeBotApi
) -> None:
    text = coach.content.messages.telegram
    await api.wait_for_call("setMyCommands")
    [commands] = api.commands.values()
    assert [c["command"] for c in commands] == COMMANDS
    assert all(1 <= len(c["description"]) <= 256 for c in commands)
    assert api.descriptions[""] == text.description
    assert api.short_descriptions[""] == text.short_description
    assert_no_violations(api)


async def test_an_unchanged_description_is_not_set_again(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_coach(api, tmp_path / "coach.db"):
        pass
    async with running_coach(api, tmp_path / "coach.db"):
        pass
    assert len(api.calls_to("setMyDescription")) == 1
    assert len(api.calls_to("setMyShortDescription")) == 1
    assert len(api.calls_to("setMyCommands")) == 2
    assert_no_violations(api)


async def test_the_dispatcher_job_ticks_the_timers(
    api: FakeBotApi, tmp_path: Path, conversation: Chat
) -> None:
    async with running_coach(api, tmp_path / "coach.db", tick_seconds=0.05) as coach:
        assert coach.application.job_queue is not None
        assert coach.application.job_queue.get_jobs_by_name(TIMER_JOB)
        chat = conversation()
        await onboard(chat, coach.content)
        await start_session(chat, coach.content)
        coach.clock.advance(10)  # the job, not the test, fires the countdown tick
        await api.wait_for_call("editMessageText", text=lambda t: "10 s left" in t)
    assert_no_violations(api)


# --- conversations ---------------------------------------------------------------------------


async def test_onboarding_with_buttons_then_a_guided_session_with_a_check_in(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation(first_name="Ann")
    summary = await onboard(chat, coach.content)
    assert "08:00" in summary.content and "20:00" in summary.content
    assert "Hi, Ann!" in chat.messages()[0].content

    first_hold = await start_session(chat, coach.content, pain="3")
    assert "20 s left" in first_hold.content
    edits_before = len(api.calls_to("editMessageText"))
    fired = await coach.run_timers(chat.chat_id)
    assert fired >= 10

    edits = api.calls_to("editMessageText")[edits_before:]
    assert edits and all("s left" in c.params["text"] for c in edits)
    assert all(c.ok for c in edits)
    checkin = coach.content.messages.checkin
    await api.wait_for_message(chat.chat_id, contains=coach.content.messages.session.finished)
    await api.wait_for_message(chat.chat_id, contains=checkin.pain)
    await chat.tap("2", expect=checkin.feel)
    await chat.tap(checkin.feel_options.mild_pull, expect=checkin.stiffness[:20])
    await chat.tap("3", expect=checkin.saved)

    user = coach.user_row(chat.chat_id)
    assert user.id is not None
    rows = coach.store.check_ins(user.id)
    assert [(r.phase, r.pain, r.stiffness, r.feel) for r in rows] == [
        ("before", 3, None, None),
        ("after", 2, 3, "mild_pull"),
    ]
    [record] = coach.store.sessions(user.id)
    assert record.status == "completed" and record.holds_done == 5
    assert api.unanswered_callback_queries() == []
    assert_no_violations(api)


async def test_typing_an_answer_where_buttons_were_offered(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    ob = coach.content.messages.onboarding
    await chat.say("/start", expect="Backstretch Coach")
    await chat.say(ob.welcome_button, expect=ob.consent[:30])  # the label, typed
    await chat.tap(ob.consent_yes, expect=ob.screen_intro[:30])
    question = chat.last()
    reply = await chat.say("no")  # typed instead of pressing "No"
    assert reply.content != question.content and reply.button_texts() == question.button_texts()
    assert_no_violations(api)


async def test_a_stale_button_is_answered_with_the_expired_notice_and_nothing_else(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    ob = coach.content.messages.onboarding
    await chat.say("/start", expect="Backstretch Coach")
    welcome = chat.last()
    await chat.tap(ob.welcome_button, expect=ob.consent[:30])
    calls_before = len(api.calls)
    query_id = await chat.user.press(welcome.message_id, welcome.callback_data()[0])
    await api.wait_for(lambda: query_id in api.callback_answers)
    assert api.callback_answers[query_id].get("text") == coach.content.messages.common.expired
    assert sends_to(api, chat.chat_id, calls_before) == []
    assert_no_violations(api)


async def test_a_double_tap_acts_once(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    ob = coach.content.messages.onboarding
    await chat.say("/start", expect="Backstretch Coach")
    welcome = chat.last()
    data = welcome.callback_data()[0]
    first = await chat.user.press(welcome.message_id, data)
    second = await chat.user.press(welcome.message_id, data)
    await api.wait_for(lambda: {first, second} <= set(api.callback_answers))
    await asyncio.sleep(0.1)  # room for a wrong second reply to show up
    consent = [m for m in chat.messages() if m.content == ob.consent]
    assert len(consent) == 1
    notices = [api.callback_answers[q].get("text") for q in (first, second)]
    assert notices.count(coach.content.messages.common.expired) == 1
    assert_no_violations(api)


async def test_odd_updates_never_crash_the_bot(
    api: FakeBotApi, tmp_path: Path, conversation: Chat
) -> None:
    async with running_coach(api, tmp_path / "coach.db", clinician_chat_id=-1002) as coach:
        chat = conversation()
        me = chat.user.info
        sticker = {"file_id": "st1", "file_unique_id": "u1", "type": "regular", "width": 512,
                   "height": 512, "is_animated": False, "is_video": False}  # fmt: skip
        base = {"from": me, "chat": {"id": chat.chat_id, "type": "private", "first_name": "Ann"},
                "date": int(time.time())}  # fmt: skip
        api.inject_update({"message": base | {"message_id": 900, "sticker": sticker}})
        fallback = coach.content.messages.help.fallback[:30]
        await api.wait_for_message(chat.chat_id, contains=fallback)
        api.inject_update({"edited_message": base | {"message_id": 901, "text": "edited",
                                                     "edit_date": int(time.time())}})  # fmt: skip
        group = api.group_user(77, chat_id=-1001)
        await group.send("/start")
        clinicians = api.group_user(78, chat_id=-1002, title="Clinicians")
        await clinicians.send("hello")
        await chat.say("/help", expect="/stretch")  # still alive, and in order
        assert not api.chat_messages(-1001) and not api.chat_messages(-1002)
        assert len([m for m in chat.messages() if fallback in m.content]) == 1
        assert coach.store.get_user(2) is None  # only Ann became a user
    assert_no_violations(api)


async def test_an_error_in_a_turn_tells_the_user_and_the_bot_keeps_running(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = conversation()
    real_handle = coach.parts.coach.handle

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(coach.parts.coach, "handle", broken)
    await chat.say("/start", expect=coach.content.messages.common.something_wrong)
    monkeypatch.setattr(coach.parts.coach, "handle", real_handle)
    await chat.say("/start", expect="Backstretch Coach")
    assert_no_violations(api)


async def test_export_sends_files_and_progress_sends_a_chart(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    await onboard(chat, coach.content)
    await chat.tap(coach.content.messages.onboarding.later)
    await chat.user.send("/export")
    await api.wait_for(lambda: len([m for m in chat.messages() if m.kind == "document"]) == 2)
    files = [m for m in chat.messages() if m.kind == "document"]
    assert [f.filename for f in files] == ["backstretch-data.json", "check-ins.csv"]
    assert files[0].data is not None and json.loads(files[0].data)
    await chat.user.send("/progress")
    chart = await api.wait_for(
        lambda: next((m for m in chat.messages() if m.kind == "photo"), None)
    )
    assert chart.data and chart.data.startswith(b"\x89PNG")
    assert len(chart.caption or "") <= 1024
    assert_no_violations(api)


# --- faults ----------------------------------------------------------------------------------


async def test_429_on_send_waits_and_delivers_everything_in_order(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    help_text = coach.content.messages.help
    api.fail_next("sendMessage", status=429, retry_after=1)
    started = time.monotonic()
    await chat.say("/help", expect="/stretch")
    await api.wait_for_message(chat.chat_id, contains=help_text.privacy[:30])
    assert time.monotonic() - started >= 1.0
    texts = [m.content for m in chat.messages()]
    assert texts[0].startswith(help_text.text[:20]) and texts[1] == help_text.privacy
    outcomes = [c.outcome for c in api.calls_to("sendMessage")]
    assert outcomes == ["error", "ok", "ok"]
    assert_no_violations(api)


async def test_500_is_retried(coach: RunningCoach, api: FakeBotApi, conversation: Chat) -> None:
    chat = conversation()
    api.fail_next("sendMessage", status=500, count=2)
    await chat.say("/start", expect="Backstretch Coach")
    assert [c.status for c in api.calls_to("sendMessage")] == [500, 500, 200]
    assert len(chat.messages()) == 1
    assert_no_violations(api)


async def test_a_reminder_telegram_could_not_take_is_sent_again_later(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    await onboard(chat, coach.content)
    await chat.tap(coach.content.messages.onboarding.later)
    user = coach.user_row(chat.chat_id)
    assert user.id is not None
    [morning] = coach.store.pending_timers(user.id, ["reminder:morning"])
    coach.clock.set(morning.due_at)
    api.fail_next("sendMessage", status=500, count=QUICK_RETRY.max_attempts)
    await coach.tick()  # every attempt fails: the reminder stays in the durable outbox
    assert not [m for m in chat.messages() if "Good morning" in m.content]
    coach.clock.advance(60)
    await coach.tick()
    reminder = await api.wait_for_message(chat.chat_id, contains="Good morning")
    assert reminder.button_texts()
    assert len([m for m in chat.messages() if "Good morning" in m.content]) == 1
    assert_no_violations(api)


async def test_a_slow_response_past_the_timeout_is_retried_not_lost(
    api: FakeBotApi, tmp_path: Path, conversation: Chat
) -> None:
    async with running_coach(api, tmp_path / "coach.db", request_timeout=0.3) as coach:
        chat = conversation()
        api.delay_next("sendMessage", 1.0)
        await chat.say("/start", expect="Backstretch Coach")
        assert len(api.calls_to("sendMessage")) >= 2  # the first one timed out on our side
        assert coach.parts.outbox.stats.retried >= 1
        # Telegram may have delivered the slow one too: at least once, never lost.
        await api.wait_for(lambda: len(chat.messages()) == 2, timeout=3)
    assert_no_violations(api)


async def test_a_dropped_connection_is_retried(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    api.drop_next("sendMessage")
    await chat.say("/start", expect="Backstretch Coach")
    assert [c.outcome for c in api.calls_to("sendMessage")] == ["dropped", "ok"]
    assert_no_violations(api)


async def test_403_marks_the_user_inactive_and_nothing_more_is_sent(
    coach: RunningCoach, api: FakeBotApi, conversation: Chat
) -> None:
    chat = conversation()
    await onboard(chat, coach.content)
    await start_session(chat, coach.content)
    api.block(chat.chat_id)
    since = len(api.calls)
    await coach.run_timers(chat.chat_id)  # the countdown edit gets 403; later timers are skipped
    user = coach.user_row(chat.chat_id)
    assert user.active is False
    attempts = sends_to(api, chat.chat_id, since)
    assert [c.status for c in attempts] == [403]
    assert user.id is not None and coach.store.pending_timers(user.id, ["session"]) == []
    await coach.run_timers(chat.chat_id, kinds=("reminder:evening",))  # 20:00 comes and goes
    assert sends_to(api, chat.chat_id, since)[1:] == []

    api.unblock(chat.chat_id)  # they come back
    await chat.say("/start", expect="Welcome back")
    assert coach.user_row(chat.chat_id).active is True
    assert_no_violations(api)


async def test_telegrams_real_limits_pace_a_chat_without_429(
    api: FakeBotApi, tmp_path: Path, conversation: Chat
) -> None:
    api.enforce_limits = True
    async with running_coach(api, tmp_path / "coach.db", limits=None) as coach:
        chat = conversation()
        privacy = coach.content.messages.help.privacy
        await chat.say("/help", expect="/stretch")
        await api.wait_for_message(chat.chat_id, contains=privacy[:30])
        first, second = api.calls_to("sendMessage")
        assert second.time - first.time >= 0.95
        assert api.limit_hits == 0
    assert_no_violations(api)


# --- webhook ---------------------------------------------------------------------------------


async def test_webhook_checks_the_secret_token(
    api: FakeBotApi, tmp_path: Path, conversation: Chat
) -> None:
    if importlib.util.find_spec("tornado") is None:
        pytest.fail("webhook mode needs python-telegram-bot[webhooks] (tornado) installed")
    port = free_port()
    secret = "s3cret-Token_1"
    async with running_coach(api, tmp_path / "coach.db", webhook_port=port,
                             webhook_url="https://coach.example/telegram/hook",
                             webhook_secret=secret) as coach:  # fmt: skip
        hook = await api.wait_for_call("setWebhook")
        assert hook.params["url"] == "https://coach.example/telegram/hook"
        assert hook.params["secret_token"] == secret
        url = f"http://127.0.0.1:{port}/telegram/hook"
        chat = conversation()
        update = chat.user.message_update("/start")
        assert await api.post_to_webhook(url, update, secret_token="wrong") == 403
        assert await api.post_to_webhook(url, chat.user.message_update("/start")) == 403
        await asyncio.sleep(0.2)
        assert api.calls_to("sendMessage") == []
        assert coach.store.get_user(1) is None  # nothing was processed

        good = chat.user.message_update("/start")
        assert await api.post_to_webhook(url, good, secret_token=secret) == 200
        await api.wait_for_message(chat.chat_id, contains="Backstretch Coach")
    assert_no_violations(api)


def test_webhook_options_come_from_the_settings(tmp_path: Path) -> None:
    from bot.config import Settings
    from bot.telegram_app import webhook_options

    settings = Settings(telegram_bot_token=TOKEN, webhook_url="https://x.example/tg/abc",
                        webhook_listen="0.0.0.0:8443")  # fmt: skip
    options = webhook_options(settings)
    assert options["listen"] == "0.0.0.0" and options["port"] == 8443
    assert options["url_path"] == "tg/abc"
    assert len(options["secret_token"]) >= 32  # none configured: a random one
    with pytest.raises(ValueError):
        webhook_options(settings.model_copy(update={"webhook_listen": "8443"}))


# --- translation -----------------------------------------------------------------------------


def test_long_texts_split_on_paragraphs_within_the_limit() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 300 for n in range(8)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_text(text)
    assert len(chunks) > 1 and all(1 <= len(c) <= 4096 for c in chunks)
    assert all(c.startswith("Paragraph") for c in chunks)  # cut at paragraph boundaries
    assert " ".join(" ".join(chunks).split()) == " ".join(text.split())  # nothing lost
    assert split_text("short") == ["short"]
    assert all(len(c) <= 4096 for c in split_text("x" * 9000))  # no boundary at all


def test_keyboards_carry_the_core_buttons_and_check_the_64_byte_limit() -> None:
    markup = keyboard_markup(((Button("Yes", "p3:yes"), Button("No", "p3:no")),))
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ["p3:yes", "p3:no"]
    ]
    assert keyboard_markup(()) is None
    forged = Button("x", "ok")
    object.__setattr__(forged, "data", "é" * 40)  # 80 bytes, slipped past the core's check
    with pytest.raises(ValueError):
        keyboard_markup(((forged,),))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", CommandIssued("start", "", display_name="Ann")),
        ("/Stretch@backstretch_coach_bot now", CommandIssued("stretch", "now", "Ann")),
        ("how long should I hold?", TextReceived("how long should I hold?")),
        ("/ not a command", TextReceived("/ not a command")),
    ],
)
def test_messages_become_events(text: str, expected: object) -> None:
    message = Message(1, datetime.now(UTC), TgChat(42, "private"),
                      from_user=TgUser(42, "Ann", is_bot=False), text=text)  # fmt: skip
    assert to_event(message) == expected


def test_a_caption_is_read_and_a_bare_sticker_is_empty_text() -> None:
    chat, sender = TgChat(42, "private"), TgUser(42, "Ann", is_bot=False)
    photo = Message(1, datetime.now(UTC), chat, from_user=sender, caption="my knee",
                    photo=(PhotoSize("f", "u", 10, 10),))  # fmt: skip
    assert to_event(photo) == TextReceived("my knee")
    sticker = Message(2, datetime.now(UTC), chat, from_user=sender,
                      sticker=Sticker("s", "u", 512, 512, False, False, "regular"))  # fmt: skip
    assert to_event(sticker) == TextReceived("")
    assert to_event(Message(3, datetime.now(UTC), chat, from_user=sender)) is None


def test_run_telegram_needs_a_token(tmp_path: Path) -> None:
    from bot.config import Settings
    from bot.telegram_app import run_telegram

    settings = Settings(telegram_bot_token=None, database_url=f"sqlite:///{tmp_path / 'c.db'}")
    assert run_telegram(settings) == 2
