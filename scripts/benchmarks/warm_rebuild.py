"""Warm one-entry rebuild of the real catalog: `commons build` run as a user runs it (start-up
included, wall time), each run after one entry's summary is edited, the file restored at the end.

`--entry` names a curated entry (entries/ID.yaml) or an imported record (imports/SOURCE/ID.yaml).
With `--profile`, one more run in this process, with the wall time of each build step printed
(the steps are wrapped with timers; a step that runs in a thread is timed there).

Usage: python -m scripts.benchmarks.warm_rebuild --out /tmp/real/registry.db --cache-dir
/tmp/real/cache --entry entries/wikipedia.yaml [--runs 5] [--profile]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"^(summary: .*?)(?: \(edit \d+\))?$", re.MULTILINE)
# module, attribute (Class.method for a method): the steps the profile times.
STEPS = [
    ("registry.build.pipeline", "scan_files"),
    ("registry.build.pipeline", "file_dates"),
    ("registry.build.pipeline", "check_across_files"),
    ("registry.build.pipeline", "governance_rows"),
    ("registry.build.pipeline", "parse_files"),
    ("registry.build.pipeline", "OverlapIndexInputs.__init__"),
    ("registry.build.pipeline", "publish"),
    ("registry.build.work", "WorkDatabase.known_files"),
    ("registry.build.work", "WorkDatabase.pair_features"),
    ("registry.build.work", "WorkDatabase._write_rowid_table"),
    ("registry.build.work", "WorkDatabase._update_dates"),
    ("registry.build.work", "WorkDatabase._check_counts"),
    ("registry.build.update", "facet_share"),
    ("registry.build.update", "move_facet_counts"),
    ("registry.build.update", "insert_rows"),
    ("registry.build.work", "WorkDatabase.pairs_before"),
    ("registry.build.update", "Update._pair_rows"),
    ("registry.build.update", "pair_delta.incremental"),
    ("registry.build.update", "pair_table.write_rows_of"),
    ("registry.build.update", "pair_table.write_rows"),
    ("registry.build.update", "drop_unused"),
    ("registry.build.db", "shutil.copyfile"),
    ("registry.build.db", "check_integrity"),
    ("registry.build.db", "check_foreign_keys"),
    ("registry.build.db", "_fsync_and_hash"),
]


def edit(path: Path, run: int) -> None:
    """Mark the summary line with the run's number (a different summary every run)."""
    text = path.read_text(encoding="utf-8")
    edited, count = SUMMARY.subn(lambda m: f"{m.group(1)} (edit {run})", text, count=1)
    if count != 1:
        raise SystemExit(f"{path}: no one-line summary to edit")
    path.write_text(edited, encoding="utf-8")


def timed_steps() -> dict[str, list[tuple[float, float]]]:
    """Wrap each of STEPS with a timer; returns step → (wall, CPU) seconds of each call. CPU is
    the calling thread's: what a step runs in threads of its own (publish's checks) shows as
    theirs."""
    times: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for module_name, attribute in STEPS:
        owner = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        original = getattr(owner, name, None)
        if original is None:  # a step of another version of the build (turn-about profiles)
            continue

        @functools.wraps(original)
        def timer(*args, _original=original, _name=attribute, **kwargs):
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return _original(*args, **kwargs)
            finally:
                times[_name].append((time.perf_counter() - started, time.thread_time() - cpu))

        setattr(owner, name, timer)
    return times


def profile(args: argparse.Namespace, run: int) -> None:
    times = timed_steps()
    from registry.build.pipeline import build

    edit(ROOT / args.entry, run)
    started, cpu = time.perf_counter(), time.process_time()
    result = build(ROOT / "entries", Path(args.out), Path(args.cache_dir), progress=False)
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"profile: {total:.2f} s in the build, {cpu:.2f} CPU-s ({result.parsed} parsed), "
        f"load {_load()}"
    )
    print("     wall      CPU  step")
    for step, calls in sorted(times.items(), key=lambda item: -sum(w for w, _ in item[1])):
        wall, thread_cpu = (sum(column) for column in zip(*calls, strict=True))
        print(f"  {wall:7.3f}  {thread_cpu:7.3f}  {step} ({len(calls)} calls)")


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--entry", required=True, help="the file whose summary is edited")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    path = ROOT / args.entry
    original = path.read_bytes()
    commons = Path(sys.executable).with_name("commons")
    command = [str(commons), "build", "--out", args.out, "--cache-dir", args.cache_dir]
    walls = []
    try:
        for run in range(1, args.runs + 1):
            edit(path, run)
            load = _load()
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - started)
            if done.returncode:
                raise SystemExit(done.stderr)
            print(f"run {run}: {walls[-1]:.2f} s wall (load {load}): {done.stderr.strip()}")
        if walls:
            print(f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s")
        if args.profile:
            profile(args, int(time.time()))  # an edit no earlier run made
    finally:
        path.write_bytes(original)
    return 0


if __name__ == "__main__":
    sys.exit(main())
