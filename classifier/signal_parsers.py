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

from registry.entry.signals import aipref, ccsignals, content_signals, rsl, tdmrep
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
    """Cloudflare `Content-Signal: search=yes, ai-input=no, ai-train=no, use=reference`."""
    text = re.sub(r"^\s*content-signal\s*:\s*", "", text, flags=re.IGNORECASE)
    found = content_signals.parse(text)
    values = {name: "yes" if p == ALLOW else "no" for name, p in found.items()}
    use = content_signals.parse_use(text)
    if use:
        values["use"] = use
    return Parsed(values, {}, () if values else (f"'{text}' sets no content signal",))


def parse_rsl(text: str) -> Parsed:
    """RSL 1.0: a robots.txt `License: URL` pointer, or the terms read from the licence for
    one path, written as `ai-train=prohibited, search=paid;payment=crawl` (registry/entry/
    signals/rsl.py)."""
    pointer = re.fullmatch(r"\s*license\s*:\s*(\S+)\s*", text, flags=re.IGNORECASE)
    if pointer or re.fullmatch(r"\s*https?://\S+\s*", text, flags=re.IGNORECASE):
        url = pointer.group(1) if pointer else text.strip()
        return Parsed(
            {},
            {},
            (
                f"an RSL licence is declared at {url}; its terms were not read with this "
                "observation, so it changes nothing",
            ),
        )
    terms, problems = rsl.parse_statement(text)
    values = {usage: term.status for usage, term in terms.items()}
    params = {usage: {"payment": term.payment} for usage, term in terms.items() if term.payment}
    return Parsed(values, params, problems)


def parse_robots(text: str, crawlers: tuple[str, ...], usage_tokens: tuple[str, ...]) -> Parsed:
    """A robots.txt observation: the summary `Disallow for GPTBot, CCBot` written by
    `commons signals`, or robots.txt lines (a Disallow in a group for an AI user agent)."""
    agents, disallowed = [], []
    summary = re.fullmatch(r"\s*Disallow for (.+)", text, flags=re.IGNORECASE | re.DOTALL)
    if summary:
        disallowed = [a.strip() for a in summary.group(1).split(",")]
        text = ""
    grouping = False  # consecutive User-agent lines form one group (RFC 9309 s.2.1)
    for line in re.split(r"[\n;]|(?=User-agent:)|(?=Disallow:)", text, flags=re.IGNORECASE):
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            agents = agents + [value] if grouping else [value]
            grouping = True
            continue
        grouping = grouping and not name
        if name == "disallow" and value:
            disallowed.extend(agents)
    values, params = {}, {}
    # Product tokens match case-insensitively (RFC 9309 s.2.2.1); the rules' spelling is shown.
    said = {a.lower() for a in disallowed}
    for key, tokens in (("usage-token", usage_tokens), ("crawler", crawlers)):
        named = sorted({token for token in tokens if token.lower() in said})
        if named:
            values[key] = "disallowed"
            params[key] = {"agents": ", ".join(named)}
    if values:
        return Parsed(values, params, ())
    if "*" in said:
        return Parsed(
            {},
            {},
            (
                "robots.txt disallows every crawler it does not name (User-agent: *); that is "
                "access control, not a preference "
                "about how the content is used (RFC 9309 s.1), so it changes nothing",
            ),
        )
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
    if vocabulary == "rsl":
        return parse_rsl(text)
    return parse_robots(text, crawlers, usage_tokens)
