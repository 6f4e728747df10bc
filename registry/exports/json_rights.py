"""The collection rights, access terms and plain answer of an entry in the JSON export
(their JSON Schema is in entry-export.schema.json), kept beside json_export so each stays
readable."""

from __future__ import annotations

from registry.exports.source import json_list


def authored(row: dict, terms: list[dict]) -> dict:
    """The entry's collection-level rights and access terms, as authored."""
    items = None
    if row.get("items_published_latest") is not None:
        items = {
            "earliest": row.get("items_published_earliest"),
            "latest": row["items_published_latest"],
            "evidence": row.get("items_published_evidence"),
            "note": row.get("items_published_note"),
        }
    renewal = None
    if row.get("us_renewal"):
        renewal = {"status": row["us_renewal"], "evidence": row.get("us_renewal_evidence")}
    statement = None
    if row.get("rights_statement"):
        statement = {
            "id": row["rights_statement"],
            "by": row.get("rights_statement_by"),
            "by_type": row.get("rights_statement_by_type"),
            "url": row.get("rights_statement_url"),
            "wording": row.get("rights_statement_wording"),
            "determination": row.get("rights_statement_determination"),
            "applies_in": json_list(row.get("rights_statement_applies_in")),
        }
    return {
        "is_metadata": bool(row.get("is_metadata")),
        "items_published": items,
        "creation_year": row.get("creation_year"),
        "authorship": row.get("authorship"),
        "us_renewal": renewal,
        "rights_statement": statement,
        "access_terms": [
            {
                "name": t["name"],
                "url": t.get("url"),
                "restricts": json_list(t.get("restricts")),
                "commercial_only": bool(t.get("commercial_only")),
                "other_routes": bool(t.get("other_routes")),
                "route": t.get("route"),
                "checked": t.get("checked"),
                "note": t.get("note"),
            }
            for t in terms
        ],
    }


def computed(row: dict, parts: list[dict]) -> dict:
    """The plain answer, where it holds, its confidence and its parts."""
    return {
        "plain": row.get("plain"),
        "where": row.get("holds_where"),
        "confidence": row.get("confidence"),
        "parts": [
            {
                "scope": p["scope"],
                "category": p.get("category"),
                "holds_in": json_list(p.get("holds_in")),
                "detail": p.get("detail"),
                "text": p.get("text"),
            }
            for p in parts
        ],
    }
