"""W3C TDMRep (TDM Reservation Protocol, CG Final Report; w3c/tdm-reservation-protocol@452fac9).

`tdm-reservation` 1 reserves TDM rights (the EU DSM Art. 4(3) opt-out), 0 does
not; any other value is a protocol error and counts as unset. Three techniques,
in rising priority: `/.well-known/tdmrep.json` (first matching rule in array
order, robots-style `*`/`$` patterns, case-sensitive), the HTTP header, and the
HTML `<meta name="tdm-reservation">`. A technique whose value is unset does
not override a lower one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser

from registry.entry.signals.robots import path_matches

RESERVED = "1"
NOT_RESERVED = "0"


@dataclass(frozen=True)
class Declaration:
    reservation: str  # "1" or "0"
    policy: str | None
    technique: str  # meta | header | file
    location: str | None = None  # the matching tdmrep.json location


def reservation_value(raw) -> str | None:
    """'1' or '0' for a valid value; None (unset) for anything else."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        raw = str(raw)
    if isinstance(raw, str) and raw.strip() in (RESERVED, NOT_RESERVED):
        return raw.strip()
    return None


def from_headers(headers: dict[str, str]) -> Declaration | None:
    value = reservation_value(headers.get("tdm-reservation"))
    if value is None:
        return None
    return Declaration(value, headers.get("tdm-policy"), "header")


def from_file(data: bytes | str, path: str) -> Declaration | None:
    """The first rule of tdmrep.json whose location matches `path`."""
    try:
        rules = json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(rules, list):
        return None
    for rule in rules:
        if not isinstance(rule, dict) or not isinstance(rule.get("location"), str):
            continue
        location = rule["location"]
        if not location.startswith("/") or not path_matches(location, path):
            continue
        value = reservation_value(rule.get("tdm-reservation"))
        if value is None:
            return None
        policy = rule.get("tdm-policy") if isinstance(rule.get("tdm-policy"), str) else None
        return Declaration(value, policy, "file", location)
    return None


class _MetaReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "meta":
            return
        attributes = {name.lower(): value for name, value in attrs if value is not None}
        name = attributes.get("name", "").strip().lower()
        if (
            name in ("tdm-reservation", "tdm-policy")
            and name not in self.found
            and "content" in attributes
        ):
            self.found[name] = attributes["content"]


HTML_LIMIT = 256 * 1024


def from_html(html: bytes | str) -> Declaration | None:
    """The tdm meta tags of a page; only the head (at most 256 KiB) is read."""
    if isinstance(html, bytes):
        html = html[:HTML_LIMIT].decode("utf-8", "replace")
    html = html[:HTML_LIMIT]
    end = html.lower().find("</head")
    if end >= 0:
        html = html[:end]
    reader = _MetaReader()
    try:
        reader.feed(html)
        reader.close()
    except Exception:  # html.parser is lenient; never let a page crash a check
        return None
    value = reservation_value(reader.found.get("tdm-reservation"))
    if value is None:
        return None
    return Declaration(value, reader.found.get("tdm-policy"), "meta")


def effective(
    meta: Declaration | None, header: Declaration | None, file: Declaration | None
) -> Declaration | None:
    """Processing priority: meta supersedes header, which supersedes the file."""
    return meta or header or file
