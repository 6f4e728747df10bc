"""The fifth set of overlap evaluation cases: held-out only; its size, sources, split and draw.

Shape, ids, sources and the split only: the held-out file is never scored here, and no case of
it is given to the matcher (the --verbose refusal in test_overlap_eval.py stops at the
arguments, before any case is read).
"""

from __future__ import annotations

import pytest
from eval_scripts import load_script, otdi_snapshot

overlap_cases = load_script("overlap_cases")
draw_sets = load_script("draw_overlap_set3")
eval_overlap = load_script("eval_overlap")

SPLIT = "held-out-5"
NEGATIVE = ("related-not-same", "unrelated")
# The Dynaword / DFM datasheets no earlier set quotes: every draw takes all of them first.
DATASHEETS_LEFT = 7


@pytest.fixture(scope="module")
def fifth():
    return overlap_cases.read_split(SPLIT)


def count(cases: list[dict], *kinds: str) -> int:
    return sum(1 for case in cases if case["kind"] in kinds)


def test_fifth_set_is_held_out_only_and_large_enough(fifth):
    assert overlap_cases.SETS["5"][1:] == (SPLIT, None)
    assert SPLIT in overlap_cases.HELD_OUT
    assert count(fifth, *NEGATIVE) >= 200  # the 2% false-"high" bar then allows four
    assert count(fifth, "same-data") >= 50
    assert count(fifth, "related-not-same") >= 30
    assert set(overlap_cases.assign(fifth, "5").values()) == {SPLIT}


def test_fifth_set_has_its_own_salt():
    salts = [salt for salt, *_ in overlap_cases.SETS.values()]
    assert len(set(salts)) == len(salts)
    assert overlap_cases.salt_of(SPLIT) == overlap_cases.SETS["5"][0]


def test_fifth_set_quotes_no_source_or_text_of_an_earlier_set(fifth):
    assert draw_sets.DRAWS["5"][1] == ("1", "2", "3", "4")
    earlier = [
        case
        for split in overlap_cases.SPLITS
        if split != SPLIT
        for case in overlap_cases.read_split(split)
    ]
    sources = {case["source"] for case in earlier if case.get("source")}
    texts = {case.get("text") for case in earlier}
    for case in fifth:
        assert case["source"] not in sources and case["text"] not in texts, case["id"]
    assert len({case["text"] for case in fifth}) == len(fifth)
    assert {case["via"] for case in fifth} == {"otdi-catalog"}


def test_fifth_set_signals_are_on_negatives_only(fifth):
    signalled = [case for case in fifth if case.get("signals")]
    assert signalled and all(case["kind"] in NEGATIVE for case in signalled)


def test_fifth_draw_takes_its_stages_in_its_own_salts_order(tmp_path):
    """The positive pool first (cards naming a catalog source), then the plain draw."""
    cards = [f"Card {i}{' from Wikipedia' if i % 2 else ''}." for i in range(40)]
    drawn = draw_sets.otdi_draw(otdi_snapshot(tmp_path, cards), set(), set(), "5")
    salt = overlap_cases.SETS["5"][0]
    for rule, named in (("positive-pool", True), ("plain-draw", False)):
        taken = [c["source"] for c in drawn if c["drawn_by"] == rule]
        assert len(taken) == 20  # fewer cards than each stage asks for: all of them
        assert all(("Wikipedia" in c["text"]) == named for c in drawn if c["drawn_by"] == rule)
        assert taken == sorted(taken, key=lambda url: draw_sets.order(url, salt))
        fourth = overlap_cases.SETS["4"][0]
        assert taken != sorted(taken, key=lambda url: draw_sets.order(url, fourth))
    assert [c["drawn_by"] for c in drawn[:20]] == ["positive-pool"] * 20


def left_out(name: str) -> list[str]:
    """The sources listed in tests/eval/overlap/<name>, one `- <source> (...): reason` a line."""
    listed = (overlap_cases.FOLDER / name).read_text(encoding="utf-8")
    return [line.split(" ")[1] for line in listed.splitlines() if line.startswith("- ")]


def test_every_drawn_card_is_kept_or_listed_as_left_out(fifth):
    fifth_left_out = left_out("left-out-5.md")
    assert len(set(fifth_left_out)) == len(fifth_left_out)
    kept = {case["source"] for case in fifth}
    assert not set(fifth_left_out) & kept
    drawn = DATASHEETS_LEFT + sum(size for _, size in draw_sets.DRAWS["5"][0])
    assert len(fifth) + len(fifth_left_out) == drawn
    assert not set(left_out("left-out-4.md")) & kept  # a card left out before stays out
