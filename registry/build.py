"""`commons build`: entries → validated, classified rows → dist/registry.db.

The build reads every entry file (through the content-hash cache), reports
every error at once, sorts entries by id, and writes the database atomically
(see build_db). With SOURCE_DATE_EPOCH set, the timestamp and the classifier's
as-of date come from it, and the same entries give a byte-identical file.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib
import importlib.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import classifier
from registry import db_schema
from registry.build_cache import EntryCache, cache_key
from registry.build_db import BuildFailed, write_database
from registry.build_rows import authored_rows, catalog_row, classification_rows, rule_rows
from registry.errors import EntryError, EntryErrors
from registry.git_dates import file_dates, source_commit, source_date
from registry.loader import LoadedEntry, check_across_files, display_path, entry_files, parse_entry
from registry.overlap.fingerprint_store import fingerprint_rows
from registry.schema import SCHEMA_VERSION as ENTRY_SCHEMA_VERSION

DEFAULT_CACHE = Path(".cache") / "build"
EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"


@dataclass(frozen=True)
class BuildResult:
    out: Path
    entry_count: int
    rules_version: str | None
    source_commit: str | None
    parsed: int  # files parsed this run (the rest came from the cache)


def as_of_date() -> datetime.date:
    """The date classifications are computed for: SOURCE_DATE_EPOCH's date, else today (UTC)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value:
        return datetime.datetime.fromtimestamp(int(value), tz=datetime.timezone.utc).date()
    return datetime.datetime.now(datetime.timezone.utc).date()


def built_at() -> str:
    return source_date() or datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def read_entries(folder: Path, cache: EntryCache, rules, as_of: datetime.date, progress: bool = False) -> tuple[list[tuple[LoadedEntry, object]], int, int]:
    """Every entry in `folder`, validated and classified; raises EntryErrors with every problem in every file."""
    files = entry_files([folder])
    prefix = display_path(folder)
    loaded: list[LoadedEntry] = []
    errors: list[EntryError] = []
    parsed = 0
    for file in _progress(files, progress, "reading entries"):
        name = os.path.join(prefix, file.name)
        try:
            data = file.read_bytes()
        except OSError as error:
            errors.append(EntryError(name, 1, 1, f"cannot read file: {error.strerror}"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        cached = cache.get(file.name, digest)
        if cached is None:
            try:
                item = parse_entry(name, data)
            except EntryErrors as problems:
                errors.extend(problems.errors)
                continue
            parsed += 1
            cached = (item.entry, classifier.classify(item.entry, as_of=as_of, rules=rules))
            cache.put(file.name, digest, cached)
        entry, classification = cached
        loaded.append((LoadedEntry(name, entry, digest), classification))
    errors += check_across_files(files, [item for item, _ in loaded])
    if errors:
        raise EntryErrors(errors)
    loaded.sort(key=lambda pair: pair[0].entry.id)
    return loaded, parsed, len(files)


def build(entries: Path, out: Path, cache_dir: Path | None = DEFAULT_CACHE, progress: bool | None = None) -> BuildResult:
    """Build the registry database from the entry folder; the previous file stays if anything fails."""
    if progress is None:
        progress = sys.stderr.isatty()
    as_of = as_of_date()
    rules = classifier.load_rules()
    cache = EntryCache(cache_dir, cache_key(ENTRY_SCHEMA_VERSION, db_schema.SCHEMA_VERSION, rules.version, as_of.isoformat()))
    loaded, parsed, file_count = read_entries(entries, cache, rules, as_of, progress)
    dates = file_dates(entries, [Path(item.path).name for item, _ in loaded])
    commit = source_commit(entries)

    rows: dict[str, list[dict]] = {name: [] for name in db_schema.TABLES}
    for item, classification in loaded:
        filename = Path(item.path).name
        entry_dates = dates[filename]
        # The path inside the repository, whatever folder the build was pointed at,
        # so two checkouts of the same entries give the same database.
        for table, table_rows in authored_rows(item.entry, f"entries/{filename}", item.digest, entry_dates).items():
            rows[table].extend(table_rows)
        for table, table_rows in classification_rows(classification).items():
            rows[table].extend(table_rows)
        rows["catalog"].append(catalog_row(item.entry, entry_dates, classification))
    rows.update(rule_rows(rules))
    # Published content sketches live in fingerprints/ beside entries/.
    rows["fingerprints"] = fingerprint_rows([item for item, _ in loaded], entries.resolve().parent)
    rows["builds"] = [{
        "id": 1,
        "built_at": built_at(),
        "rules_version": rules.version,
        "entry_count": len(loaded),
        "source_commit": commit,
        "schema_version": db_schema.SCHEMA_VERSION,
    }]
    if len(rows["entries"]) != file_count:
        raise BuildFailed(f"{file_count} entry files but {len(rows['entries'])} entry rows")
    write_database(out, rows, after_insert=overlap_filler())
    cache.save({(Path(item.path).name, item.digest) for item, _ in loaded})
    return BuildResult(out, len(loaded), rules.version, commit, parsed)


def overlap_filler():
    """`registry.overlap.fill_overlaps(db)` when the overlap module is installed, else None (table left empty)."""
    if importlib.util.find_spec("registry.overlap") is None:
        return None
    module = importlib.import_module("registry.overlap")
    return getattr(module, "fill_overlaps", None)


def _progress(items, enabled: bool, label: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="file", file=sys.stderr, leave=False)
