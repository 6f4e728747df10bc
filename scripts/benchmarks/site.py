"""Site build speed and memory: `commons site` against a plain Jinja render of the same pages.

The floor (scripts/benchmarks/site_floor.py) renders every generated page of
the site from the same database with the same templates, in a plain Jinja
layout, in one process. The site does that too, plus `mkdocs build --strict` of
the hand-written pages and the nav pages, the theme's layout and the search
index. Both run as their own process (interpreter start included), turn about,
`REPEATS` times; the table gives the median and the spread. Memory is the peak
resident size of the site's whole process tree (the command and its mkdocs
child), sampled every 20 ms. Budgets: site <= 3x the floor per page, and under
1 GB at 100,000 entries.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlite_utils import Database

from registry.build.db_schema import TABLES
from scripts.benchmarks.synthetic import raw_entry

DEFAULT_SIZES = [10_000, 100_000]
REPEATS = int(os.environ.get("SITE_BENCH_REPEATS", "3"))
REPO = Path(__file__).resolve().parents[2]
CATEGORIES = ["commons-by-default", "open-use-restricted", "not-commons", "undetermined"]
FAMILIES = ["public-domain", "permissive", "copyleft", "non-commercial", "proprietary"]
VERDICTS = ["allowed", "conditional", "restricted", "unknown"]
TEMPLATES = (
    "Training-Commercial-Standard",
    "Retrieval-Attribution",
    "Research-Open",
    "Eval-Public",
)


def _entry_row(raw: dict) -> dict:
    eid = raw["id"]
    return {
        "id": eid,
        "name": raw["name"],
        "summary": raw["summary"],
        "description": raw["description"],
        "homepage": raw["homepage"],
        "access_kind": raw["access"]["kind"],
        "publisher_name": raw["publisher"]["name"],
        "publisher_type": raw["publisher"]["type"],
        "publisher_url": raw["publisher"]["url"],
        "modality": raw["modality"],
        "size_value": float(raw["size"]["value"]),
        "size_unit": raw["size"]["unit"],
        "size_as_of": raw["size"]["as_of"],
        "size_approximate": 1,
        "copyright_basis": raw["copyright_basis"],
        "first_published": int(raw["first_published"]),
        "verification": raw["verification"],
        "rights_notes": raw["rights_notes"],
        "status": "active",
        "source_path": f"entries/{eid}.yaml",
        "digest": "0" * 64,
        "created": "2026-01-01",
        "updated": "2026-06-01",
    }


def _child_rows(raw: dict, rows: dict[str, list[dict]]) -> None:
    eid = raw["id"]
    rows["access_urls"] += [
        {"entry_id": eid, "position": i, "url": u} for i, u in enumerate(raw["access"]["urls"])
    ]
    for i, lic in enumerate(raw["licenses"]):
        rows["licenses"].append({"entry_id": eid, "position": i, **lic})
        parts = set(lic["expression"].replace("(", " ").replace(")", " ").split())
        rows["license_ids"] += [
            {"entry_id": eid, "license_id": part} for part in sorted(parts - {"OR", "AND", "WITH"})
        ]
    rows["domains"] += [{"entry_id": eid, "domain": d} for d in raw["domains"]]
    rows["languages"] += [{"entry_id": eid, "language": lang} for lang in raw["languages"]]
    rows["jurisdictions"] += [{"entry_id": eid, "jurisdiction": j} for j in raw["jurisdictions"]]
    rows["source_domains"] += [{"entry_id": eid, "host": h} for h in raw["source_domains"]]
    rows["evidence"] += [
        {"entry_id": eid, "position": i, **ev} for i, ev in enumerate(raw["evidence"])
    ]
    rows["signals"] += [{"entry_id": eid, "position": i, **s} for i, s in enumerate(raw["signals"])]


def _computed_rows(index: int, raw: dict, rng: random.Random, rows: dict) -> None:
    """What the build computes for an entry: lineage, overlaps, classification, reasons, fits."""
    eid = raw["id"]
    if index and rng.random() < 0.2:
        relation = rng.choice(["derived_from", "included_in"])
        other = f"synthetic-{rng.randrange(index):06d}"
        rows["lineage"].append({"entry_id": eid, "relation": relation, "related_id": other})
    if index and rng.random() < 0.1:
        rows["overlaps"].append(
            {
                "entry_id": eid,
                "other_id": f"synthetic-{rng.randrange(index):06d}",
                "score": round(rng.random(), 2),
                "relation": "shared-source",
                "evidence": "Shared source sites.",
            }
        )
    category = rng.choice(CATEGORIES)
    verdicts = {
        f"{use}_{kind}": rng.choice(VERDICTS)
        for use in ("training", "retrieval", "evaluation")
        for kind in ("commercial", "non_commercial")
    }
    rows["classifications"].append(
        {
            "entry_id": eid,
            "category": category,
            "license_family": rng.choice(FAMILIES),
            "obligations": json.dumps(["attribution"]),
            **verdicts,
            "enters_commons_on": None,
            "holds_in": "[]",
            "conflicts": "[]",
            "rules_version": "2026.11.0",
            "as_of": "2026-11-22",
        }
    )
    rows["reasons"].append(
        {
            "entry_id": eid,
            "position": 0,
            "rule": f"rule-{index % 40}",
            "text": f"Licence {raw['licenses'][0]['expression']} puts it in {category}.",
            "citation": "https://spdx.org/licenses/",
            "effect": category,
        }
    )
    fits = ["fits", "fits-with-conditions", "does-not-fit"]
    rows["template_fits"] += [
        {"entry_id": eid, "template": t, "fit": rng.choice(fits), "why": "Per the licence."}
        for t in TEMPLATES
    ]


def synthetic_db(path: Path, n: int, seed: int = 7) -> Path:
    """A registry.db of n synthetic entries with classifications, reasons, signals and lineage."""
    rng = random.Random(seed)
    db = Database(path, recreate=True)
    for name, spec in TABLES.items():
        db[name].create(spec["columns"], pk=spec["pk"], not_null=spec.get("not_null"))
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    for index in range(n):
        raw = raw_entry(index, rng)
        rows["entries"].append(_entry_row(raw))
        _child_rows(raw, rows)
        _computed_rows(index, raw, rng, rows)
    rows["rules"] = [
        {
            "id": f"rule-{i}",
            "file": "classifier/rules/licences.yaml",
            "effect": CATEGORIES[i % 4],
            "reason": f"Reason {i}.",
            "citation": "https://spdx.org/licenses/",
        }
        for i in range(40)
    ]
    rows["rule_changes"] = [
        {"version": "2026.11.0", "date": "2026-11-01", "summary": "First published rules."}
    ]
    rows["builds"] = [
        {
            "id": 1,
            "built_at": "2026-11-22T00:00:00Z",
            "rules_version": "2026.11.0",
            "entry_count": n,
            "source_commit": "0" * 40,
            "schema_version": 1,
        }
    ]
    with db.conn:
        for table, table_rows in rows.items():
            db[table].insert_all(table_rows, batch_size=500)
    db.close()
    return path


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            pages = int(Path(f"/proc/{current}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += pages * os.sysconf("SC_PAGE_SIZE")
        todo += children.get(current, [])
    return total


def timed(command: list[str]) -> tuple[float, int]:
    """(wall seconds, peak resident bytes of the process tree) of a command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    return seconds, peak


