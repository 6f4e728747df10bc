"""The catalog's entries as the overlap check shows them, read from the database when asked for.

A query scores a few hundred of the catalog's 26,000 rows; making all of them took a third of
`commons overlap`'s start-up. `CatalogEntries` holds every row's id and origin (what ranking
reads of every candidate) and makes the full entry of a row the first time it is asked for.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CommonsEntry:
    """What a match shows about one catalog entry."""

    id: str
    name: str
    summary: str
    category: str
    license_family: str
    licenses: list[str]
    modality: str
    languages: list[str]
    domains: list[str]
    status: str
    # "curated" (checked by the registry) or "imported" (an open catalog's record, as declared)
    origin: str = "curated"


# The descriptions (most of the table's bytes) are read only to compute the text tiers.
CATALOG_QUERY = (
    "select id, name, summary, {description}, category, license_family, licenses, modality, "
    "languages, domains, status, origin from catalog"
)


def json_list(value) -> list[str]:
    """A JSON array column as a list of strings (a bare value becomes a one-item list)."""
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except (TypeError, ValueError):
        return [str(value)]
    return [str(v) for v in parsed] if isinstance(parsed, list) else [str(parsed)]


def catalog_entries(rows: Iterable[tuple]) -> list[CommonsEntry]:
    """Catalog rows (CATALOG_QUERY's columns) as entries; each recurring list is parsed once."""
    parsed: dict[str | None, list[str]] = {}

    def listed(value: str | None) -> list[str]:
        if value not in parsed:
            parsed[value] = json_list(value)
        return list(parsed[value])

    return [
        CommonsEntry(
            id=row[0],
            name=row[1] or row[0],
            summary=row[2] or "",
            category=row[4] or "undetermined",
            license_family=row[5] or "",
            licenses=listed(row[6]),
            modality=row[7] or "",
            languages=listed(row[8]),
            domains=listed(row[9]),
            status=row[10] or "active",
            origin=row[11] or "curated",
        )
        for row in rows
    ]


class CatalogEntries(Sequence[CommonsEntry]):
    """The catalog's entries in row order (by id); `ids` and `origins` of every row are at hand,
    a row's full entry is read by `read` (ids → CATALOG_QUERY rows) when first asked for."""

    def __init__(
        self,
        ids: list[str],
        origins: list[str],
        read: Callable[[list[str]], list[tuple]] | None = None,
        made: dict[int, CommonsEntry] | None = None,
    ):
        self.ids, self.origins = ids, origins
        self._read = read
        self._made: dict[int, CommonsEntry] = dict(made or {})

    @classmethod
    def of(cls, entries: list[CommonsEntry]) -> CatalogEntries:
        """Entries made already (a catalog read whole)."""
        return cls(
            [e.id for e in entries], [e.origin for e in entries], None, dict(enumerate(entries))
        )

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if row not in self._made:
            self.load([row])
        return self._made[row]

    def __iter__(self) -> Iterator[CommonsEntry]:
        self.load(range(len(self)))
        return (self._made[i] for i in range(len(self)))

    def load(self, rows: Iterable[int]) -> None:
        """Make the entries of `rows` that are not made yet, in one read."""
        missing = [i for i in rows if i not in self._made]
        if not missing:
            return
        if self._read is None:
            raise IndexError(f"no catalog row {missing[0]}")
        made = {e.id: e for e in catalog_entries(self._read([self.ids[i] for i in missing]))}
        for i in missing:
            self._made[i] = made[self.ids[i]]


def database_reader(path: str) -> Callable[[list[str]], list[tuple]]:
    """Catalog rows by id, from a read-only connection of its own that threads share by turns
    (the Datasette page queries the cached index from several)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    lock = threading.Lock()
    query = (
        CATALOG_QUERY.format(description="null") + " where id in (select value from json_each(?))"
    )

    def read(ids: list[str]) -> list[tuple]:
        with lock:
            return connection.execute(query, [json.dumps(ids, ensure_ascii=False)]).fetchall()

    return read
