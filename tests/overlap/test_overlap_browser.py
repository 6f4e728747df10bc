"""The /-/overlap form in headless Chromium, served by `commons serve` on 127.0.0.1 from the
project's own entries: the same verdict and matches as the CLI, each match linked to its entry
page, the next step shown, and the evidence behind a disclosure."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import test_site_browser as site_browser
from click.testing import CliRunner

from registry.commands.cli import cli

pytestmark = pytest.mark.browser
browser = site_browser.browser
page = site_browser.page
REPO = Path(__file__).resolve().parents[2]
OFFER = "Plain text of every English Wikipedia article, scraped from en.wikipedia.org in 2024"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, project_catalog):
    """`commons serve --no-build` on the registry of the project's curated entries (the session's
    project_catalog, copied with the files beside it: serve writes its inspect data there), with an
    empty static site beside it. (`commons serve` building first: test_serve.py.)"""
    tmp = tmp_path_factory.mktemp("overlap-serve")
    for built in project_catalog.parent.glob("registry.db*"):
        shutil.copy2(built, tmp / built.name)
    (tmp / "site").mkdir()
    (tmp / "site" / "index.html").write_text("<p>site</p>", encoding="utf-8")
    port = _free_port()
    command = [str(Path(sys.executable).with_name("commons")), "serve", "--no-build"]
    command += ["--port", str(port), "--db", str(tmp / "registry.db")]
    command += ["--site", str(tmp / "site")]
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode())
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=5).close()  # loopback
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base, tmp / "registry.db"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_form_gives_the_cli_result_with_links_next_step_and_evidence(page, server):
    base, db = server
    cli_result = CliRunner().invoke(
        cli, ["overlap", "--db", str(db), "--text", OFFER, "--format", "json"]
    )
    expected = json.loads(cli_result.output)
    page.goto(base + "/-/overlap")
    page.fill("#overlap-q", OFFER)
    page.click("input[type=submit]")
    page.wait_for_selector(".overlap-verdict")
    assert page.inner_text(".overlap-sentence") == expected["verdict"]["sentence"]
    assert expected["verdict"]["next_step"] in page.inner_text(".overlap-next-step")
    assert expected["verdict"]["meaning"] in page.inner_text(".overlap-meaning")
    links = page.locator(".overlap-matches > li > a")
    assert links.all_inner_texts() == [m["name"] for m in expected["matches"]]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        f"/entry/{m['id']}" for m in expected["matches"]
    ]
    first = page.locator(".overlap-matches > li").first
    evidence = first.locator(".overlap-components")
    assert not evidence.is_visible()
    first.locator("details summary").click()
    assert evidence.is_visible()
    assert evidence.locator("li").all_inner_texts() == expected["matches"][0]["why"]
    links.first.click()
    page.wait_for_load_state()
    assert page.url == base + f"/entry/{expected['matches'][0]['id']}"
    assert expected["matches"][0]["name"] in page.inner_text("h1")
    assert page.problems == []
