"""The governance data as rows of the registry database (tables `governance_*` and
`rule_decisions`, declared in registry/build/db_schema.py): what the site and Datasette
show. Tallies, impact and the electorate are computed here, at build time.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from classifier.governance import models
from classifier.governance.changes import as_change
from classifier.governance.checks import vote_electorate
from classifier.governance.electorate import Electorate, HistoryError, electorate
from classifier.governance.impact import current, impact
from classifier.governance.records import Records, load
from classifier.governance.release import next_release
from classifier.governance.voting import check_votes, tally

TABLES = (
    "governance_proposals",
    "governance_impact",
    "governance_votes",
    "governance_releases",
    "governance_charter",
    "governance_electorate",
    "rule_decisions",
)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def governance_rows(root: Path, rules, as_of: datetime.date) -> dict[str, list[dict]]:
    """Every governance table's rows for the repository at `root` (empty without governance
    data). Raises EntryErrors for invalid governance files."""
    if not (root / "classifier" / "governance" / "charter.yaml").is_file():
        return {table: [] for table in TABLES}
    records = load(root)
    rows: dict[str, list[dict]] = {table: [] for table in TABLES}
    base = None
    for proposal in sorted(records.proposals.values(), key=lambda p: p.id):
        pending = proposal.released_in is None and proposal.status not in ("rejected", "withdrawn")
        found = None
        if pending and proposal.kind in ("rule-change", "community-decision"):
            base = base or current(root)
            found = impact(records, [proposal], as_of, base)
            rows["governance_impact"] += [
                {
                    "proposal_id": proposal.id,
                    "entry_id": c.entry_id,
                    "before": c.before.category if c.before else None,
                    "after": c.after.category if c.after else None,
                    "cause": "; ".join(c.causes),
                }
                for c in found.changes
            ]
        rows["governance_proposals"].append(_proposal(records, proposal, found, as_of))
        rows["governance_votes"] += _votes(records, proposal)
    rows["governance_releases"] = [_release(root, r) for r in records.releases]
    rows["governance_charter"] = _charter(records, as_of)
    contributors = records.charter.electorate.contributors
    try:
        voters = electorate(root, contributors.branch, contributors.months, as_of)
    except HistoryError as error:  # a copy without git history: nothing to count from
        voters = Electorate(as_of, as_of, {}, 0)
        rows["governance_charter"].append({"key": "electorate_error", "value": str(error)})
    rows["governance_electorate"] = [
        {"login": login, "last_change": day.isoformat()} for login, day in voters.members.items()
    ]
    rows["governance_charter"].append({"key": "electorate_unlinked", "value": str(voters.unlinked)})
    rows["rule_decisions"] = _decisions(records, rules)
    return rows


def _proposal(records: Records, p: models.Proposal, found, as_of) -> dict:
    voting = records.charter.voting
    closes = p.voting_closes(voting.voting_days)
    counted = None
    if p.voting_opens is not None and p.status != "withdrawn" and _history(records, p):
        counted = tally(
            records, p, vote_electorate(records, p), today=p.decision.date if p.decision else as_of
        )
    return {
        "id": p.id,
        "title": p.title,
        "kind": p.kind,
        "status": p.status,
        "proposers": _json(p.proposers),
        "summary": p.summary,
        "rationale": p.rationale,
        "nearest_rule": p.nearest_rule.id if p.nearest_rule else None,
        "nearest_rule_differs": p.nearest_rule.differs if p.nearest_rule else None,
        "evidence": _json([e.url for e in p.evidence]),
        "conflicts": _json([{"who": c.who, "interest": c.interest} for c in p.conflicts]),
        "community": _json(p.community.model_dump(mode="json")) if p.community else None,
        "rule_ids": _json(_rule_ids(p)),
        "opened": p.opened.isoformat() if p.opened else None,
        "voting_opens": p.voting_opens.isoformat() if p.voting_opens else None,
        "voting_closes": closes.isoformat() if closes else None,
        "comment_until": (p.opened + datetime.timedelta(days=voting.comment_days)).isoformat()
        if p.opened
        else None,
        "yes": counted.yes if counted else None,
        "no": counted.no if counted else None,
        "abstain": counted.abstain if counted else None,
        "refused": counted.refused if counted else None,
        "electorate": counted.electorate if counted else None,
        "quorum": counted.quorum if counted else None,
        "share_needed": str(counted.share_needed) if counted else None,
        "tally": counted.outcome if counted else None,
        "tally_why": counted.why if counted else None,
        "decision_date": p.decision.date.isoformat() if p.decision else None,
        "decision_by": _json(p.decision.recorded_by) if p.decision else None,
        "decision_reasons": p.decision.reasons if p.decision else None,
        "withdrawn_reason": p.withdrawn.reason if p.withdrawn else None,
        "released_in": p.released_in,
        "impact_count": len(found.changes) if found else None,
        "impact_table": found.markdown() if found else None,
        "source_path": records.paths[f"proposal:{p.id}"],
    }


def _history(records: Records, p: models.Proposal) -> bool:
    """Whether the git history needed to count the proposal's votes can be read."""
    try:
        vote_electorate(records, p)
    except HistoryError:
        return False
    return True


