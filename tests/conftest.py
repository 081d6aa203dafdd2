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
