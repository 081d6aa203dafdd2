"""A small Prometheus text-format registry: counters and gauges with labels.

Kept in-process and passed explicitly (the runtime, the dispatcher and the transport each get
the one ``Metrics``); ``/metrics`` renders it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

Labels = tuple[tuple[str, str], ...]

HELP = {
    "coach_updates_handled_total": ("counter", "Events applied to a user's dialog, by source."),
    "coach_messages_sent_total": ("counter", "Outbound Bot API calls that succeeded, by kind."),
    "coach_reminders_total": ("counter", "Reminder occurrences, by outcome (sent, missed...)."),
    "coach_bot_api_errors_total": ("counter", "Bot API calls that failed, by error code."),
    "coach_dispatcher_lag_seconds": ("gauge", "How late the oldest timer of the last tick was."),
    "coach_dispatcher_last_tick_age_seconds": ("gauge", "Seconds since the dispatcher ticked."),
    "coach_open_referrals": ("gauge", "Referrals not yet closed, by tier."),
}


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, dict[Labels, float]] = defaultdict(dict)
        self._collectors: list[Callable[[Metrics], None]] = []

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        with self._lock:
            series = self._values[name]
            series[key] = series.get(key, 0.0) + amount

    def set(self, name: str, value: float, **labels: str) -> None:
        with self._lock:
            self._values[name][tuple(sorted(labels.items()))] = value

    def value(self, name: str, **labels: str) -> float:
        with self._lock:
            return self._values.get(name, {}).get(tuple(sorted(labels.items())), 0.0)

    def on_scrape(self, collector: Callable[[Metrics], None]) -> None:
        """Register a function that refreshes gauges just before rendering."""
        self._collectors.append(collector)

    def render(self) -> str:
        for collect in self._collectors:
            collect(self)
        lines: list[str] = []
        with self._lock:
            for name in sorted(set(HELP) | set(self._values)):
                kind, text = HELP.get(name, ("untyped", ""))
                lines.append(f"# HELP {name} {text}")
                lines.append(f"# TYPE {name} {kind}")
                for labels, value in sorted(self._values.get(name, {}).items()):
                    rendered = ",".join(f'{k}="{_escape(v)}"' for k, v in labels)
                    suffix = f"{{{rendered}}}" if rendered else ""
                    lines.append(f"{name}{suffix} {value:g}")
        return "\n".join(lines) + "\n"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
