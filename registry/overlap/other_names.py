"""A catalog name read inside another dataset's name is that dataset's, not the entry's: a reader
who meets "the filtered Canadian Hansard Dataset" knows it is Canada's parliamentary record, not
the UK Parliament's Hansard the catalog holds, and that "the MAPA EUR-LEX dataset",
"ImageNet-Sketch" and "the Parallel Wikipedia Simplification (PWKP) corpus" are other datasets.
sameness.py then reads no sameness from these mentions.

- a qualifier that contradicts the entry's own facets: a country its name and summary never name
  (named_for_another; places.py);
- an acronym joined to the name, written alone elsewhere in the description and never by the
  entry ("... about MAPA"; named_by_acronym);
- a hyphen to another capitalised word (joins_another_name);
- a longer capitalised name around it, given its own acronym (inside_defined_name).
"""

from __future__ import annotations

import re

from registry.overlap.kind import language_names
from registry.overlap.places import countries_in, country_of

WORD = re.compile(r"[^\W_]+")

# The capitalised words right before a name read as its qualifier ("the Malaysia AI Hansard"), and
# what may stand between them: spaces, brackets and quotes, no comma or end of sentence.
QUALIFIER_WORDS = 3
QUALIFIER_GAP = re.compile(r"[\s\[\]()\"'“”‘’]*")
# A name joined by a hyphen to a capitalised word is another dataset's name ("ImageNet-Sketch",
# "ImageNet-Rendition"); a number or a lowercase word after it is not ("ImageNet-1k",
# "Wikipedia-based"), nor a word of content ("Wikipedia-Dataset").
COMPOUND = re.compile(r"-[A-Z][a-z]{2,}\b")
# The capitalised words joined to a name by spaces, before it and after it, and an acronym in
# brackets right after them ("Parallel Wikipedia Simplification (PWKP)").
CAPITALISED_RUN_BEFORE = re.compile(r"(?:[A-Z][\w]*[ ]){1,3}$")
CAPITALISED_RUN_AFTER = re.compile(r"((?:[ ][A-Z][\w]*){0,3})[ ]\(([A-Z]{3,})\)")
# An acronym joined to a name ("the MAPA EUR-LEX dataset") that the description also writes alone
# ("more information about MAPA"): the name of another project's dataset.
ACRONYM = re.compile(r"[A-Z]{3,}")


def another_s_names(index, text: str, names: list[str], entry_ids: set[str]) -> set[str]:
    """Which of the names the description writes for these entries it writes as another
    dataset's."""
    if not names:
        return set()
    countries, own_words = _facets(index, entry_ids)
    if countries and names_other_countries_only(text, countries):
        return set(names)
    return {
        n
        for n in names
        if named_for_another(text, n, countries) or named_by_acronym(text, n, own_words)
    }


def names_other_countries_only(text: str, countries: set[str]) -> bool:
    """The description names a country, never one the entry's own name and summary name
    ("debates of the Malaysian parliament (Hansard)" for the UK Parliament's Hansard): each of
    its names of the entry means that country's dataset of the name. A language's name is an
    edition, not a country ("Japanese Wikipedia")."""
    named = countries_in(text, not_alone=language_names())
    return bool(named) and not named & countries


def _key(name: str) -> str:
    return "".join(WORD.findall(name.casefold()))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def _facets(index, entry_ids: set[str]) -> tuple[set[str], set[str]]:
    """The countries the entries' own names and summaries name, and the words of those names and
    summaries."""
    countries, words = set(), set()
    for entry_id in entry_ids:
        row = index.position.get(entry_id)
        if row is None:
            continue
        index.entries.load({row})
        entry = index.entries[row]
        countries |= countries_in(f"{entry.name}. {entry.summary}")
        words |= set(_words(f"{entry.name} {entry.summary}"))
    return countries, words


