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
