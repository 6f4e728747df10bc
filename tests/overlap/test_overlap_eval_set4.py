"""The fourth set of overlap evaluation cases: held-out only; its size, sources, split and draw.

Shape, ids, sources and the split only: the held-out file is never scored here.
"""

from __future__ import annotations

import held_out_sets as sets
import pytest
from eval_scripts import load_script, otdi_snapshot

overlap_cases = load_script("overlap_cases")
draw_sets = load_script("draw_overlap_set3")
label_cases = load_script("label_overlap_cases")
eval_overlap = load_script("eval_overlap")

NEGATIVE = ("related-not-same", "unrelated")


@pytest.fixture(scope="module")
def fourth():
    return overlap_cases.read_split("held-out-4")


def test_fourth_set_is_held_out_only_and_large_enough(fourth):
    assert overlap_cases.SETS["4"][1:] == ("held-out-4", None)
    assert "held-out-4" in overlap_cases.HELD_OUT
    assert len(fourth) >= 200
    assert sum(1 for c in fourth if c["kind"] in NEGATIVE) >= 120
    assert sum(1 for c in fourth if c["kind"] == "same-data") >= 50
    assert set(overlap_cases.assign(fourth, "4").values()) == {"held-out-4"}


def test_fourth_set_has_its_own_salt():
    salts = [salt for salt, *_ in overlap_cases.SETS.values()]
    assert len(set(salts)) == len(salts)
    assert overlap_cases.salt_of("held-out-4") == overlap_cases.SETS["4"][0]


def test_fourth_set_quotes_no_text_an_earlier_set_quotes(fourth):
    sets.assert_no_source_or_text_of_another_file("4", fourth)
    assert draw_sets.DRAWS["4"][1] == ("1", "2", "3")


def test_fourth_set_signals_are_sellers_words_on_negatives(fourth):
    sets.assert_signals_on_negatives_only(fourth)


def test_fourth_draw_follows_its_own_salt(tmp_path):
    snapshot = otdi_snapshot(tmp_path, [f"Card {i}." for i in range(40)])
    drawn = draw_sets.otdi_draw(snapshot, set(), set(), "4")
    plain = [c["source"] for c in drawn]  # no card names a source: the plain draw only
    salt = overlap_cases.SETS["4"][0]
    assert plain == sorted(plain, key=lambda u: draw_sets.order(u, salt))[: len(plain)]
    assert len(plain) == min(40, dict(draw_sets.DRAWS["4"][0])["plain-draw"])
    assert plain != sorted(plain, key=lambda u: draw_sets.order(u, draw_sets.SALT))


@pytest.fixture(scope="module")
def entries():
    return label_cases.read_entries()


def test_same_data_related_comes_from_the_entries_relations(entries):
    related = label_cases.completed_related(["wikipedia"], entries)
    assert {"common-pile-v0-1", "open-license-corpus", "wikitext-103"} <= set(related)
    assert "wit-wikipedia-image-text" not in related  # another modality
    assert "wikipedia" not in related
    assert label_cases.completed_related(["librispeech"], entries)[:2] == [
        "librivox",
        "project-gutenberg",
    ]


def test_labels_keep_cases_and_count_borderline_ones(entries):
    pool = [
        {"id": f"hf-u-d{i}", "source": f"https://x/{i}", "via": "otdi-catalog", "text": "t"}
        for i in range(4)
    ]
    lines = [
        "0 S wikipedia | | Wikipedia in Uzbek",
        "1 R tatoeba | machine translations of Tatoeba sentences",
        "2 U",
        "3 B the card does not say where its data comes from",
    ]
    kept, left_out = label_cases.label(pool, lines, entries)
    assert [c["kind"] for c in kept] == ["same-data", "related-not-same", "unrelated"]
    assert kept[0]["expect"] == ["wikipedia"] and kept[0]["note"] == "Wikipedia in Uzbek"
    assert kept[1]["expect"] == [] and kept[1]["related"] == ["tatoeba"]
    assert left_out == {3: "the card does not say where its data comes from"}


@pytest.mark.parametrize(
    "lines",
    [
        ["0 S no-such-entry | | x", "1 U"],  # an id that is no curated entry
        ["0 U"],  # a drawn card without a label
        ["0 U", "0 U"],  # a card labelled twice, another not at all
    ],
)
def test_labels_refuse_unknown_entries_and_missing_cards(entries, lines):
    pool = [{"id": f"hf-u-d{i}", "text": "t"} for i in range(2)]
    with pytest.raises(ValueError):
        label_cases.label(pool, lines, entries)


def test_every_drawn_card_is_kept_or_counted_as_left_out(fourth):
    listed = (overlap_cases.FOLDER / "left-out-4.md").read_text(encoding="utf-8")
    left_out = [line.split(" ")[1] for line in listed.splitlines() if line.startswith("- ")]
    assert not set(left_out) & {c["source"] for c in fourth}
    dynaword_cards_left = 7  # the datasheets no earlier set quotes, all drawn
    drawn = dynaword_cards_left + sum(count for _, count in draw_sets.DRAWS["4"][0])
    assert len(fourth) + len(left_out) == drawn
