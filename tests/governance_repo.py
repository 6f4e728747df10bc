"""A throwaway git repository for governance tests: the real rules, the real charter, a few real
entries, and a history of contributors with GitHub noreply addresses.

The people (alice, bob, carol, dave, eve) and the community below are fixtures of the tests,
not facts about anyone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = ["arxiv-nonexclusive-full-text", "biorxiv", "geonames", "genbank", "gh-archive"]


def noreply(login: str, number: int) -> str:
    return f"{number}+{login}@users.noreply.github.com"


def git(repo: Path, *args: str, who: tuple[str, str] | None = None, when: str | None = None):
    env = dict(os.environ)
    name, email = who or ("seed", "seed@example.org")
    when = when or "2026-11-01T12:00:00+00:00"
    env.update(
        GIT_AUTHOR_NAME=name,
        GIT_AUTHOR_EMAIL=email,
        GIT_COMMITTER_NAME=name,
        GIT_COMMITTER_EMAIL=email,
        GIT_AUTHOR_DATE=when,
        GIT_COMMITTER_DATE=when,
    )
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit_file(repo: Path, path: str, text: str, login: str, number: int, when: str) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    git(repo, "add", path)
    git(
        repo,
        "commit",
        "-q",
        "-m",
        f"{path} by {login}",
        who=(login, noreply(login, number)),
        when=when,
    )


def digest(rules: Path) -> str:
    out = hashlib.sha256()
    for path in sorted(rules.glob("*.yaml")):
        out.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return out.hexdigest()


def rules_digest_of(repo: Path) -> str:
    return digest(repo / "classifier" / "rules")


def make_repo(repo: Path) -> Path:
    """The repository, with history: eve's change is older than 12 months before the vote;
    alice, bob and carol committed on main, dave's change landed by a merge."""
    repo.mkdir()
    shutil.copytree(ROOT / "classifier" / "rules", repo / "classifier" / "rules")
    governance = repo / "classifier" / "governance"
    for folder in ("proposals", "ballots", "releases"):
        (governance / folder).mkdir(parents=True)
        (governance / folder / "README.md").write_text("Governance records.\n")
    shutil.copy(ROOT / "classifier" / "governance" / "charter.yaml", governance / "charter.yaml")
    (governance / "releases.yaml").write_text(
        "releases:\n"
        '  - version: "2026.3"\n'
        "    date: 2026-12-03\n"
        "    kind: founding\n"
        f"    rules_sha256: {digest(repo / 'classifier' / 'rules')}\n"
        "    note: The founding release.\n",
        encoding="utf-8",
    )
    (repo / "entries").mkdir()
    for entry in ENTRIES:
        shutil.copy(ROOT / "entries" / f"{entry}.yaml", repo / "entries" / f"{entry}.yaml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "founding", when="2025-06-01T12:00:00+00:00")
    commit_file(repo, "notes/eve.md", "eve\n", "eve", 5, "2025-10-01T12:00:00+00:00")
    commit_file(repo, "notes/alice.md", "alice\n", "alice", 1, "2026-06-01T12:00:00+00:00")
    commit_file(repo, "notes/bob.md", "bob\n", "bob", 2, "2026-07-01T12:00:00+00:00")
    commit_file(repo, "notes/carol.md", "carol\n", "carol", 3, "2026-08-01T12:00:00+00:00")
    git(repo, "checkout", "-q", "-b", "dave-branch")
    commit_file(repo, "notes/dave.md", "dave\n", "dave", 4, "2026-09-01T12:00:00+00:00")
    git(repo, "checkout", "-q", "main")
    git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge dave",
        "dave-branch",
        when="2026-09-02T12:00:00+00:00",
    )
    return repo


