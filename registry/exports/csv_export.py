"""CSV export: one file per table under csv/, with the formula-injection guard."""

from __future__ import annotations

from registry.exports.csv_tables import present_tables, render_table
from registry.exports.source import Registry


def render(registry: Registry) -> dict[str, bytes]:
    return {
        f"csv/{name}.csv": render_table(name, registry.rows(name)).encode("utf-8")
        for name in present_tables(registry)
    }
