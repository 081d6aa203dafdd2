"""Operations: coach doctor on good and broken configurations, /healthz and /metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.clock import ManualClock
from bot.config import Settings
from bot.doctor import report, run_checks
from bot.health import health_app, serve
from dialogs.events import CommandIssued
from tests.bot.helpers import wire

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0"


def _doctor(**values) -> tuple[str, int]:
    return report(run_checks(Settings(**values)))


def test_doctor_on_a_good_configuration(sqlite_store):
    text, code = _doctor(
        database_url=sqlite_store.url,
        telegram_bot_token=GOOD_TOKEN,
        webhook_url="https://coach.example.org/tg",
        webhook_secret="s3cret_value",
        clinician_chat_id=-100123,
        clinician_ids="42",
    )
    assert code == 0, text
    assert "all good" in text and GOOD_TOKEN not in text
    assert "free-text model" in text and "every locale has one" in text


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"telegram_bot_token": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
        ({"webhook_url": "http://insecure.example.org"}, "https://"),
        ({"webhook_url": "https://ok.example.org"}, "COACH_WEBHOOK_SECRET"),
        ({"clinician_chat_id": -100123}, "COACH_CLINICIAN_IDS"),
        ({"timezone": "UTC+2"}, "IANA"),
        ({"database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}, "cannot connect"),
    ],
)
def test_doctor_says_what_to_fix(sqlite_store, values, expected):
    text, code = _doctor(**({"database_url": sqlite_store.url} | values))
    assert code == 1
    assert expected in text


def test_doctor_notices_a_schema_behind(tmp_path):
    text, code = _doctor(database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 1 and "coach db upgrade" in text


async def test_healthz_and_metrics_over_http(sqlite_store, unused_tcp_port):
    clock = ManualClock(START)
    coach, dispatcher, _ = wire(sqlite_store, clock)
    user = sqlite_store.get_or_create_user("console", "ann", "ann", "en", START)
    await coach.handle(user, CommandIssued("start"))
    runner = await serve(
        health_app(sqlite_store, dispatcher, coach.metrics, clock), f"127.0.0.1:{unused_tcp_port}"
    )
    base = f"http://127.0.0.1:{unused_tcp_port}"
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/healthz") as r:  # never ticked yet
                assert r.status == 503 and (await r.json())["dispatcher"] == "stalled"
            await dispatcher.tick()
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 200 and (await r.json())["database"] == "ok"
            clock.advance(60)
            async with http.get(f"{base}/healthz") as r:
                assert r.status == 503
            async with http.get(f"{base}/metrics") as r:
                text = await r.text()
    finally:
        await runner.cleanup()
    assert 'coach_updates_handled_total{source="CommandIssued"} 1' in text
    assert 'coach_messages_sent_total{kind="message"}' in text
    assert 'coach_open_referrals{tier="emergency"} 0' in text
    assert "# TYPE coach_dispatcher_lag_seconds gauge" in text
    assert "coach_dispatcher_last_tick_age_seconds 60" in text


async def test_shutdown_releases_leases_so_another_worker_starts_at_once(sqlite_store):
    from dialogs.actions import StartTimer

    clock = ManualClock(START)
    user = sqlite_store.get_or_create_user("console", "ann", "ann", "en", START)
    sqlite_store.commit_turn(user.id, 0, "{}", [StartTimer("session", START, "1.1")], START)
    _, first, _ = wire(sqlite_store, clock, worker="first")
    sqlite_store.claim_due(START, "first", 10, timedelta(minutes=5))  # in flight at SIGTERM
    assert await first.release() == 1
    assert len(sqlite_store.claim_due(START, "second", 10, timedelta(minutes=5))) == 1


def test_logs_are_json_lines_off_a_terminal_with_the_extra_fields():
    import io
    import json
    import logging

    from bot.logs import configure

    stream = io.StringIO()
    configure("INFO", stream)
    logging.getLogger("bot.test").info("update handled", extra={"user_id": 7, "update_id": 12})
    logging.getLogger("httpx").info("POST https://api.telegram.org/bot123:SECRET/sendMessage")
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines == [lines[0]] and lines[0]["user_id"] == 7 and lines[0]["update_id"] == 12
    assert lines[0]["level"] == "info" and lines[0]["message"] == "update handled"
    assert "SECRET" not in stream.getvalue()


@pytest.mark.postgres
def test_coach_run_refuses_a_postgres_database_whose_schema_is_behind(
    postgres_url, monkeypatch, capsys
):
    from bot.cli import main

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", GOOD_TOKEN)
    monkeypatch.setenv("COACH_DATABASE_URL", postgres_url)  # a fresh, empty database
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "coach db upgrade" in err and GOOD_TOKEN not in err
