"""Benchmark: classifying synthetic entries (loading is not timed).

The floor is the least work any classifier must do per entry: read each
licence expression and signal and look the expression up in a prepared table.
The ratio says how much the rule engine (expression trees, public-domain terms,
signals, templates, reasons) costs on top of that.

A second row turns every fifth entry into a public-domain collection (an item
range of up to 250 years, checked year by year, and a steward's statement on every
other one), the costliest path of the engine; the entries on disk are unchanged.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from pathlib import Path

from classifier import classify, load_rules
from registry.entry.loader import load
from registry.entry.schema import ItemsPublished, RightsStatement
from scripts.benchmarks.synthetic import write_entries

DEFAULT_SIZES = [10_000]
TARGET_SECONDS_AT_10K = 2.0
AS_OF = datetime.date(2026, 6, 1)


def _load() -> str:
    return f"load avg {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _median(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _collection(entry, index: int):
    """Every fifth entry as a public-domain collection of items first published over a range."""
    if index % 5:
        return entry
    latest = entry.first_published or 1960
    update = {
        "first_published": None,
        "copyright_basis": "public-domain-expired",
        "items_published": ItemsPublished(
            earliest=latest - (index % 250), latest=latest, evidence="https://data.example.org/"
        ),
    }
    if index % 10 == 0:
        update["rights_statement"] = RightsStatement(
            id="NoC-US",
            by="Example Library",
            by_type="cultural-heritage",
            url="https://data.example.org/rights",
        )
    return entry.model_copy(update=update)


def run(sizes: list[int], workdir: Path) -> list[dict]:
    """One row per size: median seconds to classify `n` entries, against the floor."""
    rows = []
    rules = load_rules()
    for n in sizes:
        folder = Path(workdir) / f"classify-{n}"
        if not folder.is_dir() or len(list(folder.glob("*.yaml"))) != n:
            write_entries(folder, n)
        entries = [item.entry for item in load([folder])]
        table = {lic.expression: lic.scope for entry in entries for lic in entry.licenses}

        def floor(entries=entries, table=table):
            out = []
            for entry in entries:
                out.append((table[entry.licenses[0].expression], [s.value for s in entry.signals]))
            return out

        def engine(entries=entries):
            return [classify(entry, AS_OF, rules) for entry in entries]

        collections = [_collection(entry, i) for i, entry in enumerate(entries)]

        def engine_collections(collections=collections):
            return [classify(entry, AS_OF, rules) for entry in collections]

        cold = _median(engine, 1)  # first pass fills the parse and rule-match caches
        seconds = _median(engine, 3)
        floor_seconds = _median(floor, 5)
        target = TARGET_SECONDS_AT_10K * n / 10_000
        _median(engine_collections, 1)
        mixed = _median(engine_collections, 3)
        rows.append(
            {
                "benchmark": "classify-collections",
                "n": n,
                "seconds": mixed,
                "floor_seconds": floor_seconds,
                "ratio": mixed / floor_seconds if floor_seconds else None,
                "target": f"< {target:g} s ({TARGET_SECONDS_AT_10K:g} s per 10,000 entries)",
                "ok": mixed < target,
                "note": "every fifth entry a public-domain collection with an item range; "
                f"median of 3 warm runs; {_load()}",
            }
        )
        rows.append(
            {
                "benchmark": "classify",
                "n": n,
                "seconds": seconds,
                "floor_seconds": floor_seconds,
                "ratio": seconds / floor_seconds if floor_seconds else None,
                "target": f"< {target:g} s ({TARGET_SECONDS_AT_10K:g} s per 10,000 entries)",
                "ok": seconds < target,
                "note": f"median of 3 warm runs; first (cold) run {cold:.3f} s; loading not timed; "
                f"floor: look up each entry's licence in a prepared table; {_load()}",
            }
        )
    return rows


if __name__ == "__main__":
    import sys
    import tempfile

    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000]
    with tempfile.TemporaryDirectory() as tmp:
        for row in run(sizes, Path(tmp)):
            print(row)
