"""Words sellers and catalog entries use for the same thing.

A seller writes "novels" and "out of copyright"; an entry says "e-texts of
books" and "public domain". Each group below maps such words (already
stemmed, see text.stem) to one concept token that is added next to them on
both sides, so TF-IDF can see the match. The groups describe kinds of
content, not particular datasets; they are data, extend them freely.
"""

from __future__ import annotations

import re
from itertools import pairwise

GROUPS: dict[str, tuple[str, ...]] = {
    "book": ("book", "novel", "ebook", "etext", "fiction", "literary", "poetry", "poem"),
    "public-domain": ("public domain", "publicdomain", "copyrightfree"),
    "caselaw": (
        "opinion",
        "decision",
        "judgment",
        "judgement",
        "ruling",
        "caselaw",
        "case law",
        "court",
    ),
    "law": ("statute", "legislation", "law", "regulation", "directive", "statutory"),
    "paper": ("paper", "preprint", "publication", "scholarly", "academic"),
    "biomedical": ("biomedical", "medical", "medicine", "clinical", "biomedicine"),
    "code": ("code", "source code", "software", "programming", "repository", "repo"),
    "speech": ("speech", "voice", "spoken", "utterance", "asr", "audiobook"),
    "geo": (
        "map",
        "geospatial",
        "gis",
        "geographic",
        "gazetteer",
        "geodata",
        "geoparquet",
        "coordinate",
        "georeferenced",
    ),
    "news": ("newspaper", "news", "journalism", "headline"),
    "image": ("image", "photo", "photograph", "picture", "imagery", "photography"),
    "earth-observation": (
        "satellite",
        "remote sensing",
        "earth observation",
        "multispectral",
        "landsat",
        "sentinel",
    ),
    "parliament": ("parliament", "parliamentary", "debate", "hansard", "legislature"),
    "transcript": ("transcript", "transcription", "subtitle"),
    "q-and-a": ("question", "answer", "forum", "q&a", "qa"),
    "dictionary": (
        "dictionary",
        "lexicon",
        "definition",
        "thesaurus",
        "etymology",
        "pronunciation",
    ),
    "textbook": ("textbook", "courseware", "coursebook", "oer"),
    "art": ("museum", "artwork", "painting", "sculpture", "gallery", "art"),
    "music": ("music", "song", "track", "album", "musical"),
    "filing": ("filing", "10k", "10q", "annual report", "prospectus"),
    "biodiversity": (
        "species",
        "biodiversity",
        "specimen",
        "occurrence",
        "taxonomy",
        "sighting",
        "taxon",
    ),
    "web": ("crawl", "crawled", "web page", "webpage", "website"),
    "translation": ("translation", "parallel", "aligned", "bilingual", "multilingual"),
    "sound": ("sound effect", "sfx", "field recording"),
    "recipe": ("recipe", "cooking", "ingredient", "culinary"),
    "dialogue": ("chat", "conversation", "dialogue", "dialog", "irc"),
}

CONCEPT_OF: dict[str, str] = {word: concept for concept, words in GROUPS.items() for word in words}

# Phrases rewritten before tokenising, so "out of copyright" reads as "public domain"; each after
# a word every match of it holds: a text without that word (most texts) skips the pattern.
PHRASES = [
    (
        "copyright",
        re.compile(
            r"\bout[\s-]+of[\s-]+copyright\b|\bcopyright[\s-]+(?:has[\s-]+|have[\s-]+)?expired\b|\bexpired[\s-]+copyright\b",
            re.IGNORECASE,
        ),
        " public domain ",
    ),
    ("&", re.compile(r"\bq\s*&\s*a\b", re.IGNORECASE), " qa "),
]


def rewrite(text: str) -> str:
    """`text` with each phrase of PHRASES replaced by its concept words."""
    folded = text.casefold()
    for needs, pattern, replacement in PHRASES:
        if needs in folded:
            text = pattern.sub(replacement, text)
    return text


def concepts(words: list[str], pairs: list[str] | None = None) -> list[str]:
    """Concept tokens for stemmed words and adjacent word pairs, in order of appearance; `pairs`
    are the words' adjacent pairs joined by a space, when the caller has them already."""
    if pairs is None:
        pairs = [f"{a} {b}" for a, b in pairwise(words)]
    get = CONCEPT_OF.get
    return ["§" + c for c in (*filter(None, map(get, words)), *filter(None, map(get, pairs)))]
