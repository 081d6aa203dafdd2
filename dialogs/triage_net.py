"""The third net: a small statistical model that asks about wording the lexicon never foresaw.

The lexicon (``triage_text.py``) reads negation, whose symptom it is and how long ago, but it
only knows the words someone wrote into it; on wording it has never seen it misses one
emergency in twenty. This model was trained on every labelled message in ``tests/triage`` and
scores a message for "a red flag of at least this tier" (routine, urgent, emergency) and for
each flag. It never raises a flag by itself: when it is confident and the lexicon found
nothing at that tier, the coach asks the matching yes/no screen question ("suspected"), and the
user's answer decides.

Pure and deterministic: the features are word unigrams and bigrams and the character 3- to
5-grams of each word, weighted by TF-IDF and scaled to unit length per kind, scored by
logistic regression. The weights are data (``content/<locale>/triage_net.json``, written by
``coach triage-train``); this module only reads them.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from typing import Literal

from content.model import Tier
from content.triage_net import LEVELS, TriageNet

__all__ = ["features", "grams_of", "net_scores", "suspected_level", "tokens"]

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_WORD = re.compile(r"[^\W_]+")
_REPEAT3 = re.compile(r"([^\W\d_])\1{2,}")
_CHAR_SIZES = (3, 4, 5)
MAX_CHARS = 4096


def tokens(text: str) -> list[str]:
    """Words as the model sees them: NFKC, case-folded, apostrophes dropped, 'sooo' -> 'soo'."""
    folded = unicodedata.normalize("NFKC", text[:MAX_CHARS]).casefold()
    folded = _REPEAT3.sub(r"\1\1", _APOSTROPHES.sub("", folded))
    return _WORD.findall(folded)


def grams_of(words: list[str]) -> tuple[Counter[str], Counter[str]]:
    """The word grams (single words and pairs) and the character grams of each word."""
    word_grams: Counter[str] = Counter(words)
    word_grams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    char_grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        for size in _CHAR_SIZES:
            if len(padded) < size:
                continue
            char_grams.update(padded[i : i + size] for i in range(len(padded) - size + 1))
    return word_grams, char_grams


def features(text: str, vocabulary: dict[str, int], idf: tuple[float, ...]) -> dict[int, float]:
    """The message as a sparse vector: {feature index: weight}. Unknown grams are left out.

    Each kind (word grams, character grams) is scaled to unit length on its own, so a long
    message of many short words does not drown its word grams.
    """
    vector: dict[int, float] = {}
    for prefix, grams in zip("wc", grams_of(tokens(text)), strict=True):
        part: dict[int, float] = {}
        for gram, count in grams.items():
            index = vocabulary.get(f"{prefix}:{gram}")
            if index is not None:
                part[index] = (1.0 + math.log(count)) * idf[index]
        norm = math.sqrt(sum(v * v for v in part.values()))
        if norm > 0:
            vector.update((i, v / norm) for i, v in part.items())
    return vector


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def net_scores(text: str, net: TriageNet) -> dict[str, float]:
    """Probabilities for each level ("routine", "urgent", "emergency": at least that tier)
    and for each flag the model knows, by name."""
    vector = features(text, net.vocabulary, net.idf)
    return {
        name: _sigmoid(head.bias + sum(head.weights[i] * v for i, v in vector.items()))
        for name, head in net.heads.items()
    }


def suspected_level(
    scores: dict[str, float], net: TriageNet, words: int | None = None, *, upgrade: bool = False
) -> Tier | Literal["none"]:
    """The highest tier whose every level up to it clears its threshold, or "none".

    ``words``, the message's length in words when known: shorter than ``net.min_words`` is
    always "none". ``upgrade``: the lexicon already found something, so every level needs
    ``net.upgrade``.

    A level counts only when the levels below it count too (an emergency is also "some red
    flag"), which keeps one strong word ("both") from asking about an emergency alone.
    """
    level: Tier | Literal["none"] = "none"
    if words is not None and words < net.min_words:
        return level
    for name in LEVELS:
        if scores[name] < (net.upgrade if upgrade else net.thresholds[name]):
            break
        level = name
    return level
