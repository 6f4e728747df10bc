"""Plain words for entry pages (site and Datasette): the short answer to "can I train on this?",
obligations as things to do, licence names, and overlaps as sentences.

The classifier decides; this module only words its results. Rule ids, SPDX ids
and scores stay on the page as details, never as the answer.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from markupsafe import Markup

# What a user must do, per obligation id the rules give (classifier/rules/*.yaml).
DUTIES = {
    "attribution": "Credit the source: name the dataset and its publisher.",
    "notice": "Keep the licence and copyright notices with any copy you share.",
    "share-alike": "Share adaptations of the data under the same licence.",
    "per-item-licence": "Keep each item's own licence with it: items carry different terms.",
    "select-items": "Use only the items that are openly licensed; leave the others out.",
    "non-commercial": "Do not use it commercially.",
    "accept-terms": "Accept the provider's access terms to download it; they bind your copy.",
    "source": "Offer the source form of what you share, as the licence requires.",
    "invariant-sections": "Keep the licence's invariant sections unchanged.",
    "no-competing-compilation": "Do not publish a compilation that competes with the original.",
}
# The same, in a few words, for the listing pages' column.
SHORT_DUTIES = {
    "attribution": "credit the source",
    "notice": "keep notices",
    "share-alike": "share alike",
    "per-item-licence": "keep each item's licence",
    "select-items": "open items only",
    "non-commercial": "non-commercial only",
    "accept-terms": "accept the access terms",
    "source": "offer the source",
    "invariant-sections": "keep invariant sections",
    "no-competing-compilation": "no competing compilation",
}
# Relation of an overlap row (from the row's entry to its other) seen from the other side.
INVERSE = {
    "included-in": "includes",
    "includes": "included-in",
    "derived-from": "source-of",
    "source-of": "derived-from",
}
RELATION_WORDS = {
    "included-in": "This dataset is part of {other}.",
    "includes": "This dataset contains {other}.",
    "derived-from": "This dataset is derived from {other}.",
    "source-of": "{other} is derived from this dataset.",
    "shares-sources": "This dataset and {other} draw on the same sources.",
    "similar-description": "{other} describes similar data.",
}
_TOKEN = re.compile(r"[A-Za-z0-9.+\-]+")


def headline(c: dict, verification: str | None = None) -> str:
    """The one-line answer: Yes / Yes, if you credit... / Only for non-commercial use / No / We
    don't know yet. A licence only declared by an uploader is said to be theirs, not ours."""
    answer = _answer(c)
    if verification == "declared" and c.get("category") in USABLE:
        return "The uploader says: " + answer[0].lower() + answer[1:]
    return answer


# Categories whose answer is some kind of "yes": only these can rest on an uploader's word.
USABLE = ("commons-by-default", "open-use-restricted")


def _answer(c: dict) -> str:
    category, duties = c.get("category"), set(c.get("obligations") or [])
    if category == "commons-by-default":
        if "share-alike" in duties:
            return "Yes, if you credit the source and share alike"
        if "attribution" in duties:
            return "Yes, if you credit the source"
        return "Yes" if not duties else "Yes, with the conditions below"
    if category == "open-use-restricted":
        if "non-commercial" in duties:
            return "Only for non-commercial use"
        if duties & {"select-items", "per-item-licence"}:
            return "Only item by item"
        if "accept-terms" in duties:
            return "Only as the access terms allow"
        return "Only with restrictions"
    if category == "not-commons":
        return "No"
    return "We don't know yet"


def answer_detail(plain: str | None) -> str | None:
    """The classifier's plain sentence without its short answer ("Yes, anywhere:")."""
    if not plain:
        return None
    lead, sep, rest = plain.partition(": ")
    if sep and len(lead) <= 40 and rest:
        return rest[0].upper() + rest[1:]
    return plain


def duties(c: dict) -> list[str]:
    """What the user must do, as sentences; none for datasets that are not usable anyway."""
    if c.get("category") == "not-commons":
        return []
    found = c.get("obligations") or []
    return [DUTIES.get(o, o.replace("-", " ").capitalize() + ".") for o in found]


def obligations_cell(classification: dict) -> str:
    """What a user must do, in a few words, for the listing's column."""
    category = classification.get("category")
    if category == "not-commons":
        return "Not open for reuse"
    if category == "undetermined":
        return "Not known yet"
    found = classification.get("obligations") or []
    said = "; ".join(SHORT_DUTIES.get(o, o.replace("-", " ")) for o in found)
    return said[:1].upper() + said[1:] if said else "Nothing"


@lru_cache(maxsize=1)
def licence_names() -> dict[str, str]:
    """SPDX and documented LicenseRef ids → their names."""
    from registry.entry.licenses import license_refs

    spdx = json.loads(
        (resources.files("classifier") / "data" / "spdx-licenses.json").read_text(encoding="utf-8")
    )
    names = {key: value["name"] for key, value in spdx["licenses"].items()}
    names.update({key: ref["name"] for key, ref in license_refs().items()})
    return names


def licence_in_words(expression: str | None) -> str:
    """`CC-BY-4.0 OR MIT` → `Creative Commons Attribution 4.0 International or MIT License`."""
    if not expression:
        return "none stated"
    names = licence_names()

    def word(match: re.Match) -> str:
        token = match.group(0)
        if token in ("AND", "OR", "WITH"):
            return token.lower()
        return names.get(token.removesuffix("+"), token)

    return _TOKEN.sub(word, expression)


def overlap_rows(entry_id: str, overlaps: list[dict]) -> list[dict]:
    """One row per related dataset, strongest first, with its relation seen from this entry."""
    best: dict[str, dict] = {}
    for row in overlaps:
        relation = row.get("relation") or "similar-description"
        if row.get("entry_id") != entry_id:
            relation = INVERSE.get(relation, relation)
        other = row["other"]
        if other not in best or (row.get("score") or 0) > (best[other]["score"] or 0):
            best[other] = {
                "other": other,
                "score": row.get("score") or 0,
                "relation": relation,
                "sources": _sources(row.get("evidence")),
            }
    return sorted(best.values(), key=lambda r: (-r["score"], r["other"]))


def relation_sentence(relation: str, other_html: Markup) -> Markup:
    """The relation in words, with `other_html` (a link, escaped unless Markup) in its place."""
    sentence = RELATION_WORDS.get(relation, "{other} covers some of the same data.")
    return Markup(sentence).format(other=other_html)


def _sources(evidence: str | None) -> list[str]:
    try:
        value = json.loads(evidence or "{}")
    except ValueError:
        return []
    sources = value.get("sources") if isinstance(value, dict) else None
    return [str(s) for s in sources] if isinstance(sources, list) else []
