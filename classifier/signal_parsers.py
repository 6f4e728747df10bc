"""Reading an observed signal value in each vocabulary's real forms.

The vocabularies are read by the project's specification parsers (registry.signals);
this module turns what they read into key → value for the rules, and says in
`ignored` what could not be read, so that nothing is dropped silently. Malformed
values are "unknown" and never read as a refusal (draft-ietf-aipref-vocab-08: a
parse failure makes every preference unknown; TDMRep: values other than 0/1 are unset).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from registry.entry.signals import aipref, ccsignals, content_signals, tdmrep
from registry.entry.signals.aipref import ALLOW
from registry.entry.signals.sfv import Token


@dataclass(frozen=True)
class Parsed:
    """What a signal value says: key → value, parameters, and what was not read."""

    values: dict
    params: dict
    ignored: tuple[str, ...]


def parse_aipref(text: str) -> Parsed:
    """A Content-Usage statement (`train-ai=n, search=y`, `ai-use=n;exceptions=cc-cr`),
    read by the project's RFC 9651 parser. Every label with a y/n Token is kept; which
    labels mean something is the rules' business (classifier/rules/signals.yaml)."""
    text = re.sub(r"^\s*content-usage\s*:\s*", "", text, flags=re.IGNORECASE)
    statement = aipref.parse(text)
    if statement.members is None:
        return Parsed(
            {},
            {},
            (
                "does not parse as a structured-field dictionary (keys are lowercase), so every "
                "preference is unknown",
            ),
        )
    values, ignored = {}, []
    for label, member in statement.members.items():
        if isinstance(member.value, Token) and str(member.value) in ("y", "n"):
            values[label] = str(member.value)
        else:
            ignored.append(f"'{label}' has no y/n token value, so it is unknown")
    params = {x.label: {"exceptions": x.signal} for x in ccsignals.exceptions(statement)}
    return Parsed(values, params, tuple(ignored))


_HEADER = re.compile(r"tdm-reservation\"?\s*[:=]\s*\"?([^\s\",;}]*)", re.IGNORECASE)


def parse_tdmrep(text: str, source: str) -> Parsed:
    """TDMRep in any of its forms: a bare `1`, a header `tdm-reservation: 1`, an HTML
    `<meta name="tdm-reservation" content="1">`, or a tdmrep.json array (the rule
    matching the source's path applies)."""
    value = text.strip()
    raw = value
    if value.startswith("<"):
        found = tdmrep.from_html(value)
        if found is None:
            return Parsed({}, {}, ("no valid tdm-reservation meta tag in the HTML",))
        raw = found.reservation
    elif value.startswith("["):
        path = urlsplit(source).path or "/"
        found = tdmrep.from_file(value, path)
        if found is None:
            return Parsed({}, {}, (f"no tdmrep.json rule with a valid value matches {path}",))
        raw = found.reservation
    elif value not in ("0", "1"):
        match = _HEADER.search(value)
        if not match:
            return Parsed({}, {}, ("no tdm-reservation value found",))
        raw = match.group(1)
    reservation = tdmrep.reservation_value(raw)
    if reservation is None:
        return Parsed(
            {}, {}, (f"tdm-reservation value '{raw}' is a protocol error and counts as unset",)
        )
    return Parsed({"tdm-reservation": reservation}, {}, ())


def parse_content_signals(text: str) -> Parsed:
    """Cloudflare `Content-Signal: search=yes, ai-input=no, ai-train=no`."""
    text = re.sub(r"^\s*content-signal\s*:\s*", "", text, flags=re.IGNORECASE)
    found = content_signals.parse(text)
    values = {name: "yes" if p == ALLOW else "no" for name, p in found.items()}
    return Parsed(values, {}, () if values else (f"'{text}' sets no content signal",))


def parse_robots(text: str, crawlers: tuple[str, ...], usage_tokens: tuple[str, ...]) -> Parsed:
    """A robots.txt observation: the summary `Disallow for GPTBot, CCBot` written by
    `commons signals`, or robots.txt lines (a Disallow in a group for an AI user agent)."""
    agents, disallowed = [], []
    summary = re.fullmatch(r"\s*Disallow for (.+)", text, flags=re.IGNORECASE | re.DOTALL)
    if summary:
        disallowed = [a.strip() for a in summary.group(1).split(",")]
        text = ""
    for line in re.split(r"[\n;]|(?=User-agent:)|(?=Disallow:)", text, flags=re.IGNORECASE):
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            agents.append(value)
        elif name == "disallow" and value:
            disallowed.extend(agents)
    values, params = {}, {}
    for key, tokens in (("usage-token", usage_tokens), ("crawler", crawlers)):
        named = sorted({a for a in disallowed if a in tokens})
        if named:
            values[key] = "disallowed"
            params[key] = {"agents": ", ".join(named)}
    if values:
        return Parsed(values, params, ())
    return Parsed({}, {}, ("no AI crawler or AI usage token is disallowed",))


@lru_cache(maxsize=4096)
def parse(
    vocabulary: str,
    text: str,
    source: str,
    crawlers: tuple[str, ...],
    usage_tokens: tuple[str, ...],
) -> Parsed:
    if vocabulary in ("ietf-aipref", "cc-signals"):
        return parse_aipref(text)
    if vocabulary == "tdmrep":
        return parse_tdmrep(text, source)
    if vocabulary == "content-signals":
        return parse_content_signals(text)
    return parse_robots(text, crawlers, usage_tokens)
