"""Settings from the environment and an optional ``.env`` file (pydantic-settings)."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from content.model import CoachConfig


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """Every knob, with the environment variable that sets it. See the README's table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    telegram_bot_token: SecretStr | None = Field(None, validation_alias=_env("TELEGRAM_BOT_TOKEN"))
    telegram_api_base_url: str | None = Field(None, validation_alias=_env("TELEGRAM_API_BASE_URL"))
    database_url: str = Field("sqlite:///coach.db", validation_alias=_env("COACH_DATABASE_URL"))
    timezone: str = Field("Europe/London", validation_alias=_env("COACH_TIMEZONE"))
    emergency_number: str = Field("999", validation_alias=_env("COACH_EMERGENCY_NUMBER"))
    clinic_name: str = Field(
        "your GP or physiotherapist", validation_alias=_env("COACH_CLINIC_NAME")
    )
    clinician_chat_id: int | None = Field(None, validation_alias=_env("COACH_CLINICIAN_CHAT_ID"))
    clinician_ids: str = Field("", validation_alias=_env("COACH_CLINICIAN_IDS"))
    referral_repost_minutes: int = Field(
        15, ge=1, le=24 * 60, validation_alias=_env("COACH_REFERRAL_REPOST_MINUTES")
    )
    webhook_url: str | None = Field(None, validation_alias=_env("COACH_WEBHOOK_URL"))
    webhook_listen: str = Field("0.0.0.0:8443", validation_alias=_env("COACH_WEBHOOK_LISTEN"))
    webhook_secret: SecretStr | None = Field(None, validation_alias=_env("COACH_WEBHOOK_SECRET"))
    http_listen: str | None = Field(None, validation_alias=_env("COACH_HTTP_LISTEN"))
    global_rate: float = Field(30.0, validation_alias=_env("COACH_GLOBAL_RATE"))
    reminder_grace_minutes: int = Field(
        30, ge=1, le=24 * 60, validation_alias=_env("COACH_REMINDER_GRACE_MINUTES")
    )
    nudge_after_minutes: int = Field(
        90, ge=5, le=12 * 60, validation_alias=_env("COACH_NUDGE_AFTER_MINUTES")
    )
    auto_migrate: bool = Field(True, validation_alias=_env("COACH_AUTO_MIGRATE"))
    log_level: str = Field("INFO", validation_alias=_env("COACH_LOG_LEVEL"))

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def coach_config(self, known_timezones: frozenset[str]) -> CoachConfig:
        return CoachConfig(
            emergency_number=self.emergency_number,
            clinic_name=self.clinic_name,
            clinician_chat_enabled=self.clinician_chat_id is not None,
            default_timezone=self.timezone,
            known_timezones=known_timezones,
            reminder_grace_minutes=self.reminder_grace_minutes,
            nudge_after_minutes=self.nudge_after_minutes,
        )
