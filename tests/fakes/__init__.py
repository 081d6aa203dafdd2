"""Test doubles for the outside world; :mod:`.bot_api` fakes the Telegram Bot API."""

from .api_spec import BotApiSpec, UploadedFile
from .bot_api import (
    Call,
    FakeBotApi,
    FakeUser,
    SentMessage,
    Violation,
    WaitTimeout,
    assert_no_violations,
    fake_bot_api,
)

__all__ = [
    "BotApiSpec",
    "Call",
    "FakeBotApi",
    "FakeUser",
    "SentMessage",
    "UploadedFile",
    "Violation",
    "WaitTimeout",
    "assert_no_violations",
    "fake_bot_api",
]
