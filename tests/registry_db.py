"""Small registry databases for export tests, created from the declared schema
(registry/build/db_schema.py) the way the build creates them: tables first, then rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from registry.build.db_schema import TABLES


def create(path: Path, rows: dict[str, list[dict]]) -> Path:
    db = sqlite_utils.Database(path)
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )
    with db.conn:
        for name, items in rows.items():
            if items:
                db[name].insert_all(items)
    db.close()
    return path


def entry(entry_id: str, name: str, summary: str, created: str, **extra) -> dict:
    row = {
        "id": entry_id,
        "name": name,
        "summary": summary,
        "homepage": f"https://example.org/{entry_id}",
        "access_kind": "open",
        "publisher_name": "Example Org",
        "publisher_type": "nonprofit",
        "modality": "text",
        "copyright_basis": "open-licence",
        "verification": "high",
        "status": "active",
        "source_path": f"entries/{entry_id}.yaml",
        "digest": "0" * 64,
        "created": created,
        "updated": created,
    }
    row.update(extra)
    return row


def classification(
    entry_id: str, category: str, enters: str | None = None, rules_version: str = "2026.2"
) -> dict:
    verdict = "allowed" if category == "commons-by-default" else "unclear"
    return {
        "entry_id": entry_id,
        "category": category,
        "license_family": "cc-by" if category == "commons-by-default" else None,
        "obligations": json.dumps(["attribution"] if category == "commons-by-default" else []),
        "training_commercial": verdict,
        "training_non_commercial": verdict,
        "retrieval_commercial": verdict,
        "retrieval_non_commercial": verdict,
        "evaluation_commercial": verdict,
        "evaluation_non_commercial": verdict,
        "enters_commons_on": enters,
        "holds_in": json.dumps(["US"] if enters else []),
        "conflicts": "[]",
        "use_conditions": json.dumps(
            {"training": ["attribution"], "retrieval": ["attribution"], "evaluation": []}
        ),
        "notes": "[]",
        "rules_version": rules_version,
        "as_of": "2026-11-20",
    }


def sample_rows(
    beta_category: str = "not-commons", rules_version: str = "2026.2"
) -> dict[str, list[dict]]:
    """Three entries: an open one, a hostile one (formula and markup in its text), an undetermined
    one."""
    return {
        "entries": [
            entry(
                "alpha-corpus",
                "Alpha Corpus",
                "An openly licensed text corpus.",
                "2026-01-05",
                size_value=1200.0,
                size_unit="documents",
                size_as_of="2026-01-01",
                size_approximate=0,
            ),
            entry(
                "beta-archive",
                'Beta <script>alert("x")</script> & Archive',
                '=HYPERLINK("http://evil.example","click")',
                "2026-03-10",
                description="-2+3 looks like a formula",
                rights_notes="@SUM(A1:A2)",
                first_published=1935,
            ),
            entry("gamma-set", "Gamma Set", "+a set whose rights are unclear.", "2025-12-01"),
        ],
        "access_urls": [
            {"entry_id": e, "position": 0, "url": f"https://example.org/{e}/download"}
            for e in ("alpha-corpus", "beta-archive", "gamma-set")
        ],
        "licenses": [
            {
                "entry_id": "alpha-corpus",
                "position": 0,
                "expression": "CC-BY-4.0",
                "scope": "all",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            {
                "entry_id": "beta-archive",
                "position": 0,
                "expression": "LicenseRef-All-Rights-Reserved",
                "scope": "all",
                "url": None,
            },
            {
                "entry_id": "gamma-set",
                "position": 0,
                "expression": "LicenseRef-Unclear",
                "scope": "all",
                "url": None,
            },
        ],
        "license_ids": [{"entry_id": "alpha-corpus", "license_id": "CC-BY-4.0"}],
        "languages": [
            {"entry_id": "alpha-corpus", "language": "en"},
            {"entry_id": "beta-archive", "language": "fr"},
        ],
        "domains": [
            {"entry_id": "alpha-corpus", "domain": "science"},
            {"entry_id": "beta-archive", "domain": "literature"},
            {"entry_id": "gamma-set", "domain": "web"},
        ],
        "jurisdictions": [{"entry_id": "beta-archive", "jurisdiction": "US"}],
        "source_domains": [{"entry_id": "alpha-corpus", "host": "example.org"}],
        "lineage": [
            {"entry_id": "alpha-corpus", "relation": "derived_from", "related_id": "gamma-set"}
        ],
        "aliases": [{"alias": "beta-old", "entry_id": "beta-archive"}],
        "evidence": [
            {
                "entry_id": e,
                "position": 0,
                "url": f"https://example.org/{e}/licence",
                "checked": "2026-11-01",
            }
            for e in ("alpha-corpus", "beta-archive", "gamma-set")
        ],
        "signals": [
            {
                "entry_id": "beta-archive",
                "position": 0,
                "vocabulary": "ietf-aipref",
                "value": "train-ai=n",
                "source": "https://example.org/robots.txt",
                "observed": "2026-11-02",
            }
        ],
        "classifications": [
            classification("alpha-corpus", "commons-by-default", rules_version=rules_version),
            classification(
                "beta-archive", beta_category, enters="2031-01-01", rules_version=rules_version
            ),
            classification("gamma-set", "undetermined", rules_version=rules_version),
        ],
        "reasons": [
            {
                "entry_id": "alpha-corpus",
                "position": 0,
                "rule": "licence.cc-by",
                "text": "CC BY 4.0 is an open licence.",
                "citation": "https://opendefinition.org/od/2.1/en/",
                "effect": "commons-by-default",
            },
            {
                "entry_id": "beta-archive",
                "position": 0,
                "rule": "pd.us-95",
                "text": "Published 1935: public domain in the US from 2031.",
                "citation": "17 U.S.C. 304",
                "effect": "not-commons",
            },
        ],
        "template_fits": [
            {
                "entry_id": "alpha-corpus",
                "template": "Training-Commercial-Standard",
                "fit": "fits",
                "why": "Attribution only.",
            }
        ],
        "rules": [
            {
                "id": "licence.cc-by",
                "file": "classifier/rules/licences.yaml",
                "effect": "commons-by-default",
                "reason": "Open licence",
                "citation": "OD 2.1",
            }
        ],
        "rule_changes": [
            {
                "version": rules_version,
                "date": "2026-11-15",
                "summary": "US public-domain term table extended to sound recordings.",
            }
        ],
        "builds": [
            {
                "id": 1,
                "built_at": "2026-11-20T12:00:00Z",
                "rules_version": rules_version,
                "entry_count": 3,
                "source_commit": "abc1234",
                "schema_version": 1,
            }
        ],
    }