def _rule_ids(p: models.Proposal) -> list[str]:
    change = as_change(p)
    ids = [item["rule"]["id"] for item in change.get("add") or [] if isinstance(item, dict)]
    ids += [rule.get("id") for rule in change.get("replace") or [] if isinstance(rule, dict)]
    return [str(i) for i in ids] + [str(i) for i in change.get("remove") or []]


def _votes(records: Records, p: models.Proposal) -> list[dict]:
    ballot = records.ballots.get(p.id)
    if ballot is None or p.voting_opens is None or not _history(records, p):
        return []
    refused = {i: e.message for i, e in check_votes(records, p, vote_electorate(records, p))}
    return [
        {
            "proposal_id": p.id,
            "position": i,
            "voter": v.voter,
            "choice": v.choice if isinstance(v.choice, str) else _json(v.choice),
            "date": v.date.isoformat(),
            "reason": v.reason,
            "conflict": v.conflict,
            "counted": int(i not in refused),
            "refused_because": refused.get(i),
        }
        for i, v in enumerate(ballot.votes)
    ]


def _release(root: Path, r: models.Release) -> dict:
    table = root / r.table if r.table else None
    return {
        "version": r.version,
        "date": r.date.isoformat(),
        "kind": r.kind,
        "proposals": _json(r.proposals),
        "rules_sha256": r.rules_sha256,
        "git_commit": r.commit,
        "note": r.note or r.extraordinary_reason,
        "table_path": r.table,
        "table": table.read_text(encoding="utf-8") if _own_table(r) and table.is_file() else None,
    }


def _own_table(release: models.Release) -> bool:
    """A table written by a release (founding releases point at a documentation page)."""
    return bool(release.table) and release.table.startswith("classifier/governance/releases/")


def _charter(records: Records, as_of: datetime.date) -> list[dict]:
    c = records.charter
    values = {
        "contributors_months": c.electorate.contributors.months,
        "contributors_branch": c.electorate.contributors.branch,
        "dataset_stewards": _json(
            [s.model_dump(mode="json") for s in c.electorate.dataset_stewards]
        ),
        "comment_days": c.voting.comment_days,
        "voting_days": c.voting.voting_days,
        "quorum_votes": c.voting.quorum_votes,
        "quorum_share": str(c.voting.quorum_share),
        "thresholds": _json(
            {
                k: {"share": str(t.share), "min_yes": t.min_yes}
                for k, t in c.voting.thresholds.items()
            }
        ),
        "steward_seats": c.stewards.seats,
        "steward_term_months": c.stewards.term_months,
        "steward_election": c.stewards.election,
        "steward_duties": c.stewards.duties,
        "stewards": _json([s.model_dump(mode="json") for s in c.stewards.members]),
        "interim": _json(c.stewards.interim.model_dump(mode="json"))
        if c.stewards.interim
        else None,
        "calendar": _json(c.releases.dates),
        "public_domain_day": c.releases.public_domain_day,
        "calendar_note": c.releases.note,
        "next_release": next_release(c, as_of).isoformat(),
        "principles": _json(c.principles),
        "current_release": records.current.version,
    }
    return [{"key": k, "value": None if v is None else str(v)} for k, v in values.items()]


def _decisions(records: Records, rules) -> list[dict]:
    """For each rule in force: the release and the decision behind its current form."""
    founding = [r for r in records.releases if r.kind == "founding"]
    last_founding = founding[-1] if founding else records.releases[0]
    decided: dict[str, tuple] = {}
    for release in records.releases:
        for pid in release.proposals:
            p = records.proposals[pid]
            for rule_id in _rule_ids(p):
                decided[rule_id] = (release, p)
    out = []
    for rule in sorted(rules.rules, key=lambda r: r.id):
        if rule.id in decided:
            release, p = decided[rule.id]
            out.append(
                {
                    "rule_id": rule.id,
                    "version": release.version,
                    "release_date": release.date.isoformat(),
                    "proposal_id": p.id,
                    "decided_on": p.decision.date.isoformat(),
                    "decided_by": "vote of the electorate (recorded by "
                    f"{', '.join(p.decision.recorded_by)})",
                    "why": p.decision.reasons,
                }
            )
        else:
            out.append(
                {
                    "rule_id": rule.id,
                    "version": last_founding.version,
                    "release_date": last_founding.date.isoformat(),
                    "proposal_id": None,
                    "decided_on": last_founding.date.isoformat(),
                    "decided_by": "maintainer review, before the charter",
                    "why": f"Part of the founding rules ({last_founding.version} or earlier): see "
                    "the rules changelog",
                }
            )
    return out
