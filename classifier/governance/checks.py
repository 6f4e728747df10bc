"""Checks of the governance data against the rules, the ballots and git history: what
`commons governance check` reports, each problem at its line and column."""

from __future__ import annotations

import datetime

from classifier.governance import models
from classifier.governance.electorate import Electorate, electorate
from classifier.governance.impact import impact, problems
from classifier.governance.records import RULES, Records, rules_digest
from classifier.governance.voting import check_votes, tally
from classifier.rules_data import load_rules
from registry.entry.errors import EntryError


def vote_electorate(records: Records, proposal: models.Proposal) -> Electorate:
    """The electorate of a proposal's vote: contributors as of the day voting opens."""
    contributors = records.charter.electorate.contributors
    return electorate(records.root, contributors.branch, contributors.months, proposal.voting_opens)


def affected(records: Records, proposal: models.Proposal, as_of: datetime.date) -> set[str]:
    """Entries the proposal reclassifies, needed only when dataset stewards may vote."""
    if not records.charter.electorate.dataset_stewards or proposal.released_in:
        return set()
    if proposal.kind not in ("rule-change", "community-decision"):
        return set()
    return impact(records, [proposal], as_of).entries


def check_all(records: Records, today: datetime.date) -> list[EntryError]:
    """Every problem: changes that do not apply, dates out of order, refused votes, decisions
    that differ from their tally, rule files changed outside a release."""
    errors: list[EntryError] = []
    if rules_digest(records.root / RULES) != records.current.rules_sha256:
        errors.append(
            records.error(
                "releases",
                ("releases", len(records.releases) - 1, "rules_sha256"),
                f"{RULES}/ differs from release {records.current.version}: rule files change "
                "only through a release of accepted proposals (commons governance release)",
            )
        )
    rules = load_rules(records.root / RULES)
    for pid, proposal in records.proposals.items():
        key = f"proposal:{pid}"
        for location, message in problems(records, proposal):
            errors.append(records.error(key, location, message))
        errors += _dates(records, proposal, key, today)
        nearest = proposal.nearest_rule
        if (
            nearest
            and nearest.id != "none"
            and rules.rule(nearest.id) is None
            and not proposal.released_in
        ):
            errors.append(
                records.error(key, ("nearest_rule", "id"), f"no rule '{nearest.id}' in {RULES}/")
            )
        if proposal.voting_opens is None or proposal.status == "withdrawn":
            continue
        voters = vote_electorate(records, proposal)
        touched = affected(records, proposal, today)
        errors += [e for _, e in check_votes(records, proposal, voters, touched)]
        if proposal.decision is not None:
            result = tally(records, proposal, voters, touched, proposal.decision.date)
            if result.outcome != proposal.decision.outcome:
                errors.append(
                    records.error(
                        key,
                        ("decision", "outcome"),
                        f"the tally does not say {proposal.decision.outcome}: {result.outcome} "
                        f"({result.why})",
                    )
                )
    return errors


def _dates(
    records: Records, proposal: models.Proposal, key: str, today: datetime.date
) -> list[EntryError]:
    voting = records.charter.voting
    out = []
    if proposal.status == "voting" and proposal.voting_opens and today < proposal.voting_opens:
        out.append(
            records.error(
                key,
                ("status",),
                f"voting opens on {proposal.voting_opens}: the status stays open-for-comment "
                "until then",
            )
        )
    if proposal.opened and proposal.voting_opens:
        earliest = proposal.opened + datetime.timedelta(days=voting.comment_days)
        if proposal.voting_opens < earliest:
            out.append(
                records.error(
                    key,
                    ("voting_opens",),
                    f"voting may open on {earliest} at the earliest: proposals stay open for "
                    f"comment {voting.comment_days} days",
                )
            )
    closes = proposal.voting_closes(voting.voting_days)
    if proposal.decision and closes and proposal.decision.date < closes:
        out.append(
            records.error(
                key, ("decision", "date"), f"a decision is recorded once voting closes ({closes})"
            )
        )
    return out
