"""`commons build --watch`: one build process that stays, rebuilding on each change.

It builds once, then waits for a change to what the build reads: the entry folder, and beside
it `imports/` (the imported records), `classifier/` (the rules and the governance records),
`observations/` and `fingerprints/`, and git's HEAD, the charter's branch and `.mailmap` (the
entries' dates and the electorate come from the history). Each change is one more build
(pipeline.build), run in this process: start-up is paid once, and the last build's
whole-catalog inputs are kept in memory and changed by difference (memory.py), so each rebuild
publishes exactly what a one-shot build of the same files publishes. A build that fails (an
invalid entry: every error as file:line:col) leaves the last good database published and the
process watching.

Changes are seen through the operating system's file events (watchfiles); where they cannot be
had (no inotify watches left, an unsupported file system), every watched file's stat is polled
instead (`--poll`, or after the error). Either way the build itself finds what changed by each
file's stat and bytes (pipeline.scan_files), so a missed event can delay a rebuild, never make
one wrong. Git's HEAD and branch are polled (one `git rev-parse` a second): git's own files are
not watched. Ctrl-C (or SIGTERM) stops it, even where it was started with SIGINT ignored, and
once stopping it ignores them; a build it interrupts publishes nothing (db.publish replaces the
file only when it is complete), removes what it staged and rolls back its working copy.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from registry.build.cache import pin_code
from registry.build.memory import Memory
from registry.build.sources import IMPORTS

BESIDE = (IMPORTS, "classifier", "observations", "fingerprints")  # folders beside entries/
CHARTER = Path("classifier", "governance", "charter.yaml")
POLL_SECONDS = 1.0  # git's refs (and every stat, when polling) are looked at this often
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)  # Ctrl-C, and a service manager's stop
STOPPING = b"Stopping: the build in progress, if any, cleans up first ...\n"
STEP_MS = 50  # a change is built once no other has come for this long (an editor's write+rename)


def watched_folders(entries: Path) -> list[Path]:
    """The entry folder and the folders beside it that the build reads, those that exist."""
    root = entries.resolve().parent
    return [entries.resolve(), *(root / name for name in BESIDE if (root / name).is_dir())]


def git_state(root: Path) -> tuple:
    """What the build reads of git besides the files: HEAD (the entries' dates) and the charter's
    branch (the electorate), as `git rev-parse` resolves them, and .mailmap's stat. Other refs
    (other branches, other worktrees' commits) are not the build's input."""
    shown = subprocess.run(
        ["git", "rev-parse", "HEAD", charter_branch(root)],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        mailmap = os.stat(root / ".mailmap")
        mapped = (mailmap.st_size, mailmap.st_mtime_ns, mailmap.st_ino)
    except OSError:
        mapped = None
    return shown.stdout, mapped


def charter_branch(root: Path) -> str:
    """The branch whose contributors vote (classifier/governance/charter.yaml); `main` when the
    charter cannot be read (the build then reports why)."""
    try:
        charter = yaml.safe_load((root / CHARTER).read_text(encoding="utf-8"))
        return str(charter["electorate"]["contributors"]["branch"])
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return "main"


def published(out: Path) -> tuple | None:
    """The published database's inode and mtime: a rebuild replaces the file, so they change
    (what a test or a benchmark waits for); None before the first build."""
    try:
        st = os.stat(out)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def stat_snapshot(folders: list[Path]) -> dict[str, tuple]:
    """Every file under `folders` with its size, times and inode: the polling fallback's view."""
    seen = {}
    for folder in folders:
        for parent, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(parent, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                seen[path] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return seen


class Watcher:
    """Watches in a thread of its own, started before the first build so that no change after
    that build began is missed: `batches` receives a description of each batch of changes."""

    def __init__(self, entries: Path, poll: bool, echo: Callable[[str], None]):
        self.folders = watched_folders(entries)
        self.root = entries.resolve().parent
        self.poll = poll
        self.echo = echo
        self.stop = threading.Event()
        self.ready = threading.Event()  # watching from here on
        self.batches: queue.Queue = queue.Queue()
        self.git = git_state(self.root)
        self.branch = charter_branch(self.root)

    def start(self) -> None:
        threading.Thread(target=self._run, name="watcher", daemon=True).start()

    def next_batch(self) -> str:
        """The changes since the last call, waiting for at least one (every batch waiting is
        taken: one build covers them all)."""
        found = [self._get()]
        while not self.batches.empty():
            found.append(self._get())
        return "; ".join(found)

    def _get(self) -> str:
        while not self.stop.is_set():  # a short timeout keeps Ctrl-C prompt in the main thread
            with contextlib.suppress(queue.Empty):
                item = self.batches.get(timeout=0.5)
                if isinstance(item, BaseException):
                    raise item
                return item
        # Stopped by a signal whose KeyboardInterrupt was lost: raised in a __del__ or a callback
        # of the build that stopped, where Python only prints it.
        raise KeyboardInterrupt

    def _run(self) -> None:
        try:
            if not self.poll:
                try:
                    self._events()
                    return
                except (OSError, ImportError) as error:  # no watches left, no events here
                    self.echo(f"file events unavailable ({error}); polling every file's stat")
            self._polled()
        except Exception as error:  # the main thread reports it and stops
            self.batches.put(error)
        finally:
            self.ready.set()  # never leave the first build waiting

    def git_changed(self) -> bool:
        now = git_state(self.root)
        changed, self.git = now != self.git, now
        return changed

    def _events(self) -> None:
        import watchfiles

        for batch in watchfiles.watch(
            *self.folders,
            step=STEP_MS,
            rust_timeout=int(POLL_SECONDS * 1000),
            yield_on_timeout=True,
            stop_event=self.stop,
            raise_interrupt=False,
        ):
            self.ready.set()
            if batch:
                self.git_changed()  # a commit comes with file events; one build covers both
                self.batches.put(_describe(sorted(path for _, path in batch), self.root))
            elif self.git_changed():
                self.batches.put(f"git HEAD or {self.branch}")

    def _polled(self) -> None:
        seen = stat_snapshot(self.folders)
        self.ready.set()
        while not self.stop.wait(POLL_SECONDS):
            now = stat_snapshot(self.folders)
            paths = sorted(path for path in now.keys() | seen if now.get(path) != seen.get(path))
            seen = now
            if paths:
                self.git_changed()
                self.batches.put(_describe(paths, self.root))
            elif self.git_changed():
                self.batches.put(f"git HEAD or {self.branch}")


def _describe(paths: list[str], root: Path) -> str:
    shown = [os.path.relpath(path, root) for path in paths[:3]]
    more = f" and {len(paths) - 3} more" if len(paths) > 3 else ""
    return ", ".join(shown) + more


def stop_on_signals(stop: threading.Event) -> None:
    """Ctrl-C and SIGTERM set `stop` and raise KeyboardInterrupt, once: they are ignored from then
    on. A second Ctrl-C would cut short the stopped build's clean-up (its threads waited for, its
    staged files removed) and the exit after it: a staged file left beside the database,
    "Aborted!", exit 1. SIGINT's handler is set too where SIGINT came ignored (a background job
    of a shell without job control): Python sets none there, and Ctrl-C would never stop it."""

    def interrupt(signum, frame) -> None:
        for each in STOP_SIGNALS:
            signal.signal(each, signal.SIG_IGN)
        stop.set()
        # Said at once, with a plain write (no stream whose write this signal may have cut into):
        # a build being stopped waits for its threads, seconds at the real catalog.
        with contextlib.suppress(OSError):
            os.write(2, STOPPING)
        raise KeyboardInterrupt

    for signum in STOP_SIGNALS:
        signal.signal(signum, interrupt)


def watch(
    entries: Path,
    build_once: Callable[[Memory], bool],
    poll: bool,
    echo: Callable[[str], None],
) -> None:
    """Build with `build_once` (True when it published), then again on each change, until
    Ctrl-C (KeyboardInterrupt, raised to the caller once the build it stopped has cleaned up).

    The watcher starts first, and the first build waits until it watches: a change made while
    that build runs is built next, not lost.
    """
    pin_code()
    memory = Memory()
    watcher = Watcher(entries, poll, echo)
    stop_on_signals(watcher.stop)
    watcher.start()
    try:
        import registry.build.pipeline  # noqa: F401  the build's imports, while the watcher starts

        watcher.ready.wait()
        build_once(memory)
        shown = ", ".join(os.path.relpath(f, watcher.root) + "/" for f in watcher.folders)
        echo(f"Watching {shown} and git's HEAD and {watcher.branch} for changes (Ctrl-C to stop)")
        while True:
            what = watcher.next_batch()
            echo(f"Changed: {what}; building ...")
            started = time.perf_counter()
            if not build_once(memory):
                echo(
                    f"build failed ({time.perf_counter() - started:.2f} s): the last good "
                    "database stays published; watching for the fix"
                )
    finally:
        watcher.stop.set()
