"""The pure coaching core: ``step(state, event, now, content) -> Transition``.

Nothing in this package touches Telegram, the database, the scheduler or the clock;
the shell in ``bot/`` turns the world into events and carries out the actions.
The entry point is ``dialogs.core.step`` (not re-exported here, so that importing one
module of the core does not import them all).
"""
