"""Cloudflare Content Signals (draft-romm-aipref-contentsignals-00; policy CC0, Sept 2025).

A robots.txt line `Content-Signal: search=yes, ai-input=yes, ai-train=no`:
comma-separated `name=yes|no` pairs. Names are matched exactly; a value other
than yes/no leaves that signal unset; a repeated name keeps its last value.
"""

from __future__ import annotations

from registry.entry.signals.aipref import ALLOW, DISALLOW

SIGNALS = ("search", "ai-input", "ai-train")


def parse(value: str) -> dict[str, str]:
    """{signal: allow|disallow} for the signals the line sets."""
    result: dict[str, str] = {}
    for part in value.split(","):
        name, sep, setting = part.partition("=")
        name, setting = name.strip(" \t"), setting.strip(" \t")
        if not sep or name not in SIGNALS:
            continue
        result.pop(name, None)
        if setting == "yes":
            result[name] = ALLOW
        elif setting == "no":
            result[name] = DISALLOW
    return result
