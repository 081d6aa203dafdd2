"""Answering common questions from the FAQ content by keyword."""

from __future__ import annotations

import re

from content.model import Faq, FaqEntry
from dialogs.turn import normalise

__all__ = ["match"]


def match(text: str, faq: Faq) -> FaqEntry | None:
    """The entry whose keywords best cover the text; multi-word keywords weigh more."""
    said = f" {normalise(text)} "
    best: FaqEntry | None = None
    best_score = 0
    for entry in faq.entries.values():
        score = sum(
            len(keyword.split())
            for keyword in entry.keywords
            if re.search(rf"(?<![a-z]){re.escape(keyword)}(?![a-z])", said)
        )
        if score > best_score:
            best, best_score = entry, score
    return best
