"""IETF AI preferences: draft-ietf-aipref-vocab-08 and draft-ietf-aipref-attach-05.

vocab-08 (September 2026) keeps the two categories and the processing of vocab-07
(ietf-wg-aipref/drafts@7ca0afc), whose section numbers are cited below. Labels of
earlier drafts (`train-genai`, `ai-use`, `all`, `bots`, `ai-output`) are unknown to
this parser, as the draft says; the classifier maps them with a note
(classifier/rules/signals.yaml).

A statement of preference is an RFC 9651 Dictionary such as `train-ai=n, search=y`.
Per vocab-07 §6.6: for each category, a Token `y` allows, a Token `n` disallows,
anything else (absent, a String, a Boolean, another Token) is unknown; unknown
labels and all parameters are ignored; a repeated key keeps its last value; a
Dictionary that fails to parse (including any uppercase key) makes every
category unknown. §7.1 combines several statements: any disallow wins, then
any allow, else unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.entry.signals.sfv import Member, ParseError, Token, parse_dictionary

ALLOW = "allow"
DISALLOW = "disallow"
UNKNOWN = "unknown"

# vocab-07 §6.1, Table 1 (unchanged in vocab-08): category labels (case-sensitive).
CATEGORIES = ("train-ai", "search")


@dataclass(frozen=True)
class Statement:
    """One parsed statement: a preference per category, plus the parsed members."""

    preferences: dict[str, str]
    members: dict[str, Member] | None  # None when the Dictionary failed to parse

    def __getitem__(self, category: str) -> str:
        return self.preferences[category]


def parse(value: str | bytes) -> Statement:
    """Preferences from one serialized statement (vocab-07 §6.6)."""
    try:
        members = parse_dictionary(value)
    except ParseError:
        return Statement({category: UNKNOWN for category in CATEGORIES}, None)
    return Statement(
        {category: _preference(members.get(category)) for category in CATEGORIES}, members
    )


def _preference(member: Member | None) -> str:
    if member is None or not isinstance(member.value, Token):
        return UNKNOWN
    return {"y": ALLOW, "n": DISALLOW}.get(str(member.value), UNKNOWN)


def combine(preferences: list[str]) -> str:
    """vocab-07 §7.1: the most restrictive preference applies."""
    if DISALLOW in preferences:
        return DISALLOW
    if ALLOW in preferences:
        return ALLOW
    return UNKNOWN


def combine_statements(statements: list[Statement]) -> dict[str, str]:
    return {
        category: combine([s.preferences[category] for s in statements]) for category in CATEGORIES
    }
