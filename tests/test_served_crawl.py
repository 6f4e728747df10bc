"""The served product as a visitor meets it: `commons serve` with the site and the exports,
crawled in headless Chromium at 1366 px and 390 px wide.

Every page of the site, the Datasette pages they lead to (home, catalog table, entry pages,
the overlap form) and every link on them answer without an error; no page scrolls sideways
at either width; axe finds no serious or critical problem on the Datasette pages.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from axe_check import serious_violations
from served import free_port, start_serve
from test_site_browser import AFTER_RESIZE, browser  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent

WIDTHS = (1366, 390)
# Datasette pages the crawl opens (its links into Datasette's endless filter and sort
# combinations are checked for their status, not followed).
DATASETTE_PAGES = [
    "/",
    "/registry/catalog",
    "/registry/catalog?category=commons-by-default",
    "/-/search?q=speech+archive",
]
# Pages the crawl runs axe on at both widths: Datasette's, and (the served site's listings are
# built with 4 entries a page, served.LISTING_PAGE_SIZE, so the crawl follows their pagers through
# every page) a first and a later listing page. (The browse index and the search page are checked
# at a desktop and a phone width in test_site_browser.)
AXE_PAGES = [
    *DATASETTE_PAGES,
    "/registry",
    "/entry/beta-speech",
    "/entry/delta-derived",
    "/-/overlap",
    "/site/browse/all.html",
    "/site/browse/all.page-2.html",
    "/site/browse/category-commons-by-default.page-2.html",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link", "script", "img") and (attrs.get("href") or attrs.get("src")):
            self.links.append(attrs.get("href") or attrs.get("src"))


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # 127.0.0.1 only
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture(scope="module")
def served(built_registry, served_files):
    port = free_port()
    process = start_serve(built_registry, *served_files, port)
    yield f"http://127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


@pytest.fixture
def new_page(request):
    """new_page(width) opens a page in a fresh context of the module's one browser (the fixture
    test_site_browser.browser)."""
    chromium = request.getfixturevalue("browser")
    contexts = []

    def open_page(width: int = 1280):
        contexts.append(chromium.new_context(viewport={"width": width, "height": 900}))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def crawl(base: str) -> tuple[list[str], dict[str, int]]:
    """(pages opened, {every link seen: its status}) from the site's home and Datasette's pages."""
    queue = ["/site/index.html", "/site/404.html", "/registry", *DATASETTE_PAGES]
    pages, statuses = [], {}
    while queue:
        path = queue.pop()
        if path in pages:
            continue
        pages.append(path)
        with urllib.request.urlopen(base + path, timeout=30) as response:
            parser = _Links()
            parser.feed(response.read().decode("utf-8"))
        for link in parser.links:
            parts = urlsplit(urljoin(base + path, link))
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base).netloc:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in statuses:
                statuses[target] = status(base + target)
            followed = parts.path.startswith("/site/") and parts.path.endswith(".html")
            followed |= parts.path.startswith(("/entry/", "/-/overlap")) and not parts.query
            if followed and statuses[target] == 200 and target not in pages:
                queue.append(target)
    return pages, statuses


def test_no_broken_link_sideways_scroll_or_serious_accessibility_problem_at_either_width(
    served, new_page
):
    """Every page crawled, at both widths: no sideways scroll; on the AXE_PAGES, no serious axe
    problem (was a test of its own per width, loading those pages again)."""
    pages, statuses = crawl(served)
    assert len(pages) > 40
    assert any(p.startswith("/entry/") for p in pages) and "/-/overlap" in pages
    assert {"/site/browse/all.page-3.html", "/site/browse/all.page-2.html"} <= set(pages)
    assert set(AXE_PAGES) <= set(pages)
    assert {link: code for link, code in statuses.items() if code != 200} == {}
    wide, found, widths = [], [], list(WIDTHS)
    page = new_page(widths[0])
    for path in pages:
        page.goto(served + path)
        for width in widths:
            if width != widths[0]:
                page.set_viewport_size({"width": width, "height": 900})
                page.evaluate(AFTER_RESIZE)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                wide.append(f"{path} at {width} px: {scroll} > {client}")
            if path in AXE_PAGES:
                found += [f"{path} at {width} px: {p}" for p in serious_violations(page)]
        widths.reverse()  # the next page loads at the width this one ended at: one resize a page
    assert wide == [] and found == [], "\n".join(wide + found)


# Each word of a facet value or catalog card, as a Range: more than one line box means the word was
# broken inside (a hyphen is a place to break between words).
WORDS_SPLIT_INSIDE = """(selector) => {
  const split = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (tops.size > 1) split.push(match[0]);
      }
    }
  }
  return split;
}"""


def test_facet_values_and_catalog_cards_do_not_break_inside_a_word_on_a_phone(served, new_page):
    page = new_page(390)
    page.goto(served + "/registry/catalog")
    facets = page.evaluate(WORDS_SPLIT_INSIDE, ".facet-info li")
    cards = page.evaluate(WORDS_SPLIT_INSIDE, "table.catalog-rows td")
    counted = page.evaluate("document.querySelectorAll('.facet-info li').length")
    assert counted > 5, "the catalog page shows its facets"
    assert facets == [] and cards == [], (facets, cards)


def test_a_missing_site_page_gets_the_sites_own_404_page(served):
    for path in ("/site/no-such-page.html", "/site/browse/no-such-page.html"):
        try:
            urllib.request.urlopen(served + path, timeout=30)  # 127.0.0.1 only
            raise AssertionError(f"{path} answered")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            page = error.read().decode("utf-8")
        assert "<h1>Page not found</h1>" in page, page[:200]
        assert 'href="/site/index.html"' in page or 'href="/site/"' in page, page
    assert status(served + "/registry/no-such-table") == 404


def test_entry_pages_link_their_croissant_and_it_answers(served, new_page):
    """The site's and Datasette's entry pages (one template) link the entry's Croissant document
    next to its JSON; following the link in Chromium gives that document."""
    page = new_page()
    for path in ("/entry/alpha-archives", "/site/entries/alpha-archives.html"):
        page.goto(served + path)
        link = page.locator("p.edit").get_by_role("link", name="Croissant", exact=True)
        href = link.evaluate("a => a.href")
        assert href == served + "/exports/croissant/alpha-archives.json", path
        response = page.goto(href)
        assert response.status == 200, path
        document = json.loads(response.body())
        assert document["name"] == "Alpha Archives"
        assert document["mainEntityOfPage"].endswith("/entries/alpha-archives.html")


def test_an_unbreakable_related_id_does_not_widen_an_entry_page_on_a_phone(new_page):
    """Imported records name related datasets by ids such as the one below (a real OTDI record's):
    the site's stylesheet breaks such a word where it overflows, in the page's own markup."""
    css = (REPO / "site" / "theme" / "css" / "site.css").read_text(encoding="utf-8")
    long_id = "task129_scan_long_text_generation_action_command_short"
    html = (
        f"<style>{css}</style><main><div class='generated'><article class='entry'><section>"
        f"<ul class='related'><li><a href='#'>{long_id}</a> is similar.</li></ul>"
        f"<p>Derived from {long_id}.</p></section></article></div></main>"
    )
    page = new_page(390)
    page.set_content(html)
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll <= client, (scroll, client)


def test_every_download_link_is_served_with_its_type_and_compressed(served):
    """Each file the downloads page links is served, with its type, gzip-compressed where asked
    (on the crawl's server: it serves the same files; was test_serve_stop.py's, with a server of
    its own)."""
    with urllib.request.urlopen(f"{served}/site/downloads.html") as response:
        page = response.read().decode()
    links = re.findall(r'href="(\.\./exports/[^"]+)"', page)
    assert len(links) >= 10
    types = {}
    for link in links:
        url = f"{served}/{link.removeprefix('../')}"
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 200, url
            body = response.read()
            if response.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            assert body, url
            types[link.rsplit("/", 1)[1]] = response.headers["Content-Type"]
    assert types["registry.db"] == "application/vnd.sqlite3"
    assert types["entries.jsonl"] == "application/jsonl"
    assert types["entry.schema.json"] == "application/json"
    request = urllib.request.Request(
        f"{served}/registry/catalog", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert b"</html>" in gzip.decompress(response.read())
