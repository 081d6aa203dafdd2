"""Free-text scanner cost per message: the lexicon alone, and with the model, over every
labelled message in ``tests/triage`` (about 3,500), after one warm-up pass; plus the time to
load the model file at start-up. The target is a few milliseconds a message, far below a
Telegram round trip."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from content.loader import CONTENT_DIR
from content.triage import load_triage_lexicon
from content.triage_net import load_triage_net
from dialogs.triage_text import scan_text

SETS = Path(__file__).resolve().parents[1] / "tests" / "triage"


def run(quick: bool) -> list[tuple[str, str]]:
    texts = [
        item["text"]
        for path in sorted(SETS.glob("*.yaml"))
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    if quick:
        texts = texts[::4]
    lexicon = load_triage_lexicon(CONTENT_DIR / "en" / "triage.yaml")
    started = time.perf_counter()
    net = load_triage_net(CONTENT_DIR / "en" / "triage_net.json")
    load_s = time.perf_counter() - started
    rows = [("model load", f"{load_s * 1000:.0f} ms")]
    for label, model in (("lexicon alone", None), ("lexicon + model", net)):
        for text in texts:  # warm the word caches: the steady state is what users meet
            scan_text(text, lexicon, model)
        started = time.perf_counter()
        for text in texts:
            scan_text(text, lexicon, model)
        each = (time.perf_counter() - started) * 1000 / len(texts)
        rows.append((f"{label}, mean per message", f"{each:.2f} ms over {len(texts)}"))
    return rows
