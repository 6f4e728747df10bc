"""Export speed: `commons export` (CSV, Data Package, JSON, Croissant, feeds, badges,
calendar, checksums) against a raw dump of the same database.

The floor reads every table with sqlite3 and writes it with csv.writer and
json.dumps, with nothing else: what the cheapest possible export costs. The
export must stay within 4× of it (it also nests entries, escapes feeds, writes
one badge file per entry and hashes every file).
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
import time
from pathlib import Path

from registry.exports import FORMATS
from registry.exports.files import write
from scripts.benchmarks.site import synthetic_db

DEFAULT_SIZES = [1_000, 10_000]


def raw_dump(db: Path, out: Path) -> float:
    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(db)
    tables = [
        row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")
    ]
    for table in tables:
        cursor = connection.execute(f"select * from [{table}]")
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        with (out / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
        (out / f"{table}.json").write_text(
            json.dumps([dict(zip(columns, row, strict=True)) for row in rows]), encoding="utf-8"
        )
    connection.close()
    return time.perf_counter() - started


def median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def run(sizes: list[int], workdir: Path) -> list[dict]:
    rows = []
    for n in sizes:
        db = synthetic_db(workdir / f"registry-{n}.db", n)
        floors, seconds = [], []
        for attempt in range(3):
            floors.append(raw_dump(db, workdir / f"floor-{n}-{attempt}"))
            started = time.perf_counter()
            files = write(
                db,
                workdir / f"exports-{n}-{attempt}",
                tuple(FORMATS),
                None,
                "https://example.org/site/",
                "https://example.org/exports/",
            )
            seconds.append(time.perf_counter() - started)
        floor, took = median(floors), median(seconds)
        ratio = took / floor
        rows.append(
            {
                "benchmark": "commons export (all formats) vs raw CSV+JSON dump",
                "n": n,
                "seconds": took,
                "floor_seconds": floor,
                "ratio": ratio,
                "target": "ratio <= 4",
                "ok": ratio <= 4,
                "note": f"{len(files)} files, {1000 * took / n:.3f} ms/entry",
            }
        )
        for path in workdir.glob(f"*-{n}-*"):
            shutil.rmtree(path, ignore_errors=True)
    return rows
