"""The third set of overlap evaluation cases: its size, sources, split and drawing rule.

Shape, ids, sources and the split only: the held-out half is never scored here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eval_scripts import load_script

overlap_cases = load_script("overlap_cases")
draw_set3 = load_script("draw_overlap_set3")
eval_overlap = load_script("eval_overlap")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import" / "real"
NEGATIVE = ("related-not-same", "unrelated")


@pytest.fixture(scope="module")
def third():
    return {split: overlap_cases.read_split(split) for split in ("tuning-3", "held-out-3")}


def test_third_set_is_large_enough_to_measure_false_highs(third):
    held_out = third["held-out-3"]
    assert len(third["tuning-3"]) + len(held_out) >= 200
    assert sum(1 for c in held_out if c["kind"] in NEGATIVE) >= 100
    assert sum(1 for c in held_out if c["kind"] == "same-data") >= 50
    for kind in overlap_cases.KINDS:
        counts = [sum(1 for c in third[s] if c["kind"] == kind) for s in third]
        assert max(counts) - min(counts) <= 1, (kind, counts)


def test_third_set_quotes_no_text_an_earlier_set_quotes(third):
    earlier = [
        c
        for split in overlap_cases.SPLITS
        if split not in third
        for c in overlap_cases.read_split(split)
    ]
    sources = {c["source"] for c in earlier if c.get("source")}
    cards = {s.rsplit("/", 1)[1] for s in sources if "danish-foundation-models" in s}
    texts = {c.get("text") for c in earlier}
    for case in third["tuning-3"] + third["held-out-3"]:
        assert case["source"] not in sources and case["text"] not in texts, case["id"]
        assert case["source"].rsplit("/", 1)[1] not in cards or "huggingface" in case["source"]
    vias = {c["via"] for c in third["tuning-3"] + third["held-out-3"]}
    assert vias == {"otdi-catalog", "common-pile-cards", "dynaword-datasheets"}


def test_third_set_has_sellers_restricting_words(third):
    signalled = [c for s in third.values() for c in s if c.get("signals")]
    assert len(signalled) >= 5
    assert all(c["kind"] in NEGATIVE for c in signalled)


def test_third_set_has_its_own_salt_and_split(monkeypatch):
    cases = [{"id": f"case-{i}", "kind": overlap_cases.KINDS[i % 3]} for i in range(30)]
    third = overlap_cases.assign(cases, "3")
    assert set(third.values()) == {"held-out-3", "tuning-3"}
    second = overlap_cases.assign(cases, "2")
    assert [third[c["id"]] == "held-out-3" for c in cases] != [
        second[c["id"]] == "held-out-2" for c in cases
    ]
    assert "held-out-3" in overlap_cases.HELD_OUT and "held-out-3" in overlap_cases.SPENT
    report = {"split": "held-out-3", "rows": [{"id": "x"}]}
    assert eval_overlap.public_report(report) == report  # spent: studied like a tuning file
    monkeypatch.setattr(eval_overlap, "SPENT", overlap_cases.SPENT - {"held-out-3"})
    assert eval_overlap.public_report(report) == {"split": "held-out-3"}


def test_card_excerpt_is_the_short_description_and_what_follows_it():
    """A real Dynaword card (data/spont/spont.md @ 33447f2, CC0 metadata)."""
    card = (FIXTURES / "dynaword-spont.md").read_text(encoding="utf-8")
    text = draw_set3.card_excerpt(card)
    assert text.startswith("Conversational samples collected as a part of research projects")
    assert "<!--" not in text and "Dataset Description" not in text and "\n" not in text
    assert len(text) <= 900


# The parts of a real non-public card (data/dsk-ida/dsk-ida.md @ 33447f2 of
# danish-foundation-models/datasheets; the cards' metadata is CC0 by its README).
DSK_IDA = """---
license: other
license_name: DSK-1
---
# Dataset Card for DSK - IDA

