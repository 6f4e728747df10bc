"""Who may vote, computed from git history: contributors with a change merged into the
charter's branch in the months before a vote opens, and the charter's dataset stewards.

A change counts on the day it landed: the walk follows the branch's first parents, so a
merge commit dates every commit it brought in, and a squash or rebase merge is its own
landing. Merge commits themselves are not counted (merging is not authoring). A person is
known by their GitHub login, read from GitHub's noreply address
(`12345+login@users.noreply.github.com`), after git's own .mailmap maps any other address
to one. Addresses without a login are counted, never listed: add a .mailmap line to link
them. Bots (`name[bot]`) are not logins and never vote.
"""

from __future__ import annotations

import datetime
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

NOREPLY = re.compile(
    r"^(?:[0-9]+\+)?([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})@users\.noreply\.github\.com$", re.I
)
EMAIL_IN = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
SEP, END = "\x1f", "\x1e"


class HistoryError(Exception):
    """Git history cannot be read (no repository, unknown branch)."""


@dataclass(frozen=True)
class Electorate:
    """The contributors who qualify on `on`, each with the date of their latest landed
    change, and how many qualifying addresses could not be linked to a login."""

    on: datetime.date
    since: datetime.date
    members: dict[str, datetime.date]
    unlinked: int

    def __contains__(self, login: str) -> bool:
        return login.lower() in {m.lower() for m in self.members}


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise HistoryError(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the last day of the month when it has fewer days)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def login_of(email: str) -> str | None:
    match = NOREPLY.match(email.strip())
    return match.group(1) if match else None


def landed_changes(root: Path, ref: str, since: datetime.date, until: datetime.date):
    """(email, landed date) of every authored change that landed on `ref` in [since, until).

    Two git processes, whatever the number of merges: the first-parent walk, and one log of
    every commit reachable from `ref` from which each merge's `first..second` (the commits the
    merge brought in) is taken in Python (merged_commits).
    """
    trailers = "%(trailers:key=Co-authored-by,valueonly,separator=%x1d)"
    fmt = f"%H{SEP}%P{SEP}%cI{SEP}%aE{SEP}{trailers}{END}"
    out = _git(
        root,
        "log",
        "--first-parent",
        "--use-mailmap",
        f"--format={fmt}",
        ref,
        f"--since={since.isoformat()}T00:00:00Z",
    )
    graph = None
    for record in filter(None, (r.strip("\n") for r in out.split(END))):
        _sha, parents, when, email, coauthors = record.split(SEP)
        day = datetime.datetime.fromisoformat(when).astimezone(datetime.UTC).date()
        if not since <= day < until:
            continue
        parents = parents.split()
        if len(parents) > 1:  # a merge: the authors of what it brought in
            graph = graph or CommitGraph.read(root, ref)
            for author, co in graph.merged_authors(parents[0], parents[1]):
                yield from _people(author, co, day)
        else:
            yield from _people(email, coauthors, day)


@dataclass(frozen=True)
class CommitGraph:
    """Every commit reachable from a ref: its parents, and its author and co-author trailers
    (after .mailmap), from one `git log`."""

    parents: dict[str, list[str]]
    authors: dict[str, tuple[str, str]]

    @classmethod
    def read(cls, root: Path, ref: str) -> CommitGraph:
        trailers = "%(trailers:key=Co-authored-by,valueonly,separator=%x1d)"
        fmt = f"%H{SEP}%P{SEP}%aE{SEP}{trailers}{END}"
        out = _git(root, "log", "--use-mailmap", f"--format={fmt}", ref)
        parents: dict[str, list[str]] = {}
        authors: dict[str, tuple[str, str]] = {}
        for record in filter(None, (r.strip("\n") for r in out.split(END))):
            sha, above, email, coauthors = record.split(SEP)
            parents[sha] = above.split()
            authors[sha] = (email, coauthors)
        return cls(parents, authors)

    def ancestors(self, start: str) -> set[str]:
        """`start` and every commit reachable from it."""
        seen, todo = set(), [start]
        while todo:
            sha = todo.pop()
            if sha not in seen:
                seen.add(sha)
                todo.extend(self.parents.get(sha, ()))
        return seen

    def merged_authors(self, first: str, second: str) -> list[tuple[str, str]]:
        """(author, co-author trailers) of each commit of `git log --no-merges first..second`:
        reachable from `second`, not from `first`, with fewer than two parents."""
        brought, todo = [], [second]
        seen = self.ancestors(first)
        while todo:
            sha = todo.pop()
            if sha in seen:
                continue
            seen.add(sha)
            todo.extend(self.parents.get(sha, ()))
            if len(self.parents.get(sha, ())) < 2:
                brought.append(self.authors[sha])
        return brought


def _people(author: str, coauthors: str, day: datetime.date):
    yield author, day
    for line in coauthors.split("\x1d"):
        match = EMAIL_IN.search(line)
        if match:
            yield match.group(1), day


def electorate(root: Path, branch: str, months: int, on: datetime.date) -> Electorate:
    """The contributors who may vote in a vote opening on `on`."""
    since = months_before(on, months)
    members: dict[str, datetime.date] = {}
    unlinked: set[str] = set()
    for email, day in landed_changes(root, branch, since, on):
        login = login_of(email)
        if login is None:
            unlinked.add(email.lower())
        elif login not in members or members[login] < day:
            members[login] = day
    return Electorate(on, since, dict(sorted(members.items())), len(unlinked))
