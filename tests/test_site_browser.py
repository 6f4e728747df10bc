"""The built site in headless Chromium, served by a real HTTP server on 127.0.0.1.

The site is served under /site/ (as Datasette's static handler does), next to
an /exports/ folder, so relative links are exercised as deployed.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_check import SAMPLE_ATTRIBUTE, axe_results, serious_violations
from click.testing import CliRunner

from registry.commands.cli import cli

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PAGES = [
    "index.html",
    "entries/alpha-archives.html",
    "entries/xss-fixture.html",
    "browse/index.html",
    "browse/domain-speech.html",
    "commons-by-default.html",
    "rules.html",
    "signals.html",
    "before-you-sell.html",
    "downloads.html",
    "search.html?q=speech",
    "about.html",
    "contributing.html",
    "licence-ids.html",
]

NOT_LOOPBACK = re.compile(r"^(?!http://127\.0\.0\.1:)")
# One animation frame: resize handlers (scroll-regions.js marks the tables that overflow) have run.
AFTER_RESIZE = "() => new Promise((done) => requestAnimationFrame(() => done()))"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory, built_registry):
    root = tmp_path_factory.mktemp("served")
    db = built_registry
    (root / "exports").mkdir()
    (root / "exports" / "catalog.json").write_text("[]\n")
    (root / "broken.html").write_text(
        '<!DOCTYPE html><html><head><title>x</title></head><body><img src="x.png"><p '
        'style="color:#eee">faint</p></body></html>'
    )
    result = CliRunner().invoke(
        cli,
        [
            "site",
            "--db",
            str(db),
            "--out",
            str(root / "site"),
            "--src",
            str(root / "site-src"),
            "--site-dir",
            str(REPO / "site"),
            "--exports",
            str(root / "exports"),
        ],
    )
    assert result.exit_code == 0, result.output
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    """A page that records every console error, failed request, HTTP error and dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on(
        "console", lambda msg: msg.type == "error" and page.problems.append(f"console: {msg.text}")
    )
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    # A request cancelled by the next navigation (net::ERR_ABORTED) is not a broken asset;
    # a missing file still shows up, as its HTTP 404 response below.
    page.on(
        "requestfailed",
        lambda request: (
            request.failure != "net::ERR_ABORTED"
            and page.problems.append(f"failed: {request.url} {request.failure}")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.problems.append(f"HTTP {response.status}: {response.url}")
        ),
    )
    page.on(
        "dialog",
        lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
    )
    # Only requests that leave 127.0.0.1 come back to Python (a "**/*" route made every request
    # wait for a round trip here).
    page.route(
        NOT_LOOPBACK,
        lambda route: (
            page.problems.append(f"external request: {route.request.url}"),
            route.abort(),
        ),
    )
    yield page
    context.close()


def test_home_and_entry_pages_load_cleanly(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "index.html")
    assert page.title() == "Commons Registry"
    assert page.locator("figure.chart svg").count() == 4
    # A chart's bars open the list they count: the "Commons by default" bar leads to that list.
    page.get_by_role("link", name="Commons by default: ").first.click()
    page.wait_for_url("**/browse/category-commons-by-default.html")
    page.go_back()
    page.screenshot(path=str(ARTIFACTS / "site-home.png"), full_page=True)

    page.get_by_role("link", name="Browse", exact=True).first.click()
    page.wait_for_url("**/browse/index.html")
    page.get_by_role("link", name="speech").click()
    page.get_by_role("link", name="Dataset beta-speech").click()
    page.wait_for_url("**/entries/beta-speech.html")
    assert page.locator("h1").inner_text() == "Dataset beta-speech"
    page.screenshot(path=str(ARTIFACTS / "site-entry.png"), full_page=True)
    assert page.problems == []


def test_hostile_entry_runs_nothing(page, server):
    page.goto(server + "entries/xss-fixture.html")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == '"><script>alert(1)</script>'
    assert page.title() == '"><script>alert(1)</script> · Commons Registry'
    assert (
        page.evaluate(
            "document.querySelectorAll('main script, main iframe, main img, main style').length"
        )
        == 0
    )
    page.hover("text=onmouseover")
    page.screenshot(path=str(ARTIFACTS / "site-hostile-entry.png"), full_page=True)
    assert page.problems == []


