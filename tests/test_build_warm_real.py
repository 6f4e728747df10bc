"""A warm build of real entries holds a cold build's content (tests/db_content.py): the rows,
the browse order and the search answers, not the bytes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from db_content import same_content

from registry.build.pipeline import build


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def test_a_warm_build_of_real_entries_holds_the_cold_builds_content(tmp_path, epoch, monkeypatch):
    """The repository's own curated entries and 40 real OTDI records (imports/otdi/: OTDI's
    catalog, CDLA-Permissive-2.0, LICENSE.CDLA-2.0 there), so the overlaps, facets and search
    are real ones: a summary edited (its pairs change), a name changed (catalog rows move in
    the browse order and their search documents with them), an entry and a record removed."""
    import registry.build.work as build_work

    # Moved catalog rows keep their place one by one (not copied out and back, which re-indexes
    # every search document), so their documents are changed by difference.
    monkeypatch.setattr(build_work, "MOVE_SHARE", 1)
    root = Path(__file__).resolve().parent.parent
    entries, otdi = tmp_path / "repo" / "entries", tmp_path / "repo" / "imports" / "otdi"
    shutil.copytree(root / "entries", entries)
    otdi.mkdir(parents=True)
    records = sorted((root / "imports" / "otdi").glob("*.yaml"))[:40]
    for record in records:
        shutil.copy(record, otdi)
    cache, out = tmp_path / "cache", tmp_path / "warm.db"
    build(entries, out, cache_dir=cache, progress=False)
    crawl_rowid = "select rowid from catalog where id = 'common-crawl'"
    with sqlite3.connect(out) as db:
        (before,) = db.execute(crawl_rowid).fetchone()
    fineweb, crawl = entries / "fineweb.yaml", entries / "common-crawl.yaml"
    fineweb.write_text(
        fineweb.read_text().replace("96 Common Crawl snapshots.", "Common Crawl, PDFs and code."),
        encoding="utf-8",
    )
    crawl.write_text(crawl.read_text().replace("name: Common Crawl", "name: Zz Crawl"), "utf-8")
    texts = {path: path.read_text(encoding="utf-8") for path in entries.glob("*.yaml")}
    unreferenced = next(
        path
        for path in sorted(texts)
        if not any(path.stem in text for other, text in texts.items() if other != path)
    )
    unreferenced.unlink()
    (otdi / records[0].name).unlink()
    warm = build(entries, out, cache_dir=cache, progress=False)
    assert warm.parsed == 2
    cold = tmp_path / "cold.db"
    shutil.copytree(tmp_path / "repo", tmp_path / "cold-repo")
    build(tmp_path / "cold-repo" / "entries", cold, cache_dir=None, progress=False)
    assert same_content(out, cold)
    with sqlite3.connect(out) as db:
        assert db.execute("select count(*) from overlaps").fetchone()[0] > 100
        assert db.execute(crawl_rowid).fetchone() != (before,)  # moved in the browse order
