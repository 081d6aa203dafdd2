"""Load and check a locale's content files.

A bad file stops start-up with the file and the key named: a missing key, an unknown key,
a wrong type, an unknown ``{placeholder}``, or a screen that names a question that isn't there.
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, InstanceOf, ValidationError

from content.errors import ContentError
from content.model import CoachConfig, Faq, Messages, Programme, Safety
from content.triage import TriageLexicon, load_triage_lexicon
from content.triage_net import TriageNet, load_triage_net
from content.yamlio import load_yaml

CONTENT_DIR = Path(__file__).resolve().parent
DEFAULT_LOCALE = "en"

#: Every placeholder a template may use. A typo such as ``{secnods}`` fails at load.
PLACEHOLDERS = frozenset(
    {
        "name",
        "emergency_number",
        "clinic_name",
        "timezone",
        "text",
        "morning",
        "evening",
        "variation",
        "reps",
        "seconds",
        "reason",
        "minutes",
        "cautions",
        "left",
        "side",
        "side_title",
        "rep",
        "choices",
        "summary",
        "min",
        "max",
        "titles",
        "reported",
        "gentlest",
        "question",
        "time",
        "usual",
        "slot",
        "date",
        "quiet",
        "days",
        "done",
        "goal",
        "now",
        "first",
        "what",
        "flags",
        # the clinician chat (messages.yaml, clinic:)
        "patient",
        "number",
        "referral",
        "tier",
        "source",
        "words",
        "details",
        "pain",
        "sessions",
        "total",
        "last",
        "count",
        "clinician",
    }
)

#: Flag ids the safety screen may raise (the free-text scanner uses the same ids).
KNOWN_FLAGS = frozenset(
    {
        "bladder_bowel",
        "saddle_numbness",
        "leg_weakness",
        "leg_numbness_tingling",
        "radiating_below_knee",
        "trauma",
        "fever_unwell",
        "cancer_history",
        "weight_loss",
        "night_pain",
        "worsening_pain",
        "sharp_pain_during",
    }
)

M = TypeVar("M", bound=BaseModel)


class Content(BaseModel):
    """One locale's content, plus the operator's configuration the core needs."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    locale: str
    messages: Messages
    programme: Programme
    safety: Safety
    faq: Faq
    # Built and checked by ``load_triage_lexicon``. ``InstanceOf`` only checks the type: as a
    # plain field, pydantic would run the lexicon's after-validator again (compiling every
    # pattern a second time at start-up).
    triage: InstanceOf[TriageLexicon]
    # The free-text model (``triage_net.json``), when the locale has one: written by
    # ``coach triage-train``, checked by ``load_triage_net``.
    triage_net: InstanceOf[TriageNet] | None = None
    config: CoachConfig

    def __repr__(self) -> str:
        return f"Content(locale={self.locale!r})"


def optional_net(path: Path) -> TriageNet | None:
    """A locale may ship without a model (the lexicon then works alone); a model file that is
    there but broken stops start-up like any other content file."""
    return load_triage_net(path) if path.exists() else None


def available_locales(base: Path = CONTENT_DIR) -> list[str]:
    """Locales are the folders of ``content/`` that hold a ``messages.yaml``."""
    return sorted(p.parent.name for p in base.glob("*/messages.yaml"))


def load_locale(
    locale: str = DEFAULT_LOCALE, *, config: CoachConfig | None = None, base: Path = CONTENT_DIR
) -> Content:
    folder = base / locale
    content = Content(
        locale=locale,
        messages=_load_model(folder / "messages.yaml", Messages),
        programme=_load_model(folder / "programme.yaml", Programme),
        safety=_load_model(folder / "safety.yaml", Safety),
        faq=_load_model(folder / "faq.yaml", Faq),
        triage=load_triage_lexicon(folder / "triage.yaml"),
        triage_net=optional_net(folder / "triage_net.json"),
        config=config or CoachConfig(),
    )
    _check_cross_references(folder, content)
    return content


def load_all(*, config: CoachConfig | None = None, base: Path = CONTENT_DIR) -> dict[str, Content]:
    """Every locale, each checked; English must exist because it is the fallback."""
    locales = available_locales(base)
    if DEFAULT_LOCALE not in locales:
        raise ContentError(f"{base}: no '{DEFAULT_LOCALE}/messages.yaml'; English is the fallback")
    return {loc: load_locale(loc, config=config, base=base) for loc in locales}


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{path}: file is missing") from None
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: not valid YAML: {exc}") from None


def _load_model(path: Path, model: type[M]) -> M:
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected a mapping at the top level")
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"key '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise ContentError(f"{path}: {problems}") from None
    for key, text in _strings(data):
        _check_placeholders(path, key, text)
    return parsed


def _strings(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield prefix, node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield from _strings(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{prefix}[{i}]")


def _check_placeholders(path: Path, key: str, text: str) -> None:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise ContentError(f"{path}: key '{key}': broken placeholder: {exc}") from None
    for field in fields:
        if field not in PLACEHOLDERS:
            raise ContentError(f"{path}: key '{key}': unknown placeholder '{{{field}}}'")


def _check_cross_references(folder: Path, content: Content) -> None:
    safety_file = folder / "safety.yaml"
    questions = content.safety.questions
    for qid, question in questions.items():
        for flag in question.flags:
            if flag not in KNOWN_FLAGS:
                raise ContentError(f"{safety_file}: key 'questions.{qid}.flags': unknown '{flag}'")
        for child in question.expand:
            if child not in questions:
                raise ContentError(
                    f"{safety_file}: key 'questions.{qid}.expand': no question '{child}'"
                )
        if not question.flags and not question.expand:
            raise ContentError(f"{safety_file}: key 'questions.{qid}': needs flags or expand")
    for flag in content.messages.clinic.flags:
        if flag not in KNOWN_FLAGS:
            raise ContentError(f"{folder / 'messages.yaml'}: key 'clinic.flags': unknown '{flag}'")
    for screen, ids in content.safety.screens.model_dump().items():
        for qid in ids:
            if qid not in questions:
                raise ContentError(f"{safety_file}: key 'screens.{screen}': no question '{qid}'")
    t = content.programme.timings
    if not (t.hold_min_seconds <= t.default_hold_seconds <= t.hold_max_seconds):
        raise ContentError(f"{folder / 'programme.yaml'}: key 'timings': hold range is inverted")
    if not (t.reps_min <= t.default_reps <= t.reps_max):
        raise ContentError(f"{folder / 'programme.yaml'}: key 'timings': reps range is inverted")
