"""RFC 9651 structured-field Dictionary parsing (Section 4.2.2), to the letter.

AI preferences are Dictionaries, so only what a Dictionary can hold is parsed:
Items and Inner Lists with Parameters, and every Bare Item type. Any syntax
error raises ParseError; callers treat that as "preferences unknown".
"""

from __future__ import annotations

import base64
import re
import string
from dataclasses import dataclass, field

LCALPHA = string.ascii_lowercase
KEY_START = LCALPHA + "*"
KEY_CHARS = LCALPHA + string.digits + "_-.*"
TCHAR = "!#$%&'*+-.^_`|~" + string.ascii_letters + string.digits
TOKEN_CHARS = TCHAR + ":/"
BASE64_CHARS = string.ascii_letters + string.digits + "+/="
MAX_INPUT = 64 * 1024


class ParseError(ValueError):
    """The text is not a valid structured-field Dictionary."""


class Token(str):
    """A Token bare item (distinct from a String with the same characters)."""

    def __repr__(self):
        return f"Token({str.__repr__(self)})"


@dataclass(frozen=True)
class Date:
    seconds: int


@dataclass(frozen=True)
class DisplayString:
    text: str


@dataclass
class Member:
    """A Dictionary value: an item (or a list of items, for an Inner List) and its parameters."""

    value: object
    params: dict = field(default_factory=dict)


def parse_dictionary(data: str | bytes) -> dict[str, Member]:
    """Parse a Dictionary; a repeated key keeps its last value (Section 4.2.2)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("ascii")
        except UnicodeDecodeError:
            raise ParseError("not ASCII") from None
    if len(data) > MAX_INPUT:
        raise ParseError("input too long")
    if any(not (0x20 <= ord(c) <= 0x7E or c == "\t") for c in data):
        raise ParseError("non-ASCII or control character")
    parser = _Parser(data.lstrip(" "))
    result = parser.dictionary()
    parser.skip(" ")
    if parser.rest:
        raise ParseError(f"unexpected {parser.rest[:1]!r}")
    return result


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0

    @property
    def rest(self) -> str:
        return self.text[self.pos :]

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def take(self) -> str:
        char = self.peek()
        self.pos += 1
        return char

    def skip(self, chars: str):
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def dictionary(self) -> dict[str, Member]:
        members: dict[str, Member] = {}
        while self.peek():
            key = self.key()
            if self.peek() == "=":
                self.pos += 1
                member = self.item_or_inner_list()
            else:
                member = Member(True, self.parameters())
            members.pop(key, None)
            members[key] = member
            self.skip(" \t")
            if not self.peek():
                return members
            if self.take() != ",":
                raise ParseError("expected ',' between members")
            self.skip(" \t")
            if not self.peek():
                raise ParseError("trailing comma")
        return members

    def item_or_inner_list(self) -> Member:
        if self.peek() == "(":
            return self.inner_list()
        value = self.bare_item()
        return Member(value, self.parameters())

    def inner_list(self) -> Member:
        self.pos += 1
        items = []
        while self.peek():
            self.skip(" ")
            if self.peek() == ")":
                self.pos += 1
                return Member(items, self.parameters())
            value = self.bare_item()
            items.append(Member(value, self.parameters()))
            if self.peek() not in (" ", ")"):
                raise ParseError("expected space or ')' in inner list")
        raise ParseError("unterminated inner list")

    def parameters(self) -> dict:
        params: dict = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip(" ")
            key = self.key()
            value: object = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare_item()
            params.pop(key, None)
            params[key] = value
        return params

    def key(self) -> str:
        if not self.peek() or self.peek() not in KEY_START:
            raise ParseError(f"key must start with a lowercase letter or '*', got {self.peek()!r}")
        start = self.pos
        while self.peek() and self.peek() in KEY_CHARS:
            self.pos += 1
        return self.text[start : self.pos]

    def bare_item(self):
        char = self.peek()
        if char == "-" or char.isdigit() and char:
            return self.number()
        if char == '"':
            return self.string()
        if char == "*" or (char and char in string.ascii_letters):
            return self.token()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            return self.boolean()
        if char == "@":
            self.pos += 1
            value = self.number()
            if not isinstance(value, int):
                raise ParseError("date must be an integer")
            return Date(value)
        if char == "%":
            return self.display_string()
        raise ParseError(f"unexpected {char!r} where a value was expected")

    def number(self):
        match = re.match(r"-?(\d+)(\.(\d*))?", self.rest)
        if not match:
            raise ParseError("expected a digit")
        integer, fraction = match.group(1), match.group(3)
        self.pos += match.end()
        if match.group(2) is None:
            if len(integer) > 15:
                raise ParseError("integer too long")
            return int(match.group(0))
        if len(integer) > 12 or not fraction or len(fraction) > 3:
            raise ParseError("invalid decimal")
        return float(match.group(0))

    def string(self) -> str:
        self.pos += 1
        out = []
        while self.peek():
            char = self.take()
            if char == "\\":
                nxt = self.take()
                if nxt not in ('"', "\\"):
                    raise ParseError("invalid escape in string")
                out.append(nxt)
            elif char == '"':
                return "".join(out)
            elif not (0x20 <= ord(char) <= 0x7E):
                raise ParseError("invalid character in string")
            else:
                out.append(char)
        raise ParseError("unterminated string")

    def token(self) -> Token:
        start = self.pos
        self.pos += 1
        while self.peek() and self.peek() in TOKEN_CHARS:
            self.pos += 1
        return Token(self.text[start : self.pos])

    def byte_sequence(self) -> bytes:
        self.pos += 1
        end = self.text.find(":", self.pos)
        if end < 0:
            raise ParseError("unterminated byte sequence")
        content = self.text[self.pos : end]
        if any(c not in BASE64_CHARS for c in content):
            raise ParseError("invalid base64")
        self.pos = end + 1
        try:
            return base64.b64decode(content + "=" * (-len(content) % 4))
        except ValueError:
            raise ParseError("invalid base64") from None

    def boolean(self) -> bool:
        self.pos += 1
        char = self.take()
        if char not in ("0", "1"):
            raise ParseError("boolean must be ?0 or ?1")
        return char == "1"

    def display_string(self) -> DisplayString:
        if self.text[self.pos : self.pos + 2] != '%"':
            raise ParseError("expected '%\"'")
        self.pos += 2
        raw = bytearray()
        while self.peek():
            char = self.take()
            if char == "%":
                digits = self.text[self.pos : self.pos + 2]
                if len(digits) != 2 or any(d not in "0123456789abcdef" for d in digits):
                    raise ParseError("invalid percent escape")
                raw.append(int(digits, 16))
                self.pos += 2
            elif char == '"':
                try:
                    return DisplayString(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    raise ParseError("display string is not UTF-8") from None
            else:
                raw.extend(char.encode("ascii"))
        raise ParseError("unterminated display string")
