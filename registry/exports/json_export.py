"""JSON export: one self-describing object per entry, documented by a JSON Schema.

`entries.json` holds every entry object under `entries`; `entries.jsonl` holds
the same objects one per line, for streaming. Each object carries `version`,
the version of this export format (not of the entry), so a consumer can tell
which shape it reads. The shape is described in `entry.schema.json`.
"""

from __future__ import annotations

import json

from registry.exports import json_rights
from registry.exports.source import Registry, json_list, json_text

EXPORT_VERSION = "1.1"
USES = ("training", "retrieval", "evaluation")


def entry_objects(registry: Registry) -> list[dict]:
    """Every entry as a nested object: authored fields, then the computed classification."""
    children = {
        name: registry.by_entry(name)
        for name in (
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
        )
    }
    lineage = registry.by_entry("lineage")
    aliases = registry.by_entry("aliases")
    classification = {row["entry_id"]: row for row in registry.rows("classifications")}
    objects = []
    for row in registry.rows("entries"):
        entry_id = row["id"]
        kids = {name: rows.get(entry_id, []) for name, rows in children.items()}
        size = None
        if row.get("size_value") is not None:
            size = {
                "value": row["size_value"],
                "unit": row["size_unit"],
                "as_of": row.get("size_as_of"),
                "approximate": bool(row.get("size_approximate")),
            }
        item = {
            "version": EXPORT_VERSION,
            "id": entry_id,
            "name": row["name"],
            "summary": row["summary"],
            "description": row.get("description"),
            "homepage": row["homepage"],
            "access": {
                "kind": row.get("access_kind"),
                "urls": [r["url"] for r in kids["access_urls"]],
            },
            "publisher": {
                "name": row.get("publisher_name"),
                "type": row.get("publisher_type"),
                "url": row.get("publisher_url"),
            },
            "modality": row["modality"],
            "languages": [r["language"] for r in kids["languages"]],
            "domains": [r["domain"] for r in kids["domains"]],
            "size": size,
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
            "derived_from": [
                r["related_id"]
                for r in lineage.get(entry_id, [])
                if r["relation"] == "derived_from"
            ],
            "included_in": [
                r["related_id"] for r in lineage.get(entry_id, []) if r["relation"] == "included_in"
            ],
            "source_domains": [r["host"] for r in kids["source_domains"]],
            "packaged_for_ai_training": bool(row.get("packaged_for_ai_training")),
            "status": row["status"],
            "aliases": [r["alias"] for r in aliases.get(entry_id, [])],
            "created": row.get("created"),
            "updated": row.get("updated"),
            "classification": _classification(
                classification.get(entry_id),
                kids["reasons"],
                kids["template_fits"],
                kids["classification_parts"],
            ),
        }
        objects.append(item)
    return objects


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


_nullable = json_rights.nullable


def schema() -> dict:
    """JSON Schema (2020-12) of one exported entry object."""
    strings = {"type": "array", "items": {"type": "string"}}
    use = {
        "type": "object",
        "properties": {"commercial": _nullable("string"), "non_commercial": _nullable("string")},
        "required": ["commercial", "non_commercial"],
        "additionalProperties": False,
    }
    classification = {
        "type": "object",
        "description": "Computed by the classifier; never authored.",
        "properties": {
            "category": {
                "type": ["string", "null"],
                "description": (
                    "commons-by-default | open-use-restricted | not-commons | undetermined"
                ),
            },
            **json_rights.computed_schema(),
            "license_family": _nullable("string"),
            "obligations": strings,
            "uses": {
                "type": "object",
                "properties": {u: use for u in USES},
                "required": list(USES),
                "additionalProperties": False,
            },
            "enters_commons_on": {
                "type": ["string", "null"],
                "description": (
                    "Date (YYYY-MM-DD) on which the entry enters the commons, when known."
                ),
            },
            "holds_in": {
                **strings,
                "description": "Jurisdictions where the verdict holds; empty means everywhere.",
            },
            "conflicts": {"type": "array"},
            "use_conditions": {
                "type": "object",
                "description": (
                    "Conditions per use (training, retrieval, evaluation), e.g. attribution."
                ),
                "additionalProperties": strings,
            },
            "notes": {"type": "array"},
            "rules_version": _nullable("string"),
            "as_of": _nullable("string"),
            "reasons": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        k: _nullable("string") for k in ("rule", "text", "citation", "effect")
                    },
                    "additionalProperties": False,
                },
            },
            "template_fits": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {k: _nullable("string") for k in ("template", "fit", "why")},
                    "additionalProperties": False,
                },
            },
        },
        "required": ["category", "uses", "rules_version", "reasons"],
        "additionalProperties": False,
    }
    properties = {
        "version": {"const": EXPORT_VERSION, "description": "Version of this export format."},
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{1,62}$"},
        "name": {"type": "string"},
        "summary": {"type": "string"},
        "description": _nullable("string"),
        "homepage": {"type": "string", "format": "uri"},
        "access": {
            "type": "object",
            "properties": {"kind": _nullable("string"), "urls": strings},
            "required": ["kind", "urls"],
            "additionalProperties": False,
        },
        "publisher": {
            "type": "object",
            "properties": {
                "name": _nullable("string"),
                "type": _nullable("string"),
                "url": _nullable("string"),
            },
            "required": ["name", "type", "url"],
            "additionalProperties": False,
        },
        "modality": {"type": "string"},
        "languages": strings,
        "domains": strings,
        "size": _nullable(
            {
                "type": "object",
                "properties": {
                    "value": {"type": "number"},
                    "unit": {"type": "string"},
                    "as_of": _nullable("string"),
                    "approximate": {"type": "boolean"},
                },
                "required": ["value", "unit"],
                "additionalProperties": False,
            }
        ),
        "licenses": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "expression": {"type": "string"},
                    "scope": {"type": "string"},
                    "url": _nullable("string"),
                    "covers": _nullable("string"),
                },
                "required": ["expression", "scope"],
                "additionalProperties": False,
            },
        },
        "copyright_basis": _nullable("string"),
        "jurisdictions": strings,
        "first_published": _nullable("integer"),
        "creator_death_year": _nullable("integer"),
        **json_rights.authored_schema(),
        "evidence": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"url": {"type": "string"}, "checked": _nullable("string")},
                "required": ["url"],
                "additionalProperties": False,
            },
        },
        "verification": {"type": "string", "enum": ["high", "medium", "low"]},
        "rights_notes": _nullable("string"),
        "signals": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: _nullable("string") for k in ("vocabulary", "value", "source", "observed")
                },
                "additionalProperties": False,
            },
        },
        "derived_from": strings,
        "included_in": strings,
        "source_domains": strings,
        "packaged_for_ai_training": {
            "type": "boolean",
            "description": (
                "true when the dataset was released as AI training data; says nothing about "
                "whether that use is allowed."
            ),
        },
        "status": {"type": "string"},
        "aliases": strings,
        "created": {
            "type": ["string", "null"],
            "description": "When the entry file was added (from git history).",
        },
        "updated": {
            "type": ["string", "null"],
            "description": "When the entry file last changed (from git history).",
        },
        "classification": _nullable(classification),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://commons-registry.github.io/commons-registry/exports/entry.schema.json",
        "title": "Commons Registry entry (JSON export)",
        "description": (
            "One object per entry, in entries.json (under `entries`) and entries.jsonl (one per "
            "line)."
        ),
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
