"""A cold build's overlap index, staged beside the rest of its writes (overlap_index.EarlyIndex):
the same bytes as an index staged at the publish, and no staged file left by a failed build."""

from __future__ import annotations

import pytest
from build_fixtures import write_corpus

from registry.build.db import BuildFailed
from registry.build.pipeline import build

EPOCH = "1767225600"


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def test_a_cold_build_failing_after_its_index_began_leaves_no_staged_file(
    tmp_path, epoch, monkeypatch
):
    """A cold build stages the overlap index while it writes the rest (overlap_index.EarlyIndex);
    failing after that began leaves neither the database nor the staged index behind."""
    import registry.build.update as build_update

    entries = tmp_path / "entries"
    write_corpus(entries)
    started = []
    original = build_update.write_page_digests

    def failing(*args, **kwargs):  # runs after the index began, before the publish
        original(*args, **kwargs)
        started.append(True)
        raise BuildFailed("stopped after the index began")

    monkeypatch.setattr(build_update, "write_page_digests", failing)
    out = tmp_path / "out" / "r.db"
    with pytest.raises(BuildFailed, match="stopped after"):
        build(entries, out, cache_dir=None, progress=False)
    assert started
    assert sorted(p.name for p in out.parent.iterdir()) == []


def test_the_index_staged_early_is_the_index_staged_at_publish(tmp_path, epoch):
    """A cold build's index, staged beside the rest of its writes, has the bytes of the index a
    warm build stages at its publish from the same rows."""
    entries = tmp_path / "entries"
    write_corpus(entries)
    out, cache = tmp_path / "r.db", tmp_path / "cache"
    build(entries, out, cache_dir=cache, progress=False)
    index = out.with_name(out.name + ".overlap")
    early = index.read_bytes()
    index.unlink()
    assert build(entries, out, cache_dir=cache, progress=False).parsed == 0
    assert index.read_bytes() == early
