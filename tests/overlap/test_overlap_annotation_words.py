"""Annotation and task vocabulary is not evidence of the same content: a description that reads
like a curated entry's own only by the words of how images are annotated ("bounding boxes",
"segmentation labels") is not identified as that entry's data (registry/overlap/sameness.py,
_telling_words_shared). Real cards of the spent held-out-10 file (tests/eval/overlap/, README.md
there: TensorFlow Datasets' descriptions), against the project's curated catalog; the first test
fails without the rule (Caltech-UCSD Birds was "high" for Open Images)."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


def test_annotation_words_alone_do_not_identify_an_image_set(index):
    # held-out-10 tfds-caltech-birds2010 (unrelated): "Annotations include bounding boxes,
    # segmentation labels."
    text = case_text("held-out-10", "tfds-caltech-birds2010")
    assert "bounding boxes, segmentation labels" in text
    result = check_text(index, text)
    top = result["matches"][0]
    assert top["id"] == "open-images" and top["level"] == "high"
    assert result["verdict"]["same_data"] is None
    assert result["verdict"]["level"] == "medium"


def test_a_paraphrase_sharing_what_the_data_is_stays_high(index):
    # held-out-10 tfds-open-images-v4 (same-data): the same annotation words, and "image-level
    # labels" and "9M images", which are what Open Images holds
    result = check_text(index, case_text("held-out-10", "tfds-open-images-v4"))
    assert result["matches"][0]["id"] == "open-images"
    assert result["verdict"]["level"] == "high"
    assert result["verdict"]["same_data"] == "your description reads like the entry's own"
