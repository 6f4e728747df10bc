"""A digest per entry of what its page is drawn from, computed without reading entries whole:
what lets a site rebuild after one entry changed find the few pages to render again
(registry/site/reuse.py).

An entry's page (registry.read.entries.entry_records and page_context) shows its own rows (the
entry, its child tables, its classification), its lineage and overlaps from either side with the
names of the entries they name, and the observation histories of its source domains. The build
digests the entry's part of that into `page_digests.page` (registry/build/page_keys.py: its own
rows stand in for what the build derives from the file's bytes, under the build cache's
conditions); what every page shares (registry/build/cache.py's schema versions, classification
date and code fingerprint, the rule files' digest `builds.rules_digest`, the observations) is
digested here once and goes into every key. Reading one column takes a few hundredths of a second
at 26,000 entries; grouping the overlap rows here took 0.8 CPU-s, reading every entry whole 15 s.
"""

from __future__ import annotations

import hashlib
import sqlite3

from registry.build.cache import code_fingerprint
from registry.read.database import tables

UNIT, RECORD = "\x1f", "\x1e"  # JSON text never holds them raw; ids and numbers never do
OWN = (
    "select e.id, e.digest, e.created, e.updated, e.source_path, c.as_of, c.rules_version "
    "from entries e left join classifications c on c.entry_id = e.id"
)


def _whole(connection: sqlite3.Connection, table: str) -> str:
    """A table's rows, whole, as one text (small tables only: rules, observations)."""
    if table not in tables(connection):
        return ""
    found = [tuple(row) for row in connection.execute(f"select * from [{table}]")]
    return repr(sorted(found, key=repr))


def build_conditions(connection: sqlite3.Connection) -> str:
    """What every entry's own rows depend on besides its file (the build cache's key, and the
    digest of the rule files, which a rules edit changes before its version does), and the
    observation histories: a change here renders every entry's page again."""
    cursor = connection.execute("select * from builds order by id desc limit 1")
    columns = [column[0] for column in cursor.description]
    build = dict(zip(columns, cursor.fetchone() or [None] * len(columns), strict=True))
    conditions = [build.get(key) for key in ("schema_version", "rules_version", "rules_digest")]
    if conditions[-1] is None:  # a database from before SQLite schema 7: its classifications
        conditions.append(_whole(connection, "classifications"))
    parts = [repr(conditions), code_fingerprint()]
    parts += [_whole(connection, t) for t in ("rules", "observations", "observation_signals")]
    return hashlib.sha256(UNIT.join(parts).encode()).hexdigest()


def entry_digests(connection: sqlite3.Connection) -> tuple[dict[str, str], dict[str, bytes]]:
    """({entry id: sha256 of what its page is drawn from}, {entry id: sha256 of its own rows})
    for every entry. What listings show of an entry comes from its own rows alone. A database
    built before page_digests existed has its page digests computed here, as the build would."""
    shared = build_conditions(connection)
    if "page_digests" in tables(connection):
        pages = dict(connection.execute("select entry_id, page from page_digests"))
    else:
        # Imported here: the build's module brings sqlite-utils and pandas (0.44 s of a site
        # rebuild's start-up), which a database with page_digests never needs.
        from registry.build import page_keys

        pages = page_keys.computed(connection)
    digests, owns = {}, {}
    cursor = connection.cursor()
    cursor.row_factory = None
    for own in cursor.execute(OWN):
        entry_id = own[0]
        owns[entry_id] = hashlib.sha256(f"{shared}{RECORD}{own!r}".encode()).digest()
        text = f"{shared}{RECORD}{pages[entry_id]}"
        digests[entry_id] = hashlib.sha256(text.encode()).hexdigest()
    return digests, owns
