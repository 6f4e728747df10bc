"""informative.word_weight for the words of a whole catalog, without wordfreq's tokenizer per word.

A cold build weighs about 100,000 distinct words; `wordfreq.zipf_frequency` tokenizes each one
with a Unicode regex first, which is most of its cost. A word of lowercase ASCII letters is one
token of itself (wordfreq's tokenizer keeps it whole, and there are no digits to smash), so its
frequency is the English list's entry, rounded as wordfreq rounds it. Every other word goes
through `word_weight` itself. The tests hold the two equal on the real catalog's words.
"""

from __future__ import annotations

import math
import re
from functools import cache

from wordfreq import freq_to_zipf, get_frequency_dict, zipf_to_freq

from registry.overlap.informative import FLOOR, RARE, SPAN, word_weight
from registry.overlap.text import memoised

LETTERS = re.compile(r"[a-z]+")
MINIMUM = zipf_to_freq(0.0)  # zipf_frequency's default minimum, as a frequency
MEMO_LIMIT = 500_000
_memo: dict[str, float] = {}


@cache
def _english() -> dict[str, float]:
    return get_frequency_dict("en", "best")


def _rounded(freq: float) -> float:
    """wordfreq's word_frequency rounding: three significant digits."""
    return round(freq, math.floor(-math.log(freq, 10)) + 3)


def _letters_weight(word: str) -> float:
    zipf = round(freq_to_zipf(_rounded(max(_english().get(word, 0.0), MINIMUM))), 2)
    return max(FLOOR, min(1.0, 1.0 - (zipf - RARE) / SPAN))


def _computed_weight(word: str) -> float:
    return _letters_weight(word) if LETTERS.fullmatch(word) else word_weight(word)


def fast_word_weight(word: str) -> float:
    """word_weight(word), remembered per process."""
    weight = _memo.get(word)
    if weight is None:
        if len(_memo) > MEMO_LIMIT:
            _memo.clear()
        weight = _memo[word] = _computed_weight(word)
    return weight


def fast_word_weights(words: list[str]) -> list[float]:
    """fast_word_weight of each word, looked up in one pass: an entry's words are mostly
    remembered already, and one call per word cost more than the lookups."""
    return memoised(words, _memo, _computed_weight, MEMO_LIMIT)
