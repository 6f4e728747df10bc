"""Catalog datasets named in a seller's description: "the Danish part of Europarl", "refined
from The Pile", "abstracts from PubMed".

A description that names a dataset says where its data comes from more surely than any shared
word. Each entry's name gives the names looked for: its parts around parentheses and slashes
("C4 (Colossal Clean Crawled Corpus)" gives "C4" and "Colossal Clean Crawled Corpus"), without
a leading "The" or version numbers. A name of one word counts only when the word is rare in
general language (`wordfreq`), so "Dolma" names a dataset and "Wikisource" does too, while a
name such as "Commons" would not. Words that say "a dataset" and nothing more ("dataset",
"data", "collection": the text module's stop words) never make a name.

An imported record's name is the repository name its uploader chose ("Dataset", "binary",
"forecasting", "full_dataset"): one such word names nothing a seller would mean, so those names
count only with two telling words ("Danish Handwriting"), curated names with one.
"""

from __future__ import annotations

import re

from registry.overlap.text import STOP_WORDS

PARTS = re.compile(r"\s*(?:\(|\)|/|:|,|;| - )\s*")
TOKEN = re.compile(r"[a-z0-9]+")
VERSION = re.compile(r"^v?\d+(?:\.\d+)*$")
MIN_CHARACTERS = 4
# A name written as one word ("CommonCrawl") or as a repository id ("code-search-net",
# "common_voice"): the word's parts joined are looked up too, when the word is that many
# characters long or more.
SPELLED = re.compile(r"(?<![\w-])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*(?![\w-])")
MIN_JOINED = 8
# Licence and format words are rare in general language but name no dataset.
NOT_NAMES = frozenset({"cc", "sa", "nc", "nd", "xml", "api", "json", "csv"})
# A one-word name at least this informative (weight 0.8: about as rare as "wikipedia").
ONE_WORD = 0.8
# A name followed by one of these names the software or file format of the same name, not the
# data ("converted to Dolma format", "the Dolma Toolkit", "dolma files").
TOOL_WORDS = frozenset(
    """format formats formatted file files toolkit tool tools sharding repository repo conversion
    library pipeline schema script scripts""".split()
)


def _normal(text: str) -> str:
    return " ".join(t for t in TOKEN.findall(text.casefold()))


def names_of(name: str, curated: bool = True) -> list[str]:
    """The normalised names an entry can be called by (fewer for an uploader's record)."""
    from registry.overlap.informative import word_weight  # wordfreq: only where names are made

    found = []
    for part in PARTS.split(name):
        words = [w for w in TOKEN.findall(part.casefold()) if not VERSION.match(w)]
        if words and words[0] == "the":
            words = words[1:]
        if not words:
            continue
        phrase = " ".join(words)
        telling = [w for w in words if w not in NOT_NAMES and w not in STOP_WORDS and len(w) >= 3]
        if not curated and len(telling) < 2:
            continue
        if len(words) >= 2 and any(word_weight(w) >= 1.0 for w in telling):
            found.append(phrase)
        elif len(words) == 1 and len(phrase) >= MIN_CHARACTERS and word_weight(phrase) >= ONE_WORD:
            if telling:
                found.append(phrase)
        elif curated and telling and (proper := _proper(part)):
            found.append(proper)
    return list(dict.fromkeys(found))


def _proper(part: str) -> str | None:
    """A curated name of common words ("The Pile", "The Stack v2", "The Common Pile v0.1") as
    written, capitals kept and versions dropped: it names the dataset only when a description
    writes it so ("text from The Pile"), never as the words ("the pile of papers"). A lone word
    keeps its "The"; a longer name is also found without it ("the Common Pile")."""
    words = [w for w in part.split() if not VERSION.match(w.casefold())]
    if words and words[0] == "The" and len(words) > 2:
        words = words[1:]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return None
    return " ".join(words)


