"""Redundancy between catalog entries, computed into the overlaps table."""

from __future__ import annotations

import json

from catalog_db import add_entry, add_wiki_entries, create

from registry.overlap.catalog_pairs import TOP_K, compute_overlaps
from registry.read.database import columns


def test_pairs_from_lineage_sources_and_descriptions(tmp_path):
    db = create(tmp_path / "registry.db")
    add_wiki_entries(db)
    add_entry(
        db,
        "opinions-a",
        "Court opinions archive",
        "Published opinions of United States federal and state courts with citations and dockets.",
    )
    add_entry(
        db,
        "opinions-b",
        "US court opinions corpus",
        "Opinions of United States federal and state courts, with citations and dockets, cleaned.",
    )
    add_entry(db, "birds", "Bird songs", "Field recordings of birds.", modality="audio")
    count = compute_overlaps(db)
    # Relation and evidence as texts: the reader joins them from their lookup tables.
    overlaps = db.execute(f"select {columns(db.conn, 'overlaps')} from overlaps")
    names = [column[0] for column in overlaps.description]
    rows = {(r[0], r[1]): dict(zip(names, r, strict=True)) for r in overlaps.fetchall()}
    assert count == len(rows)
    assert rows[("big-corpus", "wiki-en")]["relation"] == "includes"
    assert rows[("wiki-en", "big-corpus")]["relation"] == "included-in"
    assert rows[("wikitext", "wiki-en")]["relation"] == "derived-from"
    assert rows[("wiki-en", "wikitext")]["relation"] == "source-of"
    assert rows[("wiki-en", "wiki-fr")]["relation"] == "shares-sources"
    assert "en.wikipedia.org and fr.wikipedia.org are both under wikipedia.org" in " ".join(
        json.loads(rows[("wiki-fr", "wiki-en")]["evidence"])["sources"]
    )
    assert rows[("opinions-a", "opinions-b")]["relation"] == "similar-description"
    assert json.loads(rows[("opinions-a", "opinions-b")]["evidence"])["text_cosine"] > 0.4
    assert not any("birds" in pair for pair in rows)
    assert all(0 < r["score"] <= 1 for r in rows.values())
    # Running again replaces rather than duplicates.
    assert compute_overlaps(db) == count


def test_top_k_per_entry_bounds_the_table(tmp_path):
    db = create(tmp_path / "registry.db")
    for i in range(TOP_K + 15):
        add_entry(
            db,
            f"mirror-{i:02d}",
            f"Mirror {i} of the parliament debates",
            "Transcripts of parliament debates and votes, every session.",
            source_domains=("parliament.example.org",),
        )
    compute_overlaps(db)
    per_entry = db.execute("select entry_id, count(*) from overlaps group by entry_id").fetchall()
    assert len(per_entry) == TOP_K + 15
    assert max(count for _, count in per_entry) == TOP_K
