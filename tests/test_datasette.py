"""The Datasette publication: facets, entry pages, canned queries, escaping, limits (T9-T11).

Real Datasette 1.0a41, configured from the committed datasette.yml and
metadata.yml, over the session registry (conftest.py: the real build of a small
fixture corpus), queried through its in-process client.
"""

from __future__ import annotations

import html

import pytest
from project_datasette import CONFIG, query


@pytest.mark.asyncio
async def test_entry_page_shows_classification_reasons_and_rights(ds, registry_db):
    response = await ds.client.get("/entry/beta-speech")
    assert response.status_code == 200
    page = response.text
    reasons = query(
        registry_db,
        "select r.rule, t.text, c.text from reasons r join text_reason_text t on t.id = r.text "
        "join text_reason_citation c on c.id = r.citation where r.entry_id = 'beta-speech' "
        "order by r.position",
    )
    assert len(reasons) >= 2
    for rule, text, citation in reasons:
        assert html.escape(rule) in page
        assert html.escape(text) in page
        assert html.escape(citation) in page
    category = query(
        registry_db, "select category from classifications where entry_id = 'beta-speech'"
    )[0][0]
    assert f'<span class="badge badge-{category}">' in page
    assert (
        "https://github.com/commons-registry/commons-registry/edit/main/entries/beta-speech.yaml"
        in page
    )
    assert "CC-BY-4.0" in page and "train-ai=n" in page
    assert 'href="https://data.example.org/beta-speech/license"' in page  # evidence link
    for template in query(
        registry_db, "select template from template_fits where entry_id = 'beta-speech'"
    ):
        assert html.escape(template[0]) in page
    assert '<th scope="row">Training</th>' in page


@pytest.mark.asyncio
async def test_texts_stored_once_show_as_labels_and_facet_by_their_text(ds, registry_db):
    """A keyed text column (schema version 10) holds an id; Datasette shows its text as the
    cell's label, in the JSON and on the page, and facets by it."""
    [(position, citation)] = query(
        registry_db,
        "select r.position, c.text from reasons r join text_reason_citation c "
        "on c.id = r.citation where r.entry_id = 'beta-speech' order by r.position limit 1",
    )
    response = await ds.client.get(
        f"/registry/reasons.json?entry_id=beta-speech&position={position}&_labels=on"
    )
    assert response.status_code == 200, response.text
    [row] = response.json()["rows"]
    assert row["citation"]["label"] == citation and isinstance(row["citation"]["value"], int)
    page = await ds.client.get(f"/registry/reasons?entry_id=beta-speech&position={position}")
    assert html.escape(citation) in page.text
    facets = await ds.client.get("/registry/overlaps.json?_facet=relation")
    assert facets.status_code == 200, facets.text
    labels = {v["label"] for v in facets.json()["facet_results"]["results"]["relation"]["results"]}
    stored = {row[0] for row in query(registry_db, "select text from text_overlap_relation")}
    assert labels == stored and "derived-from" in labels


@pytest.mark.asyncio
async def test_entry_page_links_lineage_both_ways_and_follows_aliases(ds):
    derived = (await ds.client.get("/entry/delta-derived")).text
    assert '<li>Derived from <a href="/entry/alpha-archives">Alpha Archives</a></li>' in derived
    source = (await ds.client.get("/entry/alpha-archives")).text
    assert 'href="/entry/delta-derived"' in source
    moved = await ds.client.get("/entry/epsilon-books")
    assert moved.status_code == 302 and moved.headers["location"] == "/entry/epsilon-old-books"
    assert (await ds.client.get("/entry/no-such-entry")).status_code == 404
    odd = await ds.client.get("/entry/..%2f..%2fetc")
    assert odd.status_code in (302, 404)
    assert odd.headers.get("location", "/").startswith("/") and not odd.headers.get(
        "location", "/"
    ).startswith("//")


@pytest.mark.asyncio
async def test_an_entry_address_with_json_leads_to_its_row_as_json(ds):
    found = await ds.client.get("/entry/alpha-archives.json")
    assert found.status_code == 302
    assert found.headers["location"] == "/registry/catalog/alpha-archives.json"
    row = (await ds.client.get(found.headers["location"])).json()
    assert row["rows"][0]["name"] == "Alpha Archives"
    moved = await ds.client.get("/entry/epsilon-books.json")
    assert moved.headers["location"] == "/registry/catalog/epsilon-old-books.json"
    assert (await ds.client.get("/entry/no-such-entry.json")).status_code == 404


@pytest.mark.asyncio
async def test_catalog_and_entries_tables_link_names_to_entry_pages(ds):
    for table in ("catalog", "entries"):
        page = (await ds.client.get(f"/registry/{table}")).text
        assert '<a href="/entry/alpha-archives">Alpha Archives</a>' in page, table
        assert '<a href="/entry/delta-derived">Delta &lt;script&gt;' in page, table


@pytest.mark.asyncio
async def test_contributor_script_is_escaped_everywhere(ds):
    pages = {
        "entry": (await ds.client.get("/entry/delta-derived")).text,
        "markdown": (await ds.client.get("/entry/alpha-archives")).text,
        "table": (await ds.client.get("/registry/catalog")).text,
        "row": (await ds.client.get("/registry/catalog/delta-derived")).text,
        "search": (await ds.client.get("/registry/search?q=delta")).text,
    }
    for name, page in pages.items():
        assert "<script>alert" not in page, name
    assert "Delta &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in pages["entry"]
    assert "&lt;x-bold&gt;bold&lt;/x-bold&gt;" in pages["entry"]
    assert "<strong>archives</strong>" in pages["markdown"]  # Markdown still renders
    assert "&lt;x-alert onclick=alert(1)&gt;" in pages["markdown"]
    assert "<x-alert" not in pages["markdown"] and "<x-bold" not in pages["entry"]
    assert "&lt;script&gt;" in pages["table"]


