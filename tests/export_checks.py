"""Checks the export tests share: MLCommons' own Croissant validator, run as its CLI."""

from __future__ import annotations

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
