"""Where the site is hosted: a static host without Datasette (GitHub Pages, `commons site
--static-hosting`), the 404 page under the address it is published at, and one navigation on
the site and on Datasette's pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_helpers import build

from registry.datasette.plugins import theme

# Links into Datasette, from a page at the site's root or one folder down.
DATASETTE_LINK = re.compile(r'href="(?:\./|\.\./)*\.\./(?:registry/|-/|")')


class _Nav(HTMLParser):
    """The link texts of a page's main navigation, drop-down menus included."""

    def __init__(self):
        super().__init__()
        self.depth, self.texts, self.summaries = 0, [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        if tag == "nav" and ("aria-label", "Main") in attrs:
            self.depth = 1
        elif self.depth and tag in ("a", "summary"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == "nav":
            self.depth = 0
        self._in = None

    def handle_data(self, data):
        if self._in == "a":
            self.texts.append(data.strip())
        elif self._in == "summary":
            self.summaries.append(data.strip())


def nav_of(html: str) -> tuple[list[str], list[str]]:
    parser = _Nav()
    parser.feed(html)
    return parser.texts, parser.summaries


@pytest.fixture(scope="module")
def static_site(tmp_path_factory, built_registry) -> Path:
    tmp = tmp_path_factory.mktemp("static")
    result = build(
        tmp,
        built_registry,
        extra=("--static-hosting", "--site-url", "https://example.github.io/registry/site/"),
    )
    assert result.exit_code == 0, result.output
    return tmp / "site"


def test_a_static_site_links_nowhere_into_datasette_and_says_what_needs_it(static_site, built):
    served_site = built[0]
    for page in ("index.html", "before-you-sell.html", "entries/alpha-archives.html"):
        static_html = (static_site / page).read_text(encoding="utf-8")
        assert not DATASETTE_LINK.search(static_html), page
        # The same page built for `commons serve` has those links: the pattern finds them.
        assert DATASETTE_LINK.search((served_site / page).read_text(encoding="utf-8")), page
    texts, _ = nav_of((static_site / "index.html").read_text(encoding="utf-8"))
    assert "Catalog table" not in texts and "SQL and API" not in texts and "Browse" in texts
    entry = (static_site / "entries" / "alpha-archives.html").read_text(encoding="utf-8")
    assert "need the served registry" in entry
    sell = (static_site / "before-you-sell.html").read_text(encoding="utf-8")
    assert "which this static copy does not have" in sell


def test_the_404_page_links_from_where_the_site_is_published(static_site, built):
    for site, prefix in ((static_site, "/registry/site/"), (built[0], "/site/")):
        links = re.findall(r'(?:href|src)="([^"#][^"]*)"', (site / "404.html").read_text())
        assert links
        assert all(link.startswith(prefix) for link in links), (prefix, links)


@pytest.mark.asyncio
async def test_datasette_pages_carry_the_site_navigation(ds, built):
    site_texts, site_menus = nav_of((built[0] / "index.html").read_text(encoding="utf-8"))
    assert "AI-use signals of the sources" in site_texts and site_menus == ["Rules", "About"]
    for path in ("/", "/registry/catalog", "/registry", "/-/overlap", "/entry/alpha-archives"):
        page = await ds.client.get(path)
        assert page.status_code == 200, path
        assert nav_of(page.text) == (site_texts, site_menus), path


def test_the_navigation_is_read_from_the_site_project():
    links = theme.navigation("/site/", "/")
    assert '<a href="/site/signals.html">AI-use signals of the sources</a>' in links
    assert '<a href="/registry/catalog">Catalog table</a>' in links
    assert Path(theme.MKDOCS).name == "mkdocs.yml"
