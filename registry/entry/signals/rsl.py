"""RSL 1.0, Really Simple Licensing (RSL Technical Steering Committee, December 2025).

A site names its licence in robots.txt with `License: <absolute URL>` lines, which
belong to no group: every crawler reads them. The URL points to an XML document in
the namespace https://rslstandard.org/rsl:

    <rsl xmlns="https://rslstandard.org/rsl">
      <content url="/">
        <license>
          <permits type="usage">search</permits>
          <prohibits type="usage">ai-train</prohibits>
          <payment type="crawl"><amount currency="USD">0.015</amount></payment>
        </license>
      </content>
    </rsl>

Each `<content url>` names assets by a full URL or an RFC 9309 path pattern; the
longest matching pattern applies (as Allow and Disallow do). Its `<license>`
elements are alternatives a user may choose between, so for each use the most
open one counts. Inside one licence, `prohibits` wins over `permits`; when a
licence lists the uses it permits, the uses it leaves out are not permitted; a
licence that lists none covers every use. `<payment>` is absent or "free" for no
charge, "attribution" for credit, anything else ("purchase", "subscription",
"training", "crawl", "use", "contribution", "inference") for a paid licence; a
`server` on the content means a licence must be obtained from that server.

Usage tokens: `all` (any use), `ai-all` (ai-train, ai-input, ai-index),
`ai-train`, `ai-input`, `ai-index`, `search`. The IETF label `train-ai`, which the
RSL guide's AI Preferences example puts in `<permits>`, is read as `ai-train`.

What this module keeps for one path is a statement in RFC 9651 Dictionary form,
e.g. `ai-train=prohibited, search=free, ai-input=paid;payment=subscription`:
an entry can cite it and the classifier reads it back with the project's parser.
The XML is parsed by defusedxml with DTDs refused, so no entity expansion and no
external reference can be triggered by a hostile document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from registry.entry.signals.robots import path_matches
from registry.entry.signals.sfv import ParseError as StatementError
from registry.entry.signals.sfv import Token, parse_dictionary

NAMESPACE = "https://rslstandard.org/rsl"
MAX_BYTES = 256 * 1024
USAGES = ("ai-train", "ai-input", "ai-index", "search")
UMBRELLAS = {"all": USAGES, "ai-all": ("ai-train", "ai-input", "ai-index")}
ALIASES = {"train-ai": "ai-train"}
FREE_PAYMENTS = ("", "free")
# Statuses from most open to least; for one use, the most open licence on offer counts.
STATUSES = ("free", "attribution", "licensed", "paid", "not-permitted", "prohibited")


class RslError(ValueError):
    """The document is not a readable RSL licence: says why."""


@dataclass(frozen=True)
class Licence:
    permits: dict[str, tuple[str, ...]]  # type (usage, user, geo) → values
    prohibits: dict[str, tuple[str, ...]]
    payment: str  # "" when absent
    amounts: tuple[str, ...]  # "0.015 USD"


@dataclass(frozen=True)
class Content:
    url: str
    server: str | None
    licences: tuple[Licence, ...]


@dataclass(frozen=True)
class Term:
    status: str  # one of STATUSES
    payment: str = ""


def parse_document(data: bytes | str) -> tuple[Content, ...]:
    """Every `<content>` of an RSL document, or RslError saying why it cannot be read."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if len(data) > MAX_BYTES:
        raise RslError(f"larger than {MAX_BYTES // 1024} KiB")
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise RslError(
            f"refused: {type(error).__name__} (DTDs and entities are not read)"
        ) from None
    except (ParseError, ValueError) as error:
        raise RslError(f"not well-formed XML ({error})") from None
    if root.tag != _name("rsl"):
        raise RslError(f"the root element is {root.tag!r}, not <rsl> in the {NAMESPACE} namespace")
    contents = tuple(_content(node) for node in root.findall(_name("content")))
    if not contents:
        raise RslError("no <content> element")
    return contents


def _name(local: str) -> str:
    return f"{{{NAMESPACE}}}{local}"


def _content(node: Element) -> Content:
    return Content(
        url=(node.get("url") or "").strip(),
        server=(node.get("server") or "").strip() or None,
        licences=tuple(_licence(child) for child in node.findall(_name("license"))),
    )


