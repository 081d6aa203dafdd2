"""``coach run`` as a real process: health and metrics over HTTP while it serves Telegram,
and a graceful exit on SIGTERM that gives its timer leases back."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from tests.fakes import FakeBotApi, assert_no_violations

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def test_coach_run_serves_health_and_metrics_and_stops_cleanly_on_sigterm(tmp_path):
    database = f"sqlite:///{tmp_path / 'coach.db'}"
    port = _free_port()
    async with FakeBotApi(token=TOKEN) as api:
        env = os.environ | {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "COACH_DATABASE_URL": database,
            "COACH_HTTP_LISTEN": f"127.0.0.1:{port}",
            "PYTHONPATH": str(ROOT),
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            await api.wait_for_call("getUpdates", timeout=20)
            user = api.user(77)
            await user.send("/start")
            await api.wait_for_message(user.chat_id, contains="Backstretch Coach", timeout=10)
            for _ in range(50):  # the dispatcher ticks once a second
                status, body = await _get(f"http://127.0.0.1:{port}/healthz")
                if status == 200:
                    break
                await asyncio.sleep(0.1)
            assert status == 200 and '"database": "ok"' in body
            status, metrics = await _get(f"http://127.0.0.1:{port}/metrics")
            assert status == 200
            assert 'coach_updates_handled_total{source="CommandIssued"} 1' in metrics
            assert 'coach_messages_sent_total{kind="message"} 1' in metrics
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(proc.wait(), timeout=10)
            assert time.monotonic() - started < 10
            assert proc.returncode == 0, (await proc.stderr.read()).decode()[-2000:]
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
        logs = (await proc.stderr.read()).decode()
        assert TOKEN not in logs and "/start" not in logs  # no token, no message text
        lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
        handled = [x for x in lines if x.get("event") == "CommandIssued"]
        assert handled and handled[0]["user_id"] == 1 and handled[0]["level"] == "info"
        calls = [x for x in lines if x.get("method") == "sendMessage"]
        assert calls and calls[0]["outcome"] == "sent" and calls[0]["chat_id"] == 77
        assert_no_violations(api)