RULE_CHANGE = """\
status: open-for-comment
opened: 2026-12-01
title: Unclear licences restrict use
summary: An entry whose licence is stated as unclear is open-use-restricted, not undetermined.
rationale: |-
  A fixture proposal of the tests.
nearest_rule:
  id: lic.publisher-terms
  differs: It names LicenseRef-Unclear, which that rule does not cover.
evidence:
  - url: https://example.org/evidence
conflicts: []
change:
  add:
    - after: lic.arxiv-nonexclusive
      rule:
        id: lic.unclear-restricted
        when: {ids: [LicenseRef-Unclear]}
        then:
          category: open-use-restricted
          family: restricted-terms
          obligations: [accept-terms]
          uses: terms-vary
        reason: "{license}: the terms are unclear, so use is restricted until they are read"
        citation: "https://example.org/evidence"
"""

COMMUNITY = """\
status: open-for-comment
opened: 2026-12-01
title: Fixture authors opt their preprints in
summary: The authors of the fixture preprints decided that their papers are commons by default.
rationale: |-
  A fixture community decision of the tests.
evidence:
  - url: https://example.org/assembly/minutes
conflicts:
  - who: bob
    interest: member of the fixture assembly
community:
  name: Fixture Authors' Assembly
  type: member-group
  standing: creators
  decides: opt-in
  entries: [arxiv-nonexclusive-full-text]
  conditions: [attribution]
  process:
    kind: vote
    date: 2026-11-20
    url: https://example.org/assembly/vote
    result: "40 for, 3 against"
"""


DECISION = (
    "status: accepted\nvoting_opens: 2026-12-15\ndecision:\n  outcome: accepted\n"
    "  date: 2026-12-23\n  recorded_by: [carol]\n  reasons: Accepted by vote.\n"
)
VOTES = "".join(
    f"  - {{voter: {v}, choice: {c}, date: 2026-12-16}}\n"
    for v, c in (("alice", "yes"), ("bob", "yes"), ("carol", "yes"), ("dave", "no"))
)


def invoke(*args: str) -> None:
    from click.testing import CliRunner

    from registry.commands.cli import cli

    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


def released_repo(path: Path, site_dir: Path) -> Path:
    """A repository after release 2027.1 (both fixture proposals accepted by vote), with a third
    proposal open for comment, built into dist/registry.db and dist/served/site."""
    repo = make_repo(path)
    folder = repo / "classifier" / "governance"
    for pid, kind, text in (
        ("2026-001-unclear-restricted", "rule-change", RULE_CHANGE),
        ("2026-002-authors-opt-in", "community-decision", COMMUNITY),
    ):
        head = f"id: {pid}\nkind: {kind}\nproposers: [alice]\n"
        body = text.replace("status: open-for-comment\n", "")
        (folder / "proposals" / f"{pid}.yaml").write_text(head + body + DECISION)
        (folder / "ballots" / f"{pid}.yaml").write_text(f"proposal: {pid}\nvotes:\n{VOTES}")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "decided", when="2026-12-24T12:00:00+00:00")
    previous, epoch = Path.cwd(), os.environ.get("SOURCE_DATE_EPOCH")
    try:
        os.chdir(repo)
        invoke("governance", "release", "--date", "2027-01-01")
        open_one = (
            RULE_CHANGE.replace("2026-12-01", "2026-12-28")
            .replace(
                "nearest_rule:\n  id: lic.publisher-terms",
                "nearest_rule:\n  id: lic.unclear-restricted",
            )
            .replace(
                "  add:\n    - after: lic.arxiv-nonexclusive\n      rule:\n        id:",
                "  replace:\n      - id:",
            )
            .replace("category: open-use-restricted", "category: not-commons")
        )
        (folder / "proposals" / "2026-003-unclear-closed.yaml").write_text(
            "id: 2026-003-unclear-closed\nkind: rule-change\nproposers: [bob]\n" + open_one
        )
        # Built on 2026-12-28, so the open proposal's time left is the same every year.
        os.environ["SOURCE_DATE_EPOCH"] = "1798459200"
        invoke("build", "--entries", "entries", "--out", "dist/registry.db", "--no-cache")
        invoke(
            "site",
            "--db",
            "dist/registry.db",
            "--out",
            "dist/served/site",
            "--site-dir",
            str(site_dir),
        )
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if epoch is not None:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
        os.chdir(previous)
    return repo
