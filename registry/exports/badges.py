"""shields.io endpoint badges: one JSON file per entry, `badges/<id>.json`.

Use: https://img.shields.io/endpoint?url=<site>/exports/badges/<id>.json
"""

from __future__ import annotations

from registry.exports.source import Registry, json_text

COLORS = {
    "commons-by-default": "brightgreen",
    "open-use-restricted": "yellow",
    "not-commons": "red",
    "undetermined": "lightgrey",
}


def badge(category: str | None) -> dict:
    message = category or "unclassified"
    return {
        "schemaVersion": 1,
        "label": "commons",
        "message": message,
        "color": COLORS.get(message, "lightgrey"),
    }


def render(registry: Registry) -> dict[str, bytes]:
    categories = {row["entry_id"]: row.get("category") for row in registry.rows("classifications")}
    return {
        f"badges/{row['id']}.json": (
            json_text(badge(categories.get(row["id"])), separators=(",", ":")) + "\n"
        ).encode("utf-8")
        for row in registry.rows("entries")
    }
