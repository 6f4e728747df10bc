"""How informative a word is in general language, from `wordfreq`'s word frequencies.

The catalog's own IDF says which words are rare among its ~150 descriptions, but a word can be
rare there and common everywhere else ("review", "photo", "council", "transcribed"): a seller
using it says little about which data they hold. Each term's IDF is scaled by this weight, so
"Gutenberg" or "PubMed" decide a match and "review" does not.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

# Zipf frequency (log10 of occurrences per billion words): at or below RARE a word names
# something specific (weight 1); each step above lowers the weight, down to FLOOR.
RARE = 3.5
SPAN = 2.5
FLOOR = 0.15
# Concept tokens (concepts.py) stand for a kind of content: worth a moderately common word.
CONCEPT_WEIGHT = 0.6


@lru_cache(maxsize=200_000)
def word_weight(word: str) -> float:
    """1 for a rare word, down to FLOOR for the commonest; words not in the lists count as rare."""
    zipf = zipf_frequency(word, "en")
    return max(FLOOR, min(1.0, 1.0 - (zipf - RARE) / SPAN))


def term_weight(term: str) -> float:
    """A TF-IDF term (text.terms): a word, two words, or a §concept."""
    if term.startswith("§"):
        return CONCEPT_WEIGHT
    return max(word_weight(w) for w in term.split(" "))
