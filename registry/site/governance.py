"""The governance pages: open proposals with their impact and time left, past decisions with
their tallies and reasons, the stewards and the electorate's rules, the release calendar and
history, one page per proposal. Read from the registry database's governance tables.
"""

from __future__ import annotations

import datetime
import json
import re
import sqlite3

TABLES = (
    "governance_proposals",
    "governance_impact",
    "governance_votes",
    "governance_releases",
    "governance_charter",
    "governance_electorate",
    "rule_decisions",
)
OPEN = ("open-for-comment", "voting")
# Every charter value the pages read (governance_charter's keys); missing ones are None.
CHARTER_KEYS = (
    "contributors_months",
    "contributors_branch",
    "dataset_stewards",
    "comment_days",
    "voting_days",
    "quorum_votes",
    "quorum_share",
    "thresholds",
    "steward_seats",
    "steward_term_months",
    "steward_election",
    "steward_duties",
    "stewards",
    "interim",
    "calendar",
    "public_domain_day",
    "calendar_note",
    "next_release",
    "principles",
    "current_release",
    "electorate_unlinked",
    "electorate_error",
)
PROPOSAL_ID = re.compile(r"[0-9]{4}-[0-9]{3}-[a-z0-9][a-z0-9-]{1,50}")


def _loads(value, default):
    try:
        return json.loads(value) if value else default
    except ValueError:
        return default


def read_governance(conn: sqlite3.Connection) -> dict:
    """The governance tables as plain data; empty when the database has none (older builds)."""
    names = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
    if not set(TABLES) <= names:
        return {"proposals": [], "releases": [], "charter": {}, "electorate": [], "decisions": {}}

    def rows(sql):
        cursor = conn.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    impact, votes = {}, {}
    for row in rows("select * from governance_impact order by proposal_id, entry_id"):
        impact.setdefault(row["proposal_id"], []).append(row)
    for row in rows("select * from governance_votes order by proposal_id, position"):
        votes.setdefault(row["proposal_id"], []).append(row)
    proposals = rows("select * from governance_proposals order by id desc")
    for p in proposals:
        for key, default in (
            ("proposers", []),
            ("evidence", []),
            ("conflicts", []),
            ("decision_by", []),
            ("rule_ids", []),
        ):
            p[key] = _loads(p[key], default)
        p["community"] = _loads(p["community"], None)
        p["impact"] = impact.get(p["id"], [])
        p["votes"] = votes.get(p["id"], [])
    releases = rows("select * from governance_releases order by date desc, version desc")
    for r in releases:
        r["proposals"] = _loads(r["proposals"], [])
        if r["table"] and r["table"].startswith("# "):  # the page has its own heading
            r["table"] = r["table"].split("\n", 1)[-1]
    charter = {row["key"]: row["value"] for row in rows("select * from governance_charter")}
    for key in ("dataset_stewards", "thresholds", "stewards", "interim", "calendar", "principles"):
        charter[key] = _loads(charter.get(key), None)
    return {
        "proposals": proposals,
        "releases": releases,
        "charter": charter,
        "electorate": rows("select * from governance_electorate order by login"),
        "decisions": {r["rule_id"]: r for r in rows("select * from rule_decisions")},
    }


def time_left(proposal: dict, today: datetime.date) -> str:
    """'voting closes in 3 days', 'open for comment for 10 more days', in plain words."""
    if proposal["status"] == "voting" and proposal["voting_closes"]:
        days = (datetime.date.fromisoformat(proposal["voting_closes"]) - today).days
        return (
            f"voting closes in {days} day(s)"
            if days > 0
            else "voting has closed; awaiting the decision"
        )
    if proposal["status"] == "open-for-comment" and proposal["comment_until"]:
        days = (datetime.date.fromisoformat(proposal["comment_until"]) - today).days
        return (
            f"open for comment; voting may open in {days} day(s)"
            if days > 0
            else "open for comment; voting may open now"
        )
    return ""


def pages(governance: dict, today: datetime.date) -> list[tuple[str, str, str, dict]]:
    """(source path, template, title, context) of every governance page."""
    proposals = governance["proposals"]
    for p in proposals:
        p["time_left"] = time_left(p, today)
    charter = dict.fromkeys(CHARTER_KEYS) | governance["charter"]
    context = {
        "open": [p for p in proposals if p["status"] in OPEN],
        "pending": [p for p in proposals if p["status"] == "accepted" and not p["released_in"]],
        "decided": [p for p in proposals if p["status"] in ("accepted", "rejected")],
        "drafts": [p for p in proposals if p["status"] in ("draft", "withdrawn")],
        "charter": charter,
        "electorate": governance["electorate"],
        "releases": governance["releases"],
    }
    out = [
        ("governance/index.md", "governance.html.j2", "Proposals and decisions", context),
        ("governance/releases.md", "releases.html.j2", "Rules releases", context),
    ]
    for p in proposals:
        if not PROPOSAL_ID.fullmatch(p["id"] or ""):
            continue  # never a page name from an unexpected id
        out.append(
            (f"governance/{p['id']}.md", "proposal.html.j2", p["title"], {"p": p, **context})
        )
    return out
