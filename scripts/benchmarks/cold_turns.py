"""Cold builds of two versions of the code and the raw floor, turn about, each in its own child.

For each: seconds in `build()` (in `raw_floor()` for the floor; start-up not timed, as
scripts/bench.py times them), the child's CPU seconds with its worker processes, its peak
resident memory (the build process; workers are smaller), and the database's sha256. The wall
ratio compares a build on every core with the one-process floor; the CPU ratio compares the
work done. `--same-method` runs this version with the other's overlap-method digest (the key of
the saved overlap index hashes the sources of registry/overlap/text.py and its neighbours,
saved_index.METHOD_SOURCES), so equal sha256 sums show that every other byte is the same.
`--new-out` gives every build a folder of its own, so each writes the overlap index beside its
database as a first build does (otherwise a later turn finds the index of the same key there from
the turn before, and skips writing it).

Usage: python -m scripts.benchmarks.cold_turns /tmp/main-code [--entries entries] [--turns 2]
       [--same-method] [--new-out]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = """
import sys, time
sys.path[:0] = [{code!r}]
{patch}
from pathlib import Path
from registry.build.pipeline import build
started = time.perf_counter()
build(Path({entries!r}), Path({out!r}), cache_dir=None, progress=False)
print(time.perf_counter() - started)
"""
FLOOR = """
import sys, time
sys.path[:0] = [{code!r}]
from pathlib import Path
from registry.build.sources import source_files
from scripts.benchmarks.build import raw_floor
paths = source_files(Path({entries!r}), True)
started = time.perf_counter()
raw_floor(paths, Path({out!r}))
print(time.perf_counter() - started)
"""
DIGEST = "import sys; sys.path[:0] = [{code!r}]; from registry.overlap.saved_index import "
DIGEST += "method_digest; print(method_digest())"


def child(script: str) -> dict:
    """Run `script` in a child Python: its printed seconds, CPU seconds (children included),
    peak RSS in MB and the load average when it started."""
    load = os.getloadavg()[0]
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1767225600")}
    timed = ["/usr/bin/time", "-f", "%U %S %M", sys.executable, "-c", script]
    done = subprocess.run(timed, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    user, system, peak = done.stderr.split()[-3:]
    return {
        "seconds": float(done.stdout.split()[-1]),
        "cpu": float(user) + float(system),
        "peak_mb": int(peak) // 1024,
        "load": load,
    }


def one_turn(codes: dict[str, str], entries: str, tmp: Path, order: list[str], patch: str):
    results = {}
    for name in order:
        out = str(tmp / f"{name}.db")
        if name == "floor":
            script = FLOOR.format(code=str(ROOT), entries=entries, out=out)
        else:
            fix = patch if name == "this" else ""
            script = BUILD.format(code=codes[name], patch=fix, entries=entries, out=out)
        results[name] = child(script)
        if name != "floor":
            results[name]["sha256"] = hashlib.sha256(Path(out).read_bytes()).hexdigest()[:16]
            index = Path(out + ".overlap")
            results[name]["index_sha256"] = hashlib.sha256(index.read_bytes()).hexdigest()[:16]
            results[name]["mb"] = round(Path(out).stat().st_size / 1e6, 1)
        print(f"  {name}: {results[name]}", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", help="folder with the other version's registry/ and classifier/")
    parser.add_argument("--entries", default="entries", help="the catalog's entries folder")
    parser.add_argument("--turns", type=int, default=2)
    parser.add_argument("--same-method", action="store_true")
    parser.add_argument("--new-out", action="store_true", help="a new folder for every turn")
    args = parser.parse_args()
    codes = {"other": str(Path(args.other).resolve()), "this": str(ROOT)}
    patch = ""
    if args.same_method:
        script = DIGEST.format(code=codes["other"])
        digest = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        patch = f"import registry.overlap.saved_index as s; s.method_digest = lambda: {digest!r}"
    turns = []
    with tempfile.TemporaryDirectory(prefix="commons-cold-") as tmp:
        for turn in range(args.turns):
            order = ["floor", "other", "this"][:: 1 if turn % 2 == 0 else -1]
            folder = Path(tmp) / f"turn-{turn}" if args.new_out else Path(tmp)
            folder.mkdir(exist_ok=True)
            turns.append(one_turn(codes, str(Path(args.entries).resolve()), folder, order, patch))
            t = turns[-1]
            print(
                f"turn {turn}: same bytes {t['other']['sha256'] == t['this']['sha256']}; "
                + ", ".join(
                    f"{n}/floor {t[n]['seconds'] / t['floor']['seconds']:.2f} wall, "
                    f"{t[n]['cpu'] / t['floor']['cpu']:.2f} CPU"
                    for n in ("other", "this")
                ),
                flush=True,
            )
    for name in ("floor", "other", "this"):
        values = [t[name]["seconds"] for t in turns]
        print(f"{name}: min {min(values):.2f} s, median {statistics.median(values):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
