"""The console transport: the whole coach in a terminal, with the same core as Telegram.

Buttons show as numbered choices; type the number or the words. Timed messages arrive on
their own while you wait. When stdin is not a terminal, one line is read per user turn: the
next line waits until the running hold or step has finished, so a script can drive a session.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.clock import ScaledClock
from bot.config import Settings
from bot.runtime import Coach
from bot.store import Store
from bot.tables import User
from bot.timers import Dispatcher
from content.loader import load_all
from dialogs.actions import Button, Edit, Send
from dialogs.events import ButtonPressed, CommandIssued, Event, TextReceived
from dialogs.turn import normalise

QUIT_WORDS = {"/quit", "/exit"}

log = logging.getLogger(__name__)


@dataclass
class ConsoleDelivery:
    out: TextIO
    files: Path = field(default_factory=lambda: Path("coach-files"))
    next_id: int = 1
    choices: list[Button] = field(default_factory=list)

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def send(self, user: User, message: Send) -> str | None:
        message_id = str(self.next_id)
        self.next_id += 1
        self._print("")
        self._print(_indent(message.text))
        buttons = [b for row in message.buttons for b in row]
        if buttons:
            self.choices = buttons
            self._print("   " + "   ".join(_choice(i, b.label) for i, b in enumerate(buttons, 1)))
        return message_id

    async def edit(self, user: User, message_id: str, edit: Edit) -> None:
        self._print(_indent(edit.text.splitlines()[-1]))

    async def answer(self, user: User, callback_id: str, notice: str) -> None:
        if notice:
            self._print(_indent(notice))

    async def send_photo(self, user: User, png: bytes, caption: str) -> None:
        path = self._save(user, "progress.png", png)
        self._print("")
        self._print(_indent(caption))
        self._print(_indent(f"[picture saved to {path}]"))

    async def send_document(self, user: User, filename: str, data: bytes, caption: str) -> None:
        path = self._save(user, filename, data)
        self._print("")
        if caption:
            self._print(_indent(caption))
        self._print(_indent(f"[file saved to {path}]"))

    def _save(self, user: User, filename: str, data: bytes) -> Path:
        folder = self.files / user.external_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / filename
        path.write_bytes(data)
        return path.resolve()

    def to_event(self, line: str) -> Event:
        """A typed line: a button's label or number, a /command, or free text."""
        text = line.strip()
        said = normalise(text)
        for button in self.choices:
            if said and said == normalise(button.label):
                return ButtonPressed(button.data)
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            return ButtonPressed(self.choices[int(text) - 1].data)
        if text.startswith("/") and len(text) > 1:
            name, _, args = text[1:].partition(" ")
            return CommandIssued(name.lower(), args)
        return TextReceived(line)


def _choice(number: int, label: str) -> str:
    """A numbered choice; a button whose label is a number is typed as that number."""
    return f"[{label}]" if label.isdigit() else f"[{number}] {label}"


def _indent(text: str) -> str:
    return "\n".join("  " + line if line else "" for line in text.splitlines())


async def run_chat(
    settings: Settings,
    *,
    user_name: str = "me",
    speed: float = 1.0,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    store = Store(settings.database_url)
    if settings.auto_migrate:
        await asyncio.to_thread(store.upgrade)
    else:
        store.require_current_schema()
    config = settings.coach_config(frozenset(zoneinfo.available_timezones()))
    contents = load_all(config=config)
    clock = ScaledClock(speed)
    delivery = ConsoleDelivery(stdout)
    coach = Coach(store, contents, clock, delivery)
    dispatcher = Dispatcher(store, coach, clock, worker_id=f"console:{user_name}")
    user = await asyncio.to_thread(
        store.get_or_create_user, "console", user_name, user_name, "en", clock.now()
    )
    assert user.id is not None
    scheduler = AsyncIOScheduler()
    scheduler.add_job(
        dispatcher.tick,
        "interval",
        seconds=max(0.02, min(1.0, 1.0 / speed)),
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    interactive = stdin.isatty()
    try:
        state = await coach.load_state(user.id)
        if state.profile.onboarded:
            await coach.handle(user, CommandIssued("start"))
        else:
            await coach.handle(user, CommandIssued("start", display_name=""))
        if interactive:
            stdout.write("\n(Type /quit to leave. Numbers pick a button.)\n")
        while True:
            if not interactive:
                await _wait_for_turn(store, dispatcher, user.id)
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            if line.strip() in QUIT_WORDS:
                break
            if not interactive:
                stdout.write(f"\n> {line.rstrip()}\n")
            try:
                await coach.handle(user, delivery.to_event(line.rstrip("\n")))
            except Exception:
                # A locked or full database, say: nothing half-written (one transaction per
                # turn), the error logged, the person asked to try again, the chat goes on.
                log.exception("handling a console line for user %s failed", user.id)
                stdout.write(
                    "\n"
                    + _indent(coach.content_for(user.locale).messages.common.something_wrong)
                    + "\n"
                )
        if not interactive:
            await _wait_for_turn(store, dispatcher, user.id)
    finally:
        scheduler.shutdown(wait=False)
        await dispatcher.release()
        store.dispose()
    return 0


async def _wait_for_turn(store: Store, dispatcher: Dispatcher, user_id: int) -> None:
    """Wait until no step of a session is running: the user's turn has come."""
    while await asyncio.to_thread(store.pending_timers, user_id, ["session"]):
        await asyncio.sleep(0.02)
        await dispatcher.tick()
