"""Scan built HTML for anything executable that did not come from the theme.

Allowed: `<script src>` pointing at the theme's and the search plugin's own
local files, with no inline body. Everything else is a finding: inline
scripts, any `on*` attribute, javascript:/data:/vbscript: URLs, and embedding
elements (iframe, object, embed, style, base, meta refresh).
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

PUBLISHED_AT = "/site/"  # site_url's path in site/mkdocs.yml
# The search page: the theme's search script and the lunr library mkdocs ships (search/);
# every page: the base-URL and scroll-region scripts.
ALLOWED_SCRIPTS = {"js/base-url.js", "js/scroll-regions.js", "js/search.js", "search/lunr.js"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "srcset",
    "background",
    "cite",
}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "style", "base", "frame", "frameset", "applet"}
_BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):", re.IGNORECASE)
_IGNORED = re.compile(r"[\x00-\x20\x7f]+")


class _Scanner(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.findings: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self.in_script = True

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.findings.append(f"{self.page}: inline script body {data.strip()[:60]!r}")

    def _check(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"{self.page}: <{tag} {name}=…> event handler attribute")
            if (
                name in URL_ATTRIBUTES
                and value is not None
                and _BAD_SCHEME.match(_IGNORED.sub("", value))
            ):
                self.findings.append(
                    f"{self.page}: <{tag} {name}={value[:40]!r}> dangerous URL scheme"
                )
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"{self.page}: <{tag}> element")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.findings.append(f"{self.page}: <meta http-equiv=refresh>")
        if tag == "script":
            src = dict(attrs).get("src")
            if not src:
                self.findings.append(f"{self.page}: <script> without src")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), src))
                if src.startswith(PUBLISHED_AT):  # the 404 page links from where the site is
                    target = src[len(PUBLISHED_AT) :]
                if target not in ALLOWED_SCRIPTS:
                    self.findings.append(
                        f"{self.page}: <script src={src!r}> is not a theme or search asset "
                        f"({target})"
                    )


def scan_file(path: Path, site_root: Path) -> list[str]:
    scanner = _Scanner(path.relative_to(site_root).as_posix())
    scanner.feed(path.read_text(encoding="utf-8"))
    scanner.close()
    return scanner.findings


def scan_site(site_root: Path) -> tuple[int, list[str]]:
    """(number of HTML files scanned, findings) for every HTML file under site_root."""
    files = sorted(site_root.rglob("*.html"))
    findings = [finding for path in files for finding in scan_file(path, site_root)]
    return len(files), findings


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def local_links(path: Path) -> tuple[list[str], set[str]]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links, parser.ids
