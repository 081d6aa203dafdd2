"""The free-text model's weights (``triage_net.json``), checked as a whole when loaded.

Written by ``coach triage-train`` (``bot/triage_train.py``); read by ``dialogs/triage_net.py``.
A file that is missing a part, has vectors of the wrong length, names an unknown flag or sets
a threshold outside (0, 1) stops start-up with the file and the problem named.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.errors import ContentError, read_content
from content.model import Tier
from content.triage import FLAG_IDS

__all__ = ["FORMAT", "LEVELS", "Head", "TriageNet", "load_triage_net", "parse_triage_net"]

#: "at least this tier", in rising order; every file has one head for each.
LEVELS: tuple[Tier, ...] = ("routine", "urgent", "emergency")
FORMAT = 1


@dataclass(frozen=True)
class Head:
    """One logistic regression over the shared features."""

    bias: float
    weights: tuple[float, ...]


@dataclass(frozen=True)
class TriageNet:
    vocabulary: dict[str, int]  # "w:<word gram>" or "c:<character gram>" -> index
    idf: tuple[float, ...]
    heads: dict[str, Head]  # the LEVELS, then flag ids
    thresholds: dict[str, float]  # per level: ask at or above this probability
    min_words: int  # shorter messages are left to the lexicon ("morning off", "half past 7")
    upgrade: float  # every level's threshold when the lexicon already found a lower tier
    #: the best flag for the suspected tier must score at least this, or nothing is asked: a
    #: level with no flag behind it is a hunch the coach cannot put a question to
    flag_floor: float
    trained_on: dict[str, Any] = field(default_factory=dict)  # provenance, for the record

    @property
    def flag_heads(self) -> tuple[str, ...]:
        return tuple(name for name in self.heads if name not in LEVELS)

    def __repr__(self) -> str:
        return f"TriageNet(features={len(self.idf)}, heads={len(self.heads)})"


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{where}: expected a finite number")
    return float(value)


def parse_triage_net(data: object) -> TriageNet:
    """Check and build; any problem raises ValueError saying where."""
    if not isinstance(data, Mapping):
        raise ValueError("expected a JSON object at the top level")
    if data.get("format") != FORMAT:
        raise ValueError(f"'format' must be {FORMAT}")
    grams = data.get("features")
    if not isinstance(grams, list) or not grams or not all(isinstance(g, str) for g in grams):
        raise ValueError("'features' must be a non-empty list of strings")
    for gram in grams:
        if gram[:2] not in ("w:", "c:"):
            raise ValueError(f"feature '{gram}' must start with 'w:' or 'c:'")
    vocabulary = {gram: i for i, gram in enumerate(grams)}
    if len(vocabulary) != len(grams):
        raise ValueError("'features' lists a feature twice")
    size = len(grams)
    raw_idf = data.get("idf")
    if not isinstance(raw_idf, list) or len(raw_idf) != size:
        raise ValueError(f"'idf' must be a list of {size} numbers, one per feature")
    idf = tuple(_number(v, f"idf[{i}]") for i, v in enumerate(raw_idf))
    raw_heads = data.get("heads")
    if not isinstance(raw_heads, Mapping):
        raise ValueError("'heads' must be an object")
    heads: dict[str, Head] = {}
    for name, head in raw_heads.items():
        if name not in LEVELS and name not in FLAG_IDS:
            raise ValueError(f"heads.{name}: not a level ({', '.join(LEVELS)}) or a flag id")
        if not isinstance(head, Mapping):
            raise ValueError(f"heads.{name}: expected an object with 'bias' and 'weights'")
        weights = head.get("weights")
        if not isinstance(weights, list) or len(weights) != size:
            raise ValueError(f"heads.{name}.weights: expected {size} numbers")
        heads[name] = Head(
            bias=_number(head.get("bias"), f"heads.{name}.bias"),
            weights=tuple(_number(w, f"heads.{name}.weights[{i}]") for i, w in enumerate(weights)),
        )
    missing = [level for level in LEVELS if level not in heads]
    if missing:
        raise ValueError(f"'heads' is missing the level(s): {', '.join(missing)}")
    raw_thresholds = data.get("thresholds")
    if not isinstance(raw_thresholds, Mapping) or set(raw_thresholds) != set(LEVELS):
        raise ValueError(f"'thresholds' must give exactly: {', '.join(LEVELS)}")
    thresholds = {k: _number(v, f"thresholds.{k}") for k, v in raw_thresholds.items()}
    for level, value in thresholds.items():
        if not 0.0 < value < 1.0:
            raise ValueError(f"thresholds.{level}: must be between 0 and 1")
    min_words = data.get("min_words")
    if isinstance(min_words, bool) or not isinstance(min_words, int) or min_words < 1:
        raise ValueError("'min_words' must be a whole number of at least 1")
    upgrade = _number(data.get("upgrade"), "upgrade")
    if not 0.0 < upgrade < 1.0:
        raise ValueError("upgrade: must be between 0 and 1")
    flag_floor = _number(data.get("flag_floor"), "flag_floor")
    if not 0.0 <= flag_floor < 1.0:
        raise ValueError("flag_floor: must be at least 0 and below 1")
    trained_on = data.get("trained_on", {})
    if not isinstance(trained_on, Mapping):
        raise ValueError("'trained_on' must be an object")
    return TriageNet(
        vocabulary=vocabulary,
        idf=idf,
        heads=heads,
        thresholds=thresholds,
        min_words=min_words,
        upgrade=upgrade,
        flag_floor=flag_floor,
        trained_on=dict(trained_on),
    )


def load_triage_net(path: Path) -> TriageNet:
    """Read and check a model file; any problem raises ContentError naming the file."""
    text = read_content(path)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ContentError(f"{path}: not valid JSON (line {exc.lineno}): {exc.msg}") from None
    try:
        return parse_triage_net(data)
    except ValueError as exc:
        raise ContentError(f"{path}: {exc}") from None
