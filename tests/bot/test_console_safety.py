"""Every red-flag tier through the console transport, with the real runtime and database."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import ManualClock
from tests.bot.test_console_reminders import Console

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def test_emergency_urgent_and_routine_through_the_console(sqlite_store):
    c = Console(sqlite_store, ManualClock(START))
    await c.onboard()
    shown = await c.type("i've wet myself without noticing twice since yesterday")
    assert "Please get emergency help now" in shown and "999" in shown
    assert "paused until a clinician" in await c.type("/stretch")
    await c.type("A clinician says I can carry on")
    assert "back on" in await c.type("Yes, I've been cleared")
    (first,) = sqlite_store.referrals(c.user.id)
    assert first.status == "patient_cleared"  # closed: the clinic stops being asked about it
    assert [e.status for e in sqlite_store.referral_events(first.id)][-1] == "patient_cleared"

    shown = await c.type("I've had a fever and chills with this back pain since Sunday")
    assert "within a day" in shown
    assert "paused until a clinician" in await c.type("/stretch")
    await c.type("A clinician says I can carry on")
    await c.type("Yes, I've been cleared")

    shown = await c.type("it's no better after six weeks of stretching, getting worse really")
    assert "Worth booking an appointment" in shown
    assert "Sit towards the front of a sturdy chair" not in shown
    await c.type("/stretch")
    assert "Sit towards the front of a sturdy chair" in await c.type("3")  # the gentlest version
    tiers = [r.tier for r in sqlite_store.referrals(c.user.id)]
    assert tiers == ["emergency", "urgent", "routine"]


async def test_wording_only_the_model_catches_gets_a_question_then_the_advice(sqlite_store):
    """Through the console with the shipped model: the lexicon alone would say nothing here."""
    c = Console(sqlite_store, ManualClock(START))
    await c.onboard()
    shown = await c.type("cannot pea since yesterday evening and my back is on fire")
    assert "Before we go on, I want to be sure" in shown
    assert sqlite_store.referrals(c.user.id) == []  # nothing raised before the answer
    shown = await c.type("Yes")
    assert "Please get emergency help now" in shown
    (referral,) = sqlite_store.referrals(c.user.id)
    assert referral.tier == "emergency" and "bladder_bowel" in referral.flags
