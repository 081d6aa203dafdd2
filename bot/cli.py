"""``coach``: the command line. With no subcommand it runs Telegram when a token is set,
the console chat otherwise."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence

from bot.config import Settings
from bot.logs import configure as configure_logging
from bot.tables import Referral


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="Backstretch Coach")
    sub = parser.add_subparsers(dest="command")
    chat = sub.add_parser("chat", help="chat with the coach in this terminal")
    chat.add_argument("--user", default="me", help="which stored user you are (default: me)")
    chat.add_argument(
        "--speed", type=float, default=1.0, help="divide every wait by N, for demos and tests"
    )
    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    triage = sub.add_parser("triage", help="classify messages from stdin, one JSON line each")
    triage.add_argument(
        "--lexicon-only", action="store_true", help="leave the model out (the lexicon alone)"
    )
    train = sub.add_parser(
        "triage-train", help="fit the free-text model to the labelled sets in tests/triage"
    )
    train.add_argument(
        "--cv", action="store_true", help="hold out each blind batch in turn and print recall"
    )
    refs = sub.add_parser("referrals", help="list warning-sign referrals (open ones by default)")
    refs.add_argument("--all", action="store_true", help="every referral, whatever its status")
    sub.add_parser("doctor", help="check the configuration and say what to fix")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply the database migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    command = args.command
    if command is None:
        command = "run" if settings.telegram_bot_token else "chat"
        args = _parser().parse_args([command])
    if command == "chat":
        from bot.console import run_chat

        if settings.log_level.upper() == "INFO":
            logging.getLogger().setLevel(logging.WARNING)  # keep the chat readable
            logging.getLogger("apscheduler").setLevel(logging.ERROR)
        return asyncio.run(run_chat(settings, user_name=args.user, speed=args.speed))
    if command == "run":
        from bot.telegram_app import run_telegram

        return run_telegram(settings)
    if command == "triage":
        from bot.triage_cli import run_triage
        from content.loader import CONTENT_DIR, optional_net
        from content.triage import load_triage_lexicon

        folder = CONTENT_DIR / "en"
        lexicon = load_triage_lexicon(folder / "triage.yaml")
        net = None if args.lexicon_only else optional_net(folder / "triage_net.json")
        run_triage(sys.stdin, sys.stdout, lexicon, net)
        return 0
    if command == "triage-train":
        from bot.triage_train import main as train_main

        return train_main(sys.stdout, cv=args.cv)
    if command == "doctor":
        from bot.doctor import report, run_checks

        text, code = report(run_checks(settings))
        print(text)
        return code
    if command == "referrals":
        from bot.store import OPEN_STATUSES, Store

        store = Store(settings.database_url)
        store.require_current_schema()
        print(format_referrals(store.referrals(status=None if args.all else OPEN_STATUSES)))
        return 0
    if command == "db":
        from bot.store import Store

        store = Store(settings.database_url)
        store.upgrade()
        current, _ = store.schema_status()
        print(f"database schema at revision {current}")
        return 0
    return 2


def format_referrals(referrals: Sequence[Referral]) -> str:
    """One line per referral: id, when, tier, status, user and flags (never the user's words)."""
    if not referrals:
        return "no referrals"
    lines = []
    for r in referrals:
        flags = ", ".join(json.loads(r.flags))
        user = r.user_id if r.user_id is not None else "(deleted)"
        when = r.created_at.strftime("%Y-%m-%d %H:%M UTC")
        lines.append(f"#{r.id}  {when}  {r.tier:<9}  {r.status:<12}  user {user}  {flags}")
    return "\n".join(lines)
