"""Scoring: how much of an offer the commons already holds, entry by entry.

Each match is explained by its components, each in [0, 1]:

- text: TF-IDF cosine of the descriptions, scaled so that a close paraphrase
  reaches 1 (raw cosines of two honest descriptions of the same data rarely
  pass 0.5);
- sources: the same web site or platform (exact host, parent, sibling);
- lineage: the entry includes or derives from an entry matched directly,
  through the catalog's `included_in` / `derived_from` links;
- content: share of your sample's shingles estimated inside the entry's
  published fingerprint (only when both sides have a sketch);
- agreement: modality, languages and domains, when the offer declares them.
  It only scales the evidence; agreement alone never makes a match.

The score is the noisy-OR of the weighted evidence (any one strong signal
suffices, several weak ones add up) times the agreement factor. Sources and
lineage enter as their maximum, not separately: a corpus that lists your site
among its sources and includes the entry for that site is one piece of
evidence, not two. A source match counts a little less for an entry that has
many other sources (a broad corpus) than for one that is mostly your site, so
the closest substitute ranks first.
"""

from __future__ import annotations

import numpy as np

from registry.overlap.copies import passed_to_sources
from registry.overlap.evidence import (
    DECLARED_CAP,
    TEXT_FLOOR,
    agreement,
    checked_evidence,
    noisy_or,
    text_strength,
)
from registry.overlap.hosts import NAMED, NESTED, PROJECT_HOSTS
from registry.overlap.index import CommonsIndex
from registry.overlap.kind import languages_of, linked_hosts, modality_of, without_links
from registry.overlap.offer import Offer
from registry.overlap.sketch import Sketch, compare

# A corpus of exactly the (non-English) language an offer names, with other evidence too, is
# the closest substitute for a language slice ("the Danish part of Europarl").
LANGUAGE_CORPUS = 0.5
LANGUAGE_CORPUS_SUPPORT = 0.3
BREADTH_DISCOUNT = 0.25
LINEAGE_DECAY = 0.8
LINEAGE_MIN = 0.35
LINEAGE_DEPTH = 3
SHARED_SOURCE_DECAY = 0.6
SHARED_SOURCE_MIN = 0.5
SHARED_SOURCE_FROM = 10
SOURCE_CANDIDATES = 200
SHARED_SOURCE_CAP = 50
CANDIDATES = 50
PLATFORM = 0.4
# A source match keeps at least this share when its entry's description matches least.
SOURCE_TEXT_FLOOR = 0.75
# An entry of another modality than the offer's keeps this share of its score.
OTHER_MODALITY = 0.45
# A host only linked to (a URL to the paper's repository) is weaker evidence than a source named.
LINKED = 0.5


def _candidates(
    index: CommonsIndex,
    cosines: np.ndarray,
    sources: dict,
    sample: Sketch | None,
    contained: dict[str, dict] | None = None,
) -> tuple[set[int], dict]:
    """Rows worth scoring (close descriptions, shared sources, shared content), and the content
    comparisons made on the way."""
    if len(cosines) > CANDIDATES:
        candidates = set(np.argpartition(-cosines, CANDIDATES)[:CANDIDATES].tolist())
    else:
        candidates = set(range(len(cosines)))
    candidates = {i for i in candidates if cosines[i] > TEXT_FLOOR}
    source_rows = [index.position[e] for e in sources if e in index.position]
    if len(source_rows) > SOURCE_CANDIDATES:
        # A site many entries draw on (github.com): the closest descriptions among them compete.
        order = sorted(
            source_rows, key=lambda i: (-sources[index.entries.ids[i]][0], -float(cosines[i]), i)
        )
        source_rows = order[:SOURCE_CANDIDATES]
    candidates |= set(source_rows)
    content = {}
    if sample is not None and not sample.empty:
        for entry_id, theirs in index.fingerprints.items():
            found = compare(sample, theirs)
            if found is not None and entry_id in index.position:
                content[entry_id] = found
                candidates.add(index.position[entry_id])
    for entry_id, found in (contained or {}).items():
        if entry_id in index.position and found["containment"] > content.get(entry_id, {}).get(
            "containment", 0.0
        ):
            content[entry_id] = found
            candidates.add(index.position[entry_id])
    return candidates, content


