"""'High' needs its evidence of sameness to be about the offered data (registry/overlap/sameness.py)
and reads text a language model or a tool made as new content (kind.DERIVED, made.IS_A). Real
cards from the spent held-out files (tests/eval/overlap/, README.md there for their sources and
licences), quoted by case id, against the project's curated catalog: each was "high" before these
rules, with its top match high on score."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.kind import derived_signals, without_links
from registry.overlap.made import new_content
from registry.overlap.sameness import says_same


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


def _related(index, split: str, case_id: str, source: str) -> dict:
    """The card's check: its top match is `source` at a high score, the verdict medium."""
    result = check_text(index, case_text(split, case_id))
    assert result["matches"][0]["id"] == source
    assert result["matches"][0]["level"] == "high"
    assert result["verdict"]["level"] == "medium", result["verdict"]["sentence"]
    assert result["verdict"]["same_data"] is None
    return result


def test_a_content_word_after_a_verb_is_not_the_sources_content(index):
    """held-out-6 hf-casey-martin-qald-9-plus: "train and test KGQA systems over DBpedia and
    Wikidata using questions in 9 different languages" -- the questions are the card's own."""
    text = case_text("held-out-6", "hf-casey-martin-qald-9-plus")
    assert "Wikidata using questions" in text
    assert says_same(without_links(text), ["Wikidata"]) is None
    assert says_same("Uzbek Wikidata questions and answers", ["Wikidata"])  # attached: content
    _related(index, "held-out-6", "hf-casey-martin-qald-9-plus", "wikidata")


@pytest.mark.parametrize(
    ("split", "case_id", "words"),
    [
        # the name qualifies a paper
        ("held-out-5", "hf-aherntech-spider-syn", "arXiv Paper Abstract"),
        # the sentence's subject is a paper
        ("held-out-6", "hf-ipbench-ipbench", "can be accessed in arXiv"),
    ],
)
def test_a_paper_on_arxiv_is_not_the_datas_source(index, split, case_id, words):
    text = case_text(split, case_id)
    assert words in text
    assert says_same(without_links(text), ["arXiv"]) is None
    assert says_same("Full text of papers from arXiv", ["arXiv"])
    result = check_text(index, text)
    assert result["matches"][0]["level"] == "high"
    assert result["verdict"]["level"] == "medium", result["verdict"]["sentence"]


@pytest.mark.parametrize(
    ("split", "case_id", "words", "source"),
    [
        ("held-out-6", "hf-freedomintelligence-rag-instruct", "synthesized using GPT", "wikipedia"),
        ("held-out-6", "hf-kcmki-kcllm", "created using ChatGPT", "wikipedia"),
        ("held-out-6", "hf-mteb-jinavdreuropeanafrnewsretrieval", "LLM generated", "europeana"),
        (
            "held-out-4",
            "hf-pursuitofdatascience-arxiv-llama4-maverick-abstract",
            "generated using the Llama",
            "arxiv-metadata-abstracts",
        ),
    ],
)
def test_text_a_language_model_made_is_related_data(index, split, case_id, words, source):
    text = case_text(split, case_id)
    assert words in derived_signals(text)
    result = _related(index, split, case_id, source)
    assert words in result["verdict"]["signals"]["derived"]
    assert "new content made from it" in result["verdict"]["sentence"]


def test_an_embedding_models_vectors_are_the_sources_text(index):
    """held-out-6 hf-maknee-wikipedia-qwen-8b (same-data): "vector embeddings generated using
    Qwen/Qwen3-Embedding-8B from the wikimedia/wikipedia dataset" stays "high"."""
    text = case_text("held-out-6", "hf-maknee-wikipedia-qwen-8b")
    assert "generated using Qwen/Qwen3-Embedding-8B" in text
    assert derived_signals(text) == []
    result = check_text(index, text)
    assert result["matches"][0]["id"] == "wikipedia"
    assert result["verdict"]["level"] == "high", result["verdict"]["sentence"]


@pytest.mark.parametrize(
    ("split", "case_id", "words", "source", "read_by"),
    [
        # one translation of a whole source (made.IS_A, the singular)
        (
            "held-out-6",
            "hf-ontocord-mixturevitae-fineweb-permissive-multilingual-2m",
            "is a translation of",
            "fineweb",
            new_content,
        ),
        # a translation obtained with a tool (kind.DERIVED)
        (
            "held-out-6",
            "hf-softcatala-europarl-catalan",
            "translation, which has been obtained using",
            "europarl-corpus",
            derived_signals,
        ),
        # people's labels over the source's posts (kind.DERIVED)
        (
            "held-out-6",
            "hf-strombergnlp-dkstance",
            "annotated for",
            "reddit-pushshift",
            derived_signals,
        ),
    ],
)
def test_translations_and_labels_made_over_a_source_are_related_data(
    index, split, case_id, words, source, read_by
):
    text = case_text(split, case_id)
    assert words in read_by(text)
    result = _related(index, split, case_id, source)
    assert words in result["verdict"]["signals"]["derived"]


def test_a_set_of_machine_translation_benchmarks_is_not_one_translation():
    """held-out-6 hf-helsinki-nlp-tatoeba-mt (same-data): "a multilingual data set of machine
    translation benchmarks derived from user-contributed translations" names a task, not a model's
    translations; the singular is read only in "is a translation of"."""
    text = case_text("held-out-6", "hf-helsinki-nlp-tatoeba-mt")
    assert "data set of machine translation benchmarks" in text
    assert not any("translation" in words for words in new_content(text))
