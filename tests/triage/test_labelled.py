"""The free-text red-flag scanner: measured on labelled and unseen sets, pinned by unit tests.

Sets (printed as tables by ``pytest -s tests/triage``):

* ``labelled.yaml``: the tuning set. The lexicon was fitted to it, so its figures are an
  upper bound.
* ``unseen.yaml``: three hold-out batches written for the sentinel work, scored before any
  change (the "before" figures in docs/triage.md), then used to measure the changes.
* ``unseen2.yaml``: a fourth batch written after all changes and scored without any further
  change: the honest figure at that time. Its misses guided the issue-6 changes.
* ``unseen3.yaml``: a fifth batch written before the issue-6 changes were measured and scored
  once after them. Its misses, with unseen2's, guided the sentence-reach work.
* ``dev1.yaml``: a development batch written blind (by someone who had not seen the lexicon,
  the scanner or the earlier sets) and tuned on: fitted figures.
* ``unseen4.yaml``: a sixth batch, written blind at the same time as dev1, scored ONCE after
  the sentence-reach and dev1 changes: the current honest figure for messages the scanner
  has never seen. (The general-question change that followed lowered its false alarms; its
  recall pin is the first-sight figure.)
* ``unseen5.yaml``: a seventh batch, written blind after unseen4 was scored and scored ONCE
  after unseen4's misses were fitted.
* ``dev2.yaml``: a second development batch written blind on 2026-11-24; scored once at first
  sight, then tuned on.
* ``unseen6.yaml``: an eighth hold-out written blind with dev2 and scored ONCE after the dev2
  changes. Its misses were fitted afterwards.
* ``dev3.yaml``, ``dev4.yaml``: two more development batches written blind in a later session
  (dev4 emergency-heavy, asked for hard cases); scored once at first sight, then tuned on.
* ``unseen7.yaml``: a ninth hold-out written blind with dev3 and dev4 and scored ONCE after
  their changes. Its misses were fitted afterwards.
* ``dev5.yaml``, ``dev6.yaml``: development batches written blind in the session that added
  the model (``dialogs/triage_net.py``); scored once by the lexicon alone, then used to train
  the model. The lexicon was not changed for them.
* ``unseen8.yaml``: a tenth hold-out written blind with dev5 and dev6 and scored ONCE, by the
  lexicon with the model (trained on every other set). Then added to the model's training data.
* ``dev7.yaml`` (hard negatives), ``dev8.yaml``: written blind after the model was in; scored
  once with it, then added to its training data.
* ``unseen9.yaml``: an eleventh hold-out written with dev7 and dev8, scored ONCE with the model
  retrained on them. Its misses were then fitted.
* ``unseen10.yaml``, ``unseen11.yaml`` (hard no-flag messages): the last two hold-outs, scored
  ONCE together: the latest first-sight figures. Then fitted and trained on.

* ``unseen12.yaml``, ``unseen13.yaml``: written blind in session 4 and scored ONCE together
  after the general-question change; then fitted and trained on.
* ``unseen14.yaml``: an examiner's mix, scored ONCE after the unseen12/13 and posture changes.
* ``unseen15.yaml``: a hold-out scored ONCE after unseen14's changes and the model's flag
  floor; its misses (carers typing for the account holder) were then fitted.
* ``unseen16.yaml``, ``unseen17.yaml``, ``unseen18.yaml``: three hold-outs written blind in
  session 5 and scored ONCE together at commit 0403b33; then fitted and trained on.
* ``unseen19.yaml``, ``unseen20.yaml``, ``unseen21.yaml``: three hold-outs written blind in
  session 6 and scored ONCE together at commit 9a39f42; then fitted and trained on.
* ``unseen22.yaml``, ``unseen23.yaml``, ``unseen24.yaml``: three hold-outs written blind in
  session 7 and scored ONCE together at commit 3a9a7f8; then fitted and trained on.
* ``unseen25.yaml``, ``unseen26.yaml``, ``unseen27.yaml``: three hold-outs written blind in
  session 8 and scored ONCE together at commit 1d75e8e; then fitted and trained on.
* ``unseen28.yaml``, ``unseen29.yaml``, ``unseen30.yaml``: three hold-outs written blind in
  session 9 and scored ONCE together at commit 346d01d; then fitted and trained on.
* ``unseen31.yaml``, ``unseen32.yaml``, ``unseen33.yaml``: three hold-outs written blind in
  session 10 and scored ONCE together at commit d7faea0; then fitted and trained on.
* ``unseen34.yaml``, ``unseen35.yaml``, ``unseen36.yaml``: three hold-outs written blind later
  in session 10 and scored ONCE together at commit 39870ff; then fitted and trained on.
* ``unseen37.yaml``, ``unseen38.yaml``, ``unseen39.yaml``: three hold-outs written blind in
  session 11 and scored ONCE together at commit fe581c5; then fitted and trained on.
* ``unseen40.yaml``, ``unseen41.yaml``, ``unseen42.yaml``: three hold-outs written blind later
  in session 11 and scored ONCE together at commit 5754c47; then fitted and trained on.
* ``unseen43.yaml``, ``unseen44.yaml``, ``unseen45.yaml``: three hold-outs written blind last
  in session 11 and scored ONCE together at commit 787c6ff; then fitted and trained on.
* ``unseen46.yaml``, ``unseen47.yaml``, ``unseen48.yaml``: three hold-outs written blind in
  session 12 and scored ONCE together at commit e3aa08c; then fitted and trained on.
* ``unseen49.yaml``, ``unseen50.yaml``, ``unseen51.yaml``: three hold-outs, written blind
  later in session 12 and scored ONCE together at commit b028a7d; then fitted and trained on.
* ``unseen52.yaml``, ``unseen53.yaml``, ``unseen54.yaml``: three hold-outs, written blind in
  session 13 and scored ONCE together at commit 663876d; then fitted and trained on.
* ``unseen55.yaml``, ``unseen56.yaml``, ``unseen57.yaml``: three hold-outs, written blind
  later in session 13 and scored ONCE together at commit 260070e; then fitted and trained on.
* ``unseen58.yaml``, ``unseen59.yaml``, ``unseen60.yaml``: three hold-outs, written blind in
  session 14 from docs/triage-brief.md and scored ONCE together at commit 5cb57b2; then fitted
  and trained on.
* ``unseen61.yaml``, ``unseen62.yaml``, ``unseen63.yaml``: three hold-outs, written blind
  later in session 14 and scored ONCE together at commit 36b41fe; then fitted and trained on.
* ``unseen64.yaml``, ``unseen65.yaml``, ``unseen66.yaml``: three hold-outs, written blind in
  session 15 and scored ONCE together at commit 553aa40; then fitted and trained on.
* ``unseen67.yaml``, ``unseen68.yaml``, ``unseen69.yaml``: three hold-outs, written blind
  later in session 15 and scored ONCE together at commit 3ea8a3c; then fitted and trained on.
* ``unseen70.yaml``, ``unseen71.yaml``, ``unseen72.yaml``: three hold-outs, written blind in
  session 16 and scored ONCE together at commit 6a96094; then fitted and trained on.
* ``unseen73.yaml``, ``unseen74.yaml``, ``unseen75.yaml``: three hold-outs, written blind in
  session 17 and scored ONCE together at commit 0e01951; then fitted and trained on.
* ``unseen76.yaml``, ``unseen77.yaml``, ``unseen78.yaml``: three hold-outs, written blind in
  session 18 and scored ONCE together at commit 73b5410; then fitted and trained on.
* ``unseen79.yaml``, ``unseen80.yaml``, ``unseen81.yaml``: three hold-outs, written blind in
  session 19 and scored ONCE together at commit 1c7dfcc; then fitted and trained on.
* ``unseen82.yaml``, ``unseen83.yaml``, ``unseen84.yaml``: the last three hold-outs, written
  blind later in session 19 and scored ONCE together at commit 8d6ca8b; then fitted and
  trained on.

The model is trained on every set here, so its figures on them are fitted; its honest figures
are unseen8's first sight and the leave-one-batch-out study in docs/triage.md.

Metrics:

* recall for tier T = share of messages labelled T whose *acted* tier (findings and
  confirming questions) is at least T. A confirming yes/no question counts at the tier it
  asks about, as in ``coach triage``. Targets: emergency 100%, urgent and routine >= 95%.
* exact rate for tier T = share of messages labelled T whose acted tier is exactly T.
* false-alarm rate = share of messages labelled ``none`` whose acted tier is not ``none``.
  Target <= 10%. Messages that negate or ask about an emergency symptom ("no numbness in my
  legs") are designed to trigger a confirming question; the table also shows the rate
  without them.

Targets: emergency recall 100% on every set; urgent and routine >= 95% on the labelled set and
>= 90% on the unseen sets; false alarms <= 10% on each set.
"""

from __future__ import annotations

import io
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.triage_cli import run_triage
from content.errors import ContentError
from content.triage import FLAG_IDS, TriageLexicon, iter_patterns, load_triage_lexicon
from content.triage_net import TriageNet, load_triage_net
from dialogs.triage_text import TIER_RANK, TextScan, scan_text

