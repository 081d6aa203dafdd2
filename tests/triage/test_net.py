"""The third net: the free-text model's file, its features, how it joins the lexicon, training."""

from __future__ import annotations

import hashlib
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from bot.triage_cli import run_triage
from bot.triage_train import BLIND, Example, cross_validate, fit, load_examples
from content.errors import ContentError
from content.triage import TriageLexicon, load_triage_lexicon
from content.triage_net import LEVELS, TriageNet, load_triage_net, parse_triage_net
from dialogs.triage_net import features, grams_of, net_scores, suspected_level, tokens
from dialogs.triage_text import scan_text

ROOT = Path(__file__).resolve().parents[2]
NET_FILE = ROOT / "content" / "en" / "triage_net.json"
HERE = Path(__file__).resolve().parent

# Written blind and missed by the lexicon alone when first scored (unseen8); the model asks.
LEXICON_MISSES = {
    "cannot pea since yesterday evening and my back is on fire": "emergency",
    "Dear sir, my legs will not hold me this morning. Both are very weak. I am 78. "
    "My back is very painful.": "emergency",
    "3am again. tried the sofa, the floor, the bed with 4 pillows. the pain never lets up at "
    "night": "urgent",
    "Week 5. No improvement whatsoever. Still a 6 every morning.": "routine",
}


@pytest.fixture(scope="module")
def lex() -> TriageLexicon:
    return load_triage_lexicon(ROOT / "content" / "en" / "triage.yaml")


@pytest.fixture(scope="module")
def net() -> TriageNet:
    return load_triage_net(NET_FILE)


def _toy(**changes: Any) -> dict[str, Any]:
    """A two-feature model: 'blorp' (a word no lexicon knows) points to fever, urgent; 'wee'
    to the bladder, emergency."""
    grams = ["w:blorp", "w:wee"]
    data: dict[str, Any] = {
        "format": 1,
        "features": grams,
        "idf": [1.0, 1.0],
        "heads": {
            "routine": {"bias": -4.0, "weights": [9.0, 9.0]},
            "urgent": {"bias": -4.0, "weights": [9.0, 9.0]},
            "emergency": {"bias": -4.0, "weights": [-9.0, 9.0]},
            "fever_unwell": {"bias": -4.0, "weights": [9.0, -9.0]},
            "bladder_bowel": {"bias": -4.0, "weights": [-9.0, 9.0]},
        },
        "thresholds": {"routine": 0.5, "urgent": 0.5, "emergency": 0.4},
        "min_words": 1,
        "upgrade": 0.7,
        "flag_floor": 0.1,
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------------------------------------
# The file


def test_the_shipped_model_was_trained_on_exactly_the_labelled_sets(net):
    """Change a set without running ``coach triage-train`` and this fails."""
    examples = load_examples(HERE)
    assert net.trained_on["messages"] == len(examples)
    assert net.trained_on["sets"] == sorted({ex.source for ex in examples})
    digest = hashlib.sha256("\n".join(ex.text for ex in examples).encode()).hexdigest()
    assert net.trained_on["sha256"] == digest
    assert set(LEVELS) <= set(net.heads) and len(net.flag_heads) == 12


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"format": 2}, "'format' must be 1"),
        ({"features": []}, "non-empty list"),
        ({"features": ["blorp", "w:wee"]}, "must start with 'w:' or 'c:'"),
        ({"features": ["w:wee", "w:wee"]}, "twice"),
        ({"idf": [1.0]}, "'idf' must be a list of 2"),
        ({"idf": [1.0, "x"]}, "idf[1]: expected a finite number"),
        ({"heads": {"urgent": {"bias": 0, "weights": [0, 0]}}}, "missing the level(s): routine"),
        ({"heads": {"sciatica": {"bias": 0, "weights": [0, 0]}}}, "heads.sciatica"),
        ({"thresholds": {"routine": 0.5, "urgent": 1.5, "emergency": 0.4}}, "between 0 and 1"),
        ({"thresholds": {"routine": 0.5}}, "'thresholds' must give exactly"),
        ({"min_words": 0}, "'min_words' must be a whole number"),
        ({"upgrade": 1}, "upgrade: must be between 0 and 1"),
        ({"flag_floor": -0.1}, "flag_floor: must be at least 0"),
        ({"flag_floor": None}, "flag_floor"),
    ],
)
def test_a_broken_model_file_stops_start_up_naming_the_problem(tmp_path, change, problem):
    data = _toy(**change)
    path = tmp_path / "triage_net.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_triage_net(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_a_wrong_length_weight_vector_is_refused():
    data = _toy()
    data["heads"]["urgent"]["weights"] = [1.0]
    with pytest.raises(ValueError, match=r"heads.urgent.weights: expected 2 numbers"):
        parse_triage_net(data)


