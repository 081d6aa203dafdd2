"""``coach doctor``: check the configuration and say what to fix, one line per check."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlparse

from bot.config import Settings
from bot.store import Store

TOKEN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True  # a failed optional check is a note, not a problem


def run_checks(settings: Settings) -> list[Check]:
    checks: list[Check] = []
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else None
    if token is None:
        checks.append(
            Check(
                "telegram token", True, "not set: `coach` starts the console chat", required=False
            )
        )
    elif TOKEN.match(token):
        checks.append(Check("telegram token", True, "looks like a BotFather token"))
    else:
        checks.append(
            Check(
                "telegram token",
                False,
                "TELEGRAM_BOT_TOKEN is not in the form "
                "123456789:ABC... that @BotFather gives; copy it again",
            )
        )
    checks.extend(_database(settings))
    checks.extend(_webhook(settings))
    if settings.clinician_chat_id is None:
        checks.append(
            Check(
                "clinician chat",
                True,
                "not configured: referrals are stored and "
                "listed by `coach referrals`, not forwarded",
                required=False,
            )
        )
    elif not settings.clinician_ids.strip():
        checks.append(
            Check(
                "clinician chat",
                False,
                "COACH_CLINICIAN_CHAT_ID is set but "
                "COACH_CLINICIAN_IDS is empty: nobody could act on a referral",
            )
        )
    else:
        checks.append(
            Check("clinician chat", True, f"referrals go to {settings.clinician_chat_id}")
        )
    checks.append(_timezones(settings))
    try:
        from content.loader import load_all

        locales = load_all()
        checks.append(Check("content", True, "every locale loads"))
        # Optional per locale, but a locale without it has only the lexicon: say so.
        bare = sorted(name for name, c in locales.items() if c.triage_net is None)
        checks.append(
            Check(
                "free-text model",
                not bare,
                "every locale has one"
                if not bare
                else f"no triage_net.json for: {', '.join(bare)} (run coach triage-train)",
            )
        )
    except Exception as exc:
        checks.append(Check("content", False, str(exc)))
    return checks


def _database(settings: Settings) -> list[Check]:
    store = Store(settings.database_url)
    try:
        current, head = store.schema_status()
    except Exception as exc:
        return [
            Check(
                "database",
                False,
                f"cannot connect to COACH_DATABASE_URL "
                f"({type(exc).__name__}); check the URL and that the server runs",
            )
        ]
    finally:
        store.dispose()
    checks = [Check("database", True, f"reachable ({store.engine.dialect.name})")]
    if current == head:
        checks.append(Check("schema", True, f"current ({head})"))
    else:
        checks.append(
            Check(
                "schema", False, f"at {current or 'nothing'}, needs {head}: run `coach db upgrade`"
            )
        )
    return checks


def _webhook(settings: Settings) -> list[Check]:
    if not settings.webhook_url:
        return [Check("webhook", True, "not set: long polling", required=False)]
    problems = []
    url = urlparse(settings.webhook_url)
    if url.scheme != "https" or not url.netloc:
        problems.append("COACH_WEBHOOK_URL must be a public https:// URL")
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        problems.append("set COACH_WEBHOOK_SECRET so forged updates are refused")
    elif not SECRET.match(secret):
        problems.append("COACH_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and - (1-256)")
    _, _, port = settings.webhook_listen.rpartition(":")
    if not port.isdigit():
        problems.append("COACH_WEBHOOK_LISTEN must be host:port, e.g. 0.0.0.0:8443")
    if problems:
        return [Check("webhook", False, "; ".join(problems))]
    return [Check("webhook", True, f"{settings.webhook_url} -> {settings.webhook_listen}")]


def _timezones(settings: Settings) -> Check:
    zones = zoneinfo.available_timezones()
    if not zones:
        return Check("time zones", False, "no time zone data: install the tzdata package")
    if settings.timezone not in zones:
        return Check(
            "time zones",
            False,
            f"COACH_TIMEZONE={settings.timezone!r} is not an IANA zone name such as Europe/London",
        )
    return Check("time zones", True, f"{len(zones)} zones; default {settings.timezone}")


def report(checks: list[Check]) -> tuple[str, int]:
    lines = []
    failed = 0
    for check in checks:
        mark = "ok  " if check.ok else "FIX "
        failed += 0 if check.ok or not check.required else 1
        lines.append(f"{mark} {check.name}: {check.detail}")
    lines.append("all good" if not failed else f"{failed} thing(s) to fix")
    return "\n".join(lines), 1 if failed else 0
