"""Entries as pages show them, assembled from the entry table and its child tables.

`entry_listing` gives every entry with the few facts lists and facets need;
`entry_records` gives entries whole (children, classification, lineage both
ways, overlaps, the observation histories of their source domains), for a range
of ids at a time, so a site of 100,000 entries is rendered without holding them
all. The site and the Datasette entry page both read entries through
`entry_records`.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from registry.read.database import ENTRY_ID, columns, grouped, json_dict, json_list, rows
from registry.read.observations import read_histories

USES = ("training", "retrieval", "evaluation")
# An entry's lists: name → (child table, the order of its rows within an entry).
CHILDREN = {
    "access_urls": ("access_urls", "position"),
    "licenses": ("licenses", "position"),
    "license_ids": ("license_ids", "license_id"),
    "signals": ("signals", "position"),
    "domains": ("domains", "domain"),
    "languages": ("languages", "language"),
    "jurisdictions": ("jurisdictions", "jurisdiction"),
    "source_domains": ("source_domains", "host"),
    "aliases": ("aliases", "alias"),
    "evidence": ("evidence", "position"),
    "reasons": ("reasons", "position"),
    "parts": ("classification_parts", "position"),
    "access_terms": ("access_terms", "position"),
    "template_fits": ("template_fits", "template"),
}
RANGE = "between :first and :last"
EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"


def linked_ids(entry: dict) -> set[str]:
    """The entries an entry's page links to by name: its lineage, both ways, and its overlaps."""
    return {i for ids in entry["lineage"].values() for i in ids} | {
        o["other"] for o in entry["overlaps"]
    }


def page_context(entry: dict, names: dict[str, str]) -> dict:
    """What an entry's page is rendered with, on the static site and in Datasette alike: the
    entry whole (`e`), its classification (`c`), the names of the entries it is linked to
    (`linked_ids`; only those, so the page depends on no other name), and where to edit it."""
    return {
        "e": entry,
        "c": entry["classification"],
        "names": {key: names[key] for key in linked_ids(entry) if key in names},
        "edit_url": EDIT_URL.format(id=entry["id"]),
    }


def bad_ids(connection: sqlite3.Connection) -> list[str]:
    """Entry ids that may not name a page (the build never writes one; a hand-made file might)."""
    found = [row[0] for row in connection.execute("select id from entries order by id")]
    return [entry_id for entry_id in found if not ENTRY_ID.match(entry_id or "")]


def entry_listing(connection: sqlite3.Connection) -> list[dict]:
    """Every entry, in id order, with what lists, facets and charts show."""
    entries = rows(
        connection,
        "select id, name, summary, modality, publisher_type, status, origin, verification "
        "from entries order by id",
    )
    classes = {
        row["entry_id"]: row
        for row in rows(
            connection,
            "select entry_id, category, license_family, enters_commons_on, obligations "
            "from classifications",
        )
    }
    lists = {
        "licenses": grouped(
            connection, "select entry_id, expression from licenses order by entry_id, position"
        ),
        "license_id_list": _values(connection, "license_ids", "license_id"),
        "language_list": _values(connection, "languages", "language"),
        "domain_list": _values(connection, "domains", "domain"),
    }
    for entry in entries:
        row = classes.get(entry["id"]) or {}
        entry["classification"] = {
            "category": row.get("category") or "undetermined",
            "license_family": row.get("license_family"),
            "enters_commons_on": row.get("enters_commons_on"),
            "obligations": json_list(row.get("obligations")),
        }
        for name, groups in lists.items():
            entry[name] = groups.get(entry["id"], [])
    return entries


def _values(connection: sqlite3.Connection, table: str, column: str) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    sql = f"select entry_id, [{column}] from [{table}] order by entry_id, [{column}]"
    for entry_id, value in connection.execute(sql):
        found[entry_id].append(value)
    return found