def test_a_model_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "triage_net.json"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid JSON"):
        load_triage_net(path)


# ---------------------------------------------------------------------------------------------
# Features and scores


def test_tokens_fold_case_apostrophes_and_stretched_letters():
    assert tokens("I CAN’T feeeel my LEGS!!") == ["i", "cant", "feel", "my", "legs"]
    assert tokens("x" * 10_000) == ["xx"]


def test_each_kind_of_feature_has_unit_length(net):
    vector = features("both my legs have gone numb since this morning", net.vocabulary, net.idf)
    words = [v for i, v in vector.items() if i < len(net.idf) and _kind(net, i) == "w"]
    chars = [v for i, v in vector.items() if _kind(net, i) == "c"]
    assert math.isclose(math.fsum(v * v for v in words), 1.0)
    assert math.isclose(math.fsum(v * v for v in chars), 1.0)


def _kind(net: TriageNet, index: int) -> str:
    return next(g for g, i in net.vocabulary.items() if i == index)[0]


def test_word_pairs_and_padded_character_grams():
    words, chars = grams_of(["no", "wee"])
    assert set(words) == {"no", "wee", "no wee"}
    assert {" no", "no ", " no "} <= set(chars) and " wee " in chars


def test_a_level_counts_only_when_every_level_below_it_counts():
    net = parse_triage_net(_toy())
    assert suspected_level({"routine": 0.9, "urgent": 0.3, "emergency": 0.9}, net) == "routine"
    assert suspected_level({"routine": 0.4, "urgent": 0.9, "emergency": 0.9}, net) == "none"
    assert suspected_level({"routine": 0.6, "urgent": 0.6, "emergency": 0.45}, net) == "emergency"


def test_short_messages_are_left_to_the_lexicon(lex, net):
    """Typed answers to the coach's own questions are not symptoms."""
    assert net.min_words >= 3
    for text in ("off", "morning off", "half past 7", "3 days", "evening 21:00", "reps 3"):
        assert not scan_text(text, lex, net).suspected, text
    assert suspected_level({"routine": 0.9, "urgent": 0.9, "emergency": 0.9}, net, 2) == "none"


def test_a_lower_finding_is_upgraded_only_on_a_strong_suspicion(lex, net):
    """'A fever since yesterday' is urgent; the model's weaker hunches about an emergency in
    the same words do not add a bladder question to it."""
    scan = scan_text("I've had a fever since yesterday and feel rough", lex, net)
    assert scan.tier == "urgent" and not scan.suspected
    toy = parse_triage_net(_toy())
    assert suspected_level({"routine": 0.6, "urgent": 0.6, "emergency": 0.6}, toy) == "emergency"
    strong = {"routine": 0.6, "urgent": 0.6, "emergency": 0.6}
    assert suspected_level(strong, toy, upgrade=True) == "none"


def test_scores_are_probabilities_and_unknown_words_score_the_bias():
    net = parse_triage_net(_toy())
    silent = net_scores("the weather is lovely", net)
    assert all(0 < p < 0.05 for p in silent.values())
    loud = net_scores("I cant wee", net)
    assert loud["emergency"] > 0.99 and loud["bladder_bowel"] > 0.99


# ---------------------------------------------------------------------------------------------
# With the lexicon


@pytest.mark.parametrize(("text", "tier"), LEXICON_MISSES.items())
def test_wording_the_lexicon_misses_gets_a_question_at_its_tier(lex, net, text, tier):
    alone = scan_text(text, lex)
    both = scan_text(text, lex, net)
    assert alone.acted_tier != tier
    assert both.acted_tier == tier
    assert both.suspected and not both.findings  # asked about, never raised unasked
    assert all(f.tier == tier for f in both.suspected)


def test_the_model_picks_the_flag_to_ask_about(lex):
    net = parse_triage_net(_toy())
    scan = scan_text("blorp", lex, net)
    assert [(f.flag, f.tier) for f in scan.suspected] == [("fever_unwell", "urgent")]
    assert scan.acted_tier == "urgent" and scan.flags == ("fever_unwell",)


def test_a_level_with_no_flag_behind_it_asks_nothing(lex):
    """The toy's "blorp" scores urgent, and fever_unwell at 0.99: asked. With the fever head
    silenced, the level alone is a hunch the coach could not put a question to."""
    data = _toy()
    data["heads"]["fever_unwell"] = {"bias": -4.0, "weights": [-9.0, -9.0]}
    scan = scan_text("blorp", lex, parse_triage_net(data))
    assert not scan.suspected and scan.acted_tier == "none"
    data["flag_floor"] = 0.0
    scan = scan_text("blorp", lex, parse_triage_net(data))
    assert [(f.flag, f.tier) for f in scan.suspected] == [("fever_unwell", "urgent")]


