"""Datasette's catalog facets: stored counts (unfiltered) and live GROUP BYs (filtered,
searched) agree with plain SQL over the rows, and toggle like Datasette's own."""

from __future__ import annotations

from collections import Counter

import pytest
from build_fixtures import registry_corpus
from project_datasette import facet_counts, plain_filter_ids, query


@pytest.mark.asyncio
async def test_configured_facets_return_the_expected_counts(ds, registry_db):
    response = await ds.client.get("/registry/catalog.json?_extra=facet_results&_size=1")
    assert response.status_code == 200
    data = response.json()
    corpus = registry_corpus()
    assert facet_counts(data, "modality") == Counter(e["modality"] for e in corpus)
    assert facet_counts(data, "languages") == Counter(
        lang for e in corpus for lang in e["languages"]
    )
    assert facet_counts(data, "domains") == Counter(d for e in corpus for d in e["domains"])
    assert facet_counts(data, "verification") == Counter(e["verification"] for e in corpus)
    assert facet_counts(data, "publisher_type") == Counter(e["publisher"]["type"] for e in corpus)
    assert facet_counts(data, "signals") == {"ietf-aipref: train-ai=n": 1}
    assert facet_counts(data, "category") == dict(
        query(registry_db, "select category, count(*) from classifications group by category")
    )
    assert facet_counts(data, "license_family") == dict(
        query(
            registry_db,
            "select license_family, count(*) from classifications group by license_family",
        )
    )
    assert data["facet_results"]["timed_out"] == []


@pytest.mark.asyncio
async def test_facet_filter_narrows_rows(ds):
    data = (
        await ds.client.get(
            "/registry/catalog.json?languages__arraycontains=fr&_extra=facet_results"
        )
    ).json()
    assert [row["id"] for row in data["rows"]] == ["alpha-archives"]
    # Array facets counted from the child tables follow the filter too.
    assert facet_counts(data, "languages") == {"en": 1, "fr": 1}
    assert facet_counts(data, "domains") == {"cultural-heritage": 1, "literature": 1}
    searched = (
        await ds.client.get("/registry/catalog.json?_search=speech&_extra=facet_results")
    ).json()
    assert facet_counts(searched, "languages") == {"de": 1}
    assert facet_counts(searched, "signals") == {"ietf-aipref: train-ai=n": 1}


PLAIN_SQL_FACETS = {
    "category": (
        "select category, count(*) from catalog where id in ({ids}) and category is not null "
        "group by category"
    ),
    "license_family": (
        "select license_family, count(*) from catalog where id in ({ids}) and license_family is "
        "not null group by license_family"
    ),
    "modality": (
        "select modality, count(*) from catalog where id in ({ids}) and modality is not null "
        "group by modality"
    ),
    "publisher_type": (
        "select publisher_type, count(*) from catalog where id in ({ids}) and publisher_type is "
        "not null group by publisher_type"
    ),
    "verification": (
        "select verification, count(*) from catalog where id in ({ids}) and verification is not "
        "null group by verification"
    ),
    "languages": (
        "select j.value, count(*) from catalog c, json_each(c.languages) j where c.id in ({ids}) "
        "group by j.value"
    ),
    "domains": (
        "select j.value, count(*) from catalog c, json_each(c.domains) j where c.id in ({ids}) "
        "group by j.value"
    ),
    "signals": (
        "select j.value, count(distinct c.id) from catalog c, json_each(c.signals) j where c.id "
        "in ({ids}) group by j.value"
    ),
}


