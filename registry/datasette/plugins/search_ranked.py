"""Datasette plugin: the catalog's search with the best matches first, and any word matching.

The catalog table's `?_search=` needs every word and lists matches by name, so
"court opinions" missed the Caselaw Access Project ("court decisions"), and
ranking every match by relevance (FTS5 `order by rank`) costs 400-500 ms for a
word in every row of 100,000. The `search` canned query (datasette.yml) lists
matches in tiers instead: all the words in the name, then all the words
anywhere, then any of the words, A to Z within a tier. Each tier reads at most
one page of matches in rowid order (the catalog's rowids follow its name
order), so a search costs a few milliseconds whatever its words.

These SQL functions write the tiers' FTS5 queries from the searched text, each
word quoted as Datasette's escape_fts quotes it; words that say nothing ("the",
"of") are left out unless nothing else is left.

`/-/search?q=` shows the canned query's matches as a list, with links to the
same search in the catalog table (to filter and facet), its JSON and SQL.
Datasette's own page for a canned query runs about 120 internal queries (the
database's tables and columns for its SQL editor): 60 ms a page and 470 ms p50
with 8 clients, where this page runs one. A catalog page asked for with a
search and nothing else (the search box in the header) redirects here:
`/registry/catalog?_search=x` to `/-/search?q=x` (`_sort=name` keeps the table).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from registry.site.dataset_search import STOP_WORDS  # the site's search leaves out the same words
from registry.site.render import CATEGORY_LABELS

CATALOG = "/registry/catalog"
SEARCH = "/-/search"


def words(text: str | None) -> list[str]:
    """The searched words, quoted for FTS5 (double quotes doubled), stop words left out."""
    found = [w for w in (text or "").split() if w.strip('"')]
    kept = [w for w in found if w.lower().strip('"') not in STOP_WORDS] or found
    return ['"' + w.replace('"', '""') + '"' for w in dict.fromkeys(kept)]


def all_words(text: str | None) -> str:
    return " ".join(words(text)) or '""'


def any_word(text: str | None) -> str:
    return " OR ".join(words(text)) or '""'


def all_in_name(text: str | None) -> str:
    quoted = words(text)
    return f"name : ({' '.join(quoted)})" if quoted else '""'


@hookimpl
def prepare_connection(conn):
    conn.create_function("search_all_in_name", 1, all_in_name, deterministic=True)
    conn.create_function("search_all_words", 1, all_words, deterministic=True)
    conn.create_function("search_any_word", 1, any_word, deterministic=True)


def search_redirect(scope: dict) -> str | None:
    """The canned query's address for a catalog HTML page asked for with `_search` alone."""
    if scope.get("type") != "http" or scope.get("path") != CATALOG:
        return None
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    # The theme plugin may have chosen the page's columns already (catalog_table.browse_columns).
    pairs = [(key, value) for key, value in pairs if key != "_nocol"]
    if len(pairs) != 1 or pairs[0][0] != "_search" or not pairs[0][1].strip():
        return None
    return f"{SEARCH}?{urlencode({'q': pairs[0][1]})}"


# One match of the list (commons_search.html's `results`), its values escaped as Jinja escapes them.
MATCH = (
    '\n<li><a href="{href}">{name}</a> <span class="badge badge-{category}">{label}</span>{badge}'
    "<br>{summary}</li>\n"
)
IMPORTED = (
    ' <span class="badge badge-imported" title="Imported from an open catalog: the licence is the '
    "uploader's declaration, not checked\">Imported</span>"
)


def results_html(rows: list[dict], urls) -> Markup:
    """The list of matches, drawn here rather than in the page's template: in Datasette's async
    Jinja each of a hundred rows' values is awaited, a third of the page's CPU (cProfile,
    scripts/benchmarks/search_profile.py); tests/test_search_ranked.py holds it to what the
    template drew."""
    entry = urls.path("/entry/")
    return Markup(
        "".join(
            MATCH.format(
                href=escape(entry + str(row["id"])),
                name=escape(row["name"] or row["id"]),
                category=escape(row["category"]),
                label=escape(CATEGORY_LABELS.get(row["category"], row["category"])),
                badge=IMPORTED if row["origin"] == "imported" else "",
                summary=escape(row["summary"]),
            )
            for row in rows
        )
    )


async def search_page(request, datasette):
    """The search's matches as a list (see the module's note)."""
    q = (request.args.get("q") or "").strip()[:500]
    query = datasette.config["databases"]["registry"]["queries"]["search"]
    rows, timed_out = [], False
    if q:
        db = datasette.get_database("registry")
        try:
            rows = [dict(row) for row in (await db.execute(query["sql"], {"q": q})).rows]
        except QueryInterrupted:  # sql_time_limit_ms: answered like Datasette's own pages (400)
            timed_out = True
    html = await datasette.render_template(
        "commons_search.html",
        {
            "q": q,
            "rows": rows,
            "results": results_html(rows, datasette.urls),
            "limit": 100,
            "timed_out": timed_out,
        },
        request=request,
    )
    return Response.html(html, status=400 if timed_out else 200)


@hookimpl
def register_routes():
    return [(r"^/-/search$", search_page)]


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def ranked_search(scope, receive, send):
            target = search_redirect(scope)
            if target is None:
                return await app(scope, receive, send)
            await send(
                {
                    "type": "http.response.start",
                    "status": 302,
                    "headers": [
                        (b"location", datasette.urls.path(target).encode("latin-1")),
                        (b"content-length", b"0"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})

        return ranked_search

    return wrap
