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

A column choice that leaves out the column the page is sorted by (`?_col=id`
sorts by the configured `name`) gets that column back: Datasette 1.0a41 reads
the sort value of the page's last row by name to link the next page, and
answered such a page with a 500 (KeyError).
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
CATALOG_FORMATS = ("", ".json", ".csv")
CATALOG_SORT = "name"  # datasette.yml: the catalog's configured sort
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
    """The scope of a catalog page with its columns chosen: the browse columns on the HTML page
    without a choice of its own, and the sort column kept in any choice."""
    path = scope.get("path") or ""
    if (
        scope.get("type") != "http"
        or not path.startswith(CATALOG_PAGE)
        or path[len(CATALOG_PAGE) :] not in CATALOG_FORMATS
    ):
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(key in ("_col", "_nocol") for key, _ in pairs):
        pairs = keep_sort_column(pairs)
    elif path == CATALOG_PAGE:
        pairs += [("_nocol", column) for column in HIDDEN_ON_BROWSE]
    else:
        return scope
    return dict(scope, query_string=urlencode(pairs).encode("latin-1"))


def keep_sort_column(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A column choice with the column the page is sorted by in it (see the module's note)."""
    args = dict(pairs)
    sort = args.get("_sort") or args.get("_sort_desc") or CATALOG_SORT
    kept = [(key, value) for key, value in pairs if (key, value) != ("_nocol", sort)]
    chosen = [value for key, value in kept if key == "_col"]
    if chosen and sort not in chosen:
        kept.append(("_col", sort))
    return kept


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
