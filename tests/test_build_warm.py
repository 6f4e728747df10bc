"""Warm builds: the last build's working database changed by difference publishes the same
content as a cold build (every table's rows, the rowid tables' order, the full-text answers), not
the same bytes, and says it was incremental."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from build_fixtures import raw_entry, small_corpus, write_corpus, write_entry
from db_content import same_content

import registry.build.pipeline as pipeline
from classifier.rules_data import RULES_DIR
from registry.build.db import BuildFailed
from registry.build.pipeline import build
from registry.entry.errors import EntryErrors

EPOCH = "1767225600"


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cold_copy(entries: Path, tmp_path: Path, name: str) -> Path:
    """A cold build (no cache) of the same files, from a fresh copy of the folder."""
    folder = tmp_path / f"cold-{name}" / "entries"
    shutil.copytree(entries, folder)
    out = tmp_path / f"cold-{name}.db"
    result = build(folder, out, cache_dir=None, progress=False)
    assert result.parsed == result.entry_count
    return out


def age(path: Path, seconds: float = 60) -> None:
    """Move a file's times into the past, as files checked out a while ago are."""
    past = time.time() - seconds
    os.utime(path, (past, past))


@pytest.mark.parametrize(
    "change", ["edit", "add", "remove", "add-first", "rename-alias", "lineage"]
)
def test_warm_build_equals_cold_build(tmp_path, epoch, change):
    entries = tmp_path / "entries"
    write_corpus(entries)
    cache = tmp_path / "cache"
    out = tmp_path / "warm.db"
    build(entries, out, cache_dir=cache, progress=False)
    if change == "edit":
        write_entry(
            entries,
            raw_entry(
                "gamma-code",
                name="Gamma Code Renamed",
                modality="code",
                domains=["code"],
                languages=[],
            ),
        )
    elif change == "add":
        write_entry(entries, raw_entry("eta-new-maps", modality="image", domains=["geospatial"]))
    elif change == "add-first":
        write_entry(entries, raw_entry("aa-first", summary="Sorts before every other entry."))
    elif change == "remove":
        (entries / "zeta-old-films.yaml").unlink()
    elif change == "rename-alias":
        write_entry(
            entries,
            raw_entry(
                "epsilon-old-books",
                aliases=["epsilon-library"],
                languages=["en"],
                domains=["literature"],
            ),
        )
    elif change == "lineage":
        (entries / "delta-derived.yaml").unlink()
        write_entry(
            entries,
            raw_entry("alpha-archives", name="Alpha Archives", included_in=["zeta-old-films"]),
        )
    warm = build(entries, out, cache_dir=cache, progress=False)
    assert warm.parsed <= 1
    assert same_content(out, cold_copy(entries, tmp_path, change))


@pytest.mark.parametrize(
    "move_share, pairs_share",
    [(1, None), (10**6, None), (1, 0.0)],
    ids=["move-rows-one-by-one", "copy-out-and-back", "every-pair-recomputed"],
)
def test_a_series_of_warm_builds_stays_equal_to_cold(
    tmp_path, epoch, monkeypatch, move_share, pairs_share
):
    """Rows moved one by one or copied out and back; the pairs of the entries a change reaches
    (overlap/pair_delta.py), or every pair when a change reaches too many."""
    import registry.build.work as build_work
    import registry.overlap.pair_delta as pair_delta

    monkeypatch.setattr(build_work, "MOVE_SHARE", move_share)
    if pairs_share is not None:
        monkeypatch.setattr(pair_delta, "SMALL", 0)
        monkeypatch.setattr(pair_delta, "MAX_SHARE", pairs_share)
    entries = tmp_path / "entries"
    write_corpus(entries)
    cache, out = tmp_path / "cache", tmp_path / "warm.db"
    build(entries, out, cache_dir=cache, progress=False)
    for step in range(4):
        write_entry(
            entries,
            raw_entry(f"new-{step}", domains=["science"], summary=f"Step {step} of a series."),
        )
        write_entry(
            entries,
            raw_entry(
                "beta-speech",
                modality="audio",
                name=f"Beta Speech {step}",
                domains=["speech"],
                languages=["de"],
            ),
        )
        if step == 2:
            (entries / "new-0.yaml").unlink()
        build(entries, out, cache_dir=cache, progress=False)
    assert same_content(out, cold_copy(entries, tmp_path, "series"))
    with sqlite3.connect(out) as db:
        # rowids follow each rowid table's row order, as a cold build numbers them:
        # entries by id, catalog by name then id (the browse order)
        for table, order in (("entries", "id"), ("catalog", "name, id")):
            keys = db.execute(f"select {order} from {table} order by rowid").fetchall()
            assert keys == sorted(keys)
            assert db.execute(f"select max(rowid) from {table}").fetchone()[0] == len(keys)


