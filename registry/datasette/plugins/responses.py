"""Datasette plugin: the right type for every served file, and gzip where the client accepts it.

Datasette's static handler (the site at /site/, the downloads at /exports/)
types files by Python's mimetypes table, which knows neither SQLite files nor
JSON Lines nor Atom: they would be served as text/plain. The export formats
are registered here with their registered or conventional types.

Pages, JSON, CSV and the static site shrink four to ten times (a catalog page
of 50 rows from about 60 KB to 8 KB). asgi-gzip (Starlette's middleware) adds
`Vary: Accept-Encoding`, compresses streamed responses chunk by chunk (CSV
downloads stay streamed) and leaves small bodies alone. Level 6 is zlib's
default: level 9 costs twice the CPU for a few percent.
"""

from __future__ import annotations

import mimetypes

from asgi_gzip import GZipMiddleware
from datasette import hookimpl

MINIMUM_BYTES = 1000
LEVEL = 6
EXPORT_TYPES = {
    ".db": "application/vnd.sqlite3",
    ".jsonl": "application/jsonl",
    ".atom": "application/atom+xml",
    ".ics": "text/calendar",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".jsonld": "application/ld+json",
}
for _suffix, _type in EXPORT_TYPES.items():
    mimetypes.add_type(_type, _suffix)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        return GZipMiddleware(app, minimum_size=MINIMUM_BYTES, compresslevel=LEVEL)

    return wrap
