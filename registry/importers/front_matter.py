"""A dataset card's YAML front matter, read key by key: only the keys an importer uses.

Cards on the Hub carry long `dataset_info` and `configs` blocks (the OSCAR card's front
matter is 90 KB), and free Markdown bodies with text in every script, zero-width
joiners and bidi marks included. The strict YAML reader caps a document at 64 KiB and
refuses hidden characters; here each top-level key the importer uses is read on its
own (a long list item by item), so neither the size of unused blocks nor the body's
characters stop an import, and every value that is imported is still read strictly.
"""

from __future__ import annotations

import re

from registry.entry.errors import EntryError, EntryErrors
from registry.entry.strict_yaml import FORBIDDEN_CHARACTER, MAX_BYTES, YamlErrors, read

# A top-level key at column 0: `key:` or `"key":`, then a value or the end of the line.
TOP_KEY = re.compile(r"""^(?:"([^"\n]+)"|'([^'\n]+)'|([A-Za-z_][\w.-]*))[ \t]*:(?:[ \t]|$)""")


def blocks(front: str) -> list[tuple[str, int, list[str]]]:
    """(key, first line index, lines) of each top-level key; comments and blank lines stay
    with the block before them."""
    found: list[tuple[str, int, list[str]]] = []
    for index, line in enumerate(front.split("\n")):
        match = TOP_KEY.match(line)
        if match:
            found.append((next(g for g in match.groups() if g), index, [line]))
        elif found:
            found[-1][2].append(line)
    return found


def read_keys(path: str, front: str, first_line: int, wanted: set[str]) -> tuple[dict, list[str]]:
    """The wanted keys' values, read strictly, and the names of the other keys (not read).

    `first_line` is the card line on which the front matter starts, for error positions."""
    values: dict = {}
    others: list[str] = []
    errors: list[EntryError] = []
    for key, index, lines in blocks(front):
        if key in values or key in others:
            errors.append(EntryError(path, first_line + index, 1, f"key `{key}` is repeated"))
            continue
        if key not in wanted:
            others.append(key)
            continue
        try:
            values[key] = _block_value(path, key, lines, first_line + index)
        except EntryErrors as problems:
            errors.extend(problems.errors)
    if errors:
        raise EntryErrors(errors)
    return values, others


def _block_value(path: str, key: str, lines: list[str], line: int):
    """One key's value; a list longer than the reader's cap is read one item at a time."""
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) <= MAX_BYTES:
        return _read(path, text, line)[key]
    items = _list_items(lines)
    if not items:
        message = (
            f"`{key}` is {len(text.encode('utf-8')):,} bytes; the importer reads at most "
            f"{MAX_BYTES // 1024} KiB of one key (shorten it, or delete it if it is not needed)"
        )
        raise EntryErrors([EntryError(path, line, 1, message)])
    value = []
    for offset, item in items:
        value.extend(_read(path, f"{key}:\n" + "\n".join(item) + "\n", line + offset - 1)[key])
    return value


def _list_items(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The items of a block list written under its key (`key:` then lines `- ...`)."""
    if lines[0].rstrip().split(":", 1)[1].strip():
        return []
    items: list[tuple[int, list[str]]] = []
    for offset, text in enumerate(lines[1:], start=1):
        indent = len(text) - len(text.lstrip(" "))
        if text.lstrip(" ").startswith("- ") or text.strip() == "-":
            if not items or indent <= _item_indent(items):
                items.append((offset, [text]))
                continue
        if not items:
            if text.strip() and not text.lstrip().startswith("#"):
                return []
            continue
        items[-1][1].append(text)
    return items


def _item_indent(items: list[tuple[int, list[str]]]) -> int:
    first = items[0][1][0]
    return len(first) - len(first.lstrip(" "))


def _read(path: str, text: str, line: int) -> dict:
    """Strict YAML of one block; positions as lines of the card."""
    try:
        document = read(path, text.encode("utf-8"))
    except YamlErrors as problems:
        raise EntryErrors(
            [EntryError(e.path, e.line + line - 1, e.col, e.message) for e in problems.errors]
        ) from None
    return document.value or {}


def visible(body: str) -> tuple[str, list[int]]:
    """The card body without hidden characters, and the lines where some were removed.

    The body is read only for its heading, summary and links; a zero-width joiner in a
    Persian sample sentence elsewhere is no reason to refuse the card."""
    lines = sorted({body.count("\n", 0, m.start()) + 1 for m in FORBIDDEN_CHARACTER.finditer(body)})
    return FORBIDDEN_CHARACTER.sub("", body), lines
