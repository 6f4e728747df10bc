"""Content index: sketching throughput per core, cluster speed-up, and query time at scale.

1. Throughput: one process fingerprints the public-domain corpus (King James Bible chapters and
   Devil's Dictionary definitions, Debian packages); the floor in the same run is the work any
   shingle method must do (words and the set of 5-word shingles), so the ratio says what the
   MinHash and paragraph hashes cost on top.
2. Engines: the same shard tasks (registry/overlap/content/build.py) on a Dask LocalCluster and
   on a local Ray runtime, with 1 and 2 single-threaded worker processes, interleaved run by
   run; each engine's start (and a warm-up task) is timed apart from the build. The corpus is
   copied COPIES times so a build runs long enough to measure.
3. Query: 1,000 sample documents (30% seller copies of public-domain documents, 70% real text
   not indexed, tests/overlap/content_samples.py) against an index of 1,000,000 documents:
   the 2,197 real public-domain documents plus synthetic ones (random signatures and paragraph
   hashes, which collide with nothing: a synthetic index is a fair load for lookups, not for
   accuracy). Measured: loading the lookup (sorting band keys), then the query, end to end
   (sketching the 1,000 documents included).

Usage: python scripts/benchmarks/content_index.py [--runs 3] [--copies 4] [--documents 1000000]
       [--skip-ray]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "overlap"))

from content_samples import mixed_sample, other_texts  # noqa: E402

from registry.overlap.content.build import (  # noqa: E402
    batches,
    build_index,
    cluster,
    named_files,
    shard_task,  # noqa: E402
)
from registry.overlap.content.containment import Lookup, contained  # noqa: E402
from registry.overlap.content.debian_texts import write_corpus  # noqa: E402
from registry.overlap.content.documents import Document  # noqa: E402
from registry.overlap.content.fingerprint import NUM_PERM, fingerprint, words_of  # noqa: E402
from registry.overlap.content.shards import ContentIndex, load  # noqa: E402


def throughput(texts: list[str]) -> dict:
    size = sum(len(t.encode()) for t in texts)
    start = time.perf_counter()
    for text in texts:
        words = words_of(text)
        {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
    floor = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        fingerprint(text)
    full = time.perf_counter() - start
    return {
        "mb_per_second_per_core": round(size / full / 1e6, 3),
        "documents_per_second_per_core": round(len(texts) / full, 1),
        "floor_seconds": round(floor, 3),
        "seconds": round(full, 3),
        "ratio_to_floor": round(full / floor, 2),
    }


def dask_build(corpus: Path, out: Path, workers: int) -> tuple[float, float]:
    """The same shard tasks on a Dask LocalCluster (profiler off, one thread a worker)."""
    import dask
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, dashboard_address=None, host="127.0.0.1"
        ) as local,
        Client(local) as client,
    ):
        client.wait_for_workers(workers)
        started = time.perf_counter()
        out.mkdir(parents=True, exist_ok=True)
        groups = batches(named_files([corpus]), 128)
        futures = client.map(
            shard_task,
            ["project-gutenberg"] * len(groups),
            groups,
            [str(out)] * len(groups),
            range(len(groups)),
            pure=False,
        )
        client.gather(futures)
        done = time.perf_counter()
    return started - start, done - started


def ray_build(corpus: Path, out: Path, workers: int) -> tuple[float, float]:
    """The project's build (registry/overlap/content/build.py) on a local Ray runtime."""
    start = time.perf_counter()
    with cluster(workers=workers) as client:
        (out / "warm").mkdir(parents=True)
        client.map(
            shard_task,
            ["warm"] * workers,
            [[]] * workers,
            [str(out / "warm")] * workers,
            range(workers),
        )
        started = time.perf_counter()
        build_index(client, "project-gutenberg", [corpus], out, files_per_shard=128)
        done = time.perf_counter()
    return started - start, done - started


