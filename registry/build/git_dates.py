"""Created and updated dates of entry files, read from git history in one pass.

`git log --follow` per file costs a process per entry (minutes at 10,000
files); one `git log --name-only` over the whole folder gives every file's
newest and oldest commit at once. Without git history (a source tarball, a
folder outside any repository) every date falls back to SOURCE_DATE_EPOCH
when it is set, and to NULL otherwise: a build never guesses a date.
"""

from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

COMMIT_MARK = "\x1ecommit "


@dataclass(frozen=True)
class FileDates:
    created: str | None
    updated: str | None


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as an ISO timestamp (UTC), or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if not value:
        return None
    return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC).isoformat()


def _git(folder: Path, *args: str) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        return None
    return result.stdout if result.returncode == 0 else None


def repository_root(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None outside git."""
    out = _git(folder, "rev-parse", "--show-toplevel")
    return Path(out.strip()) if out else None


def source_commit(folder: Path) -> str | None:
    """The commit the entries were built from, or None outside git."""
    out = _git(folder, "rev-parse", "--verify", "-q", "HEAD")
    return out.strip() if out else None


def file_dates(
    folder: Path, names: list[str], history: dict[str, FileDates] | None = None
) -> dict[str, FileDates]:
    """Dates for each file name in `folder` (from `history`, else its own): files without
    history get the fallback."""
    fallback = FileDates(source_date(), source_date())
    history = folder_history(folder) if history is None else history
    return {name: history.get(name, fallback) for name in names}


def folder_history(folder: Path) -> dict[str, FileDates]:
    """The dates of every file with history in `folder`, by file name (empty outside git)."""
    root = repository_root(folder)
    if root is None:
        return {}
    relative = os.path.relpath(folder.resolve(), root.resolve())
    out = _git(
        root, "log", "--no-renames", "--name-only", f"--format={COMMIT_MARK}%cI", "--", relative
    )
    if not out:
        return {}
    newest: dict[str, str] = {}
    oldest: dict[str, str] = {}
    when = None
    for line in out.split("\n"):  # not splitlines(): it also splits on the \x1e mark
        if line.startswith(COMMIT_MARK):
            when = line[len(COMMIT_MARK) :]
        elif line and when:
            name = line.rsplit("/", 1)[-1]
            newest.setdefault(name, when)  # log runs newest first
            oldest[name] = when
    return {name: FileDates(oldest[name], newest[name]) for name in newest}
