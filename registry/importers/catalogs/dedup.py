"""One dataset, one entry: imported records that repeat a curated entry, or a record
of a source imported before them, are left out.

Two records are the same dataset when they share an id (or an id and an alias), a
Hugging Face dataset repository (`owner/name`, in any case), or a homepage.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from registry.importers.catalogs.records import Imported, hf_repo


def keys(record: dict, access: bool = False) -> set[str]:
    """The identities of an entry or record: id, aliases, Hugging Face repositories, homepage.

    With `access`, the Hugging Face repositories of its access URLs as well: a curated entry
    may link the repository from there; an imported part of a corpus links the corpus."""
    found = {f"id:{record['id']}"} | {f"id:{alias}" for alias in record.get("aliases") or []}
    urls = [record.get("homepage")]
    if access:
        urls += (record.get("access") or {}).get("urls") or []
    found |= {f"hf:{repo}" for repo in map(hf_repo, urls) if repo}
    if record.get("homepage"):
        found.add(f"url:{_plain_url(record['homepage'])}")
    return found


def _plain_url(url: str) -> str:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower()


class Seen:
    """The identities taken so far, and by which entry, in the order sources are imported."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}

    def add(self, record: dict, origin: str, access: bool = False) -> None:
        for key in keys(record, access):
            self.owner.setdefault(key, f"{origin} {record['id']}")

    def duplicate_of(self, record: dict) -> str | None:
        """The entry this record repeats ("curated fineweb"), or None."""
        for key in sorted(keys(record)):
            if key in self.owner:
                return self.owner[key]
        return None


def keep_new(found: list[Imported], seen: Seen, origin: str) -> tuple[list[Imported], list[str]]:
    """The records that repeat nothing seen, and one line for each left out."""
    kept, dropped = [], []
    for item in found:
        owner = seen.duplicate_of(item.record)
        if owner:
            dropped.append(f"{origin} {item.id}: the same dataset as {owner}")
            continue
        seen.add(item.record, origin)
        kept.append(item)
    return kept, dropped
