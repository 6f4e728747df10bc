"""`commons overlap --text` on a built registry: wall time, start-up included, against
`python -c pass`.

The seller's description is a real one, an evaluation case's text (tests/eval/overlap/,
`hf-deepmind-pg19`, 96 words, by default). The two commands take turns, so both see the same
load; the report gives each one's runs, median and spread, the ratio of the medians, and the
load average before and after. The database must have been made by `commons build` (its saved
overlap index beside it); a call that had to compute the index instead is an error here. The
package's bytecode is compiled first (`compileall`), as an installed package's is: with
PYTHONDONTWRITEBYTECODE set, every changed module would be compiled again on every call.

With --baseline-commons and --baseline-db, another version's `commons` (another checkout's
venv) and its own build of the same catalog take their turns too, in the same rounds.

Usage: python -m scripts.benchmarks.overlap_cli --db dist/registry.db [--runs 7] [--case ID]
       [--baseline-commons PATH --baseline-db PATH]
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


def measure(commands: dict[str, list[str]], runs: int) -> dict:
    """`runs` rounds, each running every command once in turn; times in seconds."""
    compileall.compile_dir(ROOT / "registry", quiet=1)
    load_before = os.getloadavg()
    for command in commands.values():
        _seconds(command)  # the files into the page cache, as for any later call
    times: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, command in commands.items():
            times[label].append(_seconds(command))
    return {"times": times, "load": (load_before, os.getloadavg())}


def _query(commons: Path, db: Path, text: str) -> list[str]:
    return [str(commons), "overlap", "--db", str(db), "--text", text, "--format", "json"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("dist/registry.db"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--case", default="hf-deepmind-pg19")
    parser.add_argument("--baseline-commons", type=Path)
    parser.add_argument("--baseline-db", type=Path)
    args = parser.parse_args(argv)
    text = case_text(args.case)
    commands = {"floor": [sys.executable, "-c", "pass"], "query": _query(COMMONS, args.db, text)}
    if args.baseline_commons:
        commands["baseline"] = _query(args.baseline_commons, args.baseline_db or args.db, text)
    found = measure(commands, args.runs)
    floor = statistics.median(found["times"]["floor"])
    for label, values in found["times"].items():
        median = statistics.median(values)
        print(
            f"{label}: median {median:.3f} s ({median / floor:.1f}x the floor), "
            f"{min(values):.3f}-{max(values):.3f} s ({', '.join(f'{v:.2f}' for v in values)})"
        )
    (before, after) = found["load"]
    query = statistics.median(found["times"]["query"])
    print(
        f"load average {before[0]:.1f} before, {after[0]:.1f} after, on {os.cpu_count()} cores; "
        f"query under {TARGET_SECONDS:g} s: {query < TARGET_SECONDS}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
