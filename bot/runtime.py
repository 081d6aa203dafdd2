"""The runtime: applies one user's events one at a time and carries out the core's actions.

Per user, events are serialised by an in-process lock and, across processes, by the version
number on the state row (a conflicting commit reloads and steps again). Storage actions are
committed with the new state before any message goes out, so nothing stored is lost when
sending fails.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from pydantic import ValidationError

from bot.clock import Clock
from bot.store import Store, TurnResult
from bot.tables import User
from content.loader import DEFAULT_LOCALE, Content
from dialogs.actions import AnswerButton, Edit, OpenReferral, Send
from dialogs.core import step
from dialogs.events import Event
from dialogs.state import State

log = logging.getLogger(__name__)

MAX_CONFLICT_RETRIES = 8


class Delivery(Protocol):
    """What a transport must do. Telegram and the console implement it with equal rank."""

    async def send(self, user: User, message: Send) -> str | None:
        """Send; return the transport's message id (None when it could not be sent)."""
        ...

    async def edit(self, user: User, message_id: str, edit: Edit) -> None: ...

    async def answer(self, user: User, callback_id: str, notice: str) -> None: ...


class ReferralSink(Protocol):
    async def referral_opened(
        self, user: User, referral_id: int, referral: OpenReferral
    ) -> None: ...


@dataclass(frozen=True)
class Handled:
    state: State
    sent: int


class Coach:
    def __init__(
        self,
        store: Store,
        contents: Mapping[str, Content],
        clock: Clock,
        delivery: Delivery,
        referrals: ReferralSink | None = None,
    ) -> None:
        self.store = store
        self.contents = contents
        self.clock = clock
        self.delivery = delivery
        self.referrals = referrals
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def content_for(self, locale: str | None) -> Content:
        if locale:
            short = locale.split("-")[0].lower()
            if short in self.contents:
                return self.contents[short]
        return self.contents[DEFAULT_LOCALE]

    def _lock(self, user_id: int) -> asyncio.Lock:
        lock = self._locks.get(user_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[user_id] = lock
        return lock

    async def load_state(self, user_id: int) -> State:
        raw, _ = await asyncio.to_thread(self.store.load_state, user_id)
        return _parse_state(raw, user_id)

    async def handle(self, user: User, event: Event, callback_id: str | None = None) -> Handled:
        """Apply one event for one user: step the core, commit, then deliver."""
        assert user.id is not None
        async with self._lock(user.id):
            content = self.content_for(user.locale)
            for _attempt in range(MAX_CONFLICT_RETRIES):
                raw, version = await asyncio.to_thread(self.store.load_state, user.id)
                state = _parse_state(raw, user.id)
                now = self.clock.now()
                transition = step(state, event, now, content)
                result = await asyncio.to_thread(
                    self.store.commit_turn,
                    user.id,
                    version,
                    transition.state.to_json(),
                    transition.actions,
                    now,
                )
                if result.committed:
                    break
                log.info("state conflict for user %s, stepping again", user.id)
            else:
                raise RuntimeError(f"user {user.id}: state kept changing under us")
            sent = await self._deliver(user, transition.actions, callback_id, result)
            return Handled(transition.state, sent)

    async def send_one(self, user: User, message: Send, outbox_id: int | None = None) -> None:
        """Send one message; a durable one leaves the outbox only once it is delivered.

        ``Delivery.send`` returns None when the message can never be delivered (the user
        blocked the bot): that too ends its life in the outbox. A transient failure raises,
        and the outbox row stays for the dispatcher to send again.
        """
        assert user.id is not None
        message_id = await self.delivery.send(user, message)
        if outbox_id is not None:
            await asyncio.to_thread(self.store.delivered, outbox_id)
        if message.ref and message_id is not None:
            await asyncio.to_thread(self.store.set_message_ref, user.id, message.ref, message_id)

    async def _deliver(
        self,
        user: User,
        actions: tuple[object, ...],
        callback_id: str | None,
        result: TurnResult,
    ) -> int:
        assert user.id is not None
        sent = 0
        answered = False
        referrals = iter(result.referral_ids)
        outbox = iter(result.outbox_ids)
        for action in actions:
            if isinstance(action, Send):
                await self.send_one(user, action, next(outbox, None))
                sent += 1
            elif isinstance(action, Edit):
                message_id = await asyncio.to_thread(
                    self.store.get_message_ref, user.id, action.ref
                )
                if message_id is not None:
                    await self.delivery.edit(user, message_id, action)
            elif isinstance(action, AnswerButton) and callback_id is not None:
                await self.delivery.answer(user, callback_id, action.notice)
                answered = True
            elif isinstance(action, OpenReferral):
                referral_id = next(referrals, None)
                if self.referrals is not None and referral_id is not None:
                    await self.referrals.referral_opened(user, referral_id, action)
        if callback_id is not None and not answered:
            await self.delivery.answer(user, callback_id, "")
        return sent


def _parse_state(raw: str | None, user_id: int) -> State:
    if raw is None:
        return State()
    try:
        return State.from_json(raw)
    except ValidationError:
        # A state we cannot read must not lock the user out; their stored records are kept.
        log.error("unreadable dialog state for user %s; starting a fresh dialog", user_id)
        return State()