class NameIndex:
    """Entries by the names they can be called by, looked up in a description in one pass."""

    def __init__(
        self,
        names: dict[str, str],
        uncurated: frozenset[str] = frozenset(),
        known: dict[tuple[str, bool], list[str]] | None = None,
    ):
        """`known`: names_of results of an earlier index (its `found`), not computed again: a
        resident build (registry/build/overlap_index.py) finds only the changed entries' names."""
        self.entries: dict[str, set[str]] = {}
        # names_of of each (name, curated) of these entries
        self.found: dict[tuple[str, bool], list[str]] = {}
        for entry_id, name in names.items():
            called = (name, entry_id not in uncurated)
            phrases = self.found.get(called)
            if phrases is None:
                phrases = (known or {}).get(called)
                if phrases is None:
                    phrases = names_of(*called)
                self.found[called] = phrases
            for phrase in phrases:
                self.entries.setdefault(phrase, set()).add(entry_id)
        self._index_lengths()

    @classmethod
    def from_phrases(cls, entries: dict[str, set[str]]) -> NameIndex:
        """An index made earlier (saved_index.py): each name → the ids of the entries it names."""
        index = cls({})
        index.entries = entries
        index._index_lengths()
        return index

    def _index_lengths(self) -> None:
        # Names kept as written (_proper) are found case for case, by one expression.
        proper = sorted((p for p in self.entries if p != p.casefold()), key=len, reverse=True)
        self.proper = (
            re.compile(r"(?<!\w)(" + "|".join(map(re.escape, proper)) + r")(?!\w)")
            if proper
            else None
        )
        # first word → the lengths, in words, of the names that start with it (longest first)
        self.lengths: dict[str, list[int]] = {}
        for phrase in self.entries:
            if phrase != phrase.casefold():
                continue
            words = phrase.split(" ")
            self.lengths.setdefault(words[0], []).append(len(words))
        for lengths in self.lengths.values():
            lengths[:] = sorted(set(lengths), reverse=True)
        # a name of several words → its words joined ("common crawl" → "commoncrawl")
        self.joined: dict[str, set[str]] = {}
        for phrase, ids in self.entries.items():
            if " " in phrase:
                joined = phrase.casefold().replace(" ", "")
                if len(joined) >= MIN_JOINED:
                    self.joined.setdefault(joined, set()).update(ids)

    def _joined_in(self, text: str, found: dict[str, str]) -> None:
        """Names written as one word ("CommonCrawl-2020-05") or as a repository id
        ("code-search-net"): the longest run of a word's first parts, hyphens and underscores
        dropped, that is a name's words joined (or, for a run of several parts, a one-word name)."""
        for match in SPELLED.finditer(text):
            if len(match.group()) < MIN_JOINED:  # too short to spell a joined name
                continue
            parts = re.split(r"[-_]", match.group())
            for length in range(len(parts), 0, -1):
                joined = "".join(parts[:length]).casefold()
                ids = self.joined.get(joined, set())
                if length > 1:  # a one-word name written as one word is read as a word already
                    ids = ids | self.entries.get(joined, set())
                if ids:
                    break
            end = match.start() + len("-".join(parts[:length]))
            after = _normal(text[end : end + 40]).split(" ")[0]
            for entry_id in sorted(ids) if after not in TOOL_WORDS else ():
                found.setdefault(entry_id, text[match.start() : end])

    def named_in(self, text: str) -> dict[str, str]:
        """entry id → the name the text uses for it.

        Names and text are both words joined by single spaces (_normal): reading the text's
        words from left to right, the longest name that starts at a word is taken and the
        reading goes on after it, as a regular expression of every name would match. A name
        followed by a word of TOOL_WORDS is read and names nothing. A word names the name its parts
        spell, written without spaces (SPELLED)."""
        words = _normal(text[:20000]).split(" ")
        found: dict[str, str] = {}
        position = 0
        while position < len(words):
            step = 1
            for length in self.lengths.get(words[position], ()):
                phrase = " ".join(words[position : position + length])
                if phrase in self.entries:
                    after = words[position + length] if position + length < len(words) else ""
                    for entry_id in sorted(self.entries[phrase]) if after not in TOOL_WORDS else ():
                        found.setdefault(entry_id, phrase)
                    step = length
                    break
            position += step
        self._joined_in(text[:20000], found)
        for match in self.proper.finditer(text[:20000]) if self.proper else ():
            after = _normal(text[match.end() : match.end() + 40]).split(" ")[0]
            for entry_id in sorted(self.entries[match.group(1)]) if after not in TOOL_WORDS else ():
                found.setdefault(entry_id, match.group(1))
        return found
