"""The fifth set of overlap evaluation cases: held-out only; its size, sources, split and draw.

Shape, ids, sources and the split only: the held-out file is never scored here, and no case of
it is given to the matcher (the --verbose refusal in test_overlap_eval.py stops at the
arguments, before any case is read). The checks shared with later sets are in held_out_sets.py.
"""

from __future__ import annotations

import held_out_sets as sets
import pytest
from eval_scripts import otdi_snapshot

overlap_cases, draw_sets = sets.overlap_cases, sets.draw_sets


@pytest.fixture(scope="module")
def fifth():
    return overlap_cases.read_split("held-out-5")


def test_fifth_set_is_held_out_only_and_large_enough(fifth):
    sets.assert_held_out_only("5", fifth, negatives=200, same=50, related=30)


def test_fifth_set_has_its_own_salt():
    sets.assert_own_salt("5")


def test_fifth_set_quotes_no_source_or_text_of_an_earlier_set(fifth):
    assert draw_sets.DRAWS["5"][1] == ("1", "2", "3", "4")
    sets.assert_no_source_or_text_of_another_file("5", fifth)


def test_fifth_set_signals_are_on_negatives_only(fifth):
    sets.assert_signals_on_negatives_only(fifth)


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


def test_every_drawn_card_is_kept_or_listed_as_left_out(fifth):
    sets.assert_every_drawn_card_accounted("5", fifth, earlier=("left-out-4.md",))
