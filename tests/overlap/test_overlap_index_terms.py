"""The words, terms and weights a build computes once per entry for the overlap check.

- text.words gives what its definition gives: hyphenated runs (hyphens removed) and words merged
  by position, phrases rewritten, stop words, short words and numbers dropped, endings trimmed;
- the pair features computed from an entry's words are those computed from its text;
- the text index's weights (overlap_index.term_weights, word_weights.fast_word_weight) are
  informative.term_weight's, term for term.
Real texts: the curated entries in entries/ (the project's own catalog).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.build.overlap_index import entry_terms, term_weights
from registry.build.word_weights import fast_word_weight
from registry.overlap import text
from registry.overlap.concepts import rewrite
from registry.overlap.index import document
from registry.overlap.informative import term_weight, word_weight
from registry.overlap.pair_features import batch_features, batch_features_of_words

ENTRIES = Path(__file__).resolve().parents[2] / "entries"
SAMPLES = [
    "Court opinions of the United States, out of copyright; Q&A forum dumps.",
    "Open-source software repositories and how-to-guides for e-texts; a--b, -x-, y-, _a-b_ a-_b",
    "Öffentliche Gerichts-Entscheidungen, Straße, ＦＵＬＬＷＩＤＴＨ text, naïve café, ſ-K-İ",
    "public domain books, 10-k filings, 2020-2024 annual reports, GPT-4 pre-trained models",
    "",
    "copyright has expired: Q & A, q&a, remote sensing imagery from Landsat",
]


def reference_words(sample: str) -> list[str]:
    """text.words by its definition: both scans over the rewritten text, merged by position."""
    lowered = rewrite(unicodedata.normalize("NFKC", sample).casefold())
    found = [(m.start(), m.group().replace("-", "")) for m in text.HYPHENATED.finditer(lowered)]
    found += [(m.start(), m.group()) for m in text.WORD.finditer(lowered)]
    found.sort(key=lambda pair: pair[0])
    return [
        text.stem(w)
        for _, w in found
        if w not in text.STOP_WORDS and len(w) > 1 and not w.isdigit()
    ]


def real_documents() -> list[str]:
    from registry.entry.loader import load

    if not any(ENTRIES.glob("*.yaml")):
        pytest.skip("entries/ is empty")
    return [
        document(e.name, e.summary or "", e.description, list(e.domains))
        for e in (item.entry for item in load([ENTRIES]))
    ]


@pytest.mark.parametrize("sample", SAMPLES)
def test_words_are_the_words_of_their_definition(sample):
    assert text.words(sample) == reference_words(sample)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("abcdeqsy &-_.,'0129 \nÉéßİıſK")
            + ["court", "copyright", "out of", "has expired", "how-to", "-of-", "a-b-c"]
        ),
        max_size=40,
    ).map("".join)
)
def test_words_match_their_definition_for_any_text(sample):
    assert text.words(sample) == reference_words(sample)


def test_words_and_weights_of_every_real_entry_are_the_reference_ones():
    documents = real_documents()
    for sample in documents:
        found = text.words(sample)
        assert found == reference_words(sample)
        counted = text.terms_of(found)
        assert counted == text.terms(sample)
        assert term_weights(counted, found) == [term_weight(term) for term in counted]
    words = {word for sample in documents for word in text.words(sample)}
    assert len(words) > 2_000  # letters only, with digits, and other scripts all occur
    assert [fast_word_weight(w) for w in sorted(words)] == [word_weight(w) for w in sorted(words)]


@pytest.mark.parametrize("word", ["the", "data", "zzzzqqqq", "gutenberg", "gpt4", "2024s", "café"])
def test_a_word_weighs_the_same_by_the_fast_path(word):
    assert fast_word_weight(word) == word_weight(word)


def test_features_from_words_are_the_features_from_the_text():
    # batch_features makes each document from its parts (name twice, summary, ...): the words
    # given are those of the same document.
    parts = [(sample, "", None, []) for sample in real_documents()[:40] + SAMPLES]
    from_text = batch_features(parts)
    from_words = batch_features_of_words([text.words(document(*p)) for p in parts])
    for got, want in zip(from_words, from_text, strict=True):
        assert np.array_equal(got.hashes, want.hashes)
        assert np.array_equal(got.signature, want.signature)


def test_entry_terms_count_the_terms_of_the_words():
    found = text.words(SAMPLES[0])
    terms_text, counts, weights, digest = entry_terms(found)
    counted = text.terms(SAMPLES[0])
    assert terms_text.split("\0") == list(counted)
    assert np.frombuffer(counts, dtype="<u4").tolist() == list(counted.values())
    assert np.frombuffer(weights, dtype="<f4").tolist() == [
        float(np.float32(term_weight(t))) for t in counted
    ]
    assert len(digest) == 32
