"""Datasette plugin: the page of one entry (/entry/<id>) and links to it from the catalog.

The page is the static site's entry page: registry.read.entries assembles the
entry (authored facts, child rows, classification, lineage both ways, overlaps)
and the site's own template (registry/site/templates/entry.html.j2, autoescaped,
with the site's `markdown` and `link` filters) renders it, inside Datasette's
page in the registry's theme (commons_entry.html). Links to other entries stay
in Datasette; facet values open the catalog table filtered by them; rules,
governance and contributing pages are the site's, at /site/.
"""

from __future__ import annotations

import json
import re
import sqlite3
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from registry.read.entries import entry_records, linked_ids, page_context
from registry.site.render import day, link, markdown_filter, render, safe_url

ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
# Site facet key → the catalog table's filter for one value (None: not filterable in one click).
CATALOG_FILTERS = {
    "license": None,
    "modality": "modality",
    "language": "languages__arraycontains",
    "domain": "domains__arraycontains",
    "publisher-type": "publisher_type",
}


class CatalogFilterLinks(dict):
    """facets[key].get(value) for the entry template: the catalog table filtered by the value."""

    def __init__(self, table_url: str, column: str | None):
        super().__init__()
        self.table_url, self.column = table_url, column

    def get(self, value, default=None):
        if self.column is None or not isinstance(value, str):
            return default
        return f"{self.table_url}?{urlencode({self.column: value})}"


async def _find_registry(datasette):
    for name, db in datasette.databases.items():
        if name.startswith("_"):
            continue
        if await db.table_exists("catalog") and await db.table_exists("entries"):
            return db
    raise NotFound("No registry database is attached")


def entry_context(connection: sqlite3.Connection, entry_id: str) -> dict | None:
    """Everything the entry page shows, or None when no such entry exists."""
    previous, connection.row_factory = connection.row_factory, sqlite3.Row
    try:
        found = entry_records(connection, entry_id, entry_id)
    finally:
        connection.row_factory = previous
    if not found:
        return None
    entry = found[0]
    related = linked_ids(entry)
    marks = ", ".join("?" * len(related))
    names = dict(
        connection.execute(f"select id, name from entries where id in ({marks})", sorted(related))
    )
    return {**page_context(entry, names), "decisions": _decisions(connection)}


def _decisions(connection: sqlite3.Connection) -> dict[str, dict]:
    """Rule id → the governance decision behind it (none in registries built without one)."""
    found = connection.execute(
        "select 1 from sqlite_master where type = 'table' and name = 'rule_decisions'"
    ).fetchone()
    if not found:
        return {}
    cursor = connection.execute("select * from rule_decisions")
    columns = [c[0] for c in cursor.description]
    return {row[columns.index("rule_id")]: dict(zip(columns, row, strict=True)) for row in cursor}


async def entry_page(datasette, request):
    entry_id = request.url_vars["id"]
    if not ENTRY_ID.match(entry_id):
        raise NotFound("Not a valid entry id")
    db = await _find_registry(datasette)
    context = await db.execute_fn(lambda connection: entry_context(connection, entry_id))
    if context is None:
        renamed = await db.execute("select entry_id from aliases where alias = ?", [entry_id])
        if renamed.rows:
            # Same-site path built from a validated id: never an open redirect.
            return Response.redirect(datasette.urls.path(f"/entry/{renamed.rows[0][0]}"))
        raise NotFound("No entry with this id")
    table_url = datasette.urls.table(db.name, "catalog")
    body = render(
        "entry.html.j2",
        root=datasette.urls.path("/site/"),
        datasette=datasette.urls.path("/"),
        entry_href=lambda other: datasette.urls.path(f"/entry/{other}"),
        facets={key: CatalogFilterLinks(table_url, col) for key, col in CATALOG_FILTERS.items()},
        **context,
    )
    page = {"e": context["e"], "body": Markup(body), "database_name": db.name}
    html = await datasette.render_template("commons_entry.html", page, request=request)
    return Response.html(html)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters.update(markdown=markdown_filter, link=link, safe_url=safe_url, day=day)


async def entry_json(datasette, request):
    """/entry/<id>.json, the address a reader of /entry/<id> tries: the entry's catalog row as
    Datasette's JSON (the same row the entry page links); an alias leads to the entry it names."""
    entry_id = request.url_vars["id"]
    if not ENTRY_ID.match(entry_id):
        raise NotFound("Not a valid entry id")
    db = await _find_registry(datasette)
    found = await db.execute(
        "select id from entries where id = ? union all "
        "select entry_id from aliases where alias = ? limit 1",
        [entry_id, entry_id],
    )
    if not found.rows:
        raise NotFound("No entry with this id")
    # Same-site path built from a validated id: never an open redirect.
    return Response.redirect(datasette.urls.row(db.name, "catalog", found.rows[0][0]) + ".json")


@hookimpl
def register_routes(datasette):
    return [
        (r"^/entry/(?P<id>[^/]+)\.json$", entry_json),
        (r"^/entry/(?P<id>[^/]+)$", entry_page),
    ]


# Catalog columns holding JSON arrays of strings, shown as comma-separated words, and what an
# empty one says: the entry states no licence, language or domain; it records no signal.
LIST_COLUMNS = {
    "licenses": "not stated",
    "languages": "not stated",
    "domains": "not stated",
    "signals": "none recorded",
}


@hookimpl
def render_cell(row, value, column, table, datasette):
    """In the catalog and entries tables, link each entry's name to its entry page; in the
    catalog, show array columns as words instead of JSON.

    (The id column is the primary key, which Datasette links to the row page itself.)
    """
    if table == "catalog" and column in LIST_COLUMNS and isinstance(value, str):
        return _as_list(value, LIST_COLUMNS[column])
    if table not in ("catalog", "entries") or column != "name" or not isinstance(value, str):
        return None
    try:
        entry_id = row["id"]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(entry_id, dict):  # a foreign key Datasette expanded to {value, label}
        entry_id = entry_id.get("value")
    if not isinstance(entry_id, str) or not ENTRY_ID.match(entry_id):
        return None
    return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/entry/{entry_id}"), value)


def _as_list(value: str, empty: str) -> str | None:
    """'["en", "de"]' → 'en, de' (escaped by Datasette), '[]' → `empty`; anything else is left
    to Datasette."""
    if not value.startswith("["):
        return None
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        return None
    return ", ".join(items) or empty
