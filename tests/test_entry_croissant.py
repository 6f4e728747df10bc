"""One Croissant document per entry (`croissant/<id>.json`): mlcroissant reads them, they state
only what the entry states, and a rebuild gives the same bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from export_checks import mlcroissant_validate_many

from registry.commands.cli import cli
from registry.exports import entry_croissant
from registry.exports.source import read_registry
from registry.site.downloads import FOLDER_KINDS, list_exports

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://registry.example.org/site/"
# Real committed entries: a public-domain collection, a split verdict, a CC BY-SA dataset.
CURATED = ("project-gutenberg", "chronicling-america", "wikimedia-commons")
# A real imported record (OTDI's Hugging Face snapshot), its licence declared by the uploader.
IMPORTED = ("otdi", "0-hero-matter-0-1-slim-a")
# What mlcroissant recommends and the entries do not state (no version; no year for most).
NOT_STATED = {"version", "datePublished"}


def export(db: Path, out: Path) -> dict[str, bytes]:
    result = CliRunner().invoke(
        cli,
        ["export", "--format", "croissant", "--db", str(db), "--out", str(out)]
        + ["--site-url", SITE],
    )
    assert result.exit_code == 0, result.output
    return {p.name: p.read_bytes() for p in sorted((out / "croissant").iterdir())}


def unstated_warnings(warnings: dict[str, list[str]]) -> set[str]:
    """mlcroissant's warnings other than for recommended properties the entries do not state."""
    return {
        w
        for found in warnings.values()
        for w in found
        if not any(f'schema.org/{name}" is recommended' in w for name in NOT_STATED)
    }


@pytest.fixture(scope="module")
def session_documents(tmp_path_factory, built_registry):
    out = tmp_path_factory.mktemp("entry-croissant")
    first = export(built_registry, out / "first")
    again = export(built_registry, out / "again")
    return out / "first", first, again


def test_every_entry_gets_a_document_that_mlcroissant_reads(session_documents, built_registry):
    out, first, again = session_documents
    ids = [row["id"] for row in read_registry(built_registry).rows("entries")]
    assert sorted(first) == sorted(f"{i}.json" for i in ids)
    assert first == again  # byte-identical on rebuild
    failures, warnings = mlcroissant_validate_many(sorted((out / "croissant").iterdir()))
    assert not failures, failures
    assert not unstated_warnings(warnings)
    # Listed on the downloads page and in SHA256SUMS, as the other per-entry files are.
    files, _ = list_exports(out)
    listed = {f["name"]: f["kind"] for f in files}
    assert listed["croissant/alpha-archives.json"] == FOLDER_KINDS["croissant"]
    assert "croissant/alpha-archives.json" in (out / "SHA256SUMS").read_text()


def test_a_document_states_only_what_its_entry_states(session_documents, built_registry):
    out, documents, _ = session_documents
    entries = {e["id"]: e for e in entries_json(built_registry, out.parent / "json")}
    for name, data in documents.items():
        doc, entry = json.loads(data), entries[name.removesuffix(".json")]
        assert "creator" not in doc and "version" not in doc
        assert (doc["name"], doc["url"]) == (entry["name"], entry["homepage"])
        assert doc["mainEntityOfPage"] == f"{SITE}entries/{entry['id']}.html"
        assert [lic["identifier"] for lic in doc["license"]] == [
            lic["expression"] for lic in entry["licenses"]
        ]
        assert doc["commons:accessURL"] == entry["access"]["urls"]
        assert doc.get("inLanguage", []) == entry["languages"]
        assert doc["publisher"]["name"] == entry["publisher"]["name"]
        assert ("url" in doc["publisher"]) == bool(entry["publisher"]["url"])
        year = entry["first_published"]
        assert doc.get("datePublished") == (str(year) if year else None)
        assert doc["commons:verdict"]["category"] == entry["classification"]["category"]
    old_books = json.loads(documents["epsilon-old-books.json"])
    assert old_books["datePublished"] == "1920" and "(1920)" in old_books["citeAs"]
    cc0 = json.loads(documents["alpha-archives.json"])["license"]
    assert cc0[0]["url"] == "https://spdx.org/licenses/CC0-1.0.html"


def test_an_entry_without_a_publisher_or_year_gets_none(built_registry):
    """Fields the entry leaves empty stay out: no creator, publisher, date or licence URL."""
    registry = read_registry(built_registry)
    row = dict(next(r for r in registry.rows("entries") if r["id"] == "epsilon-old-books"))
    row.update(publisher_name=None, publisher_type=None, publisher_url=None, first_published=None)
    kids = {"licenses": [{"expression": "LicenseRef-Unknown-Terms", "scope": "all"}]}
    kids |= {name: [] for name in entry_croissant.KIDS if name != "licenses"}
    doc = entry_croissant.document(row, kids, None, SITE, "https://example.org/cc0")
    for absent in ("creator", "publisher", "datePublished", "inLanguage", "commons:verdict"):
        assert absent not in doc, absent
    assert "url" not in doc["license"][0]
    assert doc["citeAs"] == f"{row['name']}. {row['homepage']}"


def entries_json(db: Path, out: Path) -> list[dict]:
    result = CliRunner().invoke(
        cli, ["export", "--format", "json", "--db", str(db), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return json.loads((out / "entries.json").read_text())["entries"]


def test_real_entries_and_an_imported_record_pass_mlcroissant(tmp_path):
    """The committed catalog's documents for three curated entries and one imported record."""
    shutil.copytree(ROOT / "entries", tmp_path / "entries")
    source, record = IMPORTED
    (tmp_path / "imports" / source).mkdir(parents=True)
    for path in [
        *(ROOT / "imports" / source).glob("LICENSE*"),
        ROOT / "imports" / source / f"{record}.yaml",
    ]:
        shutil.copy(path, tmp_path / "imports" / source / path.name)
    db = tmp_path / "registry.db"
    result = CliRunner().invoke(
        cli, ["build", "--entries", str(tmp_path / "entries"), "--out", str(db)]
    )
    assert result.exit_code == 0, result.output
    documents = export(db, tmp_path / "exports")
    chosen = [tmp_path / "exports" / "croissant" / f"{i}.json" for i in (*CURATED, record)]
    failures, warnings = mlcroissant_validate_many(chosen)
    assert not failures, failures
    assert not unstated_warnings(warnings)
    parts = json.loads(documents["chronicling-america.json"])["commons:verdict"]["applies_to"]
    assert parts.startswith("only these parts:")
    sharealike = json.loads(documents["wikimedia-commons.json"])["license"]
    assert "https://spdx.org/licenses/CC-BY-SA-4.0.html" in [lic.get("url") for lic in sharealike]
    imported = json.loads(documents[f"{record}.json"])
    assert imported["commons:verification"] == {"level": "declared", "checked_by_a_person": False}
    assert "no person has checked it" in imported["description"]
    assert all("Declared by the uploader" in lic["description"] for lic in imported["license"])
    assert imported["sdLicense"] == "https://spdx.org/licenses/CDLA-Permissive-2.0.html"
    assert imported["commons:provenance"]["record"] == imported["url"]
    # OTDI states no publisher type, and schema.org needs one: the name is in citeAs only.
    assert "publisher" not in imported and imported["citeAs"].startswith("Ram. ")
