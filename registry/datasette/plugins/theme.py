"""Datasette plugin: the registry's theme on Datasette's pages, and a home page that costs nothing.

The stylesheets and icon are the static site's own (site/theme), served at
/-/theme/ so Datasette's pages look like the site's even before the site is
built. The home page (/) is the registry's own route: Datasette's index view
counts and lists every table of every database on each request (about 200
queries, 35 ms of CPU at 20 tables), none of which the home page shows.

The catalog table's HTML page shows the columns people compare datasets by
(BROWSE_COLUMNS) unless the address names its own (`_col`, `_nocol`): long
descriptions and build dates made every row several screens tall on a phone,
and each cell costs a plugin call (the page took 50 ms, most of it cells). The
JSON and CSV keep every column; the column chooser shows the others.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

THEME = Path(__file__).resolve().parents[3] / "site" / "theme"
FILES = {
    "site.css": ("css/site.css", "text/css; charset=utf-8"),
    "datasette.css": ("css/datasette.css", "text/css; charset=utf-8"),
    "favicon.svg": ("img/favicon.svg", "image/svg+xml"),
}

CATALOG_PAGE = "/registry/catalog"
HIDDEN_ON_BROWSE = (
    "description",
    "domains",
    "publisher_type",
    "signals",
    "status",
    "enters_commons_on",
    "updated",
)


def browse_columns(scope: dict) -> dict:
    """The scope of a catalog HTML page without a column choice, with the browse columns chosen."""
    if scope.get("type") != "http" or scope.get("path") != CATALOG_PAGE:
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(key in ("_col", "_nocol") for key, _ in pairs):
        return scope
    pairs += [("_nocol", column) for column in HIDDEN_ON_BROWSE]
    return dict(scope, query_string=urlencode(pairs).encode("latin-1"))


async def theme_file(request):
    name = request.url_vars["name"]
    if name not in FILES:
        raise NotFound("No such theme file")
    path, content_type = FILES[name]
    body = (THEME / path).read_bytes()
    return Response(
        body, content_type=content_type, headers={"Cache-Control": "public, max-age=3600"}
    )


async def home(datasette, request):
    html = await datasette.render_template(
        "index.html", {"metadata": await datasette.get_instance_metadata()}, request=request
    )
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/-/theme/(?P<name>[a-z.]+)$", theme_file), (r"^/$", home)]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_browse_columns(scope, receive, send):
            return await app(browse_columns(scope), receive, send)

        return with_browse_columns

    return wrap