def _site(db: Path, workdir: Path) -> tuple[float, int]:
    shutil.rmtree(workdir / "site", ignore_errors=True)
    # `commons site`, from this checkout (the `commons` script would run the installed one).
    command = [sys.executable, "-c", "from registry.commands.cli import cli; cli()"]
    command += ["site", "--db", str(db)]
    command += ["--out", str(workdir / "site"), "--src", str(workdir / "site-src")]
    return timed(command + ["--site-dir", str(REPO / "site"), "--exports", str(workdir / "x")])


def _floor(db: Path, workdir: Path) -> tuple[float, int]:
    shutil.rmtree(workdir / "floor", ignore_errors=True)
    return timed(
        [sys.executable, "-m", "scripts.benchmarks.site_floor", str(db), str(workdir / "floor")]
    )


def _spread(runs: list[tuple[float, int]]) -> str:
    return f"{min(s for s, _ in runs):.1f}-{max(s for s, _ in runs):.1f}s"


def run(sizes: list[int], workdir: Path) -> list[dict]:
    rows = []
    for n in sizes:
        db = synthetic_db(workdir / f"registry-{n}.db", n)
        floors, sites = [], []
        for _ in range(REPEATS):
            floors.append(_floor(db, workdir))
            sites.append(_site(db, workdir))
        pages = sum(1 for _ in (workdir / "site").rglob("*.html"))
        floor_pages = sum(1 for _ in (workdir / "floor").rglob("*.html"))
        floor_s = statistics.median(s for s, _ in floors)
        site_s = statistics.median(s for s, _ in sites)
        ratio = (site_s / pages) / (floor_s / floor_pages)
        site_mb = max(m for _, m in sites) / 1e6
        floor_mb = max(m for _, m in floors) / 1e6
        rows.append(
            {
                "benchmark": "site build (commons site) per page vs plain Jinja render",
                "n": n,
                "seconds": site_s,
                "floor_seconds": floor_s,
                "ratio": ratio,
                "target": "ratio <= 3",
                "ok": ratio <= 3,
                "note": (
                    f"{pages} pages {1000 * site_s / pages:.2f} ms/page vs floor {floor_pages} "
                    f"pages {1000 * floor_s / floor_pages:.2f} ms/page; {REPEATS} runs each, "
                    f"site {_spread(sites)}, floor {_spread(floors)}"
                ),
            }
        )
        rows.append(
            {
                "benchmark": "site build peak memory (process tree)",
                "n": n,
                "seconds": site_s,
                "floor_seconds": floor_s,
                "ratio": site_mb / floor_mb,
                "target": "< 1 GB at 100,000 entries",
                "ok": site_mb < 1000 or n < 100_000,
                "note": f"site {site_mb:.0f} MB, floor {floor_mb:.0f} MB",
            }
        )
        for folder in ("floor", "site", "site-src"):
            shutil.rmtree(workdir / folder, ignore_errors=True)
        db.unlink()
    return rows
