"""The free-text red-flag lexicon: its typed model, its pattern language and its loader.

Everything language-specific (words, slang, misspellings, negation and other context cues,
idioms) lives in ``content/<locale>/triage.yaml``; this module only knows the shape of that
file and how to turn its small pattern language into regular expressions. A bad file fails at
load with the file and the key path named, so a typo in a word list can never reach a user.

Pattern language (also documented at the top of the English YAML). Text is matched after
normalisation: lower case, apostrophes dropped ("can't" -> "cant"), every run of punctuation,
emoji or spaces turned into one space. A pattern is a sequence of items separated by spaces:

``word``        that exact word
``word*``       any word starting with ``word`` (``numb*``: numb, numbness, numbing ...)
``@name``       any member of the class ``name`` (members are patterns themselves)
``<lo-hi>``     a whole number from lo to hi (``<38-43>``)
``(x y|z)``     one of the sequences inside
``[x y|z]``     optional: one of the sequences inside, or nothing
``...`` ``...N``  a gap of 0 to 3 (or N, at most 8) words that does not cross a gap-stop word
``$``           the end of the clause
``a b|c d``     ``|`` always separates whole sequences, at the top level as inside brackets:
                ``numb|tingly leg`` is "numb" or "tingly leg"; write ``(numb|tingly) leg``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from content.errors import ContentError, read_content
from content.yamlio import load_yaml

__all__ = [
    "FLAG_IDS",
    "Cues",
    "DecimalTag",
    "FlagSpec",
    "HypotheticalCues",
    "LateralTier",
    "Laterality",
    "LexiconTier",
    "Normalisation",
    "PatternCompiler",
    "PatternError",
    "ResolvedCues",
    "Rewrite",
    "ScoreRise",
    "Segmentation",
    "Sentinel",
    "SentinelSystem",
    "TermGroup",
    "TraumaSentinel",
    "TriageLexicon",
    "WindowCues",
    "load_triage_lexicon",
]

LexiconTier = Literal["emergency", "urgent", "routine"]

#: The flag ids the product defines; the lexicon must describe each one, and no other.
FLAG_IDS = frozenset(
    {
        "bladder_bowel", "saddle_numbness", "leg_weakness", "leg_numbness_tingling",
        "radiating_below_knee", "trauma", "fever_unwell", "cancer_history", "weight_loss",
        "night_pain", "worsening_pain", "sharp_pain_during",
    }
)  # fmt: skip

MAX_GAP = 8
MAX_RANGE = 500

Patterns = tuple[str, ...]
Window = Annotated[int, Field(ge=0, le=12)]
Word = Annotated[str, Field(min_length=1, max_length=60)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LateralTier(_Frozen):
    """The tier of a leg flag depends on whether one or both legs are affected."""

    one_side: LexiconTier
    both_sides: LexiconTier


class TermGroup(_Frozen):
    """Terms for one flag, with the context that must (or must not) surround them.

    ``unless`` and ``near`` are searched in the whole sentence, ``requires`` in the whole
    message: "slipped on the ice" is a red flag only when the message also says the person
    is older or has osteoporosis. ``vague`` terms ("down there feels weird") count as
    uncertain, so an emergency one is asked about rather than acted on at once.
    """

    terms: Patterns = Field(min_length=1)
    unless: Patterns = ()
    near: Patterns = ()
    requires: Patterns = ()
    vague: bool = False


class FlagSpec(_Frozen):
    """One red flag: its tier (or tiers by laterality) and the words that raise it."""

    tier: LexiconTier | LateralTier
    historical: bool = False  # a past event is the flag itself ("had cancer 5 years ago")
    groups: tuple[TermGroup, ...] = Field(min_length=1)


class WindowCues(_Frozen):
    """Cues that act on a term when they stand at most ``window`` words before it, or at most
    ``after_window`` words after it, inside the same clause."""

    before: Patterns = ()
    after: Patterns = ()
    window: Window = 5
    after_window: Window = 3


class ResolvedCues(WindowCues):
    """Also ``next_clause``: a whole following clause that says it is over ("but it's gone");
    and ``long_ago``: a time in the sentence far enough back ("in 2015", "as a kid") that an
    emergency sign which is over is dropped, not asked about."""

    next_clause: Patterns = ()
    #: A cue after the term that follows a comma says it is over only when nothing stands
    #: between the comma and the cue but these ("numb legs, but all gone now"): in "a fever,
    #: had the flu jab last month" the date is the jab's, not the fever's end.
    after_comma: tuple[Word, ...] = ()
    #: clauses that only explain the sign ("because I was sat cross-legged on it") and are
    #: looked past for ``next_clause``, by their first word
    explaining: tuple[Word, ...] = ()
    long_ago: Patterns = ()
    over: Patterns = ()  # ... with one of these in the sentence ("cleared up", "recovered")
    recurred: Patterns = ()  # ... unless the message says it is back ("and again today")
    #: Numbness from pressure or posture that went when the position changed ("legs went to
    #: sleep on the long drive, fine once I got out"): one of ``posture`` in the sentence, a
    #: flag in ``posture_flags``, and the sign said to be over, with none of
    #: ``posture_unless`` in the message ("still", "again"): dropped, not asked about.
    posture: Patterns = ()
    posture_flags: tuple[Word, ...] = ()
    posture_unless: Patterns = ()
    #: Long-standing and unchanged ("feet numb for about 6 years from diabetes"): one of
    #: ``long_standing`` just after a sign of ``long_standing_flags`` in its clause (within
    #: ``after_window`` words), or as the whole next clause ("..., always have"), with no
    #: ``recurred`` word, none of ``long_standing_unless`` and one of ``long_standing_requires``
    #: (a cause, or a clinician who knows of it) in the message: dropped.
    long_standing: Patterns = ()
    long_standing_flags: tuple[Word, ...] = ()
    long_standing_unless: Patterns = ()
    long_standing_requires: Patterns = ()  # a cause or a clinician who knows, named


class HypotheticalCues(_Frozen):
    """``before`` always marks a hypothetical; ``question_only`` only in a question.

    ``pure`` marks a question about the future or in general ("if I ever", "what should I
    do if", "the leaflet says"): an emergency sign in its reach is answered with the
    emergency advice as information, not asked about, unless it is also negated or uncertain,
    or the message has a ``real`` word anywhere ("what if I can't feel my bum? I can't,
    actually, since this morning"): then it is asked about as before.
    """

    before: Patterns = ()
    question_only: Patterns = ()
    pure: Patterns = ()
    real: Patterns = ()
    window: Window = 8
    #: A question that opens with one of ``impersonal_openers`` ("is", "does", "what"), not
    #: followed by one of ``impersonal_deictic`` ("is that normal?" may point at the user's own
    #: symptom), in a message with no word for the user and no ``real`` word, asks in general
    #: ("does sciatica go down both legs?"): read as ``pure``.
    impersonal_openers: tuple[Word, ...] = ()
    impersonal_deictic: tuple[Word, ...] = ()
    #: The user says it is not about them ("... not me, just reading the leaflet"): with no
    #: ``real`` word, every sentence is read as asking in general.
    disclaimer: Patterns = ()


class NegationCues(WindowCues):
    """Also ``carry_verbs``: a negated activity ends at a comma ("not eating, losing weight"),
    except after these, which carry the negation down a list ("not having any numbness,
    tingling or weakness")."""

    carry_verbs: tuple[Word, ...] = ()
    #: A cue after the term that follows a comma negates it only when nothing stands between
    #: the comma and the cue but these ("numbness, all fine now"): in "right leg buckled,
    #: left is fine" and "had cancer, PSA was fine" the all-clear is about something else.
    after_comma: tuple[Word, ...] = ()
    #: One-word negations a term's gap may not skip: a term that matches only by skipping one
    #: ("bum cheek achy, not numb", "my legs are not weak") is read as negated.
    in_gap: tuple[Word, ...] = ()


class Cues(_Frozen):
    negation: NegationCues
    pseudo_negation: Patterns = ()
    resolved: ResolvedCues
    uncertainty: WindowCues
    hypothetical: HypotheticalCues
    other_person: Patterns = ()
    self_reference: Patterns = ()
    self_in_term: Patterns = ()  # "me", "us": the user, but only inside a matched term
    self_label: Patterns = ()  # "nurse here", "I'm a nurse": the user, named by a role
    object_person: Patterns = ()  # "with the wife": a person after a preposition is no subject
    #: people who stay the subject of their own clause only: "the GP gave me co-codamol,
    #: pain keeps ramping up" is the user's pain, not the GP's
    passing_person: Patterns = ()
    #: words for a person that are also forms of address ("cheers mate"): someone else only
    #: after one of ``determiners`` ("my mate")
    vocatives: tuple[Word, ...] = ()
    determiners: tuple[Word, ...] = ()
    terminators: tuple[Word, ...] = ()
    glue: tuple[Word, ...] = ()
    echo: Patterns = ()  # "me too", "neither can I": the user shares someone else's symptom
    #: someone types for the account holder ("typing this for my husband, it's his phone"):
    #: the "he" and "she" of the message are the user, whose red flags they report
    proxy: Patterns = ()
    #: the message says things are getting better ("the stretch feels like it's helping"):
    #: when the lexicon finds nothing, the model does not raise a tier below emergency
    improving: Patterns = ()


class Laterality(_Frozen):
    both: Patterns
    one: Patterns
    left: Patterns = ()
    right: Patterns = ()
    message_both: Patterns = ()
    #: the message says a sign spread to the other side or is in both now ("I said my right
    #: leg, but it's both of them"): its leg signs are read as both sides, a named side too
    now_both: Patterns = ()
    #: a side said to be unaffected ("right one fine"): not a second side for the sentence
    fine_side: Patterns = ()


class Segmentation(_Frozen):
    sentence_marks: str = Field(min_length=1)
    question_marks: str = "?"
    clause_breaks: Patterns = ()
    clause_starters: tuple[Word, ...] = ()
    question_words: tuple[Word, ...] = ()
    gap_stops: tuple[Word, ...] = ()
    #: A short echo of the coach's question, answered at once, is one sentence with its answer:
    #: "fever? no" reads "no fever", "numbness? round my bum, yeah" one report. Up to
    #: ``echo_words`` words before the question mark; ``echo_no`` are the bare denials (the
    #: first is the word a denied echo is read with), and ``echo_openers`` ("any") are dropped
    #: from a denied echo.
    echo_words: int = Field(default=3, ge=0)
    echo_no: tuple[str, ...] = ()
    echo_openers: tuple[Word, ...] = ()


class Rewrite(_Frozen):
    match: str
    to: str


class Fuzzy(_Frozen):
    """Edit-distance correction of misspelt key words: 1 edit from ``min_length`` letters,
    2 edits from ``two_edits_from`` letters; words in ``protect`` are never corrected."""

    min_length: int = Field(default=5, ge=3)
    one_edit_from: int = Field(default=7, ge=3)
    two_edits_from: int = Field(default=10, ge=4)
    words: tuple[Word, ...] = ()
    protect: tuple[Word, ...] = ()


class DecimalTag(_Frozen):
    """A decimal number whose whole part is in ``lo``..``hi`` gets ``word`` after it, before
    the decimals are cut: "38.7" is almost always a body temperature, "38" may be an age."""

    lo: int = Field(ge=0)
    hi: int = Field(ge=0)
    word: Word


class ScoreRise(_Frozen):
    """A pain score that rises by ``min_rise`` or more inside one sentence ("was a 3 last week,
    now it's a 6", "from 4 to 7") gets ``word`` after the later score: a word list cannot
    compare two numbers. ``before`` and ``after`` introduce the earlier and the later score,
    ``fillers`` may stand before a score ("a", "about"), ``scales`` after it ("out of 10"),
    and a number followed by one of ``units`` ("weeks", "am") is not a score. The later score
    may also come first: ``now_words`` after it and ``was_words`` before the earlier one
    ("7 today, was 4 on monday"), or each score its time after it: ``then_words`` after the
    earlier, ``now_words`` after the later ("4 yesterday, 7 today"). A score named as one
    (``label_words``: "score 6, was 3") needs no now-word."""

    word: Word
    min_rise: int = Field(default=2, ge=1, le=10)
    top: int = Field(default=10, ge=1, le=100)
    gap: int = Field(default=5, ge=0, le=MAX_GAP)
    before: Patterns = Field(min_length=1)
    after: Patterns = Field(min_length=1)
    fillers: Patterns = ()
    scales: Patterns = ()
    units: Patterns = ()
    now_words: Patterns = ()
    was_words: Patterns = ()
    then_words: Patterns = ()
    label_words: Patterns = ()
    #: a sentence that starts with two scores joined by one of these ("4 -> 7", "4 to 7")
    bare_joins: Patterns = ()
    #: scores in words, by value from zero ("eight. yesterday was five"): read as digits
    #: when scores are paired, nowhere else
    number_words: tuple[Word, ...] = ()


class Normalisation(_Frozen):
    drop_chars: str = ""
    symbols: dict[str, str] = {}
    spellings: dict[str, str] = {}
    rewrites: tuple[Rewrite, ...] = ()
    fuzzy: Fuzzy = Fuzzy()
    decimal_tags: tuple[DecimalTag, ...] = ()
    score_rise: ScoreRise | None = None
    # Classes whose one-word members are also read without a final "s" when a word is
    # unknown: a dropped apostrophe ("willy's" -> "willys", "toddler's" -> "toddlers").
    possessive_classes: tuple[Word, ...] = ()
    # Classes of body words whose "'s" is read, before apostrophes are dropped, as the word
    # alone: "my left leg's numb" is one leg, though "legs" is a known word.
    singular_classes: tuple[Word, ...] = ()
    # Clipped endings: an unknown word of at least ``fuzzy.min_length`` letters that ends in a
    # key is read with the value instead, when that makes a word the patterns use ("losin" ->
    # "losing", "slappin" -> "slapping").
    clipped_endings: dict[str, str] = {}


class SentinelSystem(_Frozen):
    """One body system the sentinel watches, and the flag a hint about it asks about.

    ``words`` name the body system; ``unless`` (searched in the sentence) vetoes a hint, for
    instance named exertion for the legs; ``covered_by`` are flags whose emergency finding or
    question already covers this system; ``bilateral`` marks a both-legs system.

    The sentence reach, a wider net: a ``strong`` problem (one that is seldom anything but a
    symptom of this system: "leaks", "numb") pairs with ``words`` or ``loose_words`` anywhere
    in the same sentence, across commas and gap stops ("wearing a pad because of little leaks
    I don't feel"). ``loose_words`` are body words too vague to pair with an ordinary problem
    word ("sheets", "feet"). ``alone`` phrases are a hint by themselves ("woke up in a
    puddle").
    """

    flag: str
    words: Patterns = Field(min_length=1)
    unless: Patterns = ()
    covered_by: tuple[str, ...] = ()
    bilateral: bool = False
    strong: Patterns = ()
    loose_words: Patterns = ()
    alone: Patterns = ()


class TraumaSentinel(_Frozen):
    """The trauma fail-safe: a fall or collision and back pain in the same message.

    A ``mechanisms`` word (fell, crash, hit by ...), or a ``vehicles`` word (car, bike ...)
    whose sentence has no ``vehicle_unless`` (driving, a ride), about the user and not
    hypothetical, in a message that also has an ``injury`` word (back pain, hurt my back ...),
    is asked about at the emergency tier unless a ``flag`` finding or question exists.
    ``unless`` (searched in the sentence) vetoes a mechanism ("fell asleep"). A ``major``
    mechanism (a pile-up, hit by a car, a fall from a height) is asked about with no injury
    word: it is major trauma whatever the message says about pain.
    """

    flag: str
    mechanisms: Patterns = Field(min_length=1)
    major: Patterns = ()
    vehicles: Patterns = ()
    vehicle_unless: Patterns = ()
    injury: Patterns = Field(min_length=1)
    unless: Patterns = ()
    #: an age under the fracture-risk threshold, stated: a minor mechanism is then not asked
    #: about ("slipped on ice, I'm 25, just bruised"); a major one still is
    young: Patterns = ()


class Sentinel(_Frozen):
    """The fail-safe layer: a body-system word near a change or problem word is asked about.

    A hint needs a ``systems`` word and a ``problems`` word (or a ``soft_problems`` word, when
    the clause has no ``benign`` word) at most ``window`` words apart in one clause, with none
    of the sentinel's own ``gap_stops`` between them.
    """

    window: Window = 5
    problems: Patterns = Field(min_length=1)
    soft_problems: Patterns = ()
    benign: Patterns = ()
    gap_stops: tuple[Word, ...] = ()
    systems: dict[str, SentinelSystem] = Field(min_length=1)
    trauma: TraumaSentinel | None = None


class TriageLexicon(_Frozen):
    """One language's red-flag lexicon, checked as a whole when it is built."""

    version: Literal[1]
    language: str = Field(min_length=2)
    max_chars: int = Field(default=4096, ge=64, le=100_000)
    normalise: Normalisation
    segment: Segmentation
    classes: dict[str, tuple[str, ...]] = {}
    cues: Cues
    laterality: Laterality
    idioms: Patterns = ()
    flags: dict[str, FlagSpec]
    sentinel: Sentinel | None = None

    @model_validator(mode="after")
    def _check(self) -> TriageLexicon:
        missing = sorted(FLAG_IDS - self.flags.keys())
        if missing:
            raise PatternError("flags", f"missing flag(s): {', '.join(missing)}")
        for name in self.flags:
            if name not in FLAG_IDS:
                raise PatternError(f"flags.{name}", f"unknown flag id '{name}'")
        for name, members in self.classes.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise PatternError(f"classes.{name}", "a class name is a-z, 0-9 and _")
            if not members:
                raise PatternError(f"classes.{name}", "a class needs at least one member")
        for key, word in _single_words(self):
            if not re.fullmatch(r"[^\W_]+", word):
                raise PatternError(key, f"'{word}' must be one word of letters or digits")
        for key in ("possessive_classes", "singular_classes"):
            for name in getattr(self.normalise, key):
                if name not in self.classes:
                    raise PatternError(f"normalise.{key}", f"unknown class '{name}'")
        for i, tag in enumerate(self.normalise.decimal_tags):
            if tag.lo > tag.hi:
                raise PatternError(f"normalise.decimal_tags[{i}]", "lo must not exceed hi")
        if self.sentinel is not None:
            self._check_sentinel(self.sentinel)
        compiler = PatternCompiler(self)
        for key, pattern in iter_patterns(self):
            compiler.regex(pattern, key=key)
        return self

    def _check_sentinel(self, sentinel: Sentinel) -> None:
        """Each system asks about a known flag, and only at the emergency tier."""
        for name, system in sentinel.systems.items():
            key = f"sentinel.systems.{name}"
            for flag in (system.flag, *system.covered_by):
                if flag not in self.flags:
                    raise PatternError(key, f"unknown flag id '{flag}'")
            tier = self.flags[system.flag].tier
            if isinstance(tier, str):
                if system.bilateral or tier != "emergency":
                    raise PatternError(key, f"'{system.flag}' is not an emergency flag")
            elif not system.bilateral or tier.both_sides != "emergency":
                raise PatternError(
                    key, f"'{system.flag}' is an emergency only in both legs: set bilateral"
                )
        trauma = sentinel.trauma
        if trauma is not None:
            spec = self.flags.get(trauma.flag)
            if spec is None or spec.tier != "emergency":
                raise PatternError("sentinel.trauma", f"'{trauma.flag}' is not an emergency flag")


class PatternError(ValueError):
    """A bad pattern or value in the lexicon, with the key path that holds it."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def _single_words(lex: TriageLexicon) -> Iterator[tuple[str, str]]:
    seg, cues, fz = lex.segment, lex.cues, lex.normalise.fuzzy
    lists: dict[str, tuple[str, ...]] = {
        "segment.clause_starters": seg.clause_starters,
        "segment.question_words": seg.question_words,
        "segment.gap_stops": seg.gap_stops,
        "cues.terminators": cues.terminators,
        "cues.glue": cues.glue,
        "cues.vocatives": cues.vocatives,
        "cues.determiners": cues.determiners,
        "normalise.fuzzy.words": fz.words,
        "normalise.fuzzy.protect": fz.protect,
        "normalise.spellings": tuple(lex.normalise.spellings),
    }
    if lex.sentinel is not None:
        lists["sentinel.gap_stops"] = lex.sentinel.gap_stops
    for key, words in lists.items():
        for i, word in enumerate(words):
            yield f"{key}[{i}]", word
    for i, tag in enumerate(lex.normalise.decimal_tags):
        yield f"normalise.decimal_tags[{i}].word", tag.word
    if lex.normalise.score_rise is not None:
        yield "normalise.score_rise.word", lex.normalise.score_rise.word


def iter_patterns(lex: TriageLexicon) -> Iterator[tuple[str, str]]:
    """Every pattern in the lexicon with its key path, so each can be checked and named."""

    def each(key: str, patterns: Patterns) -> Iterator[tuple[str, str]]:
        for i, p in enumerate(patterns):
            yield f"{key}[{i}]", p

    for name, members in lex.classes.items():
        yield from each(f"classes.{name}", members)
    for i, rw in enumerate(lex.normalise.rewrites):
        yield f"normalise.rewrites[{i}].match", rw.match
    rise = lex.normalise.score_rise
    if rise is not None:
        for part in (
            "before",
            "after",
            "fillers",
            "scales",
            "units",
            "now_words",
            "was_words",
            "then_words",
            "label_words",
            "bare_joins",
        ):
            yield from each(f"normalise.score_rise.{part}", getattr(rise, part))
    yield from each("segment.clause_breaks", lex.segment.clause_breaks)
    yield from each("idioms", lex.idioms)
    c = lex.cues
    for kind, wc in (("negation", c.negation), ("uncertainty", c.uncertainty)):
        yield from each(f"cues.{kind}.before", wc.before)
        yield from each(f"cues.{kind}.after", wc.after)
    yield from each("cues.resolved.before", c.resolved.before)
    yield from each("cues.resolved.after", c.resolved.after)
    yield from each("cues.resolved.next_clause", c.resolved.next_clause)
    yield from each("cues.resolved.long_ago", c.resolved.long_ago)
    yield from each("cues.resolved.recurred", c.resolved.recurred)
    yield from each("cues.resolved.over", c.resolved.over)
    yield from each("cues.resolved.posture", c.resolved.posture)
    yield from each("cues.resolved.posture_unless", c.resolved.posture_unless)
    yield from each("cues.resolved.long_standing", c.resolved.long_standing)
    yield from each("cues.resolved.long_standing_unless", c.resolved.long_standing_unless)
    yield from each("cues.resolved.long_standing_requires", c.resolved.long_standing_requires)
    yield from each("cues.hypothetical.before", c.hypothetical.before)
    yield from each("cues.hypothetical.question_only", c.hypothetical.question_only)
    yield from each("cues.hypothetical.pure", c.hypothetical.pure)
    yield from each("cues.hypothetical.real", c.hypothetical.real)
    yield from each("cues.pseudo_negation", c.pseudo_negation)
    yield from each("cues.other_person", c.other_person)
    yield from each("cues.self_reference", c.self_reference)
    yield from each("cues.self_in_term", c.self_in_term)
    yield from each("cues.self_label", c.self_label)
    yield from each("cues.object_person", c.object_person)
    yield from each("cues.passing_person", c.passing_person)
    yield from each("cues.echo", c.echo)
    yield from each("cues.improving", c.improving)
    lat = lex.laterality
    for side in ("both", "one", "left", "right", "message_both", "now_both", "fine_side"):
        yield from each(f"laterality.{side}", getattr(lat, side))
    for name, spec in lex.flags.items():
        for g, group in enumerate(spec.groups):
            base = f"flags.{name}.groups[{g}]"
            for part in ("terms", "unless", "near", "requires"):
                yield from each(f"{base}.{part}", getattr(group, part))
    sen = lex.sentinel
    if sen is not None:
        yield from each("sentinel.problems", sen.problems)
        yield from each("sentinel.soft_problems", sen.soft_problems)
        yield from each("sentinel.benign", sen.benign)
        for name, system in sen.systems.items():
            yield from each(f"sentinel.systems.{name}.words", system.words)
            yield from each(f"sentinel.systems.{name}.unless", system.unless)
            for part in ("strong", "loose_words", "alone"):
                yield from each(f"sentinel.systems.{name}.{part}", getattr(system, part))
        if sen.trauma is not None:
            parts = ("mechanisms", "major", "vehicles", "vehicle_unless", "injury", "unless")
            for part in (*parts, "young"):
                yield from each(f"sentinel.trauma.{part}", getattr(sen.trauma, part))


def fold(text: str, drop_chars: str) -> str:
    """Case-fold and drop apostrophe-like characters, as the scanner does to user text."""
    return text.casefold().translate({ord(ch): None for ch in drop_chars})


@dataclass
class PatternCompiler:
    """Turns patterns into regular expressions over normalised text.

    The text searched is ``" " + " ".join(words)``: every item of a compiled pattern starts
    with its own space, so items compose by concatenation and a match always starts and ends
    on a word boundary.
    """

    lexicon: TriageLexicon
    #: words a gap does not cross besides ``segment.gap_stops`` (the scanner's strict reading
    #: keeps gaps off negations: "bum cheek achy, not numb")
    gap_also: frozenset[str] = frozenset()
    words: set[str] = field(default_factory=set)
    _cache: dict[str, str] = field(default_factory=dict)
    _classes: dict[str, str] = field(default_factory=dict)
    _expanding: list[str] = field(default_factory=list)

    def regex(self, pattern: str, *, key: str = "pattern") -> str:
        """The regex for one pattern; raises PatternError (with ``key``) when it is bad."""
        if pattern not in self._cache:
            self._cache[pattern] = _Parser(self, pattern, key).parse()
        return self._cache[pattern]

    def class_regex(self, name: str, key: str) -> str:
        """``@name`` as one group of its members; each class is expanded once."""
        if name in self._classes:
            return self._classes[name]
        members = self.lexicon.classes.get(name)
        if members is None:
            raise PatternError(key, f"unknown class '@{name}'")
        if name in self._expanding:
            raise PatternError(key, f"class '@{name}' refers to itself")
        self._expanding.append(name)
        try:
            pieces = [
                _Parser(self, member, f"classes.{name}[{i}]").parse()
                for i, member in enumerate(members)
            ]
        finally:
            self._expanding.pop()
        self._classes[name] = "(?:" + "|".join(pieces) + ")"
        return self._classes[name]

    def union(self, patterns: Patterns, *, anchored_end: bool = True) -> re.Pattern[str] | None:
        """One regex for a list of patterns; None for an empty list."""
        if not patterns:
            return None
        body = "|".join(self.regex(p) for p in patterns)
        return re.compile(f"(?:{body})" + (r"(?![^ ])" if anchored_end else ""))

    def gap(self, size: int) -> str:
        stops = (*self.lexicon.segment.gap_stops, *sorted(self.gap_also))
        word = r" [^ ]+"
        if stops:
            alts = "|".join(re.escape(s) for s in stops)
            word = rf" (?!(?:{alts})(?![^ ]))[^ ]+"
        return f"(?:{word}){{0,{size}}}"


Piece = tuple[str, bool]  # a regex, and whether it can match no words at all


class _Parser:
    """Recursive descent over the pattern language; emits leading-space regex pieces."""

    def __init__(self, owner: PatternCompiler, src: str, key: str) -> None:
        self.owner = owner
        self.src = fold(src, owner.lexicon.normalise.drop_chars).strip()
        self.key = key
        self.pos = 0
        if not self.src:
            raise PatternError(key, "empty pattern")

    def fail(self, why: str) -> PatternError:
        return PatternError(self.key, f"'{self.src}': {why} (at character {self.pos + 1})")

    def peek(self) -> str:
        return self.src[self.pos] if self.pos < len(self.src) else ""

    def parse(self) -> str:
        body, nullable = self.alternatives()
        if self.pos != len(self.src):
            raise self.fail(f"unexpected '{self.peek()}'")
        if nullable:
            raise PatternError(self.key, f"'{self.src}' can match nothing at all")
        return body

    def alternatives(self) -> Piece:
        alts = [self.seq()]
        while self.peek() == "|":
            self.pos += 1
            alts.append(self.seq())
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(a for a, _ in alts) + ")", any(n for _, n in alts)

    def seq(self) -> Piece:
        parts: list[Piece] = []
        while True:
            while self.peek() == " ":
                self.pos += 1
            ch = self.peek()
            if ch == "" or ch in ")]|":
                break
            parts.append(self.item())
        if not parts:
            raise self.fail("expected a word")
        return "".join(p for p, _ in parts), all(n for _, n in parts)

    def item(self) -> Piece:
        ch = self.peek()
        if ch in "[(":
            close = "]" if ch == "[" else ")"
            self.pos += 1
            body, nullable = self.alternatives()
            if self.peek() != close:
                raise self.fail(f"missing '{close}'")
            self.pos += 1
            if close == "]":
                return f"(?:{body})?", True
            return f"(?:{body})", nullable
        if self.src.startswith("...", self.pos):
            self.pos += 3
            m = _DIGITS.match(self.src, self.pos)
            size = 3
            if m:
                size = int(m.group())
                self.pos = m.end()
            if not 1 <= size <= MAX_GAP:
                raise self.fail(f"a gap is 1 to {MAX_GAP} words")
            return self.owner.gap(size), True
        if ch == "$":
            self.pos += 1
            return "$", True
        return self.atom(), False

    def atom(self) -> str:
        ch = self.peek()
        if ch == "@":
            self.pos += 1
            m = _CLASS_NAME.match(self.src, self.pos)
            if not m:
                raise self.fail("expected a class name after '@'")
            self.pos = m.end()
            return self.owner.class_regex(m.group(), self.key)
        if ch == "<":
            m = _RANGE.match(self.src, self.pos)
            if not m:
                raise self.fail("a number range is written <lo-hi>")
            lo, hi = int(m.group(1)), int(m.group(2))
            if lo > hi or hi - lo > MAX_RANGE:
                raise self.fail(f"a number range goes up and spans at most {MAX_RANGE}")
            self.pos = m.end()
            return " (?:" + "|".join(str(n) for n in range(hi, lo - 1, -1)) + ")"
        m = _WORD.match(self.src, self.pos)
        if not m:
            raise self.fail("expected a word, @class, <lo-hi>, [ or (")
        self.pos = m.end()
        word = m.group()
        if self.peek() == "*":
            self.pos += 1
            return " " + re.escape(word) + "[^ ]*"
        self.owner.words.add(word)
        return " " + re.escape(word)


_DIGITS = re.compile(r"\d+")
_CLASS_NAME = re.compile(r"[a-z0-9_]+")
_RANGE = re.compile(r"<(\d+)-(\d+)>")
_WORD = re.compile(r"[^\W_]+")


def load_triage_lexicon(path: Path) -> TriageLexicon:
    """Read and check a lexicon file; any problem raises ContentError naming file and key."""
    text = read_content(path)
    try:
        data: Any = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ContentError(f"{path}: not valid YAML{where}: {exc}") from None
    if not isinstance(data, Mapping):
        raise ContentError(f"{path}: expected a mapping at the top level")
    try:
        return TriageLexicon.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            original = (err.get("ctx") or {}).get("error")
            if isinstance(original, PatternError):
                problems.append(f"key '{original.key}': {original.reason}")
            else:
                problems.append(f"key '{_key_path(err['loc'])}': {err['msg']}")
        raise ContentError(f"{path}: {'; '.join(problems)}") from None


def _key_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"
