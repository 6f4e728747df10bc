"""Incremental catalog pairs (pair_delta.py) equal the full computation after any change.

The catalog is real: the repository's curated entries (entries/, their descriptions, source
domains and lineage) and the first imported OTDI records (imports/otdi/, CDLA-Permissive-2.0,
see imports/otdi/PROVENANCE.md), whose hosts are their real homepages' hosts. Random changes
add and remove entries, move one entry's description or keywords onto another, and change an
entry's hosts; some are made to cross the bounds the rules depend on: a term added to or taken
from a bucket at the edge of rarity (1-2 and DF_CAP-(DF_CAP+1) entries), and host groups grown
or shrunk across HOST_CAP and SIBLING_GROUP_CAP.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.overlap import pair_delta
from registry.overlap.catalog_pairs import gathered_inputs
from registry.overlap.host_pairs import HOST_CAP
from registry.overlap.hosts import SIBLING_GROUP_CAP
from registry.overlap.pair_features import PairFeatures, batch_features, batch_signatures
from registry.overlap.text_pairs import DF_CAP, bucket_terms

ROOT = Path(__file__).resolve().parents[2]
IMPORTED = 420  # imported records in the base catalog; 40 more are held back to be added
HELD_BACK = 40
# A real host many imported records share: a group of exactly HOST_CAP of them sits at the cap.
SHARED_HOST = "huggingface.co"
# Hugging Face Spaces are served from <owner>-<name>.hf.space: siblings under one domain.
SIBLING_DOMAIN = "hf.space"


def _load(path: Path) -> dict:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    hosts = list(data.get("source_domains") or [])
    if not hosts and data.get("homepage"):
        hosts = [urlsplit(data["homepage"]).hostname]
    links = [("derived_from", r) for r in data.get("derived_from") or []]
    links += [("included_in", r) for r in data.get("included_in") or []]
    return {
        "id": data["id"],
        "text": (data.get("name") or data["id"], data.get("summary"), data.get("description")),
        "domains": data.get("domains") or [],
        "keywords": data.get("keywords") or [],
        "hosts": hosts,
        "links": links,
    }


@pytest.fixture(scope="module")
def real():
    """(base entries, held-back entries), each id → its parts."""
    curated = sorted((ROOT / "entries").glob("*.yaml"))
    imported = sorted((ROOT / "imports" / "otdi").glob("*.yaml"))[: IMPORTED + HELD_BACK]
    entries = [_load(path) for path in curated + imported]
    base = {e["id"]: e for e in entries[: len(curated) + IMPORTED]}
    # Exactly HOST_CAP imported records on the shared host, and SIBLING_GROUP_CAP sibling hosts.
    records = [e for e in base.values() if e["hosts"] == [SHARED_HOST]]
    for record in records[HOST_CAP:]:
        record["hosts"] = []
    for i, record in enumerate(records[HOST_CAP : HOST_CAP + SIBLING_GROUP_CAP]):
        record["hosts"] = [f"{record['id'][:40].strip('-')}-{i}.{SIBLING_DOMAIN}"]
    held = {e["id"]: e for e in entries[len(curated) + IMPORTED :]}
    return base, held


def features_of(entries: dict) -> dict[str, PairFeatures]:
    ids = sorted(entries)
    computed = batch_features(
        [(*entries[i]["text"][:3], entries[i]["domains"]) for i in ids]  # name, summary, text
    )
    return dict(zip(ids, computed, strict=True))


def inputs_of(entries: dict, features: dict):
    sources = [(i, h) for i, e in entries.items() for h in e["hosts"]]
    links = [(i, r, o) for i, e in entries.items() for r, o in e["links"]]
    return gathered_inputs(features, sources, links)


def with_hashes(feature: PairFeatures, hashes: np.ndarray) -> PairFeatures:
    hashes = np.unique(hashes.astype(np.uint64))
    offsets = np.array([0, len(hashes)], dtype=np.int64)
    return PairFeatures(hashes, batch_signatures(hashes, offsets)[0])


def _edge_hash(features: dict, lacking: str, counts: tuple[int, ...], pick: int) -> int | None:
    """A term hash of another entry whose bucket is used `counts` times, absent from `lacking`."""
    ids = sorted(features)
    rows, columns, df = bucket_terms([features[i].hashes for i in ids])
    hashes = np.concatenate([features[i].hashes for i in ids])
    own = set(features[lacking].hashes.tolist())
    found = [h for h in hashes[np.isin(df[columns], counts)].tolist() if h not in own]
    return found[pick % len(found)] if found else None


OPERATIONS = st.sampled_from(
    ["remove", "add", "description", "keywords", "hosts", "term-in", "term-out", "host-cap"]
)


def apply(op: str, pick: int, entries: dict, held: dict, features: dict) -> set[str]:
    """Change `entries` and `features` in place by one operation; returns the ids it changed."""
    ids = sorted(entries)
    target, donor = ids[pick % len(ids)], ids[(pick * 7 + 3) % len(ids)]
    entry = entries[target]
    if op == "remove":
        del entries[target], features[target]
    elif op == "add":
        added = sorted(held)[pick % len(held)]
        entries[added] = held.pop(added)
        features.update(features_of({added: entries[added]}))
        return {added}
    elif op in ("description", "keywords"):
        name, summary, text = entry["text"]
        taken = entries[donor]["text"][2] or "" if op == "description" else ""
        words = " ".join(entries[donor]["keywords"] or entries[donor]["text"][0].split())
        entry["text"] = (name, summary, taken if op == "description" else f"{text} {words}")
        features.update(features_of({target: entry}))
    elif op == "hosts":
        entry["hosts"] = sorted(set(entries[donor]["hosts"]) | set(entry["hosts"][1:]))
    elif op in ("term-in", "term-out"):
        feature = features[target]
        if op == "term-in":  # a bucket at 1, 2, DF_CAP or DF_CAP + 1 gains one
            found = _edge_hash(features, target, (1, 2, DF_CAP, DF_CAP + 1), pick)
            hashes = feature.hashes if found is None else np.append(feature.hashes, found)
        else:  # drop this entry's terms in such buckets
            rows, columns, df = bucket_terms([feature.hashes])
            everyone = bucket_terms([f.hashes for f in features.values()])
            at_edge = np.isin(everyone[2][columns], (2, 3, DF_CAP + 1, DF_CAP + 2))
            hashes = feature.hashes[~at_edge] if at_edge.any() else feature.hashes[1:]
        features[target] = with_hashes(feature, hashes)
    elif op == "host-cap":  # the shared host or the sibling domain gains or loses one entry
        groups = [SHARED_HOST, SIBLING_DOMAIN]
        host = groups[pick % 2]
        members = [i for i in ids if any(h.endswith(host) for h in entries[i]["hosts"])]
        if pick % 4 < 2 and members:
            entries[members[0]]["hosts"] = []
            return {members[0]}
        entry["hosts"] = [host if host == SHARED_HOST else f"added-{pick}.{SIBLING_DOMAIN}"]
    return {target}


def before_of(entries: dict, features: dict, stale: set[str], proposals: dict):
    return pair_delta.Before(
        {i: features[i] for i in stale if i in features},
        [(i, h) for i in stale if i in entries for h in entries[i]["hosts"]],
        [(i, r, o) for i in stale if i in entries for r, o in entries[i]["links"]],
        proposals,
    )


def copy(entries: dict) -> dict:
    return {i: {**e, "hosts": list(e["hosts"])} for i, e in entries.items()}


class Base(tuple):
    """(entries, held back, features, full result); named briefly in a failure's report."""

    def __repr__(self) -> str:
        return f"<{len(self[0])} real entries>"