def named_for_another(text: str, name: str, countries: set[str]) -> bool:
    """The description writes the name qualified by a country other than every country the
    entry's own name and summary name ("the filtered Canadian Hansard Dataset", "The Malaysia AI
    Hansard Scrape" for the UK Parliament's Hansard): it names another country's dataset of the
    same name, and each of its mentions means that one, unless one is qualified by the entry's own
    country ("UK Hansard"). An entry that names no country is never contradicted, and a language's
    name is an edition, not a country ("the Romanian Wikipedia")."""
    if not countries:
        return False
    key = _key(name)
    tokens = list(WORD.finditer(text))
    lowered = [t.group().casefold() for t in tokens]
    other = False
    for start in range(len(tokens)):
        if not key.startswith(lowered[start]):  # no mention starts here
            continue
        for length in range(1, 7):
            if "".join(lowered[start : start + length]) != key:
                continue
            for found in _qualifiers(text, tokens, start):
                if found in countries:
                    return False
                other = True
    return other


def named_by_acronym(text: str, name: str, own_words: set[str]) -> bool:
    """An acronym joined to the name that the description also writes alone, and that the entry's
    own name and summary never use ("the MAPA EUR-LEX dataset" ... "about MAPA" for EUR-Lex): the
    name is part of another project's dataset name, in each of its mentions."""
    key = _key(name)
    tokens = list(WORD.finditer(text))
    lowered = [t.group().casefold() for t in tokens]
    joined: set[str] = set()
    for start in range(1, len(tokens)):
        if not key.startswith(lowered[start]):  # no mention starts here
            continue
        for length in range(1, 7):
            if "".join(lowered[start : start + length]) != key:
                continue
            before = tokens[start - 1]
            if (
                ACRONYM.fullmatch(before.group())
                and text[before.end() : tokens[start].start()] == " "
                and before.group().casefold() not in own_words
            ):
                joined.add(before.group())
    if not joined:
        return False
    alone = [
        t.group()
        for position, t in enumerate(tokens)
        if t.group() in joined
        and _key(" ".join(lowered[position + 1 : position + 7])).find(key) != 0
    ]
    return bool(alone)


def _qualifiers(text: str, tokens: list, start: int) -> list[str]:
    """The countries (ISO codes, "CA") the capitalised words right before tokens[start] name; a
    word that is a language's name ("Romanian", "Indonesian") names no country here."""
    run: list[str] = []
    end = tokens[start].start()
    for token in reversed(tokens[max(0, start - QUALIFIER_WORDS) : start]):
        word = token.group()
        if not word[:1].isupper() or not QUALIFIER_GAP.fullmatch(text[token.end() : end]):
            break
        run.insert(0, word)
        end = token.start()
    languages = language_names()
    found = []
    for first in range(len(run)):
        for last in range(first + 1, len(run) + 1):
            words = run[first:last]
            if len(words) == 1 and words[0].casefold() in languages:
                continue
            if code := country_of(words):
                found.append(code)
    return found


def inside_defined_name(text: str, start: int, end: int) -> bool:
    """The name stands inside a longer capitalised name, words on both sides, that the description
    gives its own acronym ("sentences from the Parallel Wikipedia Simplification (PWKP) corpus"):
    another dataset's. A name that only begins one ("PubMed Central (PMC) articles") may be a part
    of the entry's data."""
    before = CAPITALISED_RUN_BEFORE.search(text[max(0, start - 80) : start])
    after = CAPITALISED_RUN_AFTER.match(text[end : end + 120])
    inside = bool(before and before.group().strip()) and bool(after and after.group(1).strip())
    return inside and bool(after.group(2))


def joins_another_name(after: str, content_words: frozenset[str]) -> bool:
    """The name is joined by a hyphen to a capitalised word that makes another name
    ("ImageNet-Sketch"), not to a word of content (`content_words`: "Wikipedia-Dataset") or a
    language ("Wikipedia-Ukrainian"). `after`: the text right after the name."""
    joined = COMPOUND.match(after)
    if not joined:
        return False
    word = joined.group()[1:].casefold()
    return not (word in content_words or word in language_names())
