"""`commons overlap --text` on a built registry: wall time, start-up included, against
`python -c pass`.

The seller's description is a real one, an evaluation case's text (tests/eval/overlap/,
`hf-deepmind-pg19`, 96 words, by default). The two commands take turns, so both see the same
load; the report gives each one's runs, median and spread, the ratio of the medians, and the
load average before and after. The database must have been made by `commons build` (its saved
overlap index beside it); a call that had to compute the index instead is an error here. The
package's bytecode is compiled first (`compileall`), as an installed package's is: with
PYTHONDONTWRITEBYTECODE set, every changed module would be compiled again on every call.

Usage: python -m scripts.benchmarks.overlap_cli --db dist/registry.db [--runs 7] [--case ID]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

COMMONS = Path(sys.executable).with_name("commons")
ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "eval" / "overlap" / "tuning.yaml"
TARGET_SECONDS = 1.0


def case_text(case_id: str) -> str:
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    return next(c["text"] for c in cases if c["id"] == case_id)


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    if "saved overlap index was not used" in done.stderr:
        raise SystemExit(f"the saved index was not used: {done.stderr.strip()}")
    return seconds


def measure(db: Path, text: str, runs: int) -> dict:
    """Alternating runs of the floor and the query; times in seconds."""
    query = [str(COMMONS), "overlap", "--db", str(db), "--text", text, "--format", "json"]
    compileall.compile_dir(ROOT / "registry", quiet=1)
    load_before = os.getloadavg()
    _seconds(query)  # the files into the page cache, as for any later call
    floors, queries = [], []
    for _ in range(runs):
        floors.append(_seconds([sys.executable, "-c", "pass"]))
        queries.append(_seconds(query))
    return {
        "floor": floors,
        "query": queries,
        "load": (load_before, os.getloadavg()),
        "ratio": statistics.median(queries) / statistics.median(floors),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("dist/registry.db"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--case", default="hf-deepmind-pg19")
    args = parser.parse_args(argv)
    found = measure(args.db, case_text(args.case), args.runs)
    for label in ("floor", "query"):
        values = found[label]
        print(
            f"{label}: median {statistics.median(values):.3f} s, "
            f"{min(values):.3f}-{max(values):.3f} s ({', '.join(f'{v:.2f}' for v in values)})"
        )
    (before, after) = found["load"]
    print(
        f"query / floor {found['ratio']:.1f}x; load average {before[0]:.1f} before, "
        f"{after[0]:.1f} after, on {os.cpu_count()} cores; "
        f"under {TARGET_SECONDS:g} s: {statistics.median(found['query']) < TARGET_SECONDS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
