"""IETF AI preferences: draft-ietf-aipref-vocab-08 and draft-ietf-aipref-attach-05.

vocab-08 (September 2026) has three categories: AI Training `train-ai` (§4.1), AI Use
`ai-use` (§4.2: an asset as input to a generative AI model, not provided directly by
the user; training excluded) and Search `search` (§4.3, which overrides the other two
for search applications). Sections are those of the working group's editor's copy,
ietf-wg-aipref/drafts@008bd890 (draft-ietf-aipref-vocab.md). `ai-use` was a label of
vocab-02, left the drafts in August 2025 (6a6d38a: vocab-03 to -07 have no AI Use) and
is back in vocab-08. Labels of earlier drafts that vocab-08 does not have (`train-genai`,
`all`, `bots`, `ai-output`) are unknown to this parser, as the draft says; the
classifier maps them with a note (classifier/rules/signals.yaml).

A statement of preference is an RFC 9651 Dictionary such as `train-ai=y, search=n`.
Per §6.5: for each category, a Token `y` allows, a Token `n` disallows, anything else
(absent, a String, a Boolean, another Token) is unknown; unknown labels and all
parameters are ignored; a repeated key keeps its last value; a Dictionary that fails
to parse (including any uppercase key) makes every category unknown. §5.1 combines
several statements: any disallow wins, then any allow, else unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.entry.signals.sfv import Member, ParseError, Token, parse_dictionary

ALLOW = "allow"
DISALLOW = "disallow"
UNKNOWN = "unknown"

# vocab-08 §6.1, Table 1: category labels (case-sensitive), in the draft's order.
CATEGORIES = ("train-ai", "ai-use", "search")


@dataclass(frozen=True)
class Statement:
    """One parsed statement: a preference per category, plus the parsed members."""

    preferences: dict[str, str]
    members: dict[str, Member] | None  # None when the Dictionary failed to parse

    def __getitem__(self, category: str) -> str:
        return self.preferences[category]


def parse(value: str | bytes) -> Statement:
    """Preferences from one serialized statement (vocab-08 §6.5)."""
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
    """vocab-08 §5.1: the most restrictive preference applies."""
    if DISALLOW in preferences:
        return DISALLOW
    if ALLOW in preferences:
        return ALLOW
    return UNKNOWN


def combine_statements(statements: list[Statement]) -> dict[str, str]:
    return {
        category: combine([s.preferences[category] for s in statements]) for category in CATEGORIES
    }
