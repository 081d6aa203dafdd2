"""The shell: transports, storage, durable timers, CLI. No coaching decisions live here."""
