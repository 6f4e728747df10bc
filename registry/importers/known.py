"""The registry's existing entries, for matching an import's source datasets to ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from registry.entry.errors import EntryErrors
from registry.entry.loader import entry_files, parse_entry
from registry.importers.draft import Draft, slug


def url_key(url: str) -> str:
    """A URL compared without scheme, `www.` or trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url.strip().lower()).rstrip("/")


@dataclass
class KnownEntries:
    """Ids, aliases and URLs of entries already in the registry."""

    ids: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_folder(cls, folder: Path | None) -> KnownEntries:
        """Read the valid entries of a folder; invalid files are skipped (validate reports them)."""
        known = cls()
        if folder is None or not folder.is_dir():
            return known
        for path in entry_files([folder]):
            try:
                entry = parse_entry(str(path), path.read_bytes()).entry
            except (EntryErrors, OSError):
                continue
            known.ids.add(entry.id)
            for alias in entry.aliases:
                known.aliases[alias] = entry.id
            for url in [entry.homepage, *entry.access.urls]:
                known.urls.setdefault(url_key(url), entry.id)
        return known

    def match(self, value: str) -> str | None:
        """The id of the entry a source reference names, if any."""
        text = value.strip()
        if re.match(r"(?i)^https?://", text):
            found = self.urls.get(url_key(text))
            if found:
                return found
            text = url_key(text).rsplit("/", 1)[-1]
        candidates = [slug(text), slug(text.rsplit("/", 1)[-1])]
        for candidate in candidates:
            if candidate in self.ids:
                return candidate
            if candidate in self.aliases:
                return self.aliases[candidate]
        return None


def set_sources(draft: Draft, sources: list[str], known: KnownEntries, origin: str) -> None:
    """Sources that are registry entries go to derived_from; the rest are listed for a person."""
    matched, unmatched = [], []
    for source in sources:
        found = known.match(source)
        if found and found not in matched and found != draft.values.get("id"):
            matched.append(found)
        elif not found and source not in unmatched:
            unmatched.append(source)
    draft.values["derived_from"] = matched
    draft.sources_unmatched = unmatched
    if unmatched:
        draft.notes.append(
            f"{origin}: source datasets not in the registry (add their entries, then list "
            f"their ids in derived_from): {', '.join(unmatched)}"
        )
