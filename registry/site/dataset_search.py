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

import hashlib
import json
import marshal
import os
import re
import sys
import unicodedata
from array import array
from functools import partial
from itertools import accumulate
from pathlib import Path

from registry.site.render import CATEGORY_LABELS

SHARD_BYTES = 1_000_000
CHUNK = 500
SUMMARY_CHARS = 240
DESCRIPTION_CHARS = 600
MAX_PREFIX = 6
FOLDER = "search/datasets"
UNIT, RECORD = "\x1f", "\x1e"  # never in a token (letters and digits) nor in JSON text
# Past one entry in FEW changed, the postings are all encoded again (cheaper than editing).
FEW = 20
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
    """Collects each entry's tokens, then writes the index files. The tokens of every entry and
    the encoded postings are kept beside the site (`cache`, Python's marshal format): an entry
    whose page key (registry/site/reuse.py) is the last build's keeps its tokens without being
    read whole, and while no entry moves in the listing order only the postings of the tokens a
    changed entry gained or lost are encoded again. A shard or record file is keyed by what it
    is made from, and made only when that changed."""

    def __init__(self, listed: list[dict], keys: dict[str, str], cache: Path):
        self.listed, self.keys, self.cache = listed, keys, cache
        self.order = [entry["id"] for entry in listed]
        self.old = _load(cache)
        self.tokens: dict[str, tuple] = {}
        for entry_id in self.order:
            kept = self.old["tokens"].get(entry_id)
            if kept is not None and kept[0] == keys[entry_id]:
                self.tokens[entry_id] = kept

    def missing(self) -> set[str]:
        """The entries whose tokens must be read from the entry whole (`add`)."""
        return set(self.order) - set(self.tokens)

    def add(self, entry: dict) -> None:
        """Index one whole entry (registry.read.entries chunks)."""
        # Interned: the same token in many entries is one string, not one an entry (at 100,000
        # entries the tokens held until the index is written were most of the site build's memory).
        in_name = set(map(sys.intern, tokens(entry["name"] or entry["id"])))
        other = set(map(sys.intern, tokens(searched_text(entry)))) - in_name
        self.tokens[entry["id"]] = (
            self.keys[entry["id"]],
            tuple(sorted(in_name)),
            tuple(sorted(other)),
        )

    def write(self, record) -> dict:
        """Write the index under the site's search/datasets (record: registry.site.reuse's
        SiteRecord, which writes only files whose bytes changed); returns its sizes."""
        encoded = self._encoded()
        shards = _split(sorted(encoded), {t: len(v) + len(t) + 4 for t, v in encoded.items()}, "")
        prefixes = []
        for i, (prefix, members) in enumerate(shards):
            prefixes.append(prefix)
            # A shard's bytes are made from its tokens and their postings alone.
            made_of = UNIT.join(members) + RECORD + UNIT.join(map(encoded.__getitem__, members))
            shard = partial(_shard, members, encoded)
            record.put_made(f"{FOLDER}/t-{i}.json", _key(made_of), shard)
        for k in range(0, len(self.listed), CHUNK):
            chunk = self.listed[k : k + CHUNK]
            # A chunk's bytes are made from the facts _record takes of its entries, in order.
            made_of = repr([_shown(entry) for entry in chunk])
            records = partial(_records, chunk)
            record.put_made(f"{FOLDER}/r-{k // CHUNK}.json", _key(made_of), records)
        manifest = {"count": len(self.listed), "chunk": CHUNK, "shards": prefixes}
        record.put(f"{FOLDER}/index.json", _compact(manifest).encode("utf-8"))
        _save(self.cache, {"order": self.order, "tokens": self.tokens, "encoded": encoded})
        return {"tokens": len(encoded), "shards": len(prefixes)}

    def _encoded(self) -> dict[str, str]:
        """{token: its two posting lists as JSON}: while the order is the last build's and few
        entries changed, only the tokens a changed entry gained or lost are encoded again (its
        number is the same, so the postings of the tokens it kept are too); else all."""
        old_tokens = self.old["tokens"]
        changed = [i for i in self.order if old_tokens.get(i) is not self.tokens[i]]
        if self.old["order"] != self.order or len(changed) > max(1, len(self.order) // FEW):
            return {token: _gaps(lists) for token, lists in self._postings(self.order).items()}
        number = {entry_id: n for n, entry_id in enumerate(self.order)}
        # token -> ({entry number: in the name list now}, {...: in the other list now})
        edits: dict[str, tuple[dict[int, bool], dict[int, bool]]] = {}
        for entry_id in changed:
            before = old_tokens.get(entry_id) or (None, (), ())
            after = self.tokens[entry_id]
            for which in (0, 1):
                now = set(after[which + 1])
                for token in now.symmetric_difference(before[which + 1]):
                    edits.setdefault(token, ({}, {}))[which][number[entry_id]] = token in now
        encoded = self.old["encoded"]
        for token, both in edits.items():
            old = _numbers(encoded.get(token))
            lists = tuple(
                [n for n in old[i] if n not in both[i]] + [n for n, on in both[i].items() if on]
                for i in (0, 1)
            )
            if lists[0] or lists[1]:
                encoded[token] = _gaps(lists)
            else:
                encoded.pop(token, None)
        return encoded

    def _postings(self, order: list[str]) -> dict[str, tuple[array, array]]:
        postings: dict[str, tuple[array, array]] = {}
        for n, entry_id in enumerate(order):
            _, in_name, other = self.tokens[entry_id]
            for which, found in ((0, in_name), (1, other)):
                for token in found:
                    lists = postings.get(token)
                    if lists is None:
                        lists = postings[token] = (array("I"), array("I"))
                    lists[which].append(n)
        return postings


def _numbers(encoded: str | None) -> tuple[list[int], list[int]]:
    """Posting lists back from their gaps."""
    if encoded is None:
        return [], []
    return tuple(list(accumulate(gaps)) for gaps in json.loads(encoded))


def _load(cache: Path) -> dict:
    """The last build's tokens and postings, or none (a missing or unreadable cache, or one of
    another Python's marshal format, only means every entry is tokenised again)."""
    empty = {"order": None, "tokens": {}, "encoded": {}}
    try:
        found = marshal.loads(cache.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return empty
    if not isinstance(found, dict) or set(found) != set(empty):
        return empty
    return found


def _save(cache: Path, state: dict) -> None:
    staged = cache.with_name(cache.name + ".tmp")
    staged.write_bytes(marshal.dumps(state))
    os.replace(staged, cache)


def _key(made_of: str) -> str:
    """A file's key in the site record: a digest of what its bytes are made from."""
    return "made:" + hashlib.sha256(made_of.encode("utf-8")).hexdigest()


def _shard(members: list[str], encoded: dict[str, str]) -> bytes:
    """A shard file: its tokens with their postings."""
    return ("{" + ",".join(f"{json.dumps(t)}:{encoded[t]}" for t in members) + "}").encode("utf-8")


def _shown(entry: dict) -> tuple:
    """What an entry's search record (_record) is made from."""
    c = entry["classification"]["category"]
    return (entry["id"], entry["name"], entry["summary"], c, entry.get("origin"))


def _records(chunk: list[dict]) -> bytes:
    return _compact([_record(entry) for entry in chunk]).encode("utf-8")


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
