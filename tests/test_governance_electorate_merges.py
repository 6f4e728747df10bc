"""The electorate's walk of a branch with merges (classifier/governance/electorate.py): the
authors each merge brought in are read from one `git log` of the branch, and must be those git
itself lists for the merge (`git log --no-merges first..second`), on a throwaway repository with
a merge that brings in a branch which had merged the main branch in, a co-author trailer, a
.mailmap line and a squash-style commit of its own."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path

from classifier.governance.electorate import electorate, landed_changes

WHEN = "2026-06-01T12:00:00+00:00"
EMAIL = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def git(repo: Path, *args: str, who: str = "main-dev", email: str | None = None) -> str:
    address = email or f"1+{who}@users.noreply.github.com"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who,
        "GIT_AUTHOR_EMAIL": address,
        "GIT_COMMITTER_NAME": "merger",
        "GIT_COMMITTER_EMAIL": "2+merger@users.noreply.github.com",
        "GIT_AUTHOR_DATE": WHEN,
        "GIT_COMMITTER_DATE": WHEN,
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    )
    return done.stdout


def commit(repo: Path, name: str, who: str, message: str = "", email: str | None = None) -> None:
    (repo / name).write_text(f"{name} by {who}\n", encoding="utf-8")
    git(repo, "add", name, who=who, email=email)
    git(repo, "commit", "-q", "-m", message or f"add {name}", who=who, email=email)


def a_history(repo: Path) -> None:
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / ".mailmap").write_text(
        "Old Name <4+carol@users.noreply.github.com> <carol@old.example>\n"
    )
    commit(repo, "base", "main-dev")
    git(repo, "checkout", "-q", "-b", "feature")
    commit(repo, "f1", "bob", "f1\n\nCo-authored-by: Dee <5+dee@users.noreply.github.com>")
    git(repo, "checkout", "-q", "main")
    commit(repo, "m1", "main-dev")
    git(repo, "checkout", "-q", "feature")
    git(repo, "merge", "-q", "--no-ff", "-m", "main into feature", "main", who="bob")
    commit(repo, "f2", "carol", email="carol@old.example")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "feature", "feature")
    commit(repo, "m2", "erin")


def one_log_per_merge(repo: Path) -> list[str]:
    """Every address the branch's landed changes name, as git lists them with one `git log` per
    first-parent merge (`--no-merges first..second`): the reference."""
    trailers = "%(trailers:key=Co-authored-by,valueonly,separator=%x20)"
    found = []
    walk = git(repo, "log", "--first-parent", "--use-mailmap", f"--format=%P|%aE|{trailers}")
    for line in filter(None, walk.split("\n")):
        parents, author, coauthors = line.split("|")
        if len(parents.split()) < 2:
            found += [author, *EMAIL.findall(coauthors)]
            continue
        first, second = parents.split()
        inner = git(
            repo,
            "log",
            "--no-merges",
            "--use-mailmap",
            f"--format=%aE|{trailers}",
            f"{first}..{second}",
        )
        for item in filter(None, inner.split("\n")):
            author, coauthors = item.split("|")
            found += [author, *EMAIL.findall(coauthors)]
    return sorted(found)


def test_each_merge_brings_in_what_git_lists_for_it(tmp_path):
    repo = tmp_path / "repo"
    a_history(repo)
    since, until = datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)
    landed = sorted(email for email, _ in landed_changes(repo, "main", since, until))
    assert landed == one_log_per_merge(repo)
    assert landed.count("1+main-dev@users.noreply.github.com") == 2  # base and m1, not again
    assert "4+carol@users.noreply.github.com" in landed  # through .mailmap
    voters = electorate(repo, "main", 12, until)
    assert sorted(voters.members) == ["bob", "carol", "dee", "erin", "main-dev"]
