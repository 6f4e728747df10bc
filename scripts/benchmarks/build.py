"""Build and publication speed: `commons build` and Datasette against raw floors.

- cold build (validate, classify, rows, FTS, checks, atomic swap) against the
  floor of the same run: libyaml CSafeLoader parse of every file plus a plain
  executemany insert into a table with an FTS5 index, the two taking turns
  (21 of each at 1,000 entries, 5 up to 10,000, medians compared; target: at
  most 1.5x);
- the niche-museums pipeline as a peer: yaml-to-sqlite of one concatenated
  YAML list, then `sqlite-utils enable-fts`;
- a warm rebuild after one entry changes, through the content-hash cache
  (target: under 2 s at 10,000 entries);
- the catalog overlap pairs step of those builds (registry/overlap/catalog_pairs.py
  and pair_table.py),
  cold and warm, against the floor of writing its rows with a plain executemany
  (target: at most 0.5 s warm at 10,000 entries);
- Datasette JSON p95 for the faceted catalog page, for a fixed mix of
  full-text searches chosen by document frequency (scripts/benchmarks/
  search_mix.py: rare, medium and common words, and two-word searches), and
  for the worst case (the slowest of the words matching half the rows or
  more, each timed on its own), real Datasette
  over HTTP on 127.0.0.1, with /-/versions.json as the floor (target: under
  50 ms at 100,000 entries).

    python scripts/bench.py --only build --sizes 1000,10000,100000

Only the Datasette figures, for a database already built (such as dist/registry.db):

    python -m scripts.benchmarks.build dist/registry.db
"""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import yaml

from registry.build.db_schema import FTS_COLUMNS
from registry.build.pipeline import build
from registry.commands.serve import datasette_command, inspect_data
from registry.entry.canonical import dumps
from registry.overlap import catalog_pairs, pair_table
from scripts.benchmarks.search_mix import choose, describe
from scripts.benchmarks.synthetic import raw_entry, write_entries

DEFAULT_SIZES = [1_000, 10_000]
# yaml-to-sqlite reads the whole list with PyYAML's pure-Python loader: at
# 100,000 entries it passed 5 GB of memory and 8 minutes of CPU without
# finishing, so the peer is measured up to this size only.
PEER_MAX_N = 10_000
ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HTTP_REQUESTS = 100


def _repeats(n: int) -> int:
    """Turns of floor and cold build: more where a turn is short and its ratio spreads most.

    At 1,000 entries single turns ranged 1.02-2.04x and the medians of 9 turns
    1.20-1.67x from run to run; 21 turns (about 25 s) narrow the median's spread.
    """
    return 21 if n <= 1_000 else 5 if n <= 10_000 else 1


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median(work, repeats: int, before=None) -> float:
    times = []
    for _ in range(repeats):
        if before is not None:
            before()
        times.append(_timed(work))
    return statistics.median(times)


def _turns_note(ratios: list[float]) -> str:
    if len(ratios) == 1:
        return "one turn of each"
    return (
        f"medians of {len(ratios)} turns of each, build/floor per turn "
        f"{min(ratios):.2f}-{max(ratios):.2f}"
    )


def _load_note() -> str:
    return f"load avg {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def raw_floor(paths: list[Path], db_path: Path) -> None:
    """The least any build must do: parse each file with libyaml, insert, index for search."""
    rows = []
    for path in paths:
        data = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        rows.append(
            (
                data["id"],
                data["name"],
                data["summary"],
                data.get("description"),
                data["publisher"]["name"],
                repr(data.get("domains")),  # imported records may have none
            )
        )
    db_path.unlink(missing_ok=True)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "create table catalog (id text primary key, name text, summary text, description "
            "text, publisher text, domains text)"
        )
        conn.executemany("insert into catalog values (?, ?, ?, ?, ?, ?)", rows)
        columns = ", ".join(FTS_COLUMNS)
        conn.execute(
            f"create virtual table catalog_fts using fts5({columns}, content=catalog, "
            "tokenize='porter')"
        )
        conn.execute("insert into catalog_fts(catalog_fts) values ('rebuild')")
    conn.close()


def peer_pipeline(paths: list[Path], workdir: Path) -> None:
    """niche-museums: one YAML list → yaml-to-sqlite → sqlite-utils enable-fts."""
    combined = workdir / "combined.yaml"
    with combined.open("w", encoding="utf-8") as out:
        for path in paths:
            text = path.read_text(encoding="utf-8")
            out.write("- " + text.replace("\n", "\n  ").rstrip() + "\n")
    db_path = workdir / "peer.db"
    db_path.unlink(missing_ok=True)
    subprocess.run(
        [str(BIN / "yaml-to-sqlite"), str(db_path), "catalog", str(combined), "--pk", "id"],
        check=True,
    )
    subprocess.run(
        [
            str(BIN / "sqlite-utils"),
            "enable-fts",
            str(db_path),
            "catalog",
            "name",
            "summary",
            "description",
            "--tokenize",
            "porter",
        ],
        check=True,
    )


