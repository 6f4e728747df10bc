"""A catalog name inside another dataset's name, or naming a subject: "the MAPA EUR-LEX dataset"
(MAPA, written alone too, is the project whose dataset it is), "The original ImageNet-Sketch data
set" (a hyphen joins another name), "the Parallel Wikipedia Simplification (PWKP) corpus" (a
longer name with its own acronym), "sentences in the Wikipedia domain" (a subject area) do not say
the data is EUR-Lex's, ImageNet's or Wikipedia's (registry/overlap/other_names.py:
named_by_acronym, joins_another_name, inside_defined_name; sameness.TOPIC). Real cards of the
spent files (tests/eval/overlap/, README.md there), against the project's curated catalog; each
fails without its rule (they were "high")."""

from __future__ import annotations

import pytest
from real_texts import assert_named_not_same, case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.other_names import named_by_acronym


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("split", "case_id", "words", "entry"),
    [
        # Spanish legal texts annotated for sensitive entities by the MAPA project
        ("held-out-4", "hf-dglover1-mapa-eur-lex", "the MAPA EUR-LEX dataset", "eur-lex"),
        # 50,000 sketches found by Google Image queries, one class set with ImageNet's
        ("tuning-3", "hf-tumuyan2-imagenet-sketch-hq", "ImageNet-Sketch data set", "imagenet"),
        # professionally translated sentences on Wikipedia's topics
        ("held-out-11", "seacrowd-nllb-seed", "sentences in the Wikipedia domain", "wikipedia"),
        # crowdsourced simplifications of sentences of another corpus, itself made from Wikipedia
        (
            "held-out-9",
            "hf-card-turk",
            "Parallel Wikipedia Simplification (PWKP) corpus",
            "wikipedia",
        ),
    ],
)
def test_a_name_inside_another_name_is_not_sameness(index, split, case_id, words, entry):
    assert_named_not_same(index, split, case_id, words, entry)


@pytest.mark.parametrize(
    ("split", "case_id"),
    [
        # "rus-Wikipedia-Dataset-1K": a hyphen to a word of content, Wikipedia's own articles
        ("tuning-3", "hf-hambobo14-rus-wikipedia-dataset-1k"),
        ("held-out-7", "hf-hambobo14maker-rus-wikipedia-dataset-1k"),
    ],
)
def test_a_name_joined_to_a_word_of_content_stays_high(index, split, case_id):
    result = check_text(index, case_text(split, case_id))
    assert result["matches"][0]["id"] == "wikipedia"
    assert result["verdict"]["level"] == "high"


def test_a_name_that_begins_a_name_with_its_own_acronym_stays_high(index):
    # "title-abstract pairs from PubMed Central (PMC) articles": PubMed's own abstracts
    text = case_text("tuning", "hf-embo-soda-vec-data-full-pmc-title-abstract")
    assert "PubMed Central (PMC)" in text
    result = check_text(index, text)
    assert result["matches"][0]["id"] == "pubmed-medline-baseline"
    assert result["verdict"]["level"] == "high"


def test_an_acronym_counts_only_when_written_alone_and_not_the_entry_s_own():
    text = "the MAPA EUR-LEX dataset. See the card for more about MAPA."
    assert named_by_acronym(text, "eur lex", {"eur", "lex", "cellar"})
    # never written alone: a word of the name's own phrase
    assert not named_by_acronym("the MAPA EUR-LEX dataset.", "eur lex", {"eur", "lex"})
    # the entry's own name or summary uses it ("Landsat archive (USGS)")
    own = {"landsat", "archive", "usgs"}
    assert not named_by_acronym("USGS Landsat scenes, distributed by USGS", "landsat", own)