def _match(
    index, offer, modality, row: int, cosine: float, sources, lineage, content, named
) -> dict | None:
    """One entry's match: its score and the evidence behind it, or None below 0.05."""
    entry = index.entries[row]
    components = _components(entry, cosine, sources, lineage, content)
    if entry.id in named:
        components["named"] = named[entry.id]
    languages = offer.languages or languages_of(offer.text)
    evidence = noisy_or(
        {
            "text": components["text"]["score"],
            "provenance": max(components["sources"]["score"], components["lineage"]["score"]),
            "content": (components["content"] or {}).get("score", 0.0),
            "language": _language_corpus(entry, languages, components),
            "named": 1.0 if components.get("named") else 0.0,
        }
    )
    agree = agreement(offer, entry, modality, languages)
    score = evidence * (0.6 + 0.4 * agree["score"]) if agree is not None else evidence
    if agree is not None and agree.get("modality") == 0.0:
        score *= OTHER_MODALITY  # another kind of content: a shared topic, not the same data
    if entry.origin != "curated" and not checked_evidence(components):
        # Only an uploader's own words (name, description) support it: "medium" at most.
        score = min(score, DECLARED_CAP)
        components["declared_only"] = True
    # Content found inside the entry stands on its own, whatever the description says.
    score = max(score, (components["content"] or {}).get("score", 0.0))
    components["agreement"] = agree
    if score < 0.05:
        return None
    return {"entry": entry, "score": round(score, 3), "components": components, "row": row}


def _language_corpus(entry, languages: list[str], components: dict) -> float:
    """LANGUAGE_CORPUS when a curated entry holds only languages the offer names (English aside)
    and its description, sources or lineage also match it (LANGUAGE_CORPUS_SUPPORT); else 0.
    An imported record's declared languages say what one upload holds, not that it is the
    language's corpus."""
    named = {tag.split("-")[0] for tag in languages} - {"en"}
    theirs = {tag.split("-")[0] for tag in entry.languages}
    other = (
        max(
            components["text"]["score"],
            components["sources"]["score"],
            components["lineage"]["score"],
        )
        >= LANGUAGE_CORPUS_SUPPORT
    )
    if named and theirs and theirs <= named and other and entry.origin == "curated":
        components["language"] = {"score": LANGUAGE_CORPUS, "languages": sorted(theirs)}
        return LANGUAGE_CORPUS
    return 0.0


def rank(
    index: CommonsIndex,
    offer: Offer,
    sample: Sketch | None = None,
    top: int = 10,
    contained: dict[str, dict] | None = None,
    exclude: frozenset[str] = frozenset(),
) -> list[dict]:
    """The `top` entries that overlap the offer most, strongest first, each explained.

    `contained` maps entry ids to the share of the sample's documents found in their indexed
    content (`content.containment`), as {"containment": share, ...}. Entries in `exclude` are
    left out as if not catalogued (the evaluation leaves out a case's own listing)."""
    if not index.entries:
        return []
    text = offer.text
    cosines = (
        index.text.query(text) if text.strip() else np.zeros(len(index.entries), dtype=np.float32)
    )
    sources = _closest_first(index, _sources(index, offer), cosines)
    candidates, content = _candidates(index, cosines, sources, sample, contained)
    named = index.names.named_in(without_links(text))
    candidates |= {index.position[e] for e in named}
    candidates -= {index.position[e] for e in exclude if e in index.position}
    direct: dict[str, float] = {}
    for i in candidates:
        entry_id = index.entries.ids[i]
        direct[entry_id] = noisy_or(
            {
                "text": text_strength(float(cosines[i]), index.entries.origins[i]),
                "provenance": sources.get(entry_id, (0.0, []))[0],
                "content": content.get(entry_id, {}).get("containment", 0.0),
                "named": 1.0 if entry_id in named else 0.0,
            }
        )
    lineage = _propagate(index, direct)
    candidates |= {index.position[e] for e in lineage if e in index.position and e not in exclude}
    modality = offer.modality or modality_of(text)
    index.entries.load(candidates)
    found = (
        _match(index, offer, modality, i, float(cosines[i]), sources, lineage, content, named)
        for i in candidates
    )
    matches = sorted((m for m in found if m), key=lambda m: (-m["score"], m["entry"].id))
    matches = _with_sources_of_copies(
        index, offer, modality, matches, cosines, sources, lineage, content, named, exclude
    )
    for match in matches[:top]:
        if match["components"]["text"]["score"] > 0:
            match["components"]["text"]["shared_terms"] = index.text.shared_terms(
                text, match["row"]
            )
    return matches[:top]


