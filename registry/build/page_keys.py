"""Each entry's page digest (table `page_digests`), written by the build: what the static site's
rebuild compares to find the few entry pages to render again (registry/read/page_digests.py,
registry/site/reuse.py), read as one column instead of grouping the 254,596 overlap rows of the
real catalog on every site build.

An entry's page shows its own rows, its lineage rows (either side), its overlap rows, the
entries that name it in theirs, and each linked entry's id, name and overlap rows. So the page
digest is made of the entry's `own` digest (its row in entries and its classification's date and
rules version, which stand for the rows the build derives from the file), its `overlaps` digest
(its overlap rows), its lineage rows and, for every entry it links to either way, that entry's
id, name and `overlaps` digest. What the site adds for every page alike (the rules, the
observation histories, the code) it keys itself.

A cold build computes every row. A warm build computes again only what can have changed: the
entries it parsed or whose git dates moved (their `own`), those whose overlap rows it rewrote
(overlap/pair_delta.py; their `overlaps`), and the pages of those and of every entry linked to
them before or after the change. The same rows give the same table either way
(tests/db_content.py compares a warm build's with a cold one's).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from registry.build.in_place import ids_table

UNIT, RECORD = "\x1f", "\x1e"  # JSON text never holds them raw; ids and numbers never do
OWN = (
    "select e.id, e.digest, e.created, e.updated, e.source_path, c.as_of, c.rules_version "
    "from entries e left join classifications c on c.entry_id = e.id"
)
ROW_TEXT = (
    f"other_id||'{UNIT}'||quote(score)||'{UNIT}'||coalesce(relation, '')||'{UNIT}'||"
    "coalesce(evidence, '')"
)
# Each entry's overlap rows, and the ids they name, in key order: SQLite reads the table (WITHOUT
# ROWID) along its primary key (entry_id, other_id), so each group comes in other_id order.
OVERLAPS = (
    f"select entry_id, group_concat(other_id, '{RECORD}'), group_concat({ROW_TEXT}, '{RECORD}') "
    "from overlaps {where} group by entry_id"
)
INCOMING = f"select other_id, group_concat(entry_id, '{RECORD}') from overlaps group by other_id"
NO_ROWS = hashlib.sha256(b"").digest()
IDS = "temp.page_key_ids"


def links_before(
    connection: sqlite3.Connection, entries: list[str] | None, lineage: list[tuple[str, str, str]]
) -> dict | None:
    """What a warm build's rewritten entries named before it rewrote them: {entry: ids named by
    its overlap rows or by the lineage rows it authored}, for `entries` (whose overlap rows are
    rewritten) and the stale entries' `lineage` rows (pair_delta.Before.links). An entry no
    longer named is linked no more: its page changes. None when every overlap row is rewritten,
    and every page digest is computed again."""
    if entries is None:
        return None
    named: dict[str, set[str]] = defaultdict(set)
    _ids_table(connection, entries)
    for entry_id, other_id in connection.execute(
        f"select entry_id, other_id from overlaps where entry_id in {IDS}"
    ):
        named[entry_id].add(other_id)
    for entry_id, _, related_id in lineage:
        named[entry_id].add(related_id)
    return {entry: named[entry] for entry in {*entries, *named}}


def write_page_digests(
    connection: sqlite3.Connection, before: dict | None = None, redated: Iterable[str] = ()
) -> None:
    """Every entry's row of page_digests after the build's rows are written: all of them, or
    with `before` (links_before, from a warm build) and the entries whose git dates the build
    moved (`redated`), those that can have changed."""
    if before is None:
        own = _own_digests(connection, None)
        connection.execute("delete from page_digests")
        _write(connection, _rows(connection, sorted(own), own, *_all_overlaps(connection)))
        return
    # A stale entry's row was removed with its other rows (work.py, _mark_stale).
    unkeyed = [
        row[0]
        for row in connection.execute(
            "select id from entries where id not in (select entry_id from page_digests)"
        )
    ]
    own = _own_digests(connection, [*unkeyed, *redated])
    present = _present(connection, before)
    rewritten = sorted({*before, *unkeyed} & present)
    overlaps = dict.fromkeys(rewritten, NO_ROWS) | _overlap_digests(connection, rewritten)
    stored = _stored(connection, rewritten)
    changed = set(own) | {e for e in rewritten if stored.get(e, (None, None))[1] != overlaps[e]}
    moved = [*changed, *(set(before) - present)]
    reached = set(changed)
    for entry, linked in _links(connection, moved).items():
        reached.update(linked, before.get(entry, ()))
    reached &= _present(connection, reached)
    links = _links(connection, reached)
    linked = reached.union(*links.values())
    for entry, (own_digest, overlaps_digest) in _stored(connection, linked).items():
        own.setdefault(entry, own_digest)
        overlaps.setdefault(entry, overlaps_digest)
    _write(connection, _rows(connection, sorted(reached), own, overlaps, links))


def computed(connection: sqlite3.Connection) -> dict[str, str]:
    """{entry id: page digest} of every entry, computed as a cold build would write them (for a
    database built before page_digests existed)."""
    own = _own_digests(connection, None)
    rows = _rows(connection, sorted(own), own, *_all_overlaps(connection))
    return {row[0]: row[3] for row in rows}


def _write(connection: sqlite3.Connection, rows: list[tuple]) -> None:
    connection.executemany("insert or replace into page_digests values (?, ?, ?, ?)", rows)


def _rows(
    connection: sqlite3.Connection,
    entries: list[str],
    own: dict[str, bytes],
    overlaps: dict[str, bytes],
    links: dict[str, set[str]],
) -> list[tuple]:
    """The rows of `entries`, their pages digested from `own`, `overlaps`, their lineage rows and
    `links` (with `own` and `overlaps` of every entry linked to)."""
    linked = set(entries).union(*(links.get(entry, ()) for entry in entries))
    _ids_table(connection, linked)
    names = dict(connection.execute(f"select id, name from catalog where id in {IDS}"))
    refs = {  # what a page takes of an entry it links to
        other: hashlib.sha256(
            f"{other}{UNIT}{names.get(other)}{UNIT}".encode() + overlaps.get(other, NO_ROWS)
        ).digest()
        for other in linked
    }
    lineage = _lineage(connection, entries)
    rows = []
    for entry in entries:
        parts = [own[entry], overlaps.get(entry, NO_ROWS), *lineage.get(entry, ())]
        parts += sorted(refs[other] for other in links.get(entry, ()))
        page = hashlib.sha256(b"".join(parts)).hexdigest()
        rows.append((entry, own[entry], overlaps.get(entry, NO_ROWS), page))
    return rows


def _own_digests(connection: sqlite3.Connection, entries: list[str] | None) -> dict[str, bytes]:
    """Each entry's digest of its own rows, for `entries` (all when None)."""
    where = ""
    if entries is not None:
        _ids_table(connection, entries)
        where = f" where e.id in {IDS}"
    return {
        row[0]: hashlib.sha256(repr(tuple(row)).encode()).digest()
        for row in connection.execute(OWN + where)
    }


