"""``coach triage``: classify messages from a stream, one JSON object per input line.

Used to audit the free-text scanner on a file of messages (and by evaluators) without
Telegram. The tier reported is the one the bot acts on: a confirming yes/no question
counts at the tier it asks about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from content.triage import TriageLexicon
from content.triage_net import TriageNet
from dialogs.triage_text import scan_text

__all__ = ["run_triage"]


def run_triage(
    lines: Iterable[str], out: TextIO, lexicon: TriageLexicon, net: TriageNet | None = None
) -> None:
    """Write ``{"tier": ..., "flags": [...]}`` for every line, blank lines included, in order."""
    for line in lines:
        scan = scan_text(line.rstrip("\r\n"), lexicon, net)
        out.write(json.dumps({"tier": scan.acted_tier, "flags": list(scan.flags)}) + "\n")
    out.flush()
