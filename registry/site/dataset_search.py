"""The site's dataset search index: static files of bounded size, read by site/theme/js/search.js.

mkdocs's search index holds every page whole and is loaded at once (87 MB at
100,000 entries); it now holds the documentation only. Datasets are searched
in an inverted index written here, split so that a search loads only what its
words need and no file grows with the catalog past SHARD_BYTES:

- `search/datasets/index.json`: the entry count, the record chunk size, and
  the token prefixes of the shards, in order (shard i is `t-i.json`);
- `t-<i>.json`: {token: [name postings, other postings]}, each a list of
  entry numbers as gaps from the previous one (an entry is in the name list
  when the token is in its name, else in the other list);
- `r-<k>.json`: the records of entries k*CHUNK to (k+1)*CHUNK-1, as
  [id, name, summary, category], and 1 after them for a record imported from an open
  catalog (its licence declared by the uploader). Entries are numbered in listing order (by
  name), so equal scores list alphabetically.

Tokens are runs of letters and digits, lowercased, accents removed, the same
in the script; words that say nothing (STOP_WORDS) are left out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from pathlib import Path

from registry.site.render import CATEGORY_LABELS

SHARD_BYTES = 1_000_000
CHUNK = 500
SUMMARY_CHARS = 240
DESCRIPTION_CHARS = 600
MAX_PREFIX = 6
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the this to was "
    "were which with".split()
)
_TOKEN = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """Lowercased runs of letters and digits, accents removed (as search.js splits a query)."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )
    return [t for t in _TOKEN.findall(plain) if t not in STOP_WORDS]


def whole_words(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "…"


def searched_text(entry: dict) -> str:
    """What a dataset is found by besides its name: the facts people search by."""
    c = entry["classification"]
    parts = [
        entry["summary"],
        CATEGORY_LABELS.get(c["category"], c["category"]),
        " ".join(licence["expression"] for licence in entry["licenses"]),
        entry["publisher_name"],
        entry["modality"],
        " ".join(entry["domain_list"]),
        " ".join(entry["language_list"]),
        " ".join(a["alias"] for a in entry["aliases"]),
        (entry["description"] or "")[:DESCRIPTION_CHARS],
    ]
    return " ".join(str(part) for part in parts if part)


class DatasetIndex:
    """Collects postings entry by entry (in any order), then writes the index files."""

    def __init__(self, listed: list[dict]):
        self.listed = listed
        self.number = {entry["id"]: n for n, entry in enumerate(listed)}
        self.postings: dict[str, tuple[array, array]] = {}

    def add(self, entry: dict) -> None:
        """Index one whole entry (registry.read.entries chunks)."""
        n = self.number[entry["id"]]
        in_name = set(tokens(entry["name"] or entry["id"]))
        for token in set(tokens(searched_text(entry))) | in_name:
            lists = self.postings.setdefault(token, (array("I"), array("I")))
            lists[0 if token in in_name else 1].append(n)

    def write(self, folder: Path) -> dict:
        """Write the index under `folder` (the site's search/datasets); returns its sizes."""
        folder.mkdir(parents=True, exist_ok=True)
        encoded = {token: _gaps(lists) for token, lists in self.postings.items()}
        shards = _split(sorted(encoded), {t: len(v) + len(t) + 4 for t, v in encoded.items()}, "")
        prefixes = []
        for i, (prefix, members) in enumerate(shards):
            prefixes.append(prefix)
            body = "{" + ",".join(f"{json.dumps(t)}:{encoded[t]}" for t in members) + "}"
            (folder / f"t-{i}.json").write_text(body, encoding="utf-8")
        for k in range(0, len(self.listed), CHUNK):
            records = [_record(entry) for entry in self.listed[k : k + CHUNK]]
            (folder / f"r-{k // CHUNK}.json").write_text(_compact(records), encoding="utf-8")
        manifest = {"count": len(self.listed), "chunk": CHUNK, "shards": prefixes}
        (folder / "index.json").write_text(_compact(manifest), encoding="utf-8")
        return {"tokens": len(encoded), "shards": len(prefixes)}


def _record(entry: dict) -> list:
    summary = whole_words(entry["summary"] or "", SUMMARY_CHARS)
    record = [
        entry["id"],
        entry["name"] or entry["id"],
        summary,
        entry["classification"]["category"],
    ]
    return record + [1] if entry.get("origin") == "imported" else record


def _gaps(lists: tuple[array, array]) -> str:
    """Both posting lists as JSON arrays of gaps (small numbers, short files)."""
    out = []
    for numbers in lists:
        previous, gaps = 0, []
        for n in sorted(numbers):
            gaps.append(n - previous)
            previous = n
        out.append("[" + ",".join(map(str, gaps)) + "]")
    return "[" + ",".join(out) + "]"


def _split(tokens_: list[str], sizes: dict[str, int], prefix: str) -> list[tuple[str, list[str]]]:
    """(prefix, tokens) shards of at most SHARD_BYTES each, splitting a prefix one more letter at a
    time (a single token longer than the limit, or MAX_PREFIX letters, stays one shard)."""
    total = sum(sizes[t] for t in tokens_)
    if total <= SHARD_BYTES or len(prefix) >= MAX_PREFIX:
        return [(prefix, tokens_)] if tokens_ else []
    exact = [t for t in tokens_ if t == prefix]
    shards = [(prefix, exact)] if exact else []
    groups: dict[str, list[str]] = {}
    for token in tokens_:
        if token != prefix:
            groups.setdefault(token[: len(prefix) + 1], []).append(token)
    for key in sorted(groups):
        shards += _split(groups[key], sizes, key)
    return shards


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
