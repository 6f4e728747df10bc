"""One overlap check, as plain data: the CLI and the Datasette page both call `check`."""

from __future__ import annotations

from registry.overlap import MAX_TOP
from registry.overlap.evidence import document_share_strength
from registry.overlap.index import CommonsIndex
from registry.overlap.kind import derived_signals, seller_signals, without_links
from registry.overlap.made import new_content
from registry.overlap.offer import Offer
from registry.overlap.sameness import sameness
from registry.overlap.score import rank
from registry.overlap.sketch import Sketch
from registry.overlap.verdict import level, verdict


def check(
    index: CommonsIndex,
    offer: Offer,
    sample: Sketch | None = None,
    top: int = 10,
    content: dict | None = None,
    exclude: frozenset[str] = frozenset(),
) -> dict:
    """Ranked, explained matches and a verdict, JSON-serialisable and deterministic.

    `content` is a containment report (`content.containment.contained`) of the seller's sample
    documents against the content index: each entry's share becomes its content evidence, and
    the report is returned with each entry's name, licence and signals. Entries in `exclude` are
    not matched (the evaluation leaves out a case's own listing)."""
    top = max(1, min(int(top), MAX_TOP))
    contained = {
        e["id"]: {
            "containment": e["share"],
            "documents": e["documents"],
            "score": round(document_share_strength(e["share"]), 3),
        }
        for e in (content or {}).get("entries", [])
    }
    matches = rank(index, offer, sample, top, contained, exclude)
    hosts = offer.hosts()
    named = index.hosts.named_in(without_links(offer.text))
    used_content = any(m["components"].get("content") for m in matches)
    # Only a "high" top match needs its evidence of sameness (verdict.py): not read otherwise.
    high = bool(matches) and level(matches[0]["score"]) == "high"
    same = sameness(index, offer, matches[0]) if high else None
    derived = derived_signals(offer.text)
    if high:  # data said to be new content, unless the evidence of sameness is about it
        derived += [w for w in new_content(offer.text, same or "") if w not in derived]
    return {
        "verdict": verdict(
            matches,
            used_content,
            bool(hosts or named),
            len(index.entries),
            {"own": seller_signals(offer.text), "derived": derived},
            same=same,
        ),
        "matches": [_match(m) for m in matches],
        "query": {
            "name": offer.name,
            "summary": offer.summary,
            "characters": len(offer.text),
            "source_domains": hosts,
            "languages": list(offer.languages),
            "modality": offer.modality,
            "domains": list(offer.domains),
            "sample_shingles": sample.shingles if sample is not None else None,
        },
        "content": described(index, content) if content is not None else None,
        "catalog": {
            "entries": len(index.entries),
            "fingerprints": len(index.fingerprints),
            "built_at": index.built_at,
        },
    }


def _match(match: dict) -> dict:
    entry = match["entry"]
    return {
        "id": entry.id,
        "name": entry.name,
        "summary": entry.summary,
        "score": match["score"],
        "level": level(match["score"]),
        "category": entry.category,
        "license_family": entry.license_family,
        "licenses": entry.licenses,
        "modality": entry.modality,
        "status": entry.status,
        "components": match["components"],
        "why": explain(match),
    }


def explain(match: dict) -> list[str]:
    """Each component that contributed, as a short phrase."""
    c = match["components"]
    why = []
    if c["sources"]["score"]:
        why.append("same source: " + "; ".join(c["sources"]["reasons"]))
    if c["lineage"]["score"]:
        chain = list(reversed(c["lineage"]["via"]))
        words = [f"it {chain[0]['relation']} '{chain[0]['id']}'"] + [
            f"which {step['relation']} '{step['id']}'" for step in chain[1:]
        ]
        why.append(", ".join(words) + f", which matches your data ({chain[-1]['match']:.2f})")
    if c["text"]["score"]:
        terms = c["text"].get("shared_terms") or []
        why.append(
            f"similar description (cosine {c['text']['cosine']:.2f})"
            + (f": {', '.join(terms)}" if terms else "")
        )
    if c.get("content") and "documents" in c["content"]:
        why.append(
            f"content: {c['content']['documents']:,} of your sample's documents "
            f"({c['content']['containment']:.0%}) are inside its indexed content"
        )
    elif c.get("content"):
        why.append(
            f"content: about {c['content']['containment']:.0%} of your sample's 5-word "
            f"passages appear in its fingerprint (Jaccard {c['content']['jaccard']:.3f})"
        )
    if c.get("named"):
        why.append(f"your description names it ('{c['named']}')")
    if c.get("language"):
        why.append(
            f"a corpus of the language you name ({', '.join(c['language']['languages'])}), "
            "the closest substitute for a language slice"
        )
    agree = c.get("agreement")
    if agree is not None:
        parts = [
            f"{k} {'agree' if v == 1 else 'partly agree' if v > 0 else 'differ'}"
            for k, v in agree.items()
            if k != "score"
        ]
        why.append("declared " + ", ".join(parts))
    return why


def described(index: CommonsIndex, content: dict) -> dict:
    """The containment report with each entry's name, category, licences and AI-use signals."""
    entries = []
    for found in content["entries"]:
        row = index.position.get(found["id"])
        entry = index.entries[row] if row is not None else None
        entries.append(
            {
                **found,
                "name": entry.name if entry else found["id"],
                "category": entry.category if entry else "undetermined",
                "licenses": entry.licenses if entry else [],
                "signals": index.signals.get(found["id"], []) if entry else [],
                "in_catalog": entry is not None,
            }
        )
    return {**content, "entries": entries}
