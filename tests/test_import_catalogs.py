"""`commons import-catalog` and `commons promote` on real catalog files (tests/fixtures/catalogs/,
sources and licences in its SOURCE.md), and the build reading imported records."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml
from build_fixtures import raw_entry, write_entry
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.loader import load
from registry.importers.licences import normalise

FIXTURES = Path(__file__).parent / "fixtures" / "catalogs"
INSURANCE = "https://huggingface.co/datasets/fine-tuned/jinaai_jina-embeddings-v2-base-en-03092024-eh35-webapp"


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def imported(tmp_path: Path, source: str = "otdi", curated: list[dict] | None = None) -> Path:
    """A repository folder with curated entries, after importing one source."""
    for raw in curated or [raw_entry("alpha-archives")]:
        write_entry(tmp_path / "entries", raw)
    result = run(
        "import-catalog",
        source,
        str(FIXTURES / source),
        "--entries",
        str(tmp_path / "entries"),
        "--imports",
        str(tmp_path / "imports"),
    )
    assert result.exit_code == 0, result.output
    return tmp_path


def test_otdi_records_keep_their_provenance_and_are_declared(tmp_path):
    folder = imported(tmp_path) / "imports" / "otdi"
    records = {item.entry.id: item.entry for item in load([folder])}
    assert len(records) > 30
    entry = next(e for e in records.values() if e.homepage == INSURANCE)
    assert entry.verification == "declared"
    assert entry.provenance.source == "otdi"
    assert str(entry.provenance.snapshot) == "2025-10-24"
    assert entry.provenance.record == INSURANCE
    assert entry.provenance.source_file.endswith(":docs/files/data/catalog/domain/insurance.js")
    assert entry.provenance.fields["licenses"] == "license_name, license_url"
    assert entry.domains == ["finance"]  # OTDI's insurance table
    assert entry.publisher.type is None  # the catalog does not say; nothing is guessed
    # The card excerpt is quoted as third-party text, with its link.
    assert entry.description.startswith("Excerpt of the dataset card (third-party text")
    assert f"<{INSURANCE}>" in entry.description
    # The catalog's licence text travels with the records.
    assert (folder / "LICENSE.CDLA-2.0").read_text().startswith("Community Data License Agreement")
    assert "CDLA-Permissive-2.0" in (folder / "README.md").read_text()


def test_language_comes_from_the_table_a_record_is_listed_in(tmp_path):
    folder = imported(tmp_path) / "imports" / "otdi"
    languages = {tuple(item.entry.languages) for item in load([folder])}
    assert ("egy",) in languages  # language/africa/egyptian_ancient_.js
    assert ("trv",) in languages  # language/asia/sediq.js


def test_summaries_name_the_tables_by_otdi_keywords(tmp_path):
    """A table file's name is its keyword with every other character made "_"
    (`egyptian_ancient_.js`); the summary names the table by the keyword OTDI lists it under."""
    folder = imported(tmp_path) / "imports" / "otdi"
    summaries = [item.entry.summary for item in load([folder])]
    assert any(s.endswith("listed in OTDI's catalog under egyptian (ancient).") for s in summaries)
    assert not any("egyptian ancient" in s for s in summaries)


def test_a_catalog_missing_its_keyword_list_or_with_a_broken_table_is_refused(tmp_path):
    """Both errors name the file, none is a traceback, and nothing is written."""
    copy = tmp_path / "otdi"
    shutil.copytree(FIXTURES / "otdi", copy)
    (copy / "static-catalog/data/reference/keyword-categories.json").unlink()
    table = copy / "docs/files/data/catalog/language/asia/sediq.js"
    args = ["import-catalog", "otdi", str(copy), "--imports", str(tmp_path / "imports")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "keyword-categories.json: OTDI's keyword list is needed" in result.output
    shutil.copy(
        FIXTURES / "otdi/static-catalog/data/reference/keyword-categories.json",
        copy / "static-catalog/data/reference/",
    )
    table.write_text(table.read_text()[:-40], encoding="utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "sediq.js: not a catalog table" in result.output
    assert not (tmp_path / "imports").exists()


def test_records_that_repeat_a_curated_entry_are_left_out(tmp_path):
    curated = raw_entry(
        "insurance-embeddings", homepage=INSURANCE.replace("fine-tuned", "Fine-Tuned")
    )
    result_folder = imported(tmp_path, curated=[curated]) / "imports" / "otdi"
    homepages = {item.entry.homepage.lower() for item in load([result_folder])}
    assert INSURANCE.lower() not in homepages


def test_promote_moves_a_record_to_the_curated_entries_and_it_wins(tmp_path, epoch):
    from registry.build.pipeline import build

    root = imported(tmp_path)
    entry_id = next((root / "imports" / "otdi").glob("*.yaml")).stem
    result = run(
        "promote", entry_id, "--entries", str(root / "entries"), "--imports", str(root / "imports")
    )
    assert result.exit_code == 0, result.output
    assert (root / "entries" / f"{entry_id}.yaml").is_file()
    assert not (root / "imports" / "otdi" / f"{entry_id}.yaml").exists()
    again = run(
        "promote", entry_id, "--entries", str(root / "entries"), "--imports", str(root / "imports")
    )
    assert again.exit_code == 1 and "no imported record" in again.output
    # A later import leaves the promoted record out: the curated entry wins.
    run(
        "import-catalog",
        "otdi",
        str(FIXTURES / "otdi"),
        "--entries",
        str(root / "entries"),
        "--imports",
        str(root / "imports"),
    )
    assert not (root / "imports" / "otdi" / f"{entry_id}.yaml").exists()
    build(root / "entries", root / "r.db", cache_dir=None, progress=False)
    with sqlite3.connect(root / "r.db") as db:
        rows = dict(db.execute("select origin, count(*) from entries group by origin").fetchall())
        path = db.execute("select source_path from entries where id = ?", (entry_id,)).fetchone()
        catalog = db.execute("select origin, source from catalog where id = ?", (entry_id,))
        assert catalog.fetchone() == ("curated", "otdi")
    assert rows["curated"] == 2 and rows["imported"] > 30
    assert path == (f"entries/{entry_id}.yaml",)


def test_build_labels_imported_records_and_their_confidence(tmp_path, epoch):
    from registry.build.pipeline import build

    root = imported(tmp_path)
    build(root / "entries", root / "r.db", cache_dir=None, progress=False)
    with sqlite3.connect(root / "r.db") as db:
        row = db.execute(
            "select e.origin, e.provenance_source, e.source_path, c.confidence "
            "from entries e join classifications c on c.entry_id = e.id where e.homepage = ?",
            (INSURANCE,),
        ).fetchone()
    assert row[:2] == ("imported", "otdi")
    assert row[2].startswith("imports/otdi/")
    assert row[3] == "low"  # an uploader's declaration, read by no one
    shutil.rmtree(root / "imports")


def test_build_without_imports_reads_curated_entries_only(tmp_path, epoch):
    from registry.build.pipeline import build

    root = imported(tmp_path)
    result = build(root / "entries", root / "r.db", cache_dir=None, progress=False, imports=False)
    assert result.entry_count == 1


def test_cards_common_pile_and_dynaword(tmp_path):
    root = imported(tmp_path, "common-pile", curated=[raw_entry("common-pile-cccc")])
    pile = {item.entry.id: item.entry for item in load([root / "imports" / "common-pile"])}
    assert set(pile) == {"common-pile-usgpo"}  # cccc is curated already
    usgpo = pile["common-pile-usgpo"]
    assert usgpo.licenses[0].expression == "LicenseRef-Public-Domain-Statement"
    assert usgpo.domains == ["government", "legal"]
    assert usgpo.summary.startswith("The United States Government Publishing Office")
    result = run(
        "import-catalog",
        "danish-dynaword",
        str(FIXTURES / "danish-dynaword"),
        "--entries",
        str(root / "entries"),
        "--imports",
        str(root / "imports"),
    )
    # Wikimedia text labelled CC0 and licences with no id are left out, and said so.
    assert "wiki: left out" in result.output and "'DanNet 1.0' has no id" in result.output
    dyna = {
        item.entry.id: item.entry
        for item in load([root / "imports" / "danish-dynaword"], check_references=False)
    }
    assert set(dyna) == {"danish-dynaword-retspraksis"}
    assert dyna["danish-dynaword-retspraksis"].languages == ["da"]


def test_licence_urls_hugging_face_and_otdi_use():
    assert normalise("https://choosealicense.com/licenses/cc-by-4.0/").expression == "CC-BY-4.0"
    assert normalise("https://choosealicense.com/licenses/afl-3.0/").expression == "AFL-3.0"
    url = "https://scancode-licensedb.aboutcode.org/cdla-permissive-2.0.html"
    assert normalise(url).expression == "CDLA-Permissive-2.0"
    assert normalise("odc-pddl").expression == "PDDL-1.0"
    assert normalise("https://choosealicense.com/licenses/no-such-licence/").expression is None


def test_imported_files_are_canonical(tmp_path):
    folder = imported(tmp_path) / "imports" / "otdi"
    result = run("fmt", "--check", str(folder))
    assert result.exit_code == 0, result.output
    first = yaml.safe_load(next(folder.glob("*.yaml")).read_text())
    assert first["verification"] == "declared"
