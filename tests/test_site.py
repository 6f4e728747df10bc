"""The static site built for real (mkdocs build --strict) from a fixture registry.db."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from html_safety import local_links, scan_site
from site_fixture_db import HOSTILE_TITLE, fixture_rows, make_fixture_db

from registry.commands.cli import cli

REPO = Path(__file__).resolve().parent.parent


def build(
    tmp: Path,
    db: Path,
    site_dir: Path = REPO / "site",
    exports: Path | None = None,
    extra: tuple = (),
):
    args = [
        "site",
        "--db",
        str(db),
        "--out",
        str(tmp / "site"),
        "--src",
        str(tmp / "site-src"),
        "--site-dir",
        str(site_dir),
        *extra,
    ]
    if exports:
        args += ["--exports", str(exports)]
    return CliRunner().invoke(cli, args)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    db = make_fixture_db(tmp / "registry.db")
    exports = tmp / "exports"
    exports.mkdir()
    (exports / "catalog.csv").write_text("id,name\nwikipedia-en,English Wikipedia\n")
    (exports / "badges").mkdir()
    for index in range(25):
        (exports / "badges" / f"entry-{index:02d}.svg").write_text("<svg></svg>")
    result = build(tmp, db, exports=exports)
    assert result.exit_code == 0, result.output
    return tmp / "site", tmp / "site-src", db


def test_every_entry_has_a_page(built):
    site, _, db = built
    ids = [row[0] for row in sqlite3.connect(db).execute("select id from entries")]
    assert len(ids) == 7
    for entry_id in ids:
        assert (site / "entries" / f"{entry_id}.html").is_file(), entry_id


def test_no_executable_content_anywhere(built):
    site, _, _ = built
    count, findings = scan_site(site)
    assert count > 40
    assert findings == []


def test_scanner_catches_what_it_should(tmp_path):
    """The safety scan is only worth something if it flags each kind of bad markup."""
    (tmp_path / "js").mkdir()
    bad = {
        "inline.html": "<script>alert(1)</script>",
        "foreign.html": '<script src="https://cdn.example/x.js"></script>',
        "handler.html": "<img src=x onerror=alert(1)>",
        "scheme.html": '<a href=" JaVa\tScRiPt:alert(1)">x</a>',
        "data.html": '<a href="data:text/html;base64,xx">x</a>',
        "frame.html": "<iframe src=//evil></iframe>",
    }
    for name, html in bad.items():
        (tmp_path / name).write_text(html)
    (tmp_path / "ok.html").write_text(
        '<script src="js/base-url.js"></script><a href="https://e.org">x</a>'
    )
    count, findings = scan_site(tmp_path)
    assert count == 7
    flagged = {finding.split(":")[0] for finding in findings}
    assert flagged == set(bad)


def test_hostile_text_is_shown_literally(built):
    site, _, _ = built
    html = (site / "entries" / "xss-fixture.html").read_text()
    text = _text(html)
    assert '"><script>alert(1)</script>' in text  # row 29: a title, shown as text
    assert "{{ config }} {% include 'x' %}" in text  # row 30: no template ran
    assert '{: onmouseover="alert(1)" }' in text  # row 27: attr_list syntax stays text
    assert "[c](javascript:alert(1))" in text  # row 25: never a link
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0].replace("&lt;script", "")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt; · Commons Registry"


def test_generated_blocks_pass_through_python_markdown_unchanged(built):
    """mkdocs must emit each generated raw HTML block byte for byte: nothing re-read as Markdown."""
    site, src, _ = built
    for md in sorted((src / "docs").rglob("*.md")):
        source = md.read_text()
        if not source.startswith('<div class="generated">'):
            continue
        page = (site / md.relative_to(src / "docs")).with_suffix(".html").read_text()
        assert source.strip() in page, md


def test_markdown_pass_and_passthrough_give_the_same_site(built, tmp_path):
    """With --no-passthrough, mkdocs runs Python-Markdown over every generated page: same bytes
    out."""
    site, _, db = built
    result = build(tmp_path, db, exports=site.parent / "exports", extra=("--no-passthrough",))
    assert result.exit_code == 0, result.output
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert pages == sorted(
        p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("*.html")
    )
    for page in pages:
        assert (site / page).read_bytes() == (tmp_path / "site" / page).read_bytes(), page
    assert scan_site(tmp_path / "site")[1] == []


def test_internal_links_resolve(built):
    site, _, _ = built
    anchors: dict[Path, set[str]] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue  # served at any path, so mkdocs gives it root-absolute links on purpose
        links, _ = local_links(page)
        for link in links:
            parts = urlsplit(link)
            if (
                parts.scheme
                or link.startswith(("//", "/-/", "mailto:"))
                or link.startswith("../exports/")
            ):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} → {link}")
            elif parts.fragment and target.suffix == ".html":
                if target not in anchors:
                    anchors[target] = local_links(target)[1]
                if parts.fragment not in anchors[target]:
                    broken.append(f"{page.relative_to(site)} → {link} (no such anchor)")
    assert broken == []


def test_no_external_assets(built):
    site, _, _ = built
    for page in site.rglob("*.html"):
        html = page.read_text()
        for match in re.finditer(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', html):
            assert not urlsplit(match.group(1)).scheme, f"{page}: {match.group(0)}"


def test_entry_page_shows_rights_classification_and_lineage(built):
    site, _, _ = built
    text = _text((site / "entries" / "wikipedia-en.html").read_text())
    for expected in [
        "English Wikipedia",
        "CC-BY-SA-4.0",
        "Verification level",
        "copyleft-open",
        "CC-BY-SA-4.0 is an open copyleft licence.",
        "Training-Commercial-Standard",
        "fits-with-conditions",
        "Datasets derived from it",
        "News Crawl (non-commercial)",
        "Included in",
        "US Federal Court Opinions",
        "5%",
        "Created",
        "2026-01-10",
        "Images may carry other licences.",
        "attribution, share-alike",
        "Packaged for AI training no",
    ]:
        assert expected in text, expected
    html = (site / "entries" / "wikipedia-en.html").read_text()
    assert (
        'href="https://github.com/commons-registry/commons-registry/edit/main/entries/wikipedia-en.yaml"'
        in html
    )
    assert 'href="https://creativecommons.org/licenses/by-sa/4.0/"' in html
    signals = _text((site / "entries" / "news-crawl-nc.html").read_text())
    assert "train-ai=n" in signals and "2026-08-01" in signals
    upcoming = _text((site / "entries" / "gutenberg-1930.html").read_text())
    assert "Enters the commons on 2026-01-01" in upcoming


def test_entry_pages_are_not_in_the_nav(built):
    site, _, _ = built
    home = (site / "index.html").read_text()
    nav = home.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]
    assert "entries/" not in nav
    assert "browse/index.html" in nav


def test_browse_pages_cover_every_facet(built):
    site, _, _ = built
    for name in [
        "category-commons-by-default",
        "license-cc0-1-0",
        "modality-audio",
        "language-fr",
        "domain-speech",
        "publisher-type-academic",
    ]:
        assert "Common Voice" in _text((site / "browse" / f"{name}.html").read_text()) or name in (
            "publisher-type-academic",
        ), name
    assert "News Crawl" in _text((site / "browse" / "publisher-type-academic.html").read_text())
    browse = _text((site / "browse" / "index.html").read_text())
    for heading in [
        "By category",
        "By licence",
        "By modality",
        "By language",
        "By domain",
        "By publisher type",
    ]:
        assert heading in browse, heading
    assert "Commons by default 3" in browse
    commons = _text((site / "commons-by-default.html").read_text())
    assert "Common Voice" in commons and "Stock Photo Samples" not in commons


def test_home_has_accessible_charts(built):
    site, _, _ = built
    home = (site / "index.html").read_text()
    charts = re.findall(r"<figure class=\"chart\">.*?<svg[^>]*>.*?</svg>", home, re.S)
    assert len(charts) == 4
    for chart in charts:
        assert 'role="img"' in chart and "<title id=" in chart and "aria-labelledby=" in chart
    assert "Commons by default" in _text(charts[0])


def test_rules_page(built):
    site, _, _ = built
    text = _text((site / "rules.html").read_text())
    assert "2026.11.0" in text and "First published rules." in text
    assert "Works of the US federal government are not protected by copyright in the US." in text
    assert "Propose a change" in text


def test_downloads_lists_exports_with_sha256(built):
    site, _, _ = built
    html = (site / "downloads.html").read_text()
    digest = hashlib.sha256(b"id,name\nwikipedia-en,English Wikipedia\n").hexdigest()
    assert 'href="../exports/catalog.csv"' in html and digest in html
    text = _text(html)
    assert (
        "badges/ 25 files, for example entry-00.svg" in text
    )  # a folder of one file per entry is summarised
    assert "entry-01.svg" not in text


def test_search_index_holds_entries_but_never_raw_config(built):
    site, _, _ = built
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = {doc["location"] for doc in index["docs"]}
    assert "entries/common-voice.html" in locations
    titles = {doc["title"] for doc in index["docs"]}
    assert HOSTILE_TITLE in titles  # plain text; the search page escapes it before display
    assert not any(location.startswith("browse/category-") for location in locations)
    voice = next(doc for doc in index["docs"] if doc["location"] == "entries/common-voice.html")
    assert voice["text"].startswith(
        "Crowd-sourced read speech in many languages. · Commons by default · CC0-1.0 · "
        "Mozilla Foundation · audio"
    )
    assert "At a glance" not in voice["text"]


def test_missing_database_is_a_clear_error(tmp_path):
    result = build(tmp_path, tmp_path / "nope.db")
    assert result.exit_code == 1
    assert "no such database" in result.output and "Traceback" not in result.output


def test_bad_entry_id_is_refused(tmp_path):
    rows = fixture_rows()
    rows["entries"][0]["id"] = "../../evil"
    rows = {
        table: [r for r in table_rows if r.get("entry_id", "x") != "us-court-opinions"]
        for table, table_rows in rows.items()
    }
    rows["lineage"] = []
    result = build(tmp_path, make_fixture_db(tmp_path / "registry.db", rows))
    assert result.exit_code == 1
    assert "'../../evil'" in result.output
    assert not (tmp_path / "site").exists()


def test_strict_mkdocs_failure_is_reported(tmp_path):
    site_dir = tmp_path / "site-project"
    shutil.copytree(REPO / "site", site_dir)
    (site_dir / "docs" / "about.md").write_text("# About\n\nSee [missing](no-such-page.md).\n")
    result = build(tmp_path, make_fixture_db(tmp_path / "registry.db"), site_dir=site_dir)
    assert result.exit_code == 1
    assert "mkdocs build --strict failed" in result.output and "no-such-page.md" in result.output


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_two_builds_are_byte_identical(built, tmp_path, monkeypatch):
    """Same database, same SOURCE_DATE_EPOCH: the same site, file for file."""
    _, _, db = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    digests = []
    for run in ("a", "b"):
        result = build(tmp_path / run, db)
        assert result.exit_code == 0, result.output
        site = tmp_path / run / "site"
        digests.append(
            {
                p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*"))
                if p.is_file()
            }
        )
    assert len(digests[0]) > 40
    assert digests[0] == digests[1]


def test_refuses_to_wipe_a_folder_it_did_not_write(tmp_path):
    precious = tmp_path / "site"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    result = build(tmp_path, make_fixture_db(tmp_path / "registry.db"))
    assert result.exit_code == 1 and "refusing to replace it" in result.output
    assert (precious / "notes.txt").read_text() == "keep me"
