"""A small, realistic registry.db for site tests, created from the declared schema.

It holds ordinary entries plus one whose every text field carries the hostile
inputs of rows 24-30 of the threat catalogue, so every page type is exercised
with them.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from registry.build.db_schema import TABLES

HOSTILE_MARKDOWN = "\n\n".join(
    [
        "<script>alert(1)</script>",
        "[c](javascript:alert(1)) [c](JaVaScRiPt:alert(1)) [c](java&#x73;cript:alert(1))",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "<img src=x onerror=alert(1)> <details open ontoggle=alert(1)>",
        '[d](https://e.org){: onmouseover="alert(1)" }',
        "<iframe src=//evil></iframe> <style>body{display:none}</style> "
        "<svg><script>alert(1)</script></svg>",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "{{ config }} {% include 'x' %}",
    ]
)
HOSTILE_TITLE = '"><script>alert(1)</script>'
HOSTILE_INLINE = (
    '[c](javascript:alert(1)) <img src=x onerror=alert(1)> {: onmouseover="alert(1)" } {{ '
    "config }} {% include 'x' %}"
)
HOSTILE_URL = "javascript:alert(1)"

BASE = {
    "description": None,
    "access_kind": "open",
    "publisher_url": None,
    "size_value": None,
    "size_unit": None,
    "size_as_of": None,
    "size_approximate": 0,
    "first_published": None,
    "creator_death_year": None,
    "rights_notes": None,
    "status": "active",
    "created": "2026-01-10",
    "updated": "2026-03-02",
}


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every declared table, empty, exactly as db_schema declares it."""
    for name, spec in TABLES.items():
        db[name].create(
            spec["columns"],
            pk=spec["pk"],
            not_null=spec.get("not_null"),
            foreign_keys=spec.get("foreign_keys"),
        )


def _entry(**fields) -> dict:
    row = {**BASE, **fields}
    row.setdefault("source_path", f"entries/{row['id']}.yaml")
    row.setdefault("digest", "0" * 64)
    return row


def _classification(
    entry_id: str, category: str, family: str, uses: tuple[str, str], **extra
) -> dict:
    commercial, non_commercial = uses
    row = {
        "entry_id": entry_id,
        "category": category,
        "license_family": family,
        "obligations": json.dumps(extra.pop("obligations", [])),
        "enters_commons_on": None,
        "holds_in": "[]",
        "conflicts": "[]",
        "rules_version": "2026.11.0",
        "as_of": "2026-11-22",
    }
    for use in ("training", "retrieval", "evaluation"):
        row[f"{use}_commercial"], row[f"{use}_non_commercial"] = commercial, non_commercial
    row.update(extra)
    return row


