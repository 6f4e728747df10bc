"""What the site shows, read from registry.db (never from the entry files) by registry.read.

`read_site_data` holds every entry with the few facts lists and facets need;
`entry_chunks` streams whole entries a few thousand at a time for their pages,
so memory stays flat as the catalog grows.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from registry.read.database import RegistryReadError, latest_build, open_registry, rows
from registry.read.entries import bad_ids, chunks, entry_listing
from registry.read.observations import signal_listing
from registry.site.governance import read_governance

SiteDataError = RegistryReadError


def read_site_data(db_path: Path) -> dict:
    """Entries as lists show them, their names, the rules, the rules fired and the build."""
    try:
        with closing(open_registry(db_path)) as conn:
            bad = bad_ids(conn)
            if bad:
                raise SiteDataError(
                    f"{db_path}: entry ids not allowed in page names: "
                    f"{', '.join(map(repr, bad[:5]))}"
                )
            entries = entry_listing(conn)
            fired = Counter(dict(conn.execute("select rule, count(*) from reasons group by rule")))
            return {
                "entries": entries,
                "names": {e["id"]: e["name"] for e in entries},
                "rules": rows(conn, "select * from rules order by id"),
                "rule_changes": rows(
                    conn, "select * from rule_changes order by date desc, version desc"
                ),
                "fired": fired,
                "build": latest_build(conn),
                "governance": read_governance(conn),
                "signals": signal_listing(conn),
            }
    except sqlite3.Error as error:
        raise SiteDataError(f"{db_path}: {error}") from None


def entry_chunks(db_path: Path) -> Iterator[list[dict]]:
    """Every entry whole (children, classification, lineage, overlaps), in id order, in chunks."""
    try:
        with closing(open_registry(db_path)) as conn:
            yield from chunks(conn)
    except sqlite3.Error as error:
        raise SiteDataError(f"{db_path}: {error}") from None
