"""Shared fixtures. Content is loaded once: loading it is what start-up does, and it must pass."""

from __future__ import annotations

import zoneinfo

import pytest

from content.loader import Content, load_locale
from content.model import CoachConfig

ZONES = frozenset(zoneinfo.available_timezones())


@pytest.fixture(scope="session")
def content() -> Content:
    return load_locale("en", config=CoachConfig(known_timezones=ZONES))


@pytest.fixture(scope="session")
def clinic_content() -> Content:
    """Content as a clinic with a clinician chat configures it."""
    config = CoachConfig(
        known_timezones=ZONES,
        clinician_chat_enabled=True,
        clinic_name="Riverside Physio",
        emergency_number="112",
    )
    return load_locale("en", config=config)


# --- the official Bot API description the fake server validates against ----------------------

from tests.fakes.api_spec import default_spec_path  # noqa: E402

#: Folders whose tests talk to the fake Bot API server, which needs the official description.
NEEDS_BOT_API_SPEC = ("e2e", "fakes", "fault", "fuzz")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``../shared/telegram-bot-api/api.json`` (a clone on its own), skip the tests
    that need it, saying so. CI sets COACH_REQUIRE_BOT_API_SPEC=1: there a missing file fails."""
    import os

    spec = default_spec_path()
    if spec.exists() or os.environ.get("COACH_REQUIRE_BOT_API_SPEC") == "1":
        return
    reason = (
        f"the Bot API description is not at {spec}: put the shared/ folder beside the "
        "repository or set COACH_BOT_API_SPEC"
    )
    for item in items:
        parts = item.path.parts
        if "tests" in parts and parts[parts.index("tests") + 1] in NEEDS_BOT_API_SPEC:
            item.add_marker(pytest.mark.skip(reason=reason))
