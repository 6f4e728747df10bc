"""Datasette as `commons serve` configures it (datasette.yml, metadata.yml, the project's templates
and plugins), in process."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import yaml
from datasette.app import Datasette

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "datasette.yml").read_text(encoding="utf-8"))
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))


async def project_datasette(db: Path, **settings) -> Datasette:
    """A started Datasette serving `db` immutable, with the project's configuration (`settings`
    override datasette.yml's)."""
    datasette = Datasette(
        immutables=[str(db)],
        config={**CONFIG, "settings": {**CONFIG["settings"], **settings}},
        metadata=METADATA,
        template_dir=str(ROOT / "registry" / "datasette" / "templates"),
        plugins_dir=str(ROOT / "registry" / "datasette" / "plugins"),
    )
    await datasette.invoke_startup()
    return datasette


def query(db_path: Path, sql: str, params=()) -> list[tuple]:
    """Plain SQL over the served database, to hold Datasette's answers to."""
    with closing(sqlite3.connect(db_path)) as connection:
        return connection.execute(sql, params).fetchall()


def facet_counts(data: dict, name: str) -> dict:
    """{value: count} of one facet in a table page's JSON."""
    return {
        item["value"]: item["count"] for item in data["facet_results"]["results"][name]["results"]
    }


def plain_filter_ids(db: Path, args: str) -> list[str]:
    """The ids, in id order, a catalog page filtered by `args` must list, by plain SQL: json_each
    over the catalog's own arrays for an array filter, `=` or `!=` for a plain one, FTS5 for a
    search."""
    where, params = [], []
    for pair in args.split("&"):
        key, value = pair.split("=", 1)
        if key.endswith("__arraycontains"):
            column = key.removesuffix("__arraycontains")
            where.append(f"? in (select value from json_each(catalog.[{column}]))")
        elif key == "_search":
            where.append("rowid in (select rowid from catalog_fts where catalog_fts match ?)")
        elif key.endswith("__not"):
            where.append(f"[{key.removesuffix('__not')}] != ?")
        else:
            where.append(f"[{key.removesuffix('__exact')}] = ?")
        params.append(value)
    sql = f"select id from catalog where {' and '.join(where)} order by id"
    return [row[0] for row in query(db, sql, params)]
