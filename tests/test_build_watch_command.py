"""`commons build --watch` as a user runs it (registry/build/resident.py): the real command in a
process of its own rebuilds on a save, on a commit, keeps the last good database through an
invalid entry, and Ctrl-C (or SIGTERM) stops it cleanly, once, also where SIGINT came ignored."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_fixtures import raw_entry, write_entry
from db_content import same_content
from test_build_resident import EPOCH, a_repository, change, cold

from registry.build.resident import published


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def commit(repo: Path, path: str) -> None:
    who = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    who |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["add", path], ["commit", "-q", "-m", f"add {path}"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **who})


def created(db: Path, entry_id: str) -> str | None:
    with sqlite3.connect(db) as conn:
        return conn.execute("select created from entries where id = ?", [entry_id]).fetchone()[0]


def wait_for(condition, what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def exit_code(process: subprocess.Popen, log: Path, seconds: float = 60) -> int:
    """The process's exit code once it stops; one that has not stopped within `seconds` fails
    with its log, its threads' stacks at the end (faulthandler, on SIGABRT): where it hung."""
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        log_text = log.read_text()[-8000:]
        raise AssertionError(f"not stopped in {seconds} s; its log:\n{log_text}") from None


@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "stat-polling"])
def test_the_watch_command_rebuilds_keeps_the_last_good_database_and_stops(tmp_path, epoch, poll):
    """The real command in its own process: a save is built and published as a cold build of
    the same files; an invalid entry prints file:line:col, leaves the database as it was and the
    command watching; the fix is built; a commit (git's HEAD moved, no file changed) is built;
    Ctrl-C (SIGTERM in the polling run) stops it with no
    partial file left."""
    repo = a_repository(tmp_path)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    process, out, log = start_watch(tmp_path, repo, poll)
    try:
        wait_for(lambda: "Watching" in log.read_text(), "the first build")
        first = published(out)
        change(repo, "licence")
        wait_for(lambda: published(out) != first, "the rebuild")
        assert same_content(out, cold(repo, tmp_path, "watched"))
        good = published(out)
        write_entry(repo / "entries", raw_entry("zeta-broken", modality="smell"))
        wait_for(lambda: "zeta-broken.yaml:" in log.read_text(), "the error")
        assert "build failed" in log.read_text() and process.poll() is None
        assert published(out) == good
        (repo / "entries" / "zeta-broken.yaml").unlink()
        change(repo, "new file")
        # Two saves: the watcher may publish the first alone before it sees the second.
        fixed = cold(repo, tmp_path, "fixed")
        wait_for(lambda: published(out) != good and same_content(out, fixed), "the fixed rebuild")
        good = published(out)
        commit(repo, "entries/gamma-code.yaml")  # no file of the build changes: git's HEAD does
        wait_for(lambda: published(out) != good, "the rebuild after a commit")
        assert created(out, "gamma-code") is not None
        assert same_content(out, cold(repo, tmp_path, "committed"))
        process.send_signal(signal.SIGTERM if poll else signal.SIGINT)
        assert exit_code(process, log) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert_stopped_cleanly(out, log)


def start_watch(tmp_path: Path, repo: Path, poll: bool, **popen) -> tuple:
    """`commons build --watch` of `repo` in a process of its own: (process, database, log)."""
    out, log = tmp_path / "dist" / "registry.db", tmp_path / "watch.log"
    command = [str(Path(sys.executable).with_name("commons")), "build", "--watch"]
    command += ["--entries", str(repo / "entries"), "--out", str(out)]
    command += ["--cache-dir", str(tmp_path / "cache")] + (["--poll"] if poll else [])
    with log.open("w") as stderr:
        # faulthandler: a process that does not stop can be made to print its threads' stacks.
        env = {**os.environ, "PYTHONFAULTHANDLER": "1"}
        process = subprocess.Popen(command, stderr=stderr, cwd=tmp_path, env=env, **popen)
    return process, out, log


def assert_stopped_cleanly(out: Path, log: Path) -> None:
    """Said at once that it stops, once (a later signal is ignored), then that it stopped, with
    nothing left but the published files."""
    text = log.read_text()
    assert "Stopped" in text and "Traceback" not in text
    assert text.count("Stopping:") == 1 and text.index("Stopping:") < text.index("Stopped")
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        ["registry.db", "registry.db.sha256", "registry.db.overlap"]
    )


def _sigint_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_ctrl_c_stops_the_watch_command_started_with_sigint_ignored(tmp_path, epoch):
    """A background job of a shell without job control (`commons build --watch &` in a script,
    a test suite started so) inherits SIGINT ignored, and Python then installs no Ctrl-C handler:
    the command must take SIGINT back, or Ctrl-C and `kill -INT` never stop it (the main thread
    waits for changes forever: the file-events test above hung so under such a run)."""
    repo = a_repository(tmp_path)
    process, out, log = start_watch(tmp_path, repo, False, preexec_fn=_sigint_ignored)
    try:
        wait_for(lambda: "Watching" in log.read_text(), "the first build")
        process.send_signal(signal.SIGINT)
        assert exit_code(process, log, seconds=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert_stopped_cleanly(out, log)


def test_ctrl_c_pressed_again_and_again_stops_the_watch_command_once(tmp_path, epoch):
    """An impatient Ctrl-C, again while the command stops (a stopped build waits for its
    threads, seconds at the real catalog): the stop is not cut short, no "Aborted!", exit 0."""
    repo = a_repository(tmp_path)
    process, out, log = start_watch(tmp_path, repo, False)
    try:
        wait_for(lambda: "Watching" in log.read_text(), "the first build")
        change(repo, "summary")
        wait_for(lambda: "building" in log.read_text(), "the rebuild")
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            process.send_signal(signal.SIGINT)
            time.sleep(0.002)
        assert exit_code(process, log, seconds=30) == 0, log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
    assert log.read_text().count("Stopped") == 1 and "Aborted" not in log.read_text()
    assert_stopped_cleanly(out, log)
