"""New content made from commons text (questions written about Wikipedia articles, people's
annotations over posts, a model's translation of a corpus) is related data a buyer could use
instead, not the same data: real cards (tests/eval/overlap/tuning-3.yaml) against the project's
curated catalog. Pairs taken from a Q&A site are the site's own content and stay the same data."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.kind import derived_signals


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("case_id", "words", "source"),
    [
        ("hf-eraldoluis-faquad", "900 questions about", "wikipedia"),
        ("hf-kundank-usb", "manual annotations", "wikipedia"),
        ("hf-yrc10-mash", "all relevant posts are annotated on", "reddit-pushshift"),
        (
            "hf-netherlandsforensicinstitute-s2orc-citation-pairs-translated-nl",
            "auto-translated",
            "s2orc",
        ),
    ],
)
def test_new_content_made_from_commons_text_is_related_data(index, case_id, words, source):
    result = check_text(index, case_text("tuning-3", case_id))
    assert words in result["verdict"]["signals"]["derived"]
    assert source in [m["id"] for m in result["matches"][:3]]
    assert result["verdict"]["level"] == "medium"
    assert "Related data in the commons" in result["verdict"]["sentence"]


def test_pairs_taken_from_a_q_and_a_site_are_its_content():
    text = case_text("tuning-3", "hf-eshangj-stackoverflow-q-and-a-sample")
    assert "question-answer pairs extracted from Stackoverflow" in text
    assert derived_signals(text) == []
    # A human's translation may be the commons' own parallel data (Europarl), a model's is not.
    assert derived_signals("Sentence-aligned translations of European Parliament proceedings") == []


def test_a_translation_made_with_a_named_model_is_new_text():
    """IndicAlign's card (https://huggingface.co/datasets/ai4bharat/indic-align, as quoted by the
    OTDI catalog): the instruction sets are a model's translations."""
    text = "We use IndicTrans2 (Gala et al., 2023) for the translation of the datasets."
    assert derived_signals(text) == ["use IndicTrans2 (Gala et al., 2023) for the translation"]
