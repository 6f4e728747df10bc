"""A card that names its commons source in one sentence and says in another that its data is new
content (questions, claims, translations, captions, instruction pairs, rankings) is related data,
"medium", not "high" (registry/overlap/made.py); and a citation of the paper on arXiv written as a
link's label or a BibTeX venue names no source (kind.LINK_LABEL, mentions.ARXIV_VENUE). Real cards
from the spent held-out files and the tuning file (tests/eval/overlap/, README.md there for their
sources and licences), against the project's curated catalog."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.kind import without_links
from registry.overlap.made import new_content


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


@pytest.mark.parametrize(
    ("split", "case_id", "words", "source"),
    [
        # the source in one sentence, what the data consists of in another
        ("held-out-5", "hf-pig4431-heq-v1", "consisting of 30,147 questions", "wikipedia"),
        ("held-out-5", "hf-mteb-nanofeverretrieval", "consists of 185,445 claims", "wikipedia"),
        ("held-out-5", "hf-catalin1122-wiki-ro-qna", "There are more than 550k questions", None),
        # a task the dataset is made for
        ("held-out-5", "hf-sadeem-ai-arabic-qna", "QnA Dataset", "wikipedia"),
        (
            "held-out-5",
            "hf-mteb-viequadretrieval",
            "dataset for evaluating Machine Reading Comprehension",
            "wikipedia",
        ),
        # a paraphrase of the entry's own description, whose data is a model's translations
        ("held-out-5", "hf-panagoa-tatoeba-raw-eng-kbd", "dataset contains translations", None),
        ("held-out-5", "hf-panagoa-tatoeba-raw-eng-kbd", "Machine Translations", "tatoeba"),
        # the data named as a ranking of the source's samples
        (
            "held-out-5",
            "hf-disco-eth-fma-rank",
            "is a CLAP-based statistical ranking of",
            "free-music-archive-fma",
        ),
    ],
)
def test_data_said_to_be_new_content_is_related_data(index, split, case_id, words, source):
    text = case_text(split, case_id)
    assert words in new_content(text)
    result = check_text(index, text)
    assert words in result["verdict"]["signals"]["derived"]
    assert result["verdict"]["level"] == "medium", result["verdict"]["sentence"]
    assert result["verdict"]["same_data"] is None
    assert "Related data in the commons" in result["verdict"]["sentence"]
    if source:
        assert result["matches"][0]["id"] == source and result["matches"][0]["level"] == "high"


def test_evidence_of_sameness_about_that_content_keeps_high(index):
    """StackOverflow Q&A (held-out, same-data): the pairs are the site's own questions, and the
    evidence of sameness says so ("StackOverflow Q&A Dataset")."""
    text = case_text("held-out", "hf-varsunk-stackoverflow-qa-dataset")
    assert new_content(text) == ["dataset contains question"]
    result = check_text(index, text)
    assert result["matches"][0]["id"] == "stack-exchange-data-dump"
    assert "Q&A" in result["verdict"]["same_data"]
    assert new_content(text, result["verdict"]["same_data"]) == []
    assert result["verdict"]["level"] == "high"


def test_what_the_source_provides_is_not_what_the_data_holds(index):
    """TaPaCo (tuning, same-data): "Tatoeba ... Its aim is to provide example sentences and
    translations" speaks of the source, not of the offered data."""
    text = case_text("tuning", "hf-community-datasets-tapaco")
    assert "Its aim is to provide example sentences and translations" in text
    assert new_content(text) == []
    result = check_text(index, text)
    assert result["matches"][0]["id"] == "tatoeba" and result["verdict"]["level"] == "high"


@pytest.mark.parametrize(
    ("case_id", "citation"),
    [
        # a link's label
        ("hf-treeailab-multi-turn-long-context-benchmark-for-llms", "Arxiv: https://"),
        # a BibTeX venue
        ("hf-tasksource-cycic-multiplechoice", "journal={ArXiv}"),
        # a row of link labels whose links the card lost
        ("hf-open-reasoner-zero-orz-math-57k-collection", "Paper Arxiv Link"),
    ],
)
def test_a_paper_cited_on_arxiv_names_no_source(index, case_id, citation):
    """Unrelated cards (held-out-5) that reached "medium" for an arXiv entry on the citation."""
    text = case_text("held-out-5", case_id)
    assert citation in text
    assert "arxiv" not in without_links(text).casefold()
    result = check_text(index, text)
    arxiv_medium = [
        m for m in result["matches"] if "arxiv" in m["id"] and m["level"] in ("medium", "high")
    ]
    assert arxiv_medium == []
    assert result["verdict"]["level"] in ("low", "none")


def test_a_label_of_several_words_is_blanked_whole():
    """VLABench (held-out-5, unrelated): "Source Project Page: https://... Arxiv Paper: https://"
    must not leave "Source ... Arxiv", which would read as a word of origin before arXiv."""
    text = case_text("held-out-5", "hf-vlabench-vlabench-primitive-ft-dataset")
    assert "Arxiv Paper: https://arxiv.org/abs/2412.18194" in text
    assert "arxiv" not in without_links(text).casefold()
    assert "Source" not in without_links(text)
