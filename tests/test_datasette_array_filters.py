"""On the real catalog's build, a page filtered by an array value (read through the kept rowids,
registry/datasette/plugins/array_filters.py) lists exactly the rows, count and facet counts of the
plain definition: json_each over the catalog's own arrays, and Datasette's own facets."""

from __future__ import annotations

import pytest
from project_datasette import plain_filter_ids, project_datasette

from registry.build.db_schema import ARRAY_FACET_COUNTS, PLAIN_FACET_COLUMNS
from registry.read.catalog_rowids import read_catalog_rowids

PAGES = [
    "languages__arraycontains=en",
    "modality=text&languages__arraycontains=en",
    "modality__exact=text&languages__arraycontains=en",
    "languages__arraycontains=en&languages__arraycontains=fr",
    "domains__arraycontains=science",
    "category=commons-by-default&domains__arraycontains=cultural-heritage",
    "domains__arraycontains=literature&languages__arraycontains=en&modality=text",
    "signals__arraycontains=robots: Disallow for *",
    "languages__arraycontains=en&category__not=commons-by-default",
    "languages__arraycontains=en&_search=archive",
    "modality=text&modality=audio&languages__arraycontains=en",
    "languages__arraycontains=xx-none",
]
FACETS = "&".join(
    [f"_facet={c}" for c in ["category", "license_family", "modality", "verification"]]
    + [f"_facet_array={c}" for c in sorted(ARRAY_FACET_COUNTS)]
)


@pytest.mark.asyncio
@pytest.mark.parametrize("args", PAGES)
async def test_an_array_filtered_page_lists_the_rows_of_the_plain_definition(project_catalog, args):
    ds = await project_datasette(project_catalog)
    response = await ds.client.get(
        f"/registry/catalog.json?{args}&_size=max&_extra=count&_sort=id&_extra=facet_results"
        f"&{FACETS}"
    )
    assert response.status_code == 200
    data = response.json()
    expected = plain_filter_ids(project_catalog, args)
    assert [row["id"] for row in data["rows"]] == expected
    assert data["count"] == len(expected)
    if "xx-none" not in args and "modality=audio" not in args:
        assert expected, "the real catalog must give the page some rows"
    # Every facet the page counts from its rows equals Datasette's own GROUP BY beside it.
    facets = {(f["name"], f["type"]): f for f in data["facet_results"]["results"].values()}
    assert data["facet_results"]["timed_out"] == []
    for (name, kind), facet in facets.items():
        theirs = {"indexed_column": "column", "indexed_array": "array"}.get(kind)
        if theirs and (name, theirs) in facets:
            ours = [(v["value"], v["count"]) for v in facet["results"]]
            assert ours == [(v["value"], v["count"]) for v in facets[(name, theirs)]["results"]]


@pytest.mark.asyncio
async def test_the_page_sql_names_the_rowid_function_and_runs_in_the_sql_editor(project_catalog):
    """The page's SQL, as "View and edit SQL" gives it, runs as a query of its own."""
    ds = await project_datasette(project_catalog)
    args = "modality=text&languages__arraycontains=en"
    page = (await ds.client.get(f"/registry/catalog.json?{args}&_extra=query&_size=max")).json()
    assert "commons_catalog_rowids('modality'" in page["query"]["sql"]
    ran = await ds.client.get(
        "/registry/-/query.json", params={"sql": page["query"]["sql"], **page["query"]["params"]}
    )
    assert ran.status_code == 200, ran.text
    expected = plain_filter_ids(project_catalog, args)
    assert sorted(row["id"] for row in ran.json()["rows"]) == expected


@pytest.mark.asyncio
async def test_the_server_reads_rowids_and_facet_values_before_its_first_request(project_catalog):
    """Both are read by startup, which `datasette serve` finishes before it listens: at 100,000
    entries the first filtered page otherwise waited seconds for them."""
    ds = await project_datasette(project_catalog)
    values, rowids = ds._commons_catalog_values["registry"]
    assert values.covers("modality") and "modality" in rowids.by_column


def test_kept_rowids_equal_each_plain_and_array_condition(project_catalog):
    """Every kept set, column by column, is the rows SQL gives for that value."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(f"file:{project_catalog}?mode=ro", uri=True)) as conn:
        kept = read_catalog_rowids(conn, PLAIN_FACET_COLUMNS, list(ARRAY_FACET_COUNTS))
        for column in PLAIN_FACET_COLUMNS:
            for (value,) in conn.execute(f"select distinct [{column}] from catalog"):
                sql = f"select rowid from catalog where [{column}] = ? order by rowid"
                expected = [row[0] for row in conn.execute(sql, [value])]
                assert kept.matching([(column, value)]).tolist() == expected, (column, value)
        for column in ARRAY_FACET_COUNTS:
            sql = f"select distinct j.value from catalog c, json_each(c.[{column}]) j"
            for (value,) in conn.execute(sql):
                sql = (
                    "select rowid from catalog where ? in "
                    f"(select value from json_each([{column}])) order by rowid"
                )
                expected = [row[0] for row in conn.execute(sql, [value])]
                assert kept.matching([(column, value)]).tolist() == expected, (column, value)


@pytest.mark.asyncio
async def test_the_rowid_function_answers_before_any_page_has_read_the_sets(project_catalog):
    """In the SQL editor of a fresh server the function reads the sets on its own connection."""
    ds = await project_datasette(project_catalog)
    sql = (
        "select id from catalog where rowid in "
        "(select value from json_each(commons_catalog_rowids('languages', 'en'))) order by id"
    )
    ran = await ds.client.get("/registry/-/query.json", params={"sql": sql, "_size": "max"})
    assert ran.status_code == 200, ran.text
    expected = plain_filter_ids(project_catalog, "languages__arraycontains=en")
    assert [row["id"] for row in ran.json()["rows"]] == expected
