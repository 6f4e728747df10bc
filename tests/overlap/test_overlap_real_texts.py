"""What a description's words say about its data, checked on real dataset descriptions against the
project's curated catalog: file names are not web sites, people's annotations over commons text
are new work made from it, and a name read only inside a link does not name the data's source.

The texts are evaluation cases (tests/eval/overlap/, tuning files, read by id) or excerpts of
Hugging Face dataset cards as the OTDI catalog quotes them (CDLA-Permissive-2.0 for the catalog;
each excerpt's card is linked beside it)."""

from __future__ import annotations

import pytest
from real_texts import case_text, check_text

from registry.overlap.index import open_index
from registry.overlap.offer import offer_from_text

# https://huggingface.co/datasets/sionic-ai/Ko_Simple_QA, as quoted by the OTDI catalog.
KO_SIMPLE_QA = (
    "한영 질문답변 데이터셋 데이터셋 설명 이 데이터셋은 영어 질문답변 쌍과 그에 대응하는 한국어 "
    "번역으로 구성되어 있습니다. 각 데이터 포인트 메타데이터: 주제, 답변 유형, 참고 URL 등의 정보 "
    "영어 질문 영어 답변 한국어 질문 한국어 답변 총 4,265개의 질문답변 쌍이 포함되어 있으며, CSV "
    "형식으로 제공. 원천 데이터 관련 링크 https://github.com/openai/simple-evals "
    'https://openai.com/index/introducing-simpleqa/ 데이터 예시 { "metadata": { "topic": '
    '"Science and technology", "answer_type": "Person", "urls": '
    '["https://en.wikipedia.org/wiki/IEEE_Frank_Rosenblatt_Award"] } …'
)
# https://huggingface.co/datasets/giantfish-fly/LLMs-First-Task, as quoted by the OTDI catalog.
LLMS_FIRST_TASK = (
    "Super easy task for humans that All SOTA LLM fail to retrieve the correct answer from "
    "context. Including SOTA models: GPT5, Grok4, DeepSeek, Gemini 2.5PRO, Mistral, "
    "Llama4...etc ICML 2025 Long-Context Foundation Models Workshop "
    "Accepted.(https://arxiv.org/abs/2506.08184) Update: This dataset is integrated into "
    "Moonshot AI(Kimi)'s internal benchmarking framework for assessing ** tracking capacity and "
    "context interference in LLM/agents**. Update:Sept.6-mergerd into Moonshot/Kimi AI's …"
)


@pytest.fixture(scope="module")
def index(project_catalog):
    return open_index(project_catalog)


def test_file_names_in_a_readme_are_not_source_sites(index):
    text = case_text("tuning-2", "common-pile-readme-pubmedcentral")
    assert "run.sh" in text.casefold()
    offer = offer_from_text(text)
    assert offer.source_domains == [] and offer.hosts() == []
    offer = offer_from_text("Scraped from bun.sh/docs and https://bun.sh/blog; see setup.py.")
    assert offer.source_domains == ["bun.sh"]


@pytest.mark.parametrize(
    ("name", "case_id", "words", "source"),
    [
        ("tuning-2", "hf-phbjt-mls-annotated", "annotations of", "multilingual-librispeech"),
        (
            "tuning",
            "hf-siddharthl1293-engineering-design-facts",
            "manually constructed",
            "uspto-patent-full-text",
        ),
    ],
)
def test_annotations_over_commons_text_are_related_data_not_the_same(
    index, name, case_id, words, source
):
    result = check_text(index, case_text(name, case_id))
    verdict = result["verdict"]
    assert result["matches"][0]["id"] == source
    assert words in [w.casefold() for w in verdict["signals"]["derived"]]
    assert verdict["level"] == "medium"
    assert "new content made from it" in verdict["sentence"]


def test_a_name_read_only_inside_a_link_names_no_source(index):
    result = check_text(index, KO_SIMPLE_QA)
    wikipedia = [m for m in result["matches"] if m["id"] == "wikipedia"]
    assert result["verdict"]["level"] in ("none", "low")
    assert not wikipedia or "named" not in wikipedia[0]["components"]
    # Written in the prose, the same name does count.
    named = check_text(
        index, "Question-answer pairs about Wikipedia articles, translated to Korean"
    )
    assert named["matches"][0]["id"] == "wikipedia"


def test_a_link_to_the_paper_is_not_the_data_source(index):
    offer = offer_from_text(LLMS_FIRST_TASK)
    assert "arxiv.org" not in offer.hosts()
    result = check_text(index, LLMS_FIRST_TASK)
    assert result["verdict"]["level"] in ("none", "low")
    assert all(not m["components"]["sources"]["score"] for m in result["matches"])


# r-three/common-pile, sources/cccc/README.md (MIT, "Copyright (c) 2023 r-three"), two
# sentences as the evaluation's second set quotes them.
CCCC_README = (
    "Dolma CCCC This readme documents how create the Dolma CCCC dataset. We use the Dolma Toolkit "
    "to fetch and linearize WARC files from Common Crawl, as well as to filter by license, "
    "language, and quality. Full documentation for the Dolma Toolkit can be found at "
    "github.com/allenai/dolma/docs."
)


def test_a_repository_address_is_where_the_code_is_not_the_content_source(index):
    offer = offer_from_text(CCCC_README)
    assert "github.com" not in offer.source_domains
    result = check_text(index, CCCC_README)
    top = [m["id"] for m in result["matches"][:3]]
    assert "gh-archive" not in top and "common-pile-github-archive" not in top
    assert "common-pile-cccc" in top