@pytest.mark.asyncio
async def test_home_page_explains_and_links_facets(ds):
    page = (await ds.client.get("/")).text
    assert "commons-by-default" in page
    assert 'href="/registry/catalog?_facet_indexed_array=languages"' in page
    assert 'href="/registry/train_commercially"' in page
    assert "Commons Registry" in page  # title from metadata.yml


CANNED = {
    "train_commercially": (
        {"modality": "", "language": ""},
        "select id from catalog where status = 'active' and training_commercial in "
        "('allowed', 'conditional')",
    ),
    "commons_in_language": (
        {"language": "en"},
        "select c.id from catalog c join languages l on l.entry_id = c.id where l.language = "
        "'en' and c.category = 'commons-by-default'",
    ),
    "entering_commons_next_year": (
        {"year": "2027"},
        "select id from catalog where enters_commons_on like '2027-%'",
    ),
    "derived_datasets": (
        {"source": ""},
        "select entry_id from lineage where relation = 'derived_from'",
    ),
    "search": ({"q": "letter"}, "select id from catalog where id = 'alpha-archives'"),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("name", sorted(CANNED))
async def test_each_canned_query_runs(ds, registry_db, name):
    params, expected_sql = CANNED[name]
    response = await ds.client.get(f"/registry/{name}.json", params=params)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["ok"] is True
    expected = {row[0] for row in query(registry_db, expected_sql)}
    assert expected, "the fixture must give each query something to find"
    first_column = "derived_id" if name == "derived_datasets" else "id"
    assert {row[first_column] for row in data["rows"]} == expected


@pytest.mark.asyncio
async def test_canned_query_parameters_are_bound(ds):
    data = (
        await ds.client.get(
            "/registry/commons_in_language.json", params={"language": "' OR 1=1 --"}
        )
    ).json()
    assert data["ok"] is True and data["rows"] == []
    for text in ['"unbalanced', "NEAR(", "*", ")"]:
        response = await ds.client.get("/registry/search.json", params={"q": text})
        assert response.status_code in (200, 400), text
    for text in ['"unbalanced', "NEAR("]:
        assert (
            await ds.client.get("/registry/catalog.json", params={"_search": text})
        ).status_code in (200, 400)


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["/\\example.com/", "//example.com/", "/%5Cexample.com/"])
async def test_no_open_redirect(ds, path):
    response = await ds.client.get(path)
    location = response.headers.get("location", "")
    assert not location.startswith(("//", "/\\", "http:", "https:")), location
    assert "example.com" not in location.split("/")[0]


@pytest.mark.asyncio
async def test_runaway_query_is_stopped_and_server_keeps_answering(ds):
    sql = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    response = await ds.client.get("/registry/-/query.json", params={"sql": sql})
    assert response.status_code == 400
    assert "interrupted" in response.text.lower() or "time limit" in response.text.lower()
    assert (await ds.client.get("/registry/catalog.json?_size=1")).status_code == 200


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "sql",
    [
        "attach database '/etc/passwd' as p",
        "select load_extension('x')",
        "pragma writable_schema = 1",
        "delete from catalog",
    ],
)
async def test_only_reads_are_allowed(ds, sql):
    response = await ds.client.get("/registry/-/query.json", params={"sql": sql})
    assert response.status_code in (400, 403)
    assert (await ds.client.get("/registry/catalog.json?_size=1")).json()["rows"]


@pytest.mark.asyncio
async def test_page_size_is_capped_and_trace_is_off(ds):
    big = await ds.client.get("/registry/catalog.json?_size=100000")
    assert big.status_code == 400 and "1000" in big.json()["error"]
    data = (await ds.client.get("/registry/catalog.json?_size=max")).json()
    assert len(data["rows"]) <= CONFIG["settings"]["max_returned_rows"]
    traced = (await ds.client.get("/registry/catalog.json?_trace=1")).json()
    assert "_trace" not in traced


@pytest.mark.asyncio
async def test_limits_are_explicit_in_the_config(ds):
    settings = (await ds.client.get("/-/settings.json")).json()
    for key in ("sql_time_limit_ms", "max_returned_rows", "facet_time_limit_ms", "suggest_facets"):
        assert settings[key] == CONFIG["settings"][key], key
    assert settings["suggest_facets"] is False


# Every catalog facet, as plain SQL over the catalog rows (or its child tables
# for arrays) restricted to the catalog ids in `where`: what each facet must show.


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "choice",
    ["_col=id", "_nocol=name", "_col=id&_sort_desc=modality", "_col=modality&_labels=on"],
)
@pytest.mark.parametrize("extension", ["", ".json", ".csv"])
async def test_a_column_choice_without_the_sort_column_still_pages(
    ds, registry_db, choice, extension
):
    """Datasette reads the sort value of a page's last row by name to link the next page."""
    response = await ds.client.get(f"/registry/catalog{extension}?{choice}&_size=2")
    assert response.status_code == 200, response.text[-500:]
    if extension == ".json":
        data = response.json()
        assert len(data["rows"]) == 2 and data["next"]
        assert "id" in data["rows"][0] or "modality" in data["rows"][0]
    (total,) = query(registry_db, "select count(*) from catalog")[0]
    assert total > 2, "the fixture must give the catalog a second page"
