"""RFC 9651 structured-field Dictionaries, parsed by `http-sfv`, as the signal parsers read them.

AI preferences are Dictionaries. `parse_dictionary` gives each member as a
`Member` (its value and parameters); Tokens, Dates and Display Strings keep
their own types so that `train-ai=n` (a Token) is never mistaken for
`train-ai="n"` (a String). Any syntax error raises ParseError; callers treat
that as "preferences unknown".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import http_sfv
from http_sfv import DisplayString, Token

__all__ = ["Date", "DisplayString", "Member", "ParseError", "Token", "parse_dictionary"]
MAX_INPUT = 64 * 1024


class ParseError(ValueError):
    """The text is not a valid structured-field Dictionary."""


@dataclass(frozen=True)
class Date:
    seconds: int


@dataclass
class Member:
    """A Dictionary value: an item (or a list of items, for an Inner List) and its parameters."""

    value: object
    params: dict = field(default_factory=dict)


def parse_dictionary(data: str | bytes) -> dict[str, Member]:
    """Parse a Dictionary; a repeated key keeps its last value (Section 4.2.2)."""
    if isinstance(data, str):
        if not data.isascii():
            raise ParseError("not ASCII")
        data = data.encode("ascii")
    if len(data) > MAX_INPUT:
        raise ParseError("input too long")
    parsed = http_sfv.Dictionary()
    try:
        parsed.parse(data)
    except (ValueError, IndexError) as error:
        raise ParseError(str(error) or "not a structured-field Dictionary") from None
    return {key: _member(value) for key, value in parsed.items()}


def _member(node) -> Member:
    if isinstance(node, http_sfv.InnerList):
        return Member([_member(item) for item in node], _params(node.params))
    return Member(_value(node.value), _params(node.params))


def _params(params) -> dict:
    return {key: _value(value) for key, value in params.items()}


def _value(value):
    if isinstance(value, datetime):  # http-sfv reads a Date as local time: back to its seconds
        return Date(int(value.timestamp()))
    return value
