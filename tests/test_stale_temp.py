"""Earlier runs' temporary folders are deleted in the background (stale_temp.py): the same
folders pytest would delete, never a locked one or one of the newest kept."""

from __future__ import annotations

import time

from stale_temp import delete_in_background, stale_folders


def _runs(root, numbers, locked=()):
    for number in numbers:
        folder = root / f"pytest-{number}"
        (folder / "site" / "entries").mkdir(parents=True)
        (folder / "site" / "entries" / "a.html").write_text("<p>a</p>")
        if number in locked:
            (folder / ".lock").write_text("")


def test_only_unlocked_folders_older_than_the_kept_ones_are_stale(tmp_path):
    _runs(tmp_path, [1, 2, 3, 7, 8, 9], locked={2})
    (tmp_path / "pytest-current").symlink_to(tmp_path / "pytest-9")
    (tmp_path / "pytest-x").mkdir()
    assert stale_folders(tmp_path, keep=3) == [tmp_path / "pytest-1", tmp_path / "pytest-3"]
    assert stale_folders(tmp_path, keep=9) == []


def test_stale_folders_are_moved_aside_at_once_and_deleted_later(tmp_path):
    _runs(tmp_path, [4, 5, 6, 7], locked={4})
    (tmp_path / "trash-left-by-a-crash").mkdir()
    moved = delete_in_background(tmp_path, keep=2)
    assert len(moved) == 1 and not (tmp_path / "pytest-5").exists()
    kept = {"pytest-4", "pytest-6", "pytest-7"}
    deadline = time.monotonic() + 30
    while {p.name for p in tmp_path.iterdir()} != kept and time.monotonic() < deadline:
        time.sleep(0.05)
    assert {p.name for p in tmp_path.iterdir()} == kept
    assert (tmp_path / "pytest-6" / "site" / "entries" / "a.html").is_file()
