"""The registry as exports see it: read once from registry.db, never from YAML.

Entries are assembled from the entry table and its child tables, with their
classification, reasons and template fits, in id order so every export is
deterministic.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from registry.read.database import (
    RegistryReadError,
    columns,
    json_list,
    latest_build,
    open_registry,
    tables,
)

__all__ = ["ExportError", "Registry", "json_list", "json_text", "read_registry"]


ExportError = RegistryReadError  # the database cannot be exported: missing, not a registry...


def json_text(value, **options) -> str:
    """Standard JSON only: `Infinity` and `NaN` are not JSON, and many readers refuse them.

    Validation refuses non-finite numbers, so only a database built by other means can
    hold one; it is an ExportError, not a file that other programs cannot read.
    """
    try:
        return json.dumps(value, allow_nan=False, **options)
    except ValueError as error:
        raise ExportError(
            f"a value cannot be written as JSON ({error}); rebuild the database with "
            "`commons build`, whose validation refuses non-finite numbers"
        ) from None


@dataclass
class Build:
    built_at: str
    rules_version: str | None
    entry_count: int | None
    source_commit: str | None


@dataclass
class Registry:
    path: Path
    build: Build
    tables: dict[str, list[dict]] = field(default_factory=dict)
    columns: dict[str, list[str]] = field(default_factory=dict)

    def rows(self, table: str) -> list[dict]:
        return self.tables.get(table, [])

    def by_entry(self, table: str) -> dict[str, list[dict]]:
        grouped: dict[str, list[dict]] = {}
        for row in self.rows(table):
            grouped.setdefault(row["entry_id"], []).append(row)
        return grouped


# Child tables ordered as the schema declares them (position columns keep authored order).
ORDER = {
    "entries": ("id",),
    "access_urls": ("entry_id", "position"),
    "licenses": ("entry_id", "position"),
    "license_ids": ("entry_id", "license_id"),
    "signals": ("entry_id", "position"),
    "access_terms": ("entry_id", "position"),
    "domains": ("entry_id", "domain"),
    "languages": ("entry_id", "language"),
    "jurisdictions": ("entry_id", "jurisdiction"),
    "source_domains": ("entry_id", "host"),
    "lineage": ("entry_id", "relation", "related_id"),
    "aliases": ("alias",),
    "evidence": ("entry_id", "position"),
    "classifications": ("entry_id",),
    "classification_parts": ("entry_id", "position"),
    "reasons": ("entry_id", "position"),
    "template_fits": ("entry_id", "template"),
    "overlaps": ("entry_id", "other_id"),
    "rules": ("id",),
    "rule_changes": ("version",),
    "observations": ("source", "position"),
}


def read_registry(path: Path) -> Registry:
    """Open registry.db read-only and load the tables exports use."""
    connection = open_registry(path)
    try:
        present = tables(connection)
        build_row = latest_build(connection)
        if build_row is None:
            raise ExportError(f"{path}: the builds table is empty; run `commons build`")
        build = Build(
            build_row["built_at"],
            build_row["rules_version"],
            build_row["entry_count"],
            build_row["source_commit"],
        )
        registry = Registry(path, build)
        for table, order in ORDER.items():
            if table not in present:
                continue
            cursor = connection.execute(
                f"select {columns(connection, table)} from [{table}] "
                f"order by {', '.join(f'[{c}]' for c in order)}"
            )
            registry.columns[table] = [d[0] for d in cursor.description]
            registry.tables[table] = [dict(row) for row in cursor]
        return registry
    finally:
        connection.close()
