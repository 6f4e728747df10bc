"""The seventh set of overlap evaluation cases: held-out only; its size, sources, draw, review log.

Shape, ids, sources and the split only: the held-out file is never scored here. It was scored once
(2e74c9bf) and is spent: the spent-file rule (per-case output allowed) is tested for every spent
file in test_overlap_eval.py. The checks shared with the fifth and sixth sets are in
held_out_sets.py.
"""

from __future__ import annotations

import re

import held_out_sets as sets
import pytest

overlap_cases, draw_sets = sets.overlap_cases, sets.draw_sets

SPLIT = "held-out-7"


@pytest.fixture(scope="module")
def seventh():
    return overlap_cases.read_split(SPLIT)


def test_seventh_set_is_held_out_only_and_large_enough(seventh):
    # 220 negatives: the 2% false-"high" bar then allows four; 30 related-not-same cases, which the
    # pool's sixth stage was drawn for (README.md, "Seventh set").
    sets.assert_held_out_only("7", seventh, negatives=220, same=60, related=30)


def test_seventh_set_has_its_own_salt():
    sets.assert_own_salt("7")


def test_seventh_set_quotes_no_source_or_text_of_an_earlier_set(seventh):
    """Every other case file belongs to an earlier set (1-6), a later one or is the watched file."""
    sets.assert_other_files_are_earlier_later_or_watched("7")
    sets.assert_no_source_or_text_of_another_file("7", seventh)


def test_seventh_set_signals_are_on_negatives_only(seventh):
    sets.assert_signals_on_negatives_only(seventh)


def test_seventh_draw_takes_its_stages_in_its_own_salts_order(tmp_path):
    """Positive pool, plain draw, each again, then the pool twice more: every stage takes, in the
    salt's order, the next cards its rule allows that no earlier stage took."""
    sets.assert_draw_takes_stages_in_salt_order(tmp_path, "7", 1400)


def test_every_drawn_card_is_kept_or_listed_as_left_out(seventh):
    earlier = ("left-out-4.md", "left-out-5.md", "left-out-6.md")
    sets.assert_every_drawn_card_accounted("7", seventh, earlier=earlier)


def test_review_log_matches_the_file(seventh):
    """Every label change logged in review-7.md is what the set holds: the case with the logged
    kind and entries, or its card in left-out-7.md."""
    log = (overlap_cases.FOLDER / "review-7.md").read_text(encoding="utf-8")
    line = re.compile(r"^- `([^`]+)` \([^)]*\): [a-z-]+ -> ([a-z -]+?)(?: \(([^)]*)\))?\. ", re.M)
    changes = line.findall(log)
    assert len(changes) == 24
    by_id = {case["id"]: case for case in seventh}
    listed = {draw_sets.case_id(url) for url in sets.left_out("left-out-7.md")}
    for case_id, kind, entries in changes:
        if kind == "left out":
            assert case_id in listed and case_id not in by_id, case_id
        else:
            case = by_id[case_id]
            named = case["related"] if kind == "related-not-same" else case["expect"]
            assert (case["kind"], named) == (kind, entries.split(", ")), case_id
