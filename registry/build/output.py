"""The faults of the file system around a build: one clear error each, and nothing left behind.

`explain` turns a file-system error (an OSError, or SQLite's own for a full or
read-only disk) into a BuildFailed that names the folder, what happened and
how to fix it, so a full disk is never blamed on the cache and never deletes it.
`output_folder(out)` holds a lock on the output's folder for the whole build
(builds writing there wait for each other) and first removes the temporary
files a killed build left there: holding the lock, any such file is no live
build's.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from registry.build.db import BuildFailed

_FULL = (errno.ENOSPC, errno.EDQUOT)
_NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)
_SQLITE_FULL = ("SQLITE_FULL",)
_SQLITE_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


class OutputFailed(BuildFailed):
    """The file system refused a write; the rows themselves were fine."""


def is_file_system_error(error: BaseException) -> bool:
    """An error of the disk or folder (full, read-only, input/output), not of the data."""
    if isinstance(error, OSError):
        return error.errno is not None
    name = getattr(error, "sqlite_errorname", "")
    return isinstance(error, sqlite3.DatabaseError) and (
        name in _SQLITE_FULL or name in _SQLITE_NOT_WRITABLE or name.startswith("SQLITE_IOERR")
    )


def explain(error: BaseException, folder: Path, what: str, other: str) -> OutputFailed:
    """`error`, met writing `what` in `folder`, as one sentence: what happened, where, and the fix;
    `other` names the option that chooses another folder."""
    name = getattr(error, "sqlite_errorname", "")
    number = getattr(error, "errno", None)
    reason = getattr(error, "strerror", None) or str(error)
    if number in _FULL or name in _SQLITE_FULL:
        return OutputFailed(
            f"{folder}: the disk is full ({reason}) while writing {what}; free some space there "
            "and build again"
        )
    if number in _NOT_WRITABLE or name in _SQLITE_NOT_WRITABLE:
        return OutputFailed(
            f"{folder}: cannot write {what} there ({reason}); make the folder writable or "
            f"choose another folder ({other})"
        )
    return OutputFailed(f"{folder}: writing {what} failed ({reason}); check the disk")


@contextlib.contextmanager
def file_errors(folder: Path, what: str, other: str) -> Iterator[None]:
    """File-system errors raised inside, as OutputFailed (explain); any other error as it is."""
    try:
        yield
    except (OSError, sqlite3.DatabaseError) as error:
        if not is_file_system_error(error):
            raise
        raise explain(error, folder, what, other) from None


@contextlib.contextmanager
def output_folder(out: Path) -> Iterator[None]:
    """The folder of `out`, made if missing, locked for this build, without a killed build's
    temporary files."""
    folder = out.parent
    with file_errors(folder, "the database", "--out"):
        folder.mkdir(parents=True, exist_ok=True)
        lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        # Our own temporary files are `.<name>.<random>.tmp` (db.publish, work.py), and the journal
        # SQLite may leave beside one.
        with contextlib.suppress(OSError):  # a read-only folder: nothing to remove there
            for stale in folder.glob(f".{out.name}.*.tmp*"):
                stale.unlink(missing_ok=True)
        yield
    finally:
        os.close(lock)
