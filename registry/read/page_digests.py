"""A digest per entry of what its page is drawn from, computed without reading entries whole:
what lets a site rebuild after one entry changed find the few pages to render again
(registry/site/reuse.py).

An entry's page (registry.read.entries.entry_records and page_context) shows its own rows (the
entry, its child tables, its classification), its lineage and overlaps from either side with the
names of the entries they name, and the observation histories of its source domains. Its own
rows are what the build derives from the file's bytes (`entries.digest`), its git dates and
path, under the conditions the build cache keys them by (registry/build/cache.py: schema
versions, classification date, the code's fingerprint) and the rule files (their digest,
`builds.rules_digest`): those go into the digest instead of the rows. Lineage, overlaps and
observations come from other entries and files, so their rows go in whole. Reading them takes
about a second at 26,000 entries; reading every entry whole took 15 s.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict

from registry.build.cache import code_fingerprint
from registry.read.database import tables

UNIT, RECORD = "\x1f", "\x1e"  # JSON text never holds them raw; ids and numbers never do
OWN = (
    "select e.id, e.digest, e.created, e.updated, e.source_path, c.as_of, c.rules_version "
    "from entries e left join classifications c on c.entry_id = e.id"
)
OVERLAPS = (
    f"select entry_id, group_concat(other_id, '{RECORD}'), "
    f"group_concat(other_id||'{UNIT}'||quote(score)||'{UNIT}'||"
    f"coalesce(relation, '')||'{UNIT}'||coalesce(evidence, ''), '{RECORD}') "
    "from overlaps group by entry_id"
)
INCOMING = f"select other_id, group_concat(entry_id, '{RECORD}') from overlaps group by other_id"


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


def entry_digests(
    connection: sqlite3.Connection, names: dict[str, str]
) -> tuple[dict[str, str], dict[str, bytes]]:
    """({entry id: sha256 of what its page is drawn from}, {entry id: sha256 of its own rows})
    for every entry; `names` are every entry's name. An entry linked to another (by an overlap
    either way, or lineage) takes in the other's id, name and overlap rows: the rows from the
    other side are among them. What listings show of an entry comes from its own rows alone."""
    cursor = connection.cursor()
    cursor.row_factory = None
    outgoing: dict[str, str] = {}
    # Who names whom: the overlaps' other ids from each side (SQLite groups them, by its index on
    # other_id, faster than Python adds each of the ~250,000 pairs), and lineage both ways.
    linked: dict[str, list[str]] = defaultdict(list)
    for entry_id, ids, rows in cursor.execute(OVERLAPS):
        outgoing[entry_id] = hashlib.sha256(rows.encode()).hexdigest()
        linked[entry_id] += ids.split(RECORD)
    for other_id, ids in cursor.execute(INCOMING):
        linked[other_id] += ids.split(RECORD)
    lineage: dict[str, list[str]] = defaultdict(list)
    for row in cursor.execute("select entry_id, relation, related_id from lineage"):
        text = UNIT.join(map(str, row))
        for side in (row[0], row[2]):
            lineage[side].append(text)
        linked[row[0]].append(row[2])
        linked[row[2]].append(row[0])
    # What a page takes of each entry it links to: its id, name and overlap rows.
    refs = {
        other: UNIT.join((other, str(names.get(other)), outgoing.get(other, "")))
        for other in {*names, *linked}
    }
    shared = build_conditions(connection)
    digests, owns = {}, {}
    for own in cursor.execute(OWN):
        entry_id, own_text = own[0], repr(own)
        owns[entry_id] = hashlib.sha256(f"{shared}{RECORD}{own_text}".encode()).digest()
        text = RECORD.join(
            [shared, own_text, outgoing.get(entry_id, ""), *sorted(lineage.get(entry_id, ()))]
            + ["", *sorted(map(refs.__getitem__, set(linked.get(entry_id, ()))))]
        )
        digests[entry_id] = hashlib.sha256(text.encode()).hexdigest()
    return digests, owns
