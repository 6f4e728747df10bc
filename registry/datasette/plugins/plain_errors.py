"""Error pages without Rich: a 404 or an invalid query must cost what a page costs.

When the `rich` package can be imported, Datasette's default exception handler
prints every handled error (each 404, each invalid query) as a Rich traceback
with the local variables of every frame, on the event loop: about a second per
error page, during which no other request is answered, and a 500 for errors
raised outside an `except` block (Rich then has no traceback to print). Its
command line also installs Rich's `show_locals` hook for uncaught exceptions.

Whether Rich is installed depends on other packages' dependencies, so the
server does not rely on its absence: at start-up the handler is told there is
no Rich (the module global it reads), and Python's own exception hook is put
back. Error pages then cost a template render; real 500s still print a plain
traceback.

A query that passes SQLite's length limit (sqlite_limits.py) fails with
`sqlite3.DataError` ("string or blob too big"), which Datasette's table pages
(`?_where=`) do not expect: it is answered as the invalid query it is, a 400.
"""

from __future__ import annotations

import sqlite3
import sys

from datasette import handle_exception as default_handler
from datasette import hookimpl
from datasette.views.base import DatasetteError


@hookimpl
def startup(datasette):
    default_handler.rich = None
    sys.excepthook = sys.__excepthook__


@hookimpl
def handle_exception(datasette, request, exception):
    if isinstance(exception, sqlite3.DataError):
        invalid = DatasetteError(str(exception), title="Invalid SQL", status=400)
        return default_handler.handle_exception(datasette, request, invalid)
    return None
