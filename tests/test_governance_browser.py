"""The governance pages in headless Chromium: a throwaway repository after a release (a rule
change and a community decision accepted by vote) and with one proposal still open, built and
served on 127.0.0.1."""

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
def server(released_repository):
    root = released_repository / "dist" / "served"
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


def test_governance_pages_show_proposals_decisions_and_releases(page, server):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server + "governance/index.html")
    open_row = page.locator("table").first.locator("tbody tr").first
    assert "Unclear licences restrict use" in open_row.inner_text()
    assert "voting may open in" in open_row.inner_text()
    assert open_row.locator("td").nth(4).inner_text() == "1"
    assert "3 yes, 1 no, 0 abstain" in page.locator("#decided + table").inner_text()
    assert "@commons-registry/maintainers" in page.content()
    page.screenshot(path=str(ARTIFACTS / "governance-index.png"), full_page=True)
    page.goto(server + "governance/releases.html")
    assert "Rules 2027.1" in page.locator("#release-2027-1 h2").inner_text()
    assert "not-commons → commons-by-default" in page.locator("#release-2027-1").inner_text()
    assert page.problems == []


def test_an_entry_reason_leads_to_the_decision_behind_it(page, server):
    page.goto(server + "entries/arxiv-nonexclusive-full-text.html")
    reasons = page.locator("#why > ol.reasons").inner_text()
    assert "Fixture Authors' Assembly (member group, creators) decided by vote" in reasons
    page.locator("details.rule-details summary").click()
    page.get_by_role("link", name="proposal 2026-002-authors-opt-in").click()
    page.wait_for_url("**/governance/2026-002-authors-opt-in.html")
    assert (
        "Accepted on 2026-12-23, recorded by carol." in page.locator("#decision + p").inner_text()
    )
    assert page.locator("#tally + p").inner_text().startswith("3 yes, 1 no, 0 abstain")
    page.screenshot(path=str(ARTIFACTS / "governance-proposal.png"), full_page=True)
    assert page.problems == []


def test_governance_pages_have_no_serious_accessibility_violations(page, server):
    found = []
    for path in (
        "governance/index.html",
        "governance/releases.html",
        "governance/2026-002-authors-opt-in.html",
        "governance/2026-003-unclear-closed.html",
        "governance.html",
    ):
        page.goto(server + path)
        found += [f"{path}: {problem}" for problem in serious_violations(page)]
    assert found == []
    assert page.problems == []