ROOT = Path(__file__).resolve().parents[2]
LEXICON_FILE = ROOT / "content" / "en" / "triage.yaml"
NET_FILE = ROOT / "content" / "en" / "triage_net.json"
HERE = Path(__file__).resolve().parent
LABELLED_FILE = HERE / "labelled.yaml"
SET_FILES = {
    "labelled": LABELLED_FILE,
    "unseen": HERE / "unseen.yaml",
    "unseen2": HERE / "unseen2.yaml",
    "unseen3": HERE / "unseen3.yaml",
    "dev1": HERE / "dev1.yaml",
    "unseen4": HERE / "unseen4.yaml",
    "unseen5": HERE / "unseen5.yaml",
    "dev2": HERE / "dev2.yaml",
    "unseen6": HERE / "unseen6.yaml",
    "dev3": HERE / "dev3.yaml",
    "dev4": HERE / "dev4.yaml",
    "unseen7": HERE / "unseen7.yaml",
    "dev5": HERE / "dev5.yaml",
    "dev6": HERE / "dev6.yaml",
    "unseen8": HERE / "unseen8.yaml",
    "dev7": HERE / "dev7.yaml",
    "dev8": HERE / "dev8.yaml",
    "unseen9": HERE / "unseen9.yaml",
    "unseen10": HERE / "unseen10.yaml",
    "unseen11": HERE / "unseen11.yaml",
    "unseen12": HERE / "unseen12.yaml",
    "unseen13": HERE / "unseen13.yaml",
    "unseen14": HERE / "unseen14.yaml",
    "unseen15": HERE / "unseen15.yaml",
    "unseen16": HERE / "unseen16.yaml",
    "unseen17": HERE / "unseen17.yaml",
    "unseen18": HERE / "unseen18.yaml",
    "unseen19": HERE / "unseen19.yaml",
    "unseen20": HERE / "unseen20.yaml",
    "unseen21": HERE / "unseen21.yaml",
    "unseen22": HERE / "unseen22.yaml",
    "unseen23": HERE / "unseen23.yaml",
    "unseen24": HERE / "unseen24.yaml",
    "unseen25": HERE / "unseen25.yaml",
    "unseen26": HERE / "unseen26.yaml",
    "unseen27": HERE / "unseen27.yaml",
    "unseen28": HERE / "unseen28.yaml",
    "unseen29": HERE / "unseen29.yaml",
    "unseen30": HERE / "unseen30.yaml",
    "unseen31": HERE / "unseen31.yaml",
    "unseen32": HERE / "unseen32.yaml",
    "unseen33": HERE / "unseen33.yaml",
    "unseen34": HERE / "unseen34.yaml",
    "unseen35": HERE / "unseen35.yaml",
    "unseen36": HERE / "unseen36.yaml",
    "unseen37": HERE / "unseen37.yaml",
    "unseen38": HERE / "unseen38.yaml",
    "unseen39": HERE / "unseen39.yaml",
    "unseen40": HERE / "unseen40.yaml",
    "unseen41": HERE / "unseen41.yaml",
    "unseen42": HERE / "unseen42.yaml",
    "unseen43": HERE / "unseen43.yaml",
    "unseen44": HERE / "unseen44.yaml",
    "unseen45": HERE / "unseen45.yaml",
    "unseen46": HERE / "unseen46.yaml",
    "unseen47": HERE / "unseen47.yaml",
    "unseen48": HERE / "unseen48.yaml",
    "unseen49": HERE / "unseen49.yaml",
    "unseen50": HERE / "unseen50.yaml",
    "unseen51": HERE / "unseen51.yaml",
    "unseen52": HERE / "unseen52.yaml",
    "unseen53": HERE / "unseen53.yaml",
    "unseen54": HERE / "unseen54.yaml",
    "unseen55": HERE / "unseen55.yaml",
    "unseen56": HERE / "unseen56.yaml",
    "unseen57": HERE / "unseen57.yaml",
    "unseen58": HERE / "unseen58.yaml",
    "unseen59": HERE / "unseen59.yaml",
    "unseen60": HERE / "unseen60.yaml",
    "unseen61": HERE / "unseen61.yaml",
    "unseen62": HERE / "unseen62.yaml",
    "unseen63": HERE / "unseen63.yaml",
    "unseen64": HERE / "unseen64.yaml",
    "unseen65": HERE / "unseen65.yaml",
    "unseen66": HERE / "unseen66.yaml",
    "unseen67": HERE / "unseen67.yaml",
    "unseen68": HERE / "unseen68.yaml",
    "unseen69": HERE / "unseen69.yaml",
    "unseen70": HERE / "unseen70.yaml",
    "unseen71": HERE / "unseen71.yaml",
    "unseen72": HERE / "unseen72.yaml",
    "unseen73": HERE / "unseen73.yaml",
    "unseen74": HERE / "unseen74.yaml",
    "unseen75": HERE / "unseen75.yaml",
    "unseen76": HERE / "unseen76.yaml",
    "unseen77": HERE / "unseen77.yaml",
    "unseen78": HERE / "unseen78.yaml",
    "unseen79": HERE / "unseen79.yaml",
    "unseen80": HERE / "unseen80.yaml",
    "unseen81": HERE / "unseen81.yaml",
    "unseen82": HERE / "unseen82.yaml",
    "unseen83": HERE / "unseen83.yaml",
    "unseen84": HERE / "unseen84.yaml",
}
TIERS = ("emergency", "urgent", "routine")
TARGET_RECALL = {"emergency": 1.0, "urgent": 0.95, "routine": 0.95}
TARGET_RECALL_UNSEEN = {"emergency": 1.0, "urgent": 0.90, "routine": 0.90}
# First-sight figures: what each hold-out reached when it was scored ONCE, before any change
# made for it. They are the honest figures for wording the scanner had never seen.
# unseen2: scored once after the issue-5/6 changes of that round.
FIRST_SIGHT_UNSEEN2 = {"emergency": 26 / 37, "urgent": 10 / 12, "routine": 0.90}
# unseen3: written before the issue-6 changes were measured; false alarms 2/61 (both designed).
FIRST_SIGHT_UNSEEN3 = {"emergency": 40 / 43, "urgent": 14 / 16, "routine": 1.0}
# unseen4: written blind, scored after the sentence-reach and dev1 changes; false alarms
# 13/74 (6 designed).
FIRST_SIGHT_UNSEEN4 = {"emergency": 57 / 59, "urgent": 28 / 30, "routine": 22 / 25}
# unseen5: written blind after unseen4 was scored; false alarms 15/79 (7 designed).
FIRST_SIGHT_UNSEEN5 = {"emergency": 57 / 63, "urgent": 27 / 30, "routine": 23 / 25}
# dev2: a development batch written blind on 2026-11-24, scored at commit 43b5fc4, then tuned
# on; false alarms 14/93 (5 designed).
FIRST_SIGHT_DEV2 = {"emergency": 76 / 90, "urgent": 37 / 45, "routine": 28 / 35}
# unseen6: an eighth hold-out written blind on 2026-11-24, scored ONCE at commit c76f6c3
# (after the dev2 changes); false alarms 15/77 (5 designed). Its misses were fitted after.
FIRST_SIGHT_UNSEEN6 = {"emergency": 58 / 67, "urgent": 28 / 32, "routine": 22 / 27}
# dev3, dev4: development batches written blind in a later session on 2026-11-24; dev3 scored
# at commit 369de7a (false alarms 22/93, 19 designed), dev4 (emergency-heavy) just after
# (false alarms 16/49, 11 designed); both then tuned on.
FIRST_SIGHT_DEV3 = {"emergency": 86 / 89, "urgent": 36 / 43, "routine": 27 / 36}
FIRST_SIGHT_DEV4 = {"emergency": 110 / 134, "urgent": 8 / 10, "routine": 8 / 10}
# unseen7: a ninth hold-out written blind with dev3 and dev4 and scored ONCE at commit d0189e8,
# after all their changes; false alarms 12/73 (9 designed). Its misses were fitted after.
FIRST_SIGHT_UNSEEN7 = {"emergency": 68 / 71, "urgent": 29 / 35, "routine": 23 / 28}
# dev5, dev6: written blind in the session that added the model; scored by the lexicon alone at
# commit b06aafc (dev5 false alarms 14/71, 10 designed; dev6 8/52, 5 designed). The lexicon was
# not fitted to them, so these stay its figures; the model was trained on them.
FIRST_SIGHT_DEV5 = {"emergency": 69 / 74, "urgent": 34 / 40, "routine": 33 / 35}
FIRST_SIGHT_DEV6 = {"emergency": 41 / 42, "urgent": 56 / 59, "routine": 40 / 49}
# unseen8: a tenth hold-out written blind with dev5 and dev6, scored ONCE by the lexicon with
# the model (trained on every set but this one): every emergency, urgent and routine message
# caught, false alarms 20/76 (10 designed). The lexicon alone, on the same messages: below.
FIRST_SIGHT_UNSEEN8_WITH_MODEL = {"emergency": 72 / 72, "urgent": 38 / 38, "routine": 32 / 32}
FIRST_SIGHT_UNSEEN8 = {"emergency": 68 / 72, "urgent": 36 / 38, "routine": 27 / 32}
# dev7 (none-heavy, hard negatives) and dev8: written blind after the model was in, scored at
# commit 0bedbf1 with the model (dev7 false alarms 53/185, 17 designed; dev8 20/74, 7 designed),
# then added to its training data. The lexicon alone, not fitted to them, pinned below.
FIRST_SIGHT_DEV7_WITH_MODEL = {"emergency": 38 / 38, "urgent": 16 / 16, "routine": 15 / 15}
FIRST_SIGHT_DEV8_WITH_MODEL = {"emergency": 75 / 75, "urgent": 40 / 40, "routine": 35 / 35}
LEXICON_DEV7 = {"emergency": 37 / 38, "urgent": 15 / 16, "routine": 14 / 15}
LEXICON_DEV8 = {"emergency": 65 / 75, "urgent": 35 / 40, "routine": 32 / 35}
# unseen9: an eleventh hold-out written blind with dev7 and dev8, scored ONCE with the lexicon
# and the model retrained on them: false alarms 17/80 (11 designed). Its three misses were then
# fitted in the lexicon (the lexicon alone is 67/70, 35/37, 30/31 after that).
FIRST_SIGHT_UNSEEN9_WITH_MODEL = {"emergency": 69 / 70, "urgent": 35 / 37, "routine": 31 / 31}
FIRST_SIGHT_UNSEEN9 = {"emergency": 66 / 70, "urgent": 33 / 37, "routine": 30 / 31}
LEXICON_UNSEEN9 = {"emergency": 67 / 70, "urgent": 35 / 37, "routine": 30 / 31}
# unseen10 (minimised and buried signs) and unseen11 (hard no-flag messages): the last two
# hold-outs, written blind together and scored ONCE at commit 0f53240 with the model trained on
# every set up to unseen9: unseen10 false alarms 18/69 (9 designed), unseen11 34/163 (13
# designed). unseen10's two misses were then fitted in the lexicon; both joined the training.
FIRST_SIGHT_UNSEEN10_WITH_MODEL = {"emergency": 72 / 73, "urgent": 37 / 38, "routine": 32 / 32}
FIRST_SIGHT_UNSEEN11_WITH_MODEL = {"emergency": 36 / 36, "urgent": 12 / 12, "routine": 12 / 12}
LEXICON_UNSEEN10 = {"emergency": 73 / 73, "urgent": 37 / 38, "routine": 30 / 32}
LEXICON_UNSEEN11 = {"emergency": 34 / 36, "urgent": 12 / 12, "routine": 12 / 12}
# unseen12 (buried signs, everyday wording) and unseen13 (signs told by their effect; no-flag
# messages full of red-flag words): written blind together in session 4 and scored ONCE at
# commit 27901ab with the model trained on every set up to unseen11: unseen12 false alarms
# 21/92 (9 designed), unseen13 21/81 (7 designed). unseen13's misses were then fitted in the
# lexicon; both joined the training.
FIRST_SIGHT_UNSEEN12_WITH_MODEL = {"emergency": 62 / 62, "urgent": 36 / 36, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN13_WITH_MODEL = {"emergency": 69 / 72, "urgent": 34 / 35, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN12 = {"emergency": 59 / 62, "urgent": 34 / 36, "routine": 27 / 29}
FIRST_SIGHT_UNSEEN13 = {"emergency": 60 / 72, "urgent": 28 / 35, "routine": 22 / 29}
LEXICON_UNSEEN12 = FIRST_SIGHT_UNSEEN12
# unseen14 (an examiner's mix of every hard case the issue names): written blind in session 4
# and scored ONCE at commit 4041e23, after the unseen12/13 changes, with the model trained on
# every set up to unseen13: false alarms 22/90 (11 designed). Some false alarms were then fitted.
FIRST_SIGHT_UNSEEN14_WITH_MODEL = {"emergency": 61 / 61, "urgent": 34 / 34, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN14 = {"emergency": 57 / 61, "urgent": 33 / 34, "routine": 26 / 28}
# unseen15 (typed mid-session, carers typing for the account holder, second-language English):
# the last hold-out, written with unseen14 and scored ONCE at commit e2933d0, after the
# unseen14 changes and the flag floor: false alarms 15/85 (8 designed). Its misses (carers on
# the account holder's phone) were then fitted in the lexicon.
FIRST_SIGHT_UNSEEN15_WITH_MODEL = {"emergency": 61 / 65, "urgent": 33 / 35, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN15 = {"emergency": 59 / 65, "urgent": 30 / 35, "routine": 25 / 29}
LEXICON_UNSEEN15 = {"emergency": 64 / 65, "urgent": 32 / 35, "routine": 26 / 29}
LEXICON_UNSEEN13 = {"emergency": 63 / 72, "urgent": 28 / 35, "routine": 23 / 29}
# unseen16 (signs told by what happened on the stairs or the toilet, many Englishes), unseen17
# (hard cases: odd negation, resolved and other people's signs, hedged and buried signs) and
# unseen18 (text-speak, voice-to-text, plain words): the last three hold-outs, written blind
# together in session 5 and scored ONCE at commit 0403b33 with the model trained on every set
# up to unseen15: false alarms 32/87 (10 designed), 24/94 (12), 21/87 (12). Then fitted in the
# lexicon and trained on.
FIRST_SIGHT_UNSEEN16_WITH_MODEL = {"emergency": 56 / 61, "urgent": 33 / 34, "routine": 29 / 31}
FIRST_SIGHT_UNSEEN17_WITH_MODEL = {"emergency": 53 / 55, "urgent": 31 / 31, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN18_WITH_MODEL = {"emergency": 58 / 59, "urgent": 34 / 34, "routine": 26 / 26}
FIRST_SIGHT_UNSEEN16 = {"emergency": 47 / 61, "urgent": 30 / 34, "routine": 25 / 31}
FIRST_SIGHT_UNSEEN17 = {"emergency": 49 / 55, "urgent": 26 / 31, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN18 = {"emergency": 54 / 59, "urgent": 33 / 34, "routine": 24 / 26}
LEXICON_UNSEEN16 = {"emergency": 50 / 61, "urgent": 31 / 34, "routine": 26 / 31}
LEXICON_UNSEEN17 = {"emergency": 51 / 55, "urgent": 26 / 31, "routine": 26 / 28}
LEXICON_UNSEEN18 = {"emergency": 56 / 59, "urgent": 33 / 34, "routine": 24 / 26}
# unseen19 (typed during or after a session), unseen20 (older users and carers, long medical
# histories) and unseen21 (the world's Englishes, second-language English): the last three
# hold-outs, written blind together in session 6 and scored ONCE at commit 9a39f42 with the
# model trained on every set up to unseen18: false alarms 21/87 (7 designed), 35/88 (7),
# 22/88 (4). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN19_WITH_MODEL = {"emergency": 60 / 62, "urgent": 34 / 34, "routine": 27 / 28}
FIRST_SIGHT_UNSEEN20_WITH_MODEL = {"emergency": 58 / 62, "urgent": 31 / 35, "routine": 27 / 30}
FIRST_SIGHT_UNSEEN21_WITH_MODEL = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN19 = {"emergency": 58 / 62, "urgent": 32 / 34, "routine": 24 / 28}
FIRST_SIGHT_UNSEEN20 = {"emergency": 53 / 62, "urgent": 31 / 35, "routine": 27 / 30}
FIRST_SIGHT_UNSEEN21 = {"emergency": 48 / 62, "urgent": 26 / 35, "routine": 27 / 30}
LEXICON_UNSEEN19 = {"emergency": 60 / 62, "urgent": 32 / 34, "routine": 25 / 28}
LEXICON_UNSEEN20 = {"emergency": 55 / 62, "urgent": 35 / 35, "routine": 29 / 30}
LEXICON_UNSEEN21 = {"emergency": 49 / 62, "urgent": 26 / 35, "routine": 27 / 30}
# unseen22 (younger adults, text-speak), unseen23 (other conditions and medicines, health
# workers' words) and unseen24 (replies to reminders and check-ins, long rambling messages):
# the last three hold-outs, written blind together in session 7 and scored ONCE at commit
# 3a9a7f8 with the model trained on every set up to unseen21: false alarms 14/89 (7
# designed), 17/88 (7), 20/85 (10). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN22_WITH_MODEL = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN23_WITH_MODEL = {"emergency": 62 / 62, "urgent": 34 / 35, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN24_WITH_MODEL = {"emergency": 62 / 62, "urgent": 33 / 35, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN22 = {"emergency": 60 / 62, "urgent": 33 / 35, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN23 = {"emergency": 59 / 62, "urgent": 34 / 35, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN24 = {"emergency": 60 / 62, "urgent": 33 / 35, "routine": 28 / 29}
LEXICON_UNSEEN22 = {"emergency": 61 / 62, "urgent": 33 / 35, "routine": 28 / 29}
LEXICON_UNSEEN23 = {"emergency": 59 / 62, "urgent": 35 / 35, "routine": 28 / 29}
LEXICON_UNSEEN24 = {"emergency": 60 / 62, "urgent": 35 / 35, "routine": 28 / 29}
# unseen25 (people who play things down: euphemism, understatement), unseen26 (worried
# questions, corrections and updates) and unseen27 (schedules and logistics, very short
# messages): the last three hold-outs, written blind together in session 8 and scored ONCE at
# commit 1d75e8e with the model trained on every set up to unseen24: false alarms 16/86 (6
# designed), 19/86 (10), 12/84 (4). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN25_WITH_MODEL = {"emergency": 57 / 62, "urgent": 34 / 35, "routine": 28 / 30}
FIRST_SIGHT_UNSEEN26_WITH_MODEL = {"emergency": 60 / 62, "urgent": 32 / 35, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN27_WITH_MODEL = {"emergency": 62 / 62, "urgent": 33 / 34, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN25 = {"emergency": 51 / 62, "urgent": 29 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN26 = {"emergency": 57 / 62, "urgent": 27 / 35, "routine": 28 / 30}
FIRST_SIGHT_UNSEEN27 = {"emergency": 61 / 62, "urgent": 29 / 34, "routine": 28 / 28}
LEXICON_UNSEEN25 = {"emergency": 55 / 62, "urgent": 30 / 35, "routine": 28 / 30}
LEXICON_UNSEEN26 = {"emergency": 60 / 62, "urgent": 30 / 35, "routine": 28 / 30}
LEXICON_UNSEEN27 = {"emergency": 61 / 62, "urgent": 30 / 34, "routine": 28 / 28}
# unseen28 (an examiner's even mix), unseen29 (back stories and timelines) and unseen30 (where
# in the body and which side): the last three hold-outs, written blind together in session 9
# and scored ONCE at commit 346d01d with the model trained on every set up to unseen27: false
# alarms 19/83 (14 designed), 27/85 (12), 18/78 (8). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN28_WITH_MODEL = {"emergency": 59 / 59, "urgent": 28 / 31, "routine": 26 / 26}
FIRST_SIGHT_UNSEEN29_WITH_MODEL = {"emergency": 62 / 63, "urgent": 34 / 34, "routine": 26 / 27}
FIRST_SIGHT_UNSEEN30_WITH_MODEL = {"emergency": 60 / 61, "urgent": 34 / 34, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN28 = {"emergency": 53 / 59, "urgent": 28 / 31, "routine": 25 / 26}
FIRST_SIGHT_UNSEEN29 = {"emergency": 58 / 63, "urgent": 30 / 34, "routine": 24 / 27}
FIRST_SIGHT_UNSEEN30 = {"emergency": 59 / 61, "urgent": 32 / 34, "routine": 26 / 27}
LEXICON_UNSEEN28 = {"emergency": 57 / 59, "urgent": 31 / 31, "routine": 26 / 26}
LEXICON_UNSEEN29 = {"emergency": 63 / 63, "urgent": 34 / 34, "routine": 27 / 27}
LEXICON_UNSEEN30 = {"emergency": 61 / 61, "urgent": 33 / 34, "routine": 26 / 27}
# unseen31 (mid-session replies), unseen32 (toilet, sex and body life) and unseen33 (an
# examiner trying to catch the scanner out both ways): the last three hold-outs, written blind
# together in session 10 and scored ONCE at commit d7faea0 with the model trained on every set
# up to unseen30: false alarms 14/80 (6 designed), 15/84 (4), 15/81 (5). Then fitted in the
# lexicon and trained on.
FIRST_SIGHT_UNSEEN31_WITH_MODEL = {"emergency": 61 / 61, "urgent": 32 / 34, "routine": 26 / 27}
FIRST_SIGHT_UNSEEN32_WITH_MODEL = {"emergency": 60 / 60, "urgent": 35 / 35, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN33_WITH_MODEL = {"emergency": 61 / 62, "urgent": 34 / 34, "routine": 24 / 27}
FIRST_SIGHT_UNSEEN31 = {"emergency": 57 / 61, "urgent": 29 / 34, "routine": 23 / 27}
FIRST_SIGHT_UNSEEN32 = {"emergency": 59 / 60, "urgent": 35 / 35, "routine": 22 / 27}
FIRST_SIGHT_UNSEEN33 = {"emergency": 59 / 62, "urgent": 31 / 34, "routine": 23 / 27}
LEXICON_UNSEEN31 = {"emergency": 61 / 61, "urgent": 33 / 34, "routine": 25 / 27}
LEXICON_UNSEEN32 = {"emergency": 60 / 60, "urgent": 35 / 35, "routine": 24 / 27}
LEXICON_UNSEEN33 = {"emergency": 62 / 62, "urgent": 33 / 34, "routine": 25 / 27}
# unseen34 (an examiner's even mix), unseen35 (physical jobs and sport) and unseen36 (worry
# and distress, late at night): the last three hold-outs, written blind together later in
# session 10 and scored ONCE at commit 39870ff with the model trained on every set up to
# unseen33: false alarms 9/83 (4 designed), 12/80 (4), 16/83 (5). Then fitted in the lexicon
# and trained on.
FIRST_SIGHT_UNSEEN34_WITH_MODEL = {"emergency": 58 / 60, "urgent": 34 / 35, "routine": 22 / 22}
FIRST_SIGHT_UNSEEN35_WITH_MODEL = {"emergency": 61 / 62, "urgent": 37 / 37, "routine": 29 / 30}
FIRST_SIGHT_UNSEEN36_WITH_MODEL = {"emergency": 62 / 63, "urgent": 34 / 34, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN34 = {"emergency": 58 / 60, "urgent": 32 / 35, "routine": 18 / 22}
FIRST_SIGHT_UNSEEN35 = {"emergency": 57 / 62, "urgent": 34 / 37, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN36 = {"emergency": 60 / 63, "urgent": 32 / 34, "routine": 23 / 27}
LEXICON_UNSEEN34 = {"emergency": 60 / 60, "urgent": 33 / 35, "routine": 20 / 22}
LEXICON_UNSEEN35 = {"emergency": 61 / 62, "urgent": 35 / 37, "routine": 27 / 30}
LEXICON_UNSEEN36 = {"emergency": 63 / 63, "urgent": 32 / 34, "routine": 25 / 27}
# unseen37 (second-language and older writers), unseen38 (dictated and thumbed on a phone) and
# unseen39 (other health conditions and life stages): the last three hold-outs, written blind
# together in session 11 and scored ONCE at commit fe581c5 with the model trained on every set
# up to unseen36: every emergency caught; false alarms 16/90 (5 designed), 8/76 (5), 21/86
# (8). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN37_WITH_MODEL = {"emergency": 61 / 61, "urgent": 33 / 35, "routine": 29 / 30}
FIRST_SIGHT_UNSEEN38_WITH_MODEL = {"emergency": 60 / 60, "urgent": 33 / 34, "routine": 26 / 27}
FIRST_SIGHT_UNSEEN39_WITH_MODEL = {"emergency": 61 / 61, "urgent": 35 / 35, "routine": 26 / 26}
FIRST_SIGHT_UNSEEN37 = {"emergency": 53 / 61, "urgent": 27 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN38 = {"emergency": 57 / 60, "urgent": 31 / 34, "routine": 23 / 27}
FIRST_SIGHT_UNSEEN39 = {"emergency": 58 / 61, "urgent": 34 / 35, "routine": 23 / 26}
LEXICON_UNSEEN37 = {"emergency": 61 / 61, "urgent": 33 / 35, "routine": 28 / 30}
LEXICON_UNSEEN38 = {"emergency": 60 / 60, "urgent": 34 / 34, "routine": 26 / 27}
LEXICON_UNSEEN39 = {"emergency": 61 / 61, "urgent": 34 / 35, "routine": 25 / 26}
# unseen40 (everyday life in detail), unseen41 (diaries and progress reports) and unseen42
# (blunt, jokey people): the last three hold-outs, written blind together later in session 11
# and scored ONCE at commit 5754c47 with the model trained on every set up to unseen39: false
# alarms 13/86 (8 designed), 9/89 (4), 16/84 (7). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN40_WITH_MODEL = {"emergency": 64 / 64, "urgent": 35 / 35, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN41_WITH_MODEL = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 26 / 31}
FIRST_SIGHT_UNSEEN42_WITH_MODEL = {"emergency": 59 / 62, "urgent": 35 / 36, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN40 = {"emergency": 61 / 64, "urgent": 32 / 35, "routine": 27 / 29}
FIRST_SIGHT_UNSEEN41 = {"emergency": 59 / 62, "urgent": 34 / 35, "routine": 22 / 31}
FIRST_SIGHT_UNSEEN42 = {"emergency": 52 / 62, "urgent": 33 / 36, "routine": 29 / 30}
LEXICON_UNSEEN40 = {"emergency": 64 / 64, "urgent": 33 / 35, "routine": 29 / 29}
LEXICON_UNSEEN41 = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 27 / 31}
LEXICON_UNSEEN42 = {"emergency": 61 / 62, "urgent": 36 / 36, "routine": 30 / 30}
# unseen43 (an examiner, both ways), unseen44 (very short and very long messages) and unseen45
# (signs told by what people can or cannot do): the last three hold-outs, written blind
# together last in session 11 and scored ONCE at commit 787c6ff with the model trained on
# every set up to unseen42: false alarms 14/79 (8 designed), 17/81 (5), 11/76 (7). Then
# fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN43_WITH_MODEL = {"emergency": 59 / 61, "urgent": 35 / 36, "routine": 25 / 26}
FIRST_SIGHT_UNSEEN44_WITH_MODEL = {"emergency": 60 / 60, "urgent": 34 / 34, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN45_WITH_MODEL = {"emergency": 60 / 61, "urgent": 32 / 33, "routine": 24 / 28}
FIRST_SIGHT_UNSEEN43 = {"emergency": 53 / 61, "urgent": 30 / 36, "routine": 23 / 26}
FIRST_SIGHT_UNSEEN44 = {"emergency": 60 / 60, "urgent": 33 / 34, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN45 = {"emergency": 52 / 61, "urgent": 27 / 33, "routine": 18 / 28}
LEXICON_UNSEEN43 = {"emergency": 58 / 61, "urgent": 32 / 36, "routine": 25 / 26}
LEXICON_UNSEEN44 = {"emergency": 60 / 60, "urgent": 33 / 34, "routine": 29 / 29}
LEXICON_UNSEEN45 = {"emergency": 58 / 61, "urgent": 28 / 33, "routine": 22 / 28}
# unseen46 (numbers everywhere), unseen47 (what the doctor said) and unseen48 (women's and
# men's health): three hold-outs, written blind together in session 12 and scored
# ONCE at commit e3aa08c with the model trained on every set up to unseen45: false alarms
# 13/88 (7 designed), 13/89 (8), 13/82 (6). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN46_WITH_MODEL = {"emergency": 61 / 62, "urgent": 34 / 35, "routine": 28 / 30}
FIRST_SIGHT_UNSEEN47_WITH_MODEL = {"emergency": 61 / 62, "urgent": 32 / 35, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN48_WITH_MODEL = {"emergency": 62 / 62, "urgent": 34 / 35, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN46 = {"emergency": 58 / 62, "urgent": 28 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN47 = {"emergency": 58 / 62, "urgent": 30 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN48 = {"emergency": 57 / 62, "urgent": 33 / 35, "routine": 24 / 27}
LEXICON_UNSEEN46 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 30 / 30}
LEXICON_UNSEEN47 = {"emergency": 60 / 62, "urgent": 34 / 35, "routine": 30 / 30}
LEXICON_UNSEEN48 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 27 / 27}
# unseen49 (an examiner, both ways), unseen50 (several people in one message) and unseen51
# (mangled spelling): the last three hold-outs, written blind together later in session 12
# and scored ONCE at commit b028a7d with the model trained on every set up to unseen48: false
# alarms 16/85 (7 designed), 9/88 (7), 12/79 (5). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN49_WITH_MODEL = {"emergency": 53 / 55, "urgent": 32 / 34, "routine": 24 / 24}
FIRST_SIGHT_UNSEEN50_WITH_MODEL = {"emergency": 61 / 62, "urgent": 33 / 35, "routine": 28 / 30}
FIRST_SIGHT_UNSEEN51_WITH_MODEL = {"emergency": 63 / 63, "urgent": 34 / 34, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN49 = {"emergency": 48 / 55, "urgent": 30 / 34, "routine": 23 / 24}
FIRST_SIGHT_UNSEEN50 = {"emergency": 59 / 62, "urgent": 31 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN51 = {"emergency": 52 / 63, "urgent": 31 / 34, "routine": 25 / 28}
LEXICON_UNSEEN49 = {"emergency": 54 / 55, "urgent": 33 / 34, "routine": 23 / 24}
LEXICON_UNSEEN50 = {"emergency": 60 / 62, "urgent": 33 / 35, "routine": 26 / 30}
LEXICON_UNSEEN51 = {"emergency": 62 / 63, "urgent": 34 / 34, "routine": 28 / 28}
# unseen52 (structured and formatted messages), unseen53 (night, sleep and times of day) and
# unseen54 (talking to the bot itself): the last three hold-outs, written blind together in
# session 13 and scored ONCE at commit 663876d with the model trained on every set up to
# unseen51: false alarms 6/84 (5 designed), 13/89 (7), 6/85 (3). Then fitted in the lexicon
# and trained on.
FIRST_SIGHT_UNSEEN52_WITH_MODEL = {"emergency": 60 / 62, "urgent": 35 / 35, "routine": 26 / 30}
FIRST_SIGHT_UNSEEN53_WITH_MODEL = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 29 / 30}
FIRST_SIGHT_UNSEEN54_WITH_MODEL = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN52 = {"emergency": 58 / 62, "urgent": 31 / 35, "routine": 21 / 30}
FIRST_SIGHT_UNSEEN53 = {"emergency": 58 / 62, "urgent": 30 / 35, "routine": 27 / 30}
FIRST_SIGHT_UNSEEN54 = {"emergency": 61 / 62, "urgent": 32 / 35, "routine": 25 / 30}
LEXICON_UNSEEN52 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 25 / 30}
LEXICON_UNSEEN53 = {"emergency": 62 / 62, "urgent": 33 / 35, "routine": 27 / 30}
LEXICON_UNSEEN54 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 25 / 30}
# unseen55 (travel and holidays), unseen56 (formal, letter-like messages) and unseen57 (an
# examiner testing the borderlines): the last three hold-outs, written blind together later in
# session 13 and scored ONCE at commit 260070e with the model trained on every set up to
# unseen54: false alarms 9/85 (6 designed), 17/88 (7), 22/76 (6). Then fitted in the lexicon
# and trained on.
FIRST_SIGHT_UNSEEN55_WITH_MODEL = {"emergency": 61 / 62, "urgent": 34 / 35, "routine": 27 / 28}
FIRST_SIGHT_UNSEEN56_WITH_MODEL = {"emergency": 60 / 62, "urgent": 33 / 35, "routine": 30 / 30}
FIRST_SIGHT_UNSEEN57_WITH_MODEL = {"emergency": 59 / 62, "urgent": 34 / 35, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN55 = {"emergency": 59 / 62, "urgent": 34 / 35, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN56 = {"emergency": 56 / 62, "urgent": 26 / 35, "routine": 22 / 30}
FIRST_SIGHT_UNSEEN57 = {"emergency": 59 / 62, "urgent": 31 / 35, "routine": 24 / 28}
LEXICON_UNSEEN55 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 28 / 28}
LEXICON_UNSEEN56 = {"emergency": 61 / 62, "urgent": 34 / 35, "routine": 30 / 30}
LEXICON_UNSEEN57 = {"emergency": 62 / 62, "urgent": 34 / 35, "routine": 26 / 28}
# unseen58 (medicines and treatments), unseen59 (after being seen by a clinician) and unseen60
# (sport and hobbies): the last three hold-outs, written blind together in session 14 from
# docs/triage-brief.md and scored ONCE at commit 5cb57b2 with the model trained on every set
# up to unseen57: false alarms 17/86 (8 designed), 18/89 (8), 18/89 (5). Then fitted in the
# lexicon and trained on.
FIRST_SIGHT_UNSEEN58_WITH_MODEL = {"emergency": 60 / 60, "urgent": 34 / 34, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN59_WITH_MODEL = {"emergency": 61 / 61, "urgent": 33 / 35, "routine": 25 / 28}
FIRST_SIGHT_UNSEEN60_WITH_MODEL = {"emergency": 59 / 61, "urgent": 33 / 34, "routine": 25 / 25}
FIRST_SIGHT_UNSEEN58 = {"emergency": 58 / 60, "urgent": 31 / 34, "routine": 25 / 28}
FIRST_SIGHT_UNSEEN59 = {"emergency": 59 / 61, "urgent": 30 / 35, "routine": 24 / 28}
FIRST_SIGHT_UNSEEN60 = {"emergency": 55 / 61, "urgent": 30 / 34, "routine": 25 / 25}
LEXICON_UNSEEN58 = {"emergency": 60 / 60, "urgent": 33 / 34, "routine": 28 / 28}
LEXICON_UNSEEN59 = {"emergency": 61 / 61, "urgent": 35 / 35, "routine": 28 / 28}
LEXICON_UNSEEN60 = {"emergency": 61 / 61, "urgent": 34 / 34, "routine": 25 / 25}
# unseen61 (minimisers and understatement), unseen62 (users who work in health and care, in
# clinical shorthand) and unseen63 (people who sit a lot): the last three hold-outs, written
# blind together later in session 14 and scored ONCE at commit 36b41fe with the model trained
# on every set up to unseen60: false alarms 23/86 (9 designed), 25/88 (4), 26/85 (7). Then
# fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN61_WITH_MODEL = {"emergency": 59 / 60, "urgent": 34 / 34, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN62_WITH_MODEL = {"emergency": 58 / 60, "urgent": 31 / 32, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN63_WITH_MODEL = {"emergency": 57 / 60, "urgent": 33 / 34, "routine": 25 / 25}
FIRST_SIGHT_UNSEEN61 = {"emergency": 51 / 60, "urgent": 33 / 34, "routine": 25 / 29}
FIRST_SIGHT_UNSEEN62 = {"emergency": 53 / 60, "urgent": 27 / 32, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN63 = {"emergency": 56 / 60, "urgent": 33 / 34, "routine": 25 / 25}
LEXICON_UNSEEN61 = {"emergency": 60 / 60, "urgent": 34 / 34, "routine": 25 / 29}
LEXICON_UNSEEN62 = {"emergency": 60 / 60, "urgent": 32 / 32, "routine": 28 / 28}
LEXICON_UNSEEN63 = {"emergency": 60 / 60, "urgent": 34 / 34, "routine": 25 / 25}
# unseen64 (signs told through similes and vivid images), unseen65 (pregnancy, new parents and
# grandparents) and unseen66 (weekend jobs in the house and garden; the stretch described in
# detail): the last three hold-outs, written blind together in session 15 and scored ONCE at
# commit 553aa40 with the model trained on every set up to unseen63: false alarms 19/82 (7
# designed), 21/83 (7), 13/74 (5). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN64_WITH_MODEL = {"emergency": 62 / 62, "urgent": 34 / 35, "routine": 29 / 29}
FIRST_SIGHT_UNSEEN65_WITH_MODEL = {"emergency": 56 / 57, "urgent": 30 / 33, "routine": 24 / 25}
FIRST_SIGHT_UNSEEN66_WITH_MODEL = {"emergency": 60 / 61, "urgent": 32 / 32, "routine": 24 / 24}
FIRST_SIGHT_UNSEEN64 = {"emergency": 53 / 62, "urgent": 31 / 35, "routine": 22 / 29}
FIRST_SIGHT_UNSEEN65 = {"emergency": 51 / 57, "urgent": 29 / 33, "routine": 23 / 25}
FIRST_SIGHT_UNSEEN66 = {"emergency": 57 / 61, "urgent": 29 / 32, "routine": 23 / 24}
LEXICON_UNSEEN64 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 27 / 29}
LEXICON_UNSEEN65 = {"emergency": 56 / 57, "urgent": 33 / 33, "routine": 25 / 25}
LEXICON_UNSEEN66 = {"emergency": 61 / 61, "urgent": 31 / 32, "routine": 23 / 24}
# unseen67 (rural life and animals), unseen68 (updates on something mentioned before) and
# unseen69 (emotional messages: fear, anger, venting, catastrophising): the last three
# hold-outs, written blind together later in session 15 and scored ONCE at commit 3ea8a3c with
# the model trained on every set up to unseen66: false alarms 21/80 (7 designed), 20/77 (7),
# 16/85 (8). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN67_WITH_MODEL = {"emergency": 55 / 56, "urgent": 33 / 33, "routine": 21 / 21}
FIRST_SIGHT_UNSEEN68_WITH_MODEL = {"emergency": 56 / 58, "urgent": 32 / 32, "routine": 25 / 26}
FIRST_SIGHT_UNSEEN69_WITH_MODEL = {"emergency": 59 / 59, "urgent": 33 / 33, "routine": 25 / 25}
FIRST_SIGHT_UNSEEN67 = {"emergency": 53 / 56, "urgent": 33 / 33, "routine": 19 / 21}
FIRST_SIGHT_UNSEEN68 = {"emergency": 55 / 58, "urgent": 31 / 32, "routine": 25 / 26}
FIRST_SIGHT_UNSEEN69 = {"emergency": 58 / 59, "urgent": 32 / 33, "routine": 25 / 25}
LEXICON_UNSEEN67 = {"emergency": 56 / 56, "urgent": 33 / 33, "routine": 21 / 21}
LEXICON_UNSEEN68 = {"emergency": 58 / 58, "urgent": 32 / 32, "routine": 26 / 26}
LEXICON_UNSEEN69 = {"emergency": 59 / 59, "urgent": 33 / 33, "routine": 25 / 25}
# unseen70 (young adults and students), unseen71 (the sign buried in a message about something
# else) and unseen72 (time and timing: when a sign began, whether it is still there): the last
# three hold-outs, written blind together in session 16 and scored ONCE at commit 6a96094 with
# the model trained on every set up to unseen69: false alarms 24/80 (7 designed), 18/85 (8),
# 19/86 (7). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN70_WITH_MODEL = {"emergency": 54 / 56, "urgent": 30 / 30, "routine": 22 / 22}
FIRST_SIGHT_UNSEEN71_WITH_MODEL = {"emergency": 63 / 63, "urgent": 33 / 33, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN72_WITH_MODEL = {"emergency": 60 / 60, "urgent": 36 / 36, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN70 = {"emergency": 52 / 56, "urgent": 30 / 30, "routine": 22 / 22}
FIRST_SIGHT_UNSEEN71 = {"emergency": 63 / 63, "urgent": 31 / 33, "routine": 25 / 27}
FIRST_SIGHT_UNSEEN72 = {"emergency": 59 / 60, "urgent": 35 / 36, "routine": 27 / 27}
LEXICON_UNSEEN70 = {"emergency": 55 / 56, "urgent": 30 / 30, "routine": 22 / 22}
LEXICON_UNSEEN71 = {"emergency": 63 / 63, "urgent": 31 / 33, "routine": 25 / 27}
LEXICON_UNSEEN72 = {"emergency": 60 / 60, "urgent": 35 / 36, "routine": 27 / 27}
# unseen73 (first messages from new users, with the history of their back), unseen74 (weather,
# seasons and holidays) and unseen75 (comparisons: with the last flare, with normal, with
# someone else's back): the last three hold-outs, written blind together in session 17 and
# scored ONCE at commit 0e01951 with the model trained on every set up to unseen72: false alarms
# 25/85 (5 designed), 11/83 (5), 18/84 (7). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN73_WITH_MODEL = {"emergency": 61 / 61, "urgent": 33 / 33, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN74_WITH_MODEL = {"emergency": 53 / 53, "urgent": 33 / 33, "routine": 22 / 22}
FIRST_SIGHT_UNSEEN75_WITH_MODEL = {"emergency": 60 / 62, "urgent": 31 / 35, "routine": 26 / 27}
FIRST_SIGHT_UNSEEN73 = {"emergency": 60 / 61, "urgent": 33 / 33, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN74 = {"emergency": 52 / 53, "urgent": 32 / 33, "routine": 20 / 22}
FIRST_SIGHT_UNSEEN75 = {"emergency": 59 / 62, "urgent": 30 / 35, "routine": 26 / 27}
LEXICON_UNSEEN73 = {"emergency": 61 / 61, "urgent": 33 / 33, "routine": 28 / 28}
LEXICON_UNSEEN74 = {"emergency": 53 / 53, "urgent": 33 / 33, "routine": 22 / 22}
LEXICON_UNSEEN75 = {"emergency": 62 / 62, "urgent": 35 / 35, "routine": 27 / 27}
# unseen76 (replies to the check-in questions), unseen77 (Scots, Irish, Welsh and northern
# English) and unseen78 (apologetic and over-explaining writers): the last three hold-outs,
# written blind together in session 18 and scored ONCE at commit 73b5410 with the model trained
# on every set up to unseen75: false alarms 12/83 (5 designed), 17/81 (7), 15/85 (8). Then
# fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN76_WITH_MODEL = {"emergency": 54 / 54, "urgent": 33 / 33, "routine": 27 / 27}
FIRST_SIGHT_UNSEEN77_WITH_MODEL = {"emergency": 61 / 61, "urgent": 33 / 35, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN78_WITH_MODEL = {"emergency": 61 / 61, "urgent": 35 / 35, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN76 = {"emergency": 52 / 54, "urgent": 31 / 33, "routine": 24 / 27}
FIRST_SIGHT_UNSEEN77 = {"emergency": 53 / 61, "urgent": 27 / 35, "routine": 23 / 28}
FIRST_SIGHT_UNSEEN78 = {"emergency": 59 / 61, "urgent": 33 / 35, "routine": 24 / 28}
LEXICON_UNSEEN76 = {"emergency": 54 / 54, "urgent": 32 / 33, "routine": 27 / 27}
LEXICON_UNSEEN77 = {"emergency": 61 / 61, "urgent": 35 / 35, "routine": 28 / 28}
LEXICON_UNSEEN78 = {"emergency": 61 / 61, "urgent": 35 / 35, "routine": 27 / 28}
# unseen79 (people who looked their symptoms up online and quote what they read), unseen80
# (reluctant and stoic people who do not want a fuss) and unseen81 (American English and US
# speech): the last three hold-outs, written blind together in session 19 and scored ONCE at
# commit 1c7dfcc with the model trained on every set up to unseen78: false alarms 18/84 (7
# designed), 19/87 (10), 18/83 (9). Then fitted in the lexicon and trained on.
FIRST_SIGHT_UNSEEN79_WITH_MODEL = {"emergency": 58 / 58, "urgent": 34 / 34, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN80_WITH_MODEL = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 28 / 28}
FIRST_SIGHT_UNSEEN81_WITH_MODEL = {"emergency": 57 / 58, "urgent": 31 / 31, "routine": 23 / 23}
FIRST_SIGHT_UNSEEN79 = {"emergency": 57 / 58, "urgent": 34 / 34, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN80 = {"emergency": 60 / 62, "urgent": 35 / 35, "routine": 26 / 28}
FIRST_SIGHT_UNSEEN81 = {"emergency": 55 / 58, "urgent": 30 / 31, "routine": 22 / 23}
LEXICON_UNSEEN79 = {"emergency": 57 / 58, "urgent": 34 / 34, "routine": 28 / 28}
LEXICON_UNSEEN80 = {"emergency": 61 / 62, "urgent": 35 / 35, "routine": 28 / 28}
LEXICON_UNSEEN81 = {"emergency": 58 / 58, "urgent": 31 / 31, "routine": 23 / 23}
# unseen82 (Australian and New Zealand English), unseen83 (signs someone else noticed about the
# user) and unseen84 (people who correct themselves): the last three hold-outs, written blind
# together later in session 19 and scored ONCE at commit 8d6ca8b with the model trained on every
# set up to unseen81: false alarms 15/82 (6 designed), 25/87 (8), 19/83 (8). Then fitted in the
# lexicon and trained on.
FIRST_SIGHT_UNSEEN82_WITH_MODEL = {"emergency": 57 / 57, "urgent": 31 / 31, "routine": 19 / 19}
FIRST_SIGHT_UNSEEN83_WITH_MODEL = {"emergency": 61 / 62, "urgent": 35 / 36, "routine": 28 / 29}
FIRST_SIGHT_UNSEEN84_WITH_MODEL = {"emergency": 57 / 62, "urgent": 35 / 35, "routine": 25 / 25}
FIRST_SIGHT_UNSEEN82 = {"emergency": 56 / 57, "urgent": 28 / 31, "routine": 18 / 19}
FIRST_SIGHT_UNSEEN83 = {"emergency": 55 / 62, "urgent": 29 / 36, "routine": 24 / 29}
FIRST_SIGHT_UNSEEN84 = {"emergency": 49 / 62, "urgent": 34 / 35, "routine": 22 / 25}
LEXICON_UNSEEN82 = {"emergency": 56 / 57, "urgent": 29 / 31, "routine": 19 / 19}
LEXICON_UNSEEN83 = {"emergency": 59 / 62, "urgent": 32 / 36, "routine": 26 / 29}
LEXICON_UNSEEN84 = {"emergency": 58 / 62, "urgent": 34 / 35, "routine": 22 / 25}
FITTED = {"emergency": 1.0, "urgent": 1.0, "routine": 1.0}
# The assertions pin what each set reaches NOW, so that a regression shows; the first-sight
# figures above are the record of what the scanner did on wording it had never seen (the
# README and docs/triage.md report those). unseen3, unseen4 and unseen5 were fitted after
# they were scored, in later rounds.
TARGETS = {
    "labelled": TARGET_RECALL,
    "unseen": TARGET_RECALL_UNSEEN,
    "unseen2": FITTED,  # first sight was FIRST_SIGHT_UNSEEN2
    "unseen3": FITTED,  # first sight was FIRST_SIGHT_UNSEEN3
    "dev1": FITTED,
    "unseen4": FITTED,  # first sight was FIRST_SIGHT_UNSEEN4
    "unseen5": FITTED,  # first sight was FIRST_SIGHT_UNSEEN5
    "dev2": FITTED,  # first sight was FIRST_SIGHT_DEV2
    "unseen6": FITTED,  # first sight was FIRST_SIGHT_UNSEEN6
    "dev3": FITTED,  # first sight was FIRST_SIGHT_DEV3
    "dev4": FITTED,  # first sight was FIRST_SIGHT_DEV4
    "unseen7": FITTED,  # first sight was FIRST_SIGHT_UNSEEN7
    "dev5": FIRST_SIGHT_DEV5,  # the lexicon alone; not fitted
    "dev6": FIRST_SIGHT_DEV6,
    "unseen8": FIRST_SIGHT_UNSEEN8,
    "dev7": LEXICON_DEV7,
    "dev8": LEXICON_DEV8,
    "unseen9": LEXICON_UNSEEN9,
    "unseen10": LEXICON_UNSEEN10,
    "unseen11": LEXICON_UNSEEN11,
    "unseen12": LEXICON_UNSEEN12,
    "unseen13": LEXICON_UNSEEN13,
    "unseen14": FIRST_SIGHT_UNSEEN14,
    "unseen15": LEXICON_UNSEEN15,
    "unseen16": LEXICON_UNSEEN16,
    "unseen17": LEXICON_UNSEEN17,
    "unseen18": LEXICON_UNSEEN18,
    "unseen19": LEXICON_UNSEEN19,
    "unseen20": LEXICON_UNSEEN20,
    "unseen21": LEXICON_UNSEEN21,
    "unseen22": LEXICON_UNSEEN22,
    "unseen23": LEXICON_UNSEEN23,
    "unseen24": LEXICON_UNSEEN24,
    "unseen25": LEXICON_UNSEEN25,
    "unseen26": LEXICON_UNSEEN26,
    "unseen27": LEXICON_UNSEEN27,
    "unseen28": LEXICON_UNSEEN28,
    "unseen29": LEXICON_UNSEEN29,
    "unseen30": LEXICON_UNSEEN30,
    "unseen31": LEXICON_UNSEEN31,
    "unseen32": LEXICON_UNSEEN32,
    "unseen33": LEXICON_UNSEEN33,
    "unseen34": LEXICON_UNSEEN34,
    "unseen35": LEXICON_UNSEEN35,
    "unseen36": LEXICON_UNSEEN36,
    "unseen37": LEXICON_UNSEEN37,
    "unseen38": LEXICON_UNSEEN38,
    "unseen39": LEXICON_UNSEEN39,
    "unseen40": LEXICON_UNSEEN40,
    "unseen41": LEXICON_UNSEEN41,
    "unseen42": LEXICON_UNSEEN42,
    "unseen43": LEXICON_UNSEEN43,
    "unseen44": LEXICON_UNSEEN44,
    "unseen45": LEXICON_UNSEEN45,
    "unseen46": LEXICON_UNSEEN46,
    "unseen47": LEXICON_UNSEEN47,
    "unseen48": LEXICON_UNSEEN48,
    "unseen49": LEXICON_UNSEEN49,
    "unseen50": LEXICON_UNSEEN50,
    "unseen51": LEXICON_UNSEEN51,
    "unseen52": LEXICON_UNSEEN52,
    "unseen53": LEXICON_UNSEEN53,
    "unseen54": LEXICON_UNSEEN54,
    "unseen55": LEXICON_UNSEEN55,
    "unseen56": LEXICON_UNSEEN56,
    "unseen57": LEXICON_UNSEEN57,
    "unseen58": LEXICON_UNSEEN58,
    "unseen59": LEXICON_UNSEEN59,
    "unseen60": LEXICON_UNSEEN60,
    "unseen61": LEXICON_UNSEEN61,
    "unseen62": LEXICON_UNSEEN62,
    "unseen63": LEXICON_UNSEEN63,
    "unseen64": LEXICON_UNSEEN64,
    "unseen65": LEXICON_UNSEEN65,
    "unseen66": LEXICON_UNSEEN66,
    "unseen67": LEXICON_UNSEEN67,
    "unseen68": LEXICON_UNSEEN68,
    "unseen69": LEXICON_UNSEEN69,
    "unseen70": LEXICON_UNSEEN70,
    "unseen71": LEXICON_UNSEEN71,
    "unseen72": LEXICON_UNSEEN72,
    "unseen73": LEXICON_UNSEEN73,
    "unseen74": LEXICON_UNSEEN74,
    "unseen75": LEXICON_UNSEEN75,
    "unseen76": LEXICON_UNSEEN76,
    "unseen77": LEXICON_UNSEEN77,
    "unseen78": LEXICON_UNSEEN78,
    "unseen79": LEXICON_UNSEEN79,
    "unseen80": LEXICON_UNSEEN80,
    "unseen81": LEXICON_UNSEEN81,
    "unseen82": LEXICON_UNSEEN82,
    "unseen83": LEXICON_UNSEEN83,
    "unseen84": LEXICON_UNSEEN84,
}
TARGET_FALSE_ALARM = 0.10
# ABOVE TARGET on some sets, on purpose: most false alarms in the blind batches are the
# designed yes/no questions about a negated or doubtful emergency sign, which the issue asks
# for ("no numbness down below", labelled ``confirm``): 6 of dev1's 9, 7 of unseen5's 11, 19 of
# dev3's 20, 11 of dev4's 13 (their writers labelled many doubtful signs ``confirm``). The
# rest are mostly an emergency sign that passed minutes or days ago ("had pins and needles in
# both feet last week, gone now"), which is still asked about (numbness from posture that went
# with the posture, "numb bum after the long drive wore off", no longer is). Pinned at today's
# figures so a regression shows.
PINNED_FALSE_ALARM = {"unseen": 7 / 105, "dev1": 6 / 97, "unseen4": 7 / 74, "unseen5": 8 / 79,
                      "dev2": 7 / 93, "unseen6": 9 / 77, "dev3": 17 / 93, "dev4": 12 / 49,
                      "unseen7": 10 / 73, "dev5": 12 / 71, "dev6": 5 / 52, "unseen8": 10 / 76,
                      "dev7": 21 / 185, "dev8": 10 / 74, "unseen9": 10 / 80,
                      "unseen10": 9 / 69, "unseen11": 10 / 163, "unseen12": 11 / 92,
                      "unseen13": 11 / 81, "unseen14": 16 / 90, "unseen15": 10 / 85,
                      "unseen16": 14 / 87, "unseen17": 14 / 94, "unseen18": 13 / 87,
                      "unseen19": 11 / 87, "unseen20": 16 / 88, "unseen21": 15 / 88,
                      "unseen22": 8 / 89, "unseen23": 11 / 88, "unseen24": 13 / 85,
                      "unseen25": 7 / 86, "unseen26": 12 / 86, "unseen27": 5 / 84,
                      "unseen28": 13 / 83, "unseen29": 12 / 85, "unseen30": 7 / 78,
                      "unseen31": 7 / 80, "unseen32": 5 / 84, "unseen33": 6 / 81,
                      "unseen34": 4 / 83, "unseen35": 6 / 80, "unseen36": 8 / 83,
                      "unseen37": 7 / 90, "unseen38": 5 / 76, "unseen39": 10 / 86,
                      "unseen40": 9 / 86, "unseen41": 5 / 89, "unseen42": 11 / 84,
                      "unseen43": 9 / 79, "unseen44": 13 / 81, "unseen45": 8 / 76,
                      "unseen46": 7 / 88, "unseen47": 8 / 89, "unseen48": 8 / 82,
                      "unseen49": 11 / 85, "unseen50": 7 / 88, "unseen51": 5 / 79,
                      "unseen52": 4 / 84, "unseen53": 8 / 89, "unseen54": 3 / 85,
                      "unseen55": 6 / 85, "unseen56": 9 / 88, "unseen57": 11 / 76,
                      "unseen58": 14 / 86, "unseen59": 13 / 89, "unseen60": 13 / 89,
                      "unseen61": 11 / 86, "unseen62": 11 / 88, "unseen63": 16 / 85,
                      "unseen64": 12 / 82, "unseen65": 7 / 83, "unseen66": 7 / 74,
                      "unseen67": 9 / 80, "unseen68": 15 / 77, "unseen69": 10 / 85,
                      "unseen70": 10 / 80, "unseen71": 10 / 85, "unseen72": 8 / 86,
                      "unseen73": 11 / 85, "unseen74": 5 / 83, "unseen75": 9 / 84,
                      "unseen78": 9 / 85, "unseen80": 11 / 87, "unseen81": 9 / 83,
                      "unseen82": 10 / 82, "unseen83": 18 / 87, "unseen84": 16 / 83}  # fmt: skip
# With the model (trained on every set): what it adds to the lexicon's false alarms, pinned.
# Retrained with unseen28-30 (session 9), the model's false alarms on the older sets went from
# 405 to 403: unseen5, unseen22 and unseen25 gained one each (their pins rose by one), five
# sets lost one. With the round-16 lexicon changes and unseen31-33 (session 10): 403 to 399,
# none gained; with round 17's and unseen34-36: 399 to 396 (unseen, unseen5 and unseen22 lost
# one each), none gained. With round 18's and unseen37-39 (session 11): unseen20 lost one (a
# long-ago sign "in my fifties ... sorted it"); unseen5 and dev8 gained one each (a weight loss
# "since I started the gym" and a roommate's tingling legs), so their pins rose by one. With
# round 19's and unseen40-42: unseen5 and unseen11 lost one each; unseen gained one ("I don't
# pee at night anymore since cutting out tea", asked about as a bladder sign). With round
# 20's and unseen43-45: unseen12, unseen13 and unseen25 lost one each; labelled and unseen11
# gained one each ("I can't get my knee all the way to my chest", "pain zero!!! first time in
# like 6 weeks", asked about as routine signs). With round 21's and unseen46-48 (session 12):
# labelled, dev8 and unseen11 lost one each (dev8's lexicon pin fell by one too); none gained.
# With round 22's and unseen49-51: unseen45 and unseen47 lost one each (unseen47's lexicon pin
# fell by one too); unseen11 gained one back ("pain zero!!! first time in like 6 weeks", asked
# about as a routine sign again). With round 23's and unseen52-54 (session 13): dev7 and
# unseen20 lost two each (their lexicon pins fell by two too: night sweats put down to HRT,
# "numb to these reminders", a client who "soiled herself"); unseen and unseen11 lost one each
# ("I don't pee at night anymore since cutting out tea", "pain zero!!! first time in like 6
# weeks"); none gained. With round 24's and unseen55-57: unseen lost one in the lexicon ("friend
# of mine had cauda equina ...", the friend's) but the model asks about "I don't pee at night
# anymore since cutting out tea" again, so its model pin stays; unseen5 lost one ("the weight's
# dropping off since I started the gym"). With round 25's and unseen58-60 (session 14):
# unseen57 lost one; none gained. The retrained model no longer caught unseen33's "Stretch was
# fine until the jab. Same as yesterday." (the new sets have jabs that are vaccines), so the
# lexicon reads it now. With round 26's and unseen61-63: dev1, unseen11, unseen52 and unseen60
# lost one each, in the lexicon too (a personal trainer's clients, legs dead "for a few secs on
# the loo ... fine since", weight lost cycling to work); dev8 lost one with the model only;
# unseen57 gained one back ("Been two weeks, I think it's starting to help a bit", asked about
# as a routine sign). With round 27's and unseen64-66 (session 15): unseen5, unseen20, unseen49
# and unseen61 lost one each, in the lexicon too (toes tingling "from the cold walking home", a
# grandson's quad bike, pins and needles from sitting cross-legged that "went as soon as I
# stood up", a leg numb "since my knee surgery in 2015, no change"); unseen and unseen57 lost
# one each with the model only. unseen56 gained one on purpose, in the lexicon too: a letter
# asking in general what losing feeling "around the seat area" would mean, which its writer
# labelled ``confirm``, is asked about now that "seat area" is a saddle word. unseen62 gained
# one with the model only ("back of both thighs ache after nights, nothing below the knee", a
# denied emergency sign asked about). With round 28's and unseen67-69: unseen24,
# unseen57, unseen59, unseen62 and unseen65 lost one each in the lexicon (one sharp twinge that
# "didn't come back" or "went straight away", a leg "always been a bit weaker since my ACL op in
# 2012. Nothing new", "the sharp pain during the stretch on monday hasnt come back", mastitis
# "sorted" and the back "no different" read as no better); with the model, unseen24,
# unseen57, unseen62, unseen65 and unseen66 lost one each and unseen59 none (it
# now asks about "nan (83) slipped in the kitchen", someone else's fall, at emergency); unseen35
# gained one with the model only ("they told me to go back if i get numb down below or cant
# pee", advice read by the lexicon as information, asked about by the model at emergency).
# With round 29's and unseen70-72 (session 16): unseen16 and unseen50 lost one each, in the
# lexicon too ("would losing weight help my back? trying to shift a few pounds", "one sharp
# twinge while my dog licked my face mid-stretch ... fine since"); unseen62 lost one with the
# model only ("R leg pain to knee only"); unseen66 gained one with the model only ("when I
# pull my left knee in I feel it on the right side of my back, weird", asked about as routine).
# With round 30's and unseen73-75 (session 17): unseen11, unseen62, unseen64 and unseen67 lost
# one each, in the lexicon too ("couldn't pee properly for a day after my knee op last month
# but that sorted itself out ages ago", a numb thigh from "known meralgia ... same for years",
# a foot numb "from my diabetes, doc checked it, been the same for years", "my left knee gives
# out now and then, old rugby injury, always has"); none gained.
# With round 31's and unseen76-78 (session 18): unseen42, unseen60, unseen61 and unseen64 lost
# one each, in the lexicon too ("Tummy's been a bit rough after a dodgy kebab but back's grand",
# feet numb "in my cycling shoes on long rides, fine after", "a tiny leak when I sneeze, had that
# since my third baby, nothing new", "im 58, tripped on the step but grabbed the railing, didnt
# fall"); none gained.
# With round 32's and unseen79-81 (session 19): unseen61, unseen63 and unseen69 lost one each in
# the lexicon ("i'm 58, slipped on the stairs 2 yrs ago but this back pain only started last
# week after moving a sofa", "right leg tingles when i cross my legs, stops when i uncross", a
# fall in 2015 and back pain "only started last week after moving house"), unseen63 and
# unseen69 with the model too; the lexicon pins of unseen42, unseen60, unseen61 and unseen64
# came down by round 31's losses too. The retrained model gained one each on dev7, unseen25,
# unseen70 and unseen71, all with the lexicon silent ("crossing my legs so I didn't wet myself"
# at a stand-up show, "Which is worse, pain down one leg or both?", legs that "gave out" at
# failure on squats, "a single sharp twinge ... hasnt happened since"): their pins rose by one.
# With round 33's and unseen82-84 (later in session 19): unseen35 lost one with the model ("nan
# (83) slipped in the kitchen", someone else's fall); retrained, the model gained one on unseen
# ("I don't pee at night anymore since cutting out tea", asked about at emergency).
PINNED_FALSE_ALARM_WITH_MODEL = {"labelled": 10 / 239, "unseen": 9 / 105, "unseen2": 3 / 45,
                                 "unseen3": 2 / 61, "dev1": 6 / 97, "unseen4": 7 / 74,
                                 "unseen5": 8 / 79, "dev2": 8 / 93, "unseen6": 9 / 77,
                                 "dev3": 17 / 93, "dev4": 12 / 49, "unseen7": 10 / 73,
                                 "dev5": 12 / 71, "dev6": 5 / 52, "unseen8": 10 / 76,
                                 "dev7": 24 / 185, "dev8": 10 / 74, "unseen9": 10 / 80,
                                 "unseen10": 9 / 69, "unseen11": 10 / 163,
                                 "unseen12": 11 / 92, "unseen13": 11 / 81, "unseen14": 16 / 90,
                                 "unseen15": 10 / 85, "unseen16": 14 / 87, "unseen17": 14 / 94,
                                 "unseen18": 13 / 87, "unseen19": 11 / 87, "unseen20": 16 / 88,
                                 "unseen21": 15 / 88, "unseen22": 8 / 89, "unseen23": 11 / 88,
                                 "unseen24": 13 / 85, "unseen25": 10 / 86, "unseen26": 12 / 86,
                                 "unseen27": 5 / 84, "unseen28": 13 / 83, "unseen29": 12 / 85,
                                 "unseen30": 7 / 78, "unseen31": 7 / 80,
                                 "unseen32": 6 / 84, "unseen33": 6 / 81, "unseen34": 4 / 83,
                                 "unseen35": 6 / 80, "unseen36": 8 / 83, "unseen37": 7 / 90,
                                 "unseen38": 5 / 76, "unseen39": 10 / 86, "unseen40": 9 / 86,
                                 "unseen41": 5 / 89, "unseen42": 11 / 84, "unseen43": 10 / 79,
                                 "unseen44": 13 / 81, "unseen45": 8 / 76, "unseen46": 7 / 88,
                                 "unseen47": 8 / 89, "unseen48": 8 / 82, "unseen49": 13 / 85,
                                 "unseen50": 7 / 88, "unseen51": 5 / 79, "unseen52": 4 / 84,
                                 "unseen53": 8 / 89, "unseen54": 3 / 85, "unseen55": 6 / 85,
                                 "unseen56": 9 / 88, "unseen57": 12 / 76, "unseen58": 14 / 86,
                                 "unseen59": 15 / 89, "unseen60": 13 / 89, "unseen61": 13 / 86,
                                 "unseen62": 12 / 88, "unseen63": 16 / 85, "unseen64": 13 / 82,
                                 "unseen65": 7 / 83, "unseen66": 9 / 74, "unseen67": 9 / 80,
                                 "unseen68": 15 / 77, "unseen69": 10 / 85, "unseen70": 11 / 80,
                                 "unseen71": 11 / 85, "unseen72": 9 / 86, "unseen73": 12 / 85,
                                 "unseen74": 5 / 83, "unseen75": 9 / 84, "unseen76": 6 / 83,
                                 "unseen77": 9 / 81, "unseen78": 9 / 85, "unseen79": 8 / 84,
                                 "unseen80": 12 / 87, "unseen81": 9 / 83,
                                 "unseen82": 10 / 82, "unseen83": 21 / 87,
                                 "unseen84": 16 / 83}  # fmt: skip


@pytest.fixture(scope="module")
def lex() -> TriageLexicon:
    return load_triage_lexicon(LEXICON_FILE)


@pytest.fixture(scope="module")
def net() -> TriageNet:
    return load_triage_net(NET_FILE)


@dataclass(frozen=True)
class Case:
    text: str
    tier: str
    flags: tuple[str, ...]
    confirm: tuple[str, ...]
    others: tuple[str, ...]
    batch: int | None = None

    @property
    def expected_flags(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.flags + self.confirm)))


def load_cases(path: Path = LABELLED_FILE) -> list[Case]:
    raw: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(
            text=item["text"],
            tier=item["tier"],
            flags=tuple(item.get("flags", ())),
            confirm=tuple(item.get("confirm", ())),
            others=tuple(item.get("others", ())),
            batch=item.get("batch"),
        )
        for item in raw
    ]


SETS = {name: load_cases(path) for name, path in SET_FILES.items()}
CASES = SETS["labelled"]


def scan(lex: TriageLexicon, text: str) -> TextScan:
    return scan_text(text, lex)


# ---------------------------------------------------------------------------------------------
# The labelled set


def test_labelled_set_is_well_formed() -> None:
    assert len(CASES) >= 260
    counts = Counter(c.tier for c in CASES)
    assert set(counts) == {"none", *TIERS}
    assert 0.35 <= counts["none"] / len(CASES) <= 0.5
    texts = [c.text for c in CASES]
    assert len(texts) == len(set(texts)), "duplicate messages"
    used = {f for c in CASES for f in c.flags + c.confirm + c.others}
    assert used <= FLAG_IDS
    assert {f for c in CASES for f in c.flags} == FLAG_IDS, "every flag is exercised"
    for c in CASES:
        assert c.tier == "none" or c.flags or c.confirm, c.text


@pytest.mark.parametrize("name", [n for n in SET_FILES if n != "labelled"])
def test_unseen_sets_are_well_formed_and_new(name: str) -> None:
    cases = SETS[name]
    counts = Counter(c.tier for c in cases)
    assert set(counts) <= {"none", *TIERS}
    assert counts["emergency"] >= 30 and counts["none"] >= 40
    texts = [c.text for c in cases]
    assert len(texts) == len(set(texts)), "duplicate messages"
    earlier = {c.text for other, cs in SETS.items() if other != name for c in cs}
    assert not set(texts) & earlier, "a message repeats another set's"
    for c in cases:
        assert set(c.flags + c.confirm + c.others) <= FLAG_IDS, c.text
        assert c.tier == "none" or c.flags or c.confirm, c.text
        assert c.batch is not None, c.text


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text.casefold().replace("'", "")).split()


def test_no_unseen_phrase_was_copied_into_the_lexicon(lex: TriageLexicon) -> None:
    """The hold-outs stay hold-outs: no lexicon pattern spells out 6 words of one in a row."""
    # Alternatives are kept apart ("on my side|on my front" is two phrases, not one run).
    patterns = [" ".join(_words(p.replace("|", " zzsep "))) for _, p in iter_patterns(lex)]
    patterns = [" " + p + " " for p in patterns if len(p.split()) >= 6]
    # Everyday phrases that were in the lexicon before the hold-out using them was written.
    predates = {" do i need to worry about "}  # in at 1d75e8e, before unseen26
    patterns = [p for p in patterns if p not in predates]
    # ... and runs of them: "can't feel when I need the loo" was in at 51f79cd, before unseen38
    runs_predating = {" cant feel when i need the "}
    copied = []
    # every hold-out: the sets named "unseen..." (the dev sets and the tuning set were fitted)
    for name in (n for n in SET_FILES if n.startswith("unseen")):
        for c in SETS[name]:
            w = _words(c.text)
            for i in range(len(w) - 5):
                run = " " + " ".join(w[i : i + 6]) + " "
                if run in runs_predating:
                    continue
                copied += [f"{c.text!r} in {p.strip()!r}" for p in patterns if run in p]
    assert not copied, "\n".join(copied)


def measure(
    lex: TriageLexicon, cases: list[Case] | None = None, net: TriageNet | None = None
) -> dict[str, Any]:
    cases = CASES if cases is None else cases
    caught: Counter[str] = Counter()
    exact: Counter[str] = Counter()
    total: Counter[str] = Counter()
    alarms = designed = flags_exact = 0
    missed: list[str] = []
    started = time.perf_counter()
    results = [(c, scan_text(c.text, lex, net)) for c in cases]
    per_message_ms = (time.perf_counter() - started) * 1000 / len(cases)
    for c, s in results:
        flags_exact += s.flags == c.expected_flags
        total[c.tier] += 1
        if c.tier == "none":
            if s.acted_tier != "none":
                alarms += 1
                designed += bool(c.confirm)
                if not c.confirm:
                    missed.append(f"false alarm {s.acted_tier}: {c.text}")
            continue
        if TIER_RANK[s.acted_tier] >= TIER_RANK[c.tier]:  # type: ignore[index]
            caught[c.tier] += 1
        else:
            missed.append(f"missed {c.tier} (got {s.acted_tier}): {c.text}")
        exact[c.tier] += s.acted_tier == c.tier
    return {
        "recall": {t: caught[t] / total[t] if total[t] else 1.0 for t in TIERS},
        "exact": {t: exact[t] / total[t] if total[t] else 1.0 for t in TIERS},
        "total": total,
        "caught": caught,
        "alarms": alarms,
        "designed": designed,
        "false_alarm": alarms / total["none"],
        "false_alarm_undesigned": (alarms - designed) / max(total["none"] - designed, 1),
        "flags_exact": flags_exact / len(cases),
        "missed": missed,
        "ms": per_message_ms,
    }


def table(m: dict[str, Any], title: str = "labelled") -> str:
    rows = [f"[{title}]", "tier       messages  caught  recall   exact-tier", "-" * 48]
    for t in TIERS:
        rows.append(
            f"{t:<10} {m['total'][t]:>8}  {m['caught'][t]:>6}  {m['recall'][t]:>6.1%}  "
            f"{m['exact'][t]:>9.1%}"
        )
    none = m["total"]["none"]
    rows.append(
        f"{'none':<10} {none:>8}  false alarms {m['alarms']} = {m['false_alarm']:.1%} "
        f"({m['designed']} designed confirmations; {m['false_alarm_undesigned']:.1%} without)"
    )
    rows.append(
        f"all        {sum(m['total'].values()):>8}  mean {m['ms']:.3f} ms per message; "
        f"flag sets exactly right {m['flags_exact']:.1%}"
    )
    return "\n".join(rows)


def _cell(m: dict[str, Any], tier: str) -> str:
    n = m["total"][tier]
    return f"{m['caught'][tier]}/{n} {m['recall'][tier]:.1%}" if n else "-"


def summary(lex: TriageLexicon, net: TriageNet | None = None) -> str:
    """One row per set and per batch: the table docs/triage.md quotes."""
    head = (
        f"{'set':<9} {'batch':>5}  {'emergency':<13} {'urgent':<13} {'routine':<13} "
        f"{'false alarms (designed)':<24} {'ms/msg':>6}"
    )
    rows = [head, "-" * len(head)]
    for name, cases in SETS.items():
        batches = sorted({c.batch for c in cases if c.batch is not None})
        parts: list[tuple[str, list[Case]]] = (
            [(str(b), [c for c in cases if c.batch == b]) for b in batches]
            if len(batches) > 1
            else []
        )
        parts.append(("all", cases))
        for label, part in parts:
            m = measure(lex, part, net)
            fa = f"{m['alarms']}/{m['total']['none']} {m['false_alarm']:.1%} ({m['designed']})"
            rows.append(
                f"{name:<9} {label:>5}  {_cell(m, 'emergency'):<13} {_cell(m, 'urgent'):<13} "
                f"{_cell(m, 'routine'):<13} {fa:<24} {m['ms']:>6.3f}"
            )
    return "\n".join(rows)


def test_print_the_per_set_summary(lex: TriageLexicon, net: TriageNet) -> None:
    scan(lex, "warm up")
    for cases in SETS.values():
        for c in cases:  # fill the word cache, so the timing is the steady state
            scan(lex, c.text)
    print("\n" + summary(lex))
    print("\nwith the model\n" + summary(lex, net))


@pytest.mark.parametrize("name", list(SET_FILES))
def test_recall_and_false_alarms_meet_targets(lex: TriageLexicon, name: str) -> None:
    scan(lex, "warm up")  # compile outside the timing
    m = measure(lex, SETS[name])
    print("\n" + table(m, name))
    for line in m["missed"]:
        print("  " + line)
    for tier, target in TARGETS[name].items():
        assert m["recall"][tier] >= target, f"{name}: {tier} recall {m['recall'][tier]:.1%}"
    limit = PINNED_FALSE_ALARM.get(name, TARGET_FALSE_ALARM)
    assert m["false_alarm"] <= limit + 1e-9, f"{name}: {m['false_alarm']:.1%}"


# The labelled signs the two nets leave. The first on purpose: a sharp pain during the stretch that
# happened once and is said to be over. Its writer labelled it routine; earlier sets label the
# same thing no flag ("Felt a bit sharp the first rep, fine after that", "sharp pain once on
# Monday but not since"), and the lexicon keeps to those (docs/triage.md, round 23). Below
# emergency the model defers to the lexicon's "over".
KNOWN_MISSES_WITH_MODEL = {
    "unseen53": [
        "The morning session in bed, sudden sharp jolt as I brought my right knee up. Gone now"
        " but it made me jump"
    ],
    # A taking-back told over four sentences, with the sign only in the first ("peeing fine")
    # and its correction in the last ("not fine"): the lexicon reads each sentence on its own,
    # and the model did not learn it from this one message. docs/triage.md, round 33.
    "unseen84": ["peeing fine. wait. no. not fine"],
}


@pytest.mark.parametrize("name", list(SET_FILES))
def test_with_the_model_every_set_is_caught(lex: TriageLexicon, net: TriageNet, name: str) -> None:
    """The model is trained on every set, so these figures are fitted: they pin that the
    model and the lexicon together catch every labelled sign (but the known misses above),
    and the false alarms the model adds. The honest figures are unseen8's first sight and the
    study in docs/triage.md."""
    m = measure(lex, SETS[name], net)
    print("\n" + table(m, f"{name} + model"))
    for line in m["missed"]:
        print("  " + line)
    missed = [line.split(": ", 1)[1] for line in m["missed"] if not line.startswith("false alarm")]
    assert missed == KNOWN_MISSES_WITH_MODEL.get(name, []), f"{name}: missed {missed}"
    limit = PINNED_FALSE_ALARM_WITH_MODEL[name]
    assert m["false_alarm"] <= limit + 1e-9, f"{name}: {m['false_alarm']:.1%}"


def test_flags_match_the_labels(lex: TriageLexicon) -> None:
    wrong = []
    for c in CASES:
        s = scan(lex, c.text)
        if s.flags != c.expected_flags:
            wrong.append(f"{c.text!r}: expected {c.expected_flags}, got {s.flags}")
    rate = 1 - len(wrong) / len(CASES)
    print(f"\nflag sets exactly right: {rate:.1%}")
    assert rate >= 0.95, "\n".join(wrong)


def test_people_other_than_the_user_are_reported_apart(lex: TriageLexicon) -> None:
    wrong = []
    for c in CASES:
        got = tuple(sorted({f.flag for f in scan(lex, c.text).about_others}))
        if got != tuple(sorted(set(c.others))):
            wrong.append(f"{c.text!r}: expected {c.others}, got {got}")
    assert len(wrong) <= len(CASES) // 50, "\n".join(wrong)


# ---------------------------------------------------------------------------------------------
# Behaviour, one rule at a time


def tiers(lex: TriageLexicon, text: str) -> tuple[str, str]:
    s = scan(lex, text)
    return s.tier, s.acted_tier


@pytest.mark.parametrize(
    "text",
    [
        "hi",
        "how long do I hold",
        "feeling good today, bit stiff",
        "mild pull in my hamstring",
        "5",
        "my back is a bit sore",
        "thanks!",
        "the party was going all night long",
        "I was there all night at the hospital with mum",
        "tried every pillow in the shop, found a nice one",
        "the hot water is not coming in the shower",
        "sat down too hard on the sofa lol",
        "my body feels hot after the workout",
        "i never feel well after coffee",
        "we live on the second floor up",
        "my day went from bad to worse",
        "constipated again, have to push hard to get anything out",
        "the cork is stuck, I have to push really hard to get it out",
        "couldnt go to the gym all week, just a trickle of motivation",
    ],
)
def test_ordinary_chat_is_none(lex: TriageLexicon, text: str) -> None:
    assert scan(lex, text) == TextScan()


@pytest.mark.parametrize(
    "text",
    [
        "pain in the butt",
        "I'm so pissed off with work",
        "my boss is a pain in the neck",
        "I'm dying to try the advanced one",
        "scared shitless of the dentist",
        "weighed down by work",
        "my legs are jelly after the wedding dance",
        "nearly wet myself laughing",
        "cabin fever after a week indoors",
        "sick and tired of the rain",
        "got a dead leg from my brother",
        "on pins and needles waiting for results",
        "my brain's gone numb from this spreadsheet",
        "legs like jelly after that job interview",
        "burning up with embarrassment after that",
        "nearly wet myself when the fire alarm went off",
        "that film had me crossing my legs so I didn't wet myself",
        "if I got pins and needles in both feet what should I do",
        "I'll stretch later, so I'll be fine",
    ],
)
def test_idioms_are_none(lex: TriageLexicon, text: str) -> None:
    assert tiers(lex, text) == ("none", "none")


@pytest.mark.parametrize(
    "text",
    ["no numbness", "never had cancer", "I don't have a fever", "no sharp pain, just a pull",
     "I haven't lost any weight", "the pain isn't getting worse"],
)  # fmt: skip
def test_negated_non_emergency_is_dropped(lex: TriageLexicon, text: str) -> None:
    assert tiers(lex, text) == ("none", "none")


def test_negated_emergency_is_asked_about_not_dropped(lex: TriageLexicon) -> None:
    s = scan(lex, "no problems with my bladder or bowels")
    assert s.tier == "none" and s.acted_tier == "emergency"
    assert [f.flag for f in s.to_confirm] == ["bladder_bowel"]


def test_a_negation_inside_a_terms_gap_is_not_an_affirmed_sign(lex: TriageLexicon) -> None:
    """A term that matches only by skipping "not" in a gap was read as the sign itself, so the
    bot acted on "my legs are not weak" as an emergency. It asks now; below emergency the sign
    is denied. A negation the sign needs ("wouldn't take my weight") still counts."""
    for text, flag in [
        ("my legs are not weak", "leg_weakness"),
        ("bum cheek sore, not numb", "saddle_numbness"),
        ("both legs sore, not numb", "leg_numbness_tingling"),
    ]:
        s = scan(lex, text)
        assert s.findings == () and [f.flag for f in s.to_confirm] == [flag], text
        assert s.asks_first, text
    s = scan(lex, "my left leg is not weak")
    assert s.acted_tier == "none" and [f.flag for f in s.denied] == ["leg_weakness"]
    s = scan(lex, "my legs wouldnt take my weight, had to crawl to bed")
    assert [f.flag for f in s.findings] == ["leg_weakness"] and not s.asks_first
    s = scan(lex, "every night its a constant ache nothing i do in bed changes it")
    assert [f.flag for f in s.findings] == ["night_pain"]


def test_a_dropped_final_g_is_read_as_the_word(lex: TriageLexicon) -> None:
    assert scan(lex, "both feet slappin when i walk").acted_tier == "emergency"
    assert scan(lex, "been losin weight without tryin").acted_tier == "urgent"
    # a short word is left alone: "thin" is not "thing", "bin" not "bing"
    assert scan(lex, "i feel thin and tired").acted_tier == "none"


def test_a_long_standing_sign_said_in_the_next_clauses_last_part(lex: TriageLexicon) -> None:
    assert scan(lex, "left foot tingles but thats my diabetes, been like that years").tier == "none"
    assert scan(lex, "left foot tingles but thats my diabetes, its new").tier == "routine"


def test_a_sign_read_of_or_asked_about_then_owned_is_the_users(lex: TriageLexicon) -> None:
    """What was read or asked in general, then "mine ...": the user's sign (an emergency is
    asked about; below it, acted on). Without the "mine", it stays general."""
    owned = scan(lex, "read that pain down to the ankle means a nerve. mine does that too")
    assert [(f.flag, f.tier) for f in owned.findings] == [("radiating_below_knee", "routine")]
    assert scan(lex, "read that pain down to the ankle means a nerve").acted_tier == "none"
    asked = scan(lex, "what does saddle numbness feel like? mine is on the left")
    assert [f.flag for f in asked.to_confirm] == ["saddle_numbness"] and not asked.asked_about
    general = scan(lex, "what does saddle numbness feel like?")
    assert [f.flag for f in general.asked_about] == ["saddle_numbness"]
    assert not general.to_confirm
    # a denial is no owning: "mine are fine"
    assert scan(lex, "read that sharp pain in the stretch means stop. mine are fine").tier == "none"


def test_resolved_symptoms(lex: TriageLexicon) -> None:
    assert tiers(lex, "I had a temperature last week but it's gone") == ("none", "none")
    assert tiers(lex, "had pins and needles in my leg, that's cleared up now") == ("none", "none")
    s = scan(lex, "I couldn't pee on Monday but it's fine now")
    assert s.flags == ("bladder_bowel",) and s.tier == "none" and s.acted_tier == "emergency"


def test_resolved_long_ago_is_dropped_recent_or_recurring_is_asked(lex: TriageLexicon) -> None:
    # over, and dated far back: history, not a symptom
    assert tiers(lex, "my legs were weak after covid in 2022 but fully recovered") == (
        "none",
        "none",
    )
    assert tiers(lex, "had trouble peeing when I had that UTI in the spring, all sorted") == (
        "none",
        "none",
    )
    # over, but recent: an emergency sign is still asked about
    s = scan(lex, "had pins and needles in both feet last week but it's gone now")
    assert s.acted_tier == "emergency" and s.tier == "none"
    # long ago, but the message says it is back: acted on
    s = scan(lex, "years ago I wet myself once, and today again without noticing")
    assert s.acted_tier == "emergency"
    # only the dated clause is history: a new sign after "but" in the same sentence is not
    assert scan(lex, "I had a fall in 2019, recovered fine, but my bladder is leaking").tier == (
        "emergency"
    )
    assert scan(lex, "had sciatica in 2019 that cleared up but my bum is numb").tier == (
        "emergency"
    )
    # a closing part after a comma says it is over
    assert tiers(lex, "my foot went to sleep sitting on the floor, gone now") == ("none", "none")
    assert tiers(lex, "had a fever last week, all cleared up, back still a bit stiff") == (
        "none",
        "none",
    )


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("pain was a 3 last week, now it's a 6", "routine"),
        ("was a 4 yesterday, now a 7", "routine"),
        ("went from 4/10 to 7/10 since Monday", "routine"),
        ("pain score 5 then 6 then 8 over the week", "routine"),
        ("pain was 3/10 monday, 5 wednesday, 7 today", "routine"),  # a day after each score
        ("meeting moved from monday 3 to friday 5", "none"),
        ("pain score this week: 4, 5, 5, 6, 7", "routine"),  # a series that never falls
        ("pain 3 -> 5 -> 6 -> 7 this week", "routine"),
        ("pain score this week: 7, 6, 5, 4", "none"),  # falling
        ("my kids are 4, 6 and 9", "none"),
        ("started at a 4 when I joined, im at an 8 now", "routine"),
        ("pain was a 6 last week, now a 3", "none"),  # falling
        ("pain went from a 5 to a 6", "none"),  # one point
        ("can you move my reminder from 7 to 9", "none"),  # a time
        ("was 4 weeks ago, now 8 weeks", "none"),  # a unit, not a score
    ],
)
def test_a_pain_score_rising_by_two_is_worsening(lex: TriageLexicon, text: str, tier: str) -> None:
    s = scan(lex, text)
    assert s.tier == tier
    assert ("worsening_pain" in s.flags) == (tier == "routine")


def test_weak_knees_at_the_sight_of_something_are_an_emotion(lex: TriageLexicon) -> None:
    assert scan(lex, "my knees went weak when I saw the petrol price").acted_tier == "none"
    assert scan(lex, "my legs went weak when I stood up this morning").tier == "emergency"


def test_a_person_who_is_only_an_object_or_a_witness_is_not_the_subject(
    lex: TriageLexicon,
) -> None:
    s = scan(
        lex,
        "sex with the wife last night felt different, and the area between my legs is numb",
    )
    assert s.tier == "emergency"
    s = scan(lex, "my wife noticed the sheets were wet and I didn't feel a thing")
    assert s.acted_tier == "emergency"
    # ... but a pronoun after the witness still names them
    s = scan(lex, "my husband says he can't pee")
    assert s.acted_tier == "none" and s.about_others


def test_a_form_of_address_is_not_another_person(lex: TriageLexicon) -> None:
    assert scan(lex, "dunno if this is working mate, week 5 and still sore as ever").tier == (
        "routine"
    )
    s = scan(lex, "my mate can't pee")
    assert s.acted_tier == "none" and s.about_others


def test_a_stated_young_age_quiets_a_minor_fall_only(lex: TriageLexicon) -> None:
    text = "slipped on ice last week, I'm 25, landed on my bum, just bruised and my pride hurt"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "I'm 25 and fell off a ladder, back hurts").tier == "emergency"
    assert scan(lex, "slipped on ice last week, I'm 75, landed on my bum, back hurts").tier == (
        "emergency"
    )


def test_a_sign_of_getting_better_is_not_worsening(lex: TriageLexicon) -> None:
    assert scan(lex, "still sore but getting a bit better each day").acted_tier == "none"
    assert scan(lex, "still sore after 4 weeks but getting worse").tier == "routine"


def test_coming_off_a_shift_is_not_a_fall(lex: TriageLexicon) -> None:
    s = scan(lex, "night shift nurse, came off shift with a temp of 39.2 and my back is killing")
    assert s.acted_tier == "urgent" and s.flags == ("fever_unwell",)
    assert scan(lex, "came off my motorbike yesterday, back is agony").acted_tier == "emergency"


def test_a_general_question_does_not_hide_a_present_sign(lex: TriageLexicon) -> None:
    assert scan(lex, "I saw it on tiktok and now I can't pee").tier == "emergency"
    s = scan(lex, "should I be watching for saddle numbness? because I have it now")
    assert s.acted_tier == "emergency"
    assert scan(lex, "should I be watching for saddle numbness?").acted_tier == "none"


def test_the_user_named_by_a_role_is_the_user(lex: TriageLexicon) -> None:
    assert scan(lex, "nurse here - new urinary retention since this AM").tier == "emergency"
    assert scan(lex, "I'm a nurse, can't pee since this morning").tier == "emergency"
    s = scan(lex, "my mum here can't pee since this morning")
    assert s.acted_tier == "none" and s.about_others


def test_cancer_history_is_not_resolved_by_the_past(lex: TriageLexicon) -> None:
    assert tiers(lex, "I had breast cancer years ago, all clear now") == ("urgent", "urgent")


def test_someone_else(lex: TriageLexicon) -> None:
    s = scan(lex, "my dad can't pee")
    assert s.acted_tier == "none" and s.flags == ()
    assert [(f.flag, f.tier) for f in s.about_others] == [("bladder_bowel", "emergency")]
    s = scan(lex, "my dad can't pee and I can't feel my bum")
    assert s.flags == ("saddle_numbness",) and s.tier == "emergency"


def test_sharing_someone_elses_emergency_is_asked_about(lex: TriageLexicon) -> None:
    s = scan(lex, "my wife can't pee and neither can I")
    assert s.acted_tier == "emergency" and [f.flag for f in s.to_confirm] == ["bladder_bowel"]


def test_hypothetical(lex: TriageLexicon) -> None:
    # A question in general about an emergency sign: the advice as information, no question.
    s = scan(lex, "what if my legs go numb?")
    assert s.acted_tier == "none" and not s.to_confirm
    assert s.asked_about[0].flag == "leg_numbness_tingling" and s.asked_about[0].bilateral
    assert tiers(lex, "what if I get a fever, should I stop?") == ("none", "none")
    # ... unless the message says it is happening: then it is asked about
    s = scan(lex, "what if my legs go numb? they kind of are, since this morning")
    assert s.acted_tier == "emergency" and not s.asked_about
    # a "worried about" is not a question in general: it is asked about
    s = scan(lex, "I'm worried about my bladder, it feels odd")
    assert s.acted_tier == "emergency"
    # the sentinel's hints in a general question are information too
    s = scan(lex, "the leaflet says to watch for numb feeling in the saddle bit, what's that?")
    assert s.acted_tier == "none" and s.asked_about


def test_a_question_that_never_names_the_user_asks_in_general(lex: TriageLexicon) -> None:
    s = scan(lex, "does sciatica usually go down both legs or just one?")
    assert s.acted_tier == "none" and s.asked_about
    assert scan(lex, "does a fever ever go with back pain?").acted_tier == "none"
    assert scan(lex, "is losing bladder control a thing with back pain?").acted_tier == "none"
    # ... but "is that normal?" may point at the user's own sign, and so may a question with
    # a word for the user in the message, or one that says it is happening
    assert scan(lex, "numb bum and both legs weak. is that normal?").tier == "emergency"
    assert scan(lex, "is numbness in both legs serious? mine started today").acted_tier == (
        "emergency"
    )
    assert scan(lex, "is it bad that both legs are numb?").acted_tier == "emergency"
    text = "does numbness in both legs mean cauda equina? it's been 2 days"
    assert scan(lex, text).acted_tier == "emergency"
    # ... and a sentence that opens with "can" but has no question mark is a report
    assert scan(lex, "can barely stand, both knees keep giving way").tier == "emergency"


def test_round_nine_wording(lex: TriageLexicon) -> None:
    """Misses of the unseen12 and unseen13 hold-outs, fitted after their first sight."""
    assert scan(lex, "had urinary retention since last night").tier == "emergency"
    assert scan(lex, "retention since this morning and back is bad").tier == "emergency"
    assert scan(lex, "water retention in my ankles this week").acted_tier == "none"
    s = scan(lex, "ward nurse. the patient is me. bilateral leg weakness since noon")
    assert s.tier == "emergency" and not s.about_others
    assert scan(lex, "my oncologist signed me off in 2020, now a new ache low in my back").tier == (
        "urgent"
    )
    assert scan(lex, "stepped off the bus and went down. legs just went").tier == "emergency"
    assert scan(lex, "stuck on the M6 and dying for a wee, stretch later").acted_tier == "none"
    assert scan(lex, "at work a resident's legs gave way, my back's fine").acted_tier == "none"
    assert scan(lex, "what if I suddenly couldn't pee?").acted_tier == "none"


def test_numbness_from_posture_that_went_is_not_asked_about(lex: TriageLexicon) -> None:
    text = "sat on the loo too long and both legs went dead, fine after a shake"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "numb bum after a long drive, wore off in 10 mins").acted_tier == "none"
    # ... but not when it has not gone, or keeps coming back, or there is no posture
    text = "both legs went to sleep on the long drive and they're still numb"
    assert scan(lex, text).tier == "emergency"
    text = "numb bum after the long drive wore off, but it keeps coming back every time"
    assert scan(lex, text).acted_tier == "emergency"
    assert scan(lex, "both legs went numb this morning, gone now").acted_tier == "emergency"
    # legs that "went to sleep" have not given way
    s = scan(lex, "both legs went to sleep in the cinema")
    assert [f.flag for f in s.findings] == ["leg_numbness_tingling"]


def test_round_ten_wording(lex: TriageLexicon) -> None:
    """False alarms of the unseen14 hold-out, fitted after its first sight."""
    assert scan(lex, "gave myself a dead leg on the desk").acted_tier == "none"
    assert scan(lex, "nearly pooped my pants when the phone rang").acted_tier == "none"
    assert scan(lex, "my oupa fell off the stoep, he's 80, back sore").acted_tier == "none"
    assert scan(lex, "car crash in 2001, no issues from it now").acted_tier == "none"
    assert scan(lex, "what should I watch for? numb bum maybe?").acted_tier == "emergency"


def test_someone_typing_for_the_account_holder_reports_the_users_flags(lex: TriageLexicon) -> None:
    text = "Typing this for my husband, it's his phone: both his legs have gone weak"
    assert scan(lex, text).tier == "emergency"
    text = "this is my mum's account. she fell in the kitchen, she's 81, now her back is agony"
    assert scan(lex, text).acted_tier == "emergency"  # the fall is asked about
    text = "I do her messages on here. She had breast cancer in 2019 and now new back pain"
    assert scan(lex, text).tier == "urgent"
    # ... but a carer talking about the person they care for is talking about someone else
    text = "mum has breast cancer and I'm her carer, lifting her is what did my back in"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "my husband's legs have both gone weak").acted_tier == "none"


def test_round_eleven_wording(lex: TriageLexicon) -> None:
    """Fitted after the unseen16-18 hold-outs were scored; written here, not copied."""
    # more ways of typing for the account holder
    text = "she asked me to answer for her: she hasn't managed to pee since breakfast"
    assert scan(lex, text).tier == "emergency"
    text = "I'm doing Dad's messages for him. He's 79, slipped on the patio, back's awful since"
    assert scan(lex, text).acted_tier == "emergency"
    text = "this is her daughter typing, mum can't feel her bum"
    assert scan(lex, text).acted_tier == "emergency"
    # found out only afterwards: leaking without noticing
    assert scan(lex, "wet myself and only noticed later").tier == "emergency"
    # "not me" closes the question: asked in general
    s = scan(lex, "what happens if you can't pee at all? not me, just asking")
    assert s.acted_tier == "none" and s.asked_about
    text = "my legs are numb, both of them, not me being dramatic"
    assert scan(lex, text).tier == "emergency"
    assert scan(lex, "my left calf is numb, feels like it's not mine").acted_tier == "routine"
    # a supposition about "you" in general is not a report
    assert scan(lex, "can you still stretch if you've got a fever?").acted_tier == "none"
    # over, and dated by a month or "long gone"
    text = "legs tingled for a week back in April, nerve thing, nothing since"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "had flu before Christmas but that's long gone").acted_tier == "none"
    # numbness from posture, shaken off
    text = "foot went to sleep kneeling at church, stamped it out and carried on"
    assert scan(lex, text).acted_tier == "none"
    # a small child, a dog, a leaking tap, screening and idioms
    assert scan(lex, "my wee one has a fever so I'm late today").acted_tier == "none"
    assert scan(lex, "our spaniel's back legs are weak now, poor thing").acted_tier == "none"
    assert scan(lex, "kitchen tap leaking all night, drip drip").acted_tier == "none"
    assert scan(lex, "breast screening letter came, booked it").acted_tier == "none"
    assert scan(lex, "went numb with fright when the smoke alarm went").acted_tier == "none"
    # a push bike is asked about unless the user says they are young; a horse always is
    assert scan(lex, "came off my bike on Sunday, back's sore").acted_tier == "emergency"
    assert scan(lex, "came off my bike on Sunday, I'm 31, back's sore").acted_tier == "none"
    text = "came off my horse on Sunday, I'm 31, back's sore since"
    assert scan(lex, text).acted_tier == "emergency"
    # "yes down there" answering the numbness question
    assert scan(lex, "yeah down there").acted_tier == "emergency"
    # no difference after weeks of stretching is worth an appointment
    assert scan(lex, "6 weeks in and not noticed any difference").acted_tier == "routine"


def test_round_twelve_wording(lex: TriageLexicon) -> None:
    """Fitted after the unseen19-21 hold-outs were scored; written here, not copied."""
    # the coach's question echoed, then answered on the same line
    assert scan(lex, "numbness? yes, round my bottom, since lunch").acted_tier == "emergency"
    s = scan(lex, "fever? nope. just stiff")
    assert s.acted_tier == "none" and [f.flag for f in s.denied] == ["fever_unwell"]
    assert scan(lex, "pins and needles? only in my fingers").acted_tier == "none"
    # a question of the user's own is not an echo: "why?" does not join the next sentence
    assert scan(lex, "why? my legs are both numb").tier == "emergency"
    # more ways of typing for the account holder
    text = "it's her son typing, mum can't tell when she needs a wee any more"
    assert scan(lex, text).acted_tier == "emergency"
    text = "Grandad wanted me to let you know: he's had a temperature since last night"
    assert scan(lex, text).tier == "urgent"
    text = "I run the app for her. She's been feverish and shivery since Sunday"
    assert scan(lex, text).tier == "urgent"
    text = "She's 80, had a tumble in the garden yesterday, I set it up for her this morning"
    assert scan(lex, text).acted_tier == "emergency"
    # "and he's right" agrees with someone; the worse pain is still the user's
    text = "my wife says I grumble, and she's right, the pain is getting worse every week"
    assert scan(lex, text).tier == "routine"
    # over: the explaining clause is looked past, and a minute's numbness is over
    text = "calf tingled because I was kneeling on it. back to normal now"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "my left foot went numb for a few seconds").acted_tier == "none"
    assert scan(lex, "both legs went numb for a minute").acted_tier == "emergency"
    assert scan(lex, "crashed the car in 2011, fine for years, this is new").acted_tier == "none"
    assert scan(lex, "my temperature broke last night, feel human again").acted_tier == "none"
    text = "cancer scare in the spring, lump turned out to be a harmless cyst, back stiff"
    assert scan(lex, text).acted_tier == "none"
    # idioms and exertion
    assert scan(lex, "knees went weak with relief at the results").acted_tier == "none"
    assert scan(lex, "both legs trembling after the planks, I'm so unfit").acted_tier == "none"
    # pain that follows the user round the bed all night
    text = "nights are awful, a constant ache I can't shake whichever side I lie on"
    assert scan(lex, text).tier == "urgent"
    # a negated activity ends at a comma; "not getting" carries on down the list
    assert scan(lex, "not sleeping, losing weight without trying").tier == "urgent"
    assert scan(lex, "not getting a fever, sweats or chills").acted_tier == "none"
    # a stab that made the user stop, in a three-word report
    assert scan(lex, "stabbing. 7/10. had to stop.").tier == "routine"
    assert scan(lex, "stabbing pain in my tooth, had to stop eating").acted_tier == "none"


def test_round_thirteen_wording(lex: TriageLexicon) -> None:
    """Fitted after the unseen22-24 hold-outs were scored; written here, not copied."""
    # an all-clear after a comma is about the new subject that follows the comma
    assert scan(lex, "left knee buckled twice on the stairs, the rest is fine").tier == "urgent"
    text = "bowel cancer in 2019, my scans are fine now. this back ache is new"
    assert scan(lex, text).tier == "urgent"
    # ... but the same sign, with nothing between the comma and the all-clear, is denied
    s = scan(lex, "weight loss, none at all")
    assert s.acted_tier == "none" and [f.flag for f in s.denied] == ["weight_loss"]
    # slang for the back passage
    assert scan(lex, "gone numb round my ringpiece since yesterday").acted_tier == "emergency"
    # a name, then who is typing; "she's asked me to reply"
    assert scan(lex, "she hasn't been able to pee since last night").acted_tier == "none"
    text = "this is Rita's son typing. she hasn't been able to pee since last night"
    assert scan(lex, text).tier == "emergency"
    text = "she's asked me to reply for her, she hasn't been able to pee since last night"
    assert scan(lex, text).tier == "emergency"
    # explained: dieting, heat, a scare that came to nothing, a quiz question
    assert scan(lex, "down 4kg since new year, I'm on a cut for the wedding").acted_tier == "none"
    text = "so sweaty cos it's 32 degrees on the bus, not cos I'm sick"
    assert scan(lex, text).acted_tier == "none"
    # ... but the room's heat does not hide a temperature taken
    assert scan(lex, "sweating, it's 30 degrees in here, and my temp is 38.5").tier == "urgent"
    text = "a cancer scare in March but the scan was clear, the back is just stiff"
    assert scan(lex, text).acted_tier == "none"
    text = "what is the difference between sciatica and a trapped nerve? revising for a test"
    assert scan(lex, text).acted_tier == "none"
    # over, and long ago
    text = "my foot tingled after the op but it wore off within a day, that was 2015"
    assert scan(lex, text).acted_tier == "none"
    # idioms and named exertion
    assert scan(lex, "honestly I'm numb to everything this week").acted_tier == "none"
    text = "my legs go weak whenever I think about the dentist"
    assert scan(lex, text).acted_tier == "none"
    text = "hiked 20 km on Sunday and both legs were dead on Monday, fine now"
    assert scan(lex, text).acted_tier == "none"
    # still a sign when the exertion is not named
    assert scan(lex, "both legs are dead and heavy, no idea why").acted_tier == "emergency"


def test_round_fourteen_wording(lex: TriageLexicon) -> None:
    """Fitted after the unseen25-27 hold-outs were scored; written here, not copied."""
    # a sign that spread to the other side, or a correction to "both", is both sides
    text = "my left shin was tingling on Monday, now it's moved across to the right one"
    assert scan(lex, text).tier == "emergency"
    text = "I told you the right knee gave way. It's both of them now"
    assert scan(lex, text).tier == "emergency"
    assert scan(lex, "my right knee gave way on the stairs").tier == "urgent"
    # legs that will not do as they are told, or need the arms to stand
    text = "my legs just aren't listening to me today, both wobbly"
    assert scan(lex, text).tier == "emergency"
    text = "I have to use my arms to get up off the sofa, both thighs feel useless"
    assert scan(lex, text).tier == "emergency"
    # the saddle area in polite words; a fall through a ceiling
    text = "the trouser area has felt sort of dead since Sunday"
    assert scan(lex, text).tier == "emergency"
    assert scan(lex, "fell through the attic floor on Friday, back is bad").tier == "emergency"
    # "doesn't let up" says the pain is constant; it does not deny what follows
    text = "awake at 4 again, the ache doesn't let up, tried every position"
    assert scan(lex, text).tier == "urgent"
    # chills, taken literally; "gave me the chills" is still an idiom
    assert scan(lex, "got chills tonight and my back is killing me").tier == "urgent"
    assert scan(lex, "that film gave me the chills, back is ok").acted_tier == "none"
    # weight lost "over the last month" is recent, not over
    text = "I've dropped about 4kg over the past month without trying"
    assert scan(lex, text).tier == "urgent"
    # worse a notch at a time; a sharp zing that keeps coming
    assert scan(lex, "it gets a tad worse every few days").tier == "routine"
    assert scan(lex, "a proper zinger as I pull in, keeps happening").tier == "routine"
    # over long ago, said in a short sentence after the dated one
    text = "Numb legs on both sides back in 2011 after a disc op. All fine since."
    assert scan(lex, text).acted_tier == "none"
    # ... but not when the message says it is back
    text = "Numb legs on both sides back in 2011 after a disc op. Fine since. Now it's back"
    assert scan(lex, text).acted_tier == "emergency"
    # "should I still mention it?" asks about the plan, not a sign that is still there
    text = "tingling down both legs in 2016, it settled completely. should I still tell my GP?"
    assert scan(lex, text).acted_tier == "none"
    # pain that stops short of the knee, said outright
    text = "the ache runs down my thigh to the knee but never below"
    assert scan(lex, text).acted_tier == "none"
    # named hard work explains jelly legs; an idiom of price; a back "broken" by chores
    text = "legs like jelly after lambing all night, back fine"
    assert scan(lex, text).acted_tier == "none"
    assert scan(lex, "the garage's quote made my knees go weak").acted_tier == "none"
    assert scan(lex, "nearly broke my back hoovering the stairs lol").acted_tier == "none"
    # a term from a quiz or the news, asked about, with "now I'm googling"
    text = "what is a saddle anaesthesia? heard it on the radio and now I'm googling"
    assert scan(lex, text).acted_tier == "none"
    # a push bike fall decades ago
    assert scan(lex, "came off my bike as a teen, that was 25 years ago").acted_tier == "none"


def test_dots_that_trail_off_keep_one_thought_together(lex: TriageLexicon) -> None:
    """Trailing dots: "less... there... when I wipe" is one sentence, read with the wiping."""
    text = "it feels a bit less... there... when I wipe"
    assert [f.flag for f in scan(lex, text).questions] == ["saddle_numbness"]
    assert scan(lex, "it feels a bit less... stiff... when I bend").acted_tier == "none"


def test_getting_better_is_benign_but_not_much_better_is_not(lex: TriageLexicon) -> None:
    """``cues.improving``: the model does not raise a tier below emergency on a message that
    says things are getting better; "not much better" says the opposite."""
    assert scan(lex, "5 tonight, but the stretches are really helping").benign
    assert scan(lex, "loads better this week").benign
    assert not scan(lex, "not much better this week").benign
    assert not scan(lex, "starting to wonder if it's working").benign


def test_a_cancer_scare_that_came_to_nothing_is_no_history(lex: TriageLexicon) -> None:
    assert scan(lex, "had a cancer scare, turned out to be nothing. back 3").acted_tier == "none"
    assert scan(lex, "had breast cancer in 2019, new back pain").tier == "urgent"


def test_uncertain(lex: TriageLexicon) -> None:
    s = scan(lex, "not sure but I think my bum is a bit numb")
    assert (s.tier, s.acted_tier) == ("none", "emergency")
    assert scan(lex, "I think I've got a temperature").tier == "urgent"


@pytest.mark.parametrize(
    ("text", "tier", "bilateral"),
    [
        ("pins and needles in my left leg", "routine", False),
        ("pins and needles in my leg", "routine", False),
        ("tingling in my toes", "routine", None),
        ("pins and needles in both legs", "emergency", True),
        ("my legs are tingling", "emergency", True),
        ("tingling in my left foot and now my right foot", "emergency", True),
        ("my left leg is weak", "urgent", False),
        ("my legs keep giving way", "emergency", True),
        ("pain shooting down my right leg to my foot", "routine", False),
        ("pain shooting down both legs", "emergency", True),
        # "the knee" names a place, not a side: "both legs" decides
        ("both legs hurting below the knee like toothache", "emergency", True),
        ("pain below the knee in my left leg", "routine", False),
    ],
)
def test_laterality_sets_the_tier(
    lex: TriageLexicon, text: str, tier: str, bilateral: bool | None
) -> None:
    s = scan(lex, text)
    assert s.tier == tier
    assert s.findings[0].bilateral is bilateral


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("bladdr problems", "bladder_bowel"),
        ("incontinance", "bladder_bowel"),
        ("cant pee", "bladder_bowel"),
        ("numbnes in my bum", "saddle_numbness"),
        ("soooo numb down there", "saddle_numbness"),
        ("tinglin in my foot", "leg_numbness_tingling"),
        ("weekness in my left leg", "leg_weakness"),
        ("i have a fevar", "fever_unwell"),
        ("temprature of 39", "fever_unwell"),
        ("siatica down my leg", "radiating_below_knee"),
        ("loosing weight without trying", "weight_loss"),
        ("PINS N NEEDLES IN MY FOOT!!!", "leg_numbness_tingling"),
        ("can’t feel my bum", "saddle_numbness"),
    ],
)
def test_misspellings_slang_and_case(lex: TriageLexicon, text: str, flag: str) -> None:
    assert flag in scan(lex, text).flags


def test_fuzzy_matching_leaves_real_words_alone(lex: TriageLexicon) -> None:
    assert scan(lex, "I'm 35 and climbed a ladder to clean the windows") == TextScan()
    assert scan(lex, "the kids were shouting all morning") == TextScan()


def test_clauses_keep_negation_local(lex: TriageLexicon) -> None:
    s = scan(lex, "no fever but I can't feel my bum")
    assert s.flags == ("saddle_numbness",) and s.tier == "emergency"
    s = scan(lex, "no numbness, my legs keep giving way though")
    assert s.flags == ("leg_weakness",) and s.tier == "emergency"
    s = scan(lex, "I don't have a temperature and I've lost a stone without trying")
    assert s.flags == ("weight_loss",)


def test_minor_fall_needs_age_or_osteoporosis(lex: TriageLexicon) -> None:
    assert scan(lex, "slipped on the ice yesterday, I'm 30").flags == ()
    assert scan(lex, "slipped on the ice yesterday, I'm 79").flags == ("trauma",)
    assert scan(lex, "I have osteoporosis and tripped over the cat").flags == ("trauma",)
    assert scan(lex, "fell off a ladder yesterday").flags == ("trauma",)


def test_sharp_pain_counts_only_during_the_stretch(lex: TriageLexicon) -> None:
    assert scan(lex, "sharp pain when I pull my knee to my chest").flags == ("sharp_pain_during",)
    assert scan(lex, "sharp pain in my tooth").flags == ()


def test_finding_records_the_words(lex: TriageLexicon) -> None:
    (finding,) = scan(lex, "Since Monday I CAN'T feel my bum at all!").findings
    assert finding.flag == "saddle_numbness" and "feel my bum" in finding.phrase


def test_result_is_deterministic_and_flags_sorted(lex: TriageLexicon) -> None:
    text = "fever and chills, lost weight, and now both legs are numb and I can't pee"
    first = scan(lex, text)
    assert all(scan(lex, text) == first for _ in range(3))
    assert first.flags == tuple(sorted(first.flags))
    assert first.acted_tier == "emergency"


# ---------------------------------------------------------------------------------------------
# The sentinel: the fail-safe layer for the emergency body systems


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("my privates feel cold and rubbery", "saddle_numbness"),
        ("sat on the toilet and nothing happens for ages", "bladder_bowel"),
        ("my bladder's gone all quiet", "bladder_bowel"),
        ("my bowels are stuck and I can't feel them", "bladder_bowel"),
        ("went to the loo and nothing happened", "bladder_bowel"),
        ("wee just sort of comes whenever", "bladder_bowel"),
        ("legs feel like they're made of wood", "leg_weakness"),
        ("my legs feel strange and far away", "leg_weakness"),
        ("both feet feel like blocks of ice", "leg_weakness"),
        ("everything down below has gone quiet", "saddle_numbness"),
    ],
)
def test_sentinel_asks_about_new_wording(lex: TriageLexicon, text: str, flag: str) -> None:
    s = scan(lex, text)
    assert s.findings == () and s.acted_tier == "emergency"
    assert [f.flag for f in s.to_confirm] == [flag]
    without = lex.model_copy(update={"sentinel": None})
    assert scan(lex=without, text=text).acted_tier == "none"  # the sentinel made the difference


def test_sentinel_hint_for_legs_is_about_both_legs(lex: TriageLexicon) -> None:
    (hint,) = scan(lex, "legs feel like they're made of wood").to_confirm
    assert hint.tier == "emergency" and hint.bilateral is True


@pytest.mark.parametrize(
    "text",
    [
        "my legs feel lovely and loose",
        "I feel the stretch in my bum",
        "can't get both legs to my chest yet",
        "my bum feels squashed on the hard floor",
        "ran a half marathon on Sunday, legs are dead",
        "my legs are different lengths apparently",
        "I have to pee before every session, weird habit",
        "can't lie on my front",
        "my back's in bits, can't move much today",
        "I'm off to the loo then I'll start",
        "pain in the bum, honestly can't be arsed today",
    ],
)
def test_sentinel_stays_quiet_on_ordinary_chat(lex: TriageLexicon, text: str) -> None:
    assert scan(lex, text) == TextScan()


def test_possessive_without_apostrophe_is_read_as_the_word(lex: TriageLexicon) -> None:
    assert scan(lex, "my willy's gone numb").acted_tier == "emergency"
    s = scan(lex, "my toddler's potty training, lots of wet pants")
    assert s.acted_tier == "none"


@pytest.mark.parametrize(
    ("text", "tier"),
    [("my right shin's a bit numb, the other one is fine", "routine"),
     ("left ankle's gone weak and the foot drags", "urgent"),
     ("the left foot\u2019s dragging and now the right foot's dragging too", "emergency"),
     ("my left leg's numb and now the right leg's numb too", "emergency"),
     ("Mam's got pins and needles in both legs, GP's seeing her", "none")],
)  # fmt: skip
def test_a_body_words_apostrophe_s_is_one_of_them(lex: TriageLexicon, text: str, tier: str) -> None:
    """ "shin's" is one shin, though "shins" is a known word: one side is not both."""
    assert scan(lex, text).acted_tier == tier


def test_a_one_leg_term_does_not_stop_the_both_legs_question(lex: TriageLexicon) -> None:
    s = scan(lex, "pins and needles from the waist down")
    assert s.acted_tier == "emergency" and "leg_weakness" in s.flags
    assert scan(lex, "pins and needles in my left leg").acted_tier == "routine"


@pytest.mark.parametrize(
    "text",
    ["a lorry shunted us on the ring road and my back is agony",
     "came off my scooter yesterday, lower back hurts",
     "went down the stairs on my backside last night, back pain since"],
)  # fmt: skip
def test_trauma_sentinel_asks_about_a_fall_or_collision(lex: TriageLexicon, text: str) -> None:
    s = scan(lex, text)
    assert s.acted_tier == "emergency" and "trauma" in s.flags


@pytest.mark.parametrize(
    "text",
    ["drove the van all day, back is sore",
     "what if I slip and hurt my back?",
     "my brother crashed his bike and hurt his back",
     "fell asleep on the sofa and my back hurts",
     "the bike ride was lovely"],
)  # fmt: skip
def test_trauma_sentinel_stays_quiet(lex: TriageLexicon, text: str) -> None:
    assert "trauma" not in scan(lex, text).flags


def test_an_absence_is_a_problem_for_the_sentinel(lex: TriageLexicon) -> None:
    assert scan(lex, "I've not needed a wee all day").flags == ("bladder_bowel",)
    assert scan(lex, "I need to pee before I start") == TextScan()


def test_sentinel_leaves_someone_else_alone(lex: TriageLexicon) -> None:
    s = scan(lex, "my dad's legs feel weird")
    assert s.acted_tier == "none" and s.to_confirm == ()


def test_sentinel_asks_about_a_negated_system_too(lex: TriageLexicon) -> None:
    s = scan(lex, "no problems with my legs at all")
    assert s.tier == "none" and s.acted_tier == "emergency"
    assert [f.flag for f in s.to_confirm] == ["leg_weakness"]


def test_sentinel_adds_nothing_when_a_specific_term_covers_it(lex: TriageLexicon) -> None:
    assert scan(lex, "I can't feel the toilet paper when I wipe").flags == ("saddle_numbness",)
    s = scan(lex, "my legs are numb and feel strange")
    assert s.flags == ("leg_numbness_tingling",) and s.to_confirm == ()


def test_sentinel_adds_a_system_the_findings_do_not_cover(lex: TriageLexicon) -> None:
    s = scan(lex, "I have a fever. Also my bladder's gone all quiet")
    assert s.tier == "urgent" and s.acted_tier == "emergency"
    assert [f.flag for f in s.to_confirm] == ["bladder_bowel"]


def test_decimal_temperatures_are_read_as_temperatures(lex: TriageLexicon) -> None:
    assert scan(lex, "38.6 last night and shivery").flags == ("fever_unwell",)
    assert scan(lex, "39,2 this morning").flags == ("fever_unwell",)
    assert scan(lex, "I'm 38 and a bit stiff") == TextScan()
    assert scan(lex, "1" * 5000 + ".5").acted_tier == "none"  # no huge int conversion


def test_the_user_as_the_object_of_an_impact(lex: TriageLexicon) -> None:
    assert scan(lex, "somebody crashed into me at the lights").flags == ("trauma",)
    assert scan(lex, "someone rear-ended me on the motorway").flags == ("trauma",)
    s = scan(lex, "the baby kept me up all night, back is sore from rocking her")
    assert s.acted_tier == "none"


# ---------------------------------------------------------------------------------------------
# Never crash


@pytest.mark.parametrize(
    "text",
    ["", " ", "\x00\x01\x02", "\n\n\n", "🙂🙂🙂", "....???!!!", ",,,,", "||||", "\u202e\u200b",
     "a" * 100_000, "can't pee " * 5_000, "numb\x00bum", "ｃａｎ'ｔ　ｐｅｅ", "ﷺ" * 5000],
)  # fmt: skip
def test_odd_input_never_crashes(lex: TriageLexicon, text: str) -> None:
    s = scan(lex, text)
    assert s.acted_tier in TIER_RANK


def test_huge_input_is_capped_but_scanned(lex: TriageLexicon) -> None:
    text = "cant pee. " + "blah " * 50_000
    started = time.perf_counter()
    assert scan(lex, text).acted_tier == "emergency"
    assert time.perf_counter() - started < 1.0
    assert scan(lex, "blah " * 50_000 + "cant pee").acted_tier == "none"  # beyond the cap


def test_fullwidth_and_control_characters_are_normalised(lex: TriageLexicon) -> None:
    assert scan(lex, "ｃａｎ'ｔ　ｐｅｅ").flags == ("bladder_bowel",)
    assert scan(lex, "can't\x00 pee\x07").flags == ("bladder_bowel",)


FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(st.text(max_size=400))
def test_any_text_never_crashes(lex: TriageLexicon, text: str) -> None:
    s = scan(lex, text)
    assert s.acted_tier in TIER_RANK
    assert TIER_RANK[s.acted_tier] >= TIER_RANK[s.tier]


WORDS = sorted({w for c in CASES for w in c.text.split()})


@FUZZ
@given(st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join))
def test_word_salad_never_crashes(lex: TriageLexicon, text: str) -> None:
    s = scan(lex, text)
    assert set(s.flags) <= FLAG_IDS
    assert all(f.tier == "emergency" for f in s.to_confirm)


# ---------------------------------------------------------------------------------------------
# The CLI core


def test_run_triage_writes_one_json_object_per_line(lex: TriageLexicon) -> None:
    out = io.StringIO()
    run_triage(["hi\n", "cant pee\n", "\n", "what if my legs go numb?", "I have a fever\r\n"],
               out, lex)  # fmt: skip
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {"tier": "none", "flags": []},
        {"tier": "emergency", "flags": ["bladder_bowel"]},
        {"tier": "none", "flags": []},
        {"tier": "none", "flags": []},  # a question in general: information, no question
        {"tier": "urgent", "flags": ["fever_unwell"]},
    ]
    assert out.getvalue().endswith("\n") and out.getvalue().count("\n") == 5


# ---------------------------------------------------------------------------------------------
# The lexicon loader


def english() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    return data


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "triage.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_english_lexicon_covers_every_flag(lex: TriageLexicon) -> None:
    assert set(lex.flags) == FLAG_IDS
    from content.loader import KNOWN_FLAGS  # the structured screen uses the same ids

    assert FLAG_IDS == KNOWN_FLAGS


@pytest.mark.parametrize(
    ("mutate", "key"),
    [
        (lambda d: d["flags"]["trauma"]["groups"][0]["terms"].__setitem__(2, "(fell|fall"),
         "flags.trauma.groups[0].terms[2]"),
        (lambda d: d["flags"]["night_pain"]["groups"][1]["terms"].append("@no_such_class pain"),
         "flags.night_pain.groups[1].terms"),
        (lambda d: d["cues"]["negation"].__setitem__("window", "five"), "cues.negation.window"),
        (lambda d: d["flags"]["weight_loss"].__setitem__("tier", "soon"), "flags.weight_loss.tier"),
        (lambda d: d["flags"].pop("fever_unwell"), "flags"),
        (lambda d: d["flags"].__setitem__("bladder_bowels", d["flags"]["bladder_bowel"]),
         "flags.bladder_bowels"),
        (lambda d: d["laterality"].__setitem__("sides", []), "laterality.sides"),
        (lambda d: d["classes"]["pee_verb"].append("[pee"), "classes.pee_verb["),
        (lambda d: d["idioms"].append("a <5-1> b"), "idioms["),
        (lambda d: d["sentinel"]["systems"]["bladder"].__setitem__("flag", "bladder_bowels"),
         "sentinel.systems.bladder"),
        (lambda d: d["sentinel"]["systems"]["bladder"].__setitem__("flag", "night_pain"),
         "sentinel.systems.bladder"),
        (lambda d: d["sentinel"]["systems"]["legs"].__setitem__("bilateral", False),
         "sentinel.systems.legs"),
        (lambda d: d["sentinel"]["problems"].append("(numb"), "sentinel.problems["),
        (lambda d: d["sentinel"]["trauma"].__setitem__("flag", "night_pain"), "sentinel.trauma"),
        (lambda d: d["sentinel"]["trauma"]["injury"].append("(hurt"), "sentinel.trauma.injury["),
        (lambda d: d["normalise"].__setitem__("possessive_classes", ["nope"]),
         "normalise.possessive_classes"),
        (lambda d: d["normalise"].__setitem__("singular_classes", ["nope"]),
         "normalise.singular_classes"),
        (lambda d: d["sentinel"]["systems"]["saddle"]["words"].append("@nope"),
         "sentinel.systems.saddle.words["),
        (lambda d: d["normalise"]["decimal_tags"].append({"lo": 9, "hi": 1, "word": "x"}),
         "normalise.decimal_tags[1]"),
    ],
)  # fmt: skip
def test_broken_lexicon_names_the_key(tmp_path: Path, mutate: Any, key: str) -> None:
    data = english()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(ContentError) as err:
        load_triage_lexicon(path)
    message = str(err.value)
    assert str(path) in message
    assert key in message, message


def test_unreadable_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"triage\.yaml"):
        load_triage_lexicon(tmp_path / "triage.yaml")
    path = tmp_path / "triage.yaml"
    path.write_text("flags: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_triage_lexicon(path)
    path.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(ContentError, match="mapping"):
        load_triage_lexicon(path)


# ---------------------------------------------------------------------------------------------
# The sentence reach, phrases that are a hint alone, loose body words, major trauma


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        # a strong symptom word reaches across "because" and commas in the sentence
        ("wearing a pad now because of little leaks I don't feel", "bladder_bowel"),
        ("my balls and the skin behind them feel numb and weird", "saddle_numbness"),
        # loose body words pair with a strong symptom word only
        ("had to change my sheets cos i wet them in my sleep", "bladder_bowel"),
        ("my feet feel like they're made of cotton wool, both of them", "leg_weakness"),
        ("too weak to stand up this morning", "leg_weakness"),
        # a hint by itself
        ("woke up in a puddle, no idea it happened", "bladder_bowel"),
        ("it wont all come out, never feels empty", "bladder_bowel"),
        ("neither leg would hold me", "leg_weakness"),
        ("I keep collapsing", "leg_weakness"),
        # a simile names nobody else
        ("when I wipe it's like wiping someone else", "saddle_numbness"),
        # major trauma needs no injury word
        ("I was in a pile-up on the M6", "trauma"),
        ("got taken out by a car on a zebra crossing", "trauma"),
        ("fell off the back of a lorry at work, about 6 foot", "trauma"),
    ],
)
def test_the_wider_net_asks_about_new_wording(lex: TriageLexicon, text: str, flag: str) -> None:
    s = scan(lex, text)
    assert s.acted_tier == "emergency" and flag in s.flags, s


@pytest.mark.parametrize(
    "text",
    [
        "leg felt a bit numb from sitting cross legged, went away when I stood up",
        "I have to pee before every session, weird habit",
        "my trousers got soaked in the rain on the way home",
        "woke up soaked in sweat, think I've got a cold",
        "my car needs an MOT, the garage is a pain",
        "I can't stand the new music in the gym",
        "the sheets on my bed are new and lovely",
    ],
)
def test_the_wider_net_stays_quiet(lex: TriageLexicon, text: str) -> None:
    assert scan(lex, text).acted_tier in ("none", "urgent"), text


def test_so_before_a_symptom_word_is_not_a_conjunction(lex: TriageLexicon) -> None:
    s = scan(lex, "my right leg is so weak i cant stand on it")
    assert "leg_weakness" in {f.flag for f in s.findings}


# Fitted after the unseen28-30 hold-outs were scored; written here, not copied. Each line is a
# message and the tier the coach acts on (a confirming question counts at its tier).
ROUND_FIFTEEN = [
    # a sign that switches legs is in both
    ("the shooting pain flits from leg to leg, down past both knees", "emergency"),
    ("pain goes down one leg then the other, into the feet", "emergency"),
    # a side said to be fine is not a second side, and its "fine" denies nothing
    ("tingling in my left foot, the right foot is fine", "routine"),
    ("my right knee keeps buckling, left one is okay", "urgent"),
    ("left calf is numb and now the right one is numb too", "emergency"),
    # a slow start, less of it, not emptying, no urge: asked about
    ("it takes forever for the pee to start lately", "emergency"),
    ("I've not felt the need to go all day, which is odd for me", "emergency"),
    ("I may have leaked a little on the walk home, hard to say", "emergency"),
    ("legs feel shaky and neither of them will take my weight", "emergency"),
    # one-leg weakness in other words; "ex patient" is the user
    ("my right foot drops when I walk, keeps scuffing", "urgent"),
    ("can't push up onto my toes on the left side", "urgent"),
    ("former chemo patient here, bowel cancer, back has started aching", "urgent"),
    # the trend, and night pain whatever the position
    ("it has gone from a twinge to constant over the past fortnight", "routine"),
    ("pains been slowly climbing all week, now a 7", "routine"),
    ("awake at 3, the back aches whichever way I lie", "urgent"),
    # a weight given with a unit, then a lower one "and I haven't changed a thing"
    ("I was 11 stone in the spring, now I'm 9 and haven't changed a thing", "urgent"),
    # over long ago, in new words
    ("sciatica down my leg when the boys were little, gone for years now", "none"),
    ("pins and needles in one foot last summer, cleared up and hasn't come back", "none"),
    ("saddle numbness after a fall in 2008, fine ever since", "none"),
    ("both legs went weak after the 2012 op, made a full recovery", "none"),
    # ... but "ever since" alone still means it stayed, and "never recovered" is not over
    ("saddle numbness after a fall in 2008, and ever since it comes and goes", "emergency"),
    ("weak bladder since 1990, never recovered, and worse this week", "emergency"),
    # pressure numbness gone on standing
    ("bum went numb on the two hour coach, fine once I got off", "none"),
    # idioms and explained feelings
    ("today was an utter car crash at work, stretches done", "none"),
    ("expecting with number two, is the floor version safe?", "none"),
    ("slipped on the wet kitchen floor, I'm 28, just a bruise", "none"),
    ("I'm 35, tripped over the dog, no osteoporosis, back fine", "none"),
    ("feel rough after the office party, nothing to do with my back", "none"),
    ("shivering cos the boiler's packed in, did my stretch in a coat", "none"),
    ("got a stitch halfway round the park, still sore", "none"),
    ("sit bones sore from the bike saddle after a long ride", "none"),
]


# Misses and false alarms of unseen31-33 (round 16), fitted after their first sight. Each
# wording is new here, and most come with the near case that must not change.
ROUND_SIXTEEN = [
    # "numb*" no longer matches "number": a number two is not a numb bottom
    ("the stretch helps me with my number two in the morning", "none"),
    ("went for a number 2 and it just came out before I could sit down, no warning", "emergency"),
    # a reply to a reminder is not a negation
    ("not right now, stuck in bed with a fever and the back is awful", "urgent"),
    ("no fever, just sore", "none"),
    # the later score first
    ("6 this morning, was 3 on friday", "routine"),
    ("3 today, was 6 last week", "none"),
    ("scores this week 2,3,4,5", "routine"),
    ("5, then 6, now 7", "routine"),
    ("temp is 38,4 tonight", "urgent"),
    # the user stopped early; the sign did not stop
    ("that stabbing pain again mid stretch, I stopped early", "routine"),
    # hands from the hold, not legs
    ("my fingers went numb from clasping my knees during the hold", "none"),
    ("my hands and both legs are numb", "emergency"),
    # over long ago in other words
    ("sciatica in my right leg back in 2011, never since", "none"),
    ("both legs went weak once years ago with the flu, nothing like that now", "none"),
    ("bladder surgery in 2015 and it's been normal ever since", "none"),
    ("both legs went weak once years ago, and now they are weak again", "emergency"),
    # an age "now" is not a sign now
    ("when I was expecting my son (he's 22 now) my legs went numb, never since", "none"),
    # a childhood fall, a young adult's slip
    ("came off my bike aged 10 and cut my knee, could that be why my back hurts", "none"),
    ("tripped on the stairs, I'm 33, grazed my shin, back as usual", "none"),
    ("tripped on the stairs, I'm 77 and my back hurts since", "emergency"),
    # the other side in the next sentence
    ("Right foot has been tingly since Friday. Now the left one's joined in.", "emergency"),
    # other people and stories
    ("mate from football has numb feet, both of them, told him to get it checked", "none"),
    ("in the film the hero falls off a roof and hurts his back", "none"),
    # idioms and things that give way
    ("I broke out in a cold sweat when I read the exam results", "none"),
    ("my knees went weak when she said yes", "none"),
    ("the garden bench gave way under my uncle, we were in stitches", "none"),
    ("my legs gave way on the stairs, both of them", "emergency"),
    ("the bathroom taps leaking again, going to call a plumber", "none"),
    # said to stop short of the knee
    ("ache goes into my buttock but doesn't go past the thigh", "none"),
    ("it stops above the knee, the pain I mean", "none"),
    # weight, night, temperature and toilet words
    ("I keep getting lighter each week though I'm eating as usual", "urgent"),
    ("the evenings are getting lighter every week, lovely", "none"),
    ("up at 2am and it aches whichever way I lie", "urgent"),
    ("temperature was thirty nine point two last night and my back is bad", "urgent"),
    ("been desperate for a pee all morning and nothing comes out", "emergency"),
    ("desperate for a wee, hang on", "none"),
    ("I have to strain hard to get the wee started since my back went", "emergency"),
    ("can't tell when I need the loo any more", "emergency"),
    # one leg without its strength; legs that just went
    ("my right leg doesn't have the strength it used to, I'm dragging it a bit", "urgent"),
    ("my knees just went and I ended up on the floor", "emergency"),
    # an older user's fall at home
    ("I'm 79 and went down in the bathroom on monday", "emergency"),
    # someone typing for the account holder, named as a relation
    ("Hello, this is Dave, Ann's husband. She can't feel her legs, both of them", "emergency"),
]


# Misses and false alarms of unseen34-36 (round 17), fitted after their first sight.
ROUND_SEVENTEEN = [
    # a liner is a bladder word; a relative typing says who they are
    ("my liner was wet again and I never felt it leak", "emergency"),
    ("I'm her husband. Her legs won't hold her up since this morning", "emergency"),
    ("Mum typing for him, his back went and now he can't pee at all", "emergency"),
    ("I'm her husband and she's asked about the reminder times", "none"),
    # legs that fold under someone; "back's gone again" is a flare, not a sign gone
    ("both her legs fold under her when she stands, I'm typing this for her", "emergency"),
    ("my legs fold under me, and my back's gone again", "emergency"),
    # a climber's fall to the ground
    ("rope slipped and I decked from about 5m, back is sore", "emergency"),
    # the later score first, after a scale, and a fall in scores
    ("8/10, was 4 a fortnight ago", "routine"),
    ("pain 4 down from 7 last week", "none"),
    # over, long ago, and still active
    ("sciatica down both legs in my twenties, none since", "none"),
    ("had foot drop after a disc op when I was 30, fully recovered, still running", "none"),
    ("my foot went to sleep kneeling in the garden, fine in a minute", "none"),
    # someone else, a story, and feelings
    ("buddy from the rugby club has foot drop now, poor lad", "none"),
    ("pins and needles watching the final, what a game", "none"),
    ("my knees went weak when the manager read out the redundancy list", "none"),
    ("honestly I'm a total wreck this week, back 3/10", "none"),
    ("I feel numb about everything since the funeral", "none"),
    ("I'd give my left leg for a proper night's sleep", "none"),
    ("I don't have it, just curious: how far down does sciatica go?", "none"),
    ("the biopsy said it was a cyst, not cancer", "none"),
    ("I'm not cancer free yet and my back has started hurting", "urgent"),
    # said to have happened once
    ("one sharp twinge during the stretch, only the once", "none"),
    ("a sharp catch during the hold, second time this week", "routine"),
    # bladder and toilet wording
    ("I don't think I can tell when I need the loo any more", "emergency"),
    ("I haven't felt like I need a pee since yesterday morning", "emergency"),
    ("been trying to pee for an hour and it's just not happening", "emergency"),
    # a simile is not exertion
    ("both legs weak, like after a marathon, but I've been sat down all day", "emergency"),
    ("both legs weak after the marathon yesterday", "none"),
    # one leg: tiptoe
    ("I can't stand on tiptoe on the right", "urgent"),
    # worsening and sharp pain in other words
    ("the pain has crept up bit by bit", "routine"),
    ("the strap version keeps giving me a sharp pain", "routine"),
    ("it shoots from my buttock down past my knee on the right", "routine"),
]


ROUND_EIGHTEEN = [
    # long-standing and unchanged, with its cause named: not a new sign
    ("both feet numb for about 8 years from my diabetes, the podiatrist checks them", "none"),
    ("I leak a little when I cough since having the twins, always have", "none"),
    ("legs heavy by teatime with my MS, always has been", "none"),
    # ... but not without a cause, nor when it has changed or come on since
    ("both feet have been numb for about 8 years", "emergency"),
    ("numb feet for years with diabetes, but since friday it's up both legs", "emergency"),
    ("on steroids for about 10 years, slipped on the stairs and landed on my back", "emergency"),
    ("diabetic for years, my bladder hasn't worked properly since sunday", "emergency"),
    # a stream that won't come, in second-language or dictated words
    ("since last night I cannot make the water, back is bad", "emergency"),
    ("the water will not come out at the toilet, only drops", "emergency"),
    ("I can't get it started at all, I stand at the toilet for ages", "emergency"),
    ("my legs would not carry me up the stairs, both of them", "emergency"),
    ("the two legs feel like wood", "emergency"),
    ("left and right leg both tingling since lunch", "emergency"),
    ("left leg tingling, right is fine", "routine"),
    ("pain goes all the way down past my knees on both sides", "emergency"),
    ("legs keep giving weigh on the stairs", "emergency"),
    ("long term pred for my arthritis and I fell in the garden", "emergency"),
    # scores each with its time, or named as a score
    ("back 3 yesterday, 6 today", "routine"),
    ("back 6 yesterday, 3 today", "none"),
    ("score 7, was 4 on tuesday", "routine"),
    ("did 3 reps yesterday and 6 today", "none"),
    ("was a to on monday now 6", "routine"),
    # the night, in other words
    ("at night changing side does nothing, the ache stays", "urgent"),
    ("every night the pain is not better when I turn over", "urgent"),
    ("nights are awful, tried everything, nothing helps", "urgent"),
    ("tried a new pillow last night and it helped", "none"),
    # weight, without trying
    ("lost a stone since summer, no diet no gym", "urgent"),
    ("lost a stone since summer with the gym", "none"),
    ("the scales keep going down and I'm eating plenty", "urgent"),
    # idioms
    ("the gas bill gave me a cold sweat", "none"),
    ("got the chills watching that documentary", "none"),
    ("the new phone bill has lost a lot of weight from my wallet", "none"),
    ("that price nearly knocked me off my feet", "none"),
    ("had the cancer check yesterday and it was all clear", "none"),
    # over and long ago
    ("both legs went numb after the op 20 years ago, since then fine", "none"),
    ("I fell skiing in my forties but that was long ago", "none"),
    # a sharp pain that was not the only one; a knife-like pain that keeps coming back
    ("the stretch gives me a sharp pain in the back, not only once", "routine"),
    ("the seated stretch gives me a knife-like pain that keeps coming back", "routine"),
    ("had left leg pain below the need again", "routine"),
]


ROUND_NINETEEN = [
    # a stream from a hose to a tap, a part of the saddle that feels absent, nerve pain in both
    ("my flow's gone from a jet wash to a dripping tap since sunday", "emergency"),
    ("the kitchen tap is dripping again, must call a plumber", "none"),
    ("my taint feels a bit absent today, is that a thing", "emergency"),
    ("both shins burning, proper nerve pain", "emergency"),
    ("night pain is constant, moving about doesn't help at all", "urgent"),
    # falls told by what did it: a dog, a grandson; but not a dog that dragged someone along
    ("the dog pulled me over in the park, I'm 71 and my back is very sore", "emergency"),
    ("my nephew knocked me flat in the garden, I'm 70, back's been bad since", "emergency"),
    ("the dog dragged me along the path, my arm aches", "none"),
    ("the dog pulled me over on the lead but I didn't hurt anything", "none"),
    # relatives typing, legs that won't take the weight, jokes that are real
    ("my boyfriend is typing this, he says his bum is numb since last night", "emergency"),
    ("both her legs won't take her weight, I'm her son", "emergency"),
    ("both legs gone on strike, can't get up the stairs", "emergency"),
    ("legs about as much use as a chocolate teapot, both of them", "emergency"),
    ("so I wet myself at the bus stop and never even felt it", "emergency"),
    ("I ran so I didn't wet myself laughing", "none"),
    ("haven't managed a wee since this morning", "emergency"),
    ("keep needing to go and nothing comes out, sat there ages", "emergency"),
    ("sciatica was one leg, now it's doing both", "emergency"),
    # scores as a bare pair, an average that fell; words that say it is helping
    ("4->7", "routine"),
    ("7 to 4", "none"),
    ("started at 6, now averaging 2", "none"),
    ("5 tonight, the stretch is really helping though", "none"),
    # scores in words, a score alone then the earlier one, back up to a score after days at one
    ("seven. last night was four", "routine"),
    ("four. last night was seven", "none"),
    ("pain six today, was three on monday", "routine"),
    ("two weeks ago it was a 7, down to 4 now", "none"),
    ("back up to a 6 after a few days at 3", "routine"),
    ("back to work after 3 days at home", "none"),
    # weight, worsening, sharp
    ("lost half a stone, not on purpose", "urgent"),
    ("lost half a stone on purpose", "none"),
    ("dropped two dress sizes without trying", "urgent"),
    ("a month of stretching and it's the same if not worse", "routine"),
    ("that sharp jab in the stretch again, 4th time this week", "routine"),
    ("right calf feels buzzy, like it's gone to sleep", "routine"),
    # idioms and over
    ("the grandkids ran me off my feet at the park", "none"),
    ("my knees went weak when the builder gave me the quote", "none"),
    ("my legs went from under me when I opened the gas bill", "none"),
    ("my savings have lost a lot of weight this month", "none"),
    ("I'm 70, had a fall the winter before last, fully recovered, nothing since", "none"),
    ("foot went to sleep from sitting cross legged, woke up fine", "none"),
    ("leg went dead sitting on the loo, fine once I stood up and walked about", "none"),
]


ROUND_TWENTY = [
    # the second side named in the next sentence, in other words
    ("My right shin is numb. The same thing has started in the left shin today.", "emergency"),
    ("Shooting pain down my left leg to the ankle. The right started doing the same.", "emergency"),
    ("My right shin is numb. The left one is fine.", "routine"),
    ("couldn't feel the pedals on the drive home, both gone weak, legs like lead", "emergency"),
    ("what counts as a red flag? like both going weak?", "none"),
    # a relative's account; nothing eases the night; scores in more shapes
    ("Mum's account. She had breast cancer in 2015 and this back pain is new.", "urgent"),
    ("The night pain never stops. pillows, turning, sitting up, nothing changes it", "urgent"),
    ("used to be a 3, now a solid 6 most days", "routine"),
    ("3 last week. today 6", "routine"),
    ("6 last week. today 3", "none"),
    ("score: 6 (yesterday 3)", "routine"),
    ("worse every single day", "routine"),
    # a stream that needs pushing or waiting for, a seat that can't be felt
    ("I have to strain and strain to get the wee started", "emergency"),
    ("I can't get the wee to come out, sat there ages", "emergency"),
    ("sat on the loo this morning, no feeling at all underneath me", "emergency"),
    ("I'm 72 and fell flat on my back in the car park, back's sore", "emergency"),
    ("both my calves hurt whenever my back flares", "emergency"),
    ("my left calf aches whenever my back flares", "routine"),
    # long-standing with the cause named; a general question; idioms; a car that will not start
    ("I've leaked a little when I laugh ever since the kids, the nurse knows", "none"),
    ("I've leaked when I laugh ever since the kids, but since Friday I can't feel it", "emergency"),
    ("Is it bad if the pain goes down past my knee?", "none"),
    ("my legs turned to spaghetti when they read my name out", "none"),
    ("that phone call knocked me off my feet, we won the raffle", "none"),
    ("my wallets lost a lot of weight since the holiday", "none"),
    ("car failed to start this morning, then the back was a 4 all day", "none"),
    ("tingly thigh after kneeling on it, went away in a minute", "none"),
]


ROUND_TWENTY_ONE = [
    # a bare age before a fall; a second side, hedged
    ("81, slipped on the wet patio this morning and my back is agony", "emergency"),
    ("81 steps to the top of the hill, did it easily", "none"),
    ("numbness was only in my left foot, I think the right has started too", "emergency"),
    # weights and sizes as two numbers, with nothing to explain the loss
    ("went from 80kg to 72kg since the summer, no idea why", "urgent"),
    ("went from 80kg to 72kg since the summer, slimming world works!", "none"),
    ("dress size from a 16 to a 12 and I've not been trying", "urgent"),
    ("I'm 4kg lighter than last summer and eating as normal", "urgent"),
    ("weighed myself at the gym: down half a stone, eating loads", "urgent"),
    # temperatures of the weather or the bath; a body temperature
    ("39 degrees out here in Spain, stretching in the shade", "none"),
    ("Temp 39 degrees tonight and my back is pounding", "urgent"),
    ("hot, cold, shaky, and my back aches all over", "urgent"),
    # nights where no position helps, with the night named by the hour
    ("woke at 2am, couldn't find a position that eased it, gave up", "urgent"),
    ("will the stretch keep me awake if I do it late?", "none"),
    # scores in more shapes
    ("it was about a three, this evening it's about a six", "routine"),
    ("score was a 2 when I started the programme, it's a 5 now", "routine"),
    ("Started at 6/10, now sitting at 3/10.", "none"),
    ("4 out of 10 on the 3rd, today 7 out of 10", "routine"),
    ("My pain was a 2 when the nurse saw me. It's a 5 now", "routine"),
    # bladder and legs in new words
    ("my pee stops half way and won't start again", "emergency"),
    ("I wet myself at the shops without noticing", "emergency"),
    ("I don't think I felt myself needing a wee all day", "emergency"),
    ("I can't stand up off the toilet without using my arms now", "emergency"),
    ("keep catching my left toe on the carpet", "urgent"),
    ("the pain travels from my right bum cheek right down to my ankle", "routine"),
    ("My left shin feels like it's wrapped in cotton wool", "routine"),
    # advice quoted back; long-standing with a cause; idioms and topics
    ("The nurse said ring 999 if I can't pee at all. Noted!", "none"),
    ("The nurse said ring 999 if I can't pee at all. Well, I can't pee at all.", "emergency"),
    ("stress incontinence since my hysterectomy 12 years ago, same as it's always been", "none"),
    ("my pelvic floor is a bit weak since the twins, doing my squeezes", "none"),
    ("the garage bill made my knees go weak", "none"),
    ("watched a video about sciatica, any tips for the floor version?", "none"),
    ("cancer? yes, lymphoma years ago, and now this new back pain", "urgent"),
]


ROUND_TWENTY_TWO = [
    # the second side in the next sentence, in more words
    ("Right foot has been tingling since Friday. Now the left foot has joined in.", "emergency"),
    ("Right foot has been tingling since Friday. The left foot is fine.", "routine"),
    ("My right knee keeps giving way. And now the left one's doing it as well.", "emergency"),
    ("2 legs, zero power this morning", "emergency"),
    ("both legs vibrating like a mobile phone going off", "emergency"),
    ("my phone keeps buzzing like mad with your reminders", "none"),
    ("sharp pain L + R calf to the feet", "emergency"),
    # a leak not felt, told after someone else's news; no urge, hedged
    ("My sister's fine. Me, I peed myself in the queue and didn't notice a thing", "emergency"),
    ("I don't think I've had the urge to wee since breakfast", "emergency"),
    # spelled by ear or autocorrected
    ("my strem is week since tuesday", "emergency"),
    ("see you next week, off on holiday", "none"),
    ("both thighs gone a bit number since lunch", "emergency"),
    ("what number should I ring if it gets worse?", "none"),
    ("tingly down their since this morning", "emergency"),
    ("worse then when I started in March", "routine"),
    ("My weigh is going down and I'm eating loads", "urgent"),
    ("past lymfoma and this back pain is new", "urgent"),
    # falls, weights and fever said another way
    ("I'm 70 and missed the bottom two steps, landed on my back", "emergency"),
    ("belt has gone in two notches and I've not done anything different", "urgent"),
    ("belt has gone in two notches since I joined the gym", "none"),
    ("temp and my back is throbbing", "urgent"),
    ("I'm the carer for my dad, he's the one on this app. He's shivering all day", "urgent"),
    # a programme about a sign
    ("saw a programme about cauda equina, scary stuff", "none"),
    # on review: the readings above never hide a sign that is current
    (
        "I fell last Tuesday and my legs have been numb ever since. The doctor said it's sciatica",
        "emergency",
    ),
    ("both legs numb, no change, GP knows", "emergency"),
    ("can't feel when I need to wee since my daughter was born last week", "emergency"),
    ("I can't feel anything when straining down there", "emergency"),
    ("my pelvic floor feels weak and I leaked", "emergency"),
    ("I was watching a programme on TV and realised I couldn't feel my legs", "emergency"),
    ("I need to get help if I can't pee, I haven't been since yesterday", "emergency"),
]

ROUND_TWENTY_THREE = [
    # forms and arrows
    ("Where it goes: lower back -> both shins", "emergency"),
    ("Numb: R leg -> foot, L leg -> foot", "emergency"),
    ("Numb: R leg -> foot", "routine"),
    ("bilat foot numbness since Sunday", "emergency"),
    ("Cancer history? yes, breast 2019. Back pain new this month", "urgent"),
    ("Cancer history? no. Back stiff", "none"),
    ("Weight: 70kg -> 64kg, not dieting", "urgent"),
    ("Weight ⬇️ 5kg this month, no idea why", "urgent"),
    ("Pain trend ↗️ every week", "routine"),
    ("Daily scores: 3, 3, 4, 5, 5, 6 (one a night)", "routine"),
    ("Daily scores: 6, 5, 5, 4, 3 (one a night)", "none"),
    ("six weeks of stretching, same 5/10 as day one", "routine"),
    ("sharp jab at rep 3, stopped there", "routine"),
    ("the sharp twinge stopped once I eased off", "none"),
    # at night and in bed
    ("my bowels opened while I slept, never happened before", "emergency"),
    ("I don't reckon I felt like I needed to go today, just went out of habit", "emergency"),
    ("rolled off the settee onto the tiled floor, I'm 80 and on alendronate", "emergency"),
    ("rolled off the settee onto the tiled floor, I'm 30, just a bruise", "none"),
    ("dozed at the wheel and clipped the crash barrier, back aching since", "emergency"),
    ("constant ache in the night and turning over does nothing", "urgent"),
    ("relentless pain from midnight till the alarm, every night", "urgent"),
    ("the back aches at night. turning over", "urgent"),
    ("freezing then hot all night and my back is pounding", "urgent"),
    ("night sweats from the perimenopause, back fine", "none"),
    ("night sweats and shivers, back is agony", "urgent"),
    # talking to the bot
    ("this is his daughter. he's been wetting himself all week and won't see anyone", "emergency"),
    ("my colleague keeps wetting herself at work, poor thing", "none"),
    ("the physio tested me herself and both legs were weak", "emergency"),
    ("the physio tested me and both legs were weak", "emergency"),
    ("hot, cold, shaky, and my legs ache all over", "urgent"),
    ("is it bad I've dropped weight without trying? back aches too", "urgent"),
    ("is it bad if I lose weight on this programme?", "none"),
    ("you asked about my night: sweating buckets, 39.2 and my back is killing", "urgent"),
    ("numb to your pep talks now, bot", "none"),
    ("feels kind of muffled down there since yesterday", "emergency"),
]


ROUND_TWENTY_FOUR = [
    # travel: mechanisms in new words
    ("snowboard accident, went into a fence at speed, back really sore", "emergency"),
    ("the coach skidded off the road in the snow, my back took the jolt", "emergency"),
    ("knocked over by a huge wave at 58, back aching since", "emergency"),
    ("you could have knocked me over with a feather when my son called", "none"),
    ("when the phone bill came my knees nearly buckled, back is fine though", "none"),
    # formal wording
    ("I am not sure I have full sensation around my bottom since yesterday", "emergency"),
    ("there is an absence of feeling in both my buttocks", "emergency"),
    ("I have had some trouble getting started when I try to pass water", "emergency"),
    ("I am no longer quite sure I can feel when I need the toilet", "emergency"),
    ("my underwear was damp twice today and I had no idea it had happened", "emergency"),
    ("my underwear was damp after the swim", "none"),
    (
        "I should have mentioned earlier that I had bowel cancer eight years ago;"
        " the back pain is new",
        "urgent",
    ),
    ("I have lost a stone without changing my diet at all", "urgent"),
    ("lost six pounds without any effort, back aching", "urgent"),
    ("I've lost six pounds, all effort, cutting out sugar", "none"),
    ("down 4kg since last month and I'm not trying", "urgent"),
    ("the pain at night is not eased by changing position", "urgent"),
    ("at night no amount of tossing and turning helps the ache", "urgent"),
    ("rolling onto my side at night eases it straight away", "none"),
    ("every reading has been higher than the last one, pain 7 now", "routine"),
    ("scores creeping upwards all week", "routine"),
    ("a month of stretches and if anything a bit worse", "routine"),
    ("pain travels from my right buttock down the thigh and into the shin", "routine"),
    ("a sharp one on the strap stretch, stopping", "routine"),
    # both sides, told later or another way
    ("Left calf tingling since Monday. Today the right one's tingling too.", "emergency"),
    ("the numbness isn't just the one leg anymore", "emergency"),
    ("right foot keeps catching, and I think the left might be getting weak as well?", "emergency"),
    ("my left leg's gone weak on the stairs, right leg is fine", "urgent"),
    ("my left leg's gone weak and the right leg's weak too", "emergency"),
    ("my left leg's weak, can't push off with it going up the hill", "urgent"),
    ("can't stand on tiptoe, I can't do it on the right side", "urgent"),
    # someone else's
    ("colleague of mine keeps leaking wee since her back op, what should she do?", "none"),
    ("friend of mine had numb legs last year and I'm worried, but I'm fine", "none"),
    ("the test match had me in a cold sweat, back's fine", "none"),
    ("night sweats and a cold sweat all day, back agony", "urgent"),
    ("the spreadsheet bored me numb", "none"),
    # the review's near cases: nerves do not explain night sweats; a "Bill" who came round
    ("night sweats most nights, I'm anxious about it, back aching", "urgent"),
    ("bill came round, both legs gave way", "emergency"),
    ("when the phone bill came my knees almost buckled", "none"),
]

ROUND_TWENTY_FIVE = [
    # falls and crashes: the age given bare or after, another player named, new mechanisms
    ("69, tumbled over in the garden yesterday, back sore", "emergency"),
    (
        "the codeine makes me woozy, I slipped down the stairs onto my bum. 61 if it matters",
        "emergency",
    ),
    (
        "I'm 64, got clattered by somebody at five-a-side and went down hard, back sore since",
        "emergency",
    ),
    ("we fell through the garage roof clearing gutters, back agony", "emergency"),
    ("flew over the handlebars at speed on the descent, back sore", "emergency"),
    ("got smashed at full speed in the tackle, back wrecked", "emergency"),
    ("I cracked my back when I fell off the ladder", "emergency"),
    ("the chiro cracked my back, feels freer", "none"),
    # legs: the exertion named only to deny it; both sides below the knee; one shin
    (
        "wobbly jelly legs like after a marathon except I haven't run at all, won't go away",
        "emergency",
    ),
    ("jelly legs after the marathon, back fine", "none"),
    ("both shins burning since Tuesday, back worse", "emergency"),
    ("both shins burning after the hill run", "none"),
    ("left calf aching and burning since I came off the gabapentin", "routine"),
    ("it's in both my legs below the knees today", "emergency"),
    ("pain goes down my left thigh and now into my shin too", "routine"),
    ("right shin's gone numb, the other shin is fine", "routine"),
    # bowel and bladder feeling
    ("I seem to have lost sensation when I need a wee lately", "emergency"),
    ("I need a wee, back in a sec", "none"),
    # the clinician who prescribed is not the one in pain; sessions are not a person
    ("the GP prescribed naproxen, pain keeps getting worse regardless", "routine"),
    ("doctor gave me diazepam but the ache is there all night whatever position I try", "urgent"),
    ("walked the dog fine but at night nothing I do helps the pain", "urgent"),
    ("4 physio sessions and it's no better", "routine"),
    ("my physio has sciatica down both legs", "none"),
    # weight, night, cancer, fever, worsening
    ("bloods still not done and I'm still losing weight, back aching", "urgent"),
    ("my doctor wants me to keep losing weight, down 3kg so far on the diet", "none"),
    ("skinnier than ever, not trying", "urgent"),
    ("wakes me every night, won't settle however I lie", "urgent"),
    ("former breast cancer patient, new pain low in my back", "urgent"),
    ("feeling proper ill and achy with the back pain", "urgent"),
    ("worse week on week despite the stretches", "routine"),
    # advice to come back "if": general information; a sign told with it is still a sign
    ("the nurse said come back if I get numb down below", "none"),
    ("I can't pee properly since yesterday, they told me to come back if it happened", "emergency"),
    # a vaccine or a nightmare explains it; a coach can be a bus
    ("feverish since my booster, back as usual", "none"),
    ("fever and shivers since Sunday, back killing me", "urgent"),
    ("woke up sweating from a nightmare, back fine", "none"),
    ("had a nightmare and woke up with a fever of 39, back agony", "urgent"),
    ("my running coach has new back pain after his cancer", "none"),
    (
        "our coach broke down on the motorway and my legs are numb both sides from sitting so long",
        "emergency",
    ),
    # a sharp jab named, then its return in the next sentence
    ("Knee hug was going well up to the zing. Like yesterday.", "routine"),
    ("Knee hug was going well up to the zing.", "none"),
]

ROUND_TWENTY_SIX = [
    ("Waterworks are a bit slow, it takes forever to get started when I go", "emergency"),
    ("my downstairs plumbing isn't working properly since Sunday", "emergency"),
    ("the downstairs plumbing in the flat needs a plumber", "none"),
    ("knickers damp again and I've no idea when it happened", "emergency"),
    ("only a trickle comes out when I try, back aching", "emergency"),
    ("hard to feel anything down there, my intimate area is numb", "emergency"),
    ("a bit unsteady on both pins today", "emergency"),
    ("both legs are week and wobbly", "emergency"),
    ("my left leg feels week on the stairs", "urgent"),
    ("I've got osteopenia and sat down really hard on the bench, back sore since", "emergency"),
    ("I'm 70 and slid out of the armchair onto the floor, back hurts", "emergency"),
    ("I'm 30 and missed the chair sitting down, laughed it off", "none"),
    ("a pallet truck reversed into me at work, back agony", "emergency"),
    ("self-catheter check showed a residual of 600", "emergency"),
    ("PVR was 40, all normal", "none"),
    ("can't tell when I need to empty my bladder any more", "emergency"),
    ("some hesitancy and a poor flow since Friday", "emergency"),
    ("poor blood flow to my feet in the cold, back stiff", "none"),
    ("S2-4 sensory loss since this morning", "emergency"),
    ("perianal paraesthesia since yesterday", "emergency"),
    ("EHL 4/5 on the right", "urgent"),
    ("dorsiflexion 3/5 on the left and both feet dropping", "emergency"),
    ("can't heel walk on the left side", "urgent"),
    ("SLR negative, no dorsiflexion weakness, back stiff", "none"),
    ("hx of ca prostate, new LBP this week", "urgent"),
    ("feeling pretty rotten and my back is worse", "urgent"),
    ("pain worse now than week one despite the stretches", "routine"),
    ("burning pain in L5 dermatome down to my big toe", "routine"),
    ("my legs usually hold me for transfers but today neither of them will", "emergency"),
    ("pain wakes me at night and no position is comfortable", "urgent"),
    ("had a pt with urinary retention today, felt for him", "none"),
    ("pt in bay 2 has new leg weakness both sides", "none"),
    ("Pt report style: perianal numbness onset this morning, bilateral", "emergency"),
    ("my crewmate's legs both went numb on the job", "none"),
    ("co-driver's feet have gone numb both sides", "none"),
    ("the aircon's broke, back still stiff", "none"),
    ("I broke my back in a car crash years ago, fine now", "emergency"),
    ("I feel like I've been hit by a bus this morning, so stiff", "none"),
    ("temp 38 with a sore throat, back no different", "none"),
    ("temp 38 and shivering, back agony", "urgent"),
    ("temp 38 with a sore throat and now my back is killing me", "urgent"),
    ("L foot drop since my stroke in 2016, unchanged", "none"),
    ("my right foot's been dropping since Tuesday", "urgent"),
    ("bottom went numb at the cinema, fine now", "none"),
    ("bum numb in class earlier, fine now", "none"),
    ("numb around my bottom and it didn't go when I stood up from the desk", "emergency"),
    ("mild sciatica in my bum only, doesnt go down the leg", "none"),
    ("sciatica down my left leg to the ankle", "routine"),
    ("leg pain to the knee only", "none"),
    ("planning to lose half a stone for the wedding", "none"),
    ("I wasn't planning to lose weight but I've lost a stone", "urgent"),
    ("lost half a stone and I'm not trying", "urgent"),
    ("both feet numb from my diabetes, been the same for years", "none"),
    ("my foot drop since my stroke in 2016 is worse since Tuesday", "urgent"),
]


ROUND_TWENTY_SEVEN = [
    # a long-standing leak said to have changed is a sign again
    (
        "leaky when I cough since my daughter was born 6 years ago, but this feels different,"
        " I'm wet without knowing",
        "emergency",
    ),
    ("leaky when I cough since my daughter was born 6 years ago, nothing different", "none"),
    ("I keep finding myself damp and can't remember feeling it", "emergency"),
    # carers typing for the account holder; a child named by age is someone else
    ("my dad uses the app, he slipped on the ice this morning and he's 81", "emergency"),
    ("the wife's the one on this bot, both her legs went from under her at tea", "emergency"),
    ("my hubby is on his phone in the bath for hours and both his feet go numb", "none"),
    ("my 3yo has a temperature of 39, back fine", "none"),
    ("granddaughter (6 months) has a fever, I'm looking after her", "none"),
    ("nan on childcare duty here, had breast cancer, this back pain is new", "urgent"),
    ("grandad (75) here, slipped on the patio, back sore since", "emergency"),
    ("grandad (80) slipped on the patio and is sore", "none"),
    # similes for weak, numb or shooting legs, and for the bladder
    ("both legs like tree trunks today, heavy and slow", "emergency"),
    ("somebody pulled the plug on my legs this morning", "emergency"),
    ("can't lift either leg up the step", "emergency"),
    ("feels like a swarm of bees in both my feet", "emergency"),
    ("lightning down both calves when I cough", "emergency"),
    ("feels like I've forgotten how to wee", "emergency"),
    ("I have to strain like mad to start a pee", "emergency"),
    ("dribbling like an old man ever since my back went", "emergency"),
    ("neither knee feels steady enough to get down the stairs", "emergency"),
    ("the whole seat area is numb since this morning", "emergency"),
    ("my left foot's like it's wearing a thick sock", "routine"),
    ("I wore thick socks in bed and my feet were warm", "none"),
    ("right knee folds under me on the stairs", "urgent"),
    ("my right knee folds under me getting up after the stretch", "urgent"),
    ("I lie with both knees folded to my chest", "none"),
    ("my knee has been giving me grief all week", "none"),
    ("the van rolled and pinned me between it and the wall, back agony", "emergency"),
    ("the toddler pinned me to the sofa for a cuddle", "none"),
    # fever in other words, and its excuses
    ("shivery like I've just been in the sea, and my back is much worse", "urgent"),
    ("sweating and shaking with the back pain, not just tired", "urgent"),
    ("sweating and shaking after a hard ride, fine after a banana", "none"),
    ("mastitis with a temp, antibiotics sorted it, back's no different", "none"),
    ("night sweats since the baby, midwife says hormones", "none"),
    # cancer named in shorthand; a cancer month is a campaign
    ("bowel ca 2018, new back pain started last month", "urgent"),
    ("doing a walk for breast cancer awareness month, back stiff", "none"),
    # night pain and worsening in other words
    ("no position takes it off and it wakes me every night", "urgent"),
    ("it's getting worse not better", "routine"),
    ("numb patch on my thigh since my hip op in 2012, no change", "none"),
    # weight: breastfeeding long stopped is no reason; baby weight is
    ("dropping weight and I don't know why, stopped breastfeeding months ago", "urgent"),
    ("lost a stone since the birth, mostly baby weight", "none"),
    # over and explained
    (
        "one sharp pinch on the first knee hug but it went straight away and the rest were fine",
        "none",
    ),
    ("sharp pinch on the knee hug again, third time", "routine"),
    ("knee to chest feels like a knife in my back every time", "routine"),
    ("leg went tingly sitting cross legged, goes as soon as I stand up", "none"),
    ("sciatica in my first pregnancy but it went away after she was born", "none"),
    ("toes tingly from the cold walk, fine once warm", "none"),
    ("leg went numb kneeling to grout the bathroom, fine after a minute", "none"),
    ("legs like lead from no sleep with the baby", "emergency"),
    ("back feels like a rusty bike chain in the morning", "none"),
]


ROUND_TWENTY_EIGHT = [
    # a big animal's kick or charge is major trauma at any age; a simile is not
    ("the bull knocked me flat in the yard, back's in bits", "emergency"),
    ("a horse kicked me in the lower back at the yard, I'm 33", "emergency"),
    ("feel like I've been kicked by a horse this morning, so stiff", "none"),
    # "the fall I mentioned" is a fall, not the autumn; "the fall" as a season still is
    ("the fall I told you about on Monday, I'm 77, back getting worse", "emergency"),
    ("our book group read 'the fall' this month, back fine", "none"),
    # the other side now too; a twinge that is not a one-off
    ("pins and needles in my right foot last week, left foot has it as well now", "emergency"),
    ("the weakness I had in my left leg is in both now", "emergency"),
    ("that pinch in my back is not a one off, keeps happening when I pull my knees in", "routine"),
    ("whenever I do the knee hug it's like a knife in my lower back", "routine"),
    ("one sharp pinch on the knee hug but it passed straight away", "none"),
    ("sharp pinch on the first knee hug, it went and hasn't come back", "none"),
    # bowel and bladder in other words
    ("I can't feel myself needing a wee any more", "emergency"),
    ("I need a poo, back in a minute", "none"),
    ("dribbling a bit when I walk, never had that before the back went", "emergency"),
    ("the washing machine is leaking a bit when it spins", "none"),
    # legs and night pain in other words
    ("left leg fizzes when I sit on the mower", "routine"),
    ("my legs are boat going week and shaky", "emergency"),
    ("can't lie any way without it hurting, up every night", "urgent"),
    ("awake every night, no position at all makes it bearable", "urgent"),
    # animals are not the user
    ("the ewe can't pee and the vet's coming, my back's fine", "none"),
    ("one of the heifers is dragging a back leg, my back's ok", "none"),
    ("walking the dogs, I'm leaking a bit, never happened before", "emergency"),
    ("legs like lead after the shoot, back fine", "none"),
    # other causes named and over
    ("had flu with a temperature last week, all gone now, back no different", "none"),
    ("shivery after standing in the rain at the match, warmed up now", "none"),
    ("shivery and hot, can't get warm, back agony", "urgent"),
    ("lost a bit of weight with a tummy bug, eating normally again", "none"),
    ("lost weight since I gave up the booze", "none"),
    ("numb toes from the cold walk, warmed up fine", "none"),
    ("right foot tingling totally gone since Tuesday", "none"),
    ("numb down below, gone since Tuesday", "emergency"),
    ("numb patch on my thigh since my knee op 12 years ago, no change", "none"),
    ("feet always tingle a bit with my diabetes, nothing new", "none"),
    ("both legs went tingly squatting in the garden, but soon as I stood up it went", "none"),
    ("both legs went tingly squatting in the garden and it hasn't gone", "emergency"),
    ("left foot tingled, went once I stopped crossing my legs", "none"),
    ("I'm 74 and nearly slipped on the ice but grabbed the fence, back fine", "emergency"),
]


ROUND_TWENTY_NINE = [
    # someone asking whether anyone else has it has it; a cold foot in a question still none
    (
        "my flatmate cant feel their bits either, anyone else cant feel their bits after a flare?",
        "emergency",
    ),
    (
        "does anybody else get numbness in their bum after sitting? mine hasnt gone for two days",
        "emergency",
    ),
    ("anyone else get pins and needles in their toes in the cold?", "none"),
    # the pain reaching a second place: the other side now too; the back is not a side
    ("the burning was only in my right calf but now its in my left leg too", "emergency"),
    ("the ache was in my hip and now its in my left calf too", "routine"),
    ("sciatica was one side for months, since saturday its going down both legs", "emergency"),
    # a fever with another illness named and the back as it was, or from a jab; a gut bug over
    ("caught covid at the weekend so had a temperature, back same as always", "none"),
    ("had covid so had a temperature and my back is much worse", "urgent"),
    ("the booster gave me a temp and shivers for a day", "none"),
    ("temperature of 39 and shivering, back is killing me", "urgent"),
    ("got a tummy bug, lost a few pounds, eating properly again now", "none"),
    ("lost half a stone without trying and im off my food", "urgent"),
    # legs that gave out on a lift taken to failure, or wobbly from drink; not otherwise
    ("hit failure on squats and my legs gave out, standard", "none"),
    ("legs gave out on the stairs this morning", "emergency"),
    ("legs were like jelly after leg press", "none"),
    ("my legs were wobbly after four pints, fine in the morning", "none"),
    ("both legs wobbly and weak since yesterday, havent had a drink", "emergency"),
    # a thumb is a hand; a foot asleep on the loo; the bathroom taken; a leak since the
    # children, unchanged
    ("numb thumb from my controller", "none"),
    ("numb big toe on my left foot since sunday", "routine"),
    ("my foot went to sleep on the loo again", "none"),
    ("couldnt wee for ages because my brother was hogging the bathroom", "none"),
    ("cant wee properly since monday, it just dribbles", "emergency"),
    ("little leak when i cough since my two kids were born, always been like that", "none"),
    ("little leak when i cough since my two kids, but now i dont feel it happen", "emergency"),
    # one sharp twinge that passed; posture numbness that went when the user stood (a pattern
    # that goes off when they sit is not over); an old sciatica gone for a month
    ("a single sharp twinge in the stretch on friday, fine today", "none"),
    ("sharp pain in the stretch on friday and again today", "routine"),
    ("sharp twinge during the hold, hasnt happened since", "none"),
    ("my right leg went numb kneeling in the garden, went when i stood up", "none"),
    ("both legs go numb when i stand for long, goes off when i sit", "emergency"),
    ("stabbing pain in the hold that keeps coming back, stops when i let go", "routine"),
    ("thigh pain used to run down to my left foot but it has been gone for a month now", "none"),
    # a training partner is someone else; a bench is a seat; peeing without noticing is no
    # figure of speech; a cut is a diet
    ("training partner says both his legs are numb after squats", "none"),
    ("numb bum on the wooden bench at the match, fine now", "none"),
    ("i literally peed myself at work and did not even notice", "emergency"),
    ("literally peed myself laughing at that", "none"),
    ("starting a cut in january, hoping losing a few kilos helps my back", "none"),
    # a date after a comma is over only for the sign itself: "a fever, had the flu jab last
    # month" is the jab's date
    ("back is agony and I have a fever, had the flu jab last month", "urgent"),
    ("shivery and feverish, back agony, went on holiday last month", "urgent"),
    ("tingling in my left foot, but it went away", "none"),
]


ROUND_THIRTY = [
    # "never ... before" says the sign is new, not denied; a plain "never had" is still asked
    ("right calf tingling, never had that before", "routine"),
    ("my temp is 38.5, never had that with my back", "urgent"),
    ("bladder leaking, never happened before", "emergency"),
    ("both feet numb, never had anything like it before", "emergency"),
    ("never had sciatica before today, now it runs down my left leg to my ankle", "routine"),
    ("never had numbness in my legs", "emergency"),
    # someone else's sign said to be like the user's own is asked about; alone it is theirs
    ("my sister never said her legs went numb like mine have", "emergency"),
    ("my sister has numb legs", "none"),
    (
        "my uncle broke his hip in a fall, im 71 and slipped in the garden today, feels like"
        " what he described",
        "emergency",
    ),
    # a friend who is the subject of a mishap is not a form of address
    ("mate slipped off the roof and broke his back", "none"),
    ("mate my legs are numb", "emergency"),
    # collisions in new words: a forklift, a sledge or skis at speed
    ("60, hit by a forklift at the depot this morning", "emergency"),
    ("skied full speed into a fence post, back is wrecked", "emergency"),
    ("my privates feel asleep since this morning", "emergency"),
    # the weather as the cause of worsening pain, not what worsens
    ("the ache gets worse every day since the frosts started", "routine"),
    ("the weather is getting worse every day", "none"),
    # night pain that nothing eases, in new words; pain past the back of the knee
    ("even in the armchair the pain doesnt ease all night", "urgent"),
    ("a hot bath used to help, now nothing does, up all night with it", "urgent"),
    ("pain behind my left knee and down into my shin", "routine"),
    # "still sore" is no better only after a stretch of time; "not fasting" is not a diet
    ("lost weight on keto, back still sore", "none"),
    ("a month of stretching and still sore", "routine"),
    ("not fasting or dieting, but 4kg down since october", "urgent"),
    # over: gone after treatment, or sorted by a clinician; a sign that came back is not
    ("had sciatica down my right leg in 2017 but that went after physio", "none"),
    ("pain down my left leg to the ankle which the osteopath sorted", "none"),
    ("had numb legs in 2019, that cleared with physio but its back again now", "emergency"),
    # a fever with another illness and the usual back; a cold sweat after exercise
    ("had flu last week with a temp, back's just the usual ache", "none"),
    ("got a head cold with a bit of a temperature, back is the same old ache", "none"),
    ("feverish and shaking, back worse than ever", "urgent"),
    ("cold sweat after the spin class", "none"),
    ("cold sweat and back agony this morning", "urgent"),
    # a sign after an operation, dated and over; still there is not
    ("couldnt wee after my gallbladder op in may, sorted on the ward, fine since", "none"),
    ("couldnt wee after my gallbladder op last week and still cant", "emergency"),
    # cold feet that warm up indoors; legs tired from a swim or a shift; crossed legs
    ("toes go numb at the bus stop but they warm up fine once im inside", "none"),
    ("both feet numb since this morning and they wont warm up", "emergency"),
    ("legs like jelly after the boxing day sea swim", "none"),
    ("legs heavy after a 10 hour shift on my feet", "none"),
    ("numb right foot when i had my legs crossed, went when i uncrossed", "none"),
    # over in a middle part of the clause, unless a later part says it came back
    ("numb saddle area after a 4 hour ride, goes once im off, back fine", "none"),
    ("numb saddle area after a 4 hour ride, goes once im off, came back tonight", "emergency"),
    # long-standing and unchanged, said in the clause's last part or the next clause, with
    # a cause named
    ("numb patch on my right thigh from my knee op, same as ever", "none"),
    ("numb patch on my right thigh, same as ever", "routine"),
    ("same numb right foot ive had for 8 years since my stroke, no change", "none"),
    ("im on week 3 and its a bit better", "none"),
]


ROUND_THIRTY_ONE = [
    # a struggle to pee, in British words; straining to start
    ("weve had a job to wee since monday", "emergency"),
    ("have to really strain to get my wee started now", "emergency"),
    ("didnt realise i needed a poo till it was too late, first time ever", "emergency"),
    ("couldnt tell i needed the loo", "emergency"),
    # "dead on" is "very" only before a time or a target
    ("my legs both went dead on the mat and they are still dead", "emergency"),
    ("arrived dead on time for the physio", "none"),
    ("both legs went dead on me this morning", "emergency"),
    # Scots, Irish and northern spellings: a dropped final g, doon, baith, wullnae, nae, me and ma
    # for my ("me mam" is a mother)
    ("pain shootin doon baith legs tae ma feet", "emergency"),
    ("cannae feel ma bum on the seat", "emergency"),
    ("legs wullnae hold me up the day", "emergency"),
    ("been losin weight wi no tryin, back sore", "urgent"),
    ("keeps trippin ower ma left foot, cant lift it", "urgent"),
    ("nae better after six weeks o stretchin", "routine"),
    ("nae bother, did both sessions", "none"),
    ("tis worse its getting every week", "routine"),
    ("me right leg tingles past me knee", "routine"),
    ("me mam's legs have gone numb, both of them", "none"),
    # drink named as the cause of wobbly legs
    ("legs wobblin after the wedding but thats the prosecco", "none"),
    # night pain: the positions listed, none comfy; not a position for the stretch
    ("at night i cant get comfy on my side, front, anything", "urgent"),
    ("pain every night and no comfortable position at all", "urgent"),
    ("no comfy position for the strap version, any tips", "none"),
    # a score going up all week; pain that shoots or burns down the back of the calf (not sweat)
    ("its a 6, going up all week", "routine"),
    ("burns down the back of my left calf", "routine"),
    ("sweat running down the back of my legs in the gym", "none"),
    ("aching reaches my right shin now", "routine"),
    ("left shin hurts and burns since my back flared", "routine"),
    # "is it normal for the pain to ..." asks about the user's own pain
    ("is it normal for the pain to go below my knee? only the right side", "routine"),
    ("is it normal for the pain to ease after a few days", "none"),
    # one leg that will not bear weight alone; heat and shaking as a fever, not after a sauna
    ("i cant stand on my right leg on its own any more", "urgent"),
    ("cant balance on one leg for long in yoga", "none"),
    ("hot and shaky and my back is killing me", "urgent"),
    ("hot and shaky after a long sauna", "none"),
    # an apology names nobody with a sign
    ("i hate to bother anyone but both my legs have gone numb", "emergency"),
    ("does anyone else get numb legs", "none"),
    # a negation inside a term's gap: asked about, not acted on (below emergency, denied)
    ("bum cheek sore, not numb", "emergency"),
    ("my legs are not weak", "emergency"),
    ("my left leg is not weak, just stiff", "none"),
    ("my legs wouldnt take my weight, had to crawl to bed", "emergency"),
    # clothes falling off are a weight loss, not a fall; a stumble that stopped short
    ("jeans falling off me and i havent been dieting", "urgent"),
    ("im 74, tripped on the kerb but grabbed the fence, didnt fall, back as usual", "none"),
    ("im 74, tripped on the kerb and fell, back is agony", "emergency"),
    # another cause named: a jab, a bad takeaway, an operation the GP knows about
    ("temp but its the flu jab, back unchanged", "none"),
    ("temp and shivers and my back is worse", "urgent"),
    ("felt rough after a dodgy curry, back grand", "none"),
    ("lost weight since my hernia op, gp knows, back fine", "none"),
    ("lost weight and no idea why, back worse", "urgent"),
    # long-standing with a cause, said in the clause or the next clause's last part
    ("pins and needles in my left foot, had that for years from my diabetes, no change", "none"),
    ("pins and needles in my left foot since last week", "routine"),
    ("left foot numb but thats the diabetes, been like that for years", "none"),
    ("left foot numb but thats the diabetes, its new though", "routine"),
    ("leaking when i cough, had it since my first baby, nothing new", "none"),
    ("leaking when i cough since monday", "emergency"),
    # from footwear or the cold, over once the cause was gone
    ("toes on both feet numb from my tight new shoes, went away once i took them off", "none"),
    ("toes on both feet numb since yesterday and not going away", "emergency"),
    ("right foot goes numb in my ski boots, fine in other shoes", "none"),
    ("feet numb with the cold at the bus stop, fine now they have warmed up", "none"),
    ("right leg went numb sitting on it at the cinema, went off after a minute", "none"),
    # feeling that comes straight back on standing; "the odd twinge" is now and then
    ("bum numb on a long drive, feeling comes straight back when i get up", "none"),
    ("the odd twinge in my lower back when i cough", "none"),
    ("the odd twinge and now my bum is numb", "emergency"),
    # over, or getting better: the model defers
    ("sharp pain on the first rep, eased off and didnt come back", "none"),
    ("it has been loads better, about 80 percent improved", "none"),
    ("trousers falling down and i tripped over them, im 70, back agony now", "emergency"),
]

ROUND_THIRTY_TWO = [
    # sciatica named as a word to compare or read about, or said to stay in the buttock
    ("sciatica versus a trapped nerve, how do i tell", "none"),
    ("been reading up on sciatica and piriformis all evening", "none"),
    ("sciatica in my right bum cheek only, goes no further", "none"),
    ("sciatica down my right leg to the ankle", "routine"),
    # what was read about a sign is not the sign; the sign after it still counts
    ("i read night sweats are a bad sign, mine are just the duvet", "none"),
    ("the nhs site says weight loss is a red flag, im on slimming world though", "none"),
    # a sign read of or asked about, then owned
    ("is tingling in one foot a nerve thing? mines the left", "routine"),
    ("read that sharp pain in a stretch means stop, mine keeps happening", "routine"),
    ("what does saddle numbness feel like? mine started this morning", "emergency"),
    ("what does saddle numbness feel like? just curious", "none"),
    # a fall from a height said as a noun; a rider's crash
    ("ladder fall on saturday, back sore since", "emergency"),
    ("laid the bike down at 60 on the motorway", "emergency"),
    ("my ladder needs replacing", "none"),
    # a later cause for the back pain; a bone condition denied
    ("im 63, fell last spring but this pain started on monday after lifting the dog", "none"),
    ("im 63, fell on monday and the pain started straight after", "emergency"),
    ("im 46, slipped on wet leaves, no osteoporosis, back a bit sore", "none"),
    ("im 46, slipped on wet leaves, i have osteoporosis, back sore", "emergency"),
    # over: gone for a stretch of time, months ago and went, straight away, once up, on uncrossing
    ("the pain down my left calf has been gone 3 weeks now", "none"),
    ("my left foot was tingly after the op but that was months ago and it went", "none"),
    ("sharp twinge in the hold but it went straight away", "none"),
    ("sharp twinge in the hold and it keeps coming back", "routine"),
    ("bum numb from the bleachers, fine now that im up", "none"),
    ("right leg tingles sitting cross legged, goes away when i uncross", "none"),
    # another cause for a sweat, a temperature or feeling sick
    ("woke up drenched in sweat because the heating was on full", "none"),
    ("night sweats with covid, back is its usual self", "none"),
    ("had flu with a temp last week, back sore from the garden", "none"),
    ("felt sick in the stretch but id just had a huge breakfast", "none"),
    ("fever of 39 after a big dinner, back aching", "urgent"),
    ("feel sick and feverish after a big dinner", "urgent"),
    ("id say numbness is a big problem now in both legs", "emergency"),
    ("laid my bike down on the grass and did the stretch", "none"),
    ("thanks buddy, both my legs have gone numb", "emergency"),
    # American words: buns, a buddy's fever, a spoken temperature, pushing to start peeing
    ("my buns have gone numb and i havent been sitting", "emergency"),
    ("my buddy has a fever and back ache", "none"),
    ("thermometer said a hundred and two this morning, back aching", "urgent"),
    ("have to push hard just to start peeing now", "emergency"),
    # the lower leg that hurts now too, or burns along its side
    ("left calf aches now as well", "routine"),
    ("burning down the outside of my right shin", "routine"),
    # weeks in and worse; clumsy once; an idiom
    ("three weeks in and the pain is worse", "routine"),
    ("tripped over my own feet dancing, no harm done", "none"),
    ("my stream of consciousness is weak today", "none"),
]

ROUND_THIRTY_THREE = [
    # a correction to both sides, anywhere in the message
    ("right leg tingly. no, both", "emergency"),
    ("left foot numb. oh, right too", "emergency"),
    ("one knee buckled. then the other", "emergency"),
    ("right leg tingly, left one fine", "routine"),
    # legs gone with someone to catch or carry; folded under me; a touch not felt
    ("legs went, son had to carry me up the stairs", "emergency"),
    ("my legs both just folded under me at the bus stop", "emergency"),
    ("husband tickled both my feet and i felt nothing", "emergency"),
    ("my mate had to help me up, both legs gave way", "emergency"),
    # found on the floor at an age that counts
    ("im 78 and the carer found me on the bathroom floor, back agony", "emergency"),
    # a dribble that stops; a filler inside the words
    ("i can start a wee but it dribbles and stops", "emergency"),
    ("my um bits have gone numb", "emergency"),
    # noticed by someone else, and said in their words
    ("wife says my jeans hang off me and im not dieting", "urgent"),
    ("my flip flop keeps slipping off my right foot", "urgent"),
    ("dropped two belt holes without trying", "urgent"),
    ("4 weeks in and its no better", "routine"),
    ("pain worse than 2 weeks ago", "routine"),
    ("my partner said i was sweating buckets in the night, back aching", "urgent"),
    # near cases that stay none
    ("weak as piss coffee this morning", "none"),
    ("numb bum from the long coach, gone now", "none"),
    ("bit of a temp from my flu jab yesterday", "none"),
    ("shivering, the heater's broken, back fine", "none"),
    ("my chair broke, broke my back falling", "emergency"),
]


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        *ROUND_FIFTEEN,
        *ROUND_SIXTEEN,
        *ROUND_SEVENTEEN,
        *ROUND_EIGHTEEN,
        *ROUND_NINETEEN,
        *ROUND_TWENTY,
        *ROUND_TWENTY_ONE,
        *ROUND_TWENTY_TWO,
        *ROUND_TWENTY_THREE,
        *ROUND_TWENTY_FOUR,
        *ROUND_TWENTY_FIVE,
        *ROUND_TWENTY_SIX,
        *ROUND_TWENTY_SEVEN,
        *ROUND_TWENTY_EIGHT,
        *ROUND_TWENTY_NINE,
        *ROUND_THIRTY,
        *ROUND_THIRTY_ONE,
        *ROUND_THIRTY_TWO,
        *ROUND_THIRTY_THREE,
    ],
)
def test_wording_fitted_after_first_sight(lex: TriageLexicon, text: str, tier: str) -> None:
    """Rounds 15 to 33: each table above holds the misses and false alarms of one round's
    hold-outs, in new words, with the near cases that must not change."""
    assert scan(lex, text).acted_tier == tier
