"""Unicode spoofing in ids and names (threat T25), found with the character's own position.

strict_yaml already refuses control, format (bidi, zero-width, tag) and line
separator characters anywhere in a file, and the schema puts every text value
in NFC. What depends on the field is checked here:

- ids (`id`, `aliases`, `derived_from`, `included_in`) are ASCII: a letter
  from another script is named, with the Latin letter it imitates;
- names (`name`, `publisher.name`) refuse the invisible letters and marks
  that are not format characters (Hangul fillers, the combining grapheme
  joiner, variation selectors, the braille blank), and a word whose letters
  come from several scripts when one of them imitates a letter of the other
  (`Wikipеdia` with a Cyrillic `е`): Unicode's confusables data, through
  the confusable-homoglyphs package;
- URL host names refuse the same look-alike letters (an IDN homograph such as
  `wikipеdia.org`, whose page is not Wikipedia's);
- a name whose words are in different scripts is a warning: usually honest
  (`Wikipedia Русский`), worth a look in review.

ASCII text needs none of this: every check starts with `str.isascii`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import NamedTuple

from registry.entry.yaml_file import YamlFile

ID_LISTS = ("aliases", "derived_from", "included_in")
NAME_FIELDS = (("name",), ("publisher", "name"))
INVISIBLE_LETTERS = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\ufe00-\ufe0f\uffa0"
    "\U000e0100-\U000e01ef]"
)
WORD = re.compile(r"\w+")
# Scripts written together in one word (UTS #39's augmented script sets), and marks that
# belong to every script.
SCRIPT_FAMILY = {"HIRAGANA": "HAN", "KATAKANA": "HAN", "HANGUL": "HAN", "BOPOMOFO": "HAN"}
ANY_SCRIPT = {"COMMON", "INHERITED"}


class Finding(NamedTuple):
    location: tuple
    line: int
    col: int
    message: str


def _named(character: str) -> str:
    """A character by its code point and name; a sequence (a letter and its combining mark) by
    each of its code points."""
    points = " ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}" for c in character)
    return f"'{character}' ({points})"


def _script(character: str) -> str:
    from confusable_homoglyphs import categories

    script = categories.alias(character)
    return SCRIPT_FAMILY.get(script, script)


def _look_alike(character: str, script: str) -> str | None:
    """The letter of `script` that `character` imitates, if Unicode lists one."""
    from confusable_homoglyphs import confusables

    found = confusables.is_confusable(character, greedy=True, preferred_aliases=[script.lower()])
    for item in found or []:
        for glyph in item["homoglyphs"]:
            if all(_script(c) in (script, *ANY_SCRIPT) for c in glyph["c"]):
                return glyph["c"]
    return None


def _id_problem(document: YamlFile, location: tuple, value: str) -> Finding | None:
    offset = next((i for i, c in enumerate(value) if not c.isascii()), None)
    if offset is None:
        return None
    character = value[offset]
    imitated = _look_alike(character, "LATIN")
    hint = f"; it looks like Latin '{imitated}': type that instead" if imitated else ""
    message = (
        f"{_field(location)}: {_named(character)} is not allowed in an id (ids use only a-z, "
        f"0-9 and '-'){hint}"
    )
    return Finding(location, *document.character_position(location, offset), message)


def _name_problems(document: YamlFile, location: tuple, value: str) -> list[Finding]:
    found = []
    for invisible in INVISIBLE_LETTERS.finditer(value):
        line, col = document.character_position(location, invisible.start())
        character = invisible.group()
        message = (
            f"{_field(location)}: invisible character U+{ord(character):04X} "
            f"{unicodedata.name(character, '')} is not allowed in a name; delete it"
        )
        found.append(Finding(location, line, col, message))
    return found + _look_alike_words(document, location, value)


def _look_alike_words(
    document: YamlFile, location: tuple, value: str, start: int = 0, end: int | None = None
) -> list[Finding]:
    """Letters imitating the script of the rest of their word, in value[start:end]."""
    found = []
    for word in WORD.finditer(value, start, len(value) if end is None else end):
        scripts = [_script(c) for c in word.group()]
        counts = Counter(s for s in scripts if s not in ANY_SCRIPT)
        if len(counts) < 2:
            continue
        main = max(counts, key=lambda s: (counts[s], s == "LATIN"))
        for index, (character, script) in enumerate(zip(word.group(), scripts, strict=True)):
            imitated = None if script in (main, *ANY_SCRIPT) else _look_alike(character, main)
            if imitated:
                line, col = document.character_position(location, word.start() + index)
                message = (
                    f"{_field(location)}: {_named(character)} in '{word.group()}' looks like "
                    f"{_named(imitated)}; write each word in one script"
                )
                found.append(Finding(location, line, col, message))
    return found


def _mixed_scripts(document: YamlFile, location: tuple, value: str) -> Finding | None:
    scripts = sorted({_script(c) for c in value if c.isalpha()} - ANY_SCRIPT)
    if len(scripts) < 2:
        return None
    line, col = document.position(location)
    names = ", ".join(s.title() for s in scripts)
    message = (
        f"{_field(location)}: '{value}' mixes scripts ({names}); check that every word is "
        "written in the script it looks like"
    )
    return Finding(location, line, col, message)


def _field(location: tuple) -> str:
    parts = [
        f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(location)
    ]
    return "".join(parts)


def check(document: YamlFile) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings) about look-alike and invisible characters in the ids and names."""
    value = document.value if isinstance(document.value, dict) else {}
    errors, warnings = [], []
    ids = [(("id",), value.get("id"))]
    for field in ID_LISTS:
        items = value.get(field)
        if isinstance(items, list):
            ids += [((field, index), item) for index, item in enumerate(items)]
    for location, text in ids:
        if isinstance(text, str) and not text.isascii():
            problem = _id_problem(document, location, text)
            errors += [problem] if problem else []
    for location in NAME_FIELDS:
        text = value.get(location[0])
        if len(location) == 2:
            text = text.get(location[1]) if isinstance(text, dict) else None
        if isinstance(text, str) and not text.isascii():
            problems = _name_problems(document, location, text)
            errors += problems
            mixed = None if problems else _mixed_scripts(document, location, text)
            warnings += [mixed] if mixed else []
    for location, url in _urls(value):
        if isinstance(url, str) and not url.isascii():
            errors += _host_problems(document, location, url)
    return errors, warnings


def _urls(value: dict):
    """(location, text) of every URL field of an entry."""
    yield ("homepage",), value.get("homepage")
    access, publisher = value.get("access"), value.get("publisher")
    if isinstance(access, dict) and isinstance(access.get("urls"), list):
        yield from ((("access", "urls", i), u) for i, u in enumerate(access["urls"]))
    if isinstance(publisher, dict):
        yield ("publisher", "url"), publisher.get("url")
    for field, key in (("licenses", "url"), ("evidence", "url"), ("signals", "source")):
        items = value.get(field)
        for index, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                yield (field, index, key), item.get(key)


def _host_problems(document: YamlFile, location: tuple, url: str) -> list[Finding]:
    """A look-alike letter in a URL's host name (an IDN homograph: `wikipеdia.org`)."""
    _, separator, rest = url.partition("://")
    start = url.find(rest) if separator else 0
    end = start + len(rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0])
    return _look_alike_words(document, location, url, start, end)
