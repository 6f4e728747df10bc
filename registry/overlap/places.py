"""Which country a word names ("Canadian", "Malaysia", "Nunavut", "UK"), for reading a dataset's
name qualified by a place: "the Canadian Hansard" is Canada's parliament's record, not the UK's.

Read from pycountry's own ISO 3166 tables as plain JSON (as kind.language_names reads ISO 639):
country names, their demonyms as English forms them from the name ("Canada" → "Canadian",
"Malaysia" → "Malaysian", "Japan" → "Japanese"), and the states, provinces and territories whose
name is one country's only ("Nunavut"; "Central" is a province of several countries and says
none).
"""

from __future__ import annotations

import json
from collections.abc import Container
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

# The short forms a description writes, as written (the word "us" is no place).
ABBREVIATIONS = {"UK": "GB", "U.K": "GB", "US": "US", "U.S": "US", "USA": "US"}
SUBDIVISION_TYPES = frozenset({"State", "Province", "Territory"})
# Subdivision names that are ordinary English words before a name ("Delta Lake", "Unity"), and
# names too short to trust.
NOT_PLACES = frozenset({"delta", "gulf", "lakes", "unity", "norte", "leste", "como", "mon"})
MIN_CHARACTERS = 4
# How English forms a demonym from a country's name, after its last letter or without it
# ("Brazil-ian", "Malaysia-n", "Japan-ese", "Canad-ian", "Ital-ian", "German-y", "Pakistan-i").
WHOLE_ENDINGS = ("", "n", "an", "ian", "ese", "i")
CUT_ENDINGS = ("an", "ian", "ese")


def _table(name: str) -> list[dict]:
    folder = Path(find_spec("pycountry").origin).parent
    data = json.loads((folder / "databases" / name).read_text(encoding="utf-8"))
    return next(iter(data.values()))


def _demonyms(name: str) -> set[str]:
    forms = {name + ending for ending in WHOLE_ENDINGS}
    if name[-1] in "aeoy":
        forms |= {name[:-1] + ending for ending in CUT_ENDINGS}
    if name.endswith("y"):  # "Germany" → "German"
        forms.add(name[:-1])
    return forms


@lru_cache(maxsize=1)
def place_names() -> dict[str, str]:
    """Lowercase place name (one or more words) → the ISO 3166-1 code of its country."""
    places: dict[str, str] = {}
    countries = _table("iso3166-1.json")
    for country in countries:
        for key in ("name", "common_name", "official_name"):
            name = country.get(key, "")
            if not name or "," in name or "(" in name:
                continue
            name = name.casefold()
            places.setdefault(name, country["alpha_2"])
            if " " not in name:
                for form in _demonyms(name):
                    places.setdefault(form, country["alpha_2"])
    owners: dict[str, set[str]] = {}
    for subdivision in _table("iso3166-2.json"):
        if subdivision["type"] in SUBDIVISION_TYPES:
            name = subdivision["name"].casefold()
            if "," in name or "(" in name:
                continue
            owners.setdefault(name, set()).add(subdivision["code"].split("-")[0])
    for name, codes in owners.items():
        if len(codes) == 1 and len(name) >= MIN_CHARACTERS and name not in NOT_PLACES:
            places.setdefault(name, next(iter(codes)))
    return places


def country_of(words: list[str]) -> str | None:
    """The country the written words name together ("United Kingdom", "Canadian"), or None."""
    if len(words) == 1 and words[0] in ABBREVIATIONS:
        return ABBREVIATIONS[words[0]]
    if not all(w[:1].isupper() for w in words):
        return None
    return place_names().get(" ".join(words).casefold())


def countries_in(text: str, longest: int = 3, not_alone: Container[str] = frozenset()) -> set[str]:
    """The countries a text names anywhere ("UK House of Commons" → GB); a word of `not_alone`
    (casefolded: a language's name, "Japanese") names none on its own."""
    words = text.split()
    found = set()
    for start in range(len(words)):
        for length in range(1, longest + 1):
            phrase = [w.strip(".,;:()[]\"'") or w for w in words[start : start + length]]
            if length == 1 and phrase[0].casefold() in not_alone:
                continue
            if len(phrase) == length and (code := country_of(phrase)):
                found.add(code)
    return found
