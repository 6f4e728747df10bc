"""A dataset card that cites its paper on arXiv does not name arXiv as its data's source (a card
whose data is arXiv's papers still does), nor does a card that measures its data against a
dataset ("smaller than ImageNet"): real cards (tests/eval/overlap/, tuning files),
checked against the project's curated catalog."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.mentions import without_mentions

ARXIV_ENTRIES = {
    "arxiv-metadata-abstracts",
    "arxiv-cc-licensed-papers",
    "arxiv-nonexclusive-full-text",
}


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("case_id", "citation"),
    [
        ("hf-aisingapore-wangchanlion-curated", "archivePrefix={arXiv}"),
        ("hf-antgroup-humansense-benchmark", "arXiv:2508.10576"),
        ("hf-m-a-p-cii-bench", "📖 arXiv"),
        ("hf-ninglab-c-mumoinstruct", "Paper: Arxiv"),
        ("hf-meituan-longcat-vitabench", "paper is released on arXiv"),
        ("hf-katielink-equitymedqa", "arXiv submission"),
    ],
)
def test_a_card_citing_its_paper_on_arxiv_is_not_arxiv_data(index, case_id, citation):
    """Benchmarks and instruction sets whose cards cite their paper were "high" for arXiv's
    papers; the citation says where to read about the data, not where it comes from."""
    text = case_text("tuning-3", case_id)
    assert citation in text
    assert "arxiv" not in without_mentions(text).casefold().replace("arxiv.org", "")
    result = check_text(index, text)
    assert result["verdict"]["level"] in ("none", "low")
    for match in result["matches"]:
        assert not any("arxiv" in r for r in match["components"]["sources"]["reasons"])


@pytest.mark.parametrize(
    ("name", "case_id"),
    [
        ("tuning", "common-pile-card-arxiv-abstracts"),
        ("tuning-3", "hf-gfissore-arxiv-abstracts-2021"),
    ],
)
def test_a_card_of_arxiv_papers_still_names_arxiv(index, name, case_id):
    result = check_text(index, case_text(name, case_id))
    assert {m["id"] for m in result["matches"][:3]} & ARXIV_ENTRIES
    assert any(
        "arxiv" in r for m in result["matches"][:3] for r in m["components"]["sources"]["reasons"]
    )


# https://huggingface.co/datasets/krinal/fifa_2022, as quoted by the OTDI catalog: the card's
# only word on its source is a BibTeX entry citing the Wikipedia article.
FIFA_2022 = (
    "Dataset Card for Dataset Name Dataset Summary Text corpus dataset (fifa world cup 2022) "
    "Additional Information Citation Information @misc{ enwiki:1154298520, author = "
    '"{Wikipedia contributors}", title = "2022 FIFA World Cup --- {Wikipedia}{,} The Free '
    'Encyclopedia", year = "2023", url = '
    '"https://en.wikipedia.org/w/index.php?title=2022_FIFA_World_Cup&oldid=1154298520" }'
)


def test_a_bibtex_entry_cites_a_paper_in_its_arxiv_fields_only(index):
    """`archivePrefix={arXiv}` cites the paper; a BibTeX entry of the Wikipedia article the text
    comes from names the data's source, and Wikipedia stays the closest match at a high score.
    The card has no words saying its text is Wikipedia's ("Text corpus dataset (fifa world cup
    2022)" and a citation), so the verdict is "medium" (high needs evidence of sameness:
    sameness.py)."""
    text = case_text("tuning-3", "hf-aisingapore-wangchanlion-curated")
    assert "archivePrefix={arXiv}" in text and "arXiv" not in without_mentions(text)
    result = check_text(index, FIFA_2022)
    assert result["matches"][0]["id"] == "wikipedia"
    assert result["matches"][0]["level"] == "high"
    assert result["verdict"]["level"] == "medium"
    assert "does not say your data is its content" in result["verdict"]["sentence"]


def test_a_dataset_named_as_a_yardstick_is_not_the_data(index):
    """PatchCamelyon's card says it is "bigger than CIFAR10, smaller than imagenet": ImageNet is
    the measure, and histopathology scans are not ImageNet's photographs."""
    text = case_text("tuning-3", "hf-1aurent-patchcamelyon")
    assert "smaller than imagenet" in text
    result = check_text(index, text)
    assert all("named" not in m["components"] for m in result["matches"])
    assert result["verdict"]["level"] in ("none", "low")
