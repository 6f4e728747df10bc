"""A cold build (no cache) of a catalog with each of its steps timed: where the time goes.

Each step of STEPS is wrapped with a timer; a step is printed with when its first call began
(seconds from the build's start), its wall time and the CPU time of the thread that ran it, summed
over its calls, in order of its first call. Steps run in threads (the overlap pairs, the overlap
index, publish's checks) overlap the main thread's. Also printed: the build's wall time, the main
process's CPU (every thread) and its parse workers' CPU, the load average.

Usage: python -m scripts.benchmarks.cold_steps --entries entries --out /tmp/cold/registry.db
(the out folder should hold no overlap index of the same inputs, or the index is not written)
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from scripts.benchmarks.warm_rebuild import timed_steps

STEPS = [
    ("registry.build.pipeline", "scan_files"),
    ("registry.build.pipeline", "entry_dates"),
    ("registry.build.pipeline", "parse_files"),
    ("registry.build.update", "Update._flush"),
    ("registry.build.update", "insert_rows"),
    ("registry.build.work", "WorkDatabase._stage_rowid_rows"),
    ("registry.build.update", "Update.start_pairs"),
    ("registry.build.update", "Update._pair_rows"),
    ("registry.build.update", "pair_delta.full"),
    ("registry.build.update", "pair_table.stage_rows"),
    ("registry.build.pipeline", "check_across_files"),
    ("registry.build.pipeline", "governance_rows"),
    ("registry.build.update", "Update.finish"),
    ("registry.build.work", "WorkDatabase._copy_staged_rowid_table"),
    ("registry.build.update", "create_fts"),
    ("registry.build.update", "rebuild_fts"),
    ("registry.build.update", "create_indexes"),
    ("registry.build.update", "fill_facet_counts"),
    ("registry.build.update", "Update._write_pairs"),
    ("registry.build.update", "write_page_digests"),
    ("registry.build.overlap_index", "OverlapIndexInputs.__init__"),
    ("registry.build.overlap_index", "OverlapIndexInputs.stage"),
    ("registry.build.overlap_index", "assembled"),
    ("registry.build.overlap_index", "staged"),
    ("registry.build.pipeline", "publish"),
    ("registry.build.db", "check_foreign_keys"),
    ("registry.build.db", "check_integrity"),
    ("registry.build.db", "_fsync_and_hash"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", default="entries")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    times = timed_steps(STEPS)
    from registry.build.pipeline import build

    started, cpu = time.perf_counter(), time.process_time()
    build(Path(args.entries), Path(args.out), cache_dir=None, progress=False)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"cold build: {wall:.2f} s, main process {cpu:.2f} CPU-s, parse workers "
        f"{workers.ru_utime + workers.ru_stime:.2f} CPU-s, load {os.getloadavg()[0]:.1f}"
    )
    print("   begin     wall  thread CPU  step (calls)")
    for step, calls in sorted(times.items(), key=lambda item: item[1][0][2]):
        wall_sum = sum(call[0] for call in calls)
        cpu_sum = sum(call[1] for call in calls)
        begin = calls[0][2] - started
        print(f"  {begin:6.2f}  {wall_sum:7.2f}  {cpu_sum:10.2f}  {step} ({len(calls)})")


if __name__ == "__main__":
    main()
