"""`commons build`: declared schema, completeness, atomicity, determinism, cache, dates."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
import sqlite_utils
from build_fixtures import raw_entry, small_corpus, write_corpus, write_entry
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.build import db_schema
from registry.build.db import BuildFailed
from registry.build.pipeline import build
from registry.build.update import write_database
from registry.commands.cli import cli

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def run_build(tmp_path: Path, entries: Path, out: Path, *extra: str):
    return CliRunner().invoke(
        cli,
        [
            "build",
            "--entries",
            str(entries),
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
            *extra,
        ],
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_creates_exactly_the_declared_tables(tmp_path, epoch):
    write_corpus(tmp_path / "entries")
    result = run_build(tmp_path, tmp_path / "entries", tmp_path / "registry.db")
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(tmp_path / "registry.db")
    for name, spec in db_schema.TABLES.items():
        assert list(db[name].columns_dict) == list(spec["columns"]), name
        pk = spec["pk"] if isinstance(spec["pk"], tuple) else (spec["pk"],)
        assert tuple(db[name].pks) == pk, name
        declared = {(c, t, oc) for c, t, oc in spec.get("foreign_keys", [])}
        assert {
            (fk.column, fk.other_table, fk.other_column) for fk in db[name].foreign_keys
        } == declared, name
        indexed = {tuple(index.columns) for index in db[name].indexes}
        assert {tuple(cols) for cols in spec.get("indexes", [])} <= indexed, name
    assert "catalog_fts" in db.table_names()
    assert "porter" in db["catalog_fts"].schema
    created = set(db.table_names()) - {t for t in db.table_names() if t.startswith("catalog_fts")}
    # and SQLite's own table of the planner's statistics (registry/build/planner_stats.py)
    assert created == set(db_schema.TABLES) | {"sqlite_stat1"}


def test_rows_match_entries_and_children(tmp_path, epoch):
    write_corpus(tmp_path / "entries")
    assert run_build(tmp_path, tmp_path / "entries", tmp_path / "r.db").exit_code == 0
    db = sqlite_utils.Database(tmp_path / "r.db")
    assert db["entries"].count == db["catalog"].count == len(small_corpus())
    assert [r["id"] for r in db.query("select id from entries")] == sorted(
        e["id"] for e in small_corpus()
    )
    assert db.execute(
        "select language from languages where entry_id = 'alpha-archives' order by language"
    ).fetchall() == [("en",), ("fr",)]
    assert db.execute("select entry_id, relation, related_id from lineage").fetchall() == [
        ("delta-derived", "derived_from", "alpha-archives")
    ]
    assert db.execute("select alias, entry_id from aliases").fetchall() == [
        ("epsilon-books", "epsilon-old-books")
    ]
    assert db.execute(
        "select languages, domains, signals from catalog where id = 'beta-speech'"
    ).fetchone() == ('["de"]', '["speech"]', '["ietf-aipref: train-ai=n"]')
    assert db.execute("select source_path from entries where id = 'gamma-code'").fetchone() == (
        "entries/gamma-code.yaml",
    )
    build_row = db.execute(
        "select built_at, entry_count, source_commit, schema_version from builds"
    ).fetchone()
    assert build_row == (
        "2026-01-01T00:00:00+00:00",
        len(small_corpus()),
        None,
        db_schema.SCHEMA_VERSION,
    )
    # Porter stemming: "letter" finds "letters".
    hits = db.execute("select rowid from catalog_fts where catalog_fts match 'letter'").fetchall()
    assert len(hits) == 1
    assert db.execute("pragma foreign_key_check").fetchall() == []


def test_same_entries_in_any_order_give_identical_bytes(tmp_path, epoch):
    source = tmp_path / "source"
    paths = write_corpus(source)
    first, second = tmp_path / "a" / "entries", tmp_path / "b" / "entries"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    for path in paths:
        shutil.copy(path, first / path.name)
    for path in reversed(paths):
        shutil.copy(path, second / path.name)
    assert run_build(tmp_path, first, tmp_path / "a.db", "--no-cache").exit_code == 0
    assert run_build(tmp_path, second, tmp_path / "b.db").exit_code == 0
    assert sha256(tmp_path / "a.db") == sha256(tmp_path / "b.db")
    assert (tmp_path / "a.db.sha256").read_text() == f"{sha256(tmp_path / 'a.db')}  a.db\n"


def test_invalid_entry_fails_with_every_error_and_writes_nothing(tmp_path, epoch):
    entries = tmp_path / "entries"
    write_corpus(entries)
    (entries / "broken-one.yaml").write_text(
        "id: broken-one\nname: x\nsurprise: 1\n", encoding="utf-8"
    )
    (entries / "broken-two.yaml").write_text("id: broken-two\nid: again\n", encoding="utf-8")
    out = tmp_path / "r.db"
    result = run_build(tmp_path, entries, out)
    assert result.exit_code == 1
    assert "broken-one.yaml:3:1: unknown key 'surprise'" in result.output
    assert "broken-two.yaml:2:1:" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "entries"]


def test_failed_build_keeps_previous_database(tmp_path, epoch):
    entries = tmp_path / "entries"
    write_corpus(entries)
    out = tmp_path / "r.db"
    assert run_build(tmp_path, entries, out).exit_code == 0
    before = sha256(out)
    write_entry(entries, raw_entry("zeta-broken", modality="smell"))
    result = run_build(tmp_path, entries, out)
    assert result.exit_code == 1 and "zeta-broken.yaml" in result.output
    assert sha256(out) == before
    # A failure inside the database step (a row breaking a foreign key) keeps it too.
    rows = {"entries": [], "lineage": [("nope", "derived_from", "none")]}
    with pytest.raises((BuildFailed, sqlite3.IntegrityError)):
        write_database(out, rows)
    assert sha256(out) == before
    # Nothing is left beside the database and its overlap index: no temporary copy, working file
    # or marker.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cache",
        "entries",
        "r.db",
        "r.db.overlap",
        "r.db.sha256",
    ]


@pytest.mark.parametrize("pragma", ["integrity_check", "quick_check"], ids=["cold", "warm"])
def test_integrity_check_failure_is_a_build_failure(tmp_path, pragma):
    """A damaged page fails the cold build's check and the warm build's lighter one alike."""
    from registry.build.db import WARM_CHECK, check_integrity

    assert WARM_CHECK in ("integrity_check", "quick_check")

    damaged = tmp_path / "damaged.db"
    db = sqlite_utils.Database(damaged)
    db["t"].insert_all([{"id": i, "v": "x" * 500} for i in range(200)], pk="id")
    db["t"].create_index(["v"])
    db.close()
    data = bytearray(damaged.read_bytes())
    data[4096 * 2 : 4096 * 2 + 200] = b"\xff" * 200
    damaged.write_bytes(bytes(data))
    with pytest.raises(BuildFailed):
        check_integrity(damaged, pragma)


def test_a_dangling_foreign_key_is_a_build_failure(tmp_path):
    from registry.build.db import check_foreign_keys

    path = tmp_path / "dangling.db"
    with sqlite3.connect(path) as db:
        db.execute("create table parent (id text primary key)")
        db.execute("create table child (parent_id text references parent(id))")
        db.execute("insert into parent values ('a')")
        db.execute("insert into child values ('a')")
    check_foreign_keys(path)
    with sqlite3.connect(path) as db:
        db.execute("insert into child values ('missing')")
    with pytest.raises(BuildFailed, match="foreign key check failed"):
        check_foreign_keys(path)


def test_cache_reparses_only_changed_files(tmp_path, epoch):
    entries = tmp_path / "entries"
    write_corpus(entries)
    out = tmp_path / "r.db"
    n = len(small_corpus())
    assert f"({n} parsed, 0 from cache)" in run_build(tmp_path, entries, out).output
    assert f"(0 parsed, {n} from cache)" in run_build(tmp_path, entries, out).output
    write_entry(
        entries,
        raw_entry("gamma-code", name="Gamma Code Renamed", modality="code", domains=["code"]),
    )
    result = run_build(tmp_path, entries, out)
    assert f"(1 parsed, {n - 1} from cache)" in result.output
    name = (
        sqlite_utils.Database(out)
        .execute("select name from catalog where id = 'gamma-code'")
        .fetchone()[0]
    )
    assert name == "Gamma Code Renamed"


def test_dates_come_from_git_history(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = tmp_path / "repo"
    entries = repo / "entries"
    write_corpus(entries, small_corpus()[:2])
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args, date):
        subprocess.run(
            ["git", "-C", str(repo), *args],
            check=True,
            capture_output=True,
            env={**env, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date},
        )

    git("init", "-q", date="2024-01-01T00:00:00+00:00")
    git("add", ".", date="2024-01-01T00:00:00+00:00")
    git("commit", "-q", "-m", "first", date="2024-01-01T00:00:00+00:00")
    write_entry(entries, {**small_corpus()[0], "name": "Alpha Renamed"})
    git("commit", "-q", "-am", "second", date="2025-06-01T12:00:00+00:00")
    write_entry(entries, raw_entry("zz-uncommitted"))
    out = tmp_path / "r.db"
    assert run_build(tmp_path, entries, out).exit_code == 0
    db = sqlite_utils.Database(out)
    dates = {row[0]: row[1:] for row in db.execute("select id, created, updated from entries")}
    assert dates["alpha-archives"] == ("2024-01-01T00:00:00+00:00", "2025-06-01T12:00:00+00:00")
    assert dates["beta-speech"] == ("2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00")
    assert dates["zz-uncommitted"] == (None, None)
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert db.execute("select source_commit from builds").fetchone()[0] == commit


def test_without_git_dates_fall_back_to_source_date_epoch(tmp_path, epoch):
    write_corpus(tmp_path / "entries")
    build(tmp_path / "entries", tmp_path / "r.db", cache_dir=None)
    db = sqlite_utils.Database(tmp_path / "r.db")
    assert set(db.execute("select created, updated from entries").fetchall()) == {
        ("2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00")
    }


def test_classification_is_stored_apart_with_reasons_and_rules(tmp_path, epoch):
    import classifier

    write_corpus(tmp_path / "entries")
    build(tmp_path / "entries", tmp_path / "r.db", cache_dir=None)
    db = sqlite_utils.Database(tmp_path / "r.db")
    rules = classifier.load_rules()
    n = len(small_corpus())
    assert db["classifications"].count == n
    assert (
        db.execute(
            "select count(*) from classifications where as_of = '2026-01-01' and rules_version = ?",
            [rules.version],
        ).fetchone()[0]
        == n
    )
    assert db.execute("select count(distinct entry_id) from reasons").fetchone()[0] == n
    assert (
        db.execute("select enters_commons_on from catalog where id = 'zeta-old-films'").fetchone()[
            0
        ]
        == "2027-01-01"
    )
    assert db["rules"].count == len(rules.rules)
    assert db["rule_changes"].count == len(rules.changelog)
    # Every reason names a rule that is in the rules table.
    assert (
        db.execute(
            "select count(*) from reasons where rule not in (select id from rules)"
        ).fetchone()[0]
        == 0
    )
    # The catalog carries the same category as the classification.
    mismatched = db.execute(
        "select count(*) from catalog c join classifications k on k.entry_id = c.id where "
        "c.category is not k.category"
    ).fetchone()[0]
    assert mismatched == 0
    assert db.execute("select rules_version from builds").fetchone()[0] == rules.version


def test_parallel_parsing_gives_the_same_database_and_errors(tmp_path, epoch, monkeypatch):
    import registry.build.parse as build_module

    entries = tmp_path / "entries"
    write_corpus(entries)
    build(entries, tmp_path / "sequential.db", cache_dir=None)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_FILES", 1)
    build(entries, tmp_path / "parallel.db", cache_dir=None)
    assert sha256(tmp_path / "sequential.db") == sha256(tmp_path / "parallel.db")
    (entries / "broken-one.yaml").write_text(
        "id: broken-one\nname: x\nsurprise: 1\n", encoding="utf-8"
    )
    result = run_build(tmp_path, entries, tmp_path / "parallel.db")
    assert result.exit_code == 1 and "broken-one.yaml:3:1: unknown key 'surprise'" in result.output


def test_workers_read_whole_files_and_name_those_they_cannot_read(tmp_path):
    from registry.build.parse import READ_SIZE, ParseTask, _parse_and_prepare, read_file

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(2 * READ_SIZE + 5))
    (tmp_path / "empty.bin").write_bytes(b"")
    assert read_file(str(big)) == big.read_bytes()
    assert read_file(str(tmp_path / "empty.bin")) == b""
    gone = ParseTask("entries/gone.yaml", "gone.yaml", str(tmp_path / "gone.yaml"), None, None)
    folder = ParseTask("entries/folder.yaml", "folder.yaml", str(tmp_path), None, None)
    assert _parse_and_prepare([gone, folder]) == [
        (None, [("entries/gone.yaml", 1, 1, "cannot read file: No such file or directory")]),
        (None, [("entries/folder.yaml", 1, 1, "cannot read file: Is a directory")]),
    ]


def test_overlaps_are_computed_from_every_entrys_features(tmp_path, epoch):
    write_corpus(tmp_path / "entries")
    build(tmp_path / "entries", tmp_path / "r.db", cache_dir=None)
    db = sqlite_utils.Database(tmp_path / "r.db")
    # delta-derived is derived from alpha-archives: the pair is there both ways, with its relation.
    pairs = db.execute(
        "select o.entry_id, o.other_id, r.text from overlaps o join text_overlap_relation r "
        "on r.id = o.relation where r.text in ('derived-from', 'source-of') order by 1"
    ).fetchall()
    assert pairs == [
        ("alpha-archives", "delta-derived", "source-of"),
        ("delta-derived", "alpha-archives", "derived-from"),
    ]


def test_overlaps_equal_those_computed_from_the_published_catalog(project_catalog):
    """The workers compute each entry's pair features from its parsed fields; the overlap
    step run on the published catalog columns alone must find exactly the same rows (the
    curated entries' registry, built once a run: project_catalog, read only)."""
    from registry.overlap.catalog_pairs import overlap_rows

    with sqlite3.connect(f"file:{project_catalog}?mode=ro", uri=True) as db:
        stored = db.execute(
            "select o.entry_id, o.other_id, o.score, r.text, e.text from overlaps o "
            "join text_overlap_relation r on r.id = o.relation "
            "join text_overlap_evidence e on e.id = o.evidence order by 1, 2"
        ).fetchall()
        assert len(stored) > 100
        assert stored == overlap_rows(db)


def test_rows_must_have_exactly_the_declared_columns():
    from registry.build.db import table_tuples

    row = {"entry_id": "a", "position": 0, "url": "https://example.org/"}
    assert table_tuples("access_urls", [row]) == [("a", 0, "https://example.org/")]
    with pytest.raises(BuildFailed, match="differ from the declared columns"):
        table_tuples("access_urls", [row, {**row, "extra": 1}])
    with pytest.raises(BuildFailed, match="no value for declared column 'url'"):
        table_tuples("access_urls", [{"entry_id": "a", "position": 0, "href": "x"}])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.text(), st.integers(), st.none(), st.booleans())))
def test_json_columns_are_written_as_json_dumps_writes_them(values):
    from registry.build.rows import _json

    assert _json(iter(values)) == json.dumps(values, ensure_ascii=False)
    strings = [str(value) for value in values]
    assert _json(strings) == json.dumps(strings, ensure_ascii=False)
