"""The second safety net: a deterministic red-flag scanner for anything a user types.

Pure: no I/O, no clock, no randomness; every word it knows comes from the lexicon
(``content/<locale>/triage.yaml``). The pipeline, clause by clause, is

1. normalise: cap the length, NFKC, case-fold, drop apostrophes, map symbols, split digits
   from letters, squeeze repeated letters, fix known spellings, dropped final letters
   ("losin") and near-miss (edit distance) spellings;
2. segment: sentences at ``.!?;`` and new lines, clauses at "but", "although" ... and at a
   comma that starts a new subject, so "no fever but I can't feel my bum" is two clauses;
3. rewrite phrases to canonical words and strip idioms ("pain in the butt", "pissed off");
4. find each flag's terms, then read the cues around each mention: negated (also by a
   negation a gap in the term skipped), resolved, hypothetical, uncertain, about someone
   else, one leg or both;
5. decide: an affirmed mention about the user is a finding; an emergency mention that is
   negated, resolved, uncertain or hypothetical is never dropped but asked about (to_confirm);
   other tiers in those states are dropped; mentions about someone else are reported apart;
6. sentinel (fail-safe): a clause that puts an emergency body system (bladder, bowel, saddle
   area, both legs) next to any change or problem word, about the user, is asked about at the
   emergency tier when no more specific finding or question already covers that system. New
   wording that no term foresaw therefore gets a yes/no question, not silence.

The result is deliberately conservative: when in doubt about an emergency, ask.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from content.triage import PatternCompiler, ScoreRise, TriageLexicon, fold
from content.triage_net import TriageNet
from dialogs.triage_net import net_scores, suspected_level, tokens

__all__ = ["TIER_RANK", "Finding", "TextScan", "Tier", "highest_tier", "scan_text"]

Tier = Literal["emergency", "urgent", "routine", "none"]
TIER_RANK: dict[Tier, int] = {"none": 0, "routine": 1, "urgent": 2, "emergency": 3}


@dataclass(frozen=True)
class Finding:
    """One red flag in one message. ``phrase`` is the matched words, for the clinician."""

    flag: str
    tier: Tier
    bilateral: bool | None  # leg flags: both legs, one leg, or not said; None for others
    phrase: str


def highest_tier(findings: tuple[Finding, ...]) -> Tier:
    best: Tier = "none"
    for f in findings:
        if TIER_RANK[f.tier] > TIER_RANK[best]:
            best = f.tier
    return best


@dataclass(frozen=True)
class TextScan:
    """What one message says about red flags."""

    findings: tuple[Finding, ...] = ()  # affirmed, about the user
    to_confirm: tuple[Finding, ...] = ()  # emergency mentions in doubt: ask yes/no
    about_others: tuple[Finding, ...] = ()  # red flags described for someone else
    #: emergency signs asked about in general ("what should I do if I can't pee?"): answered
    #: with the advice, as information; the bot does not act on them
    asked_about: tuple[Finding, ...] = ()
    #: the model's suspicion (``triage_net.py``) above anything the lexicon found: asked about
    #: with the screen question for that tier and flag, never raised without the user's "yes"
    suspected: tuple[Finding, ...] = ()
    #: signs the user says are over ("the tingling has totally gone"), which the lexicon set
    #: aside; below emergency the model, which cannot read that, defers to it
    over: tuple[Finding, ...] = ()
    #: the message has an idiom the lexicon knows ("can't stand my neighbour's music") or pain
    #: scores that fall ("down from 6 to 4"): below emergency the model defers to that too.
    #: A reading hint, not a finding, so two scans with the same findings compare equal.
    benign: bool = field(default=False, compare=False)
    #: signs the user denies ("a twinge but not sharp"), below emergency (a denied emergency
    #: sign is asked about). A reading hint like ``benign``: the model does not raise a flag
    #: the lexicon read as denied or over.
    denied: tuple[Finding, ...] = field(default=(), compare=False)

    @property
    def tier(self) -> Tier:
        """The tier the user's affirmed findings put them in."""
        return highest_tier(self.findings)

    @property
    def acted_tier(self) -> Tier:
        """The tier the bot acts on: a confirming question counts at the tier it asks about."""
        return highest_tier(self.findings + self.to_confirm + self.suspected)

    @property
    def questions(self) -> tuple[Finding, ...]:
        """What to ask yes/no about before acting: doubtful emergencies and suspicions."""
        return self.to_confirm + self.suspected

    @property
    def asks_first(self) -> bool:
        """The bot asks yes/no before acting: nothing affirmed, or a question about a tier
        above what was affirmed (a doubtful emergency is never settled by a lower tier)."""
        return bool(self.questions) and (
            not self.findings or TIER_RANK[highest_tier(self.questions)] > TIER_RANK[self.tier]
        )

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(sorted({f.flag for f in self.findings + self.questions}))


# ---------------------------------------------------------------------------------------------
# Compiled lexicon


_REPEAT3 = re.compile(r"(\D)\1{2,}")
_REPEAT2 = re.compile(r"(\D)\1+")
_DECIMAL = re.compile(r"(\d+)[.,]\d+")
# Three or more small numbers joined by commas ("scores 3,4,5,6") are a list, not decimals.
_NUMBER_LIST = re.compile(r"(?<![\d.,])\d{1,2}(?:,\d{1,2}){2,}(?![\d.,])")
_DIGIT_EDGE = re.compile(r"(?<=\d)(?=[^\W\d_])|(?<=[^\W\d_])(?=\d)")
_TOKEN = re.compile(r"[^\W_]+|,")
#: dots that trail off before a lower-case word are a pause in one thought, not a full stop:
#: "it feels a bit less... there... when I wipe" is one sentence
_PAUSE = re.compile(r"(?:\.{2,}|…)[ \t]*(?=[a-z])")
_SENTINEL_BREAK = "|"
_WORD_CACHE_LIMIT = 50_000
_INTRO_WORDS = 4  # a clause this short that only names a date sets it for the next clause
_CODA_WORDS = 6  # a sentence this short that says it is over closes the dated one before it
_SCORE_SENTENCE_WORDS = 4  # a sentence this short with a score may pair with the next one
#: ... and one this short that names the pain or the score ("pain was a 3 when the physio
#: assessed me. It's a 6 now")
_SCORE_PAIN_SENTENCE_WORDS = 10
_SCORE_NAMES = frozenset({"pain", "score"})

Span = tuple[int, int]


@dataclass(frozen=True)
class _Group:
    flag: int
    terms: re.Pattern[str]
    #: the terms with gaps that do not cross a negation; None when no term has a gap
    strict: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    near: re.Pattern[str] | None
    requires: re.Pattern[str] | None
    vague: bool


@dataclass(frozen=True)
class _System:
    """One body system of the sentinel layer."""

    flag: str
    words: re.Pattern[str]
    unless: re.Pattern[str] | None
    covered_by: frozenset[str]
    bilateral: bool
    strong: re.Pattern[str] | None = None  # problems that reach across the sentence
    loose: re.Pattern[str] | None = None  # body words that pair only with ``strong``
    alone: re.Pattern[str] | None = None  # a hint by themselves


@dataclass(frozen=True)
class _Trauma:
    """The trauma sentinel: a fall or collision, and back pain, in one message."""

    flag: str
    mechanisms: re.Pattern[str]
    major: re.Pattern[str] | None  # asked about with no injury word
    vehicles: re.Pattern[str] | None
    vehicle_unless: re.Pattern[str] | None
    injury: re.Pattern[str]
    unless: re.Pattern[str] | None
    young: re.Pattern[str] | None  # a stated age under the threshold: minor falls not asked


@dataclass(frozen=True)
class _Sentinel:
    window: int
    problems: re.Pattern[str]
    soft: re.Pattern[str] | None
    benign: re.Pattern[str] | None
    systems: tuple[_System, ...]
    stops: frozenset[str]
    trauma: _Trauma | None = None


@dataclass(frozen=True)
class _Flag:
    name: str
    one_side: Tier
    both_sides: Tier
    lateral: bool
    historical: bool


@dataclass
class _Clause:
    words: list[str]
    text: str
    starts: list[int]
    sentence: int
    commas: frozenset[int] = frozenset()  # indices of words that follow a comma

    def spans(self, regex: re.Pattern[str] | None) -> list[Span]:
        """Word ranges [start, end) of the regex's matches in this clause."""
        if regex is None:
            return []
        out = []
        for m in regex.finditer(self.text):
            if m.end() > m.start():
                out.append((bisect_left(self.starts, m.start()), bisect_left(self.starts, m.end())))
        return out


@dataclass
class _Sentence:
    text: str
    question: bool
    benign: bool = False  # an idiom was stripped, or pain scores fall ("from 6 to 4")
    marked: bool = False  # it ends with a question mark
    clauses: list[_Clause] = field(default_factory=list)