<!-- START-SHORT DESCRIPTION -->
A collection of newsletters, articles and other texts produced by IDA.
<!-- END-SHORT DESCRIPTION -->

This data has been contributed by IDA through the [Dansk Sprogmodel Konsortium](https://alexandra.dk/dsk).


## Dataset Description

<!-- START-DESC-STATS -->
- **Number of samples**: 40
<!-- END-DESC-STATS -->

# Additional Information

## License Information
This data is licensed under the data sharing agreement made between the contributor and the Dansk Sprogmodel Konsortium (DSK). 
It allows DFM to use the data for training and releasing models, but prohibits DFM from releasing any of the data, except metadata describing the data. 

### Citation Information
"""  # noqa: E501, W291


def test_non_public_card_excerpt_ends_with_its_licence_paragraph():
    text = draw_set3.card_excerpt(DSK_IDA)
    described, licence = text.split(" […] ")
    assert described.startswith("A collection of newsletters") and described.endswith(
        "(https://alexandra.dk/dsk)."
    )
    assert licence.startswith("This data is licensed under the data sharing agreement")
    assert licence.endswith("except metadata describing the data.")


@pytest.mark.parametrize(
    ("text", "names_a_source"),
    [
        ("Sentences extracted from the English Wikipedia dump.", True),
        ("A subset of Mozilla Common Voice 17 in Persian.", True),
        ("A refined version of The Pile's PubMed abstracts.", True),
        ("Filtered from C4, the cleaned Common Crawl corpus.", True),
        ("Put the pile of c4 explosives in the box.", False),  # marked names keep their case
        ("Chest X-ray images from a hospital archive.", False),
    ],
)
def test_positive_pool_rule_names_sources_the_catalog_lists(text, names_a_source):
    assert bool(draw_set3.COMMONS_SOURCE_NAMES.search(text)) is names_a_source


def _catalog(tmp_path: Path, rows: list[dict]) -> Path:
    folder = tmp_path / "otdi-catalog" / "docs/files/data/catalog/domain"
    folder.mkdir(parents=True)
    (folder / "web.js").write_text(f"const data_for_domain_web = \n{json.dumps(rows)}\n;")
    return tmp_path / "otdi-catalog"


def test_draw_stages_follow_the_salt_order_and_skip_repeats(tmp_path, monkeypatch):
    long = " padding" * 30
    rows = [
        {"url": f"https://huggingface.co/datasets/u/d{i}", "description": f"Card {i}.{long}"}
        for i in range(8)
    ]
    rows += [
        {"url": f"https://huggingface.co/datasets/u/w{i}", "description": f"Wikipedia {i}.{long}"}
        for i in range(4)
    ]
    rows.append(
        {"url": "https://huggingface.co/datasets/u/copy", "description": rows[0]["description"]}
    )
    rows.append({"url": "https://huggingface.co/datasets/u/short", "description": "Wikipedia."})
    monkeypatch.setattr(
        draw_set3, "STAGES", (("positive-pool", 2), ("plain-draw", 5), ("positive-pool", 1))
    )
    drawn = draw_set3.otdi_draw(_catalog(tmp_path, rows), {rows[1]["url"]}, set())
    rules = [c["drawn_by"] for c in drawn]
    assert rules == ["positive-pool"] * 2 + ["plain-draw"] * 5 + ["positive-pool"]
    assert all("Wikipedia" in c["text"] for c in drawn if c["drawn_by"] == "positive-pool")
    sources = [c["source"] for c in drawn]
    assert len(set(sources)) == len(sources) and rows[1]["url"] not in sources
    assert len({c["text"] for c in drawn}) == len(drawn)  # the copied card is drawn once at most
    assert not any(s.endswith("/short") for s in sources)
    plain = [c["source"] for c in drawn if c["drawn_by"] == "plain-draw"]
    assert plain == sorted(plain, key=lambda u: draw_set3.order(u, draw_set3.SALT))
