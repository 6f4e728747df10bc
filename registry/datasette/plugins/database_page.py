"""Datasette plugin: the registry database's page (/registry), built once per process.

Datasette's database view lists every table with its columns, row count,
permissions and foreign keys on each request: about 60 ms of queries and
template work at 34 tables, on a page whose content cannot change while the
server runs (the database is served immutable and nobody signs in). This
route asks Datasette's own JSON for that listing (/registry.json) the first
time, renders the page in the registry's theme (commons_database.html), and
answers later requests from memory. `?sql=` still goes to the query page, as
Datasette's database page sends it.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import Response

DATABASE = "registry"  # `commons serve` serves registry.db under this name
FIRST_TABLES = ("catalog", "entries", "classifications", "observations")


async def page_context(datasette, show_hidden: bool) -> dict:
    """The database listing as Datasette's JSON gives it, the catalog's tables first."""
    suffix = "?_show_hidden=1" if show_hidden else ""
    data = (await datasette.client.get(f"/{DATABASE}.json{suffix}")).json()
    rank = {name: index for index, name in enumerate(FIRST_TABLES)}
    tables = sorted(data["tables"], key=lambda t: (rank.get(t["name"], len(rank)), t["name"]))
    for table in tables:
        metadata = await datasette.get_resource_metadata(DATABASE, table["name"])
        table["description"] = metadata.get("description")
    queries = (await datasette.list_queries(DATABASE, limit=100)).queries
    return dict(
        data,
        tables=[t for t in tables if show_hidden or not t["hidden"]],
        queries=queries,
        show_hidden=show_hidden,
        metadata=await datasette.get_database_metadata(DATABASE),
    )


async def database_page(datasette, request):
    if request.args.get("sql"):
        target = datasette.urls.database(DATABASE) + "/-/query?" + request.query_string
        return Response.redirect(target)
    show_hidden = bool(request.args.get("_show_hidden"))
    pages = datasette.__dict__.setdefault("_commons_database_pages", {})
    if show_hidden not in pages:
        context = await page_context(datasette, show_hidden)
        pages[show_hidden] = await datasette.render_template(
            "commons_database.html", context, request=request
        )
    return Response.html(pages[show_hidden])


@hookimpl
def register_routes():
    return [(rf"^/{DATABASE}$", database_page)]
