"""Real dataset descriptions for tests: the evaluation cases (tests/eval/overlap/, README.md
there for their sources and licences), read by file and id, and one check of a text."""

from __future__ import annotations

from pathlib import Path

import yaml

from registry.overlap.check import check
from registry.overlap.offer import offer_from_text

CASES = Path(__file__).resolve().parents[1] / "eval" / "overlap"


def case_text(name: str, case_id: str) -> str:
    """The text of case `case_id` in tests/eval/overlap/<name>.yaml (a tuning file)."""
    cases = yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))["cases"]
    return next(c["text"] for c in cases if c["id"] == case_id)


def check_text(index, text: str) -> dict:
    """The overlap check of a free-text description, top five matches."""
    return check(index, offer_from_text(text), top=5)


def assert_named_not_same(index, split: str, case_id: str, words: str, entry: str) -> None:
    """Case `case_id` writes `words`, its top match is `entry`, and no words say it is the same
    data: the verdict stays below "high"."""
    text = case_text(split, case_id)
    assert words in text
    result = check_text(index, text)
    assert result["matches"][0]["id"] == entry
    assert result["verdict"]["same_data"] is None
    assert result["verdict"]["level"] != "high"
