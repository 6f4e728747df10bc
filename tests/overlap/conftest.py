"""Fixtures shared by the overlap tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli


@pytest.fixture(scope="session")
def project_catalog(tmp_path_factory) -> Path:
    """The registry built from the project's curated entries (the real catalog, without the
    records imported from other catalogs)."""
    db = tmp_path_factory.mktemp("project-catalog") / "registry.db"
    repo = Path(__file__).resolve().parents[2]
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(repo / "entries"), "--no-imports", "--out", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db
