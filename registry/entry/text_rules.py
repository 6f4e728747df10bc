"""How every text value of an entry is written: composed (NFC), trimmed, one line unless long.

Kept apart from the schema so the loader's Unicode checks (spoofing.py) and the
schema's text types share one definition of each rule.
"""

from __future__ import annotations

import unicodedata


def nfc(value: object) -> object:
    """Text in its composed form (NFC), so `é` typed as e + U+0301 equals `é` (threat T25)."""
    if isinstance(value, str) and not value.isascii():
        return unicodedata.normalize("NFC", value)
    return value


def no_surrounding_space(value: str) -> str:
    if value != value.strip():
        raise ValueError("remove the spaces at the start or end")
    return value


def one_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(
            "must be one line: remove the line break (longer text belongs in description)"
        )
    return no_surrounding_space(value)


def drop_final_newline(value: object) -> object:
    """Long text may be a YAML block scalar (`|`), whose final newline is layout, not content."""
    return nfc(value.rstrip("\n")) if isinstance(value, str) else value
