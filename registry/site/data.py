"""Read everything the site shows out of registry.db, as plain dicts and lists.

The site reads only the database, never the entry files. Queries fetch each
child table once and group it by entry, so reading 10,000 entries costs a
handful of queries rather than one per entry.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

from registry.signals.timeline import read_histories
from registry.site.governance import read_governance

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
USES = ("training", "retrieval", "evaluation")


class SiteDataError(Exception):
    """The database cannot be turned into a site (missing table, bad id)."""


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict]:
    return [dict(row) for row in conn.execute(sql)]


def _grouped(conn: sqlite3.Connection, sql: str, key: str = "entry_id") -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in _rows(conn, sql):
        groups[row[key]].append(row)
    return groups


def json_list(value: str | None) -> list:
    if not value:
        return []
    try:
        data = json.loads(value)
    except ValueError:
        return [value]
    return data if isinstance(data, list) else [data]


def _json_dict(value: str | None) -> dict:
    if not value:
        return {}
    try:
        data = json.loads(value)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def read_site_data(db_path: Path) -> dict:
    """Everything the generator needs: entries with their child rows, rules, build info."""
    if not Path(db_path).is_file():
        raise SiteDataError(f"{db_path}: no such database; run `commons build` first")
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return _read(conn, db_path)
    except sqlite3.Error as error:
        raise SiteDataError(f"{db_path}: {error}") from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, db_path: Path) -> dict:
    entries = _rows(conn, "select * from entries order by id")
    bad = [e["id"] for e in entries if not ENTRY_ID.match(e["id"] or "")]
    if bad:
        raise SiteDataError(
            f"{db_path}: entry ids not allowed in page names: {', '.join(map(repr, bad[:5]))}"
        )
    classifications = {row["entry_id"]: row for row in _rows(conn, "select * from classifications")}
    children = {
        "access_urls": _grouped(conn, "select * from access_urls order by entry_id, position"),
        "licenses": _grouped(conn, "select * from licenses order by entry_id, position"),
        "license_ids": _grouped(conn, "select * from license_ids order by entry_id, license_id"),
        "signals": _grouped(conn, "select * from signals order by entry_id, position"),
        "domains": _grouped(conn, "select * from domains order by entry_id, domain"),
        "languages": _grouped(conn, "select * from languages order by entry_id, language"),
        "jurisdictions": _grouped(
            conn, "select * from jurisdictions order by entry_id, jurisdiction"
        ),
        "source_domains": _grouped(conn, "select * from source_domains order by entry_id, host"),
        "aliases": _grouped(conn, "select * from aliases order by entry_id, alias"),
        "evidence": _grouped(conn, "select * from evidence order by entry_id, position"),
        "reasons": _grouped(conn, "select * from reasons order by entry_id, position"),
        "parts": _grouped(conn, "select * from classification_parts order by entry_id, position"),
        "access_terms": _grouped(conn, "select * from access_terms order by entry_id, position"),
        "template_fits": _grouped(conn, "select * from template_fits order by entry_id, template"),
    }
    lineage_out = _grouped(conn, "select * from lineage order by entry_id, relation, related_id")
    lineage_in = _grouped(
        conn, "select * from lineage order by related_id, relation, entry_id", key="related_id"
    )
    overlaps = _rows(conn, "select * from overlaps order by score desc, entry_id, other_id")
    names = {e["id"]: e["name"] for e in entries}
    histories = read_histories(conn)

    overlap_by_entry: dict[str, list[dict]] = defaultdict(list)
    for row in overlaps:
        overlap_by_entry[row["entry_id"]].append({**row, "other": row["other_id"]})
        overlap_by_entry[row["other_id"]].append({**row, "other": row["entry_id"]})

    for entry in entries:
        eid = entry["id"]
        for name, groups in children.items():
            entry[name] = groups.get(eid, [])
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
        entry["classification"] = _classification(classifications.get(eid))
        entry["lineage"] = _lineage(lineage_out.get(eid, []), lineage_in.get(eid, []))
        entry["overlaps"] = sorted(
            overlap_by_entry.get(eid, []), key=lambda r: (-(r["score"] or 0), r["other"])
        )
    return {
        "entries": entries,
        "names": names,
        "histories": histories,
        "rules": _rows(conn, "select * from rules order by id"),
        "rule_changes": _rows(conn, "select * from rule_changes order by date desc, version desc"),
        "build": (_rows(conn, "select * from builds order by id desc limit 1") or [None])[0],
        "governance": read_governance(conn),
    }


def _classification(row: dict | None) -> dict:
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
    uses = {
        use: {
            "commercial": row.get(f"{use}_commercial"),
            "non_commercial": row.get(f"{use}_non_commercial"),
        }
        for use in USES
    }
    conditions = _json_dict(row.get("use_conditions"))
    for use in USES:
        uses[use]["conditions"] = (
            [str(c) for c in conditions.get(use, [])]
            if isinstance(conditions.get(use), list)
            else []
        )
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


def _lineage(outgoing: list[dict], incoming: list[dict]) -> dict[str, list[str]]:
    """Both directions of `lineage`: what this entry names, and what names it."""
    return {
        "derived_from": [r["related_id"] for r in outgoing if r["relation"] == "derived_from"],
        "included_in": [r["related_id"] for r in outgoing if r["relation"] == "included_in"],
        "derivatives": [r["entry_id"] for r in incoming if r["relation"] == "derived_from"],
        "includes": [r["entry_id"] for r in incoming if r["relation"] == "included_in"],
    }
