"""The sixth set of overlap evaluation cases: held-out only; its size, sources and draw.

Shape, ids, sources and the split only: the held-out file is never scored here. It was scored once
(1175c467) and is spent: the spent-file rule (per-case output allowed) is tested for every spent
file in test_overlap_eval.py. The checks shared with the fifth set are in held_out_sets.py.
"""

from __future__ import annotations

import held_out_sets as sets
import pytest
from eval_scripts import load_script

overlap_cases, draw_sets = sets.overlap_cases, sets.draw_sets
eval_overlap = load_script("eval_overlap")

SPLIT = "held-out-6"


@pytest.fixture(scope="module")
def sixth():
    return overlap_cases.read_split(SPLIT)


def test_sixth_set_is_held_out_only_and_large_enough(sixth):
    # 220 negatives: the 2% false-"high" bar then allows four
    sets.assert_held_out_only("6", sixth, negatives=220, same=60, related=30)


def test_sixth_set_has_its_own_salt():
    sets.assert_own_salt("6")


def test_sixth_set_quotes_no_source_or_text_of_an_earlier_set(sixth):
    """Every other case file belongs to an earlier set (1-5), a later one or is the watched file."""
    sets.assert_other_files_are_earlier_later_or_watched("6")
    sets.assert_no_source_or_text_of_another_file("6", sixth)


def test_sixth_set_signals_are_on_negatives_only(sixth):
    sets.assert_signals_on_negatives_only(sixth)


def test_sixth_draw_takes_its_stages_in_its_own_salts_order(tmp_path):
    """Positive pool, plain draw, then each again: every stage takes, in the salt's order, the
    next cards its rule allows that no earlier stage took."""
    sets.assert_draw_takes_stages_in_salt_order(tmp_path, "6", 900)


def test_every_drawn_card_is_kept_or_listed_as_left_out(sixth):
    sets.assert_every_drawn_card_accounted("6", sixth, earlier=("left-out-4.md", "left-out-5.md"))
