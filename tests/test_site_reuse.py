"""`commons site --reuse-unchanged` (what `commons serve --watch` runs): after one entry changes,
only the pages that show it are rendered again, and the site is the same bytes as a full build."""

from __future__ import annotations

import filecmp
import json
import sqlite3

from build_fixtures import registry_corpus, write_corpus
from site_helpers import build

from registry.build.pipeline import build as build_db

# tests/conftest.py's; `from conftest import` finds tests/overlap/conftest.py in the full suite.
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def _registry(folder, corpus):
    write_corpus(folder / "entries", corpus)
    build_db(folder / "entries", folder / "registry.db", cache_dir=None, progress=False)
    return folder / "registry.db"


def _pages(site):
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def test_one_changed_entry_renders_only_its_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    corpus = registry_corpus()
    before = _registry(tmp_path / "before", corpus)
    changed = next(raw for raw in corpus if raw["id"] == "beta-speech")
    changed["summary"] = "Speech recordings, summarised again."
    after = _registry(tmp_path / "after", corpus)
    # `commons serve --watch` rebuilds the database first, at a later time: the home page shows
    # it, the entry and listing pages do not, so they are still taken from the previous build.
    with sqlite3.connect(after) as connection:
        connection.execute("update builds set built_at = '2026-01-01T00:05:00+00:00'")
    connection.close()

    watched = tmp_path / "watched"
    assert build(watched, before).exit_code == 0
    result = build(watched, after, extra=("--reuse-unchanged",))
    assert result.exit_code == 0, result.output
    fresh = tmp_path / "fresh"
    assert build(fresh, after).exit_code == 0

    site, full = watched / "site", fresh / "site"
    assert _pages(site) == _pages(full)
    different = [p for p in _pages(full) if not filecmp.cmp(site / p, full / p, shallow=False)]
    assert different == []
    digests = json.loads((watched / "site.pages.json").read_text(encoding="utf-8"))
    copied = int(result.output.split(" unchanged pages copied")[0].rsplit(", ", 1)[1])
    # The changed entry's page and the listing pages that list it (its modality, languages,
    # domains, licence, category, publisher type..., and all entries) are rendered; the rest
    # are taken from the previous build.
    rendered = len(digests) - copied
    print(f"{rendered} of {len(digests)} entry and facet pages rendered")
    assert 1 < rendered < 15, rendered
    assert not (watched / "site.previous").exists()


def test_without_a_previous_build_every_page_is_rendered(tmp_path, built_registry):
    result = build(tmp_path, built_registry, extra=("--reuse-unchanged",))
    assert result.exit_code == 0, result.output
    assert "0 unchanged pages copied" in result.output
