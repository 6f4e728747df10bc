"""One validation path: `commons validate` and `commons build` report the same catalog errors,
each at the line and column of the value at fault (they were all at `:1:1`, and a
self-reference was caught only by the data tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "tests" / "fixtures" / "good" / "05-iso-date.yaml").read_text(encoding="utf-8")
COMMONS = str(Path(sys.executable).with_name("commons"))


def write(folder: Path, entry_id: str, extra: str = "") -> None:
    (folder / f"{entry_id}.yaml").write_text(
        BASE.replace("05-iso-date", entry_id) + extra, encoding="utf-8"
    )


def run(*arguments: str, cwd: Path) -> list[str]:
    result = subprocess.run([COMMONS, *arguments], capture_output=True, text=True, cwd=cwd)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("entries/")]


def test_validate_and_build_report_every_catalog_error_at_its_position(tmp_path):
    entries = tmp_path / "entries"
    entries.mkdir()
    # Line 22 is the first line after the base file's 21.
    write(entries, "self-made", "derived_from: [other, self-made, nowhere]\n")
    write(entries, "other", "derived_from: [looped]\n")
    write(entries, "looped", "derived_from: [other]\n")
    write(entries, "renamed", "aliases: [old-name, ot-her]\n")
    write(entries, "twin", "included_in: [old-name]\n")
    write(entries, "twin_", "")  # collides with twin once '_' is ignored
    expected = [
        "entries/looped.yaml:22:16: derived_from forms a cycle: looped -> other -> looped; "
        "remove one of these derived_from links",
        "entries/other.yaml:22:16: derived_from forms a cycle: looped -> other -> looped; "
        "remove one of these derived_from links",
        "entries/renamed.yaml:22:21: alias 'ot-her' collides with the id of entry 'other'; an "
        "alias must be a former id that no other entry uses as its id or alias",
        "entries/self-made.yaml:22:23: derived_from: an entry cannot refer to itself; remove "
        "'self-made'",
        "entries/self-made.yaml:22:34: derived_from: unknown entry 'nowhere'; add that entry or "
        "fix the id",
        "entries/twin.yaml:22:15: included_in: unknown entry 'old-name'; it was renamed to "
        "'renamed'",
        "entries/twin_.yaml:1:5: id 'twin_' must match ^[a-z0-9][a-z0-9-]{1,62}$ (lowercase "
        "letters, digits and '-') and equal the filename",
        "entries/twin_.yaml:1:5: id collides with entries/twin.yaml (ids must differ after "
        "ignoring case, '-' and '_'); choose another id",
    ]
    assert run("validate", "entries", cwd=tmp_path) == expected
    assert run("build", "--entries", "entries", "--out", "dist/registry.db", cwd=tmp_path) == (
        expected
    )
    assert not (tmp_path / "dist" / "registry.db").exists()