def test_search_finds_and_follows_a_result(page, server):
    page.goto(server + "entries/alpha-archives.html")
    page.fill("#site-search", "speech")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search.html?q=speech")
    result = page.locator("#mkdocs-search-results article a", has_text="Dataset beta-speech")
    result.first.wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "site-search.png"), full_page=True)
    result.first.click()
    page.wait_for_url("**/entries/beta-speech.html")
    assert page.locator("h1").inner_text() == "Dataset beta-speech"
    assert page.problems == []


def test_search_lists_datasets_first_by_any_word_with_whole_word_snippets(page, server):
    """Any word may match ("speech" and a word no entry has), a word's beginning finds longer
    words ("licen" finds "licence"), a name match ranks first, and snippets are whole words."""
    page.goto(server + "search.html?q=speech+zzyzx+licen")
    page.locator("#doc-results article").first.wait_for(timeout=30_000)
    sections = page.evaluate(
        "[...document.querySelectorAll('#mkdocs-search-results section')].map(s => s.id)"
    )
    assert sections == ["dataset-results", "doc-results"]
    assert page.locator("#dataset-results article h3 a").first.inner_text() == "Dataset beta-speech"
    with urllib.request.urlopen(server + "search/search_index.json") as response:  # 127.0.0.1
        texts = {d["location"]: " ".join(d["text"].split()) for d in json.load(response)["docs"]}
    articles = page.locator("#doc-results article")
    assert articles.count() > 0
    for i in range(articles.count()):
        href = articles.nth(i).locator("h3 a").get_attribute("href")
        shown = articles.nth(i).locator("p").inner_text().removeprefix("… ").removesuffix(" …")
        source = texts[href.removeprefix("./")]
        at = source.find(shown)
        assert at >= 0, (href, shown)
        end = at + len(shown)
        assert (at == 0 or source[at - 1] == " ") and (end == len(source) or source[end] == " ")
    assert page.problems == []


def test_search_results_for_hostile_text_stay_text(page, server):
    page.goto(server + "search.html?q=config")
    page.locator("#mkdocs-search-results article").first.wait_for(timeout=30_000)
    assert (
        page.evaluate(
            "document.querySelectorAll('#mkdocs-search-results img, #mkdocs-search-results "
            "script').length"
        )
        == 0
    )
    shown = page.locator("#mkdocs-search-results").inner_text()
    assert '"><script>alert(1)</script>' in shown and "[c](javascript:alert(1))" in shown
    assert page.problems == []


def test_no_serious_accessibility_violations(page, server):
    """At a desktop width and a phone's (where the navigation wraps and tables become cards): each
    page is loaded once and checked at both (a resize, then a frame for the page's resize
    handlers); the next page loads at the width this one ended at."""
    found, widths = [], [1280, 390]
    for path in AXE_PAGES:
        page.goto(server + path)
        if "search.html" in path:
            page.locator("#mkdocs-search-results article").first.wait_for(timeout=30_000)
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            page.evaluate(AFTER_RESIZE)
            found += [f"{path} at {width} px: {problem}" for problem in serious_violations(page)]
        widths.reverse()
    assert found == []
    assert page.problems == []


def test_accessibility_check_does_flag_a_broken_page(page, server):
    """The axe check is real: a page with an unlabelled image and faint text fails it."""
    page.goto(server.replace("/site/", "/broken.html"))
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "color-contrast" in found


def test_contrast_check_finds_a_faint_style_deep_in_a_long_table(page, server):
    """color-contrast runs on one element of each text style (axe_check): a faint class, or a
    dark row background under the usual text, that appears only in row 590 of 600 is found."""
    rows = "".join(
        f"<tr><td>Term {index}</td><td><code>rule-{index}</code></td></tr>" for index in range(600)
    )
    faint = '<tr><td class="faint">faint term</td><td><code>rule-faint</code></td></tr>'
    dark = '<tr style="background:#222"><td>dark row</td><td><code>rule-dark</code></td></tr>'
    at = rows.index("<tr><td>Term 590<")
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Long table</title><style>.faint '
        "{color:#ddd}</style></head><body><main><h1>Long table</h1><table><tbody>"
        f"{rows[:at]}{faint}{dark}{rows[at:]}</tbody></table></main></body></html>"
    )
    results = axe_results(page)
    contrast = [v for v in results["violations"] if v["id"] == "color-contrast"]
    marked = f' {SAMPLE_ATTRIBUTE}=""'
    flagged = sorted(
        node["html"].replace(marked, "") for violation in contrast for node in violation["nodes"]
    )
    assert flagged == [
        "<code>rule-dark</code>",
        '<td class="faint">faint term</td>',
        "<td>dark row</td>",
    ]
    assert results["sampled"] < results["withText"] / 100
