"""The ninth set of overlap evaluation cases: held-out only; its new source (the dataset cards of
the huggingface/datasets repository), size, draw, own listings and labelling log.

Shape, ids, sources and the split only: the held-out file is never scored here. It was scored once
(c9abc605) and is spent: the spent-file rule (per-case output allowed) and the refusal an unspent
file gets are tested for every spent file in test_overlap_eval.py.
"""

from __future__ import annotations

import hashlib
import json

import held_out_sets as sets
import pytest
from eval_scripts import load_script

overlap_cases = sets.overlap_cases
draw_set9 = load_script("draw_overlap_set9")
eval_overlap = load_script("eval_overlap")
excerpts = load_script("check_overlap_excerpts")

SPLIT = "held-out-9"
SNAPSHOT = overlap_cases.FOLDER / "sources" / "hf-datasets-cards"


@pytest.fixture(scope="module")
def ninth():
    return overlap_cases.read_split(SPLIT)


@pytest.fixture(scope="module")
def snapshot():
    lines = (SNAPSHOT / "cards.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["hub_address"]: row for row in map(json.loads, lines)}


def test_ninth_set_is_held_out_only_with_its_sizes(ninth):
    # The two pools take every card their rules allow; README.md ("Ninth set") says why the set
    # holds 38 same-data cases, short of the 40 it was drawn for.
    sets.assert_held_out_only("9", ninth, negatives=200, same=38, related=30)
    assert sets.count(ninth, "unrelated") >= 150


def test_ninth_set_has_its_own_salt():
    sets.assert_own_salt("9")
    assert "9" in overlap_cases.SETS


def test_ninth_set_quotes_a_source_no_earlier_set_quotes(ninth):
    """Every case is a repository card, quoted by no other case file: no shared address (its own
    or a Hub listing of it), no shared text, no earlier case sharing its opening."""
    assert {case["via"] for case in ninth} == {"hf-datasets-cards"}
    others = [
        case
        for name in overlap_cases.SPLITS
        if name != SPLIT
        for case in overlap_cases.read_split(name)
    ]
    assert {c["via"] for c in others if c.get("via")}.isdisjoint({"hf-datasets-cards"})
    sources = {case["source"] for case in others if case.get("source")}
    for case in ninth:
        addresses = {case["source"], *case.get("listed_as", [])}
        assert not addresses & sources, case["id"]
        assert not draw_set9.quoted_before(case | {"listed_as": case.get("listed_as", [])}, others)
    assert len({case["text"] for case in ninth}) == len(ninth)
    assert all(case["source"].startswith(draw_set9.HUB) for case in ninth)


def test_every_case_is_quoted_from_its_card_in_the_snapshot(ninth, snapshot):
    """The snapshot keeps every drawn card whole, as the repository held it at the commit (its git
    blob id checks the text); every case's text is words of its card."""
    for row in snapshot.values():
        data = row["card"].encode("utf-8")
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == row["blob"]
        assert (row["repository"], row["commit"]) == (draw_set9.HF_REPOSITORY, draw_set9.HF_COMMIT)
        assert row["path"] == f"datasets/{row['name']}/README.md"
    assert {case["source"] for case in ninth} <= set(snapshot)
    assert excerpts.problems(SNAPSHOT, {SPLIT: ninth}) == []
    assert (SNAPSHOT / "LICENSE.Apache-2.0").read_text(encoding="utf-8").count("Apache License")
    assert "Apache" in (SNAPSHOT / "PROVENANCE.md").read_text(encoding="utf-8")


def test_a_word_not_in_the_card_is_caught(ninth):
    case = dict(ninth[0], text=ninth[0]["text"] + " Offered under an exclusive licence.")
    assert len(excerpts.problems(SNAPSHOT, {SPLIT: [case]})) == 1


def test_every_drawn_card_is_kept_or_listed_as_left_out(ninth, snapshot):
    listed = sets.left_out("left-out-9.md")
    kept = {case["source"] for case in ninth}
    assert len(set(listed)) == len(listed) and not set(listed) & kept
    assert len(ninth) + len(listed) == sum(size for _, size in draw_set9.STAGES)
    assert set(listed) | kept == set(snapshot)


def test_draw_takes_its_stages_in_salt_order():
    """Each stage takes, in the set's salt order, the next eligible cards its rule allows; a card
    with almost no summary, or whose listing an earlier case quotes, is never drawn."""
    summary = "### Dataset Summary\n\n{}\n"
    cards = {}
    for i in range(360):  # 120 name Wikipedia: the pool takes them all, as in the real draw
        words = " from Wikipedia" if i % 3 == 0 else ""
        text = f"Card {i} holds sentences{words}. " + "Plain words follow here. " * 10
        languages = "### Languages\n\nTranslated arXiv abstracts.\n" if i % 3 == 1 else ""
        cards[f"d{i}"] = "# Dataset Card\n\n" + summary.format(text) + languages
    cards["short"] = summary.format("Too short.")
    otdi = {"https://huggingface.co/datasets/o/d1": cards["d1"].split("\n\n")[2]}
    earlier = [{"source": "https://huggingface.co/datasets/o/d1", "text": "other"}]
    drawn = draw_set9.draw(cards, otdi, earlier, overlap_cases.SETS["9"][0])
    addresses = [case["source"] for case in drawn]
    assert len(set(addresses)) == len(addresses)
    assert draw_set9.HUB + "short" not in addresses and draw_set9.HUB + "d1" not in addresses
    salt = overlap_cases.SETS["9"][0]
    start = 0
    for rule, size in draw_set9.STAGES:
        stage = [case for case in drawn[start:] if case["drawn_by"] == rule][:size]
        taken = [case["source"] for case in stage]
        assert taken == sorted(taken, key=lambda url: draw_set9.order(url, salt))
        if rule == "positive-pool":
            assert all("Wikipedia" in case["text"] for case in stage)
        if rule == "whole-card-pool":  # named outside the summary and the Source Data section
            assert stage and all(int(url.rsplit("d", 1)[1]) % 3 == 1 for url in taken)
        start += len(stage)


def test_a_card_listed_again_under_an_owner_is_its_own_listing():
    """The Hub moved these datasets under owners; the OTDI record of the moved card is the case's
    own listing, and the evaluation leaves it out as it does an OTDI case's own record."""
    card = "---\nlicense: mit\n---\n# Dataset Card\n\n### Dataset Summary\n\n" + "Words here. " * 30
    otdi = {
        "https://huggingface.co/datasets/owner/name": "Dataset Card for Name Dataset Summary "
        + "Words here. " * 12,
        "https://huggingface.co/datasets/owner/other": "Words here. " * 12,
        "https://huggingface.co/datasets/copy/name": "A different dataset with the same name. " * 3,
    }
    assert draw_set9.listed_as("name", card, otdi) == ["https://huggingface.co/datasets/owner/name"]
    own = {"https://huggingface.co/datasets/owner/name": frozenset({"owner-name"})}
    case = {"source": "https://huggingface.co/datasets/name", "listed_as": sorted(own)}
    assert eval_overlap.own_records(case, own) == {"owner-name"}
    assert eval_overlap.own_records(case | {"listed_as": []}, own) == frozenset()


def test_cases_keep_their_listings(ninth):
    """Some cases are listed again under the Hub's newer names; the case file keeps them."""
    listed = [case for case in ninth if case.get("listed_as")]
    assert listed and all(a.startswith(draw_set9.HUB) for c in listed for a in c["listed_as"])
    loaded = {case["id"]: case for case in eval_overlap.load_cases(SPLIT)}
    assert all(loaded[case["id"]]["listed_as"] == case["listed_as"] for case in listed)


def test_labelling_log_matches_the_file(ninth, snapshot):
    """review-9.md logs every same-data and related-not-same case once, with the kind and entries
    the set holds, and its deciding sentence is words of the case's card."""
    for case, sentence in sets.logged_positives("review-9.md", ninth):
        card = draw_set9.flat(draw_set9.prose(snapshot[case["source"]]["card"]))
        assert draw_set9.flat(sentence) in card, case["id"]
