"""The resident build (`commons build --watch`, registry/build/resident.py): builds in one process
that keep the last build's catalog-wide inputs in memory (registry/build/memory.py) publish what a
cold build of the same files publishes, after every kind of change; the memory is used only while
the working database is the one it was taken from. The command itself, in a process of its own:
test_build_watch_command.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from build_fixtures import raw_entry, write_corpus, write_entry
from db_content import differences, same_content

from classifier.rules_data import RULES_DIR
from registry.build.memory import Memory
from registry.build.pipeline import build
from registry.build.text_uses import ENTRY_TABLES, uses_of
from registry.entry.errors import EntryErrors
from registry.overlap.saved_index import index_path

EPOCH = "1767225600"
# Two descriptions that share most of their words: the overlap check pairs these entries.
SHARED = (
    "Digitised parish registers of births, marriages and burials from rural districts, "
    "transcribed by volunteers, with scanned pages and indexes of names and places."
)


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def cold(repo: Path, tmp_path: Path, name: str) -> Path:
    """A cold build (no cache) of a fresh copy of the repository's entries and rules."""
    copy = tmp_path / f"cold-{name}"
    shutil.copytree(repo, copy)
    out = tmp_path / f"cold-{name}.db"
    result = build(copy / "entries", out, cache_dir=None, progress=False)
    assert result.parsed == result.entry_count
    return out


def overlap_partners(db: Path, entry_id: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select * from overlaps where entry_id = ? or other_id = ? order by 1, 2",
            [entry_id, entry_id],
        ).fetchall()


def category(db: Path, entry_id: str) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("select category from catalog where id = ?", [entry_id]).fetchone()[0]


def a_repository(tmp_path: Path) -> Path:
    """Entries (the small corpus and two overlapping parish registers) and rules of their own."""
    repo = tmp_path / "repo"
    shutil.copytree(RULES_DIR, repo / "classifier" / "rules")
    write_corpus(repo / "entries")
    for entry_id in ("parish-north", "parish-south"):
        write_entry(
            repo / "entries",
            raw_entry(entry_id, name=f"Parish registers {entry_id[7:]}", description=SHARED),
        )
    return repo


CHANGES = [
    "summary",
    "licence",
    "new file",
    "deleted file",
    "overlap only",
    "rules",
    "summary after the rules",
]


def change(repo: Path, what: str) -> None:
    entries = repo / "entries"
    if what == "summary":
        write_entry(entries, raw_entry("gamma-code", summary="Source code, summarised anew."))
    elif what == "licence":  # CC0 → a non-commercial licence: another verdict
        write_entry(
            entries,
            raw_entry(
                "parish-north",
                name="Parish registers north",
                description=SHARED,
                licenses=[{"expression": "CC-BY-NC-4.0", "scope": "all"}],
                copyright_basis="open-licence",
            ),
        )
    elif what == "summary after the rules":
        write_entry(entries, raw_entry("gamma-code", summary="Summarised after a rules change."))
    elif what == "new file":
        write_entry(entries, raw_entry("theta-new", summary="Added while watching."))
    elif what == "deleted file":
        (entries / "theta-new.yaml").unlink()
    elif what == "overlap only":  # parish-north's rows change only through its pair
        write_entry(
            entries,
            raw_entry("parish-south", name="Parish registers south", description="Other text."),
        )
    elif what == "rules":
        plain = repo / "classifier" / "rules" / "plain.yaml"
        plain.write_text(plain.read_text(encoding="utf-8").replace(': "', ': "So: '), "utf-8")


