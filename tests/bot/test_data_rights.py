"""Progress pictures, the clinician report, export and deletion over real databases."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

from PIL import Image

from bot import charts
from bot.clock import ManualClock
from dialogs.events import ButtonPressed, CommandIssued, TextReceived
from dialogs.progress import History, PainPoint, SessionPoint, summarise
from tests.bot.helpers import wire

START = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


async def _user_with_history(store, clock, sessions=3):
    coach, dispatcher, rec = wire(store, clock)
    content = coach.content_for("en")
    user = store.get_or_create_user("console", "ann", "ann", "en", clock.now())
    await coach.handle(user, CommandIssued("start"))
    labels = [content.messages.onboarding.welcome_button, content.messages.onboarding.consent_yes]
    labels += [content.safety.answers.no] * len(content.safety.screens.onboarding)
    labels += [
        "Europe/London",
        "08:00",
        "20:00",
        "Lying on the floor",
        content.messages.onboarding.later,
    ]
    for label in labels:
        await coach.handle(user, ButtonPressed(rec.button(label)))
    for n in range(sessions):
        await coach.handle(user, CommandIssued("stretch"))
        await coach.handle(user, ButtonPressed(rec.button(str(5 - n % 3))))
        await coach.handle(user, ButtonPressed(rec.button(content.messages.session.ready)))
        for _ in range(60):
            clock.advance(10)
            await dispatcher.tick()
        for label in ("2", content.messages.checkin.feel_options.mild_pull, "3"):
            await coach.handle(user, ButtonPressed(rec.button(label)))
        clock.advance(12 * 3600)
    return user, coach, rec


def test_the_chart_is_a_png_with_every_point(content):
    joined = datetime(2026, 3, 2, tzinfo=UTC)
    pain = tuple(PainPoint(joined + timedelta(days=d), phase, p)
                 for d in range(6) for phase, p in (("before", 5), ("after", 3)))  # fmt: skip
    sessions = tuple(SessionPoint(joined + timedelta(days=d), "completed", 5) for d in range(6))
    report = summarise(
        History("Europe/London", joined, sessions, pain), joined + timedelta(days=6), content
    )
    chart = charts.pain_chart(report, content.messages.progress)
    image = Image.open(io.BytesIO(chart.png))
    assert image.format == "PNG" and image.size[0] > 500
    assert chart.points == 12


async def test_progress_sends_a_chart_with_the_numbers(sqlite_store):
    clock = ManualClock(START)
    user, coach, rec = await _user_with_history(sqlite_store, clock)
    await coach.handle(user, CommandIssued("progress"))
    (_, png, caption) = rec.photos[-1]
    assert Image.open(io.BytesIO(png)).format == "PNG"
    assert "Streak" in caption and "This week: 3 of 14" in caption


async def test_report_is_a_one_page_pdf(sqlite_store):
    clock = ManualClock(START)
    user, coach, rec = await _user_with_history(sqlite_store, clock, sessions=1)
    await coach.handle(user, CommandIssued("report"))
    (_, name, data) = rec.documents[-1]
    assert name.endswith(".pdf") and data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", data)) == 1  # exactly one page


async def test_export_round_trip_matches_the_database(store):
    clock = ManualClock(START)
    user, coach, rec = await _user_with_history(store, clock)
    await coach.handle(user, CommandIssued("export"))
    files = {name: data for _, name, data in rec.documents}
    exported = json.loads(files["backstretch-data.json"])
    assert exported["state"]["profile"]["morning"] == "08:00"
    stored = store.check_ins(user.id)
    assert [(c["phase"], c["pain"]) for c in exported["check_ins"]] == [
        (c.phase, c.pain) for c in stored
    ]
    assert len(exported["sessions"]) == 3 and exported["sessions"][0]["status"] == "completed"
    rows = list(csv.DictReader(io.StringIO(files["check-ins.csv"].decode())))
    assert [int(r["pain"]) for r in rows] == [c.pain for c in stored]


async def test_delete_leaves_nothing_that_names_the_user(store):
    clock = ManualClock(START)
    user, coach, rec = await _user_with_history(store, clock)
    await coach.handle(user, TextReceived("I have lost control of my bladder"))  # a referral
    other = store.get_or_create_user("console", "bob", "bob", "en", clock.now())
    await coach.handle(other, CommandIssued("start"))
    assert sum(store.rows_naming(user.id).values()) > 5
    await coach.handle(user, CommandIssued("delete"))
    await coach.handle(
        user, ButtonPressed(rec.button(coach.content_for("en").messages.data.delete_yes))
    )
    assert store.rows_naming(user.id) == dict.fromkeys(store.rows_naming(user.id), 0)
    (referral,) = [r for r in store.referrals() if r.tier == "emergency"]
    assert referral.user_id is None and referral.words == ""
    assert store.load_state(other.id)[0] is not None  # nobody else's data went with it
    assert "deleted" in rec.texts(user.id)[-1]
