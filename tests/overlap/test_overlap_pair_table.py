"""The overlaps table written by difference (pair_table.write_rows): any table reaches any
target, a warm build after one change equals a cold one, and given features equal computed ones."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from catalog_db import add_entry, add_wiki_entries, create
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.overlap import fill_overlaps
from registry.overlap.pair_features import (
    entry_features,
)
from registry.overlap.pair_table import difference, write_rows

ENTRIES = Path(__file__).resolve().parents[2] / "entries"


def catalog(tmp_path: Path, name: str) -> sqlite3.Connection:
    db = create(tmp_path / name)
    add_wiki_entries(db)
    for i in range(12):
        add_entry(
            db,
            f"opinions-{i:02d}",
            f"Court opinions archive {i}",
            f"Published opinions of United States federal and state courts, volume {i}, with "
            "citations and dockets.",
        )
    add_entry(db, "birds", "Bird songs", "Field recordings of birds.", modality="audio")
    return db


def table(db) -> set[tuple]:
    return set(
        db.conn.execute(
            "select o.entry_id, o.other_id, o.score, r.text, e.text from overlaps o "
            "join text_overlap_relation r on r.id = o.relation "
            "join text_overlap_evidence e on e.id = o.evidence"
        ).fetchall()
    )


def features_of(db) -> dict:
    return {
        row[0]: entry_features(row[1] or row[0], *row[2:])
        for row in db.conn.execute("select id, name, summary, description, domains from catalog")
    }


def test_given_features_give_the_same_table(tmp_path):
    computed, given = catalog(tmp_path, "computed.db"), catalog(tmp_path, "given.db")
    count = fill_overlaps(computed)
    assert fill_overlaps(given, features=features_of(given)) == count
    assert table(computed) == table(given) and count == len(table(given)) > 0


def test_missing_features_are_an_error(tmp_path):
    db = catalog(tmp_path, "registry.db")
    features = features_of(db)
    del features["birds"]
    with pytest.raises(ValueError, match="birds"):
        fill_overlaps(db, features=features)


def change_one(db, features: dict | None = None) -> None:
    summary = "Court opinions of United States federal courts, with citations and dockets."
    db.conn.execute("update catalog set summary = ? where id = 'birds'", (summary,))
    db.conn.commit()
    if features is not None:
        features["birds"] = features_of(db)["birds"]


def test_warm_after_one_change_equals_cold(tmp_path):
    warm = catalog(tmp_path, "warm.db")
    features = features_of(warm)
    fill_overlaps(warm, features=features)
    before = table(warm)
    change_one(warm, features)
    fill_overlaps(warm, features=features)
    cold = catalog(tmp_path, "cold.db")
    change_one(cold)
    fill_overlaps(cold, features=features_of(cold))
    assert table(warm) == table(cold)
    assert table(warm) != before, "the change must show in the pairs"
    assert any("birds" in (a, b) for a, b, *_ in table(warm))


def test_write_rows_writes_only_the_difference(tmp_path):
    db = catalog(tmp_path, "registry.db")
    fill_overlaps(db)
    rows = sorted(table(db))
    # Change one row's score, drop one, add one: three rows differ.
    changed = (
        [(rows[0][0], rows[0][1], 0.999, rows[0][3], rows[0][4])]
        + rows[2:]
        + [("birds", "wiki-fr", 0.5, "similar-description", json.dumps({"text_cosine": 0.5}))]
    )
    deleted, inserted = write_rows(db.conn, changed)
    assert (deleted, inserted) == (2, 2)
    assert table(db) == set(changed)
    assert write_rows(db.conn, changed) == (0, 0)
    # Writing the original rows back restores the table exactly.
    write_rows(db.conn, rows)
    assert table(db) == set(rows)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 5),
            st.sampled_from([0.3, 0.5, 1.0]),
            st.sampled_from(["includes", "similar-description"]),
        ),
        max_size=30,
    ),
    st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(0, 5),
            st.sampled_from([0.3, 0.5, 1.0]),
            st.sampled_from(["includes", "similar-description"]),
        ),
        max_size=30,
    ),
)
def test_write_rows_reaches_any_target_from_any_table(before, after):
    connection = sqlite3.connect(":memory:")
    # The published shape: relation and evidence are the ids of texts stored once.
    for lookup in ("text_overlap_relation", "text_overlap_evidence"):
        connection.execute(f"create table {lookup} (id integer primary key, text text not null)")
    connection.execute(
        "create table overlaps (entry_id text, other_id text, score real, relation integer, "
        "evidence integer, primary key (entry_id, other_id)) without rowid"
    )
    connection.execute("create index overlaps_other_id on overlaps (other_id)")

    def rows(spec):
        found = {}
        for a, b, score, relation in spec:
            found[(f"e{a}", f"e{b}")] = (f"e{a}", f"e{b}", score, relation, "{}")
        return list(found.values())

    write_rows(connection, rows(before))
    write_rows(connection, rows(after))
    assert set(
        connection.execute(
            "select o.entry_id, o.other_id, o.score, r.text, e.text from overlaps o "
            "join text_overlap_relation r on r.id = o.relation "
            "join text_overlap_evidence e on e.id = o.evidence"
        ).fetchall()
    ) == set(rows(after))
    assert (
        connection.execute(
            "select count(*) from sqlite_master where type = 'index' and tbl_name = "
            "'overlaps' and sql is not null"
        ).fetchone()[0]
        == 1
    )


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.integers(0, 6), st.integers(0, 6)), st.sampled_from([0.3, 0.5]), max_size=40
    ),
    st.dictionaries(
        st.tuples(st.integers(0, 6), st.integers(0, 6)), st.sampled_from([0.3, 0.5]), max_size=40
    ),
)
def test_difference_of_sorted_rows_is_exact(before, after):
    old = sorted((f"e{a}", f"e{b}", score) for (a, b), score in before.items())
    new = sorted((f"e{a}", f"e{b}", score) for (a, b), score in after.items())
    stale, fresh = difference(old, new)
    # Deleting the stale keys then inserting the fresh rows turns old into new.
    result = {row[:2]: row for row in old if row[:2] not in set(stale)}
    assert not set(row[:2] for row in fresh) & set(result)
    result.update({row[:2]: row for row in fresh})
    assert sorted(result.values()) == new
    # Only what differs is touched.
    assert len(fresh) == len(set(new) - set(old))
