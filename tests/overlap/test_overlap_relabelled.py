"""A dataset built from an entry's texts with new labels, pairs or translations is related data,
not the entry's content (registry/overlap/made.py): "coreference-labeled pairs ... sampled from
Wikipedia", "pairs table-question" over Wikipedia tables, Wikipedia comments "which have been
labeled by human raters", Wikinews sentences that "were translated into the other languages".
Real cards of the spent held-out-9 and -10 files (tests/eval/overlap/, README.md there), all
labelled related-not-same, against the project's curated catalog; each was "high" before."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.made import new_content


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("split", "case_id", "entry", "words"),
    [
        ("held-out-10", "tfds-gap", "wikipedia", "containing 8,908 coreference-labeled pairs"),
        ("held-out-10", "tfds-wiki-table-questions", "wikipedia", "contains pairs table-question"),
        ("held-out-9", "hf-card-jigsaw-toxicity-pred", "wikipedia", "have been labeled by"),
        ("held-out-9", "hf-card-alt", "wikinews", "were translated into"),
    ],
)
def test_new_labels_over_an_entry_s_texts_are_related_data(index, split, case_id, entry, words):
    text = case_text(split, case_id)
    assert any(words in found for found in new_content(text))
    result = check_text(index, text)
    top = result["matches"][0]
    assert top["id"] == entry and top["level"] == "high"
    assert any(words in found for found in result["verdict"]["signals"]["derived"])
    assert result["verdict"]["level"] == "medium"
    assert "new content made from it" in result["verdict"]["sentence"]


def test_a_compound_names_the_content_it_ends_on():
    # "table-question" names questions: evidence about Wikipedia's tables does not cancel it
    assert new_content("The dataset contains pairs table-question.", "Wikipedia tables") == [
        "dataset contains pairs table-question"
    ]
    # a compound that starts with new content keeps its first word ("question-answer pairs" are
    # Stack Overflow's own content when the evidence is about its questions)
    text = "The dataset contains question-answer pairs."
    assert new_content(text, "Stack Overflow questions") == []
