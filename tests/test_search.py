"""Full-text search on the catalog table (`?_search=`) through real Datasette.

The commons_search plugin changes only the plan of a search that matches a
large share of the rows (registry/datasette/plugins/commons_search.py). These
tests hold both plans to plain SQL: the same rows, in name order, across pages,
with the same count and facets, and the searched text escaped on the page.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from build_fixtures import raw_entry, write_corpus
from datasette.utils import escape_fts
from project_datasette import project_datasette

from registry.build.pipeline import build

ENTRIES = 80


def corpus() -> list[dict]:
    """80 entries: "common" in 80% of them, "medium" in 20%, "rare" in two; name order differs from
    id order."""
    entries = []
    for i in range(ENTRIES):
        words = ["common"] if i % 5 else ["medium"]
        if i in (3, 50):
            words.append("rare")
        entries.append(
            raw_entry(
                f"set-{i:03d}",
                name=f"Collection {(i * 37) % ENTRIES:02d}",
                summary=f"A {' '.join(words)} dataset number {i}.",
                licenses=[{"expression": "CC0-1.0" if i % 2 else "CC-BY-NC-4.0", "scope": "all"}],
                copyright_basis="cc0-dedication" if i % 2 else "open-licence",
                modality="text" if i % 3 else "image",
            )
        )
    return entries


@pytest.fixture(scope="module")
def built_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    write_corpus(folder / "entries", corpus())
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1767225600")
    try:
        build(folder / "entries", folder / "registry.db", cache_dir=None, progress=False)
    finally:
        mp.undo()
    return folder / "registry.db"


@pytest.fixture(scope="module")
def id_ordered_db(built_db, tmp_path_factory):
    """The same registry with catalog rows (and so rowids) in id order instead of the build's name
    order."""
    path = tmp_path_factory.mktemp("id-ordered") / "registry.db"
    shutil.copy(built_db, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("create temp table rows as select * from catalog order by id")
        conn.execute("delete from catalog")
        conn.execute("insert into catalog select * from temp.rows")
        conn.execute("insert into catalog_fts(catalog_fts) values ('rebuild')")
    conn.close()
    return path


@pytest.fixture(scope="module", params=["name order", "id order"])
def search_db(request, built_db, id_ordered_db):
    """Both catalogs: rowids in browse order (as built) and in id order; results must not depend on
    it."""
    return built_db if request.param == "name order" else id_ordered_db


def rowids_follow_names(db: Path) -> bool:
    with connect(db) as conn:
        names = [row[0] for row in conn.execute("select name from catalog order by rowid")]
    return names == sorted(names)


def test_the_build_writes_catalog_rows_in_browse_order(built_db, id_ordered_db):
    assert rowids_follow_names(built_db)
    assert not rowids_follow_names(id_ordered_db)


@pytest_asyncio.fixture
async def ds(search_db):
    return await project_datasette(search_db)


def connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.create_function("escape_fts", 1, escape_fts)
    return conn


def expected_ids(db: Path, text: str, where: str = "", order: str = "name, id") -> list[str]:
    """The search as plain SQL: every catalog row the FTS5 match finds, in the page's order."""
    sql = (
        "select id from catalog where rowid in (select rowid from catalog_fts where catalog_fts "
        f"match escape_fts(?)) {where} order by {order}"
    )
    with connect(db) as conn:
        return [row[0] for row in conn.execute(sql, (text,))]


