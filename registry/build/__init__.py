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
