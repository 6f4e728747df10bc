"""Redundancy warnings: is a dataset someone wants to sell already in the commons?

`check.check(index, offer)` ranks catalog entries by explained overlap; the
CLI (`commons overlap`) and the Datasette page (`/-/overlap`) both call it.
`catalog_pairs` computes the `overlaps` table at build time, and
`sketch` makes and compares content fingerprints (`commons fingerprint`).
"""

# At most this many matches per check (`commons overlap --top`, the web form).
MAX_TOP = 50


def fill_overlaps(db, cache_dir=None, features=None) -> int:
    """Make the `overlaps` table hold the pairs of the entries in `db` (tools and tests).

    `features` maps every catalog entry id to its
    `pair_features.entry_features(name, summary, description, domains)` value;
    without it they are computed here, and `cache_dir` keeps them between calls.
    Only the rows that differ from the table's current rows are written. The
    build itself calls the steps (`catalog_pairs.pair_inputs` or
    `gathered_inputs`, `pair_rows`, then `pair_table.write_rows` or
    `stage_rows` and `copy_staged`; registry/build/update.py) so that it can
    compute the pairs beside other work, with the features its workers made.
    """
    from registry.overlap.catalog_pairs import compute_overlaps

    return compute_overlaps(db, cache_dir, features)
