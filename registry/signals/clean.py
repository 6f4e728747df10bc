"""Text from a website, made safe to keep in an entry file and to print on a terminal.

A hostile site can put terminal escape sequences (which a terminal obeys), bidi
controls, NUL and other invisible characters into its robots.txt or headers.
Every such character (controls, format characters, line separators) is written
as a visible escape such as `\\x1b` or `\\u202e`: the record stays faithful and
readable, and an entry that keeps it still validates.
"""

from __future__ import annotations

import re
import unicodedata

from registry.entry.strict_yaml import FORMAT_CHARACTERS

UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{FORMAT_CHARACTERS}\\u2028\\u2029]")


def _escape(found: re.Match) -> str:
    code = ord(found.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """`text` in NFC with every control, format and separator character escaped."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return UNSAFE.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Several lines of output, each passed through `visible` (line breaks are kept)."""
    return "\n".join(visible(line) for line in text.split("\n"))
