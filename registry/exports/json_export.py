"""JSON export: one self-describing object per entry, documented by a JSON Schema.

`entries.json` holds every entry object under `entries`; `entries.jsonl` holds
the same objects one per line, for streaming. Each object carries `version`,
the version of this export format (not of the entry), so a consumer can tell
which shape it reads. The shape is described in `entry.schema.json` (written from
entry-export.schema.json beside this module).
"""

from __future__ import annotations

import json
from pathlib import Path

from registry.exports import json_rights, versions
from registry.exports.source import Registry, json_list, json_text

EXPORT_VERSION = versions.JSON
SCHEMA_FILE = "entry-export.schema.json"
USES = ("training", "retrieval", "evaluation")


CHILDREN = (
    "access_urls",
    "licenses",
    "languages",
    "domains",
    "jurisdictions",
    "source_domains",
    "evidence",
    "signals",
    "reasons",
    "template_fits",
    "classification_parts",
    "access_terms",
    "lineage",
    "aliases",
)


def entry_objects(registry: Registry) -> list[dict]:
    """Every entry as a nested object: authored fields, then the computed classification."""
    children = {name: registry.by_entry(name) for name in CHILDREN}
    classification = {row["entry_id"]: row for row in registry.rows("classifications")}
    objects = []
    for row in registry.rows("entries"):
        kids = {name: rows.get(row["id"], []) for name, rows in children.items()}
        item = {"version": EXPORT_VERSION, **_authored(row, kids)}
        item["classification"] = _classification(
            classification.get(row["id"]),
            kids["reasons"],
            kids["template_fits"],
            kids["classification_parts"],
        )
        objects.append(item)
    return objects


def _related(lineage: list[dict], relation: str) -> list[str]:
    return [r["related_id"] for r in lineage if r["relation"] == relation]


def _size(row: dict) -> dict | None:
    if row.get("size_value") is None:
        return None
    return {
        "value": row["size_value"],
        "unit": row["size_unit"],
        "as_of": row.get("size_as_of"),
        "approximate": bool(row.get("size_approximate")),
    }


def _authored(row: dict, kids: dict[str, list[dict]]) -> dict:
    """An entry's authored fields, from its row and its child rows, in the entry file's order."""
    return {
        "id": row["id"],
        "name": row["name"],
        "summary": row["summary"],
        "description": row.get("description"),
        "homepage": row["homepage"],
        "access": {"kind": row.get("access_kind"), "urls": [r["url"] for r in kids["access_urls"]]},
        "publisher": {
            "name": row.get("publisher_name"),
            "type": row.get("publisher_type"),
            "url": row.get("publisher_url"),
        },
        "modality": row["modality"],
        "languages": [r["language"] for r in kids["languages"]],
        "domains": [r["domain"] for r in kids["domains"]],
        "size": _size(row),
        "licenses": [
            {k: r.get(k) for k in ("expression", "scope", "url", "covers")}
            for r in kids["licenses"]
        ],
        "copyright_basis": row.get("copyright_basis"),
        "jurisdictions": [r["jurisdiction"] for r in kids["jurisdictions"]],
        "first_published": row.get("first_published"),
        "creator_death_year": row.get("creator_death_year"),
        **json_rights.authored(row, kids["access_terms"]),
        "evidence": [{"url": r["url"], "checked": r.get("checked")} for r in kids["evidence"]],
        "verification": row["verification"],
        "rights_notes": row.get("rights_notes"),
        "signals": [
            {k: r.get(k) for k in ("vocabulary", "value", "source", "observed")}
            for r in kids["signals"]
        ],
        "derived_from": _related(kids["lineage"], "derived_from"),
        "included_in": _related(kids["lineage"], "included_in"),
        "source_domains": [r["host"] for r in kids["source_domains"]],
        "packaged_for_ai_training": bool(row.get("packaged_for_ai_training")),
        "status": row["status"],
        "aliases": [r["alias"] for r in kids["aliases"]],
        "created": row.get("created"),
        "updated": row.get("updated"),
    }


def _classification(
    row: dict | None, reasons: list[dict], fits: list[dict], parts: list[dict]
) -> dict | None:
    if row is None:
        return None
    return {
        "category": row.get("category"),
        **json_rights.computed(row, parts),
        "license_family": row.get("license_family"),
        "obligations": json_list(row.get("obligations")),
        "uses": {
            use: {
                "commercial": row.get(f"{use}_commercial"),
                "non_commercial": row.get(f"{use}_non_commercial"),
            }
            for use in USES
        },
        "enters_commons_on": row.get("enters_commons_on"),
        "holds_in": json_list(row.get("holds_in")),
        "conflicts": json_list(row.get("conflicts")),
        "use_conditions": _json_object(row.get("use_conditions")),
        "notes": json_list(row.get("notes")),
        "rules_version": row.get("rules_version"),
        "as_of": row.get("as_of"),
        "reasons": [{k: r.get(k) for k in ("rule", "text", "citation", "effect")} for r in reasons],
        "template_fits": [{k: r.get(k) for k in ("template", "fit", "why")} for r in fits],
    }


def _json_object(value) -> dict:
    try:
        parsed = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return parsed if isinstance(parsed, dict) else {}


def render(registry: Registry) -> dict[str, bytes]:
    objects = entry_objects(registry)
    header = {
        "version": EXPORT_VERSION,
        "built_at": registry.build.built_at,
        "rules_version": registry.build.rules_version,
        "source_commit": registry.build.source_commit,
        "entry_count": len(objects),
    }
    # One entry per line in both files: readable, diffable, and written by the C encoder
    # (json.dumps with indent= falls back to the slow pure-Python one).
    encoded = [json_text(item, ensure_ascii=False, separators=(",", ":")) for item in objects]
    lines = "".join(line + "\n" for line in encoded)
    head = json_text(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    document = head + ',"entries":[\n' + ",\n".join(encoded) + ("\n" if encoded else "") + "]}\n"
    return {
        "entries.json": document.encode("utf-8"),
        "entries.jsonl": lines.encode("utf-8"),
        "entry.schema.json": (json.dumps(schema(), indent=2) + "\n").encode("utf-8"),
    }


def schema() -> dict:
    """JSON Schema (2020-12) of one exported entry object (entry-export.schema.json)."""
    document = json.loads((Path(__file__).parent / SCHEMA_FILE).read_text(encoding="utf-8"))
    if document["properties"]["version"]["const"] != EXPORT_VERSION:
        raise RuntimeError(f"{SCHEMA_FILE} describes version {EXPORT_VERSION} objects only")
    return document
