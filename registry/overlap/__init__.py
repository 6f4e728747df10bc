"""Redundancy warnings: is a dataset someone wants to sell already in the commons?

`check.check(index, offer)` ranks catalog entries by explained overlap; the
CLI (`commons overlap`) and the Datasette page (`/-/overlap`) both call it.
`catalog_pairs.compute_overlaps` fills the `overlaps` table at build time, and
`sketch` makes and compares content fingerprints (`commons fingerprint`).
"""


def fill_overlaps(db, cache_dir=None) -> int:
    """Build hook (registry/build.py): fill the `overlaps` table from the inserted entries.

    `cache_dir` is the build's cache folder, where per-entry text features are kept.
    """
    from registry.overlap.catalog_pairs import compute_overlaps

    return compute_overlaps(db, cache_dir)
