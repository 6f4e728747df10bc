"""A filtered or searched catalog page counts its facets from its ids, evaluated once: every count,
value order and `truncated` flag equals Datasette's own GROUP BY facets (`_facet=`,
`_facet_array=`) on the same page, run beside them in the same request."""

from __future__ import annotations

import pytest

from registry.build.db_schema import ARRAY_FACET_COUNTS

COLUMN_FACETS = ["category", "license_family", "modality", "publisher_type", "verification"]
ARRAY_FACETS = sorted(ARRAY_FACET_COUNTS)
DATASETTE_FACETS = "&".join(
    [f"_facet={c}" for c in COLUMN_FACETS] + [f"_facet_array={c}" for c in ARRAY_FACETS]
)

FILTERED_PAGES = [
    "modality=text&languages__arraycontains=en",
    "languages__arraycontains=en&domains__arraycontains=literature",
    "category=commons-by-default",
    "modality__not=text",
    "_search=archives",
    "_search=dataset&category=commons-by-default",
    "_search=speech&languages__arraycontains=de",
    "_search=archives&verification__not=verified",
]


def facets_by_type(data: dict) -> dict[tuple[str, str], dict]:
    """(facet name, type) → the facet as the page's JSON gives it."""
    return {(f["name"], f["type"]): f for f in data["facet_results"]["results"].values()}


def shown(facet: dict) -> tuple[list, bool]:
    return [(item["value"], item["count"]) for item in facet["results"]], facet["truncated"]


@pytest.mark.asyncio
@pytest.mark.parametrize("facet_size", [None, 1])
@pytest.mark.parametrize("args", FILTERED_PAGES)
async def test_filtered_facets_equal_datasettes_own_group_by(ds, args, facet_size):
    size = f"&_facet_size={facet_size}" if facet_size else ""
    response = await ds.client.get(
        f"/registry/catalog.json?_extra=facet_results&_extra=count&_size=1&{args}"
        f"&{DATASETTE_FACETS}{size}"
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] > 0, "the fixture must give the page some rows"
    assert data["facet_results"]["timed_out"] == []
    facets = facets_by_type(data)
    for column in COLUMN_FACETS:
        ours, theirs = facets[(column, "indexed_column")], facets[(column, "column")]
        assert shown(ours) == shown(theirs), (args, column)
    for column in ARRAY_FACETS:
        ours, theirs = facets[(column, "indexed_array")], facets[(column, "array")]
        assert shown(ours) == shown(theirs), (args, column)
    assert any(shown(f)[0] for f in facets.values()), "some facet must have values"
    if facet_size and data["count"] > 1:
        assert any(f["truncated"] for f in facets.values()), "a short list must be truncated"


@pytest.mark.asyncio
async def test_a_page_without_rows_has_empty_facets(ds):
    data = (
        await ds.client.get(
            "/registry/catalog.json?_extra=facet_results&modality=text&modality__not=text"
        )
    ).json()
    results = data["facet_results"]["results"]
    assert len(results) == len(COLUMN_FACETS) + len(ARRAY_FACETS)
    assert all(facet["results"] == [] and not facet["truncated"] for facet in results.values())


@pytest.mark.asyncio
async def test_another_tables_indexed_column_facet_is_datasettes_group_by(ds):
    """Entry values are read for the catalog only: another table's rows keep Datasette's count."""
    data = (
        await ds.client.get(
            "/registry/classifications.json?_extra=facet_results&_size=1&license_family__not=x"
            "&_facet_indexed_column=category&_facet=category"
        )
    ).json()
    facets = facets_by_type(data)
    ours, theirs = facets[("category", "indexed_column")], facets[("category", "column")]
    assert shown(ours) == shown(theirs) and shown(ours)[0]