def test_a_readme_about_code_that_collects_text_still_matches_the_text(index):
    """A Common Pile source README talks about its scripts, so its words read as code; the PEPs
    it collects are text, and a text corpus is a neighbour of code, not another kind of data."""
    text = case_text("tuning-2", "common-pile-readme-pep")
    result = check_text(index, text)
    assert result["query"]["modality"] is None  # read from the words, not declared
    first = result["matches"][0]
    assert first["id"] == "python-peps" and first["level"] == "high"
    assert first["components"]["agreement"]["modality"] == 0.5


def test_a_name_used_for_a_file_format_or_toolkit_names_no_data(index):
    """The Common Pile's READMEs convert every source to "dolma files" with the Dolma Toolkit:
    the format and the software share the Dolma corpus's name, not its data."""
    text = case_text("tuning-2", "common-pile-readme-wiki")
    assert "dolma files" in text
    result = check_text(index, text)
    dolma = [m for m in result["matches"] if m["id"] == "dolma"]
    assert not dolma or "named" not in dolma[0]["components"]
    assert "common-pile-v0-1" in [m["id"] for m in result["matches"][:3]]
    assert "dolma" in index.names.named_in("A filtered slice of the Dolma corpus, in English")
    assert "dolma" not in index.names.named_in(
        "Converted to the Dolma format; see the Dolma Toolkit"
    )


# https://huggingface.co/datasets/tomekkorbak/pile-detoxify, as quoted by the OTDI catalog.
PILE_DETOXIFY = (
    "Dataset Card for pile-pii-scrubadub Dataset Summary This dataset contains text from The "
    "Pile, annotated based on the toxicity of each sentence. Each document (row in the dataset) "
    "is segmented into sentences, and each sentence is given a score: the toxicity predicted by "
    "the Detoxify. Supported Tasks and Leaderboards [More Information Needed] Languages This "
    "dataset is taken from The Pile, which is English text. Dataset Structure Data …"
)


def test_a_name_of_common_words_names_the_dataset_when_written_as_a_name(index):
    result = check_text(index, PILE_DETOXIFY)
    first = result["matches"][0]
    assert first["id"] == "the-pile" and first["components"]["named"] == "The Pile"
    assert index.names.named_in("Filtered from The Stack v2 and the Common Pile") == {
        "common-pile-v0-1": "Common Pile",
        "the-stack-v1": "The Stack",
        "the-stack-v2": "The Stack",
    }
    assert index.names.named_in("Notes on the pile of papers at the top of the stack") == {}


# https://huggingface.co/datasets/Juicesyo/WutheringWaves-Encore-voice-en, as quoted by OTDI.
VOICE_TERMS = (
    "This dataset is for non-commercial use only. All rights reserved by Guangzhou Kuluo "
    "Technology Co., Ltd."
)
# https://huggingface.co/datasets/hkust-nlp/vrt-baseline, as quoted by the OTDI catalog.
VRT_BASELINE = (
    "[!NOTE] This dataset is the VRT baseline dataset used to train baseline models *-VRT in "
    "Table 2 of the paper. Another ablation baseline to DART is vanilla rejection tuning (VRT), "
    "where we synthesize a dataset of the same size of 0.59M examples with DeepSeekMath-7B-RL, "
    "using vanilla rejection sampling as described in §2.1. 🎯 DART-Math: Difficulty-Aware "
    "Rejection Tuning for Mathematical Problem-Solving 📝 Paper@arXiv | 🤗 Datasets&Models@HF | "
    "🐱 Code@GitHub 🐦 …"
)


def test_the_same_licence_terms_are_not_the_same_data(index):
    """The PMC Open Access non-commercial subset is described by its licence; a voice dataset
    under a non-commercial licence shares those words and nothing else."""
    result = check_text(index, VOICE_TERMS)
    assert result["verdict"]["level"] in ("none", "low")
    assert all(m["level"] in ("none", "low") for m in result["matches"])


def test_where_the_paper_is_names_no_source_and_synthesised_data_is_new(index):
    result = check_text(index, VRT_BASELINE)
    assert "we synthesize" in result["verdict"]["signals"]["derived"]
    assert all(not m["components"]["sources"]["score"] for m in result["matches"])
    assert result["verdict"]["level"] in ("none", "low")


# https://huggingface.co/datasets/varox34/telugu-dataset, as quoted by the OTDI catalog.
UNIVERSAL_DEPENDENCIES = (
    "Universal Dependencies is a project that seeks to develop cross-linguistically consistent "
    "treebank annotation for many languages, with the goal of facilitating multilingual parser "
    "development, cross-lingual learning, and parsing research from a language typology "
    "perspective. The annotation scheme is based on (universal) Stanford dependencies (de "
    "Marneffe et al., 2006, 2008, 2014), Google universal part-of-speech tags (Petrov et al., "
    "2012), and the Interset interlingua for morphosyntactic tagsets (Zeman, 2008)."
)


def test_part_of_speech_tags_are_grammar_not_audio():
    """'Speech' in 'part-of-speech' names a grammatical tag: a treebank is text, and a text
    corpus with POS tags must not lose its text entries to a modality disagreement."""
    from registry.overlap.kind import modality_of

    tagged_novels = (
        "A corpus of English novels and short stories, each sentence tagged by hand with "
        "parts of speech and lemmas."
    )
    assert modality_of(UNIVERSAL_DEPENDENCIES) == "text"
    assert modality_of(tagged_novels) == "text"
    assert modality_of("Recordings of read speech with speaker ids.") == "audio"
