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

A catalog page asked for with a search and nothing else (the search box in the
header) is answered by the canned query: `/registry/catalog?_search=x`
redirects to `/registry/search?q=x`, which links back to the table for
filtering and facets (`_sort=name` keeps the table).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, quote, urlencode

from datasette import hookimpl
from markupsafe import Markup

STOP_WORDS = frozenset(
    "a an and are as at be by for from has have in into is it its of on or that the this to was "
    "were which with".split()
)
CATALOG = "/registry/catalog"
SEARCH = "/registry/search"


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
    # The theme plugin may have chosen the page's columns already (theme.browse_columns).
    pairs = [(key, value) for key, value in pairs if key != "_nocol"]
    if len(pairs) != 1 or pairs[0][0] != "_search" or not pairs[0][1].strip():
        return None
    return f"{SEARCH}?{urlencode({'q': pairs[0][1]})}"


@hookimpl
def render_cell(row, value, column, table, request, datasette):
    """In the search's results, link each dataset's name to its entry page."""
    if table is not None or column != "name" or request is None or request.path != SEARCH:
        return None
    try:
        entry_id = row["id"]
    except (KeyError, IndexError):
        return None
    if not isinstance(entry_id, str) or not isinstance(value, str):
        return None
    href = datasette.urls.path(f"/entry/{quote(entry_id)}")
    return Markup('<a href="{}">{}</a>').format(href, value)


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