def _with_sources_of_copies(
    index, offer, modality, matches, cosines, sources, lineage, content, named, exclude
) -> list[dict]:
    """`matches` with each curated entry a strong imported copy says it was made from raised to
    the share of the copy's score it inherits (copies.passed_to_sources), re-sorted. Its own
    score is kept when higher: what is passed on never makes a "high" by itself."""
    passed = {
        e: found for e, found in passed_to_sources(index, matches).items() if e not in exclude
    }
    if not passed:
        return matches
    by_id = {m["entry"].id: m for m in matches}
    for source, (strength, step) in passed.items():
        match = by_id.get(source)
        if match is None:
            row = index.position[source]
            index.entries.load({row})
            match = _match(
                index, offer, modality, row, float(cosines[row]), sources, lineage, content, named
            )
            if match is None:
                match = {
                    "entry": index.entries[row],
                    "score": 0.0,
                    "components": _components(
                        index.entries[row], float(cosines[row]), sources, lineage, content
                    ),
                    "row": row,
                }
                match["components"]["agreement"] = None
            by_id[source] = match
        if strength > match["components"]["lineage"]["score"]:
            match["components"]["lineage"] = {"score": strength, "via": step}
        match["score"] = max(match["score"], strength)
    # On an equal score a curated entry first: the source before the copy that names it.
    return sorted(
        by_id.values(), key=lambda m: (-m["score"], m["entry"].origin != "curated", m["entry"].id)
    )


def _sources(index: CommonsIndex, offer: Offer) -> dict[str, tuple[float, list[str]]]:
    """Declared or written host names, then site names in the prose (weaker), per entry."""
    declared = offer.hosts()
    linked = set(linked_hosts(offer.text)) - set(offer.source_domains)
    found = _specific(index, index.hosts.lookup([h for h in declared if h not in linked]))
    for host in sorted(linked):
        weight = LINKED * _platform(index, host)
        for entry_id, (strength, _) in _specific(index, index.hosts.lookup([host])).items():
            if strength * weight > found.get(entry_id, (0.0, []))[0]:
                found[entry_id] = (
                    round(strength * weight, 3),
                    [f"your description links to {host}"],
                )
    named = {
        host: name
        for host, name in index.hosts.named_in(without_links(offer.text)).items()
        if host not in declared
    }
    for host, name in named.items():
        for entry_id, (strength, _) in _specific(index, index.hosts.lookup([host])).items():
            strength *= NAMED * _platform(index, host)
            if strength > found.get(entry_id, (0.0, []))[0]:
                found[entry_id] = (strength, [f"your description names '{name}' ({host})"])
    return found