def test_unchanged_files_are_not_read_again(tmp_path, epoch, monkeypatch):
    entries = tmp_path / "entries"
    paths = write_corpus(entries)
    for path in paths:
        age(path)
    cache = tmp_path / "cache"
    build(entries, tmp_path / "r.db", cache_dir=cache, progress=False)
    read: list[str] = []
    original = pipeline.read_bytes  # how the scan reads a file whose stat changed

    def counting(path: str) -> bytes:
        if os.path.dirname(path) == str(entries):
            read.append(os.path.basename(path))
        return original(path)

    monkeypatch.setattr(pipeline, "read_bytes", counting)
    write_entry(
        entries,
        raw_entry(
            "gamma-code", name="Gamma Changed", modality="code", domains=["code"], languages=[]
        ),
    )
    result = build(entries, tmp_path / "r.db", cache_dir=cache, progress=False)
    assert result.parsed == 1
    assert read == ["gamma-code.yaml"]


def test_a_file_rewritten_with_the_same_size_and_mtime_is_read_again(tmp_path, epoch):
    """Its change time (which utime cannot set back) differs, so its stat does."""
    entries = tmp_path / "entries"
    write_corpus(entries)
    cache = tmp_path / "cache"
    path = entries / "gamma-code.yaml"
    build(entries, tmp_path / "r.db", cache_dir=cache, progress=False)
    stat = path.stat()
    text = path.read_text(encoding="utf-8").replace("Dataset gamma-code", "Dataset gamma-cod3")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    build(entries, tmp_path / "r.db", cache_dir=cache, progress=False)
    with sqlite3.connect(tmp_path / "r.db") as db:
        assert (
            db.execute("select name from entries where id = 'gamma-code'").fetchone()[0]
            == "Dataset gamma-cod3"
        )


def failing_rebuild(
    tmp_path: Path, monkeypatch, module, function: str, name: str
) -> tuple[Path, Path, Path]:
    """Build once, then rebuild after a change with `module.function` failing; returns (entries,
    cache, out)."""
    entries = tmp_path / "entries"
    write_corpus(entries)
    cache, out = tmp_path / "cache", tmp_path / "r.db"
    build(entries, out, cache_dir=cache, progress=False)
    before = sha256(out)

    def failing(*args, **kwargs):
        raise BuildFailed("simulated failure")

    monkeypatch.setattr(module, function, failing)
    write_entry(
        entries, raw_entry("gamma-code", name=name, modality="code", domains=["code"], languages=[])
    )
    with pytest.raises(BuildFailed):
        build(entries, out, cache_dir=cache, progress=False)
    assert sha256(out) == before
    return entries, cache, out


def test_interrupted_update_is_discarded_not_trusted(tmp_path, epoch, monkeypatch):
    """Failing after the overlap writer committed part of the update: the copy is not kept."""
    from registry.build.work import WorkDatabase

    entries, cache, out = failing_rebuild(
        tmp_path, monkeypatch, WorkDatabase, "_check_counts", "Gamma Half Way"
    )
    assert not list(cache.glob("work-*.db")), "a half-updated working database must not be kept"
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = build(entries, out, cache_dir=cache, progress=False)
    assert result.parsed == len(small_corpus())
    # The cache was discarded, so this was a cold build: the same bytes as any other.
    assert sha256(out) == sha256(cold_copy(entries, tmp_path, "after"))


def test_an_update_failing_before_any_commit_is_rolled_back_and_kept(tmp_path, epoch, monkeypatch):
    """Failing before the overlap writer's commit: the whole update rolls back, and the copy is
    still the last build's (a full disk fails here, and must not cost the cache)."""
    import registry.build.update as build_update

    entries, cache, out = failing_rebuild(
        tmp_path, monkeypatch, build_update, "move_facet_counts", "Gamma Half Way"
    )
    assert len(list(cache.glob("work-*.db"))) == 1
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = build(entries, out, cache_dir=cache, progress=False)
    assert result.parsed == 1
    assert same_content(out, cold_copy(entries, tmp_path, "after"))


def test_a_failed_publish_discards_the_working_copy(tmp_path, epoch, monkeypatch):
    import registry.build.db as build_db

    _, cache, out = failing_rebuild(
        tmp_path, monkeypatch, build_db, "check_integrity", "Gamma Never Published"
    )
    assert not list(cache.glob("work-*.db"))
    with sqlite3.connect(out) as db:
        assert (
            db.execute("select name from entries where id = 'gamma-code'").fetchone()[0]
            == "Dataset gamma-code"
        )


def test_only_files_older_than_the_clock_grace_are_remembered(tmp_path):
    """A file hashed within STAT_GRACE of its last change could change again unseen; it is not
    remembered."""
    from registry.build.file_stats import STAT_GRACE, FileStats

    fresh, old = tmp_path / "fresh.yaml", tmp_path / "old.yaml"
    fresh.write_bytes(b"a")
    old.write_bytes(b"b")
    age(old, 10 * STAT_GRACE)
    stats = FileStats(tmp_path / "stats")
    for path in (fresh, old):
        stat, digest = stats.lookup(path)
        assert digest is None
        stats.record(path, stat, hashlib.sha256(path.read_bytes()).hexdigest())
    stats.save()
    again = FileStats(tmp_path / "stats")
    assert again.lookup(fresh)[1] is None
    assert again.lookup(old)[1] == hashlib.sha256(b"b").hexdigest()
    # Without a store nothing is remembered.
    assert FileStats(None).lookup(old) == (None, None)


