"""The verdict: one plain sentence a non-expert can act on, its meaning, the next step, and what
the check cannot see.

Each level has a written meaning and a next step (LEVELS), shown by the CLI and the web form
alike. When the seller's own words say the data is theirs ("proprietary", "our own",
"unpublished") or new content made from commons data ("generated using GPT", "annotated by"),
the same subject in the commons is related data a buyer could use instead, not the same data:
the level is then at most "medium" and the sentence says so, unless a --sample content
check finds the data inside an entry. A description saying its data consists of new content
("consisting of 30,147 questions", made.py) counts so for a "high" top match, unless the evidence
of sameness is about that content. A match that rests only on the name and description of an
imported record (score.py, DECLARED_CAP) is at most "medium", and the sentence says why.

"High" tells a seller their data is already free, so it needs positive evidence of sameness
(sameness.py): the description says the data is the matched source's content, or a content check
finds it there. A close match without that evidence is "medium", and the sentence says the
description does not say the data is the entry's content.
"""

from __future__ import annotations

HIGH, MEDIUM, LOW = 0.6, 0.4, 0.2

LEVELS = {
    "high": {
        "meaning": "Your data, or most of it, is very likely already in the commons.",
        "next_step": "Name what your data adds that the commons copy lacks (recency, "
        "annotations, rights cleared, quality checks) before you price it: a buyer can "
        "compare it with the free copy.",
    },
    "medium": {
        "meaning": "Part of your data, or data a buyer could use instead, is in the commons.",
        "next_step": "Open the matched datasets and say which parts of yours are not in them; "
        "run commons overlap --sample on your own files to measure how much of your content "
        "they contain (your files are read on your machine).",
    },
    "low": {
        "meaning": "The commons has data on a similar subject or from a similar source, "
        "not the same data.",
        "next_step": "Mention the closest datasets to buyers as context; commons overlap "
        "--sample on your own files can confirm that your content is not in them.",
    },
    "none": {
        "meaning": "Nothing in the catalog covers what you describe.",
        "next_step": "Say so to buyers: no catalogued commons dataset covers it (the catalog "
        "is not the whole commons, so keep the description of your sources precise).",
    },
}

CATEGORY_WORDS = {
    "commons-by-default": (
        "is in the commons by default: anyone may already train on it, commercially too"
    ),
    "open-use-restricted": (
        "is openly available, but with conditions (for example non-commercial or share-alike)"
    ),
    "not-commons": "exists but is not free to use for AI training without permission",
    "undetermined": "is catalogued, but its terms have not been classified yet",
}


def level(score: float) -> str:
    if score >= HIGH:
        return "high"
    if score >= MEDIUM:
        return "medium"
    if score >= LOW:
        return "low"
    return "none"


def verdict(
    matches: list[dict],
    used_content: bool,
    declared_sources: bool,
    entries: int,
    signals: dict | None = None,
    same: str | None = None,
) -> dict:
    """The overall judgement from the strongest match, in words, with its next step. `same` says
    why the top match is the same data (sameness.py); without it "high" becomes "medium"."""
    signals = signals or {"own": [], "derived": []}
    top = matches[0] if matches else None
    found = level(top["score"]) if top else "none"
    # Content evidence outweighs words: a sample found inside an entry is that entry's data.
    contained = bool(top) and ((top["components"].get("content") or {}).get("score", 0) >= HIGH)
    related = bool(signals["own"] or signals["derived"]) and found == "high" and not contained
    if related:
        found = "medium"
    unproven = found == "high" and not contained and not same
    if unproven:
        found = "medium"
    if found == "none":
        sentence = (
            f"No redundancy found: none of the {entries:,} datasets in the commons catalog "
            "looks like yours."
        )
    elif not contained and (
        related or (found == "medium" and (signals["own"] or signals["derived"]))
    ):
        sentence = _related_sentence(top["entry"], signals)
    elif unproven:
        sentence = _unproven_sentence(top["entry"])
    else:
        sentence = _sentence(found, matches)
    if found == "high" and same and not contained:
        sentence += f" It reads as the same data because {same}."
    return {
        "level": found,
        "sentence": sentence,
        **LEVELS[found],
        "signals": signals,
        "same_data": same if found == "high" else None,
        "caveats": caveats(used_content, declared_sources),
    }


def _sentence(found: str, matches: list[dict]) -> str:
    entry = matches[0]["entry"]
    how = CATEGORY_WORDS.get(entry.category, CATEGORY_WORDS["undetermined"])
    strength = {"high": "High", "medium": "Medium", "low": "Low"}[found]
    likely = {
        "high": "very likely already covers",
        "medium": "may cover part of",
        "low": "only loosely resembles",
    }[found]
    sentence = f"{strength} redundancy: '{entry.name}' {likely} what you describe, and it {how}."
    commons = [
        m
        for m in matches
        if m["entry"].category == "commons-by-default" and level(m["score"]) in ("high", "medium")
    ]
    if found in ("high", "medium") and entry.category != "commons-by-default" and commons:
        sentence += (
            f" '{commons[0]['entry'].name}', which is in the commons by default, also overlaps."
        )
    if found == "high" and entry.category == "commons-by-default":
        sentence += " A buyer could get this data for free, so it adds little unique value."
    if matches[0]["components"].get("declared_only"):
        sentence += (
            f" Only the words of '{entry.name}' support this: it is an imported record, described"
            " by its uploader and not checked by the registry, so the check says no more than"
            " medium without a shared source or content."
        )
    return sentence


def _related_sentence(entry, signals: dict) -> str:
    """The commons holds related data, but the seller's words say theirs is not a copy of it."""
    how = CATEGORY_WORDS.get(entry.category, CATEGORY_WORDS["undetermined"])
    if signals["own"]:
        why = f"your description says the data is your own ({_quoted(signals['own'])})"
    else:
        why = (
            f"your description says it is new content made from it ({_quoted(signals['derived'])})"
        )
    return (
        f"Related data in the commons: '{entry.name}' covers the same kind of data and it {how}. "
        f"It is not the same data ({why}), but it is data a buyer could use instead."
    )


def _unproven_sentence(entry) -> str:
    """The match is close, but nothing in the description says the data is the entry's content."""
    how = CATEGORY_WORDS.get(entry.category, CATEGORY_WORDS["undetermined"])
    return (
        f"Related data in the commons: '{entry.name}' matches what you describe closely and it "
        f"{how}. Your description does not say your data is its content (a copy, a part, or a "
        "filtered or processed version of it), so it is data a buyer could use instead; if your "
        "data is taken from it, it is already free."
    )


def _quoted(words: list[str]) -> str:
    return ", ".join(f"'{w}'" for w in words[:3])


def caveats(used_content: bool, declared_sources: bool) -> list[str]:
    """What the verdict cannot see, said next to it."""
    found = [
        "This compares descriptions and declared sources with the catalog's entries, not your "
        "actual files"
        + (
            "."
            if used_content
            else ": commons overlap --sample on your own files compares content where an entry "
            "publishes a fingerprint."
        ),
        "Scores are similarity estimates, not legal advice: read each entry's licence and "
        "rights notes.",
        "Datasets missing from the catalog cannot be matched; a low score does not prove your "
        "data is unique.",
    ]
    if not declared_sources:
        found.insert(
            1,
            "You named no source web sites; listing them (e.g. en.wikipedia.org) makes source "
            "matching possible.",
        )
    if used_content:
        found.insert(
            1,
            "Content overlap is an estimate from MinHash sketches: it sees shared passages of "
            "five or more words, not paraphrases, and small samples set against very large "
            "datasets are at the edge of what it can measure.",
        )
    return found