async def all_pages(ds, params: dict) -> list[str]:
    """Every row id of a search, following next_url page by page."""
    ids = []
    response = await ds.client.get("/registry/catalog.json", params=params)
    while True:
        assert response.status_code == 200, response.text
        data = response.json()
        ids += [row["id"] for row in data["rows"]]
        if not data["next_url"]:
            return ids
        next_url = urlsplit(data["next_url"])
        response = await ds.client.get(f"{next_url.path}?{next_url.query}")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text",
    ["common", "medium", "rare", "common dataset", "rare common", "dataset", "nothing-like-this"],
)
async def test_search_finds_every_match_in_name_order_across_pages(ds, search_db, text):
    expected = expected_ids(search_db, text)
    assert (len(expected) > 0) == (text != "nothing-like-this")
    assert await all_pages(ds, {"_search": text, "_size": "7"}) == expected


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["common", "rare"])
async def test_search_with_filter_and_other_sort_orders(ds, search_db, text):
    filtered = await all_pages(ds, {"_search": text, "modality": "image", "_size": "5"})
    assert filtered == expected_ids(search_db, text, where="and modality = 'image'")
    by_name_desc = await all_pages(ds, {"_search": text, "_sort_desc": "name", "_size": "6"})
    assert by_name_desc == expected_ids(search_db, text, order="name desc, id desc")
    by_id = await all_pages(ds, {"_search": text, "_sort": "id", "_size": "9"})
    assert by_id == expected_ids(search_db, text, order="id")


@pytest.mark.asyncio
async def test_column_search_finds_the_same_rows(ds, search_db):
    ids = await all_pages(ds, {"_search_summary": "common", "_size": "10"})
    with connect(search_db) as conn:
        expected = [
            row[0]
            for row in conn.execute(
                "select id from catalog where rowid in (select rowid from catalog_fts where "
                "summary match escape_fts('common')) order by name, id"
            )
        ]
    assert ids == expected and len(expected) == 64


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["common", "medium", "rare"])
async def test_count_and_facets_of_a_search_equal_plain_sql(ds, search_db, text):
    data = (
        await ds.client.get(
            "/registry/catalog.json",
            params={"_search": text, "_extra": "count,facet_results", "_size": "1"},
        )
    ).json()
    expected = expected_ids(search_db, text)
    assert data["count"] == len(expected)
    assert data["facet_results"]["timed_out"] == []
    ids = ", ".join(f"'{entry_id}'" for entry_id in expected)
    with connect(search_db) as conn:
        for column in ("category", "license_family", "modality"):
            rows = conn.execute(
                f"select {column}, count(*) from catalog where id in ({ids}) and {column} is "
                f"not null group by {column}"
            )
            shown = {
                item["value"]: item["count"]
                for item in data["facet_results"]["results"][column]["results"]
            }
            assert shown == dict(rows), column


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "text", ['<script>alert("search")</script>', 'common <script>alert("search")</script>']
)
async def test_searched_text_is_escaped_on_the_page(ds, text):
    for params in ({"_search": text, "_sort": "name"}, {"_search": text}):  # table, ranked search
        page = await ds.client.get("/registry/catalog", params=params, follow_redirects=True)
        assert page.status_code == 200
        assert '<script>alert("search")' not in page.text
        assert "&lt;script&gt;alert(" in page.text
    assert (
        await ds.client.get("/registry/catalog.json", params={"_search": text})
    ).status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ['"unbalanced', "NEAR(", "common AND"])
async def test_bad_raw_search_is_a_clear_400(ds, text):
    response = await ds.client.get(
        "/registry/catalog.json", params={"_search": text, "_searchmode": "raw"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["ok"] is False


@pytest.mark.asyncio
async def test_rows_stay_exact_when_the_share_is_estimated_from_a_sample(
    ds, search_db, monkeypatch
):
    """With more matches than the sample, the plugin estimates the share of rows a search
    matches from how far into the rowids its first matches reach; whatever it estimates, a
    page holds exactly the matching rows."""
    from datasette.plugins import pm

    plugin = next(p for p in pm.get_plugins() if getattr(p, "__name__", "") == "commons_search.py")
    monkeypatch.setattr(plugin, "SAMPLE_MATCHES", 10)
    with connect(search_db) as conn:
        reach = {
            text: conn.execute(
                "select max(rowid) from (select rowid from catalog_fts where catalog_fts "
                "match ? order by rowid limit 10)",
                (text,),
            ).fetchone()[0]
            for text in ("common", "medium")
        }
    assert 10 / reach["common"] > 0.25 > 10 / reach["medium"], reach
    for text in ("common", "medium", "dataset"):
        data = (
            await ds.client.get(
                "/registry/catalog.json",
                params={"_search": text, "_extra": "query,count", "_size": "max"},
            )
        ).json()
        assert [row["id"] for row in data["rows"]] == expected_ids(search_db, text)
