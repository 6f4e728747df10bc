"""Earlier test runs' temporary folders, deleted without holding up the end of this run.

pytest keeps the last three runs' folders (pytest-of-<user>/pytest-N) and, when a session
finishes, deletes the older ones before it returns. A whole run leaves tens of thousands of files
(built sites, registries, exports), so that deletion was seconds of the suite's wall time at its
very end, after the last test. Here the same folders are renamed aside (one rename each) and
deleted by a `nice rm -rf` the session does not wait for. The deletion's CPU is still spent, in
the background; a folder a crash left behind is swept by the next run.
"""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

NUMBERED = re.compile(r"pytest-(\d+)")
TRASH = "trash-"


def stale_folders(root: Path, keep: int) -> list[Path]:
    """The numbered folders pytest would delete now: older than the `keep` newest, and not
    locked (a session still running, or one pytest is deleting, holds a `.lock` in its folder)."""
    numbered = {}
    for path in root.iterdir():
        match = NUMBERED.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            numbered[int(match.group(1))] = path
    newest = max(numbered, default=-1)
    return [
        path
        for number, path in sorted(numbered.items())
        if number <= newest - keep and not (path / ".lock").exists()
    ]


def delete_in_background(root: Path, keep: int) -> list[Path]:
    """Rename the stale folders to trash-<uuid> and start a niced `rm -rf` of every trash folder
    under `root` (this run's and any a crash left); returns the folders moved aside."""
    moved = []
    for path in stale_folders(root, keep):
        trash = root / f"{TRASH}{uuid.uuid4().hex}"
        try:
            path.rename(trash)
        except OSError:  # another session renamed or deleted it first
            continue
        moved.append(trash)
    trash_folders = sorted(root.glob(f"{TRASH}*"))
    if trash_folders:  # sh returns at once; rm runs on, in a session of its own
        script = 'setsid nice -n 19 rm -rf -- "$@" </dev/null >/dev/null 2>&1 &'
        subprocess.run(["sh", "-c", script, "sh", *map(str, trash_folders)], check=True)
    return moved
