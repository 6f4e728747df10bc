"""Repeated texts stored once (registry/build/keyed_texts.py): ids that depend on the text alone,
lookup tables that hold exactly the texts some row names, and a clear failure if two texts ever
shared an id."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from registry.build import keyed_texts
from registry.build.db import BuildFailed, insert_rows
from registry.build.db_schema import KEYED_TEXTS
from registry.build.keyed_texts import TextIdCollision, drop_unused, key_rows, text_id
from registry.read.database import columns


def test_an_id_is_the_texts_own_and_fits_six_bytes():
    texts = ["derived-from", "Derived-from", "", "é" * 500]
    ids = [text_id(text) for text in texts]
    assert len(set(ids)) == len(texts)
    assert all(0 <= key < 2**47 for key in ids)  # SQLite stores it in 6 bytes
    digest = hashlib.sha256(b"derived-from").digest()
    assert text_id("derived-from") == int.from_bytes(digest[:6], "big") >> 1


def test_rows_are_keyed_in_place_with_one_lookup_row_per_text():
    tables = {
        "template_fits": [
            ("a", "t1", "fits", "same why"),
            ("b", "t1", "fits", "same why"),
            ("c", "t1", "no", None),
        ]
    }
    key_rows(tables)
    assert [row[3] for row in tables["template_fits"]] == [
        text_id("same why"),
        text_id("same why"),
        None,
    ]
    assert tables["text_template_fit_why"] == [(text_id("same why"), "same why")]


def _lookup_db() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("create table text_overlap_relation (id integer primary key, text text not null)")
    conn.execute(
        "create table overlaps (entry_id, other_id, score, relation integer, evidence integer)"
    )
    conn.execute("create table text_overlap_evidence (id integer primary key, text text not null)")
    return conn


def test_two_texts_with_one_id_fail_the_build_and_say_which(monkeypatch):
    conn = _lookup_db()
    keyed_texts.insert_lookup_rows(conn, "text_overlap_relation", [(7, "includes")])
    keyed_texts.insert_lookup_rows(conn, "text_overlap_relation", [(7, "includes")])  # same: kept
    with pytest.raises(TextIdCollision, match="'includes' and 'derived-from'"):
        keyed_texts.insert_lookup_rows(conn, "text_overlap_relation", [(7, "derived-from")])
    assert conn.execute("select * from text_overlap_relation").fetchall() == [(7, "includes")]

    class Db:  # insert_rows reads only .conn and .atomic() of a sqlite_utils.Database
        def __init__(self, conn):
            self.conn = conn

        def atomic(self):
            return self.conn

    with pytest.raises(BuildFailed, match="two texts share id 7"):
        insert_rows(Db(conn), {"text_overlap_relation": [(7, "similar-description")]})


def test_texts_no_row_names_are_dropped():
    conn = _lookup_db()
    conn.executemany("insert into text_overlap_relation values (?, ?)", [(1, "a"), (2, "b")])
    conn.executemany("insert into text_overlap_evidence values (?, ?)", [(3, "{}")])
    conn.execute("insert into overlaps values ('x', 'y', 0.5, 1, 3)")
    drop_unused(conn, tables=["overlaps"])
    assert conn.execute("select * from text_overlap_relation").fetchall() == [(1, "a")]
    assert conn.execute("select * from text_overlap_evidence").fetchall() == [(3, "{}")]


def test_the_registry_holds_exactly_the_texts_its_rows_name(built_registry):
    with sqlite3.connect(f"file:{built_registry}?mode=ro", uri=True) as conn:
        for (table, column), lookup in KEYED_TEXTS.items():
            named = {row[0] for row in conn.execute(f"select [{column}] from [{table}]")} - {None}
            stored = dict(conn.execute(f"select id, text from [{lookup}]").fetchall())
            assert set(stored) == named, (table, column)
            assert all(text_id(text) == key for key, text in stored.items()), lookup
        assert named, "the fixture must give overlaps an evidence text"
        # The reader gives the texts back under the column's own name.
        [row] = conn.execute(f"select {columns(conn, 'overlaps')} from overlaps limit 1").fetchall()
        assert isinstance(row[3], str) and isinstance(row[4], str) and row[4].startswith("{")


def test_a_build_whose_texts_share_an_id_fails(tmp_path, monkeypatch):
    """The build sends a text that many entries name to SQLite once (update.Update._add_texts);
    another text with the same id is still sent, and fails the build."""
    from build_fixtures import write_corpus

    from registry.build.pipeline import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr(keyed_texts, "text_id", lambda text: 7)
    entries = tmp_path / "entries"
    write_corpus(entries)
    with pytest.raises(BuildFailed, match="two texts share id 7"):
        build(entries, tmp_path / "r.db", cache_dir=None, progress=False)
    assert not (tmp_path / "r.db").exists()
