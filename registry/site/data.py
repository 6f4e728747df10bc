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
from registry.read.entries import bad_ids, chunks, entry_listing, entry_records
from registry.read.observations import signal_listing
from registry.read.page_digests import entry_digests
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


# Fewer entries than this are read one by one; more, in chunks of every entry.
ONE_BY_ONE = 500


def entry_chunks(db_path: Path, ids: set[str] | None = None) -> Iterator[list[dict]]:
    """Every entry whole (children, classification, lineage, overlaps), or those of `ids`, in id
    order, in chunks."""
    try:
        with closing(open_registry(db_path)) as conn:
            if ids is not None and len(ids) < ONE_BY_ONE:
                for entry_id in sorted(ids):
                    yield entry_records(conn, entry_id, entry_id)
                return
            for chunk in chunks(conn):
                yield chunk if ids is None else [e for e in chunk if e["id"] in ids]
    except sqlite3.Error as error:
        raise SiteDataError(f"{db_path}: {error}") from None


def page_keys(db_path: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every entry's digest of what its page is drawn from, and of its own rows (what listings
    show of it), from registry.read.page_digests."""
    try:
        with closing(open_registry(db_path)) as conn:
            return entry_digests(conn)
    except sqlite3.Error as error:
        raise SiteDataError(f"{db_path}: {error}") from None
