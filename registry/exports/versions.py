"""The schema version each published format states; CHANGELOG.md says what changed in each.

A version changes when a consumer's reader would have to change: a field or
column added, removed, renamed or given another meaning. Additions bump the
minor number, anything else the major one (SQLite: one integer, bumped for any
change to a table).
"""

from __future__ import annotations

from registry.build.db_schema import SCHEMA_VERSION as SQLITE  # builds.schema_version

JSON = "1.1"  # entries.json and entries.jsonl: `version` on the document and on every object
CSV = "1.1"  # csv/*.csv: `schema_version` in datapackage.json, `schemaVersion` in croissant.json
ENTRY_CROISSANT = "1.0"  # croissant/<id>.json: `schemaVersion` of each document
SNAPSHOT = "1.0"  # snapshot/global-training-commons-*.json: `version` of the document
FEEDS = "1.0"  # feeds/*.atom: <generator version>; calendar/*.ics: X-COMMONS-SCHEMA-VERSION

__all__ = ["CSV", "ENTRY_CROISSANT", "FEEDS", "JSON", "SNAPSHOT", "SQLITE"]
