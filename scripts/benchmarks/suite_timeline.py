"""Which pytest-xdist worker ran which test file when, in one whole run of the suite: the
schedule's shape (how long each worker idles at the end, which file is last), which CPU
figures cannot show.

As a pytest plugin (`-p scripts.benchmarks.suite_timeline`, with SUITE_TIMELINE=<folder>) each
worker writes one line a test (worker, test id, start, end, in wall-clock seconds, setup and
teardown included, and the worker's CPU seconds in between, its waited-for children's included) to
<folder>/<worker>.tsv, and a line for its start and collection and one for its session's end. As
a command it runs the suite's pytest command (test.sh's, without its installs and lint; extra
arguments go to pytest, a later `-n 3` wins) with the plugin, prints its CPU and wall time, the
longest file spans with their CPU, and each worker's idle tail.

    python -m scripts.benchmarks.suite_timeline [--top 30] [pytest arguments ...]
"""

from __future__ import annotations

import argparse
import ctypes
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from scripts.benchmarks import suite_cpu

REPO = Path(__file__).resolve().parents[2]
PYTEST = ["-m", "pytest", "-n", "auto", "--dist", "loadfile", "--no-loadscope-reorder", "-q"]


def _cpu() -> float:
    """This process's CPU seconds, its waited-for children's included (Chromium's through the
    Playwright driver once it exits, a `commons serve` once stopped)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _write(name: str, start: tuple[float, float]) -> None:
    """One line of this worker's timeline: what ran from `start` (wall, CPU) to now."""
    folder = os.environ.get("SUITE_TIMELINE")
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        cpu = _cpu() - start[1]
        with open(Path(folder) / f"{worker}.tsv", "a") as out:
            out.write(f"{worker}\t{name}\t{start[0]:.3f}\t{time.time():.3f}\t{cpu:.3f}\n")


# Plain hooks only (no pytest import: the benchmarks' lock does not pin pytest).
_started: dict[str, tuple[float, float]] = {}


def pytest_sessionstart(session):
    """The worker's start, before collection."""
    _started["session"] = (time.time(), _cpu())


def pytest_collection_finish(session):
    """Collection's span, from the worker's start."""
    _write("(start and collection)", _started["session"])


def pytest_runtest_logstart(nodeid, location):
    """A test's start, before its fixtures' setup."""
    _started[nodeid] = (time.time(), _cpu())


def pytest_runtest_logfinish(nodeid, location):
    """A test's end, after its fixtures' teardown."""
    _write(nodeid, _started.pop(nodeid))


def pytest_sessionfinish(session):
    """The session's end (the controller's includes stopping the workers)."""
    _started["finish"] = (time.time(), _cpu())


def pytest_unconfigure(config):
    """The end of the session's finish: temporary folders' clean-up, the workers' exit."""
    if "finish" in _started:
        _write("(session finish)", _started["finish"])


def read_spans(folder: Path) -> dict[str, list[tuple[str, float, float, float]]]:
    """Each worker's files in the order it ran them: (file, first start, last end, CPU-s). The
    xdist controller's lines (`main`, the workers' tests again) are left out."""
    spans: dict[str, list[list]] = defaultdict(list)
    paths = sorted(folder.glob("*.tsv"))
    for path in [p for p in paths if p.stem != "main"] or paths:
        for line in path.read_text().splitlines():
            worker, nodeid, start, end, cpu = line.split("\t")
            name = nodeid.split("::")[0]
            runs = spans[worker]
            if runs and runs[-1][0] == name:
                runs[-1][2] = float(end)
                runs[-1][3] += float(cpu)
            else:
                runs.append([name, float(start), float(end), float(cpu)])
    return {worker: [tuple(run) for run in runs] for worker, runs in spans.items()}


def report(spans: dict, origin: float, top: int) -> None:
    """Print the longest file spans and each worker's timeline end and idle tail."""
    last = max(run[2] for runs in spans.values() for run in runs)
    every = [(run[2] - run[1], worker, run) for worker, runs in spans.items() for run in runs]
    print("\n| file | worker | from s | to s | span s | CPU-s |\n|---|---|---:|---:|---:|---:|")
    for span, worker, (name, start, end, cpu) in sorted(every, reverse=True)[:top]:
        print(
            f"| {name} | {worker} | {start - origin:.1f} | {end - origin:.1f} | {span:.1f} "
            f"| {cpu:.1f} |"
        )
    spent = sum(run[3] for runs in spans.values() for run in runs)
    print(f"\nCPU-s in the workers (waited-for children included): {spent:.1f}")
    print("\n| worker | files | first test s | last end s | idle at the end s | last file |")
    print("|---|---:|---:|---:|---:|---|")
    for worker, runs in sorted(spans.items()):
        end = runs[-1][2]
        print(
            f"| {worker} | {len(runs)} | {runs[0][1] - origin:.1f} | {end - origin:.1f} "
            f"| {last - end:.1f} | {runs[-1][0]} |"
        )


def run(extra: list[str], folder: Path) -> None:
    """Run the suite's pytest command with the plugin; print its CPU (children and orphans
    included, as suite_cpu counts them), wall time, load and failures."""
    env = dict(os.environ, SUITE_TIMELINE=str(folder))
    env["PYTHONPYCACHEPREFIX"] = str(REPO / ".cache" / "pycache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    load, start, cpu = os.getloadavg()[0], time.time(), suite_cpu._cpu()
    command = [sys.executable, *PYTEST, "-p", "scripts.benchmarks.suite_timeline", "-rfE", *extra]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    wall = time.time() - start
    suite_cpu._reap_orphans()
    cpu = suite_cpu._cpu() - cpu
    lines = done.stdout.strip().splitlines()
    tail = [line for line in lines if line.startswith(("FAILED", "ERROR"))] + lines[-1:]
    print(f"{cpu:.1f} CPU-s, {wall:.1f} s wall, load {load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"exit {done.returncode}: {tail}; timeline in {folder}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    args, extra = parser.parse_known_args()
    folder = Path(tempfile.mkdtemp(prefix="suite-timeline-"))
    start = time.time()
    run(extra, folder)
    report(read_spans(folder), start, args.top)


if __name__ == "__main__":
    main()
