"""The console transport end to end: a script drives onboarding, a session and a check-in
against a real SQLite file and the real scheduler, with time sped up."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.config import Settings
from bot.console import run_chat
from bot.store import Store

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """\
Sounds good
1
No
No
No
No
No
No
Europe/London
7:15
25:99
19:30
1
Start a session now
4
Ready
2
A mild pull
3
how long should I hold?
"""


def _settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'coach.db'}", timezone="Europe/London")


async def test_a_scripted_chat_goes_from_onboarding_to_a_stored_check_in(tmp_path):
    out = io.StringIO()
    settings = _settings(tmp_path)
    code = await run_chat(
        settings, user_name="ann", speed=200, stdin=io.StringIO(SCRIPT), stdout=out
    )
    assert code == 0
    text = out.getvalue()
    for expected in (
        "I'm Backstretch Coach",
        "safety check",
        "Time zone set to Europe/London",
        "isn't a time I can read",
        "Right knee, round 1 of 2",
        "s left",
        "Left knee, round 2 of 2",
        "Last part: both knees together",
        "Well done",
        "Saved. Thanks for checking in.",
        "20 to 30 seconds",
    ):
        assert expected in text, expected
    store = Store(settings.database_url)
    user = store.get_or_create_user("console", "ann", "ann", "en", None)  # type: ignore[arg-type]
    phases = [(c.phase, c.pain) for c in store.check_ins(user.id)]
    assert phases == [("before", 4), ("after", 2)]
    assert [s.status for s in store.sessions(user.id)] == ["completed"]
    store.dispose()


async def test_the_same_user_is_remembered_between_runs(tmp_path):
    settings = _settings(tmp_path)
    await run_chat(
        settings, user_name="ann", speed=200, stdin=io.StringIO(SCRIPT), stdout=io.StringIO()
    )
    out = io.StringIO()
    await run_chat(settings, user_name="ann", speed=200, stdin=io.StringIO("/help\n"), stdout=out)
    assert "Welcome back" in out.getvalue() and "/stretch" in out.getvalue()
    other = io.StringIO()
    await run_chat(settings, user_name="bob", speed=200, stdin=io.StringIO(""), stdout=other)
    assert "I'm Backstretch Coach" in other.getvalue()


async def test_a_red_flag_typed_mid_hold_stops_the_session(tmp_path):
    settings = _settings(tmp_path)
    await run_chat(
        settings,
        user_name="ann",
        speed=200,
        stdin=io.StringIO(SCRIPT.split("Start a session now")[0] + "Later\n"),
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    # at speed 1 the 20 s hold is still running when the next line is read
    script = "/stretch\n3\nReady\nI suddenly can't control my bladder\n"
    await run_chat(settings, user_name="ann", speed=1, stdin=_Interactive(script), stdout=out)
    text = out.getvalue()
    assert "Right knee, round 1 of 2" in text
    assert "emergency help now" in text
    assert "Left knee" not in text
    store = Store(settings.database_url)
    user = store.get_or_create_user("console", "ann", "ann", "en", None)  # type: ignore[arg-type]
    assert store.referrals(user.id)[0].tier == "emergency"
    assert store.pending_timers(user.id, ["session"]) == []
    store.dispose()


class _Interactive(io.StringIO):
    """Reads like a person at a terminal: no waiting for the hold to end between lines."""

    def isatty(self) -> bool:
        return True


def test_coach_chat_runs_as_a_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--speed", "500", "--user", "cli"],
        input="/help\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "I'm Backstretch Coach" in result.stdout
    assert (tmp_path / "coach.db").exists()
