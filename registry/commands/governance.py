"""`commons governance`: proposals, ballots, tallies and releases of the classifier's rules.

Thin: each verb reads its options and calls classifier.governance, imported inside it.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import click

from registry.commands.classify import _date


def _root() -> Path:
    """The repository the command runs in (its governance data and git history)."""
    import subprocess

    found = subprocess.run(
        ["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False
    )
    return Path(found.stdout.strip()) if found.returncode == 0 else Path.cwd()


def _records():
    from classifier.governance import records
    from registry.commands.entries import report_errors
    from registry.entry.errors import EntryErrors

    try:
        return records.load(_root())
    except EntryErrors as errors:
        report_errors(errors)


def _proposal(records, proposal_id: str):
    if proposal_id not in records.proposals:
        known = ", ".join(sorted(records.proposals)) or "none yet"
        raise click.ClickException(f"no proposal '{proposal_id}' (proposals: {known})")
    return records.proposals[proposal_id]


def _today(value):
    return value or datetime.date.today()


today_option = click.option(
    "--today", callback=_date, help="Check as of this day (YYYY-MM-DD); default today."
)


@click.group(name="governance")
def governance_command():
    """Proposals, ballots, tallies and releases of the classifier's rules.

    The data lives in classifier/governance/; the process is described in
    site/docs/governance.md.

    Example:

    \b
        commons governance propose scholarly-opt-in --kind community-decision --proposer alice
        commons governance check
        commons governance tally 2027-001-scholarly-opt-in
    """


@governance_command.command(name="propose")
@click.argument("slug")
@click.option(
    "--kind",
    type=click.Choice(["rule-change", "community-decision", "charter-change", "election"]),
    default="rule-change",
    show_default=True,
)
@click.option("--proposer", required=True, help="Your GitHub login.")
@today_option
def propose_command(slug, kind, proposer, today):
    """Open a proposal from the commented template, as a draft.

    Writes classifier/governance/proposals/YEAR-NNN-SLUG.yaml, numbered after the
    proposals of this year.

    Example:

    \b
        commons governance propose cc-by-nd-training --proposer alice
    """
    from importlib import resources

    from classifier.governance.models import LOGIN_PATTERN, PROPOSAL_ID_PATTERN

    folder = _root() / "classifier" / "governance" / "proposals"
    year = _today(today).year
    taken = [int(p.name[5:8]) for p in folder.glob(f"{year}-[0-9][0-9][0-9]-*.yaml")]
    proposal_id = f"{year}-{max(taken, default=0) + 1:03d}-{slug}"
    if not re.fullmatch(PROPOSAL_ID_PATTERN, proposal_id):
        raise click.ClickException(
            f"'{slug}' is not a valid slug: lowercase letters, digits and '-', at most 51"
        )
    if not re.fullmatch(LOGIN_PATTERN, proposer):
        raise click.ClickException(f"'{proposer}' is not a GitHub login")
    text = (resources.files("classifier.governance") / "template.yaml").read_text(encoding="utf-8")
    target = folder / f"{proposal_id}.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(
        text.replace("{id}", proposal_id).replace("{kind}", kind).replace("{proposer}", proposer),
        encoding="utf-8",
    )
    click.echo(f"Wrote {target}: fill it in, then run `commons governance impact {proposal_id}`")


@governance_command.command(name="check")
@today_option
def check_command(today):
    """Check every governance file: positions, dates, changes, ballots and decisions.

    Every problem is printed as file:line:col: message; exit status 1 if any.

    Example:

    \b
        commons governance check
    """
    from classifier.governance.checks import check_all
    from registry.commands.entries import report_errors
    from registry.entry.errors import EntryErrors

    records = _records()
    errors = check_all(records, _today(today))
    if errors:
        report_errors(EntryErrors(errors))
    click.echo(
        f"{len(records.proposals)} proposal(s), {len(records.ballots)} ballot(s), "
        f"rules {records.current.version}: no problems"
    )


@governance_command.command(name="impact")
@click.argument("proposal_id")
@click.option("--as-of", "as_of", callback=_date, help="Classify as of this day; default today.")
def impact_command(proposal_id, as_of):
    """Which entries a proposal reclassifies, as a Markdown table (computed, never typed).

    Example:

    \b
        commons governance impact 2027-001-cc-by-nd-training
    """
    from classifier.governance.changes import ChangeError
    from classifier.governance.impact import impact
    from classifier.rules_data import RulesError

    records = _records()
    proposal = _proposal(records, proposal_id)
    try:
        result = impact(records, [proposal], _today(as_of))
    except (ChangeError, RulesError) as error:
        raise click.ClickException(f"{proposal_id}: the change does not apply: {error}") from None
    click.echo(result.markdown(), nl=False)


@governance_command.command(name="preview")
@click.option("--as-of", "as_of", callback=_date, help="Classify as of this day; default today.")
def preview_command(as_of):
    """What the next release reclassifies: every accepted, unreleased proposal applied.

    Example:

    \b
        commons governance preview
    """
    from classifier.governance.impact import preview

    click.echo(preview(_records(), _today(as_of)).markdown(), nl=False)


@governance_command.command(name="check-ballot")
@click.argument("proposal_id")
@today_option
def check_ballot_command(proposal_id, today):
    """Check a proposal's ballot: eligibility, the voting window, duplicate votes.

    Exit status 1 if any vote cannot count, each at its line.

    Example:

    \b
        commons governance check-ballot 2027-001-cc-by-nd-training
    """
    from classifier.governance.checks import affected, vote_electorate
    from classifier.governance.voting import check_votes
    from registry.commands.entries import report_errors
    from registry.entry.errors import EntryErrors

    records = _records()
    proposal = _proposal(records, proposal_id)
    if proposal_id not in records.ballots:
        raise click.ClickException(f"no ballot for {proposal_id} in classifier/governance/ballots/")
    if proposal.voting_opens is None:
        raise click.ClickException(f"voting on {proposal_id} has not opened")
    electorate = vote_electorate(records, proposal)
    touched = affected(records, proposal, _today(today))
    found = check_votes(records, proposal, electorate, touched)
    if found:
        report_errors(EntryErrors([error for _, error in found]))
    click.echo(f"{len(records.ballots[proposal_id].votes)} vote(s), all valid")


@governance_command.command(name="tally")
@click.argument("proposal_id")
@today_option
def tally_command(proposal_id, today):
    """Count a proposal's valid votes with the charter's quorum and thresholds.

    Example:

    \b
        commons governance tally 2027-001-cc-by-nd-training
    """
    from classifier.governance.checks import affected, vote_electorate
    from classifier.governance.voting import tally

    records = _records()
    proposal = _proposal(records, proposal_id)
    if proposal.voting_opens is None:
        raise click.ClickException(f"voting on {proposal_id} has not opened")
    electorate = vote_electorate(records, proposal)
    result = tally(records, proposal, electorate, affected(records, proposal, _today(today)), today)
    click.echo(
        f"{proposal_id}: {result.outcome} ({result.why})\n"
        f"  valid votes: {result.yes} yes, {result.no} no, {result.abstain} abstain; "
        f"refused: {result.refused}\n"
        f"  electorate: {result.electorate}; quorum: {result.quorum}; needed: "
        f"{float(result.share_needed):.0%} yes and at least {result.min_yes} yes votes\n"
        f"  voting closed on: {result.closes}"
    )


@governance_command.command(name="electorate")
@click.option("--on", "on", callback=_date, help="The day a vote opens; default today.")
def electorate_command(on):
    """Who may vote in a vote opening on a day, computed from git history.

    Example:

    \b
        commons governance electorate --on 2027-01-15
    """
    from classifier.governance.electorate import HistoryError, electorate

    records = _records()
    contributors = records.charter.electorate.contributors
    try:
        found = electorate(_root(), contributors.branch, contributors.months, _today(on))
    except HistoryError as error:
        raise click.ClickException(f"cannot read git history: {error}") from None
    for login, day in found.members.items():
        click.echo(f"{login}\tlast merged change {day}")
    click.echo(
        f"{len(found.members)} contributor(s) with a change merged into {contributors.branch} "
        f"from {found.since} to {found.on}; {found.unlinked} address(es) without a GitHub login "
        "(add a .mailmap line to link one)",
        err=True,
    )


@governance_command.command(name="release")
@click.option("--date", "day", callback=_date, help="Release date (YYYY-MM-DD); default today.")
@click.option("--extraordinary", metavar="REASON", help="Release off the calendar, saying why.")
@click.option(
    "--if-due", is_flag=True, help="Do nothing (exit 0) when the date is not a release day."
)
@click.option(
    "--snapshot-out",
    default="dist/release",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder the release's Global Training Commons snapshot is written to (its snapshot/).",
)
def release_command(day, extraordinary, if_due, snapshot_out):
    """Cut a rules release: apply the accepted proposals, bump the version, write the
    changelog line, the reclassification table and the release record; then build the
    Global Training Commons snapshot under the new rules and record its SHA-256 sums.

    Example:

    \b
        commons governance release --date 2027-04-01
    """
    from classifier.governance.release import ReleaseError, release_kind
    from registry.commands.entries import report_errors
    from registry.commands.release_snapshot import cut_and_publish
    from registry.entry.errors import EntryErrors

    records = _records()
    day = _today(day)
    if if_due and release_kind(records.charter, day) is None:
        click.echo(f"{day} is not a release day; nothing to do")
        return
    try:
        result, made = cut_and_publish(records, day, extraordinary, Path(snapshot_out))
    except ReleaseError as error:
        raise click.ClickException(str(error)) from None
    except EntryErrors as errors:
        report_errors(errors)
    click.echo(
        f"Rules {result.version} ({result.kind}): {len(result.proposals)} proposal(s) "
        f"({', '.join(result.proposals) or 'none'}), {result.reclassified} entries reclassified; "
        f"table in {result.table}"
    )
    click.echo(
        f"Global Training Commons snapshot: {made.datasets} datasets ({made.curated} curated, "
        f"{made.imported} imported) in {Path(snapshot_out) / 'snapshot'}; its SHA-256 sums are "
        "in the release record"
    )


@governance_command.command(name="check-pr")
@click.option("--base", required=True, help="The base commit of the pull request.")
@click.option("--author", required=True, help="The pull request's author (GitHub login).")
@click.option("--label", "labels", multiple=True, help="A label of the pull request.")
@click.option("--approved-by", "approvers", multiple=True, help="A login that approved it.")
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the Markdown here.")
@today_option
def check_pr_command(base, author, labels, approvers, report, today):
    """The pull-request checks: rule changes come with accepted proposals or the label
    'proposal', votes are the voter's own and valid, nobody merges their own proposal.

    Example:

    \b
        commons governance check-pr --base origin/main --author alice --approved-by bob
    """
    from classifier.governance import pull_request

    records = _records()
    from registry.commands.release_snapshot import cut_and_publish

    verdict = pull_request.check(
        records, base, author, list(labels), list(approvers), _today(today), cut_and_publish
    )
    text = verdict.markdown()
    if report:
        Path(report).write_text(text, encoding="utf-8")
    click.echo(text, nl=False)
    if verdict.problems:
        raise SystemExit(1)
