"""The build on the real catalog (entries/ and imports/<source>/ of this repository), by
scripts/bench.py's method: a cold build against the raw floor of the same files, taking turns,
then warm rebuilds after one entry changes, in one process (start-up not timed).

Each warm turn renames one file picked at random (curated or imported), as the synthetic
benchmark does; every changed file is restored from git at the end. Last, the floor of any
rebuild that keeps the published file byte-identical to a cold build's: the full-text index
rebuilt, VACUUM INTO and integrity_check of the real database, in plain sqlite3.

Usage: python -m scripts.benchmarks.real_catalog [--turns 3] [--warm 5]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from registry.build.pipeline import build
from registry.build.sources import source_files
from scripts.benchmarks.build import raw_floor

ROOT = Path(__file__).resolve().parents[2]
REBUILD = "insert into catalog_fts(catalog_fts) values ('rebuild')"
NAME_LINE = re.compile(r"^name: .*$", re.MULTILINE)


def _timed(work, *args) -> float:
    started = time.perf_counter()
    result = work(*args)
    if isinstance(result, sqlite3.Cursor):
        result.fetchall()
    return time.perf_counter() - started


def _spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.2f} s, {min(values):.2f}-{max(values):.2f} "
        f"({', '.join(f'{v:.2f}' for v in values)})"
    )


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=3, help="cold build and floor turns")
    parser.add_argument("--warm", type=int, default=5, help="warm rebuilds")
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    entries = ROOT / "entries"
    paths = source_files(entries)
    print(f"{len(paths)} files; load average {_load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="commons-real-") as tmp:
        out, cache = Path(tmp) / "registry.db", Path(tmp) / "cache"
        if args.turns:
            cold_turns(entries, paths, out, args.turns)
        build(entries, out, cache_dir=cache, progress=False)
        warm_turns(entries, paths, out, cache, args.warm)
        publish_floor(out, Path(tmp), args.warm)
    return 0


def cold_turns(entries: Path, paths: list[Path], out: Path, turns: int) -> None:
    """Floor and cold build, turn about."""
    floors, colds = [], []
    floor_db = out.with_name("floor.db")
    for _ in range(turns):
        floors.append(_timed(lambda: raw_floor(paths, floor_db)))
        colds.append(_timed(lambda: build(entries, out, cache_dir=None, progress=False)))
        print(f"  turn: floor {floors[-1]:.2f} s, cold {colds[-1]:.2f} s, load {_load()}")
    ratios = [c / f for f, c in zip(floors, colds, strict=True)]
    print(f"floor: {_spread(floors)}")
    print(f"cold build: {_spread(colds)}")
    print(
        f"cold / floor: median {statistics.median(colds) / statistics.median(floors):.2f}x, "
        f"per turn {min(ratios):.2f}-{max(ratios):.2f}x; load {_load()}"
    )


def warm_turns(entries: Path, paths: list[Path], out: Path, cache: Path, runs: int) -> None:
    """Rename one random entry, rebuild from the cache; the files are restored from git after."""
    rng, changed, warms = random.Random(26112), [], []
    try:
        for _ in range(runs):
            path = rng.choice(paths)
            changed.append(path)
            text = path.read_text(encoding="utf-8")
            stamp = f"name: Changed {time.perf_counter_ns()}"
            path.write_text(NAME_LINE.sub(stamp, text, count=1), encoding="utf-8")
            warms.append(_timed(lambda: build(entries, out, cache_dir=cache, progress=False)))
            print(f"  warm {warms[-1]:.2f} s ({path.name}), load {_load()}", flush=True)
    finally:
        subprocess.run(["git", "-C", str(ROOT), "checkout", "--", *map(str, changed)], check=True)
    print(f"warm one-entry rebuild: {_spread(warms)}; load {_load()}")


def publish_floor(out: Path, tmp: Path, runs: int) -> None:
    """What any rebuild that keeps the published file byte-identical to a cold build's must
    redo on the whole file: the full-text index rebuilt from its table, VACUUM INTO a fresh
    file, PRAGMA integrity_check of that file (plain sqlite3, nothing else)."""
    steps: dict[str, list[float]] = {"fts rebuild": [], "vacuum into": [], "integrity": []}
    work, fresh = tmp / "floor-work.db", tmp / "floor-fresh.db"
    for _ in range(runs):
        shutil.copyfile(out, work)
        fresh.unlink(missing_ok=True)
        conn = sqlite3.connect(work, isolation_level=None)
        steps["fts rebuild"].append(_timed(conn.execute, REBUILD))
        steps["vacuum into"].append(_timed(conn.execute, "vacuum into ?", [str(fresh)]))
        conn.close()
        check = sqlite3.connect(fresh)
        steps["integrity"].append(_timed(check.execute, "pragma integrity_check"))
        check.close()
    totals = [sum(values) for values in zip(*steps.values(), strict=True)]
    for name, values in steps.items():
        print(f"publish floor, {name}: {_spread(values)}")
    print(
        f"publish floor, together: {_spread(totals)}; {out.stat().st_size / 1e6:.0f} MB; "
        f"load {_load()}"
    )


if __name__ == "__main__":
    sys.exit(main())
