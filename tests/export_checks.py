"""Checks the export tests share: MLCommons' own Croissant validator, run as its CLI or, for
many documents, as the same library call in one process; a SHA256SUMS file checked as a
downloader checks it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def mlcroissant_validate(path: Path) -> subprocess.CompletedProcess:
    """`mlcroissant validate --jsonld PATH`, as a consumer of the file would run it."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def checked_sums(folder: Path) -> set[str]:
    """The files folder/SHA256SUMS lists, after `sha256sum --check --strict` passed on them and
    they were found to be every other file under the folder."""
    check = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert listed == on_disk - {"SHA256SUMS"}
    return listed


# Reads each document with mlcroissant.Dataset, as `mlcroissant validate` does, in one process:
# prints one line per document that fails, then the warnings it gave, as JSON.
_VALIDATE_MANY = """
import json, sys
from absl import logging
import mlcroissant
logging.set_verbosity(logging.ERROR)
warnings = {}
for path in sys.argv[1:]:
    try:
        found = mlcroissant.Dataset(jsonld=path).metadata.ctx.issues.warnings
        warnings[path] = sorted(found)
    except mlcroissant.ValidationError as error:
        print("FAILED", path, error)
print(json.dumps(warnings))
"""


def mlcroissant_validate_many(paths: list[Path]) -> tuple[str, dict[str, list[str]]]:
    """(every failure's report, warnings by path) of mlcroissant's validation of each document."""
    result = subprocess.run(
        [sys.executable, "-c", _VALIDATE_MANY, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    return "\n".join(lines[:-1]), json.loads(lines[-1])