def fixture_rows() -> dict[str, list[dict]]:
    """Rows per table: six ordinary entries and one hostile one."""
    entries = [
        _entry(
            id="us-court-opinions",
            name="US Federal Court Opinions",
            summary="Opinions of US federal courts, 1950-2025.",
            homepage="https://www.courtlistener.com/",
            description="Full text of **federal court opinions**, with [docket "
            "metadata](https://www.courtlistener.com/help/api/).",
            publisher_name="Free Law Project",
            publisher_type="nonprofit",
            publisher_url="https://free.law/",
            modality="text",
            size_value=9000000,
            size_unit="documents",
            size_as_of="2025-06-01",
            size_approximate=1,
            copyright_basis="us-federal-government-work",
            verification="high",
        ),
        _entry(
            id="wikipedia-en",
            name="English Wikipedia",
            summary="The English-language encyclopedia, as database dumps.",
            homepage="https://dumps.wikimedia.org/",
            publisher_name="Wikimedia Foundation",
            publisher_type="nonprofit",
            modality="text",
            copyright_basis="open-licence",
            verification="high",
            packaged_for_ai_training=0,
            rights_notes="Some images are under other licences; the text is CC BY-SA.",
        ),
        _entry(
            id="common-voice",
            name="Common Voice",
            summary="Crowd-sourced read speech in many languages.",
            homepage="https://commonvoice.mozilla.org/",
            publisher_name="Mozilla Foundation",
            publisher_type="nonprofit",
            modality="audio",
            copyright_basis="cc0-dedication",
            verification="medium",
        ),
        _entry(
            id="news-crawl-nc",
            name="News Crawl (non-commercial)",
            summary="News articles crawled for research, non-commercial use only.",
            homepage="https://data.example.org/news",
            publisher_name="Example University",
            publisher_type="academic",
            modality="text",
            copyright_basis="open-licence",
            verification="medium",
        ),
        _entry(
            id="stock-photos",
            name="Stock Photo Samples",
            summary="Sample images from a commercial photo agency.",
            homepage="https://photos.example.com/",
            publisher_name="Example Photos Ltd",
            publisher_type="company",
            modality="image",
            copyright_basis="proprietary",
            verification="low",
        ),
        _entry(
            id="gutenberg-1930",
            name="Books of 1930",
            summary="Books first published in 1930.",
            homepage="https://www.gutenberg.org/",
            publisher_name="Project Gutenberg",
            publisher_type="community",
            modality="text",
            copyright_basis="public-domain-expired",
            first_published=1930,
            verification="medium",
        ),
        _entry(
            id="xss-fixture",
            name=HOSTILE_TITLE,
            summary=HOSTILE_INLINE,
            description=HOSTILE_MARKDOWN,
            homepage=HOSTILE_URL,
            publisher_name=HOSTILE_TITLE,
            publisher_type="community",
            publisher_url="JaVaScRiPt:alert(1)",
            modality="text",
            copyright_basis="open-licence",
            verification="low",
            rights_notes=HOSTILE_MARKDOWN,
            size_unit=HOSTILE_TITLE,
            size_value=1,
            created=HOSTILE_TITLE,
        ),
    ]
    licences = [
        ("us-court-opinions", "LicenseRef-US-Government-Work", None),
        ("wikipedia-en", "CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
        ("common-voice", "CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
        ("news-crawl-nc", "CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
        ("stock-photos", "LicenseRef-Proprietary", "https://photos.example.com/terms"),
        ("gutenberg-1930", "LicenseRef-Public-Domain-Expired", None),
        (
            "xss-fixture",
            HOSTILE_TITLE,
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        ),
    ]
    domains = {
        "us-court-opinions": ["legal", "government"],
        "wikipedia-en": ["encyclopedic"],
        "common-voice": ["speech"],
        "news-crawl-nc": ["news"],
        "stock-photos": ["cultural-heritage"],
        "gutenberg-1930": ["literature"],
        "xss-fixture": [HOSTILE_TITLE, "news"],
    }
    languages = {
        "us-court-opinions": ["en"],
        "wikipedia-en": ["en"],
        "common-voice": ["mul", "fr", "de"],
        "news-crawl-nc": ["en", "de"],
        "stock-photos": [],
        "gutenberg-1930": ["en"],
        "xss-fixture": [HOSTILE_TITLE],
    }
    classifications = [
        _classification(
            "us-court-opinions",
            "commons-by-default",
            "public-domain",
            ("allowed", "allowed"),
            holds_in='["US"]',
        ),
        _classification(
            "wikipedia-en",
            "commons-by-default",
            "copyleft",
            ("conditional", "conditional"),
            obligations=["attribution", "share-alike"],
            use_conditions=json.dumps({"training": ["attribution", "share-alike"]}),
            notes=json.dumps(["Images may carry other licences."]),
        ),
        _classification(
            "common-voice", "commons-by-default", "public-domain", ("allowed", "allowed")
        ),
        _classification(
            "news-crawl-nc",
            "open-use-restricted",
            "non-commercial",
            ("restricted", "allowed"),
            obligations=["attribution", "non-commercial"],
        ),
        _classification("stock-photos", "not-commons", "proprietary", ("restricted", "restricted")),
        _classification(
            "gutenberg-1930",
            "undetermined",
            "public-domain",
            ("unknown", "unknown"),
            enters_commons_on="2026-01-01",
        ),
        _classification(
            "xss-fixture",
            HOSTILE_TITLE,
            HOSTILE_TITLE,
            (HOSTILE_TITLE, "unknown"),
            obligations=[HOSTILE_TITLE],
            conflicts=json.dumps([HOSTILE_INLINE]),
            enters_commons_on=HOSTILE_TITLE,
            rules_version=HOSTILE_TITLE,
            use_conditions=json.dumps({"training": [HOSTILE_TITLE]}),
            notes=json.dumps([HOSTILE_INLINE]),
        ),
    ]
    rules = [
        {
            "id": "us-federal-work",
            "file": "classifier/rules/public-domain.yaml",
            "effect": "commons-by-default",
            "reason": (
                "Works of the US federal government are not protected by copyright in the US."
            ),
            "citation": "https://www.law.cornell.edu/uscode/text/17/105",
        },
        {
            "id": "cc0",
            "file": "classifier/rules/licences.yaml",
            "effect": "commons-by-default",
            "reason": "CC0 waives all rights.",
            "citation": "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
        },
        {
            "id": "copyleft-open",
            "file": "classifier/rules/licences.yaml",
            "effect": "commons-by-default",
            "reason": "Share-alike licences allow every use with attribution and share-alike.",
            "citation": "https://opendefinition.org/od/2.1/en/",
        },
        {
            "id": "non-commercial",
            "file": "classifier/rules/licences.yaml",
            "effect": "open-use-restricted",
            "reason": "NC licences forbid commercial use.",
            "citation": "https://creativecommons.org/licenses/by-nc/4.0/legalcode",
        },
        {
            "id": "proprietary",
            "file": "classifier/rules/licences.yaml",
            "effect": "not-commons",
            "reason": "All rights reserved.",
            "citation": "https://www.wipo.int/treaties/en/ip/berne/",
        },
        {
            "id": HOSTILE_TITLE,
            "file": HOSTILE_TITLE,
            "effect": HOSTILE_TITLE,
            "reason": HOSTILE_INLINE,
            "citation": HOSTILE_URL,
        },
    ]
    reasons = [
        {
            "entry_id": "us-court-opinions",
            "position": 0,
            "rule": "us-federal-work",
            "text": "Federal court opinions are US government works.",
            "citation": "https://www.law.cornell.edu/uscode/text/17/105",
            "effect": "commons-by-default",
        },
        {
            "entry_id": "wikipedia-en",
            "position": 0,
            "rule": "copyleft-open",
            "text": "CC-BY-SA-4.0 is an open copyleft licence.",
            "citation": "https://creativecommons.org/licenses/by-sa/4.0/legalcode",
            "effect": "commons-by-default",
        },
        {
            "entry_id": "common-voice",
            "position": 0,
            "rule": "cc0",
            "text": "CC0-1.0 dedicates the data to the public domain.",
            "citation": "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
            "effect": "commons-by-default",
        },
        {
            "entry_id": "news-crawl-nc",
            "position": 0,
            "rule": "non-commercial",
            "text": "CC-BY-NC-4.0 forbids commercial use.",
            "citation": "https://creativecommons.org/licenses/by-nc/4.0/legalcode",
            "effect": "open-use-restricted",
        },
        {
            "entry_id": "stock-photos",
            "position": 0,
            "rule": "proprietary",
            "text": "The terms reserve all rights.",
            "citation": "https://photos.example.com/terms",
            "effect": "not-commons",
        },
        {
            "entry_id": "xss-fixture",
            "position": 0,
            "rule": HOSTILE_TITLE,
            "text": HOSTILE_INLINE,
            "citation": HOSTILE_URL,
            "effect": HOSTILE_TITLE,
        },
        {
            "entry_id": "xss-fixture",
            "position": 1,
            "rule": "unknown-rule",
            "text": HOSTILE_TITLE,
            "citation": "vbscript:msgbox(1)",
            "effect": "",
        },
    ]
    rows = {
        "entries": entries,
        "licenses": [
            {"entry_id": e, "position": 0, "expression": x, "scope": "all", "url": u}
            for e, x, u in licences
        ],
        "license_ids": [{"entry_id": e, "license_id": x} for e, x, _ in licences],
        "domains": [{"entry_id": e, "domain": d} for e, ds in domains.items() for d in ds],
        "languages": [
            {"entry_id": e, "language": lang} for e, ls in languages.items() for lang in ls
        ],
        "jurisdictions": [
            {"entry_id": "us-court-opinions", "jurisdiction": "US"},
            {"entry_id": "xss-fixture", "jurisdiction": HOSTILE_TITLE},
        ],
        "source_domains": [
            {"entry_id": "news-crawl-nc", "host": "news.example.org"},
            {"entry_id": "xss-fixture", "host": HOSTILE_TITLE},
        ],
        "access_urls": [
            {
                "entry_id": "common-voice",
                "position": 0,
                "url": "https://commonvoice.mozilla.org/datasets",
            },
            {"entry_id": "xss-fixture", "position": 0, "url": " javascript:alert(1)"},
        ],
        "aliases": [
            {"alias": "enwiki", "entry_id": "wikipedia-en"},
            {"alias": HOSTILE_TITLE, "entry_id": "xss-fixture"},
        ],
        "evidence": [
            {
                "entry_id": "wikipedia-en",
                "position": 0,
                "url": "https://dumps.wikimedia.org/legal.html",
                "checked": "2026-02-01",
            },
            {
                "entry_id": "xss-fixture",
                "position": 0,
                "url": "java\tscript:alert(1)",
                "checked": HOSTILE_TITLE,
            },
        ],
        "signals": [
            {
                "entry_id": "news-crawl-nc",
                "position": 0,
                "vocabulary": "ietf-aipref",
                "value": "train-ai=n",
                "source": "https://news.example.org/robots.txt",
                "observed": "2026-08-01",
            },
            {
                "entry_id": "xss-fixture",
                "position": 0,
                "vocabulary": HOSTILE_TITLE,
                "value": HOSTILE_INLINE,
                "source": HOSTILE_URL,
                "observed": HOSTILE_TITLE,
            },
        ],
        "lineage": [
            {"entry_id": "news-crawl-nc", "relation": "derived_from", "related_id": "wikipedia-en"},
            {"entry_id": "wikipedia-en", "relation": "included_in", "related_id": "xss-fixture"},
        ],
        "classifications": classifications,
        "reasons": reasons,
        "template_fits": [
            {
                "entry_id": "wikipedia-en",
                "template": "Training-Commercial-Standard",
                "fit": "fits-with-conditions",
                "why": "Attribution and share-alike apply.",
            },
            {
                "entry_id": "xss-fixture",
                "template": HOSTILE_TITLE,
                "fit": HOSTILE_TITLE,
                "why": HOSTILE_INLINE,
            },
        ],
        "overlaps": [
            {
                "entry_id": "news-crawl-nc",
                "other_id": "xss-fixture",
                "score": 0.42,
                "relation": "shared-domain",
                "evidence": HOSTILE_INLINE,
            },
            {
                "entry_id": "us-court-opinions",
                "other_id": "wikipedia-en",
                "score": 0.05,
                "relation": "similar-text",
                "evidence": "Few shared terms.",
            },
        ],
        "rules": rules,
        "rule_changes": [
            {"version": "2026.11.0", "date": "2026-11-01", "summary": "First published rules."},
            {"version": HOSTILE_TITLE, "date": "2026-10-01", "summary": HOSTILE_INLINE},
        ],
        "builds": [
            {
                "id": 1,
                "built_at": "2026-11-22T00:00:00Z",
                "rules_version": "2026.11.0",
                "entry_count": len(entries),
                "source_commit": "0123456789abcdef",
                "schema_version": 1,
            }
        ],
    }
    return rows


def make_fixture_db(path: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    """Write the fixture database to `path` and return it."""
    db = sqlite_utils.Database(path)
    create_schema(db)
    with db.conn:
        for table, table_rows in (rows or fixture_rows()).items():
            db[table].insert_all(table_rows)
    db.close()
    return path
