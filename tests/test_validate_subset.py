"""`commons validate` of part of the catalog resolves references against the whole catalog,
as validating the whole catalog does: Danish Dynaword's imported records name the curated
danish-dynaword entry, which is not under imports/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli

ROOT = Path(__file__).resolve().parent.parent
RECORDS = ("danish-dynaword-adl.yaml", "danish-dynaword-botxt.yaml")


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    """A catalog of real files: the curated danish-dynaword entry and two of its records."""
    (tmp_path / "entries").mkdir()
    shutil.copy(ROOT / "entries" / "danish-dynaword.yaml", tmp_path / "entries")
    source = tmp_path / "imports" / "danish-dynaword"
    source.mkdir(parents=True)
    for name in RECORDS:
        shutil.copy(ROOT / "imports" / "danish-dynaword" / name, source)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def validate(*paths: str):
    return CliRunner().invoke(cli, ["validate", *paths])


def test_a_folder_of_imported_records_resolves_against_the_curated_entries(catalog):
    result = validate("imports/danish-dynaword")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 entries valid; references resolved against the whole")
    assert "unknown entry" not in result.output


def test_one_file_is_checked_against_the_whole_catalog_too(catalog):
    assert validate(f"imports/danish-dynaword/{RECORDS[0]}").exit_code == 0
    # A reference that names no entry of the catalog is an error, also for one file.
    record = catalog / "imports" / "danish-dynaword" / RECORDS[1]
    text = record.read_text(encoding="utf-8")
    assert "included_in: [danish-dynaword]\n" in text
    record.write_text(text.replace("[danish-dynaword]", "[danish-dynaword-v2]"), "utf-8")
    result = validate(str(record.relative_to(catalog)))
    assert result.exit_code == 1
    assert (
        f"imports/danish-dynaword/{RECORDS[1]}:21:15: included_in: unknown entry "
        "'danish-dynaword-v2'; add that entry or fix the id"
    ) in result.output


def test_without_the_curated_entry_the_reference_is_unknown(catalog):
    (catalog / "entries" / "danish-dynaword.yaml").unlink()
    result = validate("imports/danish-dynaword")
    assert result.exit_code == 1
    assert result.output.count("included_in: unknown entry 'danish-dynaword'") == 2
