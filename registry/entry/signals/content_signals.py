"""Cloudflare Content Signals (draft-romm-aipref-contentsignals-00; policy CC0, Sept 2025).

A robots.txt line `Content-Signal: search=yes, ai-input=yes, ai-train=no`:
comma-separated `name=yes|no` pairs. Names are matched exactly; a value other
than yes/no leaves that signal unset; a repeated name keeps its last value.

`use=immediate|reference|full` (Cloudflare, "Your site, your rules: new AI traffic
options for all customers", 1 July 2026; its managed robots.txt writes
`Content-Signal: search=yes,ai-train=no,use=reference`) says how much of the
content a bot may keep: `immediate`, interact with it but store and reuse nothing;
`reference`, index it, quote excerpts and link back; `full`, summarise and reproduce
it. Any other value leaves it unset.

The policy text makes every restriction "an express reservation of rights under
Article 4" of Directive (EU) 2019/790, so a signal is about the site's content,
whichever paths crawlers may fetch (unlike attach-05's Content-Usage rule).
"""

from __future__ import annotations

from registry.entry.signals.aipref import ALLOW, DISALLOW

SIGNALS = ("search", "ai-input", "ai-train")
USE_LEVELS = ("immediate", "reference", "full")


def _pairs(value: str):
    for part in value.split(","):
        name, sep, setting = part.partition("=")
        if sep:
            yield name.strip(" \t"), setting.strip(" \t")


def parse(value: str) -> dict[str, str]:
    """{signal: allow|disallow} for the yes/no signals the line sets."""
    result: dict[str, str] = {}
    for name, setting in _pairs(value):
        if name not in SIGNALS:
            continue
        result.pop(name, None)
        if setting == "yes":
            result[name] = ALLOW
        elif setting == "no":
            result[name] = DISALLOW
    return result


def parse_use(value: str) -> str | None:
    """The `use=` level the line sets (the last one written), or None."""
    found = None
    for name, setting in _pairs(value):
        if name == "use":
            found = setting if setting in USE_LEVELS else None
    return found
