"""A full governance cycle on a throwaway repository: proposals opened from the template, their
impact computed, votes cast (invalid ones refused with clear errors), tallied, released as a new
rules version that reproduces from its tag, and the reclassified entries changed in the built
registry and on the site."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from governance_repo import COMMUNITY, RULE_CHANGE, git, make_repo

from registry.commands.cli import cli


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def edit(path: Path, text: str, **keys) -> None:
    """Fill a proposal made from the template: keep its id, kind and proposers, set the rest."""
    made = yaml.safe_load(path.read_text())
    head = f"id: {made['id']}\nkind: {made['kind']}\nproposers: {made['proposers']}\n"
    extra = "".join(f"{key}: {value}\n" for key, value in keys.items())
    path.write_text(head + text + extra, encoding="utf-8")


def set_status(path: Path, **keys) -> None:
    text = path.read_text()
    text = text.replace("status: open-for-comment\n", "")
    path.write_text(text + "".join(f"{k}: {v}\n" for k, v in keys.items()), encoding="utf-8")


@pytest.fixture
def repo(tmp_path, monkeypatch):
    made = make_repo(tmp_path / "repo")
    monkeypatch.chdir(made)
    return made


def build(repo: Path, out: str) -> dict[str, str]:
    run("build", "--entries", "entries", "--out", out, "--no-cache")
    with sqlite3.connect(repo / out) as conn:
        return dict(conn.execute("select entry_id, category from classifications"))


def test_a_full_cycle_from_proposal_to_release(repo):
    proposals = repo / "classifier" / "governance" / "proposals"
    day = ("--today", "2026-12-01")
    run("governance", "propose", "unclear-restricted", "--proposer", "alice", *day)
    run(
        "governance",
        "propose",
        "authors-opt-in",
        "--kind",
        "community-decision",
        "--proposer",
        "alice",
    )
    rule_change = proposals / "2026-001-unclear-restricted.yaml"
    community = proposals / "2026-002-authors-opt-in.yaml"
    # The template, unfilled, fails with positioned errors.
    out = run("governance", "check", ok=False)
    assert "2026-001-unclear-restricted.yaml:" in out and "title" in out
    edit(rule_change, RULE_CHANGE)
    edit(community, COMMUNITY)
    assert run("governance", "check").endswith("no problems\n")

    # Impact: computed from the rules, never typed.
    table = run("governance", "impact", "2026-001-unclear-restricted")
    assert "`gh-archive` | undetermined → open-use-restricted" in table
    assert "rule lic.unclear-restricted added" in table
    table = run("governance", "impact", "2026-002-authors-opt-in")
    assert "`arxiv-nonexclusive-full-text` | not-commons → commons-by-default" in table
    before = build(repo, "dist/before.db")
    assert before["gh-archive"] == "undetermined"
    assert before["arxiv-nonexclusive-full-text"] == "not-commons"

    # Voting opens 14 days after the proposals opened; votes go in ballots.
    for path in (rule_change, community):
        set_status(path, status="voting", voting_opens="2026-12-15")
    ballots = repo / "classifier" / "governance" / "ballots"
    votes = [
        ("alice", "yes", "2026-12-16"),
        ("bob", "yes", "2026-12-16"),
        ("carol", "yes", "2026-12-17"),
        ("dave", "no", "2026-12-18"),
        ("eve", "yes", "2026-12-16"),  # her last change is older than 12 months
        ("bob", "no", "2026-12-19"),  # a second vote
        ("carol", "yes", "2026-12-30"),  # after the window (and a second vote)
    ]
    for pid in ("2026-001-unclear-restricted", "2026-002-authors-opt-in"):
        lines = "".join(f"  - {{voter: {v}, choice: {c}, date: {d}}}\n" for v, c, d in votes)
        (ballots / f"{pid}.yaml").write_text(f"proposal: {pid}\nvotes:\n{lines}")
    out = run("governance", "check-ballot", "2026-001-unclear-restricted", ok=False)
    assert "2026-001-unclear-restricted.yaml:7:" in out and "eve is not in the electorate" in out
    assert "no change of theirs was merged into main between 2025-12-15 and 2026-12-15" in out
    assert ":8:" in out and "bob already voted (votes[1])" in out
    assert "vote dated 2026-12-30 is outside the voting window" in out
    assert "(2026-12-15 to 2026-12-21)" in out
    out = run("governance", "tally", "2026-001-unclear-restricted", "--today", "2026-12-20")
    assert "open (voting is open: 2 day(s) left)" in out
    out = run("governance", "tally", "2026-001-unclear-restricted", "--today", "2026-12-22")
    assert "accepted (3 yes, 1 no, 0 abstain: 75% yes (67% needed), quorum met)" in out
    assert "refused: 3" in out and "electorate: 4; quorum: 3" in out

    # A decision that differs from the tally is refused; the reasoned decision is recorded.
    decision = (
        "\ndecision:\n  outcome: {outcome}\n  date: 2026-12-23\n  recorded_by: [carol]\n"
        "  reasons: Accepted by vote; the evidence shows the fixture's process.\n"
    )
    text = rule_change.read_text().replace("status: voting\n", "")
    rule_change.write_text(text + "status: rejected" + decision.format(outcome="rejected"))
    out = run("governance", "check", ok=False)
    assert "the tally does not say rejected: accepted" in out
    for path in (rule_change, community):
        text = path.read_text().split("status: rejected")[0].replace("status: voting\n", "")
        path.write_text(text + "status: accepted" + decision.format(outcome="accepted"))
    for pid in ("2026-001-unclear-restricted", "2026-002-authors-opt-in"):  # refused votes go
        (ballots / f"{pid}.yaml").write_text(
            f"proposal: {pid}\nvotes:\n"
            + "".join(f"  - {{voter: {v}, choice: {c}, date: {d}}}\n" for v, c, d in votes[:4])
        )
    assert run("governance", "check", "--today", "2026-12-24").endswith("no problems\n")
    preview = run("governance", "preview", "--as-of", "2026-12-24")
    assert "2026.3 + accepted" in preview and "`gh-archive`" in preview
    # Between releases entries are classified with the current release; the next is previewable.
    assert "gh-archive: undetermined" in run("classify", "entries/gh-archive.yaml")
    out = run("classify", "--preview", "entries/gh-archive.yaml")
    assert "gh-archive: open-use-restricted" in out
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Proposals decided", when="2026-12-24T12:00:00+00:00")

    # The release: not on an off-calendar day; on Public Domain Day it bundles both.
    out = run("governance", "release", "--date", "2026-12-28", ok=False)
    assert "not on the release calendar (next: 2027-01-01)" in out
    out = run("governance", "release", "--date", "2027-01-01")
    assert "Rules 2027.1 (public-domain-day): 2 proposal(s)" in out
    # With the release, its Global Training Commons snapshot: built under the new rules as of
    # the release day, its sums in the release record (the reproduction below checks them too).
    assert "Global Training Commons snapshot: 3 datasets (3 curated, 0 imported)" in out
    record = yaml.safe_load((repo / "classifier/governance/releases.yaml").read_text())
    made = record["releases"][-1]["snapshot"]
    snapshot = repo / "dist" / "release" / "snapshot"
    assert made["sha256"] == {
        path.relative_to(snapshot).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in snapshot.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS"
    }
    manifest = json.loads((snapshot / "global-training-commons-2027.1.json").read_text())
    assert (manifest["rules_version"], manifest["as_of"]) == ("2027.1", "2027-01-01")
    assert [d["id"] for d in manifest["datasets"]] == sorted(
        entry
        for entry, category in build(repo, "dist/check.db").items()
        if category == "commons-by-default"
    )
    ruleset = yaml.safe_load((repo / "classifier" / "rules" / "ruleset.yaml").read_text())
    assert ruleset["version"] == "2027.1"
    assert ruleset["changelog"][0]["proposals"] == [
        "2026-001-unclear-restricted",
        "2026-002-authors-opt-in",
    ]
    communities = (repo / "classifier" / "rules" / "communities.yaml").read_text()
    assert (
        communities.startswith("# Community decisions")
        and "community.2026-002-authors-opt-in" in communities
    )
    table = (repo / "classifier" / "governance" / "releases" / "2027.1.md").read_text()
    assert "not-commons → commons-by-default" in table
    assert run("governance", "check", "--today", "2027-01-01").endswith("no problems\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "Rules 2027.1", when="2027-01-01T12:00:00+00:00")
    git(repo, "tag", "rules-2027.1")

    # Reproducible: the release cut again on the commit before its tag writes the same files.
    again = repo.parent / "again"
    git(repo, "worktree", "add", "-q", "--detach", str(again), "rules-2027.1^")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from registry.commands.cli import cli; cli()",
            "governance",
            "release",
            "--date",
            "2027-01-01",
        ],
        cwd=again,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    assert result.returncode == 0, result.stderr
    git(again, "add", "-A")
    differs = subprocess.run(
        ["git", "diff", "--cached", "--stat", "rules-2027.1", "--", "classifier"],
        cwd=again,
        capture_output=True,
        text=True,
    )
    assert differs.stdout == "" and differs.returncode == 0

    # The built registry classifies with the new release.
    after = build(repo, "dist/registry.db")
    assert after["gh-archive"] == "open-use-restricted"
    assert after["arxiv-nonexclusive-full-text"] == "commons-by-default"
    with sqlite3.connect(repo / "dist/registry.db") as conn:
        assert conn.execute("select rules_version from builds").fetchone() == ("2027.1",)

    # The site: the entry page says the community decided, and links the decision.
    site = str(Path(__file__).resolve().parent.parent / "site")
    run("site", "--db", "dist/registry.db", "--out", "dist/site", "--site-dir", site)
    page = (repo / "dist/site/entries/arxiv-nonexclusive-full-text.html").read_text()
    assert (
        "Fixture Authors&#39; Assembly (member group, creators) decided by vote on 2026-11-20"
        in page
    )
    assert (
        'href="../governance/2026-002-authors-opt-in.html">proposal 2026-002-authors-opt-in' in page
    )
    assert "released in <a" in page and "rules 2027.1</a>" in page
    proposal = (repo / "dist/site/governance/2026-002-authors-opt-in.html").read_text()
    assert "3 yes, 1 no, 0 abstain" in proposal and "recorded by carol" in proposal
    releases = (repo / "dist/site/governance/releases.html").read_text()
    assert "Rules 2027.1" in releases and "not-commons → commons-by-default" in releases
