"""The evidence of one match, each piece in [0, 1], and how the pieces combine.

Text strength is on the scale of the entry's tier: curated entries are compared with the
weights they were calibrated with, imported records (short uploader-written cards, compared
among themselves: text_tiers.py) on their own scale, and a match that rests only on an imported
record's own words stays below "high" (DECLARED_CAP).
"""

from __future__ import annotations

import numpy as np

from registry.overlap.offer import Offer

TEXT_FLOOR, TEXT_FULL = 0.04, 0.40
# Imported records are short uploader-written cards compared among themselves: a description
# meets its own card at cosine 0.67 or more (10th percentile, tuning and watched cases whose card
# was imported), and a typical description's closest other card is at 0.14 (median). Below that
# a card says nothing; at the full point it is as close as a copy of the description.
DECLARED_TEXT = (0.14, 0.67)

# "named": your description names the dataset ("the Danish part of Europarl", names.py).
WEIGHTS = {"text": 0.85, "provenance": 0.9, "content": 1.0, "language": 1.0, "named": 0.6}

# (offer, entry) modalities that may hold the same data: text in tables, images of the earth,
# and posts or documents about code (a description full of code words), which text corpora
# such as a Q&A site's dump hold.
NEAR = {("text", "tabular"), ("text", "geospatial"), ("image", "geospatial"), ("code", "text")}

# An imported record (an open catalog's record, as its uploader declared it) supported only by
# its own name and description stays below "high" (verdict.HIGH is 0.6): short uploader-written
# cards share templates and generic words with unrelated data, and nobody checked them.
DECLARED_CAP = 0.59
DECLARED_SUPPORT = 0.3


def text_strength(cosine: float, origin: str = "curated") -> float:
    """Description evidence from a cosine, on the scale of the entry's tier (text_tiers.py)."""
    floor, full = (TEXT_FLOOR, TEXT_FULL) if origin == "curated" else DECLARED_TEXT
    return float(np.clip((cosine - floor) / (full - floor), 0.0, 1.0))


def agreement(offer: Offer, entry, modality: str | None, languages=()) -> dict | None:
    """Share of the declared (or, for the modality, read) facets that agree; None when there are
    none to compare."""
    parts: dict[str, float] = {}
    if modality:
        parts["modality"] = (
            1.0
            if modality == entry.modality
            else 0.5
            if "multimodal" in (modality, entry.modality) or (modality, entry.modality) in NEAR
            else 0.0
        )
    if languages and entry.languages:
        mine, theirs = (
            {tag.split("-")[0] for tag in languages},
            {tag.split("-")[0] for tag in entry.languages},
        )
        parts["languages"] = 1.0 if mine & theirs or "mul" in theirs or "mul" in mine else 0.0
    if offer.domains and entry.domains:
        mine, theirs = set(offer.domains), set(entry.domains)
        parts["domains"] = len(mine & theirs) / min(len(mine), len(theirs))
    if not parts:
        return None
    return {
        "score": round(sum(parts.values()) / len(parts), 3),
        **{k: round(x, 3) for k, x in parts.items()},
    }


def document_share_strength(share: float) -> float:
    """Evidence from the share of a sample's documents inside an entry's content: half or more
    is high (most of the data), a tenth or more medium (part of it), less is low."""
    if share >= 0.5:
        return min(1.0, 0.6 + (share - 0.5) * 0.8)
    if share >= 0.1:
        return 0.4 + (share - 0.1) * 0.5
    return share * 4


def noisy_or(values: dict[str, float]) -> float:
    remaining = 1.0
    for name, value in values.items():
        remaining *= 1.0 - WEIGHTS[name] * value
    return 1.0 - remaining


def checked_evidence(components: dict) -> bool:
    """Evidence beyond a record's own words: a shared source site, a lineage link or content."""
    return max(
        components["sources"]["score"], components["lineage"]["score"]
    ) >= DECLARED_SUPPORT or bool(components["content"])
