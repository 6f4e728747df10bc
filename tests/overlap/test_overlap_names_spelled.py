"""Seventh round of the overlap rules (issue 17). A source's name written as one word or as a
repository id ("CommonCrawl", "code-search-net") names it as the spaced name does
(registry/overlap/names.py, SPELLED); the article, date or language between a word of origin and
the name ("a cleaned dump of the June 2020 Romanian Wikipedia") does not hide the word of origin,
and "a variant of" or "gathered from the ... category of" say the data is the source's content
(registry/overlap/sameness.py). Real cards from the spent held-out files (tests/eval/overlap/,
README.md there for their sources and licences); each assertion fails without its rule."""

from __future__ import annotations

from real_texts import case_text

from registry.overlap.kind import without_links
from registry.overlap.names import NameIndex
from registry.overlap.sameness import says_same

NAMES = NameIndex(
    {
        "common-crawl": "Common Crawl",
        "codesearchnet-one-word": "CodeSearchNet",
        "mozilla-common-voice": "Mozilla Common Voice",
    }
)


def test_a_name_written_as_one_word_names_the_entry():
    # held-out-4 hf-datajuicer-redpajama-cc-2020-05-refined-by-data-juicer: "A refined version
    # of CommonCrawl-2020-05 dataset in RedPajama"
    text = case_text("held-out-4", "hf-datajuicer-redpajama-cc-2020-05-refined-by-data-juicer")
    assert NAMES.named_in(without_links(text)) == {"common-crawl": "CommonCrawl"}
    assert says_same(text, ["CommonCrawl"]).startswith("A refined version of CommonCrawl")
    # held-out-3 hf-gair-prox-open-web-math-pro: "abide by the CommonCrawl ToU: https://..." is
    # the label of a link to the terms of use, blanked with the link (kind.without_links)
    text = case_text("held-out-3", "hf-gair-prox-open-web-math-pro")
    assert NAMES.named_in(text) == {"common-crawl": "CommonCrawl"}
    assert NAMES.named_in(without_links(text)) == {}


def test_a_repository_id_spells_a_one_word_name():
    # held-out-8 hf-nan-do-code-search-net-python: "The code-search-net dataset includes"
    text = case_text("held-out-8", "hf-nan-do-code-search-net-python")
    assert NAMES.named_in(text)["codesearchnet-one-word"] == "code-search-net"
    # a repository id followed by a tool word names the tool, as a spaced name does
    assert NAMES.named_in("run the code-search-net scripts") == {}
    # short words joined name nothing: "thepile" is no name of "The Pile" (MIN_JOINED)
    assert NameIndex({"the-pile": "The Pile"}).named_in("thepile") == {}


def test_an_edition_between_the_word_of_origin_and_the_name_is_read_past():
    # held-out-8 hf-openllm-ro-ro-wiki: "RoWiki is cleaned dump of the June 2020 Romanian Wikipedia"
    text = case_text("held-out-8", "hf-openllm-ro-ro-wiki")
    assert "dump of the June 2020 Romanian Wikipedia" in says_same(text, ["Wikipedia"])
    # new content written about an edition is still not its content
    assert says_same("questions about the June 2020 Romanian Wikipedia", ["Wikipedia"]) is None
    assert says_same("a model evaluated on the 2020 Romanian Wikipedia", ["Wikipedia"]) is None


def test_a_variant_or_a_category_of_the_source_is_its_content():
    # held-out-7 hf-distil-whisper-common-voice-13-0: "a variant of the Common Voice 13 dataset"
    # (its title names "Common Voice 13" already: the sentence alone)
    text = case_text("held-out-7", "hf-distil-whisper-common-voice-13-0")
    sentence = text[text.index("This is a variant") :]
    assert "variant of the Common Voice" in says_same(sentence, ["Common Voice"])
    # tuning hf-galahallt-panitikan-34: "gathered from the Tagalog books category of Project
    # Gutenberg"
    found = says_same(case_text("tuning", "hf-galahallt-panitikan-34"), ["Project Gutenberg"])
    assert found and "category of Project Gutenberg" in found
