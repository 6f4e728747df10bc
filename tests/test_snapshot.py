"""The Global Training Commons snapshot (`commons export --format snapshot`), made from real
curated entries and real imported records: it holds every commons-by-default dataset and
nothing else, says where split verdicts hold, is valid Croissant and valid against its JSON
Schema, its sums match, and a rebuild gives the same bytes."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import jsonschema
import pytest
from build_fixtures import raw_entry, write_entry
from click.testing import CliRunner
from export_checks import checked_sums, mlcroissant_validate

from registry.commands.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SITE = "https://registry.example.org/site/"
EPOCH = "1767225600"  # 2026-01-01: the build's date and the verdicts' as-of date
# Real curated entries: a commons verdict with a part that is not (pd12m), a restricted verdict
# with a commons part (data-gov-us), not commons (common-crawl), undetermined (gh-archive).
CURATED = ("pd12m", "data-gov-us", "common-crawl", "gh-archive")
# Real imported records: CC BY 4.0, Apache 2.0, and one whose licence is unknown.
IMPORTED = ("0408happyfeet-markers-tip-binary", "0-hero-matter-0-1", "adeaven-dn-dataset")


def _catalog(root: Path) -> Path:
    entries = root / "entries"
    for name in CURATED:
        entries.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "entries" / f"{name}.yaml", entries)
    write_entry(entries, raw_entry("plain-cc0"))  # written here: CC0, the whole dataset
    otdi = root / "imports" / "otdi"
    otdi.mkdir(parents=True)
    for name in (*(f"{i}.yaml" for i in IMPORTED), "LICENSE.CDLA-2.0", "README.md"):
        shutil.copy(ROOT / "imports" / "otdi" / name, otdi)
    return entries


def _build_and_export(root: Path, out: Path, imports: Path | None = None) -> Path:
    db = root / "registry.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = CliRunner().invoke(
            cli, ["build", "--entries", str(root / "entries"), "--out", str(db), "--no-cache"]
        )
        assert result.exit_code == 0, result.output
    args = ["export", "--format", "snapshot", "--db", str(db), "--out", str(out)]
    args += ["--site-url", SITE, "--imports", str(imports or root / "imports")]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalog")
    _catalog(root)
    db = _build_and_export(root, root / "exports")
    folder = root / "exports" / "snapshot"
    manifest = next(folder.glob("global-training-commons-*[0-9].json"))
    return folder, json.loads(manifest.read_text(encoding="utf-8")), db, root


def test_it_holds_every_commons_by_default_dataset_and_nothing_else(snapshot):
    _, document, db, _ = snapshot
    with closing(sqlite3.connect(db)) as connection:
        expected = [
            row[0]
            for row in connection.execute(
                "select entry_id from classifications where category = 'commons-by-default' "
                "order by entry_id"
            )
        ]
        (rules,) = connection.execute("select rules_version from builds").fetchone()
    ids = [item["id"] for item in document["datasets"]]
    assert ids == expected
    assert set(ids) == {"pd12m", "plain-cc0", *IMPORTED[:2]}
    assert document["rules_version"] == rules and document["as_of"] == "2026-01-01"
    assert (document["dataset_count"], document["curated_count"]) == (4, 2)
    assert document["imported_count"] == 2


def test_split_verdicts_hold_only_for_their_commons_parts(snapshot):
    _, document, _, _ = snapshot
    pd12m = next(item for item in document["datasets"] if item["id"] == "pd12m")
    parts = {part["scope"]: part for part in pd12m["parts"]}
    assert parts["items under CC-PDM-1.0"]["commons"] is False
    assert parts["items under CC-PDM-1.0"]["category"] == "undetermined"
    assert parts["items under CC0-1.0"]["commons"] is True
    assert pd12m["applies_to"] == (
        "only these parts: the dataset as a whole; items under CC0-1.0. "
        "Not: items under CC-PDM-1.0 (undetermined)"
    )
    whole = next(item for item in document["datasets"] if item["id"] == "plain-cc0")
    assert whole["parts"] == [] and whole["applies_to"] == "the whole dataset"


def test_imported_records_say_their_licence_was_declared_not_checked(snapshot):
    folder, document, _, root = snapshot
    record = next(i for i in document["datasets"] if i["id"] == "0408happyfeet-markers-tip-binary")
    assert record["verification"] == {"level": "declared", "checked_by_a_person": False}
    assert "no person has checked it" in document["verification_levels"]["declared"]
    assert record["provenance"]["source"] == "otdi"
    assert record["provenance"]["snapshot"] == "2025-10-24"
    assert record["provenance"]["metadata_licence"] == "CDLA-Permissive-2.0"
    curated = next(item for item in document["datasets"] if item["id"] == "pd12m")
    assert curated["verification"]["checked_by_a_person"] is True
    assert curated["provenance"] == {"origin": "curated", "file": "entries/pd12m.yaml"}
    # The catalog's licence asks its text to travel with anything derived from it.
    assert document["sources"] == [
        {
            "source": "otdi",
            "snapshot": "2025-10-24",
            "metadata_licence": "CDLA-Permissive-2.0",
            "records": 2,
            "notices": ["notices/otdi/LICENSE.CDLA-2.0"],
        }
    ]
    shipped = (folder / "notices" / "otdi" / "LICENSE.CDLA-2.0").read_bytes()
    assert shipped == (root / "imports" / "otdi" / "LICENSE.CDLA-2.0").read_bytes()


def test_attribution_is_built_only_from_what_the_entry_states(snapshot):
    _, document, _, _ = snapshot
    by_id = {item["id"]: item for item in document["datasets"]}
    cc_by = by_id["0408happyfeet-markers-tip-binary"]
    assert cc_by["attribution"] == {
        "required": True,
        "form": "TASL",
        "text": '"markers-tip-binary" by JC, '
        "https://huggingface.co/datasets/0408happyfeet/markers-tip-binary, is licensed under "
        "Creative Commons Attribution 4.0 International (CC-BY-4.0), "
        "https://choosealicense.com/licenses/cc-by-4.0/.",
    }
    apache = by_id["0-hero-matter-0-1"]["attribution"]
    assert apache["form"] == "credit line" and apache["required"] is True
    assert apache["text"] == (
        '"Matter-0.1" by Ram, https://huggingface.co/datasets/0-hero/Matter-0.1. Licence: '
        "Apache License 2.0 (Apache-2.0), https://choosealicense.com/licenses/apache-2.0/."
    )
    plain = by_id["plain-cc0"]["attribution"]
    assert plain["text"] == (
        '"Dataset plain-cc0" by Example Archive, https://data.example.org/plain-cc0. '
        "Licence: Creative Commons Zero v1.0 Universal (CC0-1.0)."
    )
    assert plain["required"] is False  # CC0 asks for no credit; the line is offered anyway


def test_the_json_matches_its_schema(snapshot):
    folder, document, _, _ = snapshot
    schema = json.loads((folder / "global-training-commons.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(document)), next(validator.iter_errors(document)).message
    broken = json.loads(json.dumps(document))
    broken["datasets"][0]["verification"]["level"] = "checked"
    del broken["datasets"][1]["attribution"]
    assert len(list(validator.iter_errors(broken))) == 2, "the schema rejects a wrong shape"


def test_the_croissant_passes_mlcroissant_and_reads_every_dataset(snapshot):
    folder, document, _, _ = snapshot
    croissant = next(folder.glob("*.croissant.json"))
    result = mlcroissant_validate(croissant)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(croissant.read_text())["version"] == document["rules_version"]
    # MLCommons' loader reads the records out of the JSON file the Croissant describes.
    reader = (
        "import json, sys, mlcroissant\n"
        "records = mlcroissant.Dataset(sys.argv[1]).records('datasets')\n"
        "print(json.dumps([[r['datasets/id'].decode(), r['datasets/verification'].decode(),"
        " [u.decode() for u in r['datasets/access_urls']]] for r in records]))\n"
    )
    read = subprocess.run(
        [sys.executable, "-c", reader, str(croissant)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=folder,
    )
    assert read.returncode == 0, read.stderr[-3000:]
    rows = json.loads(read.stdout.splitlines()[-1])
    assert rows == [
        [item["id"], item["verification"]["level"], item["access"]["urls"]]
        for item in document["datasets"]
    ]


def test_sums_match_and_a_rebuild_gives_the_same_bytes(snapshot, tmp_path):
    folder, _, _, root = snapshot
    on_disk = checked_sums(folder) | {"SHA256SUMS"}
    croissant = json.loads(next(folder.glob("*.croissant.json")).read_text())
    manifest = folder / croissant["distribution"][0]["contentUrl"]
    assert (
        croissant["distribution"][0]["sha256"] == hashlib.sha256(manifest.read_bytes()).hexdigest()
    )
    again = tmp_path / "again"
    _catalog(again)
    _build_and_export(again, again / "exports")
    rebuilt = again / "exports" / "snapshot"
    for path in sorted(on_disk):
        assert (rebuilt / path).read_bytes() == (folder / path).read_bytes(), path


def test_a_missing_imports_folder_is_a_clear_error(snapshot, tmp_path):
    _, _, db, _ = snapshot
    args = ["export", "--format", "snapshot", "--db", str(db), "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(cli, [*args, "--imports", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "records imported from otdi, whose licence text must travel with them" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out" / "snapshot").exists()


def test_the_json_and_csv_exports_carry_split_verdicts_too(snapshot, tmp_path):
    """The entry export reads the parts table the snapshot reads (it once left it out)."""
    _, _, db, _ = snapshot
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["export", "--format", "json", "--format", "csv", "--db", str(db), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    entries = json.loads((out / "entries.json").read_text())["entries"]
    pd12m = next(item for item in entries if item["id"] == "pd12m")
    assert [p["category"] for p in pd12m["classification"]["parts"]] == [
        "commons-by-default",
        "commons-by-default",
        "undetermined",
    ]
    assert "pd12m,2,items under CC-PDM-1.0,undetermined" in (
        out / "csv" / "classification_parts.csv"
    ).read_text(encoding="utf-8")


def test_the_downloads_page_offers_the_snapshot_first(snapshot, tmp_path):
    from site_helpers import build

    folder, document, db, root = snapshot
    result = build(tmp_path, db, exports=root / "exports")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "site" / "downloads.html").read_text(encoding="utf-8")
    section = html.index('id="global-training-commons"')
    assert section < html.index("<h2>The whole catalog</h2>")
    text = " ".join(html[section:].split())
    assert (
        f"The list of every dataset you can train on without negotiating: the 4 datasets "
        f"classified as commons by default under rules {document['rules_version']}"
    ) in text
    assert "2 of them are curated entries" in text and "2 are records imported" in text
    manifest = next(folder.glob("global-training-commons-*[0-9].json"))
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    first_row = html.index("<tbody>", section)
    assert html.index(f'href="../exports/snapshot/{manifest.name}"') > first_row
    assert html.index(digest, first_row) < html.index("croissant.json", first_row)
    assert "snapshot/notices/otdi/LICENSE.CDLA-2.0" in text
