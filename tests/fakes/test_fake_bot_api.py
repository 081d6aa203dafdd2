"""The fake Bot API, driven by the real python-telegram-bot over HTTP.

Why: end-to-end tests trust this fake to behave like Telegram; these tests pin down that the
real client library can talk to it, that its errors surface as the library's exceptions, and
that its validator catches what Telegram would reject.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from .api_spec import SPEC_ENV_VAR, BotApiSpec, default_spec_path, parse_entities
from .bot_api import NOT_MODIFIED, FakeBotApi, WaitTimeout, assert_no_violations, fake_bot_api

PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with fake_bot_api() as server:
        yield server


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(
        api.token, base_url=api.base_url, base_file_url=api.base_file_url
    ) as client:
        yield client


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data)] for text, data in pairs]
    )


async def raw_call(
    api: FakeBotApi,
    method: str,
    *,
    form: dict[str, str] | None = None,
    body: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Call the fake without PTB, so PTB's own checks cannot hide a violation."""
    url = f"{api.base_url}{token or api.token}/{method}"
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=form, json=body) as response,
    ):
        return response.status, await response.json()


# -- the spec ---------------------------------------------------------------------------------


def test_spec_is_found_next_to_the_repository() -> None:
    path = default_spec_path()
    assert path == Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.json"
    spec = BotApiSpec.load()
    assert spec.version.startswith("Bot API")
    assert spec.canonical_method("SENDmessage") == "sendMessage"


def test_spec_path_can_be_overridden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny = {"version": "Bot API 0.1", "methods": {}, "types": {}}
    (tmp_path / "api.json").write_text(json.dumps(tiny))
    monkeypatch.setenv(SPEC_ENV_VAR, str(tmp_path / "api.json"))
    assert BotApiSpec.load().version == "Bot API 0.1"


def test_form_values_are_read_as_telegram_reads_them() -> None:
    spec = BotApiSpec.load()
    result = spec.check(
        "sendMessage",
        {"chat_id": "123", "text": "hi", "disable_notification": "true"},
    )
    assert result.issues == []
    assert result.params == {"chat_id": 123, "text": "hi", "disable_notification": True}
    assert spec.validate("sendMessage", {"chat_id": "@coach", "text": "hi"}) == []
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "hi", "protect_content": "maybe"})


def test_nested_objects_are_checked_recursively() -> None:
    spec = BotApiSpec.load()
    long_command = json.dumps([{"command": "c" * 33, "description": "too long"}])
    assert "setMyCommands.commands[0].command: 33 characters, must be 1-32 characters" in (
        spec.validate("setMyCommands", {"commands": long_command})
    )
    upper = json.dumps([{"command": "Start", "description": "d"}])
    assert any("lowercase" in v for v in spec.validate("setMyCommands", {"commands": upper}))
    no_action = json.dumps({"inline_keyboard": [[{"text": "Tap"}]]})
    problems = spec.validate(
        "sendMessage", {"chat_id": "1", "text": "x", "reply_markup": no_action}
    )
    assert any("exactly one of" in v for v in problems)
    extra = json.dumps({"inline_keyboard": [[{"text": "Tap", "callback_data": "a", "colour": 1}]]})
    problems = spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": extra})
    assert problems == [
        "sendMessage.reply_markup.inline_keyboard[0][0].colour: unknown field (Telegram ignores it)"
    ]
    wrong_type = json.dumps({"inline_keyboard": [[{"text": 5, "callback_data": "a"}]]})
    assert spec.validate("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": wrong_type})
    scope = json.dumps({"type": "chat"})
    problems = spec.validate("setMyCommands", {"commands": "[]", "scope": scope})
    assert problems == ["setMyCommands.scope.chat_id: missing required field"]


def test_entities_parsing_for_lengths_and_errors() -> None:
    assert parse_entities("<b>Hi</b> &amp; bye", "HTML") == ("Hi & bye", None)
    assert parse_entities("Stretch <br> now", "HTML")[1] is not None
    assert parse_entities("<b>open", "HTML")[1] is not None
    assert parse_entities(r"*Good* job\!", "MarkdownV2") == ("Good job!", None)
    assert "reserved" in (parse_entities("Done.", "MarkdownV2")[1] or "")
    spec = BotApiSpec.load()
    # 4096 visible characters plus markup is fine: the limit applies after entities parsing.
    text = "<b>" + "a" * 4096 + "</b>"
    assert spec.validate("sendMessage", {"chat_id": "1", "text": text, "parse_mode": "HTML"}) == []
    assert spec.validate("sendMessage", {"chat_id": "1", "text": " "})  # empty once trimmed


