"""What a page shows of a source's observation history: its signals now, since when, and a
small timeline, read from the registry's `observations` and `observation_signals` tables.

"stackoverflow.com: content-signals search=no, ai-train=no since 2025-10": a signal's
"since" is the first observation of the unbroken run of readable observations that
carry it (a rejected copy does not break a run; a readable one without it does).
The timeline merges consecutive observations that found the same signals.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

from registry.read.database import grouped, tables

OBSERVATION_COLUMNS = (
    "source, position, observed, url, by, tracker, snapshot, file, lower_cased, rejected, "
    "signals, restricts, change, since, training_restricted_since, in_force"
)


def read_histories(connection: sqlite3.Connection, sources=None) -> dict[str, dict]:
    """The page view of every source (or of `sources`) that has observations."""
    if "observations" not in tables(connection):
        return {}
    where, params = "", []
    if sources is not None:
        sources = sorted(set(sources))
        if not sources:
            return {}
        where = f" where source in ({', '.join('?' * len(sources))})"
        params = sources
    observations = _dicts(
        connection,
        f"select {OBSERVATION_COLUMNS} from observations{where} order by source, position",
        params,
    )
    signals = defaultdict(list)
    for row in _dicts(
        connection,
        "select source, position, vocabulary, value, found_at, note, restricts "
        f"from observation_signals{where} order by source, position, signal",
        params,
    ):
        signals[(row["source"], row["position"])].append(row)
    grouped = defaultdict(list)
    for row in observations:
        row["signal_rows"] = signals.get((row["source"], row["position"]), [])
        grouped[row["source"]].append(row)
    return {source: history(rows) for source, rows in grouped.items()}


def signal_listing(connection: sqlite3.Connection) -> dict:
    """What the signals page needs beside the entry listing: every source's history, the
    source domains each entry names, and the entries a signal rule capped."""
    hosts = grouped(connection, "select entry_id, host from source_domains order by entry_id, host")
    capped = connection.execute(
        "select distinct entry_id from reasons where rule like 'sig.%' and effect like 'cap:%'"
    )
    return {
        "histories": read_histories(connection),
        "hosts": {entry_id: [row["host"] for row in found] for entry_id, found in hosts.items()},
        "capped": {row[0] for row in capped},
    }


def _dicts(connection: sqlite3.Connection, sql: str, params) -> list[dict]:
    cursor = connection.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def provenance(row: dict) -> str:
    """Where an observation came from, in words."""
    if row["by"] == "import-signals":
        text = f"{row['tracker']}@{(row['snapshot'] or '')[:7]}, {row['file']}"
        return text + (" (lower-cased by the tracker)" if row["lower_cased"] else "")
    return f"fetched {row['url']} with commons refresh-signals"


def history(rows: list[dict]) -> dict:
    """One source's rows (oldest first) as the page shows them."""
    started: dict[tuple, str] = {}
    current = None
    for row in rows:
        if row["rejected"]:
            continue
        keys = {(s["vocabulary"], s["value"]) for s in row["signal_rows"]}
        started = {key: started.get(key, row["observed"]) for key in keys}
        if row["in_force"]:
            current = row
            signals = [
                {
                    "vocabulary": s["vocabulary"],
                    "value": s["value"],
                    "found_at": s["found_at"],
                    "note": s["note"],
                    "restricts": json.loads(s["restricts"] or "[]"),
                    "since": started[(s["vocabulary"], s["value"])],
                }
                for s in row["signal_rows"]
            ]
    source = rows[0]["source"]
    now = None
    if current is not None:
        now = {
            "observed": current["observed"],
            "provenance": provenance(current),
            "url": current["url"],
            "signals": signals,
            "restricts": json.loads(current["restricts"] or "[]"),
            "training_since": current["training_restricted_since"],
        }
    return {
        "source": source,
        "now": now,
        "summary": summary(source, now),
        "timeline": runs(rows),
        "observations": len(rows),
        "rejected": sum(1 for row in rows if row["rejected"]),
    }


def summary(source: str, now: dict | None) -> str:
    """One line: "stackoverflow.com: content-signals search=no, ai-train=no since 2025-10"."""
    if now is None:
        return f"{source}: no readable observation"
    if not now["signals"]:
        return f"{source}: no AI-use signal (observed {now['observed']})"
    said = "; ".join(
        f"{s['vocabulary']} {s['value']} since {s['since'][:7]}" for s in now["signals"]
    )
    return f"{source}: {said}"


def runs(rows: list[dict]) -> list[dict]:
    """Consecutive observations with the same signals (or the same rejection) merged."""
    merged: list[dict] = []
    for row in rows:
        said = json.loads(row["signals"] or "[]")
        key = ("rejected", row["rejected"]) if row["rejected"] else ("read", tuple(said))
        if merged and merged[-1]["key"] == key:
            merged[-1].update(to=row["observed"], count=merged[-1]["count"] + 1)
            continue
        merged.append(
            {
                "key": key,
                "from": row["observed"],
                "to": row["observed"],
                "count": 1,
                "signals": said,
                "restricts": json.loads(row["restricts"] or "[]"),
                "rejected": row["rejected"],
                "provenance": provenance(row),
            }
        )
    return [{k: v for k, v in run.items() if k != "key"} for run in merged]
