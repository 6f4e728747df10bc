"""The catalog's ranked search (the `search` canned query, registry/datasette/plugins/
search_ranked.py) through real Datasette, on test_search.py's corpus: "common" in 80% of the
entries, "medium" in 20%, "rare" in set-003 (with "common") and set-050 (with "medium")."""

from __future__ import annotations

import sqlite3

import pytest
import pytest_asyncio
from project_datasette import project_datasette
from test_search import built_db  # noqa: F401 (the module's fixture)

from registry.datasette.plugins.search_ranked import results_html
from registry.site.render import CATEGORY_LABELS


@pytest_asyncio.fixture
async def ds(built_db):  # noqa: F811
    return await project_datasette(built_db)


async def ranked(ds, q: str) -> list[str]:
    response = await ds.client.get("/registry/search.json", params={"q": q, "_shape": "array"})
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()]


def ids(db, sql: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute(sql)]


@pytest.mark.asyncio
async def test_any_word_finds_a_match_every_word_would_miss(ds):
    assert sorted(await ranked(ds, "rare zzyzx")) == ["set-003", "set-050"]
    assert sorted(await ranked(ds, "the rare")) == ["set-003", "set-050"]  # "the" says nothing


@pytest.mark.asyncio
async def test_all_the_words_rank_before_any_of_them(ds, built_db):  # noqa: F811
    found = await ranked(ds, "rare common")
    assert found[0] == "set-003"  # both words; then either, A to Z
    rest = ids(
        built_db,
        "select c.id from catalog c where c.summary like '%common%' or c.summary like '%rare%' "
        "order by c.name",
    )
    assert found[1:] == [i for i in rest if i != "set-003"]
    assert len(found) == len(set(found))


@pytest.mark.asyncio
async def test_words_in_the_name_rank_first(ds, built_db):  # noqa: F811
    (named,) = ids(built_db, "select id from catalog where name = 'Collection 07'")
    found = await ranked(ds, "07 collection")  # every name has "collection"; A to Z puts 00 first
    assert found[0] == named and len(found) == 80


@pytest.mark.asyncio
async def test_a_plain_catalog_search_opens_the_ranked_search_which_links_back(ds):
    response = await ds.client.get("/registry/catalog", params={"_search": "rare zzyzx"})
    assert response.status_code == 302
    assert response.headers["location"] == "/-/search?q=rare+zzyzx"
    page = await ds.client.get(response.headers["location"])
    listed = page.text.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
    assert listed.count("<li>") == 2 and '<a href="/entry/set-003">' in listed
    assert 'href="/registry/catalog?_search=rare+zzyzx&amp;_sort=name"' in page.text
    assert 'href="/registry/search.json?q=rare+zzyzx"' in page.text
    hostile = await ds.client.get("/-/search", params={"q": '<script>alert("q")</script>'})
    assert hostile.status_code == 200 and '<script>alert("q")' not in hostile.text
    for kept in ({"_search": "rare", "_sort": "name"}, {"_search": "rare", "modality": "text"}):
        assert (await ds.client.get("/registry/catalog", params=kept)).status_code == 200
    assert (await ds.client.get("/registry/catalog.json?_search=rare")).status_code == 200


# The list as commons_search.html drew it in Datasette's own (async) Jinja, before the search
# plugin drew it in Python (search_ranked.results_html): the page must not change.
ASYNC_LIST = """<ol class="search-results">
{% for row in rows %}
<li><a href="{{ urls.path('/entry/' ~ row.id) }}">{{ row.name or row.id }}</a> <span class="badge \
badge-{{ row.category }}">{{ labels.get(row.category, row.category) }}</span>{% if row.origin == \
'imported' %} <span class="badge badge-imported" title="Imported from an open catalog: the licence \
is the uploader's declaration, not checked">Imported</span>{% endif %}<br>{{ row.summary }}</li>
{% endfor %}
</ol>"""
HOSTILE = [
    {
        "id": "a&b",
        "name": '<script>alert("x")</script>',
        "summary": "R&D <b>bold</b> 'q'",
        "category": "commons-by-default",
        "origin": "curated",
    },
    {"id": "no-name", "name": None, "summary": None, "category": 'x" on="y', "origin": "imported"},
]


async def drawn_by_datasette(ds, rows: list[dict]) -> str:
    template = ds.get_jinja_environment().from_string(ASYNC_LIST)
    return await template.render_async(rows=rows, urls=ds.urls, labels=CATEGORY_LABELS)


@pytest.mark.asyncio
async def test_the_list_of_matches_is_what_datasettes_environment_drew(ds):
    for q in ("rare common", "common", "zzyzx"):
        rows = await ds.client.get("/registry/search.json", params={"q": q, "_shape": "array"})
        page = await ds.client.get("/-/search", params={"q": q})
        listed = page.text.split('<ol class="search-results">', 1)[1].split("</ol>", 1)[0]
        expected = await drawn_by_datasette(ds, rows.json())
        assert f'<ol class="search-results">{listed}</ol>' == expected
    for rows in (HOSTILE, HOSTILE[1:], []):  # escaping, a missing name, the imported badge
        drawn = await drawn_by_datasette(ds, rows)
        assert f'<ol class="search-results">\n{results_html(rows, ds.urls)}\n</ol>' == drawn


@pytest.mark.asyncio
async def test_datasettes_assets_keep_the_urls_datasette_gives(ds):
    """The theme plugin keeps each `static()` answer (registry/datasette/plugins/theme.py): the
    page links Datasette's own files under the URLs, content hash included, that Datasette gives."""
    page = (await ds.client.get("/-/search", params={"q": "rare"})).text
    for asset in ("app.css", "modal.js", "datasette-manager.js"):
        url = ds.static(asset)
        assert "_hash=" in url and f'"{url}"' in page
    assert ds.get_jinja_environment().globals["static"]("app.css") == ds.static("app.css")
