"""A copy passes its match on to the curated entry it says it was made from.

An imported record whose own name or summary says its data is a curated entry's content ("a
Korean subset of LAION-2B", "a cleaned dump of Russian Wikipedia") describes that entry's data
in an uploader's words. When such a record matches an offer, the offer is, on that record's
word, data the curated entry holds: the curated entry is named too, with its licence, and does
not fall below the copies and the same uploader's other records. Resting on an uploader's words,
what is passed on stays below "high" (evidence.DECLARED_CAP): it names the source, it does not
by itself say the offer is the source's data.
"""

from __future__ import annotations

from registry.overlap.evidence import DECLARED_CAP
from registry.overlap.kind import without_links
from registry.overlap.sameness import says_same

# A copy scored below "low" (verdict.LOW) is too weak to speak for its source. Above it, the
# source inherits the copy's score (below "high") and ranks first on it: the user asked what
# data the commons holds, and the source is that data.
SOURCE_MIN = 0.2
# Only the strongest matches are read for a source: those that could push it out of the top.
COPIES_READ = 10
RELATION = "is the source, by its own description, of"


def passed_to_sources(index, matches: list[dict]) -> dict[str, tuple[float, list[dict]]]:
    """{curated entry id: (inherited score, the step)} from the imported records among the
    strongest `matches` whose name or summary says their data is that entry's content; the
    strongest copy speaks for each source."""
    found: dict[str, tuple[float, list[dict]]] = {}
    for match in matches[:COPIES_READ]:
        copy = match["entry"]
        if copy.origin == "curated" or match["score"] < SOURCE_MIN:
            continue
        words = without_links(f"{copy.name}. {copy.summary or ''}")
        for source, name in sorted(index.curated_names.named_in(words).items()):
            row = index.position.get(source)
            if row is None or source == copy.id or index.entries.origins[row] != "curated":
                continue
            said = says_same(words, [name])
            if not said:
                continue
            inherited = round(min(match["score"], DECLARED_CAP), 3)
            if inherited > found.get(source, (0.0, []))[0]:
                step = {
                    "id": copy.id,
                    "relation": RELATION,
                    "match": match["score"],
                    "says": said,
                }
                found[source] = (inherited, [step])
    return found