class OverlapStepTimer:
    """Times the overlap step inside real builds: reading its inputs, computing the pairs, writing
    them.

    The build looks the step's functions up on every run (registry/build/update.py),
    so they are wrapped in place; `seconds` has one total per build (call
    `next_build()` before each). The pairs are computed, and for a new
    database staged, while the build writes its other tables, so part of this
    time is hidden in the build's own.
    """

    STEPS = (
        (catalog_pairs, "pair_inputs"),
        (catalog_pairs, "pair_rows"),
        (pair_table, "read_rows"),
        (pair_table, "stage_rows"),
        (pair_table, "copy_staged"),
        (pair_table, "write_rows"),
    )

    def __init__(self):
        self.seconds: list[float] = []

    def next_build(self) -> None:
        self.seconds.append(0.0)

    def __enter__(self):
        self.originals = [getattr(module, name) for module, name in self.STEPS]

        def timed(original):
            def run(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    self.seconds[-1] += time.perf_counter() - started

            return run

        for (module, name), original in zip(self.STEPS, self.originals, strict=True):
            setattr(module, name, timed(original))
        return self

    def __exit__(self, *exc):
        for (module, name), original in zip(self.STEPS, self.originals, strict=True):
            setattr(module, name, original)


def overlap_write_floor(db_path: Path, repeats: int) -> float:
    """Writing the step's own rows with a plain executemany into an empty table with the same key
    and index."""
    with sqlite3.connect(db_path) as source:
        rows = source.execute(
            "select entry_id, other_id, score, relation, evidence from overlaps"
        ).fetchall()
    conn = sqlite3.connect(":memory:")

    def write():
        with conn:
            conn.execute("drop table if exists overlaps")
            conn.execute(
                "create table overlaps (entry_id text, other_id text, score real, relation "
                "text, evidence text, primary key (entry_id, other_id))"
            )
            conn.execute("create index idx_other on overlaps (other_id)")
            conn.executemany("insert into overlaps values (?, ?, ?, ?, ?)", rows)

    seconds = _median(write, repeats)
    conn.close()
    return seconds


def _row(
    benchmark: str, n: int, seconds: float, floor: float | None, target: str, ok: bool, note: str
) -> dict:
    return {
        "benchmark": benchmark,
        "n": n,
        "seconds": seconds,
        "floor_seconds": floor,
        "ratio": seconds / floor if floor else None,
        "target": target,
        "ok": ok,
        "note": note,
    }


def build_rows(n: int, workdir: Path) -> tuple[list[dict], Path]:
    folder = workdir / f"entries-{n}" / "entries"
    paths = write_entries(folder, n)
    repeats = _repeats(n)
    out = workdir / f"registry-{n}" / "registry.db"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

    # Floor and build take turns, so a change in the machine's speed during the run reaches both
    # alike.
    floors, colds = [], []
    with OverlapStepTimer() as cold_step:
        for _ in range(repeats):
            floors.append(_timed(lambda: raw_floor(paths, workdir / "floor.db")))
            cold_step.next_build()
            colds.append(_timed(lambda: build(folder, out, cache_dir=None, progress=False)))
    floor, cold = statistics.median(floors), statistics.median(colds)
    turns = [c / f for f, c in zip(floors, colds, strict=True)]
    peer = _median(lambda: peer_pipeline(paths, workdir), 1) if n <= PEER_MAX_N else None

    cache = workdir / f"cache-{n}"
    build(folder, out, cache_dir=cache, progress=False)
    rng = random.Random(n)

    def change_one_entry():
        index = rng.randrange(n)
        raw = raw_entry(index, random.Random(index))
        raw["name"] = f"Changed {time.perf_counter_ns()}"
        (folder / f"{raw['id']}.yaml").write_text(dumps(raw), encoding="utf-8")

    def change_one_entry_and_count():
        change_one_entry()
        warm_step.next_build()

    with OverlapStepTimer() as warm_step:
        warm = _median(
            lambda: build(folder, out, cache_dir=cache, progress=False),
            3,
            before=change_one_entry_and_count,
        )
    pairs_floor = overlap_write_floor(out, 3)
    pairs = sqlite3.connect(out).execute("select count(*) from overlaps").fetchone()[0]
    pairs_cold, pairs_warm = (
        statistics.median(cold_step.seconds),
        statistics.median(warm_step.seconds),
    )
    rows = [
        _row(
            "cold build (validate, classify, DB, FTS, checks)",
            n,
            cold,
            floor,
            "ratio <= 1.5",
            cold / floor <= 1.5,
            f"floor: CSafeLoader parse + executemany + FTS5; {_turns_note(turns)}; {_load_note()}",
        ),
    ]
    if peer is not None:
        rows.append(
            _row(
                "peer: yaml-to-sqlite + sqlite-utils enable-fts",
                n,
                peer,
                floor,
                "for comparison",
                True,
                f"cold build / peer = {cold / peer:.2f}",
            )
        )
    rows += [
        _row(
            "warm rebuild, one entry changed (cache)",
            n,
            warm,
            floor,
            "< 2 s at 10,000",
            warm < 2.0 or n > 10_000,
            f"{_load_note()}",
        ),
        _row(
            "overlap pairs step, cold build (no cache)",
            n,
            pairs_cold,
            pairs_floor,
            "for comparison",
            True,
            f"{pairs:,} pairs; floor: executemany of the step's rows into an empty keyed "
            f"table; {_load_note()}",
        ),
        _row(
            "overlap pairs step, warm (one entry changed)",
            n,
            pairs_warm,
            pairs_floor,
            "<= 0.5 s at 10,000",
            pairs_warm <= 0.5 or n > 10_000,
            f"{pairs:,} pairs; floor: executemany of the step's rows into an empty keyed "
            f"table; {_load_note()}",
        ),
    ]
    return rows, out


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # 127.0.0.1 only
        response.read()
        assert response.status == 200, url
    return time.perf_counter() - started


def _p95(*urls: str) -> float:
    """p95 over HTTP_REQUESTS requests taking the URLs in turn (after 5 warm-up requests each)."""
    for url in urls:
        for _ in range(5):
            _get(url)
    times = sorted(_get(urls[i % len(urls)]) for i in range(HTTP_REQUESTS))
    return times[int(0.95 * (len(times) - 1))]


def _search_url(base: str, text: str) -> str:
    return f"{base}/registry/catalog.json?{urllib.parse.urlencode({'_search': text})}"


def datasette_rows(n: int, db: Path) -> list[dict]:
    """p95 of real Datasette on loopback, serving `db` as `commons serve` does."""
    mix, worst = choose(db)
    port = _free_port()
    command = datasette_command(
        db, port, ROOT / "datasette.yml", ROOT / "metadata.yml", None, inspect_data(db)
    )
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=db.resolve().parent, stdout=log, stderr=log, start_new_session=True
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    _get(f"{base}/-/versions.json")
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        log.seek(0)
                        raise RuntimeError(
                            f"datasette did not start: {log.read().decode()[-2000:]}"
                        ) from None
                    time.sleep(0.2)
            floor = _p95(f"{base}/-/versions.json")
            faceted = _p95(f"{base}/registry/catalog.json?_extra=facet_results")
            search = _p95(*(_search_url(base, s.text) for s in mix))
            worst_search, slowest = max((_p95(_search_url(base, s.text)), s) for s in worst)
        finally:
            process.terminate()
            process.wait(timeout=10)
    note = f"p95 of {HTTP_REQUESTS} requests; floor: /-/versions.json p95; {_load_note()}"
    return [
        _row(
            "Datasette JSON p95: catalog with 8 facets",
            n,
            faceted,
            floor,
            "< 50 ms at 100,000",
            faceted < 0.05,
            note,
        ),
        _row(
            "Datasette JSON p95: full-text search mix",
            n,
            search,
            floor,
            "< 50 ms at 100,000",
            search < 0.05,
            f"{len(mix)} searches in turn, share of rows matched: {describe(mix)}; {note}",
        ),
        _row(
            "Datasette JSON p95: worst-case search",
            n,
            worst_search,
            floor,
            "< 50 ms at 100,000",
            worst_search < 0.05,
            f"slowest of {len(worst)} words each matching half the rows or more "
            f"({describe(worst)}): '{slowest.text}'; {note}",
        ),
    ]


def run(sizes: list[int], workdir: Path, report=None) -> list[dict]:
    """Benchmark rows for each size; `report(row)` is called as each row is measured."""
    rows: list[dict] = []
    for n in sizes:
        size_rows, db = build_rows(n, workdir)
        size_rows += datasette_rows(n, db)
        for row in size_rows:
            if report is not None:
                report(row)
        rows += size_rows
    return rows


def _print(result: dict) -> None:
    ratio = f"{result['ratio']:.2f}x" if result["ratio"] else "-"
    print(
        f"{result['benchmark'][:52]:52} n={result['n']:>7} {result['seconds']:9.4f}s "
        f"ratio={ratio:>7} {'ok' if result['ok'] else 'MISSED'}  {result['note']}",
        flush=True,
    )


def datasette_only(db: Path) -> list[dict]:
    """The Datasette rows for an existing database, served under the name `registry` as the URLs
    expect."""
    n = (
        sqlite3.connect(f"file:{db.resolve()}?mode=ro", uri=True)
        .execute("select count(*) from catalog")
        .fetchone()[0]
    )
    if db.name == "registry.db":
        return datasette_rows(n, db)
    with tempfile.TemporaryDirectory(prefix="commons-bench-ds-") as tmp:
        link = Path(tmp) / "registry.db"
        link.symlink_to(db.resolve())
        return datasette_rows(n, link)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].endswith(".db"):
        for result in datasette_only(Path(sys.argv[1])):
            _print(result)
        sys.exit(0)
    sizes = [int(s) for s in sys.argv[1].split(",")] if len(sys.argv) > 1 else DEFAULT_SIZES
    with tempfile.TemporaryDirectory(prefix="commons-bench-build-") as tmp:
        run(sizes, Path(tmp), report=_print)
