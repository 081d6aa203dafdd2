"""Reminders through the console transport: typed lines, the real runtime and database,
and a clock the test moves (so a day passes in a moment)."""

from __future__ import annotations

import io
import zoneinfo
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.console import ConsoleDelivery
from bot.runtime import Coach
from bot.timers import Dispatcher
from content.loader import load_all
from content.model import CoachConfig
from dialogs.events import CommandIssued

MONDAY = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 06:00 in London


class Console:
    def __init__(self, store, clock: ManualClock) -> None:
        self.out = io.StringIO()
        self.delivery = ConsoleDelivery(self.out)
        contents = load_all(
            config=CoachConfig(known_timezones=frozenset(zoneinfo.available_timezones()))
        )
        self.coach = Coach(store, contents, clock, self.delivery)
        self.dispatcher = Dispatcher(store, self.coach, clock, worker_id="console")
        self.clock = clock
        self.store = store
        self.user = store.get_or_create_user("console", "ann", "ann", "en", clock.now())
        self.seen = 0

    async def type(self, line: str) -> str:
        await self.coach.handle(self.user, self.delivery.to_event(line))
        return self.new()

    async def wait(self, seconds: float, step: float = 60) -> str:
        end = self.clock.now() + timedelta(seconds=seconds)
        while self.clock.now() < end:
            self.clock.advance(min(step, (end - self.clock.now()).total_seconds()))
            await self.dispatcher.tick()
        return self.new()

    def new(self) -> str:
        text = self.out.getvalue()
        fresh, self.seen = text[self.seen :], len(text)
        return fresh

    def outcomes(self) -> list[str]:
        return [r.outcome for r in self.store.reminder_log(self.user.id)]

    async def onboard(
        self, zone: str = "Europe/London", morning: str = "8:00", evening: str = "20:00"
    ):
        await self.coach.handle(self.user, CommandIssued("start"))
        for line in ["Sounds good", "1", *["No"] * 6, zone, morning, evening, "1", "Later"]:
            await self.type(line)
        self.new()


async def test_snooze_skip_and_another_time_today(sqlite_store):
    c = Console(sqlite_store, ManualClock(MONDAY))
    await c.onboard()
    shown = await c.wait(2 * 3600)
    assert "morning knee-to-chest stretch" in shown and "[2] In 10 min" in shown
    assert "08:45" in await c.type("45m")
    assert "morning knee-to-chest stretch" in await c.wait(45 * 60)
    assert "20:00" in await c.type("Skip this one")
    assert c.outcomes() == ["sent", "snoozed", "skipped"]
    await c.wait(12 * 3600)  # the evening one
    await c.type("Another time today")
    assert "10:15 has already passed" not in await c.type("21:15")
    assert "evening knee-to-chest stretch" in await c.wait(30 * 60)


async def test_pause_for_three_days_then_one_message_when_it_ends(sqlite_store):
    c = Console(sqlite_store, ManualClock(MONDAY))
    await c.onboard()
    await c.type("/pause")
    assert "Reminders paused until" in await c.type("3 days")
    shown = await c.wait(3 * 24 * 3600 + 120, step=600)
    assert "knee-to-chest stretch. It takes" not in shown
    assert shown.count("Your pause is over") == 1
    assert "paused" in c.outcomes() and "sent" not in c.outcomes()
    assert "aren't paused" in await c.type("/resume")  # the pause already ended by itself
    assert "morning knee-to-chest stretch" in await c.wait(24 * 3600, step=600)


async def test_quiet_hours_move_the_nudge_and_timezone_travel(sqlite_store):
    c = Console(sqlite_store, ManualClock(MONDAY))
    await c.onboard(morning="21:30", evening="off")
    await c.wait(15 * 3600 + 30 * 60)  # 21:30: the reminder, unanswered
    nudge = "Still time for this morning's stretch"
    assert nudge not in await c.wait(9 * 3600, step=300)  # 23:00 is quiet: not in the night
    assert nudge in await c.wait(35 * 60, step=60)  # ...but at 07:00, when quiet hours end
    await c.type("/settings")
    await c.type("Time zone")
    assert "Asia/Tokyo" in await c.type("Tokyo")
    (morning,) = [t for t in sqlite_store.pending_timers(c.user.id, ["reminder:morning"])]
    assert morning.due_at.hour == 12 and morning.due_at.minute == 30  # 21:30 Tokyo


async def test_dst_spring_forward_and_fall_back_through_the_console(sqlite_store):
    c = Console(sqlite_store, ManualClock(datetime(2026, 3, 7, 12, 0, tzinfo=UTC)))
    await c.onboard(zone="America/New_York", morning="2:30", evening="off")
    await c.wait(3 * 24 * 3600, step=1800)
    sent = [r.due_at for r in sqlite_store.reminder_log(c.user.id) if r.outcome == "sent"]
    assert datetime(2026, 3, 8, 7, 0, tzinfo=UTC) in sent  # 02:30 doesn't exist: 03:00 EDT
    assert len(sent) == 3  # one per day
    c.clock.set(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    await c.type("/start")  # back after a while: reminders are booked from now
    await c.type("/settings")
    await c.type("Reminder times")
    await c.type("1:30")
    await c.type("No reminder")
    await c.type("Done")
    await c.wait(2 * 24 * 3600, step=1800)
    nov1 = [
        r.due_at
        for r in sqlite_store.reminder_log(c.user.id)
        if r.outcome == "sent" and r.due_at.date() == datetime(2026, 11, 1).date()
    ]
    assert nov1 == [datetime(2026, 11, 1, 5, 30, tzinfo=UTC)]  # 01:30 happens twice: once
