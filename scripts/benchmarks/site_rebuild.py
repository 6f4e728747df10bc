"""The site at the real catalog: a one-entry rebuild, and a full build per page against the plain
Jinja floor (scripts/benchmarks/site_floor.py).

One-entry rebuild: what `commons serve --watch` does after a contributor saves an entry file.
The entry's summary is edited (and, on the next run, put back), `commons build` updates the
database, and `commons site --reuse-unchanged` is timed; the entry file is restored at the end.
Full build: `commons site` into an empty folder and the floor, turn about. Every figure comes
with the load average before and after, since the machine is shared.

    python -m scripts.benchmarks.site_rebuild --entry common-corpus --runs 4 --full 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from scripts.benchmarks.site import _floor, _site

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from registry.commands.cli import cli; cli()"]


def _load() -> str:
    """The 1-minute load average."""
    return f"{os.getloadavg()[0]:.1f}"


def _edit(path: Path, original: str, run: int) -> None:
    """Odd runs add a sentence to the summary; even runs put the file back."""
    if run % 2 == 0:
        path.write_text(original, encoding="utf-8")
        return
    edited, count = re.subn(
        r"^summary: (.*)$", r"summary: \1 Edited.", original, count=1, flags=re.M
    )
    if count != 1:
        raise SystemExit(f"{path}: no one-line `summary:` to edit")
    path.write_text(edited, encoding="utf-8")


def one_entry(entry: Path, db: Path, out: Path, runs: int) -> list[dict]:
    original = entry.read_text(encoding="utf-8")
    rows = []
    try:
        for run in range(1, runs + 1):
            _edit(entry, original, run)
            build = [*CLI, "build", "--out", str(db)]
            subprocess.run(build, check=True, capture_output=True, cwd=REPO)
            load = _load()
            started, cpu = time.perf_counter(), os.times()
            result = subprocess.run(
                [*CLI, "site", "--db", str(db), "--out", str(out), "--reuse-unchanged"],
                check=True,
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            seconds = time.perf_counter() - started
            after = os.times()
            user = after.children_user - cpu.children_user
            rows.append(
                {
                    "run": run,
                    "seconds": seconds,
                    "cpu": user + after.children_system - cpu.children_system,
                    "load": f"{load} -> {_load()}",
                    "output": result.stdout.strip(),
                }
            )
            print(rows[-1], flush=True)
    finally:
        entry.write_text(original, encoding="utf-8")
    return rows


def full_builds(db: Path, workdir: Path, repeats: int) -> dict:
    floors, sites = [], []
    for _ in range(repeats):
        load = _load()
        floors.append(_floor(db, workdir)[0])
        sites.append(_site(db, workdir)[0])
        print(f"floor {floors[-1]:.1f} s, site {sites[-1]:.1f} s, load {load} -> {_load()}")
    pages = sum(1 for _ in (workdir / "site").rglob("*.html"))
    floor_pages = sum(1 for _ in (workdir / "floor").rglob("*.html"))
    ratios = [(s / pages) / (f / floor_pages) for s, f in zip(sites, floors, strict=True)]
    for folder in ("floor", "site", "site-src"):
        shutil.rmtree(workdir / folder, ignore_errors=True)
    return {
        "pages": pages,
        "floor_pages": floor_pages,
        "sites": sites,
        "floors": floors,
        "ratios": ratios,
        "median_ratio": statistics.median(ratios),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entry", required=True, help="id of a curated entry (entries/ID.yaml)")
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--full", type=int, default=0, help="full build / floor pairs")
    parser.add_argument("--db", type=Path, default=REPO / "dist" / "registry.db")
    parser.add_argument("--out", type=Path, default=REPO / "dist" / "site")
    parser.add_argument("--workdir", type=Path, default=REPO / "dist" / "bench-site")
    args = parser.parse_args()
    if args.runs:
        rows = one_entry(REPO / "entries" / f"{args.entry}.yaml", args.db, args.out, args.runs)
        seconds = [row["seconds"] for row in rows]
        print(f"one-entry rebuild: {min(seconds):.1f}-{max(seconds):.1f} s over {len(rows)} runs")
    if args.full:
        args.workdir.mkdir(parents=True, exist_ok=True)
        found = full_builds(args.db, args.workdir, args.full)
        print(found)


if __name__ == "__main__":
    main()
