"""Evidence of sameness needs the data's kind of content to be the source's own: a word of origin
alone ("derived from", "sourced from a range of", "on arXiv") after a noun that is not the
source's content says where new content was made from, and a name qualifying new content
("Wikipedia article ratings") names ratings, not articles (registry/overlap/sameness.py). What
the data consists of is read for more kinds of new content: instruction pairs, math problems,
machine translations by a model (made.py, kind.DERIVED). Real cards from the spent held-out files
and the watched file (tests/eval/overlap/, README.md there for their sources and licences); each
assertion fails without its rule."""

from __future__ import annotations

from real_texts import case_text

from registry.overlap.kind import derived_signals, without_links
from registry.overlap.made import new_content
from registry.overlap.sameness import says_same


def test_a_name_qualifying_new_content_is_not_its_content():
    # held-out-7 hf-wikimedia-community-wikipedia-article-ratings: the ratings are the data
    text = case_text("held-out-7", "hf-wikimedia-community-wikipedia-article-ratings")
    assert says_same(without_links(text), ["Wikipedia"]) is None
    assert says_same("A subset of English Wikipedia article texts", ["Wikipedia"])


def test_a_word_of_origin_needs_a_noun_of_the_source_content_before_it():
    # held-out-7 hf-xinli1997-wirelessmathbench-xl: math problems "derived from" arXiv preprints
    text = case_text("held-out-7", "hf-xinli1997-wirelessmathbench-xl")
    assert says_same(without_links(text), ["arXiv"]) is None
    # held-out-7 hf-facebook-panda: snippets "sourced from a range of text corpora (..., Wikipedia"
    text = case_text("held-out-7", "hf-facebook-panda")
    assert says_same(without_links(text), ["Wikipedia"]) is None
    # held-out-7 hf-alonj-flenqa: "our pre-print on arxiv" says where the paper is
    text = case_text("held-out-7", "hf-alonj-flenqa")
    assert says_same(without_links(text), ["arXiv"]) is None


def test_the_source_content_before_a_word_of_origin_still_says_sameness():
    # watched arxiv-papers: "preprints from arXiv" are arXiv's own content
    assert says_same(case_text("watched", "arxiv-papers"), ["arXiv"]) == (
        "computer science preprints from arXiv , 1995"
    )
    assert says_same("Text derived from English Wikipedia", ["Wikipedia"])
    assert says_same("A dataset based on Wikipedia", ["Wikipedia"])


def test_what_the_data_consists_of_reads_more_kinds_of_new_content():
    # held-out-7 hf-tiger-lab-fineweb-instruct and hf-xinli1997-wirelessmathbench-xl
    text = case_text("held-out-7", "hf-tiger-lab-fineweb-instruct")
    assert "dataset contains roughly 16M instruction pairs" in new_content(text)
    text = case_text("held-out-7", "hf-xinli1997-wirelessmathbench-xl")
    assert any("math problems" in words for words in new_content(text))


def test_a_translation_made_by_a_model_is_new_content():
    # held-out-7 hf-techkid673-tamil-wikipedia-articles-on-computing
    text = case_text("held-out-7", "hf-techkid673-tamil-wikipedia-articles-on-computing")
    found = derived_signals(text)
    assert "synthetically generated" in found
    assert "derived by translating" in found
