"""Warm one-entry rebuilds of two versions of the code, turn about, on the real catalog.

Each turn renames one random file (curated or imported); then each version rebuilds from
its own cache, in a child process of its own (only `build()` is timed, as scripts/bench.py
times it), in alternating order. The files are restored from git at the end. The other
version is any folder holding `registry/` and `classifier/`, for example
`git archive main registry classifier | tar -x -C /tmp/main-code`; `--this` takes such a
folder too, so this checkout's code can change while the turns run.

With `--cold`, each turn builds each version from scratch (no cache, no file changed).

Usage: python -m scripts.benchmarks.turn_about /tmp/main-code [--turns 5] [--cold]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from registry.build.sources import source_files
from scripts.benchmarks.real_catalog import NAME_LINE, ROOT

CHILD = """
import sys, time
sys.path[:0] = [{code!r}]
from pathlib import Path
from registry.build.pipeline import build
started = time.perf_counter()
cache = None if {cache!r} is None else Path({cache!r})
result = build(Path('entries'), Path({out!r}), cache_dir=cache, progress=False)
print(time.perf_counter() - started, result.parsed)
"""


def rebuild(code: str, scratch: Path, name: str, cold: bool = False) -> tuple[float, int]:
    """One build of `code` into `scratch`, from its cache there (from scratch, without a cache,
    when `cold`): (seconds, files parsed)."""
    cache = None if cold else str(scratch / name)
    script = CHILD.format(code=code, out=str(scratch / f"{name}.db"), cache=cache)
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", help="folder with the other version's registry/ and classifier/")
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument(
        "--this", default=str(ROOT), help="this version's code (default: this checkout's)"
    )
    parser.add_argument("--cold", action="store_true", help="cold builds (no cache), no changes")
    args = parser.parse_args()
    codes = {"other": str(Path(args.other).resolve()), "this": str(Path(args.this).resolve())}
    if args.cold:
        return cold_turns(codes, args.turns)
    paths = source_files(ROOT / "entries")
    times: dict[str, list[float]] = {name: [] for name in codes}
    changed: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="commons-turns-") as tmp:
        for name, code in codes.items():
            print(f"{name}: first build {rebuild(code, Path(tmp), name)[0]:.1f} s", flush=True)
        rng = random.Random(7)
        try:
            for turn in range(args.turns):
                path = rng.choice(paths)
                changed.append(path)
                text = path.read_text(encoding="utf-8")
                stamp = f"name: Changed {time.perf_counter_ns()}"
                path.write_text(NAME_LINE.sub(stamp, text, count=1), encoding="utf-8")
                for name in list(codes)[:: 1 if turn % 2 == 0 else -1]:
                    seconds, parsed = rebuild(codes[name], Path(tmp), name)
                    times[name].append(seconds)
                    print(
                        f"  {name}: {seconds:.2f} s ({parsed} parsed), load "
                        f"{os.getloadavg()[0]:.1f}",
                        flush=True,
                    )
        finally:
            subprocess.run(["git", "-C", str(ROOT), "checkout", "--", *map(str, changed)])
    _summary(times)
    return 0


def cold_turns(codes: dict[str, str], turns: int) -> int:
    """Cold builds (no cache) of each version, alternating which goes first."""
    times: dict[str, list[float]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory(prefix="commons-turns-") as tmp:
        for turn in range(turns):
            for name in list(codes)[:: 1 if turn % 2 == 0 else -1]:
                times[name].append(rebuild(codes[name], Path(tmp), name, cold=True)[0])
                print(f"  {name}: cold {times[name][-1]:.2f} s, load {os.getloadavg()[0]:.1f}")
    _summary(times)
    return 0


def _summary(times: dict[str, list[float]]) -> None:
    for name, values in times.items():
        print(
            f"{name}: median {statistics.median(values):.2f} s, "
            f"{min(values):.2f}-{max(values):.2f} ({', '.join(f'{v:.2f}' for v in values)})",
            flush=True,
        )


if __name__ == "__main__":
    sys.exit(main())