FACET_PAGES = {
    "unfiltered": ("", "select id from catalog"),
    "filtered by column": ("modality=text", "select id from catalog where modality = 'text'"),
    "filtered by category, stored": (
        "category=commons-by-default&_size=5",
        "select id from catalog where category = 'commons-by-default'",
    ),
    "filtered by array": (
        "languages__arraycontains=en",
        "select c.id from catalog c, json_each(c.languages) j where j.value = 'en'",
    ),
    "search": (
        "_search=archives",
        "select c.id from catalog c join catalog_fts f on f.rowid = c.rowid where catalog_fts "
        "match 'archives'",
    ),
    "search and filter": (
        "_search=dataset&category=commons-by-default",
        "select c.id from catalog c join catalog_fts f on f.rowid = c.rowid where catalog_fts "
        "match 'dataset' and c.category = 'commons-by-default'",
    ),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("page", sorted(FACET_PAGES))
async def test_every_facet_count_equals_plain_sql(ds, registry_db, page):
    """Stored counts (unfiltered, one plain filter) and live GROUP BYs (other filters, searches)
    agree with SQL over the rows."""
    args, ids_sql = FACET_PAGES[page]
    data = (
        await ds.client.get(f"/registry/catalog.json?_extra=facet_results&_size=1&{args}")
    ).json()
    assert data["facet_results"]["timed_out"] == []
    assert set(data["facet_results"]["results"]) == set(PLAIN_SQL_FACETS)
    assert query(registry_db, ids_sql), "the fixture must give the page some rows"
    for name, sql in PLAIN_SQL_FACETS.items():
        expected = dict(query(registry_db, sql.format(ids=ids_sql)))
        assert expected or page != "unfiltered", name
        assert facet_counts(data, name) == expected, (page, name)


def test_stored_facet_counts_equal_group_by(registry_db):
    """facet_counts holds, for each facet, exactly the GROUP BY over the whole catalog."""
    stored = query(
        registry_db, "select facet, value, count from facet_counts order by facet, value"
    )
    expected = []
    for name, sql in sorted(PLAIN_SQL_FACETS.items()):
        expected += [
            (name, value, count)
            for value, count in sorted(query(registry_db, sql.format(ids="select id from catalog")))
        ]
    stored_shown = [row for row in stored if row[0] in PLAIN_SQL_FACETS]
    assert stored_shown == expected
    assert {row[0] for row in stored} >= set(PLAIN_SQL_FACETS)


def test_stored_counts_by_filter_equal_group_by_among_the_filtered_rows(registry_db):
    """facet_counts_by_filter holds, for each value of each plain column, every facet's GROUP BY
    among the rows with that value."""
    stored = query(
        registry_db,
        "select filter_facet, filter_value, facet, value, count from facet_counts_by_filter "
        "order by 1, 2, 3, 4",
    )
    expected = []
    for column in ("category", "modality", "verification"):
        for (value,) in query(registry_db, f"select distinct {column} from catalog order by 1"):
            ids = f"select id from catalog where {column} = '{value}'"
            for name, sql in sorted(PLAIN_SQL_FACETS.items()):
                expected += [
                    (column, value, name, facet_value, count)
                    for facet_value, count in sorted(query(registry_db, sql.format(ids=ids)))
                ]
    shown = [
        row
        for row in stored
        if row[0] in ("category", "modality", "verification") and row[2] in PLAIN_SQL_FACETS
    ]
    assert shown == sorted(expected) and len(expected) > 20


@pytest.mark.asyncio
async def test_selected_stored_facet_value_toggles_off(ds):
    page = (await ds.client.get("/registry/catalog.json?_extra=facet_results&_size=1")).json()
    text = next(
        item
        for item in page["facet_results"]["results"]["modality"]["results"]
        if item["value"] == "text"
    )
    assert text["toggle_url"].endswith("modality=text") and not text["selected"]
    filtered = (
        await ds.client.get("/registry/catalog.json?_extra=facet_results&_size=1&modality=text")
    ).json()
    selected = next(
        item
        for item in filtered["facet_results"]["results"]["modality"]["results"]
        if item["value"] == "text"
    )
    assert selected["selected"] and "modality=text" not in selected["toggle_url"]


@pytest.mark.asyncio
async def test_home_page_facet_links_open_the_catalog_with_that_facet(ds):
    home = (await ds.client.get("/")).text
    assert 'href="/registry/catalog?_facet_indexed_column=category"' in home
    page = await ds.client.get("/registry/catalog?_facet_indexed_column=category")
    assert page.status_code == 200
    assert (
        'data-facet="category"' in page.text
        or 'class="facet-info facet-registry-catalog-category' in page.text
    )
    # The configured facet is not computed twice.
    data = (
        await ds.client.get(
            "/registry/catalog.json?_facet_indexed_column=category&_extra=facet_results&_size=1"
        )
    ).json()
    assert "category_2" not in data["facet_results"]["results"]


@pytest.mark.asyncio
async def test_a_truncated_facet_list_is_links_not_escaped_markup(ds):
    page = await ds.client.get("/registry/catalog?_facet_size=1")
    assert page.status_code == 200
    facets = page.text.split('<div class="facet-results">', 1)[1].split("</div></div>", 1)[0]
    assert "&lt;li&gt;" not in facets and "&lt;a " not in facets
    assert '<li class="facet-truncated"><a href=' in page.text


@pytest.mark.asyncio
async def test_a_catalog_card_says_not_stated_for_an_entry_without_languages(ds):
    # gamma-code states no language; its card's languages cell says so in words.
    page = await ds.client.get("/registry/catalog?id=gamma-code&_col=name&_col=languages")
    assert page.status_code == 200
    assert '<td class="col-languages">not stated</td>' in page.text
    page = await ds.client.get("/registry/catalog?id=beta-speech&_col=name&_col=languages")
    assert '<td class="col-languages">de</td>' in page.text


ARRAY_FILTERS = [
    "languages__arraycontains=fr",
    "languages__arraycontains=en",
    "languages__arraycontains=en&languages__arraycontains=fr",
    "languages__arraycontains=xx-none",
    "domains__arraycontains=literature",
    "domains__arraycontains=literature&languages__arraycontains=en&modality=text",
    "languages__arraycontains=en&_search=archives",
]


@pytest.mark.asyncio
@pytest.mark.parametrize("args", ARRAY_FILTERS)
async def test_an_array_filter_lists_exactly_the_rows_whose_array_holds_the_value(
    ds, registry_db, args
):
    """The child-table clause added beside Datasette's json_each one keeps the rows and the count
    those arrays give."""
    data = (
        await ds.client.get(f"/registry/catalog.json?{args}&_size=max&_extra=count&_sort=id")
    ).json()
    expected = plain_filter_ids(registry_db, args)
    assert [row["id"] for row in data["rows"]] == expected
    assert data["count"] == len(expected)
    if "xx-none" not in args:
        assert expected, "the fixture must give the page some rows"


@pytest.mark.asyncio
async def test_an_array_filter_is_described_once(ds):
    page = await ds.client.get("/registry/catalog?languages__arraycontains=fr")
    assert page.status_code == 200
    summary = page.text.split('class="table-summary-description">', 1)[1].split("</span>", 1)[0]
    assert summary == "where languages contains &#34;fr&#34; sorted by name"