def entry_records(
    connection: sqlite3.Connection, first: str = "", last: str = "\U0010ffff"
) -> list[dict]:
    """The entries with ids from `first` to `last` (inclusive), whole, in id order."""
    p = {"first": first, "last": last}
    entries = rows(connection, f"{_select(connection, 'entries')} where id {RANGE} order by id", p)
    classes = {
        row["entry_id"]: row
        for row in rows(
            connection, f"{_select(connection, 'classifications')} where entry_id {RANGE}", p
        )
    }
    children = {
        name: grouped(
            connection,
            f"{_select(connection, table)} where entry_id {RANGE} order by entry_id, [{order}]",
            p,
        )
        for name, (table, order) in CHILDREN.items()
    }
    lineage_out = grouped(
        connection,
        f"select * from lineage where entry_id {RANGE} order by entry_id, relation, related_id",
        p,
    )
    lineage_in = grouped(
        connection,
        f"select * from lineage where related_id {RANGE} order by related_id, relation, entry_id",
        p,
        key="related_id",
    )
    overlaps = _overlaps(connection, p)
    hosts = [row["host"] for found in children["source_domains"].values() for row in found]
    histories = read_histories(connection, hosts)
    for entry in entries:
        eid = entry["id"]
        for table, groups in children.items():
            entry[table] = groups.get(eid, [])
        entry["domain_list"] = [row["domain"] for row in entry["domains"]]
        entry["language_list"] = [row["language"] for row in entry["languages"]]
        entry["license_id_list"] = [row["license_id"] for row in entry["license_ids"]]
        entry["observed"] = [
            histories[row["host"]] for row in entry["source_domains"] if row["host"] in histories
        ]
        for part in entry["parts"]:
            part["holds_in"] = json_list(part.get("holds_in"))
        for terms in entry["access_terms"]:
            terms["restricts"] = json_list(terms.get("restricts"))
        entry["rights_statement_applies_in"] = json_list(entry.get("rights_statement_applies_in"))
        entry["classification"] = classification(classes.get(eid))
        entry["lineage"] = lineage(lineage_out.get(eid, []), lineage_in.get(eid, []))
        entry["overlaps"] = sorted(
            overlaps.get(eid, []), key=lambda r: (-(r["score"] or 0), r["other"])
        )
    return entries


def _select(connection: sqlite3.Connection, table: str) -> str:
    """`select * from table`, with each text stored once read from its lookup table."""
    return f"select {columns(connection, table)} from [{table}]"


def chunks(connection: sqlite3.Connection, size: int = 2000) -> Iterator[list[dict]]:
    """Every entry whole, `size` at a time, in id order."""
    ids = [row[0] for row in connection.execute("select id from entries order by id")]
    for start in range(0, len(ids), size):
        yield entry_records(connection, ids[start], ids[min(start + size, len(ids)) - 1])


def _overlaps(connection: sqlite3.Connection, p: dict) -> dict[str, list[dict]]:
    """Each entry's overlaps, from either side of the pair, with `other` the other entry."""
    found: dict[str, list[dict]] = defaultdict(list)
    sql = f"{_select(connection, 'overlaps')} where entry_id {RANGE} or other_id {RANGE}"
    for row in rows(connection, sql, p):
        if p["first"] <= row["entry_id"] <= p["last"]:
            found[row["entry_id"]].append({**row, "other": row["other_id"]})
        if p["first"] <= row["other_id"] <= p["last"]:
            found[row["other_id"]].append({**row, "other": row["entry_id"]})
    return found


def classification(row: dict | None) -> dict:
    """A classification row as pages show it: JSON columns as lists, uses per kind of use."""
    if row is None:
        return {
            "category": "undetermined",
            "license_family": None,
            "obligations": [],
            "uses": {},
            "classified": False,
            "notes": [],
            "enters_commons_on": None,
            "holds_in": [],
            "conflicts": [],
            "rules_version": None,
            "as_of": None,
            "confidence": None,
            "where": None,
            "plain": None,
        }
    conditions = json_dict(row.get("use_conditions"))
    uses = {
        use: {
            "commercial": row.get(f"{use}_commercial"),
            "non_commercial": row.get(f"{use}_non_commercial"),
            "conditions": [str(c) for c in conditions[use]]
            if isinstance(conditions.get(use), list)
            else [],
        }
        for use in USES
    }
    return {
        "category": row["category"] or "undetermined",
        "notes": json_list(row.get("notes")),
        "license_family": row["license_family"],
        "obligations": json_list(row["obligations"]),
        "uses": uses,
        "classified": True,
        "enters_commons_on": row["enters_commons_on"],
        "holds_in": json_list(row["holds_in"]),
        "conflicts": json_list(row["conflicts"]),
        "rules_version": row["rules_version"],
        "as_of": row["as_of"],
        "confidence": row.get("confidence"),
        "where": row.get("holds_where"),
        "plain": row.get("plain"),
    }


def lineage(outgoing: list[dict], incoming: list[dict]) -> dict[str, list[str]]:
    """Both directions of `lineage`: what this entry names, and what names it."""
    return {
        "derived_from": [r["related_id"] for r in outgoing if r["relation"] == "derived_from"],
        "included_in": [r["related_id"] for r in outgoing if r["relation"] == "included_in"],
        "derivatives": [r["entry_id"] for r in incoming if r["relation"] == "derived_from"],
        "includes": [r["entry_id"] for r in incoming if r["relation"] == "included_in"],
    }
