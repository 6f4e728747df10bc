"""How every text value of an entry is written: composed (NFC), trimmed, one line unless long.

Kept apart from the schema so the loader's Unicode checks (spoofing.py) and the
schema's text types share one definition of each rule.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import html5


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


# HTML elements a description could carry. Only these count as tags, so `Vec<T>`, `List<String>`
# and `a < b` in a code dataset's description are not refused.
HTML_ELEMENTS = (
    "a abbr article aside audio b big blockquote body br button caption center cite code col "
    "colgroup dd del details div dl dt em embed figcaption figure font footer form h1 h2 h3 h4 h5 "
    "h6 head header hr html i iframe img input ins kbd label li link mark meta nav object ol "
    "option p picture pre q s samp script section select small source span strike strong style "
    "sub summary sup svg table tbody td textarea tfoot th thead title tr tt u ul var video"
).split()
# A tag of one of those elements, an HTML comment, or a named or numeric character reference.
HTML = re.compile(
    r"(?<!\\)</?(?:" + "|".join(HTML_ELEMENTS) + r")(?:\s[^<>]*)?/?>|<!--.*?-->"
    r"|(?<!\\)&(?:#[0-9]+|#[xX][0-9a-fA-F]+|"
    + "|".join(sorted((n[:-1] for n in html5 if n.endswith(";")), key=len, reverse=True))
    + ");",
    re.IGNORECASE | re.DOTALL,
)


def no_html(value: str) -> str:
    """Summaries and descriptions are plain text or Markdown; HTML would be shown as typed."""
    found = HTML.search(value)
    if found:
        before = value[: found.start()]
        line = before.count("\n") + 1
        col = found.start() - (before.rfind("\n") + 1) + 1
        where = f"line {line}, column {col} of the text" if "\n" in value else f"character {col}"
        raise ValueError(
            f"HTML is not allowed ({found.group()[:40]!r} at {where}): write plain text or "
            "Markdown (**bold**, [link](https://...)) and the character itself instead of an "
            "entity"
        )
    return value
