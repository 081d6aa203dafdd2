"""Alembic environment: the engine comes from the caller (``Store.upgrade``) or the URL."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import bot.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from bot.store import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///coach.db")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
