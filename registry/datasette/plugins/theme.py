"""Datasette plugin: the registry's theme on Datasette's pages, and a home page that costs nothing.

The stylesheets and icon are the static site's own (site/theme), served at
/-/theme/ so Datasette's pages look like the site's even before the site is
built. The home page (/) is the registry's own route: Datasette's index view
counts and lists every table of every database on each request (about 200
queries, 35 ms of CPU at 20 tables), none of which the home page shows.

The header's navigation is the site's: the nav of site/mkdocs.yml (sections as
drop-down menus) with the Datasette links it names, drawn once at start-up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

THEME = Path(__file__).resolve().parents[3] / "site" / "theme"
FILES = {
    "site.css": ("css/site.css", "text/css; charset=utf-8"),
    "datasette.css": ("css/datasette.css", "text/css; charset=utf-8"),
    "favicon.svg": ("img/favicon.svg", "image/svg+xml"),
}


MKDOCS = THEME.parent / "mkdocs.yml"


def _link(href: str, title: str) -> str:
    return f'<li><a href="{escape(href)}">{escape(title)}</a></li>'


def _page_link(site: str, title: str, target: str) -> str:
    return _link(site + target[: -len(".md")] + ".html", title)


@cache
def navigation(site: str, root: str) -> Markup:
    """The site's main navigation: `site` is where the site is served, `root` Datasette."""
    config = yaml.safe_load(MKDOCS.read_text(encoding="utf-8"))
    served = config["extra"]["datasette_links"]
    items = []
    for item in config["nav"]:
        ((title, target),) = item.items()
        if isinstance(target, list):
            children = "".join(
                _page_link(site, child_title, child_target)
                for child in target
                for child_title, child_target in child.items()
            )
            items.append(
                f'<li class="section"><details><summary>{escape(title)}</summary>'
                f"<ul>{children}</ul></details></li>"
            )
            continue
        items.append(_page_link(site, title, target))
        if title in served:
            items.append(_link(root + served[title]["path"], served[title]["title"]))
    return Markup(f"<ul>{''.join(items)}</ul>")


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


def remembered_static(static):
    """Datasette's `static()` (an asset's URL with its content hash), each answer kept: every page
    asks for the same three of Datasette's own files, and each call resolved their paths again
    (six realpath calls, about a tenth of the search page's CPU by cProfile). Only kept while
    Datasette caches the hashes itself (`cache_headers`), so the URLs are the ones it gives."""
    return cache(static)


@hookimpl
def prepare_jinja2_environment(env, datasette):
    # A global, not a template variable: error pages are rendered without the plugins' variables.
    def site_navigation():
        return navigation(datasette.urls.path("/site/"), datasette.urls.path("/"))

    env.globals["site_navigation"] = site_navigation
    if datasette.cache_headers:
        env.globals["static"] = remembered_static(datasette.static)


@hookimpl
def register_routes():
    return [(r"^/-/theme/(?P<name>[a-z.]+)$", theme_file), (r"^/$", home)]
