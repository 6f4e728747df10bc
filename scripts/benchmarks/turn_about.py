"""Warm one-entry rebuilds of two versions of the code, turn about, on the real catalog.

Each turn renames one random file (curated or imported); then each version rebuilds from
its own cache, in a child process of its own (only `build()` is timed, as scripts/bench.py
times it), in alternating order. The files are restored from git at the end. The other
version is any folder holding `registry/` and `classifier/`, for example
`git archive main registry classifier | tar -x -C /tmp/main-code`; `--this` takes such a
folder too, so this checkout's code can change while the turns run.

Usage: python -m scripts.benchmarks.turn_about /tmp/main-code [--turns 5]
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
result = build(Path('entries'), Path({out!r}), cache_dir=Path({cache!r}), progress=False)
print(time.perf_counter() - started, result.parsed)
"""


def rebuild(code: str, scratch: Path, name: str) -> tuple[float, int]:
    """One build of `code` into `scratch`, from its cache there: (seconds, files parsed)."""
    script = CHILD.format(code=code, out=str(scratch / f"{name}.db"), cache=str(scratch / name))
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
    args = parser.parse_args()
    codes = {"other": str(Path(args.other).resolve()), "this": str(Path(args.this).resolve())}
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
    for name, values in times.items():
        print(
            f"{name}: median {statistics.median(values):.2f} s, "
            f"{min(values):.2f}-{max(values):.2f} ({', '.join(f'{v:.2f}' for v in values)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