def _lineage(connection: sqlite3.Connection, entries: list[str]) -> dict[str, list[bytes]]:
    """{entry: its lineage rows (either side), sorted} for `entries`."""
    found: dict[str, list[bytes]] = defaultdict(list)
    _ids_table(connection, entries)
    for row in connection.execute(
        f"select entry_id, relation, related_id from lineage where entry_id in {IDS} "
        f"union select entry_id, relation, related_id from lineage where related_id in {IDS}"
    ):
        text = (RECORD + UNIT.join(row)).encode()
        for side in {row[0], row[2]}:
            found[side].append(text)
    return {entry: sorted(texts) for entry, texts in found.items()}


def _overlap_digests(connection: sqlite3.Connection, entries: list[str] | None) -> dict:
    """{entry: digest of its overlap rows} for `entries` (all when None) that have rows."""
    where = ""
    if entries is not None:
        _ids_table(connection, entries)
        where = f"where entry_id in {IDS}"
    return {
        entry_id: hashlib.sha256(rows.encode()).digest()
        for entry_id, _, rows in connection.execute(OVERLAPS.format(where=where))
    }


def _all_overlaps(
    connection: sqlite3.Connection,
) -> tuple[dict[str, bytes], dict[str, set[str]]]:
    """Every entry's overlaps digest and links (grouped by SQLite, faster than Python adds each
    of the pairs)."""
    digests = {}
    links: dict[str, set[str]] = defaultdict(set)
    for entry_id, ids, rows in connection.execute(OVERLAPS.format(where="")):
        digests[entry_id] = hashlib.sha256(rows.encode()).digest()
        links[entry_id].update(ids.split(RECORD))
    for other_id, ids in connection.execute(INCOMING):
        links[other_id].update(ids.split(RECORD))
    for entry_id, related_id in connection.execute("select entry_id, related_id from lineage"):
        links[entry_id].add(related_id)
        links[related_id].add(entry_id)
    return digests, links


def _links(connection: sqlite3.Connection, entries: Iterable[str]) -> dict[str, set[str]]:
    """{entry: the ids linked to it by an overlap row or a lineage row, either way} for
    `entries`, read through the keys and indexes of overlaps and lineage."""
    wanted = set(entries)
    _ids_table(connection, wanted)
    links: dict[str, set[str]] = {entry: set() for entry in wanted}
    for table, left, right in (
        ("overlaps", "entry_id", "other_id"),
        ("lineage", "entry_id", "related_id"),
    ):
        for a, b in connection.execute(
            f"select {left}, {right} from {table} where {left} in {IDS} "
            f"union all select {right}, {left} from {table} where {right} in {IDS}"
        ):
            links[a].add(b)
    return links


def _stored(connection: sqlite3.Connection, entries: Iterable[str]) -> dict[str, tuple]:
    """{entry: (own, overlaps)} as stored, for `entries` that have a row."""
    _ids_table(connection, entries)
    return {
        row[0]: row[1:]
        for row in connection.execute(
            f"select entry_id, own, overlaps from page_digests where entry_id in {IDS}"
        )
    }


def _present(connection: sqlite3.Connection, entries: Iterable[str]) -> set[str]:
    """Those of `entries` that are in the catalog now."""
    _ids_table(connection, entries)
    return {row[0] for row in connection.execute(f"select id from entries where id in {IDS}")}


def _ids_table(connection: sqlite3.Connection, ids: Iterable[str]) -> None:
    ids_table(connection, "page_key_ids", sorted(set(ids)))
