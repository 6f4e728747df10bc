"""CSV files of the registry, one per table, with a formula-injection guard.

Spreadsheet programs run a cell that starts with `=`, `+`, `-` or `@` (and,
in some, a tab or carriage return) as a formula, so contributor text such as
`=HYPERLINK(...)` could act when a download is opened. Every text cell that
starts with one of those characters is written with a leading apostrophe,
which spreadsheets show as text. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# table → (columns, column types, primary key, foreign keys [(columns, table, columns)])
# Types are Table Schema types; dates are typed only where the schema guarantees YYYY-MM-DD.
TABLES: dict[str, dict] = {
    "entries": {
        "columns": {
            "id": "string",
            "name": "string",
            "summary": "string",
            "description": "string",
            "homepage": "string",
            "access_kind": "string",
            "publisher_name": "string",
            "publisher_type": "string",
            "publisher_url": "string",
            "modality": "string",
            "is_metadata": "integer",
            "size_value": "number",
            "size_unit": "string",
            "size_as_of": "date",
            "size_approximate": "integer",
            "copyright_basis": "string",
            "first_published": "integer",
            "items_published_earliest": "integer",
            "items_published_latest": "integer",
            "items_published_evidence": "string",
            "items_published_note": "string",
            "creator_death_year": "integer",
            "creation_year": "integer",
            "authorship": "string",
            "us_renewal": "string",
            "us_renewal_evidence": "string",
            "rights_statement": "string",
            "rights_statement_by": "string",
            "rights_statement_by_type": "string",
            "rights_statement_url": "string",
            "rights_statement_wording": "string",
            "rights_statement_determination": "string",
            "rights_statement_applies_in": "string",
            "verification": "string",
            "rights_notes": "string",
            "packaged_for_ai_training": "integer",
            "status": "string",
            "created": "string",
            "updated": "string",
        },
        "primary_key": ["id"],
        "foreign_keys": [],
        "description": "One row per dataset entry: the authored fields with one value each.",
    },
    "classifications": {
        "columns": {
            "entry_id": "string",
            "category": "string",
            "license_family": "string",
            "obligations": "string",
            "training_commercial": "string",
            "training_non_commercial": "string",
            "retrieval_commercial": "string",
            "retrieval_non_commercial": "string",
            "evaluation_commercial": "string",
            "evaluation_non_commercial": "string",
            "enters_commons_on": "string",
            "holds_in": "string",
            "conflicts": "string",
            "use_conditions": "string",
            "notes": "string",
            "confidence": "string",
            "holds_where": "string",
            "plain": "string",
            "rules_version": "string",
            "as_of": "string",
        },
        "primary_key": ["entry_id"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": (
            "The classifier's verdict per entry (computed, never authored). obligations, "
            "holds_in, conflicts and notes are JSON arrays; use_conditions is a JSON object (use "
            "→ conditions); plain is the answer in plain words and holds_where where it holds."
        ),
    },
    "licenses": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "expression": "string",
            "scope": "string",
            "url": "string",
            "covers": "string",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Licences of each entry (SPDX expressions), in authored order.",
    },
    "access_terms": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "name": "string",
            "url": "string",
            "restricts": "string",
            "commercial_only": "integer",
            "other_routes": "integer",
            "route": "string",
            "checked": "date",
            "note": "string",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": (
            "Terms a user accepts to obtain each entry's data; restricts is a JSON array of uses."
        ),
    },
    "access_urls": {
        "columns": {"entry_id": "string", "position": "integer", "url": "string"},
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Download or access pages of each entry.",
    },
    "languages": {
        "columns": {"entry_id": "string", "language": "string"},
        "primary_key": ["entry_id", "language"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "BCP-47 language tags of each entry.",
    },
    "domains": {
        "columns": {"entry_id": "string", "domain": "string"},
        "primary_key": ["entry_id", "domain"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Subject domains of each entry.",
    },
    "jurisdictions": {
        "columns": {"entry_id": "string", "jurisdiction": "string"},
        "primary_key": ["entry_id", "jurisdiction"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Where each entry's rights assessment holds (ISO 3166-1 alpha-2 or EU).",
    },
    "source_domains": {
        "columns": {"entry_id": "string", "host": "string"},
        "primary_key": ["entry_id", "host"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Web sites the content of each entry comes from.",
    },
    "lineage": {
        "columns": {"entry_id": "string", "relation": "string", "related_id": "string"},
        "primary_key": ["entry_id", "relation", "related_id"],
        "foreign_keys": [(["entry_id"], "entries", ["id"]), (["related_id"], "entries", ["id"])],
        "description": "derived_from and included_in links between entries.",
    },
    "aliases": {
        "columns": {"alias": "string", "entry_id": "string"},
        "primary_key": ["alias"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Former ids of renamed entries.",
    },
    "evidence": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "url": "string",
            "checked": "date",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Pages that show each entry's licence, and when a person read them.",
    },
    "signals": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "vocabulary": "string",
            "value": "string",
            "source": "string",
            "observed": "date",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "AI-use preference signals each entry records for the dataset itself.",
    },
    "observations": {
        "columns": {
            "source": "string",
            "position": "integer",
            "observed": "date",
            "month": "string",
            "url": "string",
            "by": "string",
            "tracker": "string",
            "snapshot": "string",
            "file": "string",
            "sha256": "string",
            "lower_cased": "integer",
            "rejected": "string",
            "signals": "string",
            "rules": "string",
            "restricts": "string",
            "change": "string",
            "since": "date",
            "training_restricted_since": "date",
            "in_force": "integer",
        },
        "primary_key": ["source", "position"],
        "foreign_keys": [],
        "description": (
            "Dated observations of the AI-use signals each source domain published "
            "(observations/), with what the rules make of them; signals, rules and restricts are "
            "JSON arrays. Imported rows come from samber/the-great-gpt-firewall (MIT License, "
            "Copyright (c) 2024 Samuel Berthe)."
        ),
    },
    "reasons": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "rule": "string",
            "text": "string",
            "citation": "string",
            "effect": "string",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "Why each entry got its classification: one row per applied rule.",
    },
    "classification_parts": {
        "columns": {
            "entry_id": "string",
            "position": "integer",
            "scope": "string",
            "category": "string",
            "holds_in": "string",
            "detail": "string",
            "text": "string",
        },
        "primary_key": ["entry_id", "position"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": (
            "Parts of an entry with their own answer (split verdicts); holds_in is a JSON array."
        ),
    },
    "template_fits": {
        "columns": {"entry_id": "string", "template": "string", "fit": "string", "why": "string"},
        "primary_key": ["entry_id", "template"],
        "foreign_keys": [(["entry_id"], "entries", ["id"])],
        "description": "How each entry fits the contract templates.",
    },
}


def neutralise(value):
    """A cell value safe to open in a spreadsheet: text starting with a formula character gets a
    `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "number" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind in ("number", "integer"):
        return str(value)
    return neutralise(str(value))


def _text_cell(value) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_table(name: str, rows: list[dict]) -> str:
    """One table as CSV text (RFC 4180, header row, UTF-8 text)."""
    columns = TABLES[name]["columns"]
    # Text columns take the fast path; numbers go through cell() for their format.
    converters = [
        (column, _text_cell if kind in ("string", "date") else (lambda v, k=kind: cell(v, k)))
        for column, kind in columns.items()
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(list(columns))
    writer.writerows([convert(row.get(column)) for column, convert in converters] for row in rows)
    return buffer.getvalue()


def present_tables(registry) -> list[str]:
    """Tables that exist in this database, in export order."""
    return [name for name in TABLES if name in registry.tables]
