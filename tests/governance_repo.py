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
