"""Pictures: the pain chart (PNG) and the one-page clinician report (PDF), drawn with
matplotlib's Agg backend so no display is needed.

matplotlib (with numpy and Pillow) is imported by the function that draws, not with this
module: it costs most of a second and about 50 MB of memory, and only ``/progress`` and the
clinician report need it. The first chart pays the import, once per process.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from content.model import ProgressText
from dialogs.progress import ProgressReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes


@dataclass(frozen=True)
class Chart:
    png: bytes
    points: int  # pain points drawn (before + after), for tests and logs


def _draw(ax: Axes, report: ProgressReport, text: ProgressText) -> int:
    import matplotlib.dates as mdates

    for day in report.session_days:
        x = mdates.date2num(day)  # type: ignore[no-untyped-call]
        ax.axvline(x, color="#d9e8d9", linewidth=6, zorder=0)
    if report.session_days:
        ax.plot([], [], color="#d9e8d9", linewidth=6, label=text.chart_sessions)
    if report.before:
        days, pain = zip(*report.before, strict=True)
        ax.plot(days, pain, "o--", color="#c0392b", label=text.chart_before)
    if report.after:
        days, pain = zip(*report.after, strict=True)
        ax.plot(days, pain, "o-", color="#2471a3", label=text.chart_after)
    ax.set_ylim(-0.5, 10.5)
    ax.set_yticks(range(0, 11, 2))
    ax.set_title(text.chart_title)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    ax.grid(axis="y", alpha=0.3)
    if report.before or report.after or report.session_days:
        ax.legend(loc="upper right", fontsize="small")
    return len(report.before) + len(report.after)


def pain_chart(report: ProgressReport, text: ProgressText) -> Chart:
    from matplotlib.figure import Figure  # a bare Figure draws with Agg; no pyplot, no display

    fig = Figure(figsize=(7, 3.6), dpi=110)
    ax = fig.add_subplot()
    points = _draw(ax, report, text)
    fig.autofmt_xdate()
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return Chart(buffer.getvalue(), points)


def clinician_report(report: ProgressReport, text: ProgressText, flags: str) -> bytes:
    """One A4 page: the figures a clinician wants first, then the pain chart."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 11.69), dpi=100)
    fig.text(0.08, 0.95, text.report_title, fontsize=16, weight="bold")
    lines = text.report_lines.format(
        done=report.week_sessions,
        goal=report.week_goal,
        days=report.streak,
        now="-" if report.pain_this_week is None else f"{report.pain_this_week:g}/10",
        first="-" if report.pain_first_week is None else f"{report.pain_first_week:g}/10",
        flags=flags,
    )
    fig.text(0.08, 0.90, lines, fontsize=11, va="top", linespacing=1.6)
    ax = fig.add_axes((0.1, 0.45, 0.82, 0.3))
    _draw(ax, report, text)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="pdf")
    return buffer.getvalue()
