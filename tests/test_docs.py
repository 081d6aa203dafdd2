"""The architecture document's diagrams are drawn from the code and must match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_flow_diagrams_in_architecture_md_match_the_code():
    spec = importlib.util.spec_from_file_location(
        "make_diagrams", ROOT / "docs" / "make_diagrams.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = module.DOC.read_text()
    assert module.updated(text) == text, "run: python docs/make_diagrams.py"
