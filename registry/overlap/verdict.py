"""The verdict: one plain sentence a non-expert can act on, and what the check cannot see."""

from __future__ import annotations

HIGH, MEDIUM, LOW = 0.6, 0.4, 0.2

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


def verdict(matches: list[dict], used_content: bool, declared_sources: bool, entries: int) -> dict:
    """The overall judgement from the strongest match, in words, with its caveats."""
    top = matches[0] if matches else None
    found = level(top["score"]) if top else "none"
    if found == "none":
        sentence = (
            f"No redundancy found: none of the {entries:,} datasets in the commons catalog "
            "looks like yours. "
            "That is a good sign, but the catalog is not the whole commons."
        )
    else:
        entry = top["entry"]
        how = CATEGORY_WORDS.get(entry.category, CATEGORY_WORDS["undetermined"])
        strength = {
            "high": "High redundancy",
            "medium": "Medium redundancy",
            "low": "Low redundancy",
        }[found]
        likely = {
            "high": "very likely already covers",
            "medium": "may cover part of",
            "low": "only loosely resembles",
        }[found]
        sentence = f"{strength}: '{entry.name}' {likely} what you describe, and it {how}."
        commons = [
            m
            for m in matches
            if m["entry"].category == "commons-by-default"
            and level(m["score"]) in ("high", "medium")
        ]
        if found in ("high", "medium") and entry.category != "commons-by-default" and commons:
            sentence += (
                f" '{commons[0]['entry'].name}', which is in the commons by default, also overlaps."
            )
        if found == "high" and entry.category == "commons-by-default":
            sentence += " A buyer could get this data for free, so it adds little unique value."
    return {
        "level": found,
        "sentence": sentence,
        "caveats": caveats(used_content, declared_sources),
    }


def caveats(used_content: bool, declared_sources: bool) -> list[str]:
    """What the verdict cannot see, said next to it."""
    found = [
        "This compares descriptions and declared sources with the catalog's entries, not your "
        "actual files"
        + (
            "."
            if used_content
            else ": give --sample files to compare content where an entry publishes a fingerprint."
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
