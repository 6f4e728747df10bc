"""The /-/overlap page in a real Datasette, through its in-process client (threats row 47)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlite_utils
from catalog_db import add_entry, create
from click.testing import CliRunner
from datasette.app import Datasette

from registry.commands.cli import cli

DATASETTE_DIR = Path(__file__).resolve().parents[2] / "registry" / "datasette"
HOSTILE_SUMMARY = "Articles <script>alert('entry')</script> & more"


@pytest.fixture
def catalog(tmp_path):
    path = tmp_path / "registry.db"
    db = create(path)
    add_entry(
        db,
        "wikipedia",
        "Wikipedia database dumps",
        "Every article of every Wikipedia language edition.",
        domains=("encyclopedic",),
        source_domains=("wikipedia.org",),
        category="open-use-restricted",
        licenses=("CC-BY-SA-4.0",),
    )
    add_entry(db, "hostile-entry", "Hostile <b>entry</b>", HOSTILE_SUMMARY, domains=("web",))
    add_entry(
        db,
        "court-opinions",
        "Court opinions bulk data",
        "Published opinions of United States courts.",
        domains=("legal",),
    )
    return path


@pytest.fixture
def datasette(catalog):
    return Datasette(
        [str(catalog)],
        plugins_dir=str(DATASETTE_DIR / "plugins"),
        template_dir=str(DATASETTE_DIR / "templates"),
    )


@pytest.mark.asyncio
async def test_form_renders_ranked_explained_matches(datasette):
    response = await datasette.client.get(
        "/-/overlap?q=" + quote("Plain text of articles from en.wikipedia.org")
    )
    assert response.status_code == 200
    assert "High redundancy" in response.text
    assert "Wikipedia database dumps" in response.text
    assert "en.wikipedia.org is part of wikipedia.org" in response.text
    # Each match's level is its strength, said as such: not a second verdict beside the first.
    assert "match strength high (" in response.text
    assert "What this check cannot see" in response.text
    # How often the check is right: the held-out figures on the site (test_site.py: the anchor).
    assert 'href="/site/before-you-sell.html#trust"' in response.text


@pytest.mark.asyncio
async def test_empty_form_shows_the_form_only(datasette):
    response = await datasette.client.get("/-/overlap")
    assert response.status_code == 200
    assert '<textarea id="overlap-q" name="q"' in response.text
    assert "Verdict" not in response.text


@pytest.mark.asyncio
async def test_web_json_equals_cli_json(datasette, catalog):
    text = "US court opinions with citations, scraped from en.wikipedia.org and courts"
    response = await datasette.client.get("/-/overlap.json?top=5&q=" + quote(text))
    assert response.status_code == 200
    cli_result = CliRunner().invoke(
        cli, ["overlap", "--db", str(catalog), "--text", text, "--top", "5", "--format", "json"]
    )
    assert cli_result.exit_code == 0, cli_result.output
    assert response.json() == json.loads(cli_result.output)
    assert response.json()["matches"]


@pytest.mark.asyncio
async def test_a_match_without_a_stated_modality_says_so(catalog):
    """Most imported records state no modality (NULL): the form and the terminal say "modality
    not stated" instead of an empty field ("licence CC-BY-4.0; .")."""
    add_entry(
        sqlite_utils.Database(catalog),
        "booking-screen-recordings",
        "Hotel_Booking_Screen_Recording_Dataset",
        "Screen recordings of a hotel booking app.",
        modality=None,
    )
    text = "Screen recordings of a hotel booking app"
    response = await Datasette(
        [str(catalog)],
        plugins_dir=str(DATASETTE_DIR / "plugins"),
        template_dir=str(DATASETTE_DIR / "templates"),
    ).client.get("/-/overlap?q=" + quote(text))
    assert "Hotel_Booking_Screen_Recording_Dataset" in response.text
    assert "modality not stated." in response.text and "; ." not in response.text
    terminal = CliRunner().invoke(cli, ["overlap", "--db", str(catalog), "--text", text])
    assert terminal.exit_code == 0, terminal.output
    assert "· modality not stated" in terminal.output and "· None" not in terminal.output


@pytest.mark.asyncio
async def test_the_verdict_quotes_the_offer_as_written(datasette):
    """The words that make a match "high" are quoted back with their punctuation in place, not
    as tokens joined by spaces ("Romanian Wikipedia , split")."""
    text = "A cleaned dump of the June 2020 Romanian Wikipedia, split into paragraphs"
    response = await datasette.client.get("/-/overlap.json?q=" + quote(text))
    sentence = response.json()["verdict"]["sentence"]
    assert "says 'A cleaned dump of the June 2020 Romanian Wikipedia, split into'" in sentence


async def raw_get(datasette, query_string: bytes) -> int:
    """Call the ASGI app directly: HTTP clients refuse URLs this long before sending them."""
    await datasette.invoke_startup()
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/-/overlap",
        "raw_path": b"/-/overlap",
        "query_string": query_string,
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 1),
        "server": ("localhost", 80),
    }
    await datasette.app()(scope, receive, send)
    return next(m["status"] for m in sent if m["type"] == "http.response.start")


@pytest.mark.asyncio
async def test_five_megabyte_paste_is_413(datasette):
    assert await raw_get(datasette, b"q=" + b"a" * (5 * 1024 * 1024)) == 413
    posted = await datasette.client.post(
        "/-/overlap",
        content=b"q=" + b"a" * (5 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert posted.status_code == 413
    just_over = await datasette.client.get("/-/overlap.json?q=" + "é" * (10 * 1024 + 1))
    assert just_over.status_code == 413
    assert "20 KB" in just_over.json()["error"]


@pytest.mark.asyncio
async def test_post_gives_the_same_json_as_get(datasette):
    text = "Plain text of articles from en.wikipedia.org"
    posted = await datasette.client.post(
        "/-/overlap.json",
        content=("q=" + quote(text)).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    got = await datasette.client.get("/-/overlap.json?q=" + quote(text))
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()


@pytest.mark.asyncio
async def test_cdata_opener_renders(datasette):
    response = await datasette.client.get("/-/overlap?q=" + quote("<!["))
    assert response.status_code == 200
    assert "&lt;![" in response.text


@pytest.mark.asyncio
async def test_script_in_input_and_in_entries_is_shown_escaped(datasette):
    response = await datasette.client.get(
        "/-/overlap?q=" + quote("<script>alert(1)</script> articles more hostile entry")
    )
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert('entry')</script>" not in response.text
    assert "&lt;script&gt;alert(&#39;entry&#39;)&lt;/script&gt;" in response.text
    assert "<b>entry</b>" not in response.text


@pytest.mark.asyncio
async def test_pathological_input_answers_fast(datasette):
    await datasette.client.get("/-/overlap?q=warm")  # first request loads the index
    for text in ("a" * 30 + "!", "a." * 9000, ("a" * 61 + ".") * 300 + "!"):
        # CPU time of this process (every thread): catastrophic backtracking costs seconds of
        # it, while other processes on a loaded machine only stretch the wall clock.
        started = time.process_time()
        response = await datasette.client.get("/-/overlap?q=" + quote(text))
        assert response.status_code == 200
        assert time.process_time() - started < 1.0