def test_an_invalid_entry_rolls_back_and_the_cache_stays_warm(tmp_path, epoch):
    entries = tmp_path / "entries"
    write_corpus(entries)
    cache, out = tmp_path / "cache", tmp_path / "r.db"
    build(entries, out, cache_dir=cache, progress=False)
    write_entry(
        entries,
        raw_entry(
            "gamma-code", name="Gamma Renamed", modality="code", domains=["code"], languages=[]
        ),
    )
    write_entry(entries, raw_entry("zeta-broken", modality="smell"))
    with pytest.raises(EntryErrors):
        build(entries, out, cache_dir=cache, progress=False)
    (entries / "zeta-broken.yaml").unlink()
    result = build(entries, out, cache_dir=cache, progress=False)
    # gamma-code's change was rolled back with the failed build, so it is parsed again; nothing else
    # is.
    assert result.parsed == 1
    assert same_content(out, cold_copy(entries, tmp_path, "rolled-back"))


def test_a_cache_damaged_inside_is_reported_and_removed(tmp_path, epoch):
    from click.testing import CliRunner

    from registry.commands.cli import cli

    entries = tmp_path / "entries"
    write_corpus(entries)
    cache, out = tmp_path / "cache", tmp_path / "r.db"
    command = ["build", "--entries", str(entries), "--out", str(out), "--cache-dir", str(cache)]
    assert CliRunner().invoke(cli, command).exit_code == 0
    before = sha256(out)
    (work,) = cache.glob("work-*.db")
    data = bytearray(work.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the first
    work.write_bytes(bytes(data))
    write_entry(
        entries,
        raw_entry(
            "gamma-code", name="Gamma After Damage", modality="code", domains=["code"], languages=[]
        ),
    )
    first = CliRunner().invoke(cli, command)
    assert "Traceback" not in first.output
    if first.exit_code != 0:
        assert "could not be read" in first.output and "run the build again" in first.output
        assert sha256(out) == before
        assert not list(cache.glob("work-*.db"))
        assert CliRunner().invoke(cli, command).exit_code == 0
    with sqlite3.connect(out) as db:
        assert (
            db.execute("select name from entries where id = 'gamma-code'").fetchone()[0]
            == "Gamma After Damage"
        )


def test_rewriting_every_entry_needs_no_sql_parameter_per_entry(tmp_path, epoch, monkeypatch):
    """Ids of changed entries go through temporary tables: SQLite caps the parameters of one
    statement."""
    import registry.build.work as build_work

    columns = max(len(spec["columns"]) for spec in build_work.TABLES.values())
    corpus = [raw_entry(f"entry-{i:03d}") for i in range(columns + 10)]
    entries = tmp_path / "entries"
    write_corpus(entries, corpus)
    cache, out = tmp_path / "cache", tmp_path / "warm.db"
    build(entries, out, cache_dir=cache, progress=False)
    original = build_work.WorkDatabase.__init__

    def capped(self, *args, **kwargs):
        original(self, *args, **kwargs)
        # Enough for one row of the widest table, fewer than the entries.
        self.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, columns)

    monkeypatch.setattr(build_work.WorkDatabase, "__init__", capped)
    for raw in corpus:
        write_entry(entries, {**raw, "summary": raw["summary"] + " Revised."})
    result = build(entries, out, cache_dir=cache, progress=False)
    assert result.parsed == len(corpus)
    assert same_content(out, cold_copy(entries, tmp_path, "all-rewritten"))


def test_a_rule_edit_without_a_new_version_is_not_served_from_the_cache(tmp_path, epoch):
    """A repository's own rules (classifier/rules/ beside entries/) are classified with; an edit
    that keeps the declared version (a proposal under review, say) must not find the last build's
    classifications in the cache: the warm build gives the cold build's rows."""
    repo = tmp_path / "repo"
    rules = repo / "classifier" / "rules"
    shutil.copytree(RULES_DIR, rules)
    write_corpus(repo / "entries")
    cache, out = tmp_path / "cache", tmp_path / "warm.db"
    build(repo / "entries", out, cache_dir=cache, progress=False)
    plain = rules / "plain.yaml"
    plain.write_text(plain.read_text(encoding="utf-8").replace(': "', ': "So: '), "utf-8")

    build(repo / "entries", out, cache_dir=cache, progress=False)
    cold = tmp_path / "cold.db"
    build(repo / "entries", cold, cache_dir=None, progress=False)
    query = "select c.entry_id, p.text from classifications c join text_classification_plain p "
    query += "on p.id = c.plain order by c.entry_id"
    warm_rows, cold_rows = (sqlite3.connect(db).execute(query).fetchall() for db in (out, cold))
    assert cold_rows and all(text.startswith("So: ") for _, text in cold_rows), cold_rows
    assert warm_rows == cold_rows


def test_a_build_does_not_import_pandas():
    """sqlite-utils would import pandas (0.3 s of each build's start) for types the build never
    writes (registry/build/__init__.py)."""
    import subprocess
    import sys

    code = "import sys, registry.build.pipeline; print('pandas' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
