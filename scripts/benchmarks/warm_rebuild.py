"""Warm one-entry rebuild of the real catalog: `commons build` run as a user runs it (start-up
included, wall time), each run after one entry's summary is edited, the file restored at the end.

`--entry` names a curated entry (entries/ID.yaml) or an imported record (imports/SOURCE/ID.yaml).
With `--profile`, one more run in this process, with the wall time of each build step printed
(the steps are wrapped with timers; a step that runs in a thread is timed there); with `--watch`
too, after a first build that fills the resident build's memory. With `--watch`,
the resident build instead (`commons build --watch`, started once and left to build first): each
run times from the edited file's write to the new database published (its inode changed by the
atomic replace), as a contributor saving a file and reloading a page sees it.

Usage: python -m scripts.benchmarks.warm_rebuild --out /tmp/real/registry.db --cache-dir
/tmp/real/cache --entry entries/wikipedia.yaml [--runs 5] [--profile | --watch]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"^(summary: .*?)(?: \(edit [a-z]+\))?$", re.MULTILINE)
# module, attribute (Class.method for a method): the steps the profile times.
STEPS = [
    ("registry.build.pipeline", "scan_files"),
    ("registry.build.pipeline", "file_dates"),
    ("registry.build.pipeline", "check_across_files"),
    ("registry.build.pipeline", "governance_rows"),
    ("registry.build.pipeline", "parse_files"),
    ("registry.build.pipeline", "OverlapIndexInputs.__init__"),
    ("registry.build.pipeline", "publish"),
    ("registry.build.pipeline", "known_after"),
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
    ("registry.build.update", "drop_unused"),  # before text_uses.py
    ("registry.build.text_uses", "TextUses.__init__"),
    ("registry.build.text_uses", "TextUses.overlaps_replaced"),
    ("registry.build.text_uses", "TextUses.drop_unused"),
    ("registry.build.db", "shutil.copyfile"),
    ("registry.build.db", "check_integrity"),
    ("registry.build.db", "check_foreign_keys"),
    ("registry.build.db", "_fsync_and_hash"),
    ("registry.build.pipeline", "entry_dates"),
    ("registry.build.pipeline", "rule_rows"),
    ("registry.build.pipeline", "observation_rows"),
    ("registry.build.pipeline", "fingerprint_rows"),
    ("registry.build.pipeline", "Memory.remember"),
    ("registry.build.pipeline", "WorkDatabase.published"),
    ("registry.build.update", "Update.finish"),
    ("registry.build.update", "catalog_pairs.pair_inputs"),
    ("registry.build.update", "write_page_digests"),
    ("registry.build.update", "write_planner_stats"),
    ("registry.build.work", "WorkDatabase._renumber"),
    ("registry.build.overlap_index", "OverlapIndexInputs.stage"),
    ("registry.build.overlap_index", "assembled"),
    ("registry.build.overlap_index", "staged"),
    ("classifier", "load_rules"),
    ("registry.build.pipeline", "rules_digest"),
    ("registry.build.pipeline", "load_history"),
    ("registry.build.pipeline", "cache_key"),
    ("registry.build.pipeline", "WorkDatabase._open_cached"),
    ("registry.build.pipeline", "folder_history"),
    ("registry.build.pipeline", "source_commit"),
    ("registry.build.pipeline", "Memory.open"),
    ("registry.build.pipeline", "Memory.file_stats"),
    ("registry.build.pipeline", "FileStats.save"),
    ("registry.build.update", "update"),
    ("registry.build.update", "WorkDatabase._mark_stale"),
]


def marker(run: int) -> str:
    """The run's number in letters ("bbb" for 1): a word, so that every edit changes the words
    of the entry's text (the overlap index does not count numbers, and would be left as it was)."""
    letters, number = "", run + 26 * 26 + 26
    while number:
        number, digit = divmod(number, 26)
        letters = chr(ord("a") + digit) + letters
    return letters


def edit(path: Path, run: int) -> None:
    """Mark the summary line with the run's word (a different summary, and text, every run)."""
    text = path.read_text(encoding="utf-8")
    edited, count = SUMMARY.subn(lambda m: f"{m.group(1)} (edit {marker(run)})", text, count=1)
    if count != 1:
        raise SystemExit(f"{path}: no one-line summary to edit")
    path.write_text(edited, encoding="utf-8")


def timed_steps(steps: list[tuple[str, str]] = STEPS) -> dict[str, list[tuple[float, ...]]]:
    """Wrap each of `steps` with a timer; returns step → (wall, CPU, perf_counter at its start)
    of each call. CPU is the calling thread's: what a step runs in threads of its own (publish's
    checks) shows as theirs."""
    times: dict[str, list[tuple[float, ...]]] = defaultdict(list)
    for module_name, attribute in steps:
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
                times[_name].append(
                    (time.perf_counter() - started, time.thread_time() - cpu, started)
                )

        setattr(owner, name, timer)
    return times


