"""AI-use preference signals: strict parsers per vocabulary, and the rule effects.

The vocabularies are read by the project's specification parsers
(registry.signals); this module turns what they read into key → value for the
rules. Anything malformed is "unknown" and is left out, never read as a refusal
(draft-ietf-aipref-vocab-07: unknown labels MUST be ignored; TDMRep: values
other than 0/1 count as unset).
Signals only lower: they cap the category and the uses they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from classifier.outcome import Outcome, cap
from classifier.result import Reason
from classifier.rules_data import RuleSet
from registry.entry.signals import aipref, ccsignals, content_signals, tdmrep
from registry.entry.signals.aipref import ALLOW, DISALLOW

_ANSWER = {ALLOW: "y", DISALLOW: "n"}


@dataclass(frozen=True)
class Parsed:
    """What a signal value says: key → value, plus parameters and notes on what was ignored."""

    values: dict
    params: dict
    ignored: tuple[str, ...]


def parse_aipref(text: str) -> Parsed:
    """An attach-05 statement (`train-ai=n, search=y`), read by the project's RFC 9651
    parser (registry.entry.signals.aipref): vocab-07 labels only, case-sensitive, non-token
    values unknown; CC-signal `exceptions` parameters are kept as conditions."""
    text = re.sub(r"^\s*content-usage\s*:\s*", "", text, flags=re.IGNORECASE)
    statement = aipref.parse(text)
    if statement.members is None:
        return Parsed(
            {},
            {},
            ("does not parse as a structured-field dictionary, so every preference is unknown",),
        )
    values = {label: _ANSWER[p] for label, p in statement.preferences.items() if p in _ANSWER}
    ignored = [
        f"'{label}' is not a vocab-07 label and is ignored"
        for label in statement.members
        if label not in aipref.CATEGORIES
    ]
    ignored += [
        f"'{label}' has no y/n token value, so it is unknown"
        for label, p in statement.preferences.items()
        if label in statement.members and p not in _ANSWER
    ]
    params = {x.label: {"exceptions": x.signal} for x in ccsignals.exceptions(statement)}
    return Parsed(values, params, tuple(ignored))


def parse_tdmrep(text: str) -> Parsed:
    """`tdm-reservation=1` (header, meta or tdmrep.json value); only 0 and 1 are valid."""
    match = re.search(r"tdm-reservation\"?\s*[:=]\s*\"?([^\s\",;}]*)", text, flags=re.IGNORECASE)
    if not match:
        return Parsed({}, {}, ("no tdm-reservation found",))
    value = tdmrep.reservation_value(match.group(1))
    if value is None:
        return Parsed(
            {},
            {},
            (f"tdm-reservation value '{match.group(1)}' is a protocol error and counts as unset",),
        )
    return Parsed({"tdm-reservation": value}, {}, ())


def parse_content_signals(text: str) -> Parsed:
    """Cloudflare `Content-Signal: search=yes, ai-train=no`
    (registry.entry.signals.content_signals)."""
    text = re.sub(r"^\s*content-signal\s*:\s*", "", text, flags=re.IGNORECASE)
    found = content_signals.parse(text)
    values = {name: "yes" if p == ALLOW else "no" for name, p in found.items()}
    return Parsed(values, {}, () if values else (f"'{text}' sets no content signal",))


def parse_robots(text: str, ai_tokens: tuple[str, ...]) -> Parsed:
    """A robots.txt observation: either the summary `Disallow for GPTBot, CCBot` written by
    `commons signals`, or robots.txt lines (a Disallow in a group for an AI user agent)."""
    agents, disallowed = [], []
    summary = re.fullmatch(r"\s*Disallow for (.+)", text, flags=re.IGNORECASE | re.DOTALL)
    if summary:
        named = [a.strip() for a in summary.group(1).split(",")]
        disallowed = [a for a in named if a in ai_tokens]
        text = ""
    for line in re.split(r"[\n;]|(?=User-agent:)|(?=Disallow:)", text, flags=re.IGNORECASE):
        name, _, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name == "user-agent":
            agents.append(value)
        elif name == "disallow" and value:
            disallowed.extend(a for a in agents if a in ai_tokens)
    if disallowed:
        return Parsed(
            {"disallow": "ai-crawler"},
            {"disallow": {"agents": ", ".join(sorted(set(disallowed)))}},
            (),
        )
    return Parsed({}, {}, ("no AI crawler is disallowed",))


def parse(vocabulary: str, text: str, rules: RuleSet) -> Parsed:
    return _parse(vocabulary, text, rules.robots_ai_tokens)


@lru_cache(maxsize=4096)
def _parse(vocabulary: str, text: str, robots_ai_tokens: tuple[str, ...]) -> Parsed:
    if vocabulary in ("ietf-aipref", "cc-signals"):
        return parse_aipref(text)
    if vocabulary == "tdmrep":
        return parse_tdmrep(text)
    if vocabulary == "content-signals":
        return parse_content_signals(text)
    return parse_robots(text, robots_ai_tokens)


_INDEX: dict = {}


def _index(rules: RuleSet) -> dict:
    """Signal rules by (vocabulary, key, value), built once per rule set."""
    found = _INDEX.get(id(rules))
    if found is None or found[0] is not rules:
        table: dict = {}
        for rule in rules.signal_rules:
            table.setdefault(
                (rule.when["vocabulary"], rule.when["key"], str(rule.when["value"])), []
            ).append(rule)
        found = _INDEX[id(rules)] = (rules, table)
    return found[1]


def apply(rules: RuleSet, outcome: Outcome, signals) -> tuple[Outcome, tuple[str, ...]]:
    """Lower the outcome by every enabled signal rule that fires; report conflicts."""
    if not signals:
        return outcome, ()
    conflicts: list[str] = []
    notes: list[str] = []
    by_key: dict[tuple[str, str], set] = {}
    licence_allows = outcome.category == "commons-by-default"
    before = outcome
    for signal in signals:
        parsed = parse(signal.vocabulary, signal.value, rules)
        notes.extend(
            f"Signal '{signal.value}' ({signal.vocabulary}): {why}" for why in parsed.ignored
        )
        for key, value in parsed.values.items():
            by_key.setdefault((signal.vocabulary, key), set()).add(value)
        index = _index(rules)
        fired = [
            rule
            for key, value in parsed.values.items()
            for rule in index.get((signal.vocabulary, key, value), ())
        ]
        for rule in fired:
            when, then = rule.when, rule.then
            text = rule.reason.format(
                signal=signal.value, observed=signal.observed.isoformat(), source=signal.source
            )
            if not then.get("enabled", True):
                notes.append(f"{rule.id} (not enabled in the rules): {text}")
                continue
            exceptions = parsed.params.get(when["key"], {}).get("exceptions")
            if exceptions:
                notes.append(
                    f"Signal exception '{exceptions}' (CC signal condition) recorded; vocab-07 "
                    "gives `exceptions` no defined meaning"
                )
            affected = {use: ("restricted", "conditional") for use in then["uses"]}
            outcome = cap(
                rules,
                outcome,
                then["cap"],
                affected,
                Reason(rule.id, text, rule.citation, f"cap:{then['cap']}"),
            )
            if licence_allows:
                conflicts.append(
                    f"{rule.id}: the licence ({before.label}) permits "
                    f"{', '.join(then['uses'])}, but the signal '{signal.value}' "
                    f"at {signal.source} asks not to; the category is capped as a policy "
                    "choice, the licence still applies"
                )
    for (vocabulary, key), values in sorted(by_key.items()):
        if len(values) > 1:
            conflicts.append(
                f"{vocabulary} signals disagree on '{key}' ({', '.join(sorted(values))}); the "
                "most restrictive applies"
            )
    if notes:
        outcome = replace(outcome, notes=outcome.notes + tuple(notes))
    return outcome, tuple(conflicts)
