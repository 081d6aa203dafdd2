"""The deployment files parse and refer to real entry points, ports and settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from bot.cli import _parser
from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _dockerfile() -> dict[str, list[str]]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    instructions: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            instructions.setdefault(word.upper(), []).append(rest.strip())
    return instructions


def _is_coach_command(argv: list[str]) -> bool:
    assert argv[0] in ("coach", "/opt/backstretch-coach/.venv/bin/coach"), argv
    _parser().parse_args(argv[1:])  # raises SystemExit on an unknown subcommand
    return True


def test_dockerfile_runs_the_locked_app_as_a_non_root_user_with_a_health_check():
    d = _dockerfile()
    assert d["FROM"][0].startswith("python:3.11-slim")
    assert any("requirements.lock" in r for r in d["RUN"])
    assert d["USER"] == ["coach"]
    assert _is_coach_command(json.loads(d["CMD"][0]))
    (health,) = d["HEALTHCHECK"]
    assert "/healthz" in health and ":8080/" in health
    assert "COACH_HTTP_LISTEN=0.0.0.0:8080" in " ".join(d["ENV"])
    for source in ("bot", "dialogs", "content"):
        assert any(c.startswith(source) for c in d["COPY"])


def test_compose_runs_migrations_then_the_bot_against_postgres():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert db["image"].startswith("postgres")
    assert "pgdata" in compose["volumes"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    command = bot["command"][-1]
    steps = [s.strip().removeprefix("exec ").split() for s in command.split("&&")]
    assert [s[:3] for s in steps] == [["coach", "db", "upgrade"], ["coach", "run"]]
    assert all(_is_coach_command(s) for s in steps)
    assert bot["environment"]["COACH_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).exists()


def test_example_env_names_only_real_settings():
    known = {f.validation_alias.choices[0] for f in Settings.model_fields.values()}  # type: ignore[union-attr]
    names = set(re.findall(r"^#?\s*([A-Z_]+)=", (DEPLOY / ".env.example").read_text(), re.M))
    assert names - {"POSTGRES_PASSWORD"} <= known, names - known


def test_systemd_unit_restarts_on_failure_and_runs_real_commands():
    unit = (DEPLOY / "backstretch-coach.service").read_text()
    values = dict(re.findall(r"^(\w+)=(.*)$", unit, re.M))
    assert values["Restart"] == "on-failure"
    assert _is_coach_command(values["ExecStart"].split())
    assert _is_coach_command(values["ExecStartPre"].split())


def test_every_content_file_is_packaged_for_a_non_editable_install():
    """The image installs with ``pip install .``: a content file that no package-data glob
    names would be missing there (the free-text model silently, since it is optional)."""
    import fnmatch
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["content"]
    folder = ROOT / "content"
    data = [p for p in folder.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert any(p.name == "triage_net.json" for p in data)
    for path in data:
        rel = path.relative_to(folder).as_posix()
        assert any(
            fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(rel, g.removeprefix("**/")) for g in globs
        ), rel
