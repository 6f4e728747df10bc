"""Redundancy warnings: is a dataset someone wants to sell already in the commons?

`check.check(index, offer)` ranks catalog entries by explained overlap; the
CLI (`commons overlap`) and the Datasette page (`/-/overlap`) both call it.
`catalog_pairs.compute_overlaps` fills the `overlaps` table at build time, and
`sketch` makes and compares content fingerprints (`commons fingerprint`).
"""


def fill_overlaps(db, cache_dir=None, features=None) -> int:
    """Build hook (registry/build.py): make the `overlaps` table hold the pairs of the inserted entries.

    `features` maps every catalog entry id to its
    `pair_features.entry_features(name, summary, description, domains)` value
    (the build computes them per entry file, in its workers); without it they
    are computed here and `cache_dir`, the build's cache folder, keeps them.
    Only the rows that differ from the table's current rows are written.
    """
    from registry.overlap.catalog_pairs import compute_overlaps

    return compute_overlaps(db, cache_dir, features)