def _osa(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (insert, delete, substitute, swap neighbours)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= frontier
    return out


class _Compiled:
    """The lexicon turned into regexes and lookup tables, built once per lexicon."""

    def __init__(self, lex: TriageLexicon) -> None:
        pc = PatternCompiler(lex)
        norm, seg, cues, lat = lex.normalise, lex.segment, lex.cues, lex.laterality
        self.max_chars = lex.max_chars
        self.decimal_tags = [(t.lo, t.hi, " " + fold(t.word, norm.drop_chars))
                             for t in norm.decimal_tags]  # fmt: skip
        self.drop = norm.drop_chars
        self.symbols = [(fold(k, ""), v) for k, v in norm.symbols.items()]
        self.spellings = {fold(k, self.drop): fold(v, self.drop) for k, v in norm.spellings.items()}
        self.clipped = tuple(
            (fold(k, self.drop), fold(v, self.drop)) for k, v in norm.clipped_endings.items()
        )
        self.rewrites = [(re.compile(pc.regex(r.match) + r"(?![^ ])"), " " + fold(r.to, self.drop))
                         for r in norm.rewrites]  # fmt: skip
        self.score_rise = _compile_score_rise(norm.score_rise, pc, self.drop)
        self.idioms = pc.union(lex.idioms)
        self.breaks = pc.union(seg.clause_breaks)
        marks = re.escape(seg.sentence_marks)
        self.sentence_re = re.compile(f"([^{marks}]+)([{marks}]*)")
        self.question_marks = seg.question_marks
        self.starters = frozenset(seg.clause_starters)
        self.question_words = frozenset(seg.question_words)
        self.echo_words = seg.echo_words
        # longest first, so "not really" is taken whole; a denied echo is read with the first
        self.echo_no = sorted((fold(w, self.drop).split() for w in seg.echo_no), key=len)[::-1]
        self.echo_denial = fold(seg.echo_no[0], self.drop).split() if seg.echo_no else []
        self.echo_openers = frozenset(seg.echo_openers)
        self.terminators = frozenset(cues.terminators)
        self.glue = frozenset(cues.glue)
        self.vocatives = frozenset(cues.vocatives)
        self.determiners = frozenset(cues.determiners)
        self.neg_before = pc.union(cues.negation.before)
        self.neg_after = pc.union(cues.negation.after)
        # the one-word negations, to tell a term that is itself negative ("no better")
        self.neg_words = frozenset(w for w in cues.negation.before if w.isalpha())
        self.neg_window = cues.negation.window
        self.neg_carry = frozenset(cues.negation.carry_verbs)
        self.neg_after_comma = frozenset(cues.negation.after_comma)
        self.neg_after_window = cues.negation.after_window
        self.pseudo = pc.union(cues.pseudo_negation)
        self.res_before = pc.union(cues.resolved.before)
        self.res_after = pc.union(cues.resolved.after)
        self.res_window = cues.resolved.window
        self.res_after_window = cues.resolved.after_window
        self.res_after_comma = frozenset(cues.resolved.after_comma)
        self.res_next = pc.union(cues.resolved.next_clause)
        self.res_explaining = frozenset(fold(w, self.drop) for w in cues.resolved.explaining)
        self.res_long_ago = pc.union(cues.resolved.long_ago)
        self.recurred = pc.union(cues.resolved.recurred)
        self.res_over = pc.union(cues.resolved.over)
        self.posture = pc.union(cues.resolved.posture)
        self.posture_flags = frozenset(cues.resolved.posture_flags)
        self.posture_unless = pc.union(cues.resolved.posture_unless)
        self.long_standing = pc.union(cues.resolved.long_standing)
        self.long_standing_flags = frozenset(cues.resolved.long_standing_flags)
        self.long_standing_unless = pc.union(cues.resolved.long_standing_unless)
        self.long_standing_requires = pc.union(cues.resolved.long_standing_requires)
        self.improving = pc.union(cues.improving)
        self.unc_before = pc.union(cues.uncertainty.before)
        self.unc_after = pc.union(cues.uncertainty.after)
        self.unc_window = cues.uncertainty.window
        self.unc_after_window = cues.uncertainty.after_window
        self.hyp_before = pc.union(cues.hypothetical.before)
        self.hyp_question = pc.union(cues.hypothetical.question_only)
        self.hyp_pure = pc.union(cues.hypothetical.pure)
        self.hyp_real = pc.union(cues.hypothetical.real)
        self.hyp_window = cues.hypothetical.window
        self.impersonal_openers = frozenset(cues.hypothetical.impersonal_openers)
        self.impersonal_deictic = frozenset(cues.hypothetical.impersonal_deictic)
        self.disclaimer = pc.union(cues.hypothetical.disclaimer)
        self.other = pc.union(cues.other_person)
        self.self_ref = pc.union(cues.self_reference)
        self.self_in_term = pc.union(cues.self_in_term)
        self.self_label = pc.union(cues.self_label)
        self.object_person = pc.union(cues.object_person)
        self.passing_person = pc.union(cues.passing_person)
        self.echo = pc.union(cues.echo)
        self.proxy = pc.union(cues.proxy)
        self.lat_both = pc.union(lat.both)
        self.lat_one = pc.union(lat.one)
        self.lat_left = pc.union(lat.left)
        self.lat_right = pc.union(lat.right)
        self.lat_message = pc.union(lat.message_both)
        self.lat_now_both = pc.union(lat.now_both)
        self.lat_fine_side = pc.union(lat.fine_side)
        self.flags: list[_Flag] = []
        self.groups: list[_Group] = []
        self.gap_negations = frozenset(fold(w, self.drop) for w in cues.negation.in_gap)
        strict = PatternCompiler(lex, gap_also=self.gap_negations)
        for name, spec in lex.flags.items():
            if isinstance(spec.tier, str):
                one: Tier = spec.tier
                both: Tier = spec.tier
                lateral = False
            else:
                one, both, lateral = spec.tier.one_side, spec.tier.both_sides, True
            self.flags.append(_Flag(name, one, both, lateral, spec.historical))
            for g in spec.groups:
                terms = pc.union(g.terms)
                strict_terms = strict.union(g.terms)
                assert terms is not None and strict_terms is not None  # at least one term
                self.groups.append(
                    _Group(
                        len(self.flags) - 1,
                        terms,
                        strict_terms if strict_terms.pattern != terms.pattern else None,
                        pc.union(g.unless),
                        pc.union(g.near),
                        pc.union(g.requires),
                        g.vague,
                    )
                )
        self.sentinel = _compile_sentinel(lex, pc)
        # Words the patterns spell out: a word already known is never "corrected".
        self.vocab = frozenset(pc.words) | frozenset(self.spellings.values())
        # One-word members of the possessive classes: "willys" is read as "willy".
        self.possessive = self._one_word_members(lex, norm.possessive_classes)
        # A body word's "'s", read before the apostrophe is dropped: "leg's" is one leg,
        # though "legs" is a known word.
        self.singular = self._one_word_members(lex, norm.singular_classes)
        self.apostrophe_s = re.compile(rf"\b([^\W\d_]+)[{re.escape(self.drop)}]s\b")
        fz = norm.fuzzy
        self.fuzzy_min = fz.min_length
        self.protect = frozenset(fold(w, self.drop) for w in fz.protect)
        self.fuzzy_index: dict[str, list[tuple[str, int]]] = {}
        for raw in fz.words:
            word = fold(raw, self.drop)
            budget = (
                2 if len(word) >= fz.two_edits_from else 1 if len(word) >= fz.one_edit_from else 0
            )
            for variant in _deletes(word, budget):
                self.fuzzy_index.setdefault(variant, []).append((word, budget))
        self.word_cache: dict[str, str] = {}

    def _one_word_members(self, lex: TriageLexicon, names: tuple[str, ...]) -> frozenset[str]:
        """The members of these classes that are one word, folded as user text is."""
        return frozenset(
            w
            for name in names
            for member in lex.classes[name]
            if re.fullmatch(r"[^\W_]+", w := fold(member, self.drop))
        )

    # -- normalisation ----------------------------------------------------------------------

    def word(self, raw: str) -> str:
        """One token: squeeze repeats, fix known spellings, then near misses of key words."""
        cached = self.word_cache.get(raw)
        if cached is not None:
            return cached
        fixed = self._word(raw)
        if len(self.word_cache) >= _WORD_CACHE_LIMIT:
            self.word_cache.clear()
        self.word_cache[raw] = fixed
        return fixed

    def _word(self, raw: str) -> str:
        if raw == "," or any(ch.isdigit() for ch in raw):
            return raw
        squeezed = _REPEAT3.sub(r"\1\1", raw)
        for candidate in (squeezed, _REPEAT2.sub(r"\1", squeezed)):
            if candidate in self.spellings:
                return self.spellings[candidate]
            if candidate in self.vocab:
                return candidate
        if len(squeezed) > 3 and squeezed.endswith("s") and squeezed[:-1] in self.possessive:
            return squeezed[:-1]  # a dropped apostrophe: "willy's" -> "willys" -> "willy"
        if len(squeezed) < self.fuzzy_min or squeezed in self.protect:
            return squeezed
        for clipped, full in self.clipped:  # a clipped ending: "losin" -> "losing"
            whole = squeezed[: -len(clipped)] + full
            if squeezed.endswith(clipped) and whole in self.vocab:
                return whole
        return self._fuzzy(squeezed) or squeezed

    def _singular(self, m: re.Match[str]) -> str:
        """A body word's "'s" ("my leg's numb"), as the word alone; any other "'s" as it was."""
        return m.group(1) if fold(m.group(1), self.drop) in self.singular else m.group(0)

    def _fuzzy(self, word: str) -> str | None:
        best: tuple[int, str] | None = None
        for variant in _deletes(word, 2 if len(word) >= 8 else 1):
            for target, budget in self.fuzzy_index.get(variant, ()):
                if best is not None and best[1] == target:
                    continue
                dist = _osa(word, target)
                if 0 < dist <= budget and (best is None or (dist, target) < best):
                    best = (dist, target)
        return best[1] if best else None

    def _decimal(self, m: re.Match[str]) -> str:
        """Cut a decimal to its whole part, tagged when the lexicon says what it must be."""
        whole = m.group(1)
        if len(whole) <= 6:
            value = int(whole)
            for lo, hi, word in self.decimal_tags:
                if lo <= value <= hi:
                    return whole + word
        return whole

    def segment(self, text: str) -> list[_Sentence]:
        text = unicodedata.normalize("NFKC", text[: self.max_chars])[: self.max_chars]
        text = _PAUSE.sub(" ", text)
        for key, value in self.symbols:
            if key in text:
                text = text.replace(key, value)
        text = self.apostrophe_s.sub(self._singular, text)
        text = fold(text, self.drop)
        text = _NUMBER_LIST.sub(lambda m: m.group(0).replace(",", ", "), text)
        text = _DIGIT_EDGE.sub(" ", _DECIMAL.sub(self._decimal, text))
        sentences: list[_Sentence] = []
        parts = [
            ([w for w in (self.word(t) for t in _TOKEN.findall(m.group(1))) if w], m.group(2))
            for m in self.sentence_re.finditer(text)
        ]
        for words, marks in self._join_echoes(self._join_scores(parts)):
            body = " " + " ".join(words)
            body = re.sub(r" +", " ", body)
            for regex, repl in self.rewrites:
                body = regex.sub(repl, body)
            benign = False
            if self.score_rise is not None:
                benign = self.score_rise.falls(body)
                body = self.score_rise.tag(body)
            if self.idioms is not None:
                body, stripped = self.idioms.subn("", body)
                benign = benign or stripped > 0
            if self.breaks is not None:
                body = self.breaks.sub(lambda b: f" {_SENTINEL_BREAK}{b.group(0)}", body)
            tokens = body.split()
            if not any(t not in (",", _SENTINEL_BREAK) for t in tokens):
                continue
            first = next(t for t in tokens if t not in (",", _SENTINEL_BREAK))
            marked = any(q in marks for q in self.question_marks)
            question = marked or first in self.question_words
            sentence = _Sentence(text="", question=question, benign=benign, marked=marked)
            self._clauses(tokens, sentence, len(sentences))
            if sentence.clauses:
                sentence.text = "".join(c.text for c in sentence.clauses)
                sentences.append(sentence)
        return sentences

    def _join_scores(self, parts: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
        """A sentence that is only a pain score ("eight."), or a short one that names the pain
        with a score, is read with the next one when the two make a pair of scores ("eight.
        yesterday was five", "pain was a 3 when the physio saw me. It's a 6 now")."""
        rise = self.score_rise
        if rise is None:
            return parts
        out: list[tuple[list[str], str]] = []
        i = 0
        while i < len(parts):
            words = parts[i][0]
            if (
                (
                    0 < len(words) <= _SCORE_SENTENCE_WORDS
                    or (len(words) <= _SCORE_PAIN_SENTENCE_WORDS and _SCORE_NAMES & set(words))
                )
                and i + 1 < len(parts)
                and any(w.isdigit() or w in rise.numbers for w in words)
                and rise.pairs_across(" " + " ".join(words), " " + " ".join(parts[i + 1][0]))
            ):
                out.append(([*words, ",", *parts[i + 1][0]], parts[i + 1][1]))
                i += 2
                continue
            out.append(parts[i])
            i += 1
        return out

    def _join_echoes(self, parts: list[tuple[list[str], str]]) -> list[tuple[list[str], str]]:
        """A short echo of a question answered at once is one sentence with its answer.

        "fever? no. I feel fine" reads "no fever. I feel fine"; "tingling? only in my hands"
        and "any numbness? around my backside yeah" read as one sentence each. A question word
        first ("why? my legs are numb") is the user's own question, and is left alone."""
        out: list[tuple[list[str], str]] = []
        i = 0
        while i < len(parts):
            words, marks = parts[i]
            nxt, nxt_marks = parts[i + 1] if i + 1 < len(parts) else ([], "")
            if not (
                nxt
                and 0 < len(words) <= self.echo_words
                and "," not in words
                and any(q in marks for q in self.question_marks)
                and words[0] not in self.question_words
            ):
                out.append(parts[i])
                i += 1
                continue
            denial = next(
                (len(no) for no in self.echo_no if nxt[: len(no)] == no),
                0,
            )
            if denial and (len(nxt) == denial or nxt[denial] == ","):
                echo = words[1:] if words[0] in self.echo_openers and len(words) > 1 else words
                out.append(([*self.echo_denial, *echo], "."))
                rest = nxt[denial:]
                if any(w != "," for w in rest):
                    out.append((rest, nxt_marks))
            else:
                out.append((words + nxt, nxt_marks))
            i += 2
        return out

    def _clauses(self, tokens: list[str], sentence: _Sentence, index: int) -> None:
        current: list[str] = []
        commas: set[int] = set()

        def flush() -> None:
            if current:
                starts, pos = [], 0
                for w in current:
                    starts.append(pos)
                    pos += len(w) + 1
                text = " " + " ".join(current)
                clause = _Clause(list(current), text, starts, index, frozenset(commas))
                sentence.clauses.append(clause)
                current.clear()
            commas.clear()

        for i, tok in enumerate(tokens):
            if tok == _SENTINEL_BREAK:
                flush()
            elif tok == ",":
                if i + 1 < len(tokens) and tokens[i + 1] in self.starters:
                    flush()
                elif current:
                    commas.add(len(current))
            else:
                current.append(tok)
        flush()


@dataclass(frozen=True)
class _ScoreRise:
    regex: re.Pattern[str]
    word: str
    min_rise: int
    top: int
    series: re.Pattern[str]  # three or more scores in a row: "4, 5, 5, 6, 7"
    score: re.Pattern[str]  # one score in a series, its scale ("/10") left out
    #: pairs in other orders: the later score first ("7 today, was 4"), each score its time
    #: after it ("4 yesterday, 7 today"), the later score named as one ("score 6, was 3")
    others: tuple[re.Pattern[str], ...] = ()
    numbers: dict[str, str] = field(default_factory=dict)  # "five" -> "5"
    unit: re.Pattern[str] | None = None  # "two weeks": a number word before one is no score

    def _digits(self, body: str) -> tuple[str, list[int]]:
        """The body with scores in words as digits, and where each of its characters (and
        its end) was in the body."""
        if not self.numbers:
            return body, list(range(len(body) + 1))
        out: list[str] = []
        where: list[int] = []
        pos = 0
        for word in body.split(" "):
            new = self.numbers.get(word, word)
            if new != word and self.unit is not None and self.unit.match(body, pos + len(word)):
                new = word
            out.append(new)
            where.extend(pos + min(k, len(word)) for k in range(len(new)))
            where.append(pos + len(word))  # the space after it, or the end
            pos += len(word) + 1
        return " ".join(out), where

    def pairs_across(self, first: str, second: str) -> bool:
        """Whether a short sentence with a score ("eight", "4 last week") pairs with the next
        one ("yesterday was five", "today 7") where neither pairs alone: then the two are read
        as one sentence."""

        def pairs(body: str) -> bool:
            return bool(self._moves(body, 1) or self._moves(body, -1))

        return pairs(f"{first} ,{second}") and not (pairs(first) or pairs(second))

    def _moves(self, body: str, sign: int) -> list[int]:
        """Where a run of scores ends that moves by ``min_rise`` or more in one direction
        (``sign`` 1: up, -1: down), none above ``top``: a pair ("from 6 to 4", "5 then 8")
        or a series that never turns back ("4, 5, 5, 6, 7")."""
        # The later score of a pair is matched in a lookahead, so "5 then 6 then 8" is read
        # as two pairs, 5 to 6 and 6 to 8, and the second one rises by two. A backwards pair
        # gives the later score first ("7 today, was 4"); its end is still the later score's.
        body, where = self._digits(body)
        pairs = [*self.regex.finditer(body)]
        for other in self.others:
            pairs += other.finditer(body)
        ends = [
            m.end("b")
            for m in pairs
            if max(int(m.group("a")), int(m.group("b"))) <= self.top
            and sign * (int(m.group("b")) - int(m.group("a"))) >= self.min_rise
        ]
        for m in self.series.finditer(body):
            scores = [sign * int(n) for n in self.score.findall(m.group(0))]
            if (
                max(abs(n) for n in scores) <= self.top
                and all(a <= b for a, b in itertools.pairwise(scores))
                and scores[-1] - scores[0] >= self.min_rise
            ):
                ends.append(m.end())
        # the places in the body as given (scores in words are longer than their digits)
        return [where[e] for e in ends]

    def falls(self, body: str) -> bool:
        """Whether the scores fall by ``min_rise`` or more ("from 6 to 4", "6, 5, 5, 4, 3")."""
        return bool(self._moves(body, -1))

    def tag(self, body: str) -> str:
        """Put the tag word after a later score that is ``min_rise`` above the earlier one."""
        for end in sorted(set(self._moves(body, 1)), reverse=True):
            body = body[:end] + self.word + body[end:]
        return body


def _compile_score_rise(
    rise: ScoreRise | None, pc: PatternCompiler, drop: str
) -> _ScoreRise | None:
    if rise is None:
        return None

    def alts(patterns: tuple[str, ...]) -> str:
        return "|".join(pc.regex(p) for p in patterns)

    fill = f"(?:{alts(rise.fillers)})?" if rise.fillers else ""
    scale = f"(?:{alts(rise.scales)})?" if rise.scales else ""
    units = f"(?!{alts(rise.units)})" if rise.units else ""
    score = r"(?: ,)? (?P<{}>\d{{1,3}})(?![^ ])"  # "monday, 5" as well as "monday 5"
    gap = rf"(?: (?!\d)[^ ]+){{0,{rise.gap}}}"
    regex = re.compile(
        f"(?:{alts(rise.before)}){fill}{score.format('a')}{scale}{units}"
        f"(?={gap}(?:{alts(rise.after)}){fill}{score.format('b')}{scale}{units})"
    )
    others: list[re.Pattern[str]] = []
    if rise.now_words and rise.was_words:
        # The now-word may be left out after a scale: "7/10, was 3 at the start".
        now = f"(?:{alts(rise.now_words)})"
        later = f"{scale}{units}{now}"
        if rise.scales:
            later = f"(?:{later}|(?:{alts(rise.scales)}){units}{now}?)"
        others.append(
            re.compile(
                f"{score.format('b')}{later}(?: ,)?"
                f"(?:{alts(rise.was_words)}){fill}{score.format('a')}{scale}{units}"
            )
        )
    if rise.label_words and rise.was_words:  # "score 6, was 3 on monday": no now-word
        earlier = f"(?:{alts(rise.was_words)})"
        if rise.then_words:  # "score: 5 (yesterday 2)"
            earlier = f"(?:{earlier}|(?:{alts(rise.then_words)})(?: it was| was)?)"
        others.append(
            re.compile(
                f"(?:{alts(rise.label_words)}){fill}{score.format('b')}{scale}{units}(?: ,)?"
                f"{earlier}{fill}{score.format('a')}{scale}{units}"
            )
        )
    if rise.bare_joins:  # a sentence that starts "4 -> 7"
        others.append(
            re.compile(
                f"^{score.format('a')}{scale}{units}(?:{alts(rise.bare_joins)})"
                f"{score.format('b')}{scale}{units}"
            )
        )
    if rise.was_words:  # a score alone, then the earlier one: "8. yesterday was 5"
        then = f"(?:{alts(rise.then_words)})?" if rise.then_words else ""
        others.append(
            re.compile(
                f"^{score.format('b')}{scale}{units} ,{then}"
                f"(?:{alts(rise.was_words)}){fill}{score.format('a')}{scale}{units}"
            )
        )
    if rise.then_words and rise.now_words:  # "4 yesterday, 7 today", "3 on monday, now 6"
        now = f"(?:{alts(rise.now_words)})"
        then = f"{score.format('a')}{scale}{units}(?:{alts(rise.then_words)})(?: ,)?"
        others.append(re.compile(f"{then}{score.format('b')}{scale}{units}{now}"))
        others.append(
            re.compile(
                f"{then}(?: and| but)?{now}(?: its| it s| im| i m)?{fill}"
                f"{score.format('b')}{scale}{units}"
            )
        )
    one = rf" (\d{{1,2}}){scale}"  # the scale ("/10", "out of 10") as the pairs read it
    sep = r"(?: ,)?(?: then| and| to| now)?"
    series = re.compile(rf"(?:{one}{sep}){{2,}}{one}(?![^ ]){units}")
    return _ScoreRise(
        regex,
        " " + fold(rise.word, drop),
        rise.min_rise,
        rise.top,
        series,
        re.compile(one),
        tuple(others),
        {fold(w, drop): str(n) for n, w in enumerate(rise.number_words)},
        re.compile(alts(rise.units)) if rise.units else None,
    )


def _compile_sentinel(lex: TriageLexicon, pc: PatternCompiler) -> _Sentinel | None:
    sen = lex.sentinel
    if sen is None:
        return None
    problems = pc.union(sen.problems)
    assert problems is not None  # the model requires at least one
    systems = []
    for spec in sen.systems.values():
        words = pc.union(spec.words)
        assert words is not None
        systems.append(
            _System(
                spec.flag,
                words,
                pc.union(spec.unless),
                frozenset({spec.flag, *spec.covered_by}),
                spec.bilateral,
                pc.union(spec.strong),
                pc.union(spec.loose_words),
                pc.union(spec.alone),
            )
        )
    trauma = None
    if sen.trauma is not None:
        mechanisms, injury = pc.union(sen.trauma.mechanisms), pc.union(sen.trauma.injury)
        assert mechanisms is not None and injury is not None  # the model requires both
        trauma = _Trauma(
            sen.trauma.flag,
            mechanisms,
            pc.union(sen.trauma.major),
            pc.union(sen.trauma.vehicles),
            pc.union(sen.trauma.vehicle_unless),
            injury,
            pc.union(sen.trauma.unless),
            pc.union(sen.trauma.young),
        )
    return _Sentinel(
        sen.window,
        problems,
        pc.union(sen.soft_problems),
        pc.union(sen.benign),
        tuple(systems),
        frozenset(fold(w, lex.normalise.drop_chars) for w in sen.gap_stops),
        trauma,
    )


_CACHE: dict[int, tuple[TriageLexicon, _Compiled]] = {}


def _compiled(lexicon: TriageLexicon) -> _Compiled:
    """Compile a lexicon once; keyed by identity because lexicons are loaded once, at start."""
    entry = _CACHE.get(id(lexicon))
    if entry is not None and entry[0] is lexicon:
        return entry[1]
    if len(_CACHE) >= 8:
        _CACHE.clear()
    compiled = _Compiled(lexicon)
    _CACHE[id(lexicon)] = (lexicon, compiled)
    return compiled


# ---------------------------------------------------------------------------------------------
# Reading one clause


def _overlaps(a: Span, spans: list[Span]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _people(c: _Compiled, clause: _Clause) -> list[tuple[int, bool]]:
    """Where the clause names a person: (word index, is someone else), in order.

    A person in a simile ("it's like wiping someone else", "they feel like someone else's")
    is nobody's subject.
    """
    words = clause.words
    named = clause.spans(c.other)
    # "nurse here": the user, though "nurse" is a person; "my mum here" is still the mum.
    labels = [
        lab
        for lab in clause.spans(c.self_label)
        if not any(o[0] < lab[0] and _overlaps(o, [lab]) for o in named)
    ]
    # "sex with the wife": a person after a preposition is not the subject; "my wife noticed
    # the sheets were wet": nor is one who only noticed or said it. The cue's span reaches
    # past the person's.
    objects = clause.spans(c.object_person)
    others = [
        s
        for s in named
        if not _overlaps(s, labels)
        and not any((o[0] < s[0] or o[1] > s[1]) and o[0] <= s[0] < o[1] for o in objects)
        and not (  # "dunno if this is working mate": a form of address
            s[1] - s[0] == 1
            and words[s[0]] in c.vocatives
            and (s[0] == 0 or words[s[0] - 1] not in c.determiners)
        )
        and "like" not in words[max(0, s[0] - 2) : s[0]]
        and not (
            words[s[0]] in ("someone", "somebody")
            and words[s[1] : s[1] + 1] in (["else"], ["elses"])
        )
    ]
    selves = [s for s in clause.spans(c.self_ref) if not _overlaps(s, others)] + labels
    return sorted([(s, True) for s, _ in others] + [(s, False) for s, _ in selves])


def _carried(c: _Compiled, clause: _Clause, people: list[tuple[int, bool]]) -> bool | None:
    """The subject the clause hands on to the next clauses of its sentence: its last person,
    unless that is someone who stays in their own clause (the GP who "gave me co-codamol")."""
    start, other = people[-1]
    if other and any(s == start for s, _ in clause.spans(c.passing_person)):
        return None
    return other


@dataclass
class _Context:
    """The cue spans of one clause, computed once and shared by every mention in it."""

    c: _Compiled
    clause: _Clause
    terms: list[Span]
    two_sides: bool  # a left and a right leg in the sentence, or "both now": both sides
    neg_before: list[Span] = field(default_factory=list)
    neg_after: list[Span] = field(default_factory=list)
    res_before: list[Span] = field(default_factory=list)
    res_after: list[Span] = field(default_factory=list)
    unc_before: list[Span] = field(default_factory=list)
    unc_after: list[Span] = field(default_factory=list)
    hyp_before: list[Span] = field(default_factory=list)
    people: list[tuple[int, bool]] = field(default_factory=list)  # (start, is_other)
    objects: list[Span] = field(default_factory=list)  # "me" and the like
    both: list[Span] = field(default_factory=list)
    one: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        c, cl = self.c, self.clause
        uncertain_before = cl.spans(c.unc_before)
        # "left calf tingles, right one fine": the other side's "fine" denies nothing
        shield = self.terms + cl.spans(c.pseudo) + uncertain_before + cl.spans(c.lat_fine_side)

        def cues(regex: re.Pattern[str] | None, blockers: list[Span]) -> list[Span]:
            return [s for s in cl.spans(regex) if not _overlaps(s, blockers)]

        self.neg_before = cues(c.neg_before, shield)
        self.neg_after = cues(c.neg_after, shield)
        self.res_before = cues(c.res_before, self.terms)
        self.res_after = cues(c.res_after, self.terms)
        self.unc_before = [s for s in uncertain_before if not _overlaps(s, self.terms)]
        self.unc_after = cues(c.unc_after, self.terms)
        self.hyp_before = cues(c.hyp_before, self.terms)
        self.people = _people(c, cl)
        self.objects = cl.spans(c.self_in_term)
        self.both = cl.spans(c.lat_both)
        self.one = cl.spans(c.lat_one)

    def before(
        self,
        cues: list[Span],
        start: int,
        window: int,
        *,
        subject_stops: bool,
        activity_stops: bool = False,
    ) -> bool:
        """A cue ends at most ``window`` words before ``start`` with no terminator between.

        With ``subject_stops``, a new subject ("no fever and I can't pee") also ends the
        cue's reach, unless it directly follows the cue or a glue word ("don't think I ...").
        With ``activity_stops``, a negated activity ends at a comma: in "not eating, losing
        weight" only the eating is negated ("not having any numbness, tingling" carries on).
        """
        words = self.clause.words
        for _, ce in cues:
            if ce > start or start - ce > window:
                continue
            gap = words[ce:start]
            if any(w in self.c.terminators for w in gap):
                continue
            if (
                activity_stops
                and gap
                and gap[0].endswith("ing")
                and gap[0] not in self.c.neg_carry
                and any(ce < k <= start for k in self.clause.commas)
            ):
                continue
            if subject_stops and any(
                w in self.c.starters and k > 0 and gap[k - 1] not in self.c.glue
                for k, w in enumerate(gap)
            ):
                continue
            return True
        return False

    def after(
        self, cues: list[Span], end: int, window: int, *, comma_allows: frozenset[str] | None = None
    ) -> bool:
        """A cue starts at most ``window`` words after ``end`` with no terminator between.

        With ``comma_allows``, a cue after a comma counts only when nothing but those words
        stands between the comma and the cue ("numbness, all fine" but not "right leg
        buckled, left is fine").
        """
        words = self.clause.words
        for cs, _ in cues:
            if cs < end or cs - end > window:
                continue
            if any(w in self.c.terminators for w in words[end:cs]):
                continue
            if comma_allows is not None:
                comma = max((k for k in self.clause.commas if end <= k <= cs), default=None)
                if comma is not None and any(w not in comma_allows for w in words[comma:cs]):
                    continue
            return True
        return False

    def person(self, span: Span) -> bool | None:
        """True when the nearest person named before (or in) the mention is someone else.

        The user as the object inside the term ("someone rear-ended me") is the user.
        """
        if any(span[0] <= s and e <= span[1] for s, e in self.objects):
            return False
        found: bool | None = None
        for start, other in self.people:
            if start < span[1]:
                found = other
        return found

    def bilateral(self, span: Span, message_both: bool) -> bool | None:
        if self.two_sides:
            return True
        if _overlaps(span, self.both):
            return True
        # "left and right leg both go dead": a side word right after a both-sides phrase
        inside_one = [
            s for s in self.one if _overlaps(span, [s]) and all(e != s[0] for _, e in self.both)
        ]
        if inside_one:
            # "below the knee" names a place, not a side: a "both" outside the term decides.
            words = self.clause.words
            generic = all(s > 0 and words[s - 1] == "the" for s, _ in inside_one)
            if not (generic and any(not _overlaps(b, [span]) for b in self.both)):
                return False
        best: tuple[int, bool] | None = None
        for spans, value in ((self.both, True), (self.one, False)):
            for s, e in spans:
                if span[0] < e and s < span[1]:
                    continue  # inside the term: decided above
                dist = s - span[1] if s >= span[1] else span[0] - e
                if best is None or dist < best[0] or (dist == best[0] and value):
                    best = (dist, value)
        if best is not None:
            return best[1]
        return True if message_both else None


# ---------------------------------------------------------------------------------------------
# The scanner


def scan_text(text: str, lexicon: TriageLexicon, net: TriageNet | None = None) -> TextScan:
    """Scan one message: the lexicon, then (when given) the model. Deterministic; never raises
    on any string."""
    scan = _scan_lexicon(text, lexicon)
    if net is None:
        return scan
    return _add_suspicion(scan, text if isinstance(text, str) else str(text), lexicon, net)


def _add_suspicion(scan: TextScan, text: str, lexicon: TriageLexicon, net: TriageNet) -> TextScan:
    """Ask about the model's level when it is above what the lexicon acts on.

    Below the emergency level the model defers to the lexicon's reading of whose symptom it is,
    of general questions, of signs said to be over, and (when the lexicon found nothing) of
    idioms and falling pain scores: it cannot read "my wife's", "what if", "totally gone",
    "can't stand that music" or "down from 6 to 4"; the lexicon can. An emergency suspicion is
    always asked about, since a needless question costs little, except about a flag the
    lexicon itself read as over (dated long ago, or from posture: "tingling feet back in
    March, sorted with B12, nothing since") or, below emergency, as denied ("a twinge but not
    sharp"): the model cannot read those words, and the same flag is not raised against them.
    """
    scores = net_scores(text, net)
    found = scan.acted_tier != "none"
    tier = suspected_level(scores, net, len(tokens(text)), upgrade=found)
    if tier == "none" or TIER_RANK[tier] <= TIER_RANK[scan.acted_tier]:
        return scan
    if tier != "emergency" and (
        scan.about_others or scan.asked_about or scan.over or (scan.benign and not found)
    ):
        return scan
    set_aside = {f.flag for f in scan.over + (scan.denied if tier != "emergency" else ())}
    candidates: list[tuple[float, str, bool | None]] = []
    for name, spec in lexicon.flags.items():
        if name not in net.heads or name in set_aside:
            continue
        if isinstance(spec.tier, str):
            if spec.tier == tier:
                candidates.append((scores[name], name, None))
        elif spec.tier.both_sides == tier or spec.tier.one_side == tier:
            candidates.append((scores[name], name, spec.tier.both_sides == tier))
    candidates.sort(reverse=True)
    if not candidates or candidates[0][0] < net.flag_floor:
        return scan
    bar = net.upgrade if found else net.thresholds[tier]
    chosen = [c for c in candidates if c[0] >= bar] or candidates[:1]
    suspected = tuple(Finding(name, tier, side, "") for _, name, side in chosen)
    return dataclasses.replace(scan, suspected=suspected)


def _impersonal(c: _Compiled, sentence: _Sentence) -> bool:
    """A question in general: "does sciatica go down both legs?", not "is that normal?".

    Only with a question mark: "can barely stand, both knees giving way" is a report."""
    words = sentence.text.split()
    return (
        sentence.marked
        and len(words) > 1
        and words[0] in c.impersonal_openers
        and words[1] not in c.impersonal_deictic
    )


def _scan_lexicon(text: str, lexicon: TriageLexicon) -> TextScan:
    c = _compiled(lexicon)
    sentences = c.segment(text if isinstance(text, str) else str(text))
    if not sentences:
        return TextScan()
    message = "".join(s.text for s in sentences)
    benign = any(s.benign for s in sentences) or _search(c.improving, message)
    allowed = [g.requires is None or g.requires.search(message) is not None for g in c.groups]
    message_both = c.lat_message is not None and c.lat_message.search(message) is not None
    now_both = _search(c.lat_now_both, message)  # "it's both of them now": overrides a side
    clauses = [cl for s in sentences for cl in s.clauses]

    found: dict[str, Finding] = {}
    confirm: dict[str, Finding] = {}
    others: dict[str, Finding] = {}
    over: dict[str, Finding] = {}
    denied: dict[str, Finding] = {}  # below emergency, the user's, negated
    hints: list[tuple[_System, Finding]] = []  # the sentinel's, about the user
    general: dict[str, Finding] = {}  # emergencies asked about in general
    supposed: dict[str, Finding] = {}  # below emergency, the user's, only supposed or read of
    general_hints: list[tuple[_System, Finding]] = []  # sentinel hints in such a sentence
    real = c.hyp_real is not None and any(c.hyp_real.search(s.text) for s in sentences)
    if real:
        impersonal: set[int] = set()
    elif _search(c.disclaimer, message):  # "..., not me, just reading the leaflet"
        impersonal = set(range(len(sentences)))
    elif _search(c.self_ref, message):
        impersonal = set()
    else:
        impersonal = {i for i, s in enumerate(sentences) if _impersonal(c, s)}
    pure_sentences = impersonal | {
        i
        for i, s in enumerate(sentences)
        if not real and any(cl.spans(c.hyp_pure) for cl in s.clauses)
    }
    # Sentences that date what they describe far back and say it is over, in a message that
    # does not say it has come back: their signs are history, not symptoms.
    long_over: set[int] = set()
    # Nothing in the message says a long-standing sign has changed or come back ("ever since
    # the twins" says how long, not that it came back), and it names a cause or a clinician
    # who knows of it.
    steady = (
        not _recurs(c, message, c.long_standing)
        and not _search(c.long_standing_unless, message)
        and _search(c.long_standing_requires, message)
    )
    if not _recurs(c, message):
        long_over = {
            i
            for i, s in enumerate(sentences)
            if _search(c.res_long_ago, s.text)
            and (_is_over(c, s.text) or (i + 1 < len(sentences) and _coda(c, sentences[i + 1])))
        }
    trauma = c.sentinel.trauma if c.sentinel is not None else None
    proxy = _search(c.proxy, message)  # typed for the account holder
    trauma_hint: Finding | None = None  # a fall or collision about the user
    trauma_major = False  # ... that needs no injury word
    read: list[_Read] = []  # for the sentence reach
    intro_dated = False
    carried: bool | None = None
    last_sentence = -1
    active: list[_Group] = []
    for idx, clause in enumerate(clauses):
        sentence = sentences[clause.sentence]
        if clause.sentence != last_sentence:
            carried, last_sentence = None, clause.sentence
            intro_dated = False  # a clause that only sets a date ("Years ago, like 2015, ...")
            active = [
                group for g, group in enumerate(c.groups) if allowed[g] and _open(group, sentence)
            ]
            two_sides = now_both or _names_both_sides(c, sentence.text)
        mentions: list[tuple[int, Span, bool, bool]] = []
        negations = bool(c.gap_negations.intersection(clause.words))
        for group in active:
            strict = clause.spans(group.strict) if negations and group.strict else None
            mentions.extend(
                (group.flag, span, group.vague, _gap_negated(c, clause, span, strict))
                for span in clause.spans(group.terms)
            )
        inherited = carried  # the subject of an earlier clause in the same sentence
        dated = clause.sentence in long_over and (
            (intro_dated and clause.words[0] not in c.terminators)
            or _search(c.res_long_ago, clause.text)
        )
        # The sentinel's hints are history too in a dated clause, or in a clause of a
        # dated-and-over sentence that itself says it is over ("..., my bladder went funny
        # for a day, emergency surgery, full recovery").
        hushed = dated or (clause.sentence in long_over and _is_over(c, clause.text))
        # A long-standing, unchanged sign: the words just after it in the clause, or a whole
        # next clause or its last comma part, say so ("feet numb for about 6 years", "...,
        # always have", "... but that's the diabetes, been like that years").
        standing = clause.spans(c.long_standing) if steady else []
        following = clauses[idx + 1] if steady and idx + 1 < len(clauses) else None
        standing_next = following is not None and any(
            _fullmatch(c.long_standing, text)
            for text in (following.text, *(part for _, _, part in _comma_parts(following)[-1:]))
        )
        tail = _comma_parts(clause)[-1:] if steady else []
        standing_tail = tail[0][0] if tail and _fullmatch(c.long_standing, tail[0][2]) else None
        quiet = _Quiet(
            standing, standing_next, c.res_after_window, clause.words, c.terminators, standing_tail
        )
        if trauma is not None and not trauma_major and not dated:
            hint, major = _trauma(c, trauma, clause, sentence, inherited, proxy)
            if hint is not None and (trauma_hint is None or major):
                trauma_hint, trauma_major = hint, major
        intro_dated = (
            not mentions
            and len(clause.words) <= _INTRO_WORDS
            and clause.sentence in long_over
            and _search(c.res_long_ago, clause.text)
        )
        if not mentions:
            if c.sentinel is not None:
                into = general_hints if clause.sentence in pure_sentences else hints
                _sentinel(
                    c, c.sentinel, clause, sentence, inherited, [], [] if hushed else into, quiet
                )
                read.append(_Read(clause, inherited, [], []))
            people = _people(c, clause)
            if people:
                carried = _carried(c, clause, people)
            continue
        # a term whose gap skipped a negation is no term: its "not" negates the words after it
        ctx = _Context(c, clause, [span for _, span, _, gap in mentions if not gap], two_sides)
        if ctx.people:
            carried = _carried(c, clause, ctx.people)
        # The next clause, or its part up to a comma, says it is over ("had a fever last
        # week, all cleared up, back still a bit stiff").
        resolved_next = False
        after = idx + 1
        while after + 1 < len(clauses) and clauses[after].words[0] in c.res_explaining:
            after += 1  # "foot went numb because I sat on it. back to normal now"
        if after < len(clauses) and c.res_next is not None:
            nxt = clauses[after]
            head = nxt.words[: min(nxt.commas, default=len(nxt.words))]
            resolved_next = any(
                c.res_next.fullmatch(part) is not None for part in {nxt.text, " " + " ".join(head)}
            )
        explained: list[Span] = []  # words an emergency-tier term already accounts for
        for flag_index, span, vague, gap_negated in mentions:
            flag = c.flags[flag_index]
            start, end = span
            negated = (
                gap_negated
                or ctx.before(
                    ctx.neg_before, start, c.neg_window, subject_stops=True, activity_stops=True
                )
                or ctx.after(ctx.neg_after, end, c.neg_after_window, comma_allows=c.neg_after_comma)
            )
            resolved = not flag.historical and (
                resolved_next
                or (clause is sentence.clauses[-1] and _tail_resolved(c, clause, end))
                or ctx.before(ctx.res_before, start, c.res_window, subject_stops=True)
                or ctx.after(ctx.res_after, end, c.res_after_window, comma_allows=c.res_after_comma)
            )
            hypothetical = clause.sentence in impersonal or ctx.before(
                ctx.hyp_before, start, c.hyp_window, subject_stops=False
            )
            if not hypothetical and sentence.question and c.hyp_question is not None:
                asked = clause.spans(c.hyp_question)
                hypothetical = ctx.before(asked, start, c.hyp_window, subject_stops=False)
            uncertain = (
                vague
                or ctx.before(ctx.unc_before, start, c.unc_window, subject_stops=True)
                or (ctx.after(ctx.unc_after, end, c.unc_after_window))
            )
            person = ctx.person(span)
            is_other = person if person is not None else bool(inherited)
            bilateral = ctx.bilateral(span, message_both) if flag.lateral else None
            tier = flag.both_sides if bilateral else flag.one_side
            finding = Finding(flag.name, tier, bilateral, " ".join(clause.words[start:end]))
            if tier == "emergency":
                explained.append(span)
            in_doubt = negated or resolved or hypothetical
            posture = (
                resolved
                and flag.name in c.posture_flags
                and _search(c.posture, sentence.text)
                and not _search(c.posture_unless, message)
            )
            long_done = resolved and (clause.sentence in long_over or posture)
            # Long-standing and unchanged ("feet numb for about 6 years from diabetes")
            chronic = flag.name in c.long_standing_flags and quiet.after(span)
            if (dated or long_done or chronic) and not flag.historical:
                # Over, and long ago ("numb legs in 2015, cleared up") or from posture ("legs
                # went to sleep in the cinema, fine after a wiggle"): not asked. Only the
                # clause with the date, or a term that is itself over: "a fall in 2019,
                # recovered fine, but my bladder is leaking" still acts on the bladder.
                if not is_other:
                    _keep(over, finding)
                continue
            pure = clause.sentence in impersonal or ctx.before(
                clause.spans(c.hyp_pure), start, c.hyp_window, subject_stops=False
            )
            if pure and tier == "emergency" and not (real or is_other or negated or uncertain):
                _keep(general, finding)
                continue
            if is_other:
                if not in_doubt:
                    _keep(others, finding)
            elif tier == "emergency" and (in_doubt or uncertain):
                _keep(confirm, finding)
            elif not in_doubt:
                _keep(found, finding)
            elif resolved and not (negated or hypothetical):
                _keep(over, finding)
            elif (
                negated
                and not hypothetical
                and (gap_negated or not c.neg_words & set(clause.words[start:end]))
            ):
                # A negative term negated ("ain't getting no better") is not a denial; a
                # negation inside a term's gap ("left leg is not weak") is one.
                _keep(denied, finding)
            elif hypothetical and not (negated or resolved):
                _keep(supposed, finding)
        if c.sentinel is not None:
            # Only an emergency-tier term explains its words: a one-leg term ("pins and
            # needles from the waist down") does not stop the both-legs question.
            into = general_hints if clause.sentence in pure_sentences else hints
            _sentinel(
                c, c.sentinel, clause, sentence, inherited, explained, [] if hushed else into, quiet
            )
            read.append(_Read(clause, inherited, explained, [span for _, span, _, _ in mentions]))
    if c.sentinel is not None:
        _sentence_reach(c, c.sentinel, sentences, read, hints, general_hints, pure_sentences)

    if proxy:
        # Typed for the account holder: "she fell", "his legs have gone weak" are the user's.
        for f in others.values():
            _keep(found, f)
        others.clear()
    if c.echo is not None and c.echo.search(message) is not None:
        # "My dad can't pee and neither can I": ask the user about the same emergency; "what
        # does saddle numbness feel like? mine is on the left" too. Below emergency, a sign
        # read of or supposed and then owned ("read that sharp pain means stop. mine keeps
        # happening") is the user's.
        for f in (*others.values(), *general.values()):
            if f.tier == "emergency" and f.flag not in found:
                _keep(confirm, f)
        for f in supposed.values():
            _keep(found, f)
    if hints:
        covered = {f.flag for f in found.values() if f.tier == "emergency"} | set(confirm)
        for system, hint in hints:
            if not system.covered_by & covered:
                _keep(confirm, hint)
                covered.add(hint.flag)
    if (
        trauma is not None
        and trauma_hint is not None
        and trauma.flag not in found
        and trauma.flag not in confirm
        and (
            trauma_major
            or (trauma.injury.search(message) is not None and not _search(trauma.young, message))
        )
    ):
        _keep(confirm, trauma_hint)
    to_confirm = tuple(
        f for f in confirm.values()
        if f.flag not in found or TIER_RANK[found[f.flag].tier] < TIER_RANK[f.tier]
    )  # fmt: skip
    for _, hint in general_hints:
        _keep(general, hint)
    asked_about = tuple(
        f for f in general.values() if f.flag not in found and f.flag not in confirm
    )
    return TextScan(
        tuple(found.values()),
        to_confirm,
        tuple(others.values()),
        asked_about,
        over=tuple(f for f in over.values() if f.flag not in found),
        benign=benign,
        denied=tuple(f for f in denied.values() if f.flag not in found),
    )


def _gap_negated(c: _Compiled, clause: _Clause, span: Span, strict: list[Span] | None) -> bool:
    """A negation the term's gap skipped ("bum cheek achy, not numb", "legs are not weak"):
    the term has a negation word inside it and does not match without skipping one.
    ``strict`` is None when no term of the group has a gap (or the clause no negation)."""
    start, end = span
    return (
        strict is not None
        and bool(c.gap_negations.intersection(clause.words[start:end]))
        and not any(s < end and start < e for s, e in strict)
    )


def _fullmatch(regex: re.Pattern[str] | None, text: str) -> bool:
    return regex is not None and regex.fullmatch(text) is not None


def _search(regex: re.Pattern[str] | None, text: str) -> bool:
    return regex is not None and regex.search(text) is not None


def _tail_resolved(c: _Compiled, clause: _Clause, end: int) -> bool:
    """A comma-separated part after the term says, as a whole, that it is over ("my foot went
    to sleep sitting on the floor, gone now"; "a numb crotch off the saddle, goes once I'm
    off, back is fine"), and no part after that one says it came back."""
    if c.res_next is None:
        return False
    for _, stop, part in _comma_parts(clause, end):
        if c.res_next.fullmatch(part) is not None:
            return not _recurs(c, " " + " ".join(clause.words[stop:]))
    return False


def _comma_parts(clause: _Clause, start: int = 0) -> list[tuple[int, int, str]]:
    """The parts of the clause that follow a comma at or after word ``start``: where each
    begins and ends, and its text as the patterns read it (" gone now")."""
    cuts = sorted(k for k in clause.commas if start <= k < len(clause.words))
    ends = [*cuts[1:], len(clause.words)] if cuts else []
    return [(k, e, " " + " ".join(clause.words[k:e])) for k, e in zip(cuts, ends, strict=True)]


@dataclass(frozen=True)
class _Quiet:
    """Where a clause says a sign is long-standing and unchanged ("feet numb for about 6
    years", "..., always have"): read for the clause's terms and the sentinel's hints alike."""

    spans: list[Span]
    next_clause: bool  # the whole next clause says so ("..., always have")
    window: int
    words: list[str]
    terminators: frozenset[str]
    #: where the clause's last comma-separated part starts, when that part says so as a whole
    #: ("old numb patch on my left thigh from my hip op, same as ever")
    tail: int | None = None

    def after(self, span: Span) -> bool:
        """The next clause says so, or the clause's last part after the term does, or one of
        ``spans`` starts at most ``window`` words after ``span`` with no terminator between."""
        return (
            self.next_clause
            or (self.tail is not None and span[1] <= self.tail)
            or any(
                0 <= s - span[1] <= self.window
                and not any(w in self.terminators for w in self.words[span[1] : s])
                for s, _ in self.spans
            )
        )


def _sentinel(
    c: _Compiled,
    sen: _Sentinel,
    clause: _Clause,
    sentence: _Sentence,
    inherited: bool | None,
    explained: list[Span],
    hints: list[tuple[_System, Finding]],
    quiet: _Quiet,
) -> None:
    """Fail-safe hints: a body-system word close to a change or problem word, about the user.

    Negation, doubt and hypotheticals do not stop a hint: like any emergency mention in doubt
    it becomes a yes/no question. Idioms were deleted before this runs; a hint about someone
    else is left to the main scan, which reports the specific findings about others. Words
    inside a term the main scan matched ("can't feel the toilet paper") are already explained
    by that term, so they give no second hint.
    """
    cues = clause.spans(sen.problems)
    if sen.soft is not None and (sen.benign is None or not sen.benign.search(clause.text)):
        cues += clause.spans(sen.soft)
    cues = [cue for cue in cues if not _overlaps(cue, explained)]
    if not cues:
        return
    words = clause.words
    people: list[tuple[int, bool]] | None = None
    for system in sen.systems:
        if system.unless is not None and system.unless.search(sentence.text):
            continue
        for body in clause.spans(system.words):
            if _overlaps(body, explained):
                continue
            near = [cue for cue in cues if _close(body, cue, sen, clause)]
            if not near:
                continue
            span = (min(body[0], *(s for s, _ in near)), max(body[1], *(e for _, e in near)))
            if people is None:
                people = _people(c, clause)
            person = None
            for start, other in people:
                if start < span[1]:
                    person = other
            if person if person is not None else inherited:
                continue
            if system.flag in c.long_standing_flags and quiet.after(span):
                continue  # long-standing and unchanged
            phrase = " ".join(words[span[0] : span[1]])
            hint = Finding(system.flag, "emergency", True if system.bilateral else None, phrase)
            hints.append((system, hint))
            break


def _names_both_sides(c: _Compiled, text: str) -> bool:
    """The sentence names a left and a right leg, less any side said to be fine ("left leg
    tingles, right one fine" is one side)."""
    left, right = c.lat_left, c.lat_right
    if left is None or right is None:
        return False
    if c.lat_fine_side is not None:
        text = c.lat_fine_side.sub(" ", text)
    return bool(left.search(text) and right.search(text))


def _over_spans(c: _Compiled, text: str) -> list[tuple[int, int]]:
    """Character ranges where the text says a sign is over, unless a negation just before the
    words turns it round ("pelvic floor never recovered" is not over; "never came back" is one
    phrase)."""
    if c.res_over is None:
        return []
    return [
        m.span()
        for m in c.res_over.finditer(text)
        if not set(text[: m.start()].split()[-1:]) & c.neg_words
    ]


def _is_over(c: _Compiled, text: str) -> bool:
    return bool(_over_spans(c, text))


def _recurs(c: _Compiled, text: str, also: re.Pattern[str] | None = None) -> bool:
    """The text says a sign came back or is still there: a ``recurred`` phrase that is not
    part of an ``over`` phrase ("fine ever since" is over; "ever since" alone is not), nor of
    one of ``also``."""
    if c.recurred is None:
        return False
    spans = _over_spans(c, text)
    if also is not None:
        spans += [m.span() for m in also.finditer(text)]
    return any(
        not any(s <= m.start() and m.end() <= e for s, e in spans)
        for m in c.recurred.finditer(text)
    )


def _coda(c: _Compiled, sentence: _Sentence) -> bool:
    """A short sentence that only says what came before is over ("Gone completely since.")."""
    return len(sentence.text.split()) <= _CODA_WORDS and _is_over(c, sentence.text)


def _trauma(
    c: _Compiled,
    trauma: _Trauma,
    clause: _Clause,
    sentence: _Sentence,
    inherited: bool | None,
    proxy: bool = False,
) -> tuple[Finding | None, bool]:
    """A fall or collision word about the user, not hypothetical: a trauma hint, and whether
    it is a major mechanism.

    A hint that is not major is only asked about when the message also has an injury word
    (checked by the caller).
    """
    if trauma.unless is not None and trauma.unless.search(sentence.text):
        return None, False
    major = clause.spans(trauma.major)
    spans = major + clause.spans(trauma.mechanisms)
    if trauma.vehicles is not None and not (
        trauma.vehicle_unless is not None and trauma.vehicle_unless.search(sentence.text)
    ):
        spans += clause.spans(trauma.vehicles)
    if not spans:
        return None, False
    people = _people(c, clause)
    objects = clause.spans(c.self_in_term)
    hyp = clause.spans(c.hyp_before)
    if sentence.question:
        hyp += clause.spans(c.hyp_question)
    for start, end in sorted(spans, key=lambda s: (s not in major, s)):
        if any(0 <= start - e <= c.hyp_window for _, e in hyp):
            continue
        person: bool | None = None
        for p, other in people:
            if p < end:
                person = other
        if any(s <= end + 3 and start <= e for s, e in objects):
            person = False  # "a van went into me": the user is the object of the impact
        if not proxy and (person if person is not None else inherited):
            continue
        finding = Finding(trauma.flag, "emergency", None, " ".join(clause.words[start:end]))
        return finding, (start, end) in major
    return None, False


@dataclass(frozen=True)
class _Read:
    """A clause as the main pass left it, for the sentence reach."""

    clause: _Clause
    inherited: bool | None  # the subject carried from an earlier clause
    explained: list[Span]  # words an emergency-tier term accounts for
    mentioned: list[Span]  # every flag term's words, at any tier


def _sentence_reach(
    c: _Compiled,
    sen: _Sentinel,
    sentences: list[_Sentence],
    read: list[_Read],
    hints: list[tuple[_System, Finding]],
    general_hints: list[tuple[_System, Finding]],
    pure_sentences: set[int],
) -> None:
    """The wider net: a system's ``strong`` problem and a body word anywhere in one sentence,
    or an ``alone`` phrase, about the user. Clause borders, commas and gap stops do not stop
    it ("wearing a pad because of little leaks I don't feel"); another person, a system's
    ``unless`` and words an emergency-tier term already explained do.
    """

    def mine(clause: _Clause, inherited: bool | None, span: Span) -> bool:
        person: bool | None = None
        for start, other in _people(c, clause):
            if start < span[1]:
                person = other
        return not (person if person is not None else inherited)

    by_sentence: dict[int, list[_Read]] = {}
    for item in read:
        by_sentence.setdefault(item.clause.sentence, []).append(item)
    for index, parts in by_sentence.items():
        sentence = sentences[index]
        for system in sen.systems:
            if system.strong is None and system.alone is None:
                continue
            if system.unless is not None and system.unless.search(sentence.text):
                continue
            hint = _reach_hint(system, parts, mine)
            if hint is not None:
                into = general_hints if index in pure_sentences else hints
                into.append((system, hint))


def _reach_hint(
    system: _System, parts: list[_Read], mine: Callable[[_Clause, bool | None, Span], bool]
) -> Finding | None:
    """The first ``alone`` phrase, or ``strong`` problem with a body word, in one sentence.

    A loose body word ("sitting", "feet") pairs only with a problem that no flag term has
    already read: in "leg went numb from sitting" the numbness is the leg's.
    """
    cues: list[tuple[int, Span, bool]] = []  # (clause, span, inside a flag term)
    bodies: list[tuple[int, Span, bool]] = []  # (clause, span, loose)
    for k, part in enumerate(parts):
        clause, inherited, explained = part.clause, part.inherited, part.explained
        for span in clause.spans(system.alone):
            if not _overlaps(span, explained) and mine(clause, inherited, span):
                phrase = " ".join(clause.words[span[0] : span[1]])
                return Finding(system.flag, "emergency", True if system.bilateral else None, phrase)
        for span in clause.spans(system.strong):
            if not _overlaps(span, explained) and mine(clause, inherited, span):
                cues.append((k, span, _overlaps(span, part.mentioned)))
        for regex, loose in ((system.words, False), (system.loose, True)):
            for span in clause.spans(regex):
                if not _overlaps(span, explained) and mine(clause, inherited, span):
                    bodies.append((k, span, loose))
    for k, cue, read_by_term in cues:
        for j, body, loose in bodies:
            if loose and read_by_term:
                continue
            overlap = j == k and cue[0] < body[1] and body[0] < cue[1]
            # the same words read twice ("leaking") do not pair; a problem word inside a
            # longer body phrase does
            if overlap and not (body[0] <= cue[0] and cue[1] <= body[1] and body != cue):
                continue
            words = [
                parts[j].clause.words[body[0] : body[1]],
                parts[k].clause.words[cue[0] : cue[1]],
            ]
            phrase = " ... ".join(
                " ".join(w) for w in (words if (j, body) < (k, cue) else words[::-1])
            )
            return Finding(system.flag, "emergency", True if system.bilateral else None, phrase)
    return None


def _close(a: Span, b: Span, sen: _Sentinel, clause: _Clause) -> bool:
    """Two distinct spans at most ``window`` words apart, with no gap-stop word and no comma
    between them: a symptom and its body part are seldom split by a comma."""
    if a[0] < b[1] and b[0] < a[1]:
        # A problem word inside a longer body-system phrase ("feet feel ..., both of them")
        # counts; the same words read twice do not.
        return a[0] <= b[0] and b[1] <= a[1] and a[1] - a[0] > b[1] - b[0]
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    gap = clause.words[lo:hi]
    if len(gap) > sen.window or any(w in sen.stops for w in gap):
        return False
    return not any(lo <= k <= hi for k in clause.commas)


def _open(group: _Group, sentence: _Sentence) -> bool:
    """Whether the sentence lets this group's terms count (its ``near`` and ``unless``)."""
    if group.near is not None and group.near.search(sentence.text) is None:
        return False
    return group.unless is None or group.unless.search(sentence.text) is None


def _keep(bucket: dict[str, Finding], finding: Finding) -> None:
    """One finding per flag: the first at the highest tier."""
    held = bucket.get(finding.flag)
    if held is None or TIER_RANK[finding.tier] > TIER_RANK[held.tier]:
        bucket[finding.flag] = finding
