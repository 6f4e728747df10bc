"""A publisher named is not its dataset named: "USGS", a part of the curated name "Landsat
archive (USGS)", is the initials of the U.S. Geological Survey, which distributes the archive
(the entry's summary), so "images from the USGS National Map" says where the images come from,
not that they are Landsat's (registry/overlap/sameness.py, names_publisher). Real cards of the
spent held-out files (tests/eval/overlap/, README.md there), against the project's curated
catalog; each fails without the rule (they were "high" for the Landsat archive)."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.sameness import names_publisher


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("split", "case_id", "words"),
    [
        # "The images were manually extracted from large images from the USGS National Map Urban
        # Area Imagery collection": aerial photographs, not Landsat scenes
        ("held-out-10", "tfds-uc-merced", "from the USGS National Map"),
        # a geologic map benchmark: "Source USGS(English) CGS(Chinese)"
        ("held-out-8", "hf-microsoft-peace", "Source USGS(English)"),
    ],
)
def test_the_publisher_s_initials_do_not_say_the_data_is_its_archive(index, split, case_id, words):
    text = case_text(split, case_id)
    assert words in text
    result = check_text(index, text)
    top = result["matches"][0]
    assert top["id"] == "usgs-landsat" and top["level"] == "high"
    assert result["verdict"]["same_data"] is None
    assert result["verdict"]["level"] == "medium"


def test_initials_name_the_publisher_only_when_the_summary_spells_them():
    summary = "Imagery distributed free by the U.S. Geological Survey."
    assert names_publisher("usgs", summary)
    assert not names_publisher("usgs", "Imagery of the Earth's land surface since 1972.")
    # a name of the data itself is never a publisher's initials
    assert not names_publisher("landsat", summary)
    assert not names_publisher(
        "laion", "Image-text pairs from Common Crawl, released by LAION e.V."
    )
