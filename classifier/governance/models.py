"""The governance files' schema: the charter, proposals, ballots and the release record.

Read by the same strict YAML reader as entries (every scalar a string, typed here), so a
mistake is reported at its line and column. What can be computed is never a field here:
the electorate comes from git history, tallies from the ballots, impact from the rules,
the end of a vote from its start and the charter's voting days.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from registry.entry.schema_types import (
    Date,
    EntryId,
    LongText,
    Model,
    Text,
    Url,
    _unique,
)

# A GitHub login (users; bots such as dependabot[bot] never match, so they never vote).
LOGIN_PATTERN = r"^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$"
Login = Annotated[str, Field(pattern=LOGIN_PATTERN)]
PROPOSAL_ID_PATTERN = r"^[0-9]{4}-[0-9]{3}-[a-z0-9][a-z0-9-]{1,50}$"
ProposalId = Annotated[str, Field(pattern=PROPOSAL_ID_PATTERN)]
Version = Annotated[str, Field(pattern=r"^[0-9]{4}\.[0-9]{1,2}$")]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]

KINDS = ("rule-change", "community-decision", "charter-change", "election")
STATUSES = ("draft", "open-for-comment", "voting", "accepted", "rejected", "withdrawn")
CHOICES = ("yes", "no", "abstain")
USES = ("training", "retrieval", "evaluation")


def _positive(value: object) -> object:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    raise ValueError(f"'{value}' is not a whole number")


Count = Annotated[int, BeforeValidator(_positive), Field(ge=0, le=100_000)]


def _fraction(value: object) -> Fraction:
    try:
        share = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"'{value}' is not a share; write it as 2/3 or 0.5") from None
    if not 0 < share <= 1:
        raise ValueError(f"'{value}' must be more than 0 and at most 1")
    return share


Share = Annotated[Fraction, BeforeValidator(_fraction)]


# The charter: who votes, how, who stewards, when releases happen.


class Contributors(Model):
    """Contributors who may vote: computed from git history, never listed by hand."""

    months: Count = Field(description="A merged change within this many months before a vote.")
    branch: Text = Field(description="The branch whose history counts as merged.")


class DatasetSteward(Model):
    """A person who speaks for the publisher of some entries: may vote on proposals that
    reclassify those entries."""

    login: Login
    entries: Annotated[list[EntryId], Field(min_length=1), AfterValidator(_unique)]
    evidence: Url = Field(description="Page showing the person speaks for the publisher.")
    since: Date


class Electorate(Model):
    contributors: Contributors
    dataset_stewards: list[DatasetSteward] = Field(default_factory=list)


class Threshold(Model):
    share: Share = Field(description="Share of yes among yes and no votes needed, e.g. 2/3.")
    min_yes: Count = Field(description="At least this many yes votes.")


class Voting(Model):
    comment_days: Count = Field(description="Days open for comment before voting may start.")
    voting_days: Count = Field(description="Days the vote stays open.")
    quorum_votes: Count = Field(description="At least this many valid votes (yes, no, abstain).")
    quorum_share: Share = Field(description="... and at least this share of the electorate.")
    thresholds: dict[Literal[KINDS], Threshold]
    vote_date_slack_days: Count = Field(
        description="A new vote's date may differ from the day it is checked by this many days."
    )


class Seat(Model):
    """An elected steward."""

    login: Login
    term_start: Date
    term_end: Date
    elected_by: ProposalId
    interests: list[Text] = Field(
        default_factory=list, description="Declared conflicts of interest."
    )


class Interim(Model):
    """Who acts as stewards before the first election (the CODEOWNERS team)."""

    team: Text
    until: Text
    note: LongText


class Stewards(Model):
    seats: Count
    term_months: Count
    election: LongText = Field(description="How stewards are elected, in plain words.")
    duties: LongText
    interim: Interim | None = None
    members: list[Seat] = Field(default_factory=list)


class Calendar(Model):
    dates: Annotated[list[MonthDay], Field(min_length=1), AfterValidator(_unique)]
    public_domain_day: MonthDay
    note: LongText


class Charter(Model):
    """classifier/governance/charter.yaml."""

    electorate: Electorate
    voting: Voting
    stewards: Stewards
    releases: Calendar
    principles: list[LongText] = Field(default_factory=list)


# Proposals


class NearestRule(Model):
    id: Text = Field(description="The existing rule closest to the proposal.")
    differs: LongText = Field(
        description="How the proposal differs from it, and why that rule is not enough."
    )


class EvidenceLink(Model):
    url: Url
    note: Text | None = None


class Conflict(Model):
    who: Login
    interest: Text


class Process(Model):
    """The community's own decision process: evidence that the community decided."""

    kind: Literal["vote", "rfc", "consensus", "resolution"]
    date: Date
    url: Url
    result: Text | None = Field(default=None, description="e.g. '212 for, 31 against'.")