def engines(corpus: Path, runs: int, skip_ray: bool) -> dict:
    """Each run builds once per engine and worker count, interleaved, so that a change of the
    machine's load falls on every configuration alike."""
    builds = {"dask": dask_build} if skip_ray else {"dask": dask_build, "ray": ray_build}
    found: dict[str, dict] = {
        f"{e}-{w}": {"start_seconds": [], "build_seconds": [], "load": []}
        for e in builds
        for w in (1, 2)
    }
    for _ in range(runs):
        for engine, build in builds.items():
            for workers in (1, 2):
                with tempfile.TemporaryDirectory() as tmp:
                    begun, took = build(corpus, Path(tmp) / "index", workers)
                row = found[f"{engine}-{workers}"]
                row["start_seconds"].append(round(begun, 2))
                row["build_seconds"].append(round(took, 2))
                row["load"].append(round(os.getloadavg()[0], 1))
    for engine in builds:
        one = statistics.median(found[f"{engine}-1"]["build_seconds"])
        two = statistics.median(found[f"{engine}-2"]["build_seconds"])
        found[f"{engine}-speed-up"] = round(one / two, 2)
    return found


def synthetic_index(real: ContentIndex, total: int, seed: int = 0) -> ContentIndex:
    rng = np.random.default_rng(seed)
    extra = total - len(real.entry_ids)
    signatures = rng.integers(0, 2**32, size=(extra, NUM_PERM), dtype=np.uint32)
    paragraphs = rng.integers(-(2**63), 2**63 - 1, size=extra * 4, dtype=np.int64)
    owners = np.repeat(np.arange(extra, dtype=np.int64), 4) + len(real.entry_ids)
    hashes = np.concatenate([real.paragraph_hashes, paragraphs])
    documents = np.concatenate([real.paragraph_documents, owners])
    order = np.argsort(hashes, kind="stable")
    return ContentIndex(
        np.concatenate([real.entry_ids, np.full(extra, "synthetic", dtype=object)]),
        np.concatenate([real.names, np.full(extra, "synthetic", dtype=object)]),
        np.concatenate([real.shingles, rng.integers(50, 2000, size=extra)]),
        np.concatenate([real.signatures, signatures]),
        hashes[order],
        documents[order],
    )


def query(real_index: Path, commons: list[str], total: int, runs: int) -> dict:
    index = synthetic_index(load(real_index), total)
    start = time.perf_counter()
    lookup = Lookup(index)
    load_seconds = time.perf_counter() - start
    times, shares = [], []
    for seed in range(runs):
        sample = mixed_sample(commons, other_texts(), 1000, 0.3, seed)
        documents = [Document(f"doc{n}", text) for n, (_, text) in enumerate(sample)]
        start = time.perf_counter()
        report = contained(lookup, documents)
        times.append(round(time.perf_counter() - start, 2))
        shares.append({e["id"]: e["share"] for e in report["entries"]})
    return {
        "index_documents": len(index.entry_ids),
        "lookup_load_seconds": round(load_seconds, 2),
        "query_seconds": times,
        "shares": shares,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--only", choices=["throughput", "engines", "query"])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="content-bench-"))
    try:
        write_corpus(work / "pd")
        for copy in range(args.copies):
            shutil.copytree(work / "pd", work / "corpus" / f"copy{copy}")
        commons = [p.read_text() for p in sorted((work / "pd").rglob("*.txt"))]
        report: dict = {"load_average": os.getloadavg(), "cpus": os.cpu_count()}
        if args.only in (None, "throughput"):
            report["throughput"] = throughput(commons)
        if args.only in (None, "engines"):
            report["engines"] = engines(work / "corpus", args.runs, args.skip_ray)
        if args.only in (None, "query"):
            with cluster(workers=2) as client:
                build_index(client, "project-gutenberg", [work / "pd"], work / "index")
            report["query"] = query(work / "index", commons, args.documents, args.runs)
        report["load_average_after"] = os.getloadavg()
        print(json.dumps(report, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
