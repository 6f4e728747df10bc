"""Reading untrusted JSON: every problem is an EntryError with a line and column.

Python's json module is safe from code execution but not from every trick:
duplicate keys silently keep the last value, NaN is accepted, deep nesting
raises RecursionError, and invisible characters pass through. Each of these is
refused here with a position.
"""

from __future__ import annotations

import json
import re

from registry.entry.errors import EntryError, EntryErrors
from registry.entry.strict_yaml import FORBIDDEN_CHARACTER

MAX_BYTES = 5 * 1024 * 1024


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def locate(text: str, key: str, occurrence: int = 1) -> tuple[int, int]:
    """Where `"key":` is written (the n-th time), or 1:1 when it cannot be found."""
    pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:")
    for count, match in enumerate(pattern.finditer(text), start=1):
        if count == occurrence:
            return position(text, match.start())
    return 1, 1


def decode(path: str, data: bytes, limit: int = MAX_BYTES, hidden_ok: bool = False) -> str:
    """Bytes to text: size cap, UTF-8, and no control or bidi characters (unless the caller
    reads only parts of the text and checks those: `hidden_ok`)."""
    if len(data) > limit:
        raise EntryErrors(
            [
                EntryError(
                    path, 1, 1, f"file is {len(data):,} bytes; the importer reads at most {limit:,}"
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, col = position(data[: error.start].decode("utf-8", "replace"), error.start)
        raise EntryErrors(
            [
                EntryError(
                    path,
                    line,
                    col,
                    f"file is not UTF-8 (byte 0x{data[error.start]:02x}); save it as UTF-8",
                )
            ]
        ) from None
    if hidden_ok:
        return text
    problems = [
        EntryError(
            path,
            *position(text, m.start()),
            f"character U+{ord(m.group()):04X} is not allowed (control, bidi or zero-width "
            "characters can hide text); delete it",
        )
        for m in FORBIDDEN_CHARACTER.finditer(text)
    ]
    if problems:
        raise EntryErrors(problems[:20])
    return text


def read_json(path: str, data: bytes, arrays: bool = False) -> tuple[object, str]:
    """Parse a JSON file strictly; return the value and the text (for later positions).

    The top level must be an object, or with `arrays` also an array (a DCAT-US v1.0
    catalog is an array of datasets)."""
    text = decode(path, data)
    seen_keys: dict[str, int] = {}
    duplicates: list[EntryError] = []

    def pairs(items):
        result = {}
        for key, value in items:
            if key in result:
                seen_keys[key] = seen_keys.get(key, 1) + 1
                line, col = locate(text, key, seen_keys[key])
                duplicates.append(
                    EntryError(
                        path, line, col, f"duplicate key '{key}' in one object; keep one of them"
                    )
                )
            result[key] = value
        return result

    def constant(name):
        raise ValueError(f"{name} is not valid JSON; write a number or null")

    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as error:
        raise EntryErrors(
            [EntryError(path, error.lineno, error.colno, f"invalid JSON: {error.msg}")]
        ) from None
    except RecursionError:
        raise EntryErrors([EntryError(path, 1, 1, "JSON nested too deeply")]) from None
    except ValueError as error:
        match = re.search(r"NaN|-?Infinity", text)
        line, col = position(text, match.start()) if match else (1, 1)
        raise EntryErrors([EntryError(path, line, col, f"invalid JSON: {error}")]) from None
    if duplicates:
        raise EntryErrors(duplicates)
    if not isinstance(value, dict) and not (arrays and isinstance(value, list)):
        raise EntryErrors(
            [
                EntryError(
                    path,
                    1,
                    1,
                    f"expected a JSON object at the top level, found {type(value).__name__}",
                )
            ]
        )
    return value, text