class Community(Model):
    """A community decision: a community records that its content opts into or out of the
    commons by default."""

    name: Text
    type: Literal["project", "publisher", "member-group"]
    standing: Literal["rights-holder", "creators", "steward"]
    decides: Literal["opt-in", "opt-out"]
    entries: Annotated[list[EntryId], Field(min_length=1), AfterValidator(_unique)]
    uses: Annotated[list[Literal[USES]], AfterValidator(_unique)] = Field(
        default_factory=lambda: list(USES)
    )
    conditions: list[Literal["attribution", "share-alike", "notice"]] = Field(default_factory=list)
    process: Process


class Decision(Model):
    """The stewards' reasoned record of a decided vote; the outcome is checked against the
    tally."""

    outcome: Literal["accepted", "rejected"]
    date: Date
    recorded_by: Annotated[list[Login], Field(min_length=1), AfterValidator(_unique)]
    reasons: LongText


class Withdrawal(Model):
    date: Date
    reason: LongText


class Proposal(Model):
    """classifier/governance/proposals/<id>.yaml."""

    id: ProposalId
    title: Text = Field(max_length=200)
    kind: Literal[KINDS]
    status: Literal[STATUSES]
    proposers: Annotated[list[Login], Field(min_length=1), AfterValidator(_unique)]
    summary: Text = Field(max_length=400)
    rationale: LongText
    nearest_rule: NearestRule | None = None
    evidence: list[EvidenceLink] = Field(default_factory=list)
    conflicts: list[Conflict]
    opened: Date | None = None
    voting_opens: Date | None = None
    change: Any = None  # rule-change: add, replace, remove, settings (typed as the rules are)
    community: Community | None = None
    candidates: Annotated[list[Login], AfterValidator(_unique)] = Field(default_factory=list)
    decision: Decision | None = None
    withdrawn: Withdrawal | None = None
    released_in: Version | None = None

    def voting_closes(self, voting_days: int) -> datetime.date | None:
        """The first day no vote counts (voting runs from voting_opens for voting_days days)."""
        if self.voting_opens is None:
            return None
        return self.voting_opens + datetime.timedelta(days=voting_days)


def missing(p: Proposal) -> list[str]:
    """What a proposal at its status lacks; each message says how to fix it."""
    out = []
    if p.status == "draft":
        return out
    if not p.evidence:
        out.append(
            "a proposal needs evidence before it opens for comment: add at least one "
            "'evidence:' item with a url"
        )
    if p.opened is None:
        out.append("add 'opened:' (the date the proposal opened for comment)")
    if p.kind == "rule-change":
        if p.nearest_rule is None:
            out.append("a rule change names 'nearest_rule:' (id and how the proposal differs)")
        if not isinstance(p.change, dict) or not p.change:
            out.append("a rule change needs 'change:' (add, replace, remove or settings)")
    if p.kind == "community-decision" and p.community is None:
        out.append("a community decision needs 'community:' with its process and entries")
    if p.kind == "election" and not p.candidates:
        out.append("an election lists its 'candidates:'")
    voting_on = p.status in ("voting", "accepted", "rejected")
    if voting_on and p.voting_opens is None:
        out.append("add 'voting_opens:' (the first day of the vote)")
    if p.status in ("accepted", "rejected") and p.decision is None:
        out.append("a decided proposal records 'decision:' (outcome, date, recorded_by, reasons)")
    if p.decision is not None and p.status != p.decision.outcome:
        out.append(f"status is '{p.status}' but decision.outcome is '{p.decision.outcome}'")
    if p.status == "withdrawn" and p.withdrawn is None:
        out.append("a withdrawn proposal records 'withdrawn:' (date and reason)")
    if p.released_in is not None and p.status != "accepted":
        out.append("only an accepted proposal can be released")
    return out


# Ballots


class Vote(Model):
    voter: Login
    choice: Literal[CHOICES] | Annotated[list[Login], AfterValidator(_unique)]
    date: Date
    reason: LongText | None = None
    conflict: Text | None = Field(default=None, description="A declared conflict of interest.")


class Ballot(Model):
    """classifier/governance/ballots/<proposal id>.yaml: one line per voter."""

    proposal: ProposalId
    votes: list[Vote] = Field(default_factory=list)


# The release record


Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
SnapshotFile = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}$")]


class ReleaseSnapshot(Model):
    """The Global Training Commons snapshot made with a release: counts and each file's SHA-256,
    so a download can be checked, and a rebuild from the release's tag compared."""

    datasets: Annotated[int, BeforeValidator(_positive), Field(ge=0)]
    curated: Annotated[int, BeforeValidator(_positive), Field(ge=0)]
    imported: Annotated[int, BeforeValidator(_positive), Field(ge=0)]
    sha256: dict[SnapshotFile, Sha256] = Field(description="File under snapshot/ → its SHA-256.")


class Release(Model):
    version: Version
    date: Date
    kind: Literal["founding", "calendar", "public-domain-day", "extraordinary"]
    proposals: Annotated[list[ProposalId], AfterValidator(_unique)] = Field(default_factory=list)
    rules_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{40}$")] | None = None
    table: Text | None = Field(default=None, description="The reclassification table's file.")
    note: LongText | None = None
    extraordinary_reason: LongText | None = None
    snapshot: ReleaseSnapshot | None = None


class Releases(Model):
    """classifier/governance/releases.yaml, written by `commons governance release`."""

    releases: Annotated[list[Release], Field(min_length=1)]
