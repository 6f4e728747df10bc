"""Datasette plugin: the registry's theme on Datasette's pages, and a home page that costs nothing.

The stylesheets and icon are the static site's own (site/theme), served at
/-/theme/ so Datasette's pages look like the site's even before the site is
built. The home page (/) is the registry's own route: Datasette's index view
counts and lists every table of every database on each request (about 200
queries, 35 ms of CPU at 20 tables), none of which the home page shows.
"""

from __future__ import annotations

from pathlib import Path

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

THEME = Path(__file__).resolve().parents[3] / "site" / "theme"
FILES = {
    "site.css": ("css/site.css", "text/css; charset=utf-8"),
    "datasette.css": ("css/datasette.css", "text/css; charset=utf-8"),
    "favicon.svg": ("img/favicon.svg", "image/svg+xml"),
}


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
