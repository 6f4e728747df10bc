"""Is a body that was served (or stored) as robots.txt a robots.txt at all?

Trackers keep whatever came back, whatever the HTTP status: challenge pages,
404 pages, "not available in your region" notices, empty bodies. Read as
robots.txt, each would say "no rules", which is a claim about the site that
nobody observed. So such a body is rejected with the reason, instead of read.
"""

from __future__ import annotations

import html
import re

from registry.signals.clean import visible

HTML_MARKERS = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|title|meta|script)\b", re.I)
# A line a robots.txt can hold (RFC 9309 fields and the extensions this registry reads).
ROBOTS_FIELD = re.compile(
    rb"^[ \t]*(?:user-agent|allow|disallow|sitemap|crawl-delay|host|clean-param|noindex|"
    rb"request-rate|visit-time|content-signal|content-usage|license)[ \t]*:",
    re.I | re.M,
)
TITLE = re.compile(rb"<\s*title[^>]*>(.*?)<\s*/\s*title", re.I | re.S)
HEAD_BYTES = 4096


def why_unreadable(body: bytes) -> str | None:
    """Why `body` is not a robots.txt (an HTML page, empty, no robots.txt field), or None."""
    text = body.removeprefix(b"\xef\xbb\xbf")
    if not text.strip():
        return (
            "empty body: the copy was kept whatever the HTTP status, so an empty file cannot be "
            "told from a refused request"
        )
    if HTML_MARKERS.search(text[:HEAD_BYTES]) and text.lstrip()[:1] == b"<":
        title = TITLE.search(text[: 64 * 1024])
        named = f" titled '{_shown(title.group(1))}'" if title and title.group(1).strip() else ""
        return f"an HTML page{named}, not robots.txt (an error or challenge page)"
    if not ROBOTS_FIELD.search(text):
        first = next((line for line in text.splitlines() if line.strip()), b"")
        return f"no robots.txt field in it (a block page or soft 404), beginning '{_shown(first)}'"
    return None


def _shown(raw: bytes, limit: int = 80) -> str:
    text = " ".join(html.unescape(raw.decode("utf-8", "replace")).split())
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."