def test_a_series_of_resident_builds_equals_cold_builds(tmp_path, epoch):
    """Each change kind of the watcher's target, one after another in one memory; each build's
    database is a cold build's, and every build but the first and the one after the rules
    change (a new cache key: a new working database) used the memory."""
    repo = a_repository(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "resident.db"
    memory = Memory()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert not memory.last_used
    before = {
        "category": category(out, "parish-north"),
        "pairs": overlap_partners(out, "parish-north"),
    }
    assert before["pairs"], "the two parish registers overlap"
    for what in CHANGES:
        change(repo, what)
        build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
        assert memory.last_used == (what != "rules"), what
        expected = cold(repo, tmp_path, what.replace(" ", "-"))
        if what == "rules":  # a new cache key: this build was a cold one
            assert differences(out, expected) == []
        else:
            assert same_content(out, expected), what
            assert stored_uses(cache) == counted_uses(cache), what
        assert index_path(out).read_bytes() == index_path(expected).read_bytes(), what
        if what == "licence":
            assert category(out, "parish-north") != before["category"]
        if what == "overlap only":
            assert overlap_partners(out, "parish-north") != before["pairs"]


def working_copy(cache: Path) -> sqlite3.Connection:
    (work,) = cache.glob("work-*.db")
    conn = sqlite3.connect(work)
    conn.execute("attach ? as cache", [f"{work}.features"])
    return conn


def stored_uses(cache: Path) -> dict:
    """The keyed texts' uses a warm build kept (text_uses.py)."""
    conn = working_copy(cache)
    try:
        return {(lookup, i): n for lookup, i, n in conn.execute("select * from cache.text_uses")}
    finally:
        conn.close()


def counted_uses(cache: Path) -> dict:
    """The same, counted over every row of the working copy."""
    conn = working_copy(cache)
    try:
        return dict(uses_of(conn, [*ENTRY_TABLES, "overlaps"], None))
    finally:
        conn.close()


def with_imports(tmp_path: Path, records: int = 12) -> Path:
    """a_repository and real imported records: the first OTDI records of imports/otdi/ (OTDI's
    catalog, CDLA-Permissive-2.0, its text in LICENSE.CDLA-2.0 there), a tier of their own."""
    repo = a_repository(tmp_path)
    otdi = repo / "imports" / "otdi"
    otdi.mkdir(parents=True)
    root = Path(__file__).resolve().parent.parent / "imports" / "otdi"
    for record in sorted(root.glob("*.yaml"))[:records]:
        shutil.copy(record, otdi)
    return repo


def test_resident_builds_assemble_only_the_changed_tier_of_the_overlap_index(tmp_path, epoch):
    """The overlap index beside each resident build is a cold build's, byte for byte; a tier
    none of whose members changed is the one the last build saved (kept, not assembled again),
    and a changed tier is assembled again."""
    repo = with_imports(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "resident.db"
    memory = Memory()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    record = sorted((repo / "imports" / "otdi").glob("*.yaml"))[0]
    edits = {
        "curated summary": lambda: change(repo, "summary"),
        "imported record": lambda: record.write_text(
            record.read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1),
            encoding="utf-8",
        ),
        "curated name": lambda: write_entry(
            repo / "entries",
            raw_entry("parish-north", name="Registers of the north", description=SHARED),
        ),
    }
    for what, edit in edits.items():
        before = dict(memory.index_tiers)
        edit()
        build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
        assert memory.last_used, what
        expected = cold(repo, tmp_path, what.replace(" ", "-"))
        assert same_content(out, expected), what
        assert index_path(out).read_bytes() == index_path(expected).read_bytes(), what
        assert stored_uses(cache) == counted_uses(cache), what
        changed = "imported" if what == "imported record" else "curated"
        for tier in ("curated", "imported"):
            assert (memory.index_tiers[tier] is before[tier]) == (tier != changed), (what, tier)


def test_a_resident_process_started_on_a_current_index_keeps_its_unchanged_tiers(tmp_path, epoch):
    """A resident process whose first build finds the overlap index already in place (a one-shot
    build made it) reads its tiers from that file: the next edit assembles the edited tier only,
    and the index is still a cold build's, byte for byte."""
    repo = with_imports(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "resident.db"
    build(repo / "entries", out, cache_dir=cache, progress=False)
    memory = Memory()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert set(memory.index_tiers) == {"curated", "imported"}
    assert memory.found_names
    before = dict(memory.index_tiers)
    change(repo, "summary")
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert memory.last_used
    expected = cold(repo, tmp_path, "summary")
    assert same_content(out, expected)
    assert index_path(out).read_bytes() == index_path(expected).read_bytes()
    assert memory.index_tiers["imported"] is before["imported"]
    assert memory.index_tiers["curated"] is not before["curated"]


def test_the_memory_is_not_used_after_another_process_built(tmp_path, epoch):
    """A one-shot build between two resident builds changes the working database: the memory is
    forgotten, read afresh, and the result is still a cold build's."""
    repo = a_repository(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "resident.db"
    memory = Memory()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    change(repo, "new file")
    build(repo / "entries", tmp_path / "other.db", cache_dir=cache, progress=False)  # no memory
    change(repo, "summary")
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert not memory.last_used
    assert same_content(out, cold(repo, tmp_path, "after-other"))
    change(repo, "deleted file")
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert memory.last_used
    assert same_content(out, cold(repo, tmp_path, "then-resident"))


def test_a_failed_build_leaves_the_memory_as_the_last_good_build(tmp_path, epoch):
    """An invalid entry rolls the working database back; the memory, unchanged, is still its."""
    repo = a_repository(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "resident.db"
    memory = Memory()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    change(repo, "summary")
    change(repo, "new file")
    write_entry(repo / "entries", raw_entry("zeta-broken", modality="smell"))
    with pytest.raises(EntryErrors):
        build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    (repo / "entries" / "zeta-broken.yaml").unlink()
    build(repo / "entries", out, cache_dir=cache, progress=False, memory=memory)
    assert memory.last_used
    assert same_content(out, cold(repo, tmp_path, "after-failure"))
