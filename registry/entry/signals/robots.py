"""robots.txt (RFC 9309) with the attach-05 Content-Usage rule, Content-Signal lines and
RSL `License:` lines.

Groups start at User-agent lines; a crawler uses every group naming its
product token (case-insensitive), else the `*` groups, else none. Allow and
Disallow match by longest path pattern (`*` and `$` wildcards), Allow winning
ties. Paths and patterns are compared in one percent-encoding (RFC 9309
§2.2.2, `normalise`), so `/café` and `/caf%C3%A9` are the same path.
Content-Usage rules (attach-05 §3) match the same way and apply only to
crawlable paths; rules with an identical longest path are combined per
vocab-08 "Combining Preferences". Content-Signal lines are read with the same
optional path, but for every path: the Content Signals Policy makes them
reservations of rights over the site's content, not preferences attached to
crawled copies. RSL `License:` lines belong to no group (RSL 1.0 robots.txt
guide: "The License directive is global").
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from urllib.parse import quote

from registry.entry.signals import aipref, content_signals

MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least the first 500 KiB
PATH_RULES = ("allow", "disallow", "content-usage", "content-signal")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_PRINTABLE = "".join(chr(c) for c in range(0x21, 0x7F))  # left as they are; `%` included


def normalise(path: str) -> str:
    """RFC 9309 §2.2.2: escapes of unreserved characters decoded, every other escape in
    uppercase, characters outside printable ASCII percent-encoded as UTF-8."""

    def unescape(match: re.Match) -> str:
        char = chr(int(match.group(1), 16))
        return char if char in _UNRESERVED else "%" + match.group(1).upper()

    return quote(_ESCAPE.sub(unescape, path), safe=_PRINTABLE)


@dataclass
class Rule:
    kind: str  # allow | disallow | content-usage | content-signal
    path: str
    value: str = ""  # the statement, for content-usage and content-signal


@dataclass
class Group:
    agents: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class PathSignal:
    """The rules that apply to one path: the rule values and what they mean."""

    values: tuple[str, ...]
    preferences: dict[str, str]
    use: str | None = None  # Content-Signal `use=` level


@dataclass
class Robots:
    groups: list[Group]
    licenses: list[str] = field(default_factory=list)  # RSL License: URLs, in order

    def group_for(self, agent: str) -> Group | None:
        """All groups naming `agent` merged, else the `*` groups merged (RFC 9309 §2.2.1)."""
        wanted = agent.lower()
        named = [g for g in self.groups if wanted in (a.lower() for a in g.agents)]
        chosen = named or [g for g in self.groups if "*" in g.agents]
        if not chosen:
            return None
        return Group(
            agents=[a for g in chosen for a in g.agents], rules=[r for g in chosen for r in g.rules]
        )

    def names(self, agent: str) -> bool:
        """Does a group name this agent explicitly (not just through `*`)?"""
        return any(agent.lower() in (a.lower() for a in g.agents) for g in self.groups)

    def can_fetch(self, agent: str, path: str) -> bool:
        group = self.group_for(agent)
        path = normalise(path)
        if group is None or path == "/robots.txt":
            return True
        best = None
        for rule in group.rules:
            if rule.kind in ("allow", "disallow") and rule.path and path_matches(rule.path, path):
                key = (len(rule.path.encode()), rule.kind == "allow")
                if best is None or key > best[0]:
                    best = (key, rule.kind)
        return best is None or best[1] == "allow"

    def content_usage(self, path: str, agent: str = "*") -> PathSignal | None:
        """attach-05 §3: the preference for a crawlable path; None for N/A (not crawlable)."""
        if not self.can_fetch(agent, path):
            return None
        rules = self._longest(self.group_for(agent), "content-usage", path)
        statements = [aipref.parse(rule.value) for rule in rules]
        return PathSignal(
            tuple(r.value for r in rules),
            aipref.combine_statements(statements)
            if rules
            else {c: aipref.UNKNOWN for c in aipref.CATEGORIES},
        )

    def content_signal(self, path: str, agent: str = "*") -> PathSignal:
        """Cloudflare Content-Signal values for a path, crawlable or not (see the docstring)."""
        rules = self._longest(self.group_for(agent), "content-signal", path)
        merged: dict[str, list[str]] = {}
        uses = []
        for rule in rules:
            for name, pref in content_signals.parse(rule.value).items():
                merged.setdefault(name, []).append(pref)
            uses.append(content_signals.parse_use(rule.value))
        levels = [u for u in uses if u]
        return PathSignal(
            tuple(r.value for r in rules),
            {name: aipref.combine(prefs) for name, prefs in merged.items()},
            # The least a bot may keep, when rules of the same path disagree.
            min(levels, key=content_signals.USE_LEVELS.index) if levels else None,
        )

    @staticmethod
    def _longest(group: Group | None, kind: str, path: str) -> list[Rule]:
        if group is None:
            return []
        path = normalise(path)
        matching = [
            r
            for r in group.rules
            if r.kind == kind and (r.path == "" or path_matches(r.path, path))
        ]
        if not matching:
            return []
        longest = max(len(r.path.encode()) for r in matching)
        return [r for r in matching if len(r.path.encode()) == longest]


def parse(text: str | bytes) -> Robots:
    """Parse robots.txt leniently, as RFC 9309 asks: unknown lines are skipped."""
    if isinstance(text, bytes):
        text = text[:MAX_BYTES].decode("utf-8", "replace")
    groups: list[Group] = []
    licenses: list[str] = []
    current: Group | None = None
    last_was_agent = False
    for raw_line in text[:MAX_BYTES].splitlines():
        line = raw_line.split("#", 1)[0]
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key = key.strip(" \t").lower()
        value = value.strip(" \t")
        if key == "user-agent":
            if current is None or not last_was_agent:
                current = Group()
                groups.append(current)
            current.agents.append(value.split("/")[0].strip() or value)
            last_was_agent = True
            continue
        last_was_agent = False
        if key == "license":
            if value:
                licenses.append(value)
            continue
        if current is None or key not in PATH_RULES:
            continue
        if key in ("allow", "disallow"):
            current.rules.append(Rule(key, normalise(value)))
        else:
            path, statement = _split_path(value)
            current.rules.append(Rule(key, normalise(path), statement))
    return Robots(groups, licenses)


def _split_path(value: str) -> tuple[str, str]:
    """attach-05 §3.2: a value starting with '/' carries a path up to the first SP or HTAB."""
    if not value.startswith("/"):
        return "", value
    match = re.match(r"([^ \t]*)[ \t]*(.*)", value)
    return match.group(1), match.group(2)


def path_matches(pattern: str, path: str) -> bool:
    """RFC 9309 §2.2.3 matching: `*` is any run of characters, a final `$` anchors the end,
    otherwise the pattern need only match a prefix. Linear-time glob matching, because
    robots.txt comes from third parties and a backtracking regex can be made to hang."""
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    return _glob(body if anchored else body + "*", path)


def _glob(pattern: str, text: str) -> bool:
    """Full match of `pattern` (only `*` is special) against `text`, O(len(pattern) * len(text))."""
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] != "*" and pattern[p] == text[t]:
            p += 1
            t += 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark = p, t
            p += 1
        elif star >= 0:
            p = star + 1
            mark += 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)
