"""The page digests `commons build` writes (registry/build/page_keys.py), which decide the entry
pages `commons site --reuse-unchanged` renders again: after edits that reach an entry only
through another entry's overlap rows, a warm build holds the cold build's digests and the rebuilt
site is the bytes of a full build. Real builds (warm, from the cache), real mkdocs."""

from __future__ import annotations

import itertools
import shutil
import sqlite3

from build_fixtures import raw_entry, registry_corpus, write_corpus
from db_content import same_content
from site_helpers import build
from test_site_reuse import _same_as_full_build

from classifier.rules_data import RULES_DIR
from registry.build.pipeline import build as build_db

EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
# One dataset described twice: the overlap check pairs the entries that carry this text.
DEBATES = (
    "Transcribed parliamentary debates of the Danish Folketing from 1953 to 2020, with speaker "
    "names, party affiliations and dates for every speech, published by the parliament."
)


def _debates(entry_id: str, name: str, description: str = DEBATES) -> dict:
    return raw_entry(
        entry_id,
        name=name,
        summary="Danish parliamentary debates.",
        description=description,
        languages=["da"],
    )


def _digests(db) -> dict[str, tuple]:
    with sqlite3.connect(db) as connection:
        found = {row[0]: row[1:] for row in connection.execute("select * from page_digests")}
    connection.close()
    return found


def _warm_build(repo, corpus: list[dict], tmp_path, step: int):
    """The warm build's database of `corpus`, after checking it against a cold build of the same
    files (from the second step on: the first build, with an empty cache, is itself cold, so no
    second cold build is made for it)."""
    shutil.rmtree(repo / "entries", ignore_errors=True)
    write_corpus(repo / "entries", corpus)
    db = tmp_path / f"registry-{step}.db"
    build_db(repo / "entries", db, cache_dir=tmp_path / "cache", progress=False)
    if step > 1:
        cold = tmp_path / f"cold-{step}.db"
        build_db(repo / "entries", cold, cache_dir=None, progress=False)
        assert same_content(db, cold)
    return db


def test_pages_reached_only_through_overlaps_are_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo = tmp_path / "repo"
    shutil.copytree(RULES_DIR, repo / "classifier" / "rules")
    corpus = registry_corpus() + [
        _debates("eta-debates", "Eta Debates"),
        _debates("theta-debates", "Theta Debates"),
        _debates("iota-minutes", "Iota Minutes", "Minutes of a village council in Jutland."),
    ]
    steps = itertools.count(1)

    def registry():
        return _warm_build(repo, corpus, tmp_path, next(steps))

    def edit(entry_id: str, **changes) -> None:
        next(raw for raw in corpus if raw["id"] == entry_id).update(changes)

    watched = tmp_path / "watched"
    first = registry()
    # A full build to start from (test_site_reuse.py shows a first build with reuse is one).
    assert build(watched, first).exit_code == 0
    with sqlite3.connect(first) as connection:
        assert connection.execute(
            "select count(*) from overlaps where entry_id = 'theta-debates' "
            "and other_id = 'eta-debates'"
        ).fetchone() == (1,)
    connection.close()

    # theta's page names eta in its overlaps. eta's name in capitals (the same words, so the same
    # overlap rows) changes theta's page only through eta: neither theta's file nor its rows.
    edit("eta-debates", name="ETA DEBATES")
    renamed = registry()
    _same_as_full_build(tmp_path, watched, renamed, "renamed")
    before, after = _digests(first), _digests(renamed)
    assert before["theta-debates"][:2] == after["theta-debates"][:2]  # own rows, overlap rows
    assert before["theta-debates"][2] != after["theta-debates"][2]  # its page

    # iota now describes the same debates: eta's and theta's pages gain it, then lose it.
    edit("iota-minutes", description=DEBATES)
    joined = registry()
    with sqlite3.connect(joined) as connection:
        assert connection.execute(
            "select count(*) from overlaps where other_id = 'iota-minutes'"
        ).fetchone() == (2,)
    connection.close()
    _same_as_full_build(tmp_path, watched, joined, "overlap gained")
    assert _digests(joined)["theta-debates"][1] != after["theta-debates"][1]

    edit("iota-minutes", description="Minutes of a village council in Jutland.")
    _same_as_full_build(tmp_path, watched, registry(), "overlap lost")

    # A removed entry leaves the pages that named it.
    corpus[:] = [raw for raw in corpus if raw["id"] != "eta-debates"]
    _same_as_full_build(tmp_path, watched, registry(), "removed")


def test_a_page_named_only_by_anothers_overlap_row_is_rebuilt_when_that_entry_goes(
    tmp_path, monkeypatch
):
    """An entry keeps its TOP_K best pairs, so with twelve copies of one description some entry A
    is named by no other: A names B, B does not name A, yet B's page lists A among the entries
    that name it. When A is removed, no other entry's rows change: B's page is reached only
    through what A named before the build."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo = tmp_path / "repo"
    shutil.copytree(RULES_DIR, repo / "classifier" / "rules")
    copies = [_debates(f"debates-{n:02d}", f"Debates {n:02d}") for n in range(12)]
    corpus = registry_corpus() + copies
    watched = tmp_path / "watched"
    first = _warm_build(repo, corpus, tmp_path, 1)
    assert build(watched, first).exit_code == 0
    with sqlite3.connect(first) as connection:
        one_way = connection.execute(
            "select a.entry_id, a.other_id from overlaps a where a.entry_id like 'debates-%' "
            "and not exists (select 1 from overlaps b where b.other_id = a.entry_id) "
            "order by 1, 2"
        ).fetchall()
    connection.close()
    assert one_way, "twelve copies of one description give an entry that no other names"
    namer, named = one_way[0]
    corpus[:] = [raw for raw in corpus if raw["id"] != namer]
    changed = _warm_build(repo, corpus, tmp_path, 2)
    before, after = _digests(first), _digests(changed)
    assert before[named][:2] == after[named][:2]  # its own rows and its overlap rows
    assert before[named][2] != after[named][2]  # its page: the namer is gone from it
    _same_as_full_build(tmp_path, watched, changed, "one-way namer removed")
