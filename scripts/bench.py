"""Run the benchmarks and write BENCHMARKS.md.

Every figure is a median on this machine, reported as a ratio against a raw
floor measured in the same run, so numbers from different machines compare.

Usage:
    python scripts/bench.py                      # every area, default sizes
    python scripts/bench.py --only validate,build
    python scripts/bench.py --sizes 1000,10000   # override every area's sizes
    python scripts/bench.py --only build --keep  # replace only the build rows of BENCHMARKS.md

With --keep, the rows of areas not measured in this run are kept from the
existing report (each row says when it was measured), and so is everything
after the NOTES marker.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import platform
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AREAS = ["validate", "classify", "build", "site", "overlap", "exports", "cli"]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="comma-separated areas: " + ", ".join(AREAS))
    parser.add_argument(
        "--sizes", help="comma-separated entry counts, overriding each area's defaults"
    )
    parser.add_argument(
        "--out", default=str(ROOT / "BENCHMARKS.md"), help="where to write the report"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the existing report's rows of other areas, and its notes",
    )
    args = parser.parse_args()
    areas = args.only.split(",") if args.only else AREAS
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="commons-bench-") as tmp:
        for area in areas:
            try:
                module = importlib.import_module(f"scripts.benchmarks.{area}")
            except ModuleNotFoundError as error:
                if error.name == f"scripts.benchmarks.{area}":
                    print(f"{area}: no benchmark module", file=sys.stderr)
                    continue
                raise
            sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else module.DEFAULT_SIZES
            print(f"{area}: sizes {sizes}", file=sys.stderr)
            workdir = Path(tmp) / area
            workdir.mkdir()
            results[area] = module.run(sizes, workdir)
            for row in results[area]:
                print(_line(area, row), file=sys.stderr)
    kept, notes = _existing(Path(args.out), set(results)) if args.keep else ([], "")
    Path(args.out).write_text(report(results, kept, notes), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _line(area: str, row: dict) -> str:
    ratio = f"{row['ratio']:.2f}x" if row.get("ratio") is not None else "-"
    return (
        f"  {area:9} {row['benchmark'][:60]:60} n={row['n']:>7} {row['seconds']:.4f}s "
        f"ratio={ratio} {'ok' if row.get('ok') else 'MISSED'}"
    )


NOTES = "<!-- notes: kept by --keep -->"
HEADER = (
    "| area | benchmark | entries | seconds | floor (s) | ratio | target | met | note | measured |"
)


def _existing(path: Path, measured: set[str]) -> tuple[list[str], str]:
    """The table rows of areas not in `measured`, and the notes, of an existing report."""
    if not path.is_file():
        return [], ""
    text = path.read_text(encoding="utf-8")
    table, _, notes = text.partition(NOTES)
    rows = [
        line
        for line in table.splitlines()
        if line.startswith("| ")
        and not line.startswith("| area ")
        and line.split(" | ")[0][2:] not in measured
    ]
    return rows, notes.strip("\n")


def report(results: dict[str, list[dict]], kept: list[str] = (), notes: str = "") -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "# Benchmarks",
        "",
        "Written by `python scripts/bench.py`; do not edit the table by hand. Medians on one",
        "machine, each against a raw floor measured in the same run.",
        "",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        "",
        HEADER,
        "|---|---|---:|---:|---:|---:|---|---|---|---|",
    ]
    rows = [(line.split(" | ")[0][2:], line) for line in kept]
    for area, area_rows in results.items():
        for row in area_rows:
            floor = f"{row['floor_seconds']:.4f}" if row.get("floor_seconds") is not None else "-"
            ratio = f"{row['ratio']:.2f}×" if row.get("ratio") is not None else "-"
            rows.append(
                (
                    area,
                    f"| {area} | {row['benchmark']} | {row['n']:,} | {row['seconds']:.4f} | "
                    f"{floor} | {ratio} | {row.get('target', '')} | "
                    f"{'yes' if row.get('ok') else 'no'} | {row.get('note', '')} | {today} |",
                )
            )
    order = {area: i for i, area in enumerate(AREAS)}
    lines += [line for _, line in sorted(rows, key=lambda pair: order.get(pair[0], len(AREAS)))]
    lines += ["", NOTES, "", notes] if notes else ["", NOTES]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.exit(main())
