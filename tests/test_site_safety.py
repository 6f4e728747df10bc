"""The built site runs nothing it should not: contributor text and hostile database values are
shown as text, generated blocks reach the page untouched, and no asset comes from elsewhere."""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from urllib.parse import urlsplit

from build_fixtures import HOSTILE_INLINE
from html_safety import scan_site
from site_helpers import _text, build

from registry.site.mkdocs_step import BUILT


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
        if md.name == "index.md" and md.parent == src / "docs":
            # The home page's build line is written after mkdocs (registry/site/mkdocs_step.py);
            # the rest of its block is mkdocs's, byte for byte.
            assert BUILT.search(page).group(0).startswith('<p class="hint" id="built">Built ')
            page = BUILT.sub('<p class="hint" id="built"></p>', page)
        assert source.strip() in page, md


def test_no_external_assets(built):
    site, _, _ = built
    for page in site.rglob("*.html"):
        html = page.read_text()
        for match in re.finditer(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"', html):
            assert not urlsplit(match.group(1)).scheme, f"{page}: {match.group(0)}"


KEYS = {"id", "entry_id", "related_id", "other_id"}


def test_hostile_values_the_build_never_writes_are_escaped_too(tmp_path, built_registry):
    """Defence in depth: a registry.db whose every text cell of one entry (and of the rules it
    cites) is hostile, even where the build only ever writes vocabulary values (category, rule
    ids, URLs, dates), still gives a site with nothing executable in it."""
    db = tmp_path / "registry.db"
    shutil.copy(built_registry, db)
    with closing(sqlite3.connect(db)) as connection, connection:
        for (table,) in connection.execute(
            "select name from sqlite_master where type = 'table' and name not like '%fts%'"
        ).fetchall():
            info = connection.execute(f"pragma table_info([{table}])").fetchall()
            columns = {c[1] for c in info}
            owner = "id" if table in ("entries", "catalog") else "entry_id"
            if owner not in columns:
                continue
            for column in sorted(columns - KEYS - {c[1] for c in info if c[5]}):
                connection.execute(
                    f"update [{table}] set [{column}] = case when [{column}] like '[%' "
                    f"then json_array(?1) when [{column}] like '{{%' then json_object('training', "
                    f"json_array(?1)) else ?1 end where [{owner}] = 'xss-fixture' "
                    f"and typeof([{column}]) = 'text'",
                    (HOSTILE_INLINE,),
                )
        connection.execute(
            "update rules set reason = ?1, citation = 'javascript:alert(1)'", (HOSTILE_INLINE,)
        )
        connection.execute(
            "update evidence set url = 'java\tscript:alert(1)' where entry_id = 'xss-fixture'"
        )
    result = build(tmp_path, db)
    assert result.exit_code == 0, result.output
    count, findings = scan_site(tmp_path / "site")
    assert count > 40 and findings == []
    text = _text((tmp_path / "site" / "entries" / "xss-fixture.html").read_text())
    assert "{{ config }} {% include 'x' %}" in text
