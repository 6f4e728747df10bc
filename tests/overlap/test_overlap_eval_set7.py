"""The seventh set of overlap evaluation cases: held-out only and not yet scored; its size, sources,
draw and protections.

Shape, ids, sources and the split only: the file is never scored here, and no case of it is given
to the matcher (the --verbose refusals below stop at the arguments, before any case is read). The
checks shared with the fifth and sixth sets are in held_out_sets.py.
"""

from __future__ import annotations

import json

import held_out_sets as sets
import pytest
from eval_scripts import load_script, otdi_snapshot

overlap_cases, draw_sets = sets.overlap_cases, sets.draw_sets
eval_overlap = load_script("eval_overlap")

SPLIT = "held-out-7"


@pytest.fixture(scope="module")
def seventh():
    return overlap_cases.read_split(SPLIT)


def test_seventh_set_is_held_out_only_and_large_enough(seventh):
    # 220 negatives: the 2% false-"high" bar then allows four. The draw's 480 pool cards held 18
    # related-not-same cases, short of 30 (README.md, "Seventh set"): the floor is what it holds.
    sets.assert_held_out_only("7", seventh, negatives=220, same=60, related=18)


def test_seventh_set_has_its_own_salt():
    sets.assert_own_salt("7")


def test_seventh_set_quotes_no_source_or_text_of_an_earlier_set(seventh):
    """Every other case file belongs to an earlier set (1-6) or is the watched file."""
    assert draw_sets.DRAWS["7"][1] == ("1", "2", "3", "4", "5", "6")
    earlier = {half for name in "123456" for half in overlap_cases.SETS[name][1:] if half}
    assert set(overlap_cases.SPLITS) - {SPLIT} == earlier | {"watched"}
    sets.assert_no_source_or_text_of_another_file("7", seventh)


def test_seventh_set_signals_are_on_negatives_only(seventh):
    sets.assert_signals_on_negatives_only(seventh)


def test_seventh_draw_takes_its_stages_in_its_own_salts_order(tmp_path):
    """Positive pool, plain draw, each again, then the pool once more: every stage takes, in the
    salt's order, the next cards its rule allows that no earlier stage took."""
    cards = [f"Card {i}{' from Wikipedia' if i % 2 else ''}." for i in range(1400)]
    drawn = draw_sets.otdi_draw(otdi_snapshot(tmp_path, cards), set(), set(), "7")
    stages = draw_sets.DRAWS["7"][0]
    assert [c["drawn_by"] for c in drawn] == [rule for rule, size in stages for _ in range(size)]
    assert len({c["source"] for c in drawn}) == len(drawn)
    salt, sixth = overlap_cases.SETS["7"][0], overlap_cases.SETS["6"][0]
    every_card = [f"https://huggingface.co/datasets/u/d{i}" for i in range(len(cards))]
    ordered = sorted(every_card, key=lambda url: draw_sets.order(url, salt))
    start = 0
    for rule, size in stages:
        stage = drawn[start : start + size]
        taken = [c["source"] for c in stage]
        assert taken == sorted(taken, key=lambda url: draw_sets.order(url, salt))
        assert taken != sorted(taken, key=lambda url: draw_sets.order(url, sixth))
        if rule == "positive-pool":
            assert all("Wikipedia" in c["text"] for c in stage)
        else:  # the plain draw skips nothing but the cards already taken
            before = set(ordered[: ordered.index(taken[-1]) + 1])
            assert before <= {c["source"] for c in drawn[: start + size]}
        start += size


def test_every_drawn_card_is_kept_or_listed_as_left_out(seventh):
    earlier = ("left-out-4.md", "left-out-5.md", "left-out-6.md")
    sets.assert_every_drawn_card_accounted("7", seventh, earlier=earlier)


def test_seventh_set_is_not_spent_and_prints_aggregates_only():
    assert SPLIT not in overlap_cases.SPENT and eval_overlap.unspent(SPLIT)
    report = {"split": SPLIT, "cases": 1, "rows": [{"id": "secret"}]}
    assert "secret" not in json.dumps(eval_overlap.public_report(report))


@pytest.mark.parametrize("by", ["--split", "--cases"])
def test_seventh_set_refuses_per_case_output_by_name_and_by_path(by, capsys):
    where = SPLIT if by == "--split" else str(overlap_cases.SPLITS[SPLIT])
    with pytest.raises(SystemExit) as stopped:
        eval_overlap.main(["--db", "/nonexistent/registry.db", by, where, "--verbose"])
    assert stopped.value.code == 2
    assert "aggregate figures only" in capsys.readouterr().err
