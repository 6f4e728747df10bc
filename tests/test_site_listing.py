"""The site's listing pages, paged and sorted, and their hand-over to Datasette's catalog table.

The session registry has 9 entries; the listings are built here with 4 entries a page, so every
listing of more than 4 entries pages as the catalog's listings do at 100 a page.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sqlite3
from contextlib import closing
from urllib.parse import parse_qsl, urlsplit

import pytest
from project_datasette import query
from site_helpers import build

from registry.site import listing
from registry.site.wording import SHORT_DUTIES

PAGE = 4
IMPORTED = ("alpha-archives", "gamma-code")


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory, built_registry):
    """The site of the session registry with two entries marked imported, 4 entries a page."""
    tmp = tmp_path_factory.mktemp("paged")
    db = tmp / "registry.db"
    shutil.copy(built_registry, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"update entries set origin = 'imported' where id in {IMPORTED}")
    importlib.import_module("registry.site.generate")  # before the patch, as in a whole run
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing, "PAGE_SIZE", PAGE)
        result = build(tmp, db)
    assert result.exit_code == 0, result.output
    return tmp / "site"


def rows(html: str) -> list[str]:
    """The entry ids of a listing page's table, in order."""
    body = html.split('<table class="entry-list">', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<tr><td><a href="\.\./entries/([a-z0-9-]+)\.html">', body)


def test_every_entry_is_listed_once_by_name_page_by_page(paged_site, built_registry):
    names = dict(query(built_registry, "select id, name from entries"))
    pages = [paged_site / "browse" / "all.html"]
    pages += sorted((paged_site / "browse").glob("all.page-*.html"), key=lambda p: p.name)
    assert len(pages) == -(-len(names) // PAGE) == 3
    listed = []
    for number, page in enumerate(pages, start=1):
        html = page.read_text()
        shown = rows(html)
        assert 0 < len(shown) <= PAGE
        assert f"on page {number} of 3" in html
        assert '<span aria-current="page">' + str(number) in html
        if number < 3:
            assert f'href="all.page-{number + 1}.html" rel="next"' in html
        listed += shown
    assert sorted(listed) == sorted(names)
    keys = [(names[i].casefold(), i) for i in listed]
    assert keys == sorted(keys)


def test_a_facet_page_leaves_out_its_own_column_and_hands_its_filter_over(paged_site):
    html = (paged_site / "browse" / "category-commons-by-default.html").read_text()
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Category" not in head and "What you must do" in head and "Licence" in head
    assert '<input type="hidden" name="category" value="commons-by-default">' in html
    assert 'action="../../-/browse"' in html
    assert '<select name="category">' not in html and '<select name="modality">' in html
    modality = (paged_site / "browse" / "modality-text.html").read_text()
    assert '<th scope="col">Modality</th>' not in modality and "Category" in modality


def test_the_commons_page_shows_one_listing_page_of_its_entries(paged_site):
    """Its first page is the listing's page size wherever that is set, however early the site's
    modules were imported (an import-time copy gave other builds 4 or 100 by import order)."""
    html = (paged_site / "commons-by-default.html").read_text()
    listing_page = (paged_site / "browse" / "category-commons-by-default.html").read_text()
    assert f"The first {PAGE} by name are below" in html
    assert 'href="browse/category-commons-by-default.html">all 6, page by page</a>' in html
    assert len(rows(listing_page)) == PAGE


def test_imported_records_are_badged_counted_and_a_facet(paged_site):
    first = (paged_site / "browse" / "all.html").read_text()
    assert "9 entries (7 curated, 2 imported with the licence their uploader declared)" in first
    badged = []
    for page in (paged_site / "browse").glob("all*.html"):
        badged += re.findall(
            r'entries/([a-z0-9-]+)\.html">[^<]*</a> <span class="badge badge-imported"',
            page.read_text(),
        )
    assert sorted(badged) == sorted(IMPORTED)
    imported = (paged_site / "browse" / "origin-imported.html").read_text()
    assert sorted(rows(imported)) == sorted(IMPORTED)
    browse = (paged_site / "browse" / "index.html").read_text()
    assert 'Imported: declared, unchecked</a> <span class="count">2</span>' in browse
    assert '<select name="origin">' in browse


def test_the_obligations_column_says_what_to_do(paged_site, built_registry):
    cells = {}
    for page in (paged_site / "browse").glob("all*.html"):
        for entry_id, cell in re.findall(
            r'entries/([a-z0-9-]+)\.html">.*?<td data-label="What you must do">([^<]*)</td>',
            page.read_text(),
        ):
            cells[entry_id] = cell
    found = query(built_registry, "select entry_id, category, obligations from classifications")
    assert set(cells) == {entry_id for entry_id, _, _ in found}
    for entry_id, category, obligations in found:
        if category == "not-commons":
            assert cells[entry_id] == "Not open for reuse"
        elif category == "undetermined":
            assert cells[entry_id] == "Not known yet"
        else:
            said = "; ".join(SHORT_DUTIES[o] for o in json.loads(obligations))
            assert cells[entry_id] == (said[:1].upper() + said[1:] or "Nothing")
    assert cells["beta-speech"] == "Credit the source; keep notices"


@pytest.mark.asyncio
async def test_browse_hands_a_listing_to_the_filtered_catalog_table(ds, registry_db):
    response = await ds.client.get(
        "/-/browse?category=commons-by-default&modality=&language=en&license=CC0-1.0"
        "&sort=-updated&domain="
    )
    assert response.status_code == 302
    target = response.headers["location"]
    assert urlsplit(target).path == "/registry/catalog"
    assert sorted(parse_qsl(urlsplit(target).query)) == sorted(
        [
            ("category", "commons-by-default"),
            ("languages__arraycontains", "en"),
            ("_where", "id in (select entry_id from license_ids where license_id = 'CC0-1.0')"),
            ("_sort_desc", "updated"),
        ]
    )
    page = await ds.client.get(target.replace("/registry/catalog", "/registry/catalog.json"))
    assert page.status_code == 200
    expected = query(
        registry_db,
        "select c.id from catalog c where c.category = 'commons-by-default' and exists "
        "(select 1 from languages l where l.entry_id = c.id and l.language = 'en') and c.id in "
        "(select entry_id from license_ids where license_id = 'CC0-1.0')",
    )
    assert expected, "the fixture must give the hand-over some rows"
    assert sorted(row["id"] for row in page.json()["rows"]) == sorted(i for (i,) in expected)
    refused = await ds.client.get("/-/browse?colour=red")
    assert refused.status_code == 400 and "colour: not a facet" in refused.text
    hostile = await ds.client.get("/-/browse?license=x'%20or%201=1%20or%20'")
    assert hostile.status_code == 302
    location = hostile.headers["location"].replace("/registry/catalog", "/registry/catalog.json")
    quoted = await ds.client.get(location)
    assert quoted.status_code == 200 and quoted.json()["rows"] == []  # a value, never SQL