def _licence(node: Element) -> Licence:
    def listed(kind: str) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for child in node.findall(_name(kind)):
            values = [v.strip().lower() for v in (child.text or "").split(",") if v.strip()]
            found.setdefault((child.get("type") or "usage").strip().lower(), []).extend(values)
        return {kind_: tuple(values) for kind_, values in found.items()}

    payment = node.find(_name("payment"))
    amounts = ()
    if payment is not None:
        amounts = tuple(
            f"{(a.text or '').strip()} {a.get('currency') or ''}".strip()
            for a in payment.findall(_name("amount"))
        )
    return Licence(
        permits=listed("permits"),
        prohibits=listed("prohibits"),
        payment=((payment.get("type") or "free") if payment is not None else "").strip().lower(),
        amounts=amounts,
    )


def content_for(contents: tuple[Content, ...], url: str) -> Content | None:
    """The `<content>` whose URL pattern matches `url` longest (RFC 9309 matching); a full URL
    applies to its own scheme and host only, a path to the site that names the licence."""
    target = urlsplit(url)
    path = (target.path or "/") + (f"?{target.query}" if target.query else "")
    best: tuple[tuple[int, bool], Content] | None = None
    for content in contents:
        pattern = content.url
        full = bool(re.match(r"^https?://", pattern, re.IGNORECASE))
        if full:
            parts = urlsplit(pattern)
            if (parts.scheme.lower(), parts.netloc.lower()) != (
                target.scheme.lower(),
                target.netloc.lower(),
            ):
                continue
            pattern = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if pattern.startswith("/") and path_matches(pattern, path):
            score = (len(pattern.encode()), full)  # a full URL names its host: it wins a tie
            if best is None or score > best[0]:
                best = (score, content)
    return best[1] if best else None


def _covers(values: tuple[str, ...], usage: str) -> bool:
    for value in values:
        value = ALIASES.get(value, value)
        if value == usage or usage in UMBRELLAS.get(value, ()):
            return True
    return False


def _licence_term(licence: Licence, usage: str, server: str | None) -> Term:
    if _covers(licence.prohibits.get("usage", ()), usage):
        return Term("prohibited")
    permitted = licence.permits.get("usage")
    if permitted is not None and not _covers(permitted, usage):
        return Term("not-permitted")
    if licence.payment in FREE_PAYMENTS:
        return Term("licensed" if server else "free")
    if licence.payment == "attribution":
        return Term("attribution")
    return Term("paid", licence.payment)


def terms(content: Content) -> dict[str, Term]:
    """For each usage token, the most open term any of the content's licences offers."""
    found = {}
    for usage in USAGES:
        offered = [_licence_term(licence, usage, content.server) for licence in content.licences]
        if offered:
            found[usage] = min(offered, key=lambda term: STATUSES.index(term.status))
    return found


def statement(found: dict[str, Term]) -> str:
    """The terms as an RFC 9651 Dictionary: `ai-train=prohibited, ai-input=paid;payment=crawl`."""
    parts = []
    for usage, term in found.items():
        text = f"{usage}={term.status}"
        if term.payment and re.fullmatch(r"[a-z][a-z0-9_.-]*", term.payment):
            text += f";payment={term.payment}"
        parts.append(text)
    return ", ".join(parts)


def parse_statement(text: str) -> tuple[dict[str, Term], tuple[str, ...]]:
    """A statement read back: the terms per usage token, and what could not be read.

    `all` and `ai-all` stand for the tokens they cover; a token or status this module
    does not know is reported, never guessed."""
    try:
        members = parse_dictionary(text.strip())
    except StatementError as error:
        return {}, (f"does not parse as a structured-field dictionary ({error})",)
    found: dict[str, Term] = {}
    problems = []
    for key, member in members.items():
        status = str(member.value) if isinstance(member.value, Token) else None
        usage = ALIASES.get(key, key)
        usages = UMBRELLAS.get(usage) or ((usage,) if usage in USAGES else ())
        if not usages:
            problems.append(f"'{key}' is not an RSL usage token")
        elif status not in STATUSES:
            problems.append(f"'{key}' has no known status (one of {', '.join(STATUSES)})")
        else:
            payment = member.params.get("payment")
            for usage in usages:
                found[usage] = Term(status, str(payment) if isinstance(payment, str) else "")
    return found, tuple(problems)
