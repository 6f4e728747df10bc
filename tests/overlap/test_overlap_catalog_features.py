"""Catalog pairs from cached per-entry features: same table warm or cold, real pairs on the real
catalog."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from db_content import same_content

from registry.build.pipeline import build
from registry.overlap.catalog_pairs import MIN_SCORE, TOP_K
from registry.overlap.pair_features import (
    NUM_PERM,
    FeatureCache,
    PairFeatures,
    signature,
    term_hashes,
)

ENTRIES = Path(__file__).resolve().parents[2] / "entries"


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture
def real_entries(tmp_path):
    if not ENTRIES.is_dir() or not any(ENTRIES.glob("*.yaml")):
        pytest.skip("entries/ is empty: these tests need the real catalog")
    folder = tmp_path / "catalog" / "entries"
    shutil.copytree(ENTRIES, folder)
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def overlaps(path: Path) -> dict[tuple[str, str], tuple[float, str, dict]]:
    with sqlite3.connect(path) as connection:
        return {
            (a, b): (score, relation, json.loads(evidence))
            for a, b, score, relation, evidence in connection.execute(
                "select o.entry_id, o.other_id, o.score, r.text, e.text from overlaps o "
                "join text_overlap_relation r on r.id = o.relation "
                "join text_overlap_evidence e on e.id = o.evidence"
            )
        }


def test_warm_build_after_one_change_equals_a_cold_build(real_entries, tmp_path, epoch):
    cache = tmp_path / "cache"
    build(real_entries, tmp_path / "first.db", cache_dir=cache, progress=False)
    assert list(cache.glob("work-*.db.features")), "the build must keep the entries' text features"
    # Change the text of an entry that has pairs of every kind.
    path = real_entries / "common-pile-news.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nsummary: " in text
    path.write_text(
        text.replace("\nsummary: ", "\nsummary: Court opinions, parliament debates and ", 1),
        encoding="utf-8",
    )
    warm = build(real_entries, tmp_path / "warm.db", cache_dir=cache, progress=False)
    assert warm.parsed == 1
    cold = build(real_entries, tmp_path / "cold.db", cache_dir=None, progress=False)
    assert cold.parsed == warm.entry_count
    # The same content as a cold build, not the same bytes (tests/db_content.py).
    assert same_content(tmp_path / "warm.db", tmp_path / "cold.db")
    # The change is visible in the pairs, so the comparison above covers recomputed text.
    assert overlaps(tmp_path / "first.db") != overlaps(tmp_path / "warm.db")


@pytest.mark.parametrize(
    "damaged", ["work-*.db.features", "work-*.db", "missing:work-*.db.features"]
)
def test_a_damaged_cache_is_recomputed(real_entries, tmp_path, epoch, damaged):
    cache = tmp_path / "cache"
    build(real_entries, tmp_path / "first.db", cache_dir=cache, progress=False)
    paths = list(cache.glob(damaged.removeprefix("missing:")))
    assert paths
    for path in paths:
        if damaged.startswith("missing:"):
            path.unlink()
        else:
            path.write_bytes(b"not a database" * 100)
    second = build(real_entries, tmp_path / "second.db", cache_dir=cache, progress=False)
    assert second.parsed == second.entry_count
    assert sha256(tmp_path / "first.db") == sha256(tmp_path / "second.db")


def test_real_catalog_has_corpus_source_and_shared_source_pairs(real_entries, tmp_path, epoch):
    build(real_entries, tmp_path / "registry.db", cache_dir=None, progress=False)
    rows = overlaps(tmp_path / "registry.db")
    # Common Pile and one of its sources, both ways.
    score, relation, evidence = rows[("common-pile-v0-1", "common-pile-news")]
    assert (score, relation, evidence["lineage"]) == (1.0, "includes", "includes")
    assert rows[("common-pile-news", "common-pile-v0-1")][1] == "included-in"
    # Two entries whose content comes from the same site.
    score, relation, evidence = rows[("wikimedia-commons", "openverse")]
    assert relation == "shares-sources" and score >= 0.9
    assert "commons.wikimedia.org is a source of both" in evidence["sources"]
    # Two preprint servers described in nearly the same words.
    score, relation, evidence = rows[("biorxiv", "medrxiv")]
    assert relation == "similar-description" and evidence["text_cosine"] > 0.3
    # Unrelated entries are not paired.
    assert ("biorxiv", "openverse") not in rows
    per_entry: dict[str, int] = {}
    for (a, b), (score, _, _) in rows.items():
        assert MIN_SCORE <= score <= 1 and a != b
        per_entry[a] = per_entry.get(a, 0) + 1
    assert max(per_entry.values()) <= TOP_K


def test_signatures_estimate_jaccard_from_each_entry_alone():
    shared = " ".join(f"word{i}" for i in range(60))
    a = term_hashes(shared + " " + " ".join(f"alpha{i}" for i in range(40)))
    b = term_hashes(shared + " " + " ".join(f"beta{i}" for i in range(40)))
    exact = len(np.intersect1d(a, b)) / len(np.union1d(a, b))
    estimate = float((signature(a) == signature(b)).mean())
    assert len(signature(a)) == NUM_PERM
    assert abs(estimate - exact) < 0.1
    assert (signature(a) == signature(a.copy())).all()


def test_features_come_from_the_cache_only_for_the_same_text(tmp_path):
    def make(*parts):
        hashes = term_hashes(" ".join(p for p in parts if p))
        return PairFeatures(hashes, signature(hashes))

    def only_new(*parts):
        assert parts != ("bird", "songs"), "recomputed"
        return make(*parts)

    first = FeatureCache(tmp_path)
    hashes, _ = first.features([("court", "opinions"), ("bird", "songs")], make)
    second = FeatureCache(tmp_path)
    assert second.keys, "features must be saved"
    again, signatures = second.features([("bird", "songs"), ("court opinions", None)], only_new)
    assert (again[0] == hashes[1]).all()
    assert signatures.shape == (2, NUM_PERM)


def test_hosts_each_used_by_one_entry_give_no_pairs():
    from registry.overlap.host_pairs import host_pairs

    keys, strengths, reason_ids, _ = host_pairs(
        [(0, "a.example.org"), (1, "b.example.net"), (2, "c.example.com")], 3
    )
    assert keys.size == strengths.size == reason_ids.size == 0
