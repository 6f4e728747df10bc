"""The pull-request checks of the governance workflow, on a throwaway repository: rule changes
need an accepted proposal or the label 'proposal', a vote is the voter's own, and nobody merges
their own proposal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from governance_repo import DECISION, RULE_CHANGE, VOTES, git, make_repo, rules_digest_of

from registry.commands.cli import cli


def check_pr(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["governance", "check-pr", "--base", "main", *args])
    return result.exit_code, result.output


@pytest.fixture
def repo(tmp_path, monkeypatch):
    made = make_repo(tmp_path / "repo")
    monkeypatch.chdir(made)
    git(made, "checkout", "-q", "-b", "pull-request")
    return made


def proposal(repo, status: str = "open-for-comment", extra: str = "") -> None:
    path = repo / "classifier/governance/proposals/2026-001-unclear-restricted.yaml"
    head = "id: 2026-001-unclear-restricted\nkind: rule-change\nproposers: [alice]\n"
    path.write_text(head + RULE_CHANGE.replace("open-for-comment", status) + extra)


def commit(repo, message: str) -> None:
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message)


def test_a_rule_edit_without_an_accepted_proposal_is_refused(repo):
    rules = repo / "classifier/rules/licences.yaml"
    rules.write_text(rules.read_text().replace("a closed licence", "a closed licence!"))
    commit(repo, "edit a rule")
    code, out = check_pr("--author", "alice", "--approved-by", "bob")
    assert code == 1
    assert "classifier/rules/ changes without an accepted proposal" in out


def test_a_proposal_needs_the_label_and_an_approval_by_someone_else(repo):
    proposal(repo)
    commit(repo, "propose")
    code, out = check_pr("--author", "alice", "--approved-by", "alice")
    assert code == 1
    assert "label the pull request 'proposal'" in out
    assert "who is neither the author (alice) nor a proposer (alice)" in out
    assert "nobody merges their own proposal" in out
    code, out = check_pr("--author", "alice", "--label", "proposal", "--approved-by", "bob")
    assert code == 0, out
    assert "approved by bob" in out


def test_what_was_voted_on_cannot_change(repo):
    proposal(repo, "voting", "voting_opens: 2026-12-15\n")
    commit(repo, "voting opens")
    git(repo, "branch", "-f", "main", "HEAD")
    proposal(repo, "voting", "voting_opens: 2026-12-15\n")
    path = repo / "classifier/governance/proposals/2026-001-unclear-restricted.yaml"
    path.write_text(path.read_text().replace("uses: terms-vary", "uses: none"))
    commit(repo, "change the rule during the vote")
    code, out = check_pr("--author", "alice", "--label", "proposal", "--approved-by", "bob")
    assert code == 1 and "is voting: what was voted on cannot change (change)" in out


def test_a_vote_is_cast_by_the_voters_own_pull_request(repo):
    proposal(repo, "voting", "voting_opens: 2026-12-15\n")
    commit(repo, "voting opens")
    git(repo, "branch", "-f", "main", "HEAD")
    ballot = repo / "classifier/governance/ballots/2026-001-unclear-restricted.yaml"
    ballot.write_text(
        "proposal: 2026-001-unclear-restricted\nvotes:\n"
        "  - {voter: carol, choice: yes, date: 2026-12-16}\n"
    )
    commit(repo, "a vote")
    args = ["--approved-by", "dave", "--today", "2026-12-16"]
    code, out = check_pr("--author", "bob", *args)
    assert code == 1 and "carol's vote is in a pull request by bob" in out
    code, out = check_pr("--author", "carol", *args)
    assert code == 0, out
    code, out = check_pr("--author", "carol", "--approved-by", "dave", "--today", "2026-12-19")
    assert (
        code == 1 and "a new vote is dated the day it is cast (2026-12-19), not 2026-12-16" in out
    )


def test_a_release_pull_request_must_be_what_the_release_writes(repo):
    proposal(repo, "accepted", DECISION.replace("status: accepted\n", ""))
    ballot = repo / "classifier/governance/ballots/2026-001-unclear-restricted.yaml"
    ballot.write_text(f"proposal: 2026-001-unclear-restricted\nvotes:\n{VOTES}")
    commit(repo, "decided")
    git(repo, "branch", "-f", "main", "HEAD")
    result = CliRunner().invoke(cli, ["governance", "release", "--date", "2027-01-01"])
    assert result.exit_code == 0, result.output
    commit(repo, "Rules 2027.1")
    code, out = check_pr("--author", "github-actions", "--approved-by", "bob")
    assert code == 0, out
    assert "release 2027.1 bundles: 2026-001-unclear-restricted" in out
    code, out = check_pr("--author", "github-actions", "--approved-by", "alice")
    assert code == 1 and "nor a proposer (alice)" in out
    # A rule slipped into the release, with its digest recorded, is still found out.
    rules = repo / "classifier/rules/licences.yaml"
    rules.write_text(rules.read_text().replace("a closed licence", "an open licence"))
    record = repo / "classifier/governance/releases.yaml"
    old = record.read_text().split("rules_sha256: ")[-1].split("\n")[0]
    record.write_text(record.read_text().replace(old, rules_digest_of(repo)))
    commit(repo, "tampered")
    code, out = check_pr("--author", "github-actions", "--approved-by", "bob")
    assert code == 1
    assert "release 2027.1 is not what `commons governance release --date 2027-01-01` writes" in out
    assert "classifier/rules/licences.yaml" in out
