"""Warm builds and git dates: a commit changes an entry's dates without changing its bytes, and a
warm build that skips comparing every row's dates (their digest is the last build's) must still
write the dates a cold build writes."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import sqlite_utils
from build_fixtures import small_corpus, write_corpus

from registry.build.pipeline import build

FIRST, SECOND = "2024-01-01T00:00:00+00:00", "2025-06-01T12:00:00+00:00"


def git(repo: Path, *args: str, date: str = FIRST) -> None:
    person = {"NAME": "t", "EMAIL": "t@example.org"}
    env = {
        f"GIT_{role}_{key}": value
        for role in ("AUTHOR", "COMMITTER")
        for key, value in person.items()
    }
    env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, env={**os.environ, **env}
    )


def dates(out: Path) -> dict[str, tuple]:
    db = sqlite_utils.Database(out)
    by_entries = {row[0]: row[1:] for row in db.execute("select id, created, updated from entries")}
    by_catalog = dict(db.execute("select id, updated from catalog").fetchall())
    assert by_catalog == {entry_id: updated for entry_id, (_, updated) in by_entries.items()}
    return by_entries


def test_warm_builds_follow_commits_that_leave_the_files_unchanged(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "repo"
    entries = repo / "entries"
    write_corpus(entries, small_corpus()[:3])
    git(repo, "init", "-q")
    git(repo, "add", "entries/alpha-archives.yaml")
    git(repo, "commit", "-q", "-m", "first")
    cache, out = tmp_path / "cache", tmp_path / "r.db"

    def warm_dates() -> dict[str, tuple]:
        assert build(entries, out, cache_dir=cache, progress=False).parsed == 0
        found = dates(out)
        # A warm publish's checksum file is the published file's.
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        assert out.with_name("r.db.sha256").read_text() == f"{digest}  r.db\n"
        assert found == dates(build(entries, tmp_path / "cold.db", cache_dir=None).out)
        return found

    build(entries, out, cache_dir=cache, progress=False)
    assert dates(out)["beta-speech"] == (None, None)
    assert warm_dates()["alpha-archives"] == (FIRST, FIRST)  # nothing changed: dates kept
    git(repo, "add", "entries/beta-speech.yaml")
    git(repo, "commit", "-q", "-m", "second", date=SECOND)
    assert warm_dates()["beta-speech"] == (SECOND, SECOND)
    assert warm_dates()["beta-speech"] == (SECOND, SECOND)  # again, the dates' digest unchanged
    git(repo, "reset", "-q", "--soft", "HEAD~1")  # the commit undone: the file is uncommitted
    assert warm_dates()["beta-speech"] == (None, None)
