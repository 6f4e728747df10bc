"""`commons build`: entry files -> validated, classified rows -> dist/registry.db.

`pipeline.build` runs it: `parse` (worker processes read, validate and classify
files and turn each into its rows, from `rows`), `work` (the working database
the rows go into, kept in the cache folder between builds) and `update` (one
build's changes to it), then `db.publish` (VACUUM INTO a checked temporary file,
then an atomic swap). `db_schema` declares the tables; `cache`, `file_stats`
and `git_dates` are the inputs besides the files.
"""
