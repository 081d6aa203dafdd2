"""A recording transport and a wired-up coach over a real database, for shell tests."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field

from bot.clock import ManualClock
from bot.runtime import Coach
from bot.store import Store
from bot.tables import User
from bot.timers import Dispatcher
from content.loader import load_all
from content.model import CoachConfig
from dialogs.actions import Edit, Send

ZONES = frozenset(zoneinfo.available_timezones())


@dataclass
class Recorder:
    """Delivers into lists, as a transport of equal rank would into a chat."""

    sent: list[tuple[int, Send]] = field(default_factory=list)
    edits: list[tuple[int, Edit]] = field(default_factory=list)
    answers: list[tuple[str, str]] = field(default_factory=list)
    photos: list[tuple[int, bytes, str]] = field(default_factory=list)
    documents: list[tuple[int, str, bytes]] = field(default_factory=list)

    async def send(self, user: User, message: Send) -> str | None:
        self.sent.append((user.id or 0, message))
        return str(len(self.sent))

    async def edit(self, user: User, message_id: str, edit: Edit) -> None:
        self.edits.append((user.id or 0, edit))

    async def answer(self, user: User, callback_id: str, notice: str) -> None:
        self.answers.append((callback_id, notice))

    async def send_photo(self, user: User, png: bytes, caption: str) -> None:
        self.photos.append((user.id or 0, png, caption))

    async def send_document(self, user: User, filename: str, data: bytes, caption: str) -> None:
        self.documents.append((user.id or 0, filename, data))

    def texts(self, user_id: int | None = None) -> list[str]:
        return [m.text for uid, m in self.sent if user_id is None or uid == user_id]

    def button(self, label: str) -> str:
        for _, message in reversed(self.sent):
            for row in message.buttons:
                for b in row:
                    if b.label == label:
                        return b.data
        raise AssertionError(f"no button {label!r}")


def wire(
    store: Store, clock: ManualClock, worker: str = "w1"
) -> tuple[Coach, Dispatcher, Recorder]:
    contents = load_all(config=CoachConfig(known_timezones=ZONES))
    recorder = Recorder()
    coach = Coach(store, contents, clock, recorder)
    return coach, Dispatcher(store, coach, clock, worker_id=worker), recorder
