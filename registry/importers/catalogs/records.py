"""What every catalog importer shares: ids from source names, language names to BCP-47,
Hugging Face repository ids, and the record dict with its provenance."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

import pycountry

ID_LENGTH = 63
HF_DATASET = re.compile(r"^/datasets/([^/]+/[^/]+?)/?$")


@dataclass(frozen=True)
class SourceInfo:
    """A catalog as imported: its name in provenance, snapshot date, file base and licence."""

    source: str
    title: str
    snapshot: str
    base: str  # repository@commit, the prefix of every record's source_file
    licence: str  # of the catalog's data
    notice_files: tuple[str, ...] = ()  # licence texts shipped with the imported records


@dataclass
class Imported:
    """One imported record: the entry fields and its skipped-value notes."""

    record: dict
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record["id"]


def slug(text: str) -> str:
    """An entry id from a source name: lower-case words joined by '-', at most 63 characters (a
    short hash of the full name keeps cut names apart)."""
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(words) < 2:
        words = f"{words}-dataset".strip("-")
    if len(words) <= ID_LENGTH:
        return words
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{words[: ID_LENGTH - 9].rstrip('-')}-{digest}"


def hf_repo(url: str | None) -> str | None:
    """`owner/name` of a Hugging Face dataset URL, lower-cased (Hugging Face ids are not case
    sensitive), else None."""
    if not url:
        return None
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in ("huggingface.co", "www.huggingface.co"):
        return None
    found = HF_DATASET.match(parts.path)
    return found.group(1).lower() if found else None


@lru_cache(maxsize=2048)
def language_code(name: str) -> str | None:
    """BCP-47 code for a language name as catalogs write it (`danish`, `bemba_zambia_`,
    `Swiss German`), or None when ISO 639 has no language of that name."""
    words = re.sub(r"_+$", "", name).replace("_", " ").strip()
    words = re.sub(r"\s+(\w+)$", r" (\1)", words) if name.endswith("_") else words
    for candidate in (words, re.sub(r"\s*\(.*\)$", "", words)):
        try:
            found = pycountry.languages.lookup(candidate)
        except LookupError:
            continue
        return getattr(found, "alpha_2", None) or found.alpha_3
    return None


def distinct_ids(found: list[Imported]) -> list[Imported]:
    """Records whose names make the same id (`A_b/c`, `a-b/c`) each get a short hash of their
    record URL appended, so every id is unique and stays the same at the next import."""
    counts: dict[str, int] = {}
    for item in found:
        counts[_id_key(item.id)] = counts.get(_id_key(item.id), 0) + 1
    for item in found:
        if counts[_id_key(item.id)] > 1:
            digest = hashlib.sha256(item.record["homepage"].encode()).hexdigest()[:8]
            item.record["id"] = f"{item.id[: ID_LENGTH - 9].rstrip('-')}-{digest}"
    return found


def _id_key(entry_id: str) -> str:
    """Ids that differ only in '-' collide (the catalog checks refuse them)."""
    return entry_id.replace("-", "")


def plain_text(text: str) -> str:
    """Text with its control, zero-width and direction characters removed (line breaks kept):
    the registry refuses them, since they can hide or reorder what a reader sees."""
    return "".join(
        c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs")
    )


def provenance(info: SourceInfo, record_url: str, path: str, fields: dict[str, str]) -> dict:
    return {
        "source": info.source,
        "snapshot": info.snapshot,
        "record": record_url,
        "source_file": f"{info.base}:{path}",
        "source_licence": info.licence,
        "fields": dict(sorted(fields.items())),
    }


def problems_of(record: dict) -> list[str]:
    """What the registry's loader says is wrong with a record, as `field: message` lines."""
    from registry.entry.canonical import dumps
    from registry.entry.errors import EntryErrors
    from registry.entry.loader import parse_entry

    try:
        parse_entry(f"{record['id']}.yaml", dumps(record).encode())
    except EntryErrors as errors:
        return [error.message for error in errors.errors]
    return []
