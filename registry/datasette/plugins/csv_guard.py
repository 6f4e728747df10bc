"""The formula-injection guard of the CSV downloads, on Datasette's own `.csv` pages too.

Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula;
the export's CSV files write such text with a leading apostrophe
(registry/exports/csv_tables.py), and so does this wrapper for every CSV
Datasette streams (table, query and row pages, with or without `_dl`).
Records are rewritten as they stream: a chunk is cut after the last complete
record (a line break outside quotes), and cells that read as numbers stay
numbers.
"""

from __future__ import annotations

import codecs
import csv
import io

from datasette import hookimpl

from registry.exports.csv_tables import FORMULA_START

CSV_TYPES = (b"text/csv", b"text/plain")


def guarded_cell(text: str) -> str:
    if not text.startswith(FORMULA_START):
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def complete_records(text: str) -> int:
    """The length of the longest prefix of `text` that ends a CSV record."""
    quotes, end = 0, 0
    for position, character in enumerate(text):
        if character == '"':
            quotes += 1
        elif character == "\n" and quotes % 2 == 0:
            end = position + 1
    return end


def guarded_records(text: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for record in csv.reader(io.StringIO(text, newline="")):
        writer.writerow([guarded_cell(value) for value in record])
    return out.getvalue()


class CsvRewriter:
    """Rewrites one streamed CSV body; `feed` returns what can be sent so far."""

    def __init__(self):
        self.pending = ""
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def feed(self, chunk: bytes, last: bool) -> bytes:
        self.pending += self.decoder.decode(chunk, final=last)
        cut = len(self.pending) if last else complete_records(self.pending)
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        return guarded_records(ready).encode("utf-8") if ready else b""


def _is_csv(scope, message) -> bool:
    if not scope.get("path", "").endswith(".csv") or message.get("status") != 200:
        return False
    content_type = dict(message.get("headers", [])).get(b"content-type", b"")
    return content_type.startswith(CSV_TYPES)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http" or not scope.get("path", "").endswith(".csv"):
                return await app(scope, receive, send)
            rewriter = None

            async def rewriting_send(message):
                nonlocal rewriter
                if message["type"] == "http.response.start" and _is_csv(scope, message):
                    rewriter = CsvRewriter()
                    headers = [(k, v) for k, v in message["headers"] if k != b"content-length"]
                    message = dict(message, headers=headers)
                elif message["type"] == "http.response.body" and rewriter is not None:
                    last = not message.get("more_body", False)
                    message = dict(message, body=rewriter.feed(message.get("body", b""), last))
                await send(message)

            return await app(scope, receive, rewriting_send)

        return guarded

    return wrap