# -- python-telegram-bot against the fake ------------------------------------------------------


async def test_bot_sends_edits_and_gets_not_modified(api: FakeBotApi, bot: telegram.Bot) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456
    sent = await bot.send_message(
        42, "<b>Morning</b> stretch?", parse_mode="HTML", reply_markup=keyboard(("Done", "done:1"))
    )
    assert sent.text == "Morning stretch?"
    assert sent.reply_markup == keyboard(("Done", "done:1"))

    edited = await bot.edit_message_text("Well done", chat_id=42, message_id=sent.message_id)
    assert isinstance(edited, telegram.Message) and edited.text == "Well done"
    assert edited.reply_markup is None  # Telegram drops the keyboard when none is passed
    with pytest.raises(telegram.error.BadRequest, match="Message is not modified"):
        await bot.edit_message_text("Well done", chat_id=42, message_id=sent.message_id)
    with pytest.raises(telegram.error.BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=42, message_id=999)
    assert api.calls_to("editMessageText")[1].description == NOT_MODIFIED

    [message] = api.chat_messages(42)
    assert (message.text, message.edit_count, message.reply_markup) == ("Well done", 1, None)
    assert message.history == [
        ("Morning stretch?", {"inline_keyboard": [[{"text": "Done", "callback_data": "done:1"}]]})
    ]
    await bot.edit_message_reply_markup(42, sent.message_id, reply_markup=keyboard(("Undo", "u")))
    with pytest.raises(telegram.error.BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(
            42, sent.message_id, reply_markup=keyboard(("Undo", "u"))
        )
    assert await bot.delete_message(42, sent.message_id)
    assert api.chat_messages(42) == []


async def test_callback_query_is_answered_once(api: FakeBotApi, bot: telegram.Bot) -> None:
    ann = api.user(7, "Ann")
    sent = await bot.send_message(7, "Ready?", reply_markup=keyboard(("Yes", "ready:yes")))
    query_id = await ann.press(sent.message_id, "ready:yes")
    [update] = await bot.get_updates(timeout=0)
    assert update.callback_query is not None
    assert update.callback_query.data == "ready:yes"
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == sent.message_id
    assert api.unanswered_callback_queries() == [query_id]

    assert await bot.answer_callback_query(query_id, text="Noted")
    assert api.callback_answers[query_id]["text"] == "Noted"
    with pytest.raises(telegram.error.BadRequest, match=r"[Qq]uery is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(LookupError):
        await ann.press(sent.message_id, "ready:no")  # no such button on the message


async def test_photo_document_commands_and_descriptions(api: FakeBotApi, bot: telegram.Bot) -> None:
    photo = await bot.send_photo(42, PNG_1x1, caption="Week 1")
    assert photo.photo[-1].width == 1 and photo.caption == "Week 1"
    document = await bot.send_document(42, b"date,minutes\n", filename="log.csv", caption="Log")
    assert document.document is not None and document.document.file_name == "log.csv"
    downloaded = await (await bot.get_file(document.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"date,minutes\n"
    again = await bot.send_photo(42, photo.photo[-1].file_id)  # resend by file_id
    assert again.photo[-1].file_id == photo.photo[-1].file_id

    kinds = [(m.kind, m.caption, m.filename) for m in api.chat_messages(42)]
    assert kinds == [
        ("photo", "Week 1", None),
        ("document", "Log", "log.csv"),
        ("photo", None, None),
    ]
    assert api.chat_messages(42)[1].document == b"date,minutes\n"

    await bot.set_my_commands([BotCommand("start", "Begin"), BotCommand("pause", "Pause")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "pause"]
    await bot.set_my_description("Twice-daily knee-to-chest coaching.")
    await bot.set_my_short_description("Stretch coach")
    assert (await bot.get_my_description()).description.startswith("Twice-daily")
    assert (await bot.get_my_short_description()).short_description == "Stretch coach"
    assert await bot.send_chat_action(42, "typing")


async def test_injected_errors_surface_as_ptb_exceptions(
    api: FakeBotApi, bot: telegram.Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # read retry_after without a deprecation warning
    api.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(telegram.error.RetryAfter) as flood:
        await bot.send_message(42, "hi")
    assert flood.value.retry_after == dtm.timedelta(seconds=3)

    api.fail_next("sendmessage", status=403)
    with pytest.raises(telegram.error.Forbidden, match="blocked by the user"):
        await bot.send_message(42, "hi")
    api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    with pytest.raises(telegram.error.BadRequest, match="Chat not found"):
        await bot.send_message(42, "hi")
    api.fail_next("sendMessage", status=500)
    with pytest.raises(telegram.error.NetworkError):
        await bot.send_message(42, "hi")

    api.delay_next("sendMessage", seconds=0.5)
    with pytest.raises(telegram.error.TimedOut):
        await bot.send_message(42, "slow", read_timeout=0.1)
    # Like a slow Telegram, the fake still delivers a send the client gave up on.
    await api.wait_for_message(42, contains="slow", timeout=2)
    api.drop_next("getMe")
    with pytest.raises(telegram.error.NetworkError):
        await bot.get_me()

    api.block(42)
    with pytest.raises(telegram.error.Forbidden):
        await bot.send_message(42, "anyone there?")
    outcomes = [(c.outcome, c.status) for c in api.calls_to("sendMessage")]
    assert outcomes[:4] == [("error", 429), ("error", 403), ("error", 400), ("error", 500)]
    assert outcomes[-1] == ("error", 403)
    assert api.calls_to("getMe")[-1].outcome == "dropped"
    assert [m.text for m in api.chat_messages(42)] == ["slow"]  # no failed send created one


async def test_flood_limits_when_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    async with fake_bot_api(enforce_limits=True) as api:
        async with telegram.Bot(api.token, base_url=api.base_url) as bot:
            await bot.send_message(1, "one")
            with pytest.raises(telegram.error.RetryAfter):
                await bot.send_message(1, "two, too soon")
            await bot.send_message(2, "another chat is fine")
            for _ in range(20):
                await bot.send_message(-500, "group")
            with pytest.raises(telegram.error.RetryAfter):
                await bot.send_message(-500, "21st in a minute")
        assert api.limit_hits == 2
        assert [m.text for m in api.chat_messages(1)] == ["one"]
        assert len(api.chat_messages(-500)) == 20


async def test_long_polling_offsets_and_prompt_wakeup(api: FakeBotApi, bot: telegram.Bot) -> None:
    ann = api.user(5)
    await ann.send("hello")
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["hello"]
    assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet
    assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == ()

    async def send_later() -> None:
        await asyncio.sleep(0.1)
        await ann.send("/start now")

    started = time.monotonic()
    task = asyncio.create_task(send_later())
    [update] = await bot.get_updates(offset=first[-1].update_id + 1, timeout=5)
    await task
    assert time.monotonic() - started < 2
    assert update.message is not None and update.message.text == "/start now"
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/start")

    api.inject_update({"message_reaction": {"forged": True}})  # excluded by default
    assert api.filtered_updates and len(api.pending_updates()) == 1
    await ann.send("two")
    assert len(await bot.get_updates(timeout=0, limit=1)) == 1

    # A second poller ends the first one's long poll, as with two bot instances on Telegram.
    last = api.pending_updates()[-1]["update_id"]
    first_poll = asyncio.create_task(bot.get_updates(offset=last + 1, timeout=5))
    await api.wait_for(lambda: len(api.calls_to("getUpdates")) == 6)
    status, _ = await raw_call(
        api, "getUpdates", form={"offset": str(last + 1)}
    )  # PTB polls one at a time
    assert status == 200
    with pytest.raises(telegram.error.Conflict):
        await first_poll


async def test_updates_and_messages_match_the_spec(api: FakeBotApi, bot: telegram.Bot) -> None:
    spec = api.spec
    sent = await bot.send_message(9, "Check", reply_markup=keyboard(("A", "a")))
    await bot.send_document(9, b"x", filename="x.txt")
    await api.user(9).press(sent.message_id, "a")
    await api.group_user(3, -77).send("/report", reply_to_message_id=None)
    status, body = await raw_call(api, "getUpdates", form={"timeout": "0"})
    assert status == 200 and len(body["result"]) == 2
    for update in body["result"]:
        assert spec.validate_object("Update", update) == []
    status, body = await raw_call(
        api, "sendPhoto", form={"chat_id": "9", "photo": "https://x/y.png"}
    )
    assert status == 200 and spec.validate_object("Message", body["result"]) == []


async def test_application_polling_handles_command_and_button(api: FakeBotApi) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(
            update.effective_chat.id, "Welcome! Ready?", reply_markup=keyboard(("Yes", "go"))
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Let's go")
        await query.edit_message_text(f"Started ({query.data})")

    application = Application.builder().token(api.token).base_url(api.base_url).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(pressed))
    ann = api.user(42, "Ann")
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=1)
        await application.start()
        try:
            asked = await ann.send("/start")
            welcome = await api.wait_for_message(42, contains="Welcome", after=asked)
            await ann.press_button("Yes")
            await api.wait_for_message(42, contains="Started (go)")
            await api.wait_for_call("answerCallbackQuery", text="Let's go")
        finally:
            await application.updater.stop()
            await application.stop()
    assert welcome.edit_count == 1 and welcome.reply_markup is None
    assert api.unanswered_callback_queries() == []


async def test_group_reply_to_a_bot_message(api: FakeBotApi, bot: telegram.Bot) -> None:
    clinician = api.group_user(11, chat_id=-1001, first_name="Dr Lee")
    alert = await bot.send_message(-1001, "Ann reported pain 7/10")
    await clinician.send("Call her today", reply_to_message_id=alert.message_id)
    [update] = await bot.get_updates(timeout=0)
    message = update.message
    assert message is not None and message.chat.type == "group"
    assert message.reply_to_message is not None
    assert message.reply_to_message.text == "Ann reported pain 7/10"
    assert message.from_user is not None and message.from_user.first_name == "Dr Lee"


async def test_webhook_delivery_and_conflicts(api: FakeBotApi, bot: telegram.Bot) -> None:
    received: list[tuple[dict[str, Any], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/tg", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        with pytest.raises(telegram.error.BadRequest, match=r"(?i)https url"):
            await bot.set_webhook("http://coach.example/tg")
        assert await bot.set_webhook("https://coach.example/tg", secret_token="s3cret")
        with pytest.raises(telegram.error.Conflict):
            await bot.get_updates(timeout=0)
        assert (await bot.get_webhook_info()).url == "https://coach.example/tg"
        update = api.user(4).message_update("hi")
        status = await api.post_to_webhook(f"http://127.0.0.1:{port}/tg", update, "s3cret")
        assert status == 200
        assert received == [(update, "s3cret")]
        assert await bot.delete_webhook()
    finally:
        await runner.cleanup()


# -- validation catches what Telegram would reject ------------------------------------------


async def test_violations_are_recorded_and_answered_like_telegram(api: FakeBotApi) -> None:
    button = {"text": "Go", "callback_data": "x" * 65}
    markup = json.dumps({"inline_keyboard": [[button]]})
    status, body = await raw_call(
        api, "sendMessage", form={"chat_id": "1", "text": "a", "reply_markup": markup}
    )
    assert status == 400 and body["description"].startswith("Bad Request: ")
    status, _ = await raw_call(api, "sendMessage", body={"chat_id": 1, "text": "a" * 4097})
    assert status == 400
    status, _ = await raw_call(api, "sendMessage", form={"text": "no chat"})
    assert status == 400
    status, _ = await raw_call(
        api, "sendMessage", form={"chat_id": "1", "text": "ok", "colour": "red"}
    )
    assert status == 200  # Telegram ignores unknown parameters, but the fake reports them
    status, body = await raw_call(api, "sendTelepathy", form={"chat_id": "1"})
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})

    violations = api.take_violations()
    assert [v.method for v in violations] == [
        "sendMessage",
        "sendMessage",
        "sendMessage",
        "sendMessage",
        "sendTelepathy",
    ]
    text = [str(v) for v in violations]
    assert "callback_data: 65 bytes, must be 1-64 bytes" in text[0]
    assert "text: 4097 characters" in text[1]
    assert "chat_id: missing required parameter" in text[2]
    assert "colour: unknown parameter" in text[3] and not violations[3].rejected
    assert "unknown method" in text[4]
    assert [m.text for m in api.chat_messages(1)] == ["ok"]  # rejected sends created nothing
    assert_no_violations(api)


async def test_wrong_token_and_method_spelling(api: FakeBotApi) -> None:
    status, body = await raw_call(api, "getMe", token="999:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    status, _ = await raw_call(api, "SENDMESSAGE", body={"chat_id": 3, "text": "hi"})
    assert status == 200
    assert [c.method for c in api.calls] == ["sendMessage"]
    assert api.calls[0].params == {"chat_id": 3, "text": "hi"}


async def test_wait_helpers_time_out_with_context(api: FakeBotApi) -> None:
    with pytest.raises(WaitTimeout, match="no bot message in chat 1"):
        await api.wait_for_message(1, contains="never", timeout=0.1)
    with pytest.raises(WaitTimeout):
        await api.wait_for_call("sendPhoto", timeout=0.1)


async def test_fake_bot_api_fails_a_test_that_left_violations() -> None:
    with pytest.raises(AssertionError, match="sendTelepathy: unknown method"):
        async with fake_bot_api() as api:
            await raw_call(api, "sendTelepathy")
