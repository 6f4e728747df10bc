"""Site build speed: `commons site` (generate + mkdocs build --strict) against a plain Jinja render.

The floor renders the same pages from the same database with the same
templates, wraps each in a minimal HTML page with Jinja and writes it: what a
hand-rolled static generator would cost. Per-page time must stay flat from
1,000 to 10,000 entries (linear build) and within 3× of the floor.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

from jinja2 import Environment
from sqlite_utils import Database

from registry.build.db_schema import TABLES
from registry.site.build import build_site
from registry.site.data import read_site_data
from registry.site.generate import generate_pages
from scripts.benchmarks.synthetic import raw_entry

DEFAULT_SIZES = [1_000, 10_000]
REPO = Path(__file__).resolve().parents[2]
CATEGORIES = ["commons-by-default", "open-use-restricted", "not-commons", "undetermined"]
FAMILIES = ["public-domain", "permissive", "copyleft", "non-commercial", "proprietary"]
VERDICTS = ["allowed", "conditional", "restricted", "unknown"]
SHELL = Environment(autoescape=True).from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Commons '
    "Registry</title>"
    '<link rel="stylesheet" href="{{ root }}css/site.css"></head><body><header><nav>{% for '
    'name, url in nav %}<a href="{{ root }}{{ url }}">{{ name }}</a>{% endfor '
    "%}</nav></header>"
    "<main>{{ body|safe }}</main></body></html>"
)
NAV = [
    ("Home", "index.html"),
    ("Browse", "browse/index.html"),
    ("Commons by default", "commons-by-default.html"),
    ("Rules", "rules.html"),
    ("Before you sell", "before-you-sell.html"),
    ("Downloads", "downloads.html"),
    ("About", "about.html"),
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
        eid = raw["id"]
        rows["entries"].append(
            {
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
        )
        rows["access_urls"] += [
            {"entry_id": eid, "position": i, "url": u} for i, u in enumerate(raw["access"]["urls"])
        ]
        for i, lic in enumerate(raw["licenses"]):
            rows["licenses"].append({"entry_id": eid, "position": i, **lic})
            rows["license_ids"] += [
                {"entry_id": eid, "license_id": part}
                for part in sorted(
                    set(lic["expression"].replace("(", " ").replace(")", " ").split())
                    - {"OR", "AND", "WITH"}
                )
            ]
        rows["domains"] += [{"entry_id": eid, "domain": d} for d in raw["domains"]]
        rows["languages"] += [{"entry_id": eid, "language": lang} for lang in raw["languages"]]
        rows["jurisdictions"] += [
            {"entry_id": eid, "jurisdiction": j} for j in raw["jurisdictions"]
        ]
        rows["source_domains"] += [{"entry_id": eid, "host": h} for h in raw["source_domains"]]
        rows["evidence"] += [
            {"entry_id": eid, "position": i, **ev} for i, ev in enumerate(raw["evidence"])
        ]
        rows["signals"] += [
            {"entry_id": eid, "position": i, **s} for i, s in enumerate(raw["signals"])
        ]
        if index and rng.random() < 0.2:
            rows["lineage"].append(
                {
                    "entry_id": eid,
                    "relation": rng.choice(["derived_from", "included_in"]),
                    "related_id": f"synthetic-{rng.randrange(index):06d}",
                }
            )
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
        rows["template_fits"] += [
            {
                "entry_id": eid,
                "template": t,
                "fit": rng.choice(["fits", "fits-with-conditions", "does-not-fit"]),
                "why": "Per the licence.",
            }
            for t in (
                "Training-Commercial-Standard",
                "Retrieval-Attribution",
                "Research-Open",
                "Eval-Public",
            )
        ]
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


def plain_jinja_render(db_path: Path, out: Path) -> tuple[float, int]:
    """The floor: the same pages rendered with Jinja into complete HTML files, no mkdocs."""
    started = time.perf_counter()
    scratch = out / "md"
    titles = generate_pages(read_site_data(db_path), scratch)
    for src, title in titles.items():
        body = (scratch / src).read_text(encoding="utf-8")
        target = (out / "html" / src).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * src.count("/")
        target.write_text(
            SHELL.render(title=title, root=root, nav=NAV, body=body), encoding="utf-8"
        )
    return time.perf_counter() - started, len(titles)


def run(sizes: list[int], workdir: Path) -> list[dict]:
    rows = []
    per_page: dict[int, float] = {}
    for n in sizes:
        db = synthetic_db(workdir / f"registry-{n}.db", n)
        floor_seconds, floor_pages = plain_jinja_render(db, workdir / f"floor-{n}")
        stats = build_site(
            db, workdir / f"site-{n}", src_dir=workdir / f"site-src-{n}", site_dir=REPO / "site"
        )
        pages = sum(1 for _ in (workdir / f"site-{n}").rglob("*.html"))
        seconds = stats["total_seconds"]
        per_page[n] = seconds / pages
        ratio = seconds / floor_seconds
        index_mb = (workdir / f"site-{n}" / "search" / "search_index.json").stat().st_size / 1e6
        rows.append(
            {
                "benchmark": "site build (generate + mkdocs build --strict)",
                "n": n,
                "seconds": seconds,
                "floor_seconds": floor_seconds,
                "ratio": ratio,
                "target": "ratio <= 3",
                "ok": ratio <= 3,
                "note": (
                    f"{pages} pages, {1000 * per_page[n]:.2f} ms/page vs floor "
                    f"{1000 * floor_seconds / floor_pages:.2f} ms/page; "
                    f"generate {stats['generate_seconds']:.1f}s, mkdocs "
                    f"{stats['mkdocs_seconds']:.1f}s; search index {index_mb:.1f} MB"
                ),
            }
        )
        if n == min(sizes):
            # For the record: the same build with Python-Markdown run over every generated page.
            slow = build_site(
                db,
                workdir / f"site-md-{n}",
                src_dir=workdir / f"site-md-src-{n}",
                site_dir=REPO / "site",
                passthrough=False,
            )
            rows.append(
                {
                    "benchmark": (
                        "site build with --no-passthrough (Python-Markdown over generated pages)"
                    ),
                    "n": n,
                    "seconds": slow["total_seconds"],
                    "floor_seconds": floor_seconds,
                    "ratio": slow["total_seconds"] / floor_seconds,
                    "target": "informational",
                    "ok": True,
                    "note": (
                        f"mkdocs {slow['mkdocs_seconds']:.1f}s vs {stats['mkdocs_seconds']:.1f}s "
                        "with pass-through; same HTML (tested)"
                    ),
                }
            )
        for folder in (
            f"floor-{n}",
            f"site-src-{n}",
            f"site-{n}",
            f"site-md-{n}",
            f"site-md-src-{n}",
        ):
            shutil.rmtree(workdir / folder, ignore_errors=True)
    if len(per_page) > 1:
        small, large = min(per_page), max(per_page)
        growth = per_page[large] / per_page[small]
        rows.append(
            {
                "benchmark": "site per-page time, largest vs smallest size",
                "n": large,
                "seconds": per_page[large],
                "floor_seconds": per_page[small],
                "ratio": growth,
                "target": "ratio <= 1.5 (linear)",
                "ok": growth <= 1.5,
                "note": f"{1000 * per_page[small]:.2f} ms/page at {small:,} entries, "
                f"{1000 * per_page[large]:.2f} ms/page at {large:,}",
            }
        )
    return rows
