"""Calibrated verdicts on the real catalog: the sellers' cases of issue 17, each level's meaning
and next step, and what the description's own words change."""

from __future__ import annotations

import pytest

from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.kind import derived_signals, languages_of, modality_of, seller_signals
from registry.overlap.offer import offer_from_text
from registry.overlap.verdict import LEVELS


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


def _check(index, text: str) -> dict:
    return check(index, offer_from_text(text), top=5)


def test_a_generic_word_does_not_make_a_match(index):
    result = _check(index, "Guest reviews of our 300 hotels written on our booking site")
    assert result["verdict"]["level"] in ("none", "low")
    assert all(m["level"] in ("none", "low") for m in result["matches"])


def test_the_sellers_own_data_is_related_not_already_free(index):
    result = _check(index, "Our company's own private chat logs from internal support channels")
    verdict = result["verdict"]
    assert verdict["level"] != "high"
    assert "A buyer could get this data for free" not in verdict["sentence"]
    if verdict["level"] == "medium":
        assert "data a buyer could use instead" in verdict["sentence"]
    assert "Our company's own" in verdict["signals"]["own"]


def test_a_link_to_github_does_not_make_a_speech_corpus_code(index):
    result = _check(
        index,
        "The Armenian subset of the VoxPopuli speech corpus: recordings of the European "
        "Parliament with transcriptions. Code: https://github.com/example/hy-voxpopuli",
    )
    assert result["matches"][0]["id"] == "voxpopuli"
    assert all(m["modality"] != "code" or m["level"] in ("none", "low") for m in result["matches"])


def test_a_named_dataset_ranks_first_and_a_language_it_lacks_is_said(index):
    result = _check(index, "The Danish subsection of Europarl, the European Parliament proceedings")
    first = result["matches"][0]
    assert first["id"] == "europarl-corpus" and first["level"] == "high"
    english_only = [m for m in result["matches"] if m["id"] == "pile-of-law"]
    assert english_only and "languages differ" in english_only[0]["why"][-1]
    assert english_only[0]["score"] < first["score"]


def test_every_level_has_a_meaning_and_a_next_step(index):
    for level, words in LEVELS.items():
        assert words["meaning"] and words["next_step"], level
    result = _check(index, "Every English Wikipedia article as plain text, from en.wikipedia.org")
    verdict = result["verdict"]
    assert verdict["level"] == "high"
    assert verdict["next_step"] == LEVELS["high"]["next_step"]
    assert verdict["meaning"] == LEVELS["high"]["meaning"]


def test_what_the_words_say():
    assert modality_of("Speech recordings of 300 speakers with transcripts") == "audio"
    assert modality_of("Python functions and their docstrings from source code") == "code"
    news = "News articles from regional papers since 1990, one per record, with the ISO 639-1 "
    news += "language code of each article"
    assert modality_of(news) == "text"
    assert modality_of("Short notes") is None
    assert languages_of("The Danish and Armenian parts; English glosses") == ["da", "hy", "en"]
    assert seller_signals("Proprietary, unpublished; All Rights Reserved") == [
        "Proprietary",
        "unpublished",
        "All Rights Reserved",
    ]
    assert derived_signals("Questions were generated using GPT-4 from the abstracts") == [
        "were generated using"
    ]
    assert seller_signals("Every English Wikipedia article") == []