def test_the_model_defers_to_the_lexicon_about_someone_else_below_emergency(lex):
    net = parse_triage_net(_toy())
    assert scan_text("I have blorp", lex, net).suspected
    scan = scan_text("my flatmate has a fever and blorp", lex, net)
    assert scan.about_others and not scan.suspected and scan.acted_tier == "none"


@pytest.mark.parametrize(
    "text",
    [
        "the kids have been a pain in the backside all day, blorp",  # an idiom the lexicon knows
        "pain down from 6 to 4 this week, blorp",  # falling scores
        "numbers going the right way: 6, 5, 5, 4, 3, blorp",
    ],
)
def test_the_model_defers_to_idioms_and_falling_scores_below_emergency(lex, text):
    net = parse_triage_net(_toy())
    scan = scan_text(text, lex, net)
    assert scan.benign and not scan.suspected and scan.acted_tier == "none"
    # the same suspicion in plain words is asked about
    assert scan_text("the kids have been loud all day, blorp", lex, net).suspected


def test_falling_scores_and_idioms_do_not_quiet_an_emergency_suspicion(lex):
    net = parse_triage_net(_toy())
    scan = scan_text("pain down from 6 to 4 this week but I cant wee", lex, net)
    assert scan.acted_tier == "emergency"


def test_the_model_does_not_raise_a_flag_the_lexicon_read_as_denied_below_emergency(lex):
    net = parse_triage_net(_toy())
    scan = scan_text("not feverish at all, blorp", lex, net)
    assert not scan.suspected and scan.acted_tier == "none"
    assert scan_text("a bit achy today, blorp", lex, net).acted_tier == "urgent"


def test_the_model_does_not_raise_an_emergency_the_lexicon_read_as_long_over(lex):
    net = parse_triage_net(_toy())
    scan = scan_text("couldnt wee after my op back in 2015, cleared up completely", lex, net)
    assert scan.over and not scan.suspected and scan.acted_tier == "none"
    # one that is over but recent is still asked about
    assert scan_text("couldnt wee last week, cleared up now", lex, net).acted_tier == "emergency"


def test_the_model_never_lowers_what_the_lexicon_found(lex):
    net = parse_triage_net(_toy())
    scan = scan_text("I can't feel my bum when I wipe, and blorp", lex, net)
    assert scan.tier == "emergency" and not scan.suspected


def test_coach_triage_uses_the_model_unless_told_not_to(lex, net):
    text = next(iter(LEXICON_MISSES))
    with_net, alone = io.StringIO(), io.StringIO()
    run_triage([text + "\n"], with_net, lex, net)
    run_triage([text + "\n"], alone, lex)
    assert json.loads(with_net.getvalue())["tier"] == "emergency"
    assert json.loads(alone.getvalue())["tier"] == "none"


# ---------------------------------------------------------------------------------------------
# Training


def _tiny() -> list[Example]:
    rows = []
    for i in range(12):
        rows.append(Example(f"i cant wee at all day {i}", "emergency", ("bladder_bowel",), "a"))
        rows.append(Example(f"burning fever and chills day {i}", "urgent", ("fever_unwell",), "a"))
        rows.append(Example(f"stretch done, felt fine day {i}", "none", (), "b"))
    return rows


def test_training_is_deterministic_and_learns_its_examples():
    first, second = fit(_tiny()), fit(_tiny())
    assert first == second
    net = parse_triage_net(first)
    assert suspected_level(net_scores("cant wee at all", net), net) == "emergency"
    assert suspected_level(net_scores("fever and chills", net), net) == "urgent"
    assert suspected_level(net_scores("stretch done, felt fine", net), net) == "none"
    assert net.trained_on["messages"] == 36 and net.trained_on["sets"] == ["a", "b"]


def test_cross_validation_holds_each_batch_out_and_prints_its_recall():
    rows = [
        *_tiny(),
        Example("cant wee since this morning", "emergency", ("bladder_bowel",), "c"),
        Example("feverish with chills all night", "urgent", ("fever_unwell",), "c"),
        Example("stretch done and felt fine", "none", (), "c"),
    ]
    out = io.StringIO()
    cross_validate(rows, out, folds=["c"])
    lines = out.getvalue().splitlines()
    assert lines[0].split()[0] == "c" and lines[-1].split()[0] == "all"
    assert "false alarms 0/1" in lines[0]


def test_every_blind_batch_is_a_fold():
    names = {p.stem for p in HERE.glob("*.yaml")}
    blind = {n for n in names if n.startswith("dev") or n[len("unseen") :].isdigit()}
    assert blind - {"unseen2", "unseen3"} <= set(BLIND) <= names
