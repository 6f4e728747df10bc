"""`commons export`: every format is checked with the library its consumers use."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import feedparser
import icalendar
import jsonschema
import pytest
from build_fixtures import registry_corpus
from click.testing import CliRunner
from export_checks import checked_sums, mlcroissant_validate, mlcroissant_validate_many

from registry.commands.cli import cli
from registry.exports.csv_tables import neutralise
from registry.importers.file import import_file

VENV_BIN = Path(sys.executable).parent
SITE = "https://registry.example.org/site/"
EXPORTS = "https://registry.example.org/exports/"


def previous_build(db: Path, path: Path) -> Path:
    """The registry as an earlier build under rules 2026.1 left it: beta-speech undetermined."""
    shutil.copy(db, path)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("update builds set rules_version = '2026.1'")
        connection.execute("update classifications set rules_version = '2026.1'")
        connection.execute(
            "update classifications set category = 'undetermined' where entry_id = 'beta-speech'"
        )
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory, built_registry):
    root = tmp_path_factory.mktemp("export")
    db = built_registry
    previous = previous_build(db, root / "previous.db")
    out = root / "exports"
    result = CliRunner().invoke(
        cli,
        [
            "export",
            "--db",
            str(db),
            "--out",
            str(out),
            "--previous",
            str(previous),
            "--site-url",
            SITE,
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_datapackage_passes_frictionless_validate(exported):
    result = subprocess.run(
        [str(VENV_BIN / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=exported,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["valid"], json.dumps(report, indent=1)[:3000]
    assert result.returncode == 0
    descriptor = json.loads((exported / "datapackage.json").read_text())
    names = [r["name"] for r in descriptor["resources"]]
    assert {"entries", "classifications", "licenses", "lineage", "reasons"} <= set(names)
    lineage = next(r for r in descriptor["resources"] if r["name"] == "lineage")
    assert {
        "fields": ["related_id"],
        "reference": {"resource": "entries", "fields": ["id"]},
    } in lineage["schema"]["foreignKeys"]


def test_frictionless_catches_a_broken_foreign_key(exported, tmp_path):
    """The validation above can fail: a lineage row pointing at no entry is reported."""
    copy = tmp_path / "exports"
    shutil.copytree(exported, copy)
    lineage = copy / "csv" / "lineage.csv"
    lineage.write_text(lineage.read_text() + "alpha-archives,derived_from,no-such-entry\r\n")
    descriptor = json.loads((copy / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        resource.pop("bytes", None)
        resource.pop("hash", None)
    (copy / "datapackage.json").write_text(json.dumps(descriptor))
    result = subprocess.run(
        [str(VENV_BIN / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert not report["valid"]
    assert "foreign-key" in result.stdout


def test_json_objects_match_their_schema(exported):
    document = json.loads((exported / "entries.json").read_text())
    schema = json.loads((exported / "entry.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert document["entry_count"] == len(registry_corpus()) and document["version"] == "1.1"
    for item in document["entries"]:
        assert item["version"] == "1.1"
        errors = list(validator.iter_errors(item))
        assert not errors, errors[0].message
    lines = (exported / "entries.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == document["entries"]
    alpha = document["entries"][0]
    assert alpha["id"] == "alpha-archives"
    assert alpha["classification"]["uses"]["training"]["commercial"] == "allowed"
    delta = next(item for item in document["entries"] if item["id"] == "delta-derived")
    assert delta["derived_from"] == ["alpha-archives"]
    broken = dict(alpha, licenses="CC-BY-4.0")
    assert list(validator.iter_errors(broken)), "the schema rejects a wrong shape"


def test_csv_neutralises_formulas(exported):
    rows = list(
        csv.DictReader(io.StringIO((exported / "csv" / "entries.csv").read_text(encoding="utf-8")))
    )
    formula = next(r for r in rows if r["id"] == "formula-notes")
    assert formula["summary"].startswith("'=HYPERLINK(")
    assert formula["description"] == "'-2+3 looks like a formula"
    assert formula["rights_notes"] == "'@SUM(A1:A2)"
    assert next(r for r in rows if r["id"] == "plus-set")["summary"].startswith("'+a set")
    alpha = next(r for r in rows if r["id"] == "alpha-archives")
    assert alpha["summary"] == "Scanned archives of old letters."
    for value in ["=1+1", "+1", "-1", "@x", "\tx", "\rx"]:
        assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain" and neutralise(-1) == -1


def test_croissant_describes_the_csv_files(exported):
    document = json.loads((exported / "croissant.json").read_text())
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.0"
    for item in document["distribution"]:
        name = item["contentUrl"].rsplit("/", 1)[-1]
        data = (exported / "csv" / name).read_bytes()
        assert item["sha256"] == hashlib.sha256(data).hexdigest()
        assert item["contentUrl"] == f"{EXPORTS}csv/{name}"
    record_sets = {r["@id"]: r for r in document["recordSet"]}
    header = (exported / "csv" / "entries.csv").read_text().splitlines()[0].split(",")
    assert [f["name"] for f in record_sets["entries"]["field"]] == header
    lineage = {f["name"]: f for f in record_sets["lineage"]["field"]}
    assert lineage["related_id"]["references"] == {"field": {"@id": "entries/id"}}
    assert document["citeAs"].startswith("Commons Registry contributors. Commons Registry (rules ")
    # Our own importer reads it back as a Croissant dataset.
    path = exported / "croissant.json"
    draft = import_file(str(path), path.read_bytes())
    assert draft.values["name"] == "Commons Registry"
    assert draft.values["licenses"][0]["expression"] == "CC0-1.0"
    # CSV files only suggest a modality: the draft asks a person to confirm it.
    assert "modality" not in draft.values
    assert draft.checks[("modality",)].endswith("suggested: tabular")


def test_new_entries_feed_parses(exported):
    raw = (exported / "feeds" / "new.atom").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    # Every entry of a build outside git was created at SOURCE_DATE_EPOCH: newest id first.
    ids = sorted(
        [e["id"] for e in json.loads((exported / "entries.json").read_text())["entries"]],
        reverse=True,
    )
    assert [e.link for e in feed.entries] == [f"{SITE}entries/{i}.html" for i in ids]
    assert feed.entries[0].updated == "2026-01-01T00:00:00Z"
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw


def test_reclassified_feed_names_the_change_and_rules_version(exported):
    feed = feedparser.parse((exported / "feeds" / "reclassified.atom").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    titles = [e.title for e in feed.entries]
    assert any("undetermined → open-use-restricted" in t for t in titles), titles
    with closing(sqlite3.connect(exported / "registry.db")) as connection:
        ((current,),) = connection.execute("select rules_version from builds").fetchall()
    assert f"Rules version {current}" in titles
    change = next(e for e in feed.entries if "→" in e.title)
    assert current in change.summary
    assert all("alpha-archives" not in e.link for e in feed.entries), (
        "unchanged entries are not listed"
    )


def test_calendar_parses_with_stable_uids(exported):
    raw = (exported / "calendar" / "enters-commons.ics").read_bytes()
    calendar = icalendar.Calendar.from_ical(raw)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["uid"]) == "zeta-old-films.enters-commons@commons-registry"
    assert event.decoded("dtstart").isoformat() == "2027-01-01"
    assert event.decoded("dtstamp").isoformat() == "2026-01-01T00:00:00+00:00"
    assert "enters the commons" in str(event["summary"])


def test_badges_follow_the_shields_endpoint_schema(exported):
    badges = sorted(p.name for p in (exported / "badges").iterdir())
    ids = [e["id"] for e in json.loads((exported / "entries.json").read_text())["entries"]]
    assert badges == sorted(f"{entry_id}.json" for entry_id in ids)
    alpha = json.loads((exported / "badges" / "alpha-archives.json").read_text())
    assert alpha == {
        "schemaVersion": 1,
        "label": "commons",
        "message": "commons-by-default",
        "color": "brightgreen",
    }
    zeta = json.loads((exported / "badges" / "zeta-old-films.json").read_text())
    assert (zeta["message"], zeta["color"]) == ("undetermined", "lightgrey")


def test_sha256sums_cover_every_file(exported):
    listed = checked_sums(exported)
    assert "registry.db" in listed and "datapackage.json" in listed
    assert "snapshot/SHA256SUMS" in listed  # the snapshot's own sums, for its downloaders


def test_exports_are_deterministic(tmp_path, built_registry):
    db = built_registry
    outputs = []
    for run in ("a", "b"):
        result = CliRunner().invoke(
            cli, ["export", "--db", str(db), "--out", str(tmp_path / run), "--site-url", SITE]
        )
        assert result.exit_code == 0, result.output
        outputs.append((tmp_path / run / "SHA256SUMS").read_bytes())
    assert outputs[0] == outputs[1]


def test_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(
        cli, ["export", "--db", str(tmp_path / "nope.db"), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "no such database; run `commons build` first" in result.output
    assert "Traceback" not in result.output


def test_removed_entry_badge_does_not_survive(tmp_path, built_registry):
    db = built_registry
    out = tmp_path / "out"
    assert (
        CliRunner()
        .invoke(cli, ["export", "--format", "feeds", "--db", str(db), "--out", str(out)])
        .exit_code
        == 0
    )
    (out / "badges" / "stale-entry.json").write_text("{}")
    assert (
        CliRunner()
        .invoke(cli, ["export", "--format", "feeds", "--db", str(db), "--out", str(out)])
        .exit_code
        == 0
    )
    assert not (out / "badges" / "stale-entry.json").exists()


def test_a_second_export_rewrites_only_the_files_that_changed(tmp_path, built_registry):
    out = tmp_path / "out"
    command = ["export", "--format", "feeds", "--db", str(built_registry), "--out", str(out)]
    assert CliRunner().invoke(cli, command).exit_code == 0
    badges = sorted((out / "badges").iterdir())
    assert len(badges) > 2
    kept, changed = badges[0], badges[1]
    changed.write_bytes(b"{}")
    written = {path: path.stat().st_mtime_ns for path in badges}
    os.utime(kept, ns=(1, 1))  # an mtime the export would replace if it wrote the file
    assert CliRunner().invoke(cli, command).exit_code == 0
    assert kept.stat().st_mtime_ns == 1
    assert changed.read_bytes() != b"{}" and changed.stat().st_mtime_ns >= written[changed]
    assert (out / "SHA256SUMS").read_text().count("badges/") == len(badges)


def test_the_real_registry_exports_a_valid_data_package(tmp_path, project_catalog):
    """Export the committed entries as `commons build` builds them (conftest.py), and validate
    with the frictionless CLI and mlcroissant."""
    out = tmp_path / "exports"
    result = CliRunner().invoke(cli, ["export", "--db", str(project_catalog), "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = subprocess.run(
        [str(VENV_BIN / "frictionless"), "validate", "--json", "datapackage.json"],
        cwd=out,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert json.loads(report.stdout)["valid"], report.stdout[:3000]
    entries = json.loads((out / "entries.json").read_text())["entries"]
    validator = jsonschema.Draft202012Validator(json.loads((out / "entry.schema.json").read_text()))
    assert entries and all(not list(validator.iter_errors(item)) for item in entries)
    assert len(list((out / "badges").iterdir())) == len(entries)
    assert not feedparser.parse((out / "feeds" / "new.atom").read_bytes()).bozo
    icalendar.Calendar.from_ical((out / "calendar" / "enters-commons.ics").read_bytes())
    # Both Croissant documents of the real entries pass MLCommons' validator (one process).
    croissants = [out / "croissant.json", *(out / "snapshot").glob("*.croissant.json")]
    assert len(croissants) == 2
    failures, _ = mlcroissant_validate_many(croissants)
    assert failures == ""
    snapshot = json.loads(next((out / "snapshot").glob("*[0-9].json")).read_text())
    cbd = [e["id"] for e in entries if e["classification"]["category"] == "commons-by-default"]
    assert [d["id"] for d in snapshot["datasets"]] == cbd and len(cbd) > 50


def test_every_export_states_its_schema_version(exported):
    """Each format says which version of its schema it follows (CHANGELOG.md lists them)."""
    import xml.etree.ElementTree as ET

    from registry.exports import versions

    assert json.loads((exported / "entries.json").read_text())["version"] == versions.JSON
    assert json.loads((exported / "datapackage.json").read_text())["schema_version"] == versions.CSV
    assert json.loads((exported / "croissant.json").read_text())["schemaVersion"] == versions.CSV
    for feed in (exported / "feeds").glob("*.atom"):
        generator = ET.parse(feed).getroot().find("{http://www.w3.org/2005/Atom}generator")
        assert generator.get("version") == versions.FEEDS, feed.name
    calendar = icalendar.Calendar.from_ical(
        (exported / "calendar" / "enters-commons.ics").read_bytes()
    )
    assert str(calendar["x-commons-schema-version"]) == versions.FEEDS
    with sqlite3.connect(exported / "registry.db") as db:
        (stated,) = db.execute("select schema_version from builds order by id desc").fetchone()
    assert stated == versions.SQLITE
    changelog = (Path(__file__).resolve().parent.parent / "CHANGELOG.md").read_text()
    for name, version in (("SQLite", versions.SQLITE), ("JSON", versions.JSON)):
        assert f"{name} {version}" in changelog, name


def test_croissant_passes_mlcroissant_validate(exported):
    """MLCommons' own validator reads the document (it crashed on references written as
    {"@id": ...} instead of {"field": {"@id": ...}})."""
    result = mlcroissant_validate(exported / "croissant.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Done" in result.stdout + result.stderr
