"""Start-up of the command line: `commons --help` against `python -c pass`.

Every command imports its work inside the command, so the help loads click
and the command modules only; the floor is the interpreter starting and
exiting. Runs alternate between the two, so both see the same load.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT_SIZES = [0]  # no entries: start-up does not read any
RUNS = 30
TARGET_SECONDS = 0.3
COMMONS = Path(sys.executable).with_name("commons")


def _seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def run(sizes: list[int], workdir: Path) -> list[dict]:
    floors, helps = [], []
    for _ in range(RUNS):
        floors.append(_seconds([sys.executable, "-c", "pass"]))
        helps.append(_seconds([str(COMMONS), "--help"]))
    floor, seconds = statistics.median(floors), statistics.median(helps)
    quartiles = statistics.quantiles(helps, n=4)
    return [
        {
            "benchmark": "commons --help (start-up)",
            "n": 0,
            "seconds": seconds,
            "floor_seconds": floor,
            "ratio": seconds / floor,
            "target": f"< {TARGET_SECONDS:g} s",
            "ok": seconds < TARGET_SECONDS,
            "note": (
                f"medians of {RUNS} runs of each, alternating; commons --help quartiles "
                f"{quartiles[0] * 1000:.0f}-{quartiles[2] * 1000:.0f} ms; floor: python -c pass; "
                f"load avg {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            ),
        }
    ]
