"""The observed signals on the built site in headless Chromium: real tracker copies imported,
the registry, feeds and site built, and served on 127.0.0.1 (site under /site/, exports under
/exports/, as deployed)."""

from __future__ import annotations

import functools
import threading
from http.server import ThreadingHTTPServer

import pytest
import test_site_browser as site_browser
from axe_check import serious_violations
from test_site_browser import ARTIFACTS, _Quiet

pytestmark = pytest.mark.browser
# The real Chromium and the page that records every problem, as the site's browser tests use.
browser = site_browser.browser
page = site_browser.page


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from test_observations_pages import observed_site

    root, _ = observed_site(tmp_path_factory.mktemp("observed-served"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


def test_signals_page_and_entry_timeline_in_chromium(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "signals.html")
    assert page.locator("h1").inner_text().startswith("Which commons sources have opted out")
    training = page.locator("#training + table")
    assert "stackoverflow.com" in training.inner_text() and "2025-10-01" in training.inner_text()
    page.screenshot(path=str(ARTIFACTS / "site-signals.png"), full_page=True)
    assert serious_violations(page) == []
    # The feed link resolves to the served export.
    page.get_by_role("link", name="feed of signal changes").click()
    page.wait_for_url("**/exports/feeds/signals.atom")
    page.goto(server + "signals.html")
    training.get_by_role("link", name="Fixture qa-dump").click()
    page.wait_for_url("**/entries/qa-dump.html")
    summary = page.locator("ul.observed-summary").inner_text()
    assert "stackoverflow.com: content-signals search=no, ai-train=no since 2025-10" in summary
    assert page.locator("table.timeline tbody tr").count() == 3
    page.screenshot(path=str(ARTIFACTS / "site-entry-observed.png"), full_page=True)
    assert serious_violations(page) == []
    assert page.problems == []
