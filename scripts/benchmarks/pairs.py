"""Catalog overlap pairs: per-entry features and the pairs step, against raw floors.

The catalog is the synthetic entries of synthetic.py (the same name, summary,
description, domains and source host as `commons build` would write), inserted
straight into a database made from the declared schema, so 100,000 entries take
seconds rather than a full build.

- per-entry features (`pair_features.entry_features`), starting with no word
  hashes remembered, as a fresh build worker does, against the floor of lowercasing and
  splitting each document and one blake2b digest of it (target: 0.15 ms per
  entry);
- the pairs step given the features, cold (empty table) against the floor of
  writing its rows with executemany into an empty keyed table;
- the pairs step given the features after one entry changed, with the table
  holding the previous rows (written by difference), against the floor of
  reading those rows back (target: 0.25 s at 10,000 entries).

    python scripts/bench.py --only pairs --sizes 1000,10000,100000
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import statistics
import time
from pathlib import Path

import sqlite_utils

from registry.build.db_schema import TABLES
from registry.overlap import fill_overlaps, pair_features
from registry.overlap.index import document, json_list
from registry.overlap.pair_features import entry_features
from scripts.benchmarks.synthetic import raw_entry

DEFAULT_SIZES = [1_000, 10_000]
FEATURE_TARGET_MS = 0.15
WARM_TARGET_SECONDS = 0.25


def _load_note() -> str:
    return f"load avg {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def write_catalog(path: Path, n: int) -> list[tuple]:
    """A registry database of n synthetic entries; returns their catalog rows (id, name, summary,
    description, domains)."""
    db = sqlite_utils.Database(path)
    db.execute("pragma synchronous = off")
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )
        for columns in spec.get("indexes", []):
            db[name].create_index(columns)
    rng = random.Random(1)
    entries, catalog, hosts = [], [], []
    for i in range(n):
        raw = raw_entry(i, rng)
        domains = json.dumps(raw["domains"])
        entries.append(
            {
                "id": raw["id"],
                "name": raw["name"],
                "summary": raw["summary"],
                "description": raw["description"],
                "homepage": raw["homepage"],
                "modality": raw["modality"],
                "verification": raw["verification"],
                "status": "active",
                "source_path": f"entries/{raw['id']}.yaml",
                "digest": "0" * 64,
            }
        )
        catalog.append(
            {
                "id": raw["id"],
                "name": raw["name"],
                "summary": raw["summary"],
                "description": raw["description"],
                "category": "commons-by-default",
                "licenses": '["CC0-1.0"]',
                "modality": raw["modality"],
                "languages": json.dumps(raw["languages"]),
                "domains": domains,
                "status": "active",
            }
        )
        hosts += [{"entry_id": raw["id"], "host": host} for host in raw["source_domains"]]
    with db.conn:
        db["entries"].insert_all(entries, batch_size=500)
        db["catalog"].insert_all(catalog, batch_size=500)
        db["source_domains"].insert_all(hosts, batch_size=500)
    rows = db.conn.execute(
        "select id, name, summary, description, domains from catalog order by id"
    ).fetchall()
    db.close()
    return rows


def features_floor(catalog: list[tuple]) -> float:
    started = time.perf_counter()
    for _, name, summary, description, domains in catalog:
        text = document(name, summary or "", description, json_list(domains))
        text.lower().split()
        hashlib.blake2b(text.encode("utf-8")).digest()
    return time.perf_counter() - started


def _row(
    benchmark: str, n: int, seconds: float, floor: float, target: str, ok: bool, note: str
) -> dict:
    return {
        "benchmark": benchmark,
        "n": n,
        "seconds": seconds,
        "floor_seconds": floor,
        "ratio": seconds / floor if floor else None,
        "target": target,
        "ok": ok,
        "note": note,
    }


def pairs_rows(n: int, workdir: Path) -> list[dict]:
    path = workdir / f"pairs-{n}.db"
    path.unlink(missing_ok=True)
    catalog = write_catalog(path, n)
    pair_features.forget_words()  # as in a fresh build worker
    started = time.perf_counter()
    features = {row[0]: entry_features(row[1] or row[0], *row[2:]) for row in catalog}
    feature_seconds = time.perf_counter() - started
    floor = min(features_floor(catalog) for _ in range(3))

    db = sqlite_utils.Database(path)
    # The connection settings of the build's write (registry/build/db.py).
    db.execute("PRAGMA journal_mode=MEMORY")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    pairs = fill_overlaps(db, features=features)
    cold = time.perf_counter() - started
    rows = db.conn.execute(
        "select entry_id, other_id, score, relation, evidence from overlaps"
    ).fetchall()
    write_floor = _write_floor(rows)

    rng = random.Random(n)
    warm = []
    for k in range(3):
        entry_id, name, summary, description, domains = catalog[rng.randrange(n)]
        summary = f"Court opinions, parliament debates and maps, change {k}. {summary}"
        with db.conn:
            db.conn.execute("update catalog set summary = ? where id = ?", (summary, entry_id))
        started = time.perf_counter()
        features[entry_id] = entry_features(name or entry_id, summary, description, domains)
        fill_overlaps(db, features=features)
        warm.append(time.perf_counter() - started)
    read_floor = min(_read_seconds(db.conn) for _ in range(3))
    db.close()
    per_entry_ms = 1000 * feature_seconds / n
    return [
        _row(
            "pair features per entry (entry_features), word hashes not yet known",
            n,
            feature_seconds,
            floor,
            f"<= {FEATURE_TARGET_MS} ms per entry",
            per_entry_ms <= FEATURE_TARGET_MS,
            f"{per_entry_ms:.3f} ms per entry; floor: lowercase, split and one blake2b per "
            f"document; {_load_note()}",
        ),
        _row(
            "pairs step given features, cold (empty table)",
            n,
            cold,
            write_floor,
            "for comparison",
            True,
            f"{pairs:,} pairs; floor: executemany of the step's rows into an empty keyed "
            f"table; {_load_note()}",
        ),
        _row(
            "pairs step given features, one entry changed",
            n,
            statistics.median(warm),
            read_floor,
            f"<= {WARM_TARGET_SECONDS} s at 10,000",
            statistics.median(warm) <= WARM_TARGET_SECONDS or n > 10_000,
            f"{pairs:,} pairs; floor: reading the previous rows back; {_load_note()}",
        ),
    ]


def _write_floor(rows: list[tuple]) -> float:
    times = []
    for _ in range(3):
        conn = sqlite3.connect(":memory:")
        started = time.perf_counter()
        with conn:
            conn.execute(
                "create table overlaps (entry_id text, other_id text, score real, relation "
                "text, evidence text, primary key (entry_id, other_id))"
            )
            conn.execute("create index idx_other on overlaps (other_id)")
            conn.executemany("insert into overlaps values (?, ?, ?, ?, ?)", rows)
        times.append(time.perf_counter() - started)
        conn.close()
    return min(times)


def _read_seconds(conn: sqlite3.Connection) -> float:
    started = time.perf_counter()
    conn.execute("select entry_id, other_id, score, relation, evidence from overlaps").fetchall()
    return time.perf_counter() - started


def run(sizes: list[int], workdir: Path, report=None) -> list[dict]:
    """Benchmark rows for each size; `report(row)` is called as each row is measured."""
    rows: list[dict] = []
    for n in sizes:
        for row in pairs_rows(n, workdir):
            if report is not None:
                report(row)
            rows.append(row)
    return rows
