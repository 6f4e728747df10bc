"""`commons build`: entry files -> validated, classified rows -> dist/registry.db.

`pipeline.build` runs it: `parse` (worker processes read, validate and classify
files and turn each into its rows, from `rows`), `work` (the working database
the rows go into, kept in the cache folder between builds) and `update` (one
build's changes to it), then `db.publish` (a cold build VACUUM INTO a checked
temporary file, a warm build a copy of the working file; then an atomic swap);
`in_place` changes a warm build's full-text index and facet counts by
difference. `db_schema` declares the tables; `cache`, `file_stats` and
`git_dates` are the inputs besides the files.
"""

import sys


def _sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas hidden from it.

    sqlite-utils imports pandas when it is installed, only to map pandas' column types, which
    the build never writes; pandas costs about 0.3 s of every build's start. Once sqlite-utils
    is imported, pandas imports as usual for whoever needs it.
    """
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # `import pandas` raises ImportError while this is set
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]


_sqlite_utils_without_pandas()
