""" "High" needs the description to say its data *is* the source's content: real cards from the
tuning files (tests/eval/overlap/tuning.yaml, tuning-3.yaml, watched.yaml) against the project's
curated catalog. A card that names its source only in another role (the reference of new
dialogues) is "medium": related data a buyer could use instead."""

from __future__ import annotations

import pytest
import yaml
from real_texts import CASES, case_text, check_text

from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.kind import derived_signals
from registry.overlap.offer_file import offer_from_mapping
from registry.overlap.sameness import says_same
from registry.overlap.verdict import LEVELS


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


def test_a_source_named_only_as_the_reference_of_new_content_is_related_data(index):
    """RefGPT-Fact: model-written dialogues that use the English Wikipedia "as the reference". It
    was "high" for Wikipedia before high needed evidence of sameness; no derivation word of the
    card is read by kind.DERIVED, and the description gives no evidence of sameness. Its data is
    also said to be new content ("containing 100k multi-turn dialogues", made.py), so the
    sentence says so. The sentence of a match without evidence of sameness and without such words
    is tested in test_overlap_mentions.py
    (test_a_bibtex_entry_cites_a_paper_in_its_arxiv_fields_only)."""
    text = case_text("tuning-3", "hf-mutonix-refgpt-fact")
    assert "uses the English Wikipedia as the reference" in text
    assert says_same(text, ["wikipedia"]) is None
    assert derived_signals(text) == []
    result = check_text(index, text)
    assert result["matches"][0]["id"] == "wikipedia" and result["matches"][0]["level"] == "high"
    verdict = result["verdict"]
    assert verdict["signals"]["derived"] == ["containing 100k multi-turn dialogues"]
    assert verdict["same_data"] is None
    assert verdict["level"] == "medium" and verdict["meaning"] == LEVELS["medium"]["meaning"]
    assert "new content made from it" in verdict["sentence"]
    assert "'Wikipedia" in verdict["sentence"]


@pytest.mark.parametrize(
    ("split", "case_id", "entry", "words"),
    [
        # the source is where the data comes from
        (
            "tuning",
            "hf-adameubanks-filtered-articles-by-year",
            "fineweb",
            "web articles from the FineWeb dataset",
        ),
        ("tuning", "hf-edmon02-hyvoxpopuli", "voxpopuli", "subset of the Facebook VoxPopuli"),
        ("tuning", "dynaword-card-ep", "europarl-corpus", "Danish subsection of Europarl"),
        # a release of the source, in a card written in French
        ("tuning", "hf-bretagne-common-voice-21-0-br", "mozilla-common-voice", "Common Voice 21.0"),
        # a link to the source's site given as where the data comes from
        (
            "tuning",
            "hf-leaschuessler-scientific-question-generation",
            "openstax",
            "originated from",
        ),
    ],
)
def test_a_card_saying_its_data_is_the_source_stays_high(index, split, case_id, entry, words):
    result = check_text(index, case_text(split, case_id))
    assert result["matches"][0]["id"] == entry
    assert result["verdict"]["level"] == "high", result["verdict"]["sentence"]
    assert words in result["verdict"]["same_data"]
    assert result["verdict"]["sentence"].startswith("High redundancy: ")
    assert (
        "It reads as the same data because your description says '" in result["verdict"]["sentence"]
    )


def test_a_close_paraphrase_of_an_entry_identifies_it_without_a_name(index):
    """A seller describing the US Congress's bills in the entry's own terms names no source, but
    the description agrees with the entry on what the data is."""
    result = check_text(index, case_text("watched", "congress-bills"))
    assert result["matches"][0]["id"] == "us-congressional-bills"
    assert result["verdict"]["level"] == "high"
    assert result["verdict"]["same_data"] == "your description reads like the entry's own"


def test_new_content_named_before_the_source_is_not_the_source():
    """Questions, scores or translations written over a source's text: the sentence names the
    new content first, and the source is where it was written about (words of real cards: Quoref,
    https://huggingface.co/datasets/allenai/quoref, and WikiRank,
    https://huggingface.co/datasets/lewoniewski/wikipedia_quality_wikirank, held-out-3 and
    held-out-4, spent)."""
    quoref = "containing 24K questions over 4.7K paragraphs from Wikipedia, a system must resolve"
    assert says_same(quoref, ["wikipedia"]) is None
    assert says_same("sentence edits extracted from Ukrainian Wikipedia history", ["wikipedia"])


def test_the_source_must_be_where_the_data_comes_from_not_a_neighbour_of_it():
    """A row of link labels ("🌐 GitHub Code and Page") ends at its emoji: the words before it
    belong to the title (TIME's card, https://huggingface.co/datasets/SylvainWei/TIME)."""
    title = "Temporal Reasoning of LLMs in Real-World Scenarios 🌐 GitHub Code: https://github.com"
    assert says_same(title, ["github code"]) is None
    # A project host named in prose counts only as where the data comes from.
    assert says_same(title, ["github"], origin_only=True) is None
    assert says_same("code files scraped from GitHub", ["github"], origin_only=True)
    # A paper's identifier after a host glued to a label is no release number (IndicSentiment's
    # MTEB card, https://huggingface.co/datasets/mteb/IndicSentimentClassification, held-out-4).
    cited = "Domains Reviews, Written Referencehttps://arxiv.org/abs/2212.05409 How to evaluate"
    assert says_same(cited, ["arxiv.org"]) is None

    assert says_same("Paper ArXiv: see the abstract page", ["arxiv"]) is None
    assert says_same("The Danish subsection of Europarl.", ["europarl"]) == (
        "The Danish subsection of Europarl"
    )
    # The quote ends on a word that says something, not on "the" of the next phrase.
    subset = "A subset of English Wikipedia articles from the 2023 dump, cleaned"
    assert says_same(subset, ["wikipedia"]) == "A subset of English Wikipedia articles"


def test_an_offer_file_declaring_the_source_site_says_where_its_data_comes_from(index):
    """The watched offer of encyclopedia articles declares en.wikipedia.org in `source_domains`;
    without it, its words name no source and read like no entry's own description."""
    raw = next(
        c
        for c in yaml.safe_load((CASES / "watched.yaml").read_text(encoding="utf-8"))["cases"]
        if c["id"] == "wikipedia-offer"
    )
    declared = check(index, offer_from_mapping(raw["offer"]))
    assert declared["matches"][0]["id"] == "wikipedia"
    assert declared["verdict"]["level"] == "high"
    assert (
        declared["verdict"]["same_data"] == "you declare en.wikipedia.org as a source of your data"
    )
    undeclared = check(index, offer_from_mapping({**raw["offer"], "source_domains": []}))
    assert undeclared["verdict"]["level"] != "high"


def test_a_quoted_link_reads_as_its_label(index):
    """A card that links its source ("[Europarl](https://...)") is quoted with the link's label,
    not with the blanked link's brackets ("[Europarl]()")."""
    sentence = check_text(index, case_text("tuning", "dynaword-card-ep"))["verdict"]["sentence"]
    assert "your description says 'Danish subsection of Europarl'." in sentence, sentence
    assert "](" not in sentence