def profile(args: argparse.Namespace, run: int) -> None:
    """One build in this process, each step timed; with --watch, as the resident build makes it:
    a first build fills the memory (memory.py), the timed one after the edit uses it."""
    from registry.build.cache import pin_code
    from registry.build.memory import Memory
    from registry.build.pipeline import build

    memory = Memory() if args.watch else None
    if memory is not None:
        pin_code()
        build(ROOT / "entries", Path(args.out), Path(args.cache_dir), False, memory=memory)
    times = timed_steps()
    edit(ROOT / args.entry, run)
    started, cpu = time.perf_counter(), time.process_time()
    result = build(
        ROOT / "entries", Path(args.out), Path(args.cache_dir), progress=False, memory=memory
    )
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"profile: {total:.2f} s in the build, {cpu:.2f} CPU-s ({result.parsed} parsed), "
        f"load {_load()}"
    )
    print("     wall      CPU  step")
    for step, calls in sorted(times.items(), key=lambda item: -sum(w for w, _ in item[1])):
        wall, thread_cpu = (sum(call[i] for call in calls) for i in (0, 1))
        print(f"  {wall:7.3f}  {thread_cpu:7.3f}  {step} ({len(calls)} calls)")


def watched_runs(args: argparse.Namespace, path: Path, log: Path) -> list[float]:
    """Start `commons build --watch`, wait for its first build, then time each edit from the
    file's write to the database replaced. Stopped with Ctrl-C (SIGINT) at the end."""
    commons = Path(sys.executable).with_name("commons")
    command = [str(commons), "build", "--watch", "--out", args.out, "--cache-dir", args.cache_dir]
    from registry.build.resident import published

    out, walls = Path(args.out), []
    with log.open("w") as stderr:
        # Ctrl-C's default action back, should this script run where SIGINT is ignored (a
        # background job of a shell without job control passes SIG_IGN on to its children).
        process = subprocess.Popen(command, cwd=ROOT, stderr=stderr, preexec_fn=_interruptible)
    try:
        while "Watching" not in log.read_text():
            if process.poll() is not None:
                raise SystemExit(log.read_text())
            time.sleep(0.1)
        time.sleep(3)  # past the file stats' clock grace for the files the first build read
        for run in range(1, args.runs + 1):
            before, load, wrote = published(out), _load(), log.read_text().count("Wrote ")
            cpu = process_cpu(process.pid)
            started = time.perf_counter()
            edit(path, run)
            while published(out) == before:
                if time.perf_counter() - started > 600:
                    raise SystemExit(f"no database published within 600 s:\n{log.read_text()}")
                time.sleep(0.002)
            walls.append(time.perf_counter() - started)
            while log.read_text().count("Wrote ") == wrote:  # its own report, for the log
                time.sleep(0.01)
            line = log.read_text().strip().splitlines()[-1]
            cpu = process_cpu(process.pid) - cpu
            print(
                f"run {run}: {walls[-1]:.2f} s write to publish, {cpu:.2f} CPU-s (load {load}): "
                f"{line}"
            )
            time.sleep(1)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=120)
    return walls


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """User and system CPU seconds of a running process and its waited-for children, from
    /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--cache-dir", required=True)
    parser.add_argument("--entry", required=True, help="the file whose summary is edited")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--watch", action="store_true", help="time the resident build instead")
    args = parser.parse_args()
    path = ROOT / args.entry
    original = path.read_bytes()
    if args.watch:
        try:
            if args.runs:
                walls = watched_runs(args, path, Path(args.out).with_name("watch.log"))
                print(f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s")
            if args.profile:
                profile(args, int(time.time()))
        finally:
            path.write_bytes(original)
        return 0
    commons = Path(sys.executable).with_name("commons")
    command = [str(commons), "build", "--out", args.out, "--cache-dir", args.cache_dir]
    walls = []
    try:
        for run in range(1, args.runs + 1):
            edit(path, run)
            load = _load()
            cpu = _children_cpu()
            started = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            walls.append(time.perf_counter() - started)
            if done.returncode:
                raise SystemExit(done.stderr)
            cpu = _children_cpu() - cpu
            print(
                f"run {run}: {walls[-1]:.2f} s wall, {cpu:.2f} CPU-s (load {load}): "
                f"{done.stderr.strip()}"
            )
        if walls:
            print(f"min {min(walls):.2f} s, median {statistics.median(walls):.2f} s")
        if args.profile:
            profile(args, int(time.time()))  # an edit no earlier run made
    finally:
        path.write_bytes(original)
    return 0


if __name__ == "__main__":
    sys.exit(main())
