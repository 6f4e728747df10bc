"""`commons site --reuse-unchanged` (what `commons serve --watch` runs): after a change, only the
pages that show it are rendered again and only changed files written, and the whole output tree
is the same bytes as a full build of the same database. Real databases, real mkdocs."""

from __future__ import annotations

import filecmp
import json
import shutil
import sqlite3

from build_fixtures import raw_entry, registry_corpus, write_corpus
from site_helpers import build

from classifier.rules_data import RULES_DIR
from registry.build.pipeline import build as build_db

# The build date tests/conftest.py gives the session registry.
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _tree(site):
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def _same_as_full_build(tmp_path, watched, db, step):
    """Rebuild `watched` with reuse and compare every file with a full build of `db` (made once
    for each database: a step that changes nothing compares with the previous step's)."""
    result = build(watched, db, extra=("--reuse-unchanged",))
    assert result.exit_code == 0, result.output
    fresh = tmp_path / f"fresh-{db.stem}"
    if not fresh.exists():
        assert build(fresh, db).exit_code == 0
    site, full = watched / "site", fresh / "site"
    assert _tree(site) == _tree(full), step
    different = [p for p in _tree(full) if not filecmp.cmp(site / p, full / p, shallow=False)]
    assert different == [], step
    record = json.loads((watched / "site.build.json").read_text(encoding="utf-8"))
    assert set(record["outputs"]) == _tree(site)
    return result.output


def _rendered(output: str, record_file) -> int:
    """How many of the recorded pages and files this build wrote."""
    record = json.loads(record_file.read_text(encoding="utf-8"))
    kept = int(output.split(" unchanged pages and files kept")[0].rsplit(", ", 1)[1])
    return len(record["outputs"]) - kept


def test_rebuilds_with_reuse_are_the_bytes_of_full_builds(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo = tmp_path / "repo"
    rules = repo / "classifier" / "rules"
    shutil.copytree(RULES_DIR, rules)
    corpus = registry_corpus()
    step = 0

    def registry():
        nonlocal step
        step += 1
        shutil.rmtree(repo / "entries", ignore_errors=True)
        write_corpus(repo / "entries", corpus)
        db = tmp_path / f"registry-{step}.db"
        build_db(repo / "entries", db, cache_dir=None, progress=False)
        return db

    watched = tmp_path / "watched"
    assert build(watched, registry()).exit_code == 0
    record = watched / "site.build.json"

    # One entry's summary changes; the database is rebuilt later. The home page shows when, but
    # that line is written after mkdocs, so mkdocs does not run; entry and listing pages do not
    # show the time.
    next(raw for raw in corpus if raw["id"] == "beta-speech")["summary"] = "Speech, again."
    db = registry()
    with sqlite3.connect(db) as connection:
        connection.execute("update builds set built_at = '2026-01-01T00:05:00+00:00'")
    connection.close()
    output = _same_as_full_build(tmp_path, watched, db, "summary")
    # Its page, the listing pages that list it, the search files its words are in.
    assert 1 < _rendered(output, record) < 30, output
    assert "mkdocs not run" in output, output
    home = (watched / "site" / "index.html").read_text(encoding="utf-8")
    assert '<p class="hint" id="built">Built 2026-01-01T00:05:00+00:00' in home

    # Nothing changed: nothing is rendered, mkdocs does not run.
    output = _same_as_full_build(tmp_path, watched, db, "nothing")
    assert _rendered(output, record) == 0 and "mkdocs not run" in output, output

    corpus.append(raw_entry("zeta-added", name="Zeta Added", summary="A new dataset."))
    _same_as_full_build(tmp_path, watched, registry(), "added")

    # A new name moves the entry in every listing it is on, and shows on the pages of the
    # entries linked to it (delta-derived is derived from it).
    next(raw for raw in corpus if raw["id"] == "alpha-archives")["name"] = "Zz Alpha Archives"
    _same_as_full_build(tmp_path, watched, registry(), "renamed")

    # The removed entry was derived from another, whose page listed it.
    corpus[:] = [raw for raw in corpus if raw["id"] != "delta-derived"]
    _same_as_full_build(tmp_path, watched, registry(), "removed")

    # New plain words for every verdict: every classification moves.
    plain = rules / "plain.yaml"
    plain.write_text(plain.read_text(encoding="utf-8").replace(': "', ': "So: '), "utf-8")
    output = _same_as_full_build(tmp_path, watched, registry(), "rules")
    entry_pages = sum(1 for p in _tree(watched / "site") if p.startswith("entries/"))
    assert _rendered(output, record) >= entry_pages, output


def test_without_a_previous_build_every_page_is_rendered(tmp_path, built):
    """A first build with reuse renders every page: the bytes of the session's full build of the
    same database and exports (the first step of test_page_keys.py's scenarios relies on it)."""
    full, _, db = built
    result = build(tmp_path, db, exports=full.parent / "exports", extra=("--reuse-unchanged",))
    assert result.exit_code == 0, result.output
    assert "kept" not in result.output
    site = tmp_path / "site"
    record = json.loads((tmp_path / "site.build.json").read_text(encoding="utf-8"))
    assert set(record["outputs"]) == _tree(site)
    assert _tree(site) == _tree(full)
    assert [p for p in _tree(full) if not filecmp.cmp(site / p, full / p, shallow=False)] == []