@pytest.fixture(scope="module")
def base(real):
    entries, held = real
    features = features_of(entries)
    return Base((entries, held, features, pair_delta.full(inputs_of(entries, features))))


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(OPERATIONS, st.integers(0, 10**6)), min_size=1, max_size=3))
def test_incremental_pairs_equal_the_full_computation(base, changes):
    entries, held, features, first = base
    entries, held, features = copy(entries), copy(held), dict(features)
    before_entries, before_features = copy(entries), dict(features)
    stale: set[str] = set()
    for op, pick in changes:
        stale |= apply(op, pick, entries, held, features)
    before = before_of(before_entries, before_features, stale, first.proposals)
    inputs = inputs_of(entries, features)
    result = pair_delta.incremental(inputs, stale, before)
    expected = pair_delta.full(inputs)
    assert result is not None  # under SMALL entries the incremental step is always taken
    replaced = set(result.entries)
    assert sorted([r for r in first.rows if r[0] not in replaced] + result.rows) == expected.rows
    proposals = {i: p for i, p in first.proposals.items() if i in entries} | result.proposals
    assert proposals == expected.proposals


def test_the_changes_cross_the_bounds(base):
    """The catalog the property runs on has buckets and host groups at the edges it means to
    cross (so the operations above do cross them)."""
    entries, _, features, _ = base
    _, _, df = bucket_terms([f.hashes for f in features.values()])
    assert {1, 2, DF_CAP, DF_CAP + 1} <= set(df.tolist())
    shared = sum(SHARED_HOST in e["hosts"] for e in entries.values())
    siblings = sum(any(h.endswith(SIBLING_DOMAIN) for h in e["hosts"]) for e in entries.values())
    assert (shared, siblings) == (HOST_CAP, SIBLING_GROUP_CAP)


def test_a_large_change_falls_back_to_the_full_computation(base, monkeypatch):
    entries, _, features, first = base
    monkeypatch.setattr(pair_delta, "SMALL", 0)
    monkeypatch.setattr(pair_delta, "MAX_SHARE", 0.0)
    inputs = inputs_of(entries, features)
    stale = {sorted(entries)[0]}
    before = before_of(entries, features, stale, first.proposals)
    assert pair_delta.incremental(inputs, stale, before) is None
