"""CPU seconds of each test file, child processes included (Chromium, Datasette, mkdocs and Ray
run in processes the tests start): the suite's work, which no scheduling over 2 cores can hide,
and a figure less sensitive to the machine's load than wall time.

Each file runs alone in its own pytest (no xdist), so session fixtures are built once per file
(the curated catalog is built by every file that uses it). This process is a child subreaper:
daemons a test starts detached (Ray's) are reaped here, so their CPU is counted too. Prints a
table, the files by CPU, with the load before each file.

    python -m scripts.benchmarks.suite_cpu [tests/test_site.py ...] [--top 25]
    python -m scripts.benchmarks.suite_cpu --whole   # `bash scripts/test.sh -q`, CPU and wall
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _cpu() -> float:
    """User + system CPU seconds of this process's waited-for children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_orphans(wait: float = 30.0) -> None:
    """Wait for the descendants that were left to this subreaper, up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)
    print("  (descendants still running after the file; their CPU is not counted)", flush=True)


def measure(path: str) -> tuple[float, float, float, int]:
    """(CPU-s, wall-s, load before, exit code) of one pytest run of `path` (files split by spaces
    run in one session)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(REPO / ".cache" / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    load = os.getloadavg()[0]
    before, start = _cpu(), time.perf_counter()
    command = [sys.executable, "-m", "pytest", "-p", "no:xdist", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run([*command, *path.split()], cwd=REPO, env=env, capture_output=True)
    _reap_orphans()
    return _cpu() - before, time.perf_counter() - start, load, done.returncode


def whole() -> None:
    """CPU and wall of `bash scripts/test.sh -q` (installs and lint included); pytest's failures
    and summary."""
    load, before, start = os.getloadavg()[0], _cpu(), time.perf_counter()
    command = ["bash", "scripts/test.sh", "-q", "-rfE"]
    done = subprocess.run(command, cwd=REPO, capture_output=True)
    _reap_orphans()
    cpu, wall = _cpu() - before, time.perf_counter() - start
    lines = done.stdout.decode("utf-8", "replace").strip().splitlines()
    summary = [line for line in lines if line.startswith(("FAILED", "ERROR"))] + lines[-1:]
    print(f"{cpu:.1f} CPU-s, {wall:.1f} s wall, load {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"exit {done.returncode}: {summary}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="test files (default: every tests/**/test_*.py)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--whole", action="store_true", help="the whole suite, as test.sh runs it")
    args = parser.parse_args()
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    if args.whole:
        return whole()
    files = args.files or sorted(str(p.relative_to(REPO)) for p in REPO.glob("tests/**/test_*.py"))
    rows = []
    for path in files:
        cpu, wall, load, code = measure(path)
        rows.append((cpu, wall, load, code, path))
        print(f"{cpu:8.1f} CPU-s {wall:7.1f} s  load {load:4.1f}  rc {code}  {path}", flush=True)
    rows.sort(reverse=True)
    total = sum(row[0] for row in rows)
    print("\n| file | CPU-s | wall s | load |\n|---|---:|---:|---:|")
    for cpu, wall, load, code, path in rows[: args.top]:
        flag = "" if code == 0 else f" (exit {code})"
        print(f"| {path}{flag} | {cpu:.1f} | {wall:.1f} | {load:.1f} |")
    print(f"| all {len(rows)} files | {total:.1f} | | |")


if __name__ == "__main__":
    main()
