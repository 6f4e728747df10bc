"""Checking ballots and counting them with the charter's quorum and thresholds.

A vote is refused, with the reason at its line, when the voter is not in the electorate of
the vote, when it is dated outside the voting window, when the voter already voted, or when
its choice is not one the proposal offers. Refused votes are never counted; the tally says
how many there were.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from fractions import Fraction

from classifier.governance import models
from classifier.governance.electorate import Electorate
from classifier.governance.records import Records
from registry.entry.errors import EntryError


@dataclass(frozen=True)
class Tally:
    """The count of one proposal's valid votes, and what it decides."""

    proposal: str
    electorate: int
    yes: int
    no: int
    abstain: int
    refused: int
    quorum: int
    share_needed: Fraction
    min_yes: int
    closes: datetime.date | None
    outcome: str  # accepted, rejected, open (voting not over), not-voting
    why: str
    approvals: dict[str, int] = field(default_factory=dict)  # elections: candidate → approvals
    elected: tuple[str, ...] = ()

    @property
    def votes(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def share(self) -> Fraction | None:
        return Fraction(self.yes, self.yes + self.no) if self.yes + self.no else None


def eligible(records: Records, electorate: Electorate, login: str, affected: set[str]) -> bool:
    """A contributor of the vote's electorate, or a dataset steward of an affected entry."""
    if login in electorate:
        return True
    return any(
        s.login.lower() == login.lower() and set(s.entries) & affected
        for s in records.charter.electorate.dataset_stewards
    )


def check_votes(
    records: Records,
    proposal: models.Proposal,
    electorate: Electorate,
    affected: set[str] = frozenset(),
    today: datetime.date | None = None,
    new: set[int] = frozenset(),
) -> list[tuple[int, EntryError]]:
    """(index, error) for every vote of the proposal's ballot that cannot count.

    `new` are the indexes of votes being cast now (a pull request): their date must be
    `today`, within the charter's slack.
    """
    ballot = records.ballots.get(proposal.id)
    if ballot is None:
        return []
    key = f"ballot:{proposal.id}"
    voting = records.charter.voting
    closes = proposal.voting_closes(voting.voting_days)
    found, first = [], {}
    for index, vote in enumerate(ballot.votes):
        here = ("votes", index)

        def refuse(location, message, index=index, here=here):
            found.append((index, records.error(key, here + location, message)))

        if proposal.status in ("draft", "open-for-comment", "withdrawn"):
            refuse(
                ("date",),
                f"voting on {proposal.id} is not open (status: {proposal.status}); votes are "
                "cast while its status is 'voting'",
            )
            continue
        if not proposal.voting_opens <= vote.date < closes:
            last = closes - datetime.timedelta(days=1)
            refuse(
                ("date",),
                f"vote dated {vote.date} is outside the voting window of {proposal.id} "
                f"({proposal.voting_opens} to {last}); it cannot count",
            )
        if not eligible(records, electorate, vote.voter, affected):
            refuse(("voter",), _not_in_electorate(records, electorate, vote.voter))
        voter = vote.voter.lower()
        if voter in first:
            refuse(
                ("voter",),
                f"{vote.voter} already voted (votes[{first[voter]}]); change that vote instead "
                "of adding another",
            )
        else:
            first[voter] = index
        _check_choice(proposal, vote, refuse)
        if today is not None and index in new:
            slack = datetime.timedelta(days=voting.vote_date_slack_days)
            if abs(vote.date - today) > slack:
                refuse(
                    ("date",), f"a new vote is dated the day it is cast ({today}), not {vote.date}"
                )
    return found


def _not_in_electorate(records: Records, electorate: Electorate, voter: str) -> str:
    contributors = records.charter.electorate.contributors
    return (
        f"{voter} is not in the electorate of this vote: no change of theirs was merged into "
        f"{contributors.branch} between {electorate.since} and {electorate.on} (the charter's "
        f"{contributors.months} months), and they are not a dataset steward of an entry this "
        "proposal reclassifies"
    )


def _check_choice(proposal: models.Proposal, vote: models.Vote, refuse) -> None:
    if proposal.kind == "election":
        if not isinstance(vote.choice, list):
            refuse(("choice",), "in an election, choice lists the candidates you approve")
        elif set(vote.choice) - set(proposal.candidates):
            unknown = sorted(set(vote.choice) - set(proposal.candidates))
            refuse(("choice",), f"not candidates: {', '.join(unknown)}")
    elif isinstance(vote.choice, list):
        refuse(("choice",), "choice is one of: yes, no, abstain")


def tally(
    records: Records,
    proposal: models.Proposal,
    electorate: Electorate,
    affected: set[str] = frozenset(),
    today: datetime.date | None = None,
) -> Tally:
    """Count the valid votes; the outcome is decided once the voting window has closed."""
    voting = records.charter.voting
    threshold = voting.thresholds[proposal.kind]
    closes = proposal.voting_closes(voting.voting_days)
    refused = {index for index, _ in check_votes(records, proposal, electorate, affected)}
    ballot = records.ballots.get(proposal.id)
    votes = [v for i, v in enumerate(ballot.votes if ballot else []) if i not in refused]
    size = len(electorate.members) + len(
        {s.login for s in records.charter.electorate.dataset_stewards if set(s.entries) & affected}
    )
    quorum = max(voting.quorum_votes, math.ceil(voting.quorum_share * size))
    counts = {c: sum(1 for v in votes if v.choice == c) for c in models.CHOICES}
    approvals: dict[str, int] = {}
    if proposal.kind == "election":
        approvals = {c: sum(1 for v in votes if c in v.choice) for c in proposal.candidates}
        counts = {"yes": len(votes), "no": 0, "abstain": 0}
    base = dict(
        proposal=proposal.id,
        electorate=size,
        yes=counts["yes"],
        no=counts["no"],
        abstain=counts["abstain"],
        refused=len(refused),
        quorum=quorum,
        share_needed=threshold.share,
        min_yes=threshold.min_yes,
        closes=closes,
        approvals=approvals,
    )
    if closes is None:
        return Tally(**base, outcome="not-voting", why="voting has not opened")
    today = today or datetime.date.today()
    if today < closes:
        left = (closes - today).days
        return Tally(**base, outcome="open", why=f"voting is open: {left} day(s) left")
    outcome, why, elected = _decide(records, proposal, base, votes, approvals)
    return Tally(**base, outcome=outcome, why=why, elected=elected)


def _decide(records, proposal, base, votes, approvals):
    cast = len(votes)
    if cast < base["quorum"]:
        return "rejected", f"no quorum: {cast} valid vote(s), {base['quorum']} needed", ()
    if proposal.kind == "election":
        seats = records.charter.stewards.seats
        ranked = sorted(approvals, key=lambda c: (-approvals[c], c))
        elected = tuple(c for c in ranked if approvals[c] * 2 >= cast)[:seats]
        if not elected:
            return "rejected", "no candidate was approved by half of those who voted", ()
        return "accepted", f"elected: {', '.join(elected)}", elected
    yes, no = base["yes"], base["no"]
    share = Fraction(yes, yes + no) if yes + no else Fraction(0)
    needed = base["share_needed"]
    said = f"{yes} yes, {no} no, {base['abstain']} abstain"
    if yes < base["min_yes"]:
        return "rejected", f"{said}: fewer than {base['min_yes']} yes votes", ()
    if share < needed:
        return "rejected", f"{said}: {float(share):.0%} yes, {float(needed):.0%} needed", ()
    return (
        "accepted",
        f"{said}: {float(share):.0%} yes ({float(needed):.0%} needed), quorum met",
        (),
    )
