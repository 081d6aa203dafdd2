"""Reminders are never lost and never doubled: restarts, crashes between commit and send,
and several workers claiming from one PostgreSQL database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col

from bot.clock import ManualClock
from bot.store import Store
from bot.tables import DialogState, Timer, User
from bot.timers import Dispatcher
from dialogs.reminders import _token
from dialogs.schedule import next_occurrence
from dialogs.state import Profile, State
from tests.bot.helpers import Recorder, wire

START = datetime(2026, 3, 2, 7, 59, tzinfo=UTC)  # a minute before 08:00 London
DUE = next_occurrence(time(8, 0), "Europe/London", START)


def _seed(store: Store, count: int) -> list[int]:
    """``count`` onboarded users, each with a morning reminder due at 08:00 (bulk inserts)."""
    state = State(
        profile=Profile(
            onboarded=True,
            consent_store=True,
            timezone="Europe/London",
            morning="08:00",
            evening=None,
        )
    ).to_json()
    token = _token("morning", DUE, "08:00", "Europe/London")
    names = [f"u{n}" for n in range(count)]
    with Session(store.engine) as s, s.begin():
        s.execute(
            sa.insert(User),
            [
                dict(
                    transport="console",
                    external_id=n,
                    chat_id=n,
                    locale="en",
                    active=True,
                    created_at=START,
                )
                for n in names
            ],
        )
        ids = list(s.scalars(sa.select(User.id).where(col(User.external_id).in_(names))))
        s.execute(
            sa.insert(DialogState),
            [dict(user_id=i, version=1, data=state, updated_at=START) for i in ids],
        )
        s.execute(
            sa.insert(Timer),
            [dict(user_id=i, kind="reminder:morning", token=token, due_at=DUE) for i in ids],
        )
    return ids


def _reminders_per_user(*recorders: Recorder) -> Counter[int]:
    counts: Counter[int] = Counter()
    for rec in recorders:
        for uid, message in rec.sent:
            if "morning knee-to-chest" in message.text:
                counts[uid] += 1
    return counts


async def test_a_dispatcher_stopped_mid_batch_loses_nothing(sqlite_store):
    clock = ManualClock(DUE)
    users = _seed(sqlite_store, 60)
    # worker 1 claims a batch and dies before handling any of it
    sqlite_store.claim_due(clock.now(), "dead", 25, timedelta(seconds=60))
    _, dispatcher, rec = wire(sqlite_store, clock, worker="w2")
    await dispatcher.tick()
    assert len(_reminders_per_user(rec)) == 35  # the dead worker's rows wait for their lease
    clock.advance(61)  # still within the 30-minute grace
    await dispatcher.tick()
    counts = _reminders_per_user(rec)
    assert set(counts) == set(users) and set(counts.values()) == {1}
    # and tomorrow's is booked for everyone
    assert all(sqlite_store.pending_timers(u, ["reminder:morning"]) for u in users)


class _SlowRecorder(Recorder):
    """Each send takes a moment, as one paced by the flood limit does: 50 ms, so the 8 turns
    still in hand when the dispatcher claims again take 0.1 s, far longer than the delete and
    the claim (a few ms, more on a loaded machine: at 2 ms a send this test was flaky)."""

    async def send(self, user, message):
        await asyncio.sleep(0.05)
        return await super().send(user, message)


async def test_the_next_batch_is_claimed_before_the_current_one_has_drained(sqlite_store):
    clock = ManualClock(DUE)
    users = _seed(sqlite_store, 60)
    coach, _, _ = wire(sqlite_store, clock)
    coach.delivery = slow = _SlowRecorder()
    dispatcher = Dispatcher(sqlite_store, coach, clock, worker_id="w1", batch_size=20,
                            concurrency=4)  # fmt: skip
    claim_due = sqlite_store.claim_due
    claimed: list[int] = []
    sent_at_claim: list[int] = []

    def claim(*args):
        sent_at_claim.append(len(slow.sent))
        rows = claim_due(*args)
        claimed.append(len(rows))
        return rows

    sqlite_store.claim_due = claim  # type: ignore[method-assign]
    assert await dispatcher.tick() == 60
    assert claimed == [20, 20, 20, 0]
    # Each further batch came while the one before still had turns to deliver: the sends
    # never wait for a claim.
    assert sent_at_claim[1] < 20 and sent_at_claim[2] < 40
    counts = _reminders_per_user(slow)
    assert set(counts) == set(users) and set(counts.values()) == {1}
    assert all(sqlite_store.pending_timers(u, ["reminder:morning"]) for u in users)


class _FlakyRecorder(Recorder):
    """Fails the first send it sees, as a network error after the turn was committed would."""

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    async def send(self, user, message):
        if not self.failed:
            self.failed = True
            raise ConnectionError("network down")
        return await super().send(user, message)


async def test_a_reminder_whose_send_failed_after_commit_is_sent_again(sqlite_store):
    clock = ManualClock(DUE)
    (user,) = _seed(sqlite_store, 1)
    coach, dispatcher, _ = wire(sqlite_store, clock)
    flaky = _FlakyRecorder()
    coach.delivery = flaky
    await dispatcher.tick()
    assert flaky.sent == []
    clock.advance(31)
    await dispatcher.tick()
    assert _reminders_per_user(flaky) == {user: 1}
    clock.advance(60)
    await dispatcher.tick()
    assert _reminders_per_user(flaky) == {user: 1}  # delivered: out of the outbox for good
    log = sqlite_store.reminder_log(user)
    assert [(r.slot, r.outcome) for r in log] == [("morning", "sent")]


async def test_after_long_downtime_reminders_are_recorded_as_missed(sqlite_store):
    users = _seed(sqlite_store, 5)
    clock = ManualClock(DUE + timedelta(hours=2))
    _, dispatcher, rec = wire(sqlite_store, clock)
    await dispatcher.tick()
    assert _reminders_per_user(rec) == {}
    assert {r.outcome for u in users for r in sqlite_store.reminder_log(u)} == {"missed"}


@pytest.mark.postgres
async def test_two_workers_deliver_2000_reminders_exactly_once_even_when_one_dies(postgres_url):
    seed_store = Store(postgres_url)
    seed_store.upgrade()
    users = _seed(seed_store, 2000)
    clock = ManualClock(DUE)
    store_a, store_b = Store(postgres_url), Store(postgres_url)
    lease = timedelta(seconds=30)
    _, worker_a, rec_a = wire(store_a, clock, worker="a")
    _, worker_b, rec_b = wire(store_b, clock, worker="b")
    for w in (worker_a, worker_b):
        w.batch_size, w.lease = 250, lease
    # worker "c" claims a batch and is killed before handling it
    dead = store_a.claim_due(clock.now(), "c", 250, lease)
    assert len(dead) == 250
    await asyncio.gather(worker_a.tick(), worker_b.tick())
    counts = _reminders_per_user(rec_a, rec_b)
    assert len(counts) == 1750 and set(counts.values()) == {1}
    assert len(_reminders_per_user(rec_a)) > 0 and len(_reminders_per_user(rec_b)) > 0
    clock.advance(31)  # the dead worker's lease has run out
    await asyncio.gather(worker_a.tick(), worker_b.tick())
    counts = _reminders_per_user(rec_a, rec_b)
    assert set(counts) == set(users) and set(counts.values()) == {1}
    for store in (seed_store, store_a, store_b):
        store.dispose()