def _closest_first(index: CommonsIndex, sources: dict, cosines: np.ndarray) -> dict:
    """Among entries matched through a source, the closest descriptions keep the most of it:
    a site many entries draw on (arxiv.org) says which source, the words say which dataset."""
    if not sources:
        return sources
    text = {
        e: text_strength(
            float(cosines[index.position[e]]), index.entries.origins[index.position[e]]
        )
        for e in sources
        if e in index.position
    }
    best = max(text.values(), default=0.0)
    if best <= 0:
        return sources
    return {
        e: (
            round(
                strength * (SOURCE_TEXT_FLOOR + (1 - SOURCE_TEXT_FLOOR) * text.get(e, 0.0) / best),
                3,
            ),
            reasons,
        )
        for e, (strength, reasons) in sources.items()
    }


def _platform(index: CommonsIndex, host: str) -> float:
    """PLATFORM for a project-hosting site named or linked in prose, else 1."""
    return PLATFORM if host in PROJECT_HOSTS else 1.0


def _specific(index: CommonsIndex, found: dict) -> dict:
    """Discount source matches by the share of the entry's own sources that did not match."""
    result = {}
    for entry_id, (strength, reasons) in found.items():
        own = max(1, len(index.source_domains.get(entry_id, [])))
        matched = min(own, len(reasons))
        result[entry_id] = (
            round(strength * (1 - BREADTH_DISCOUNT * (1 - matched / own)), 3),
            reasons,
        )
    return result


def _components(entry, cosine: float, sources, lineage, content) -> dict:
    entry_id = entry.id
    found_sources = sources.get(entry_id)
    via = lineage.get(entry_id)
    return {
        "text": {
            "score": round(text_strength(cosine, entry.origin), 3),
            "cosine": round(cosine, 3),
            "shared_terms": [],
        },
        "sources": {"score": found_sources[0], "reasons": found_sources[1]}
        if found_sources
        else {"score": 0.0, "reasons": []},
        "lineage": {"score": round(via[0], 3), "via": via[1]} if via else {"score": 0.0, "via": []},
        "content": {"score": content[entry_id]["containment"], **content[entry_id]}
        if entry_id in content
        else None,
    }


def _propagate(
    index: CommonsIndex, direct: dict[str, float]
) -> dict[str, tuple[float, list[dict]]]:
    """Containers of directly matched entries inherit a decayed share of the match."""
    found: dict[str, tuple[float, list[dict]]] = {}
    frontier = [
        (entry_id, strength, []) for entry_id, strength in direct.items() if strength >= LINEAGE_MIN
    ]
    for _ in range(LINEAGE_DEPTH):
        next_frontier = []
        for entry_id, strength, path in frontier:
            for container, relation in index.containers.get(entry_id, []):
                inherited = strength * LINEAGE_DECAY
                step = path + [{"id": entry_id, "relation": relation, "match": round(strength, 3)}]
                if inherited > found.get(container, (0.0, []))[0]:
                    found[container] = (inherited, step)
                    next_frontier.append((container, inherited, step))
        frontier = next_frontier
    # One step sideways: entries drawing on the same site as one of the strongest matches,
    # through exact or nested hosts shared by few entries (not github.com-sized groups).
    strongest = sorted(((s, e) for e, s in direct.items() if s >= SHARED_SOURCE_MIN), reverse=True)[
        :SHARED_SOURCE_FROM
    ]
    for strength, entry_id in strongest:
        hosts = [
            h
            for h in index.source_domains.get(entry_id, [])
            if len(index.hosts.entries_for(h)) <= SHARED_SOURCE_CAP
        ]
        for other, (host_strength, reasons) in index.hosts.lookup(hosts).items():
            if host_strength < NESTED:
                continue
            inherited = strength * SHARED_SOURCE_DECAY * host_strength
            if (
                other != entry_id
                and inherited > found.get(other, (0.0, []))[0]
                and inherited > direct.get(other, 0.0)
            ):
                found[other] = (
                    inherited,
                    [
                        {
                            "id": entry_id,
                            "relation": "shares a source site with",
                            "match": round(strength, 3),
                            "sites": reasons[:2],
                        }
                    ],
                )
    return found
