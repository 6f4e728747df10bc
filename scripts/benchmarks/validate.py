"""Validation speed: the loader against libyaml alone on the same files."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from registry.entry.loader import load
from scripts.benchmarks.synthetic import write_entries

DEFAULT_SIZES = [10_000]
REPEATS = 3


def _median_seconds(work) -> float:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(sizes: list[int], workdir: Path) -> list[dict]:
    rows = []
    for n in sizes:
        folder = workdir / f"validate-{n}"
        paths = write_entries(folder, n)

        def floor(paths=paths):
            for path in paths:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        floor_seconds = _median_seconds(floor)
        seconds = _median_seconds(lambda folder=folder: load([folder]))
        rows.append(
            {
                "benchmark": "validate (strict YAML + schema + cross-file checks)",
                "n": n,
                "seconds": seconds,
                "floor_seconds": floor_seconds,
                "ratio": seconds / floor_seconds,
                "target": "ratio <= 3",
                "ok": seconds / floor_seconds <= 3,
                "note": "floor: yaml.load(CSafeLoader) of every file",
            }
        )
    return rows
