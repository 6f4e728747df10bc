"""The `/-/overlap` page: paste a description, get the same ranked, explained
result as `commons overlap` (the same `check` function, the same JSON).

Side-effect free: the form uses GET so results can be linked. Programs may
POST a form-encoded body instead (for descriptions longer than a server's URL
limit); nothing is stored either way, so CSRF protection is not needed here.
Input is capped at 20 KB (413 above), checked on the raw query string or
body before anything is parsed; a body is never read past the cap.
`/-/overlap.json` returns the JSON the CLI prints with `--format json`.

No request waits for the index to be computed: it is loaded at start-up, in a
thread of its own, from the file the build saved beside the database
(overlap/saved_index.py). A request that arrives before it is ready (or while
it is computed, for a database without its saved index) waits at most
READY_WAIT seconds, then gets 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from concurrent.futures import Future
from urllib.parse import parse_qs

from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.overlap import MAX_TOP
from registry.overlap.check import check
from registry.overlap.index import loaded_index, open_index
from registry.overlap.offer import MAX_TEXT, offer_from_text

# Percent-encoding can triple a character's size; anything longer is surely over the cap.
MAX_QUERY_STRING = MAX_TEXT * 3 + 200
READY_WAIT = 2.0  # seconds a request waits for an index being loaded before it gets 503
RETRY_AFTER = 5

_PREPARING: dict[str, Future] = {}
_PREPARING_LOCK = threading.Lock()


def prepare_index(path: str) -> Future:
    """The index of `path` being loaded (or computed) in a daemon thread: one at a time per
    database, so requests never start a second one."""
    with _PREPARING_LOCK:
        future = _PREPARING.get(path)
        if future is None or future.done():
            future = Future()
            _PREPARING[path] = future
            threading.Thread(target=_load, args=(path, future), daemon=True).start()
        return future


def _load(path: str, future: Future) -> None:
    try:
        index = open_index(path)
    except BaseException as error:  # handed to the requests waiting for it
        future.set_exception(error)
        return
    if note := index.computed_note():
        print(f"overlap: {note}", file=sys.stderr)
    future.set_result(index)


async def _ready_index(path: str):
    """The loaded index of `path`, or None when it is not ready within READY_WAIT seconds."""
    index = loaded_index(path)
    if index is not None:
        return index
    future = asyncio.wrap_future(prepare_index(path))
    try:
        return await asyncio.wait_for(asyncio.shield(future), READY_WAIT)
    except TimeoutError:
        return None


def _database_path(datasette) -> str | None:
    """The registry database: the one named `registry`, else the first file-backed one."""
    databases = {name: db for name, db in datasette.databases.items() if db.path}
    chosen = databases.get("registry") or next(iter(databases.values()), None)
    return chosen.path if chosen else None


def _too_large(wants_json: bool) -> Response:
    message = (
        f"The description is over {MAX_TEXT // 1024} KB. Shorten it to what the data is and where "
        "it comes from."
    )
    if wants_json:
        return Response.json({"error": message}, status=413)
    return Response.text(message, status=413)


async def _capped_body(request) -> bytes | None:
    """The request body, or None as soon as it passes MAX_QUERY_STRING bytes."""
    body = b""
    more = True
    while more:
        message = await request.receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > MAX_QUERY_STRING:
            return None
    return body


def _not_ready(wants_json: bool) -> Response:
    message = "The overlap index is being loaded; try again in a few seconds."
    headers = {"Retry-After": str(RETRY_AFTER)}
    if wants_json:
        return Response.json({"error": message}, status=503, headers=headers)
    return Response.text(message, status=503, headers=headers)


async def _checked(index, text: str, top: int) -> tuple[dict | None, str | None]:
    """(result, None), or (None, what is wrong with the description)."""
    try:
        offer = offer_from_text(text)
        result = await asyncio.get_running_loop().run_in_executor(
            None, lambda: check(index, offer, top=top)
        )
    except (ValueError, LookupError) as problem:
        return None, str(problem)
    return result, None


async def overlap_page(request, datasette):
    wants_json = request.url_vars.get("format") == "json"
    if len(request.query_string) > MAX_QUERY_STRING:
        return _too_large(wants_json)
    raw = request.query_string
    if request.method == "POST":
        body = await _capped_body(request)
        if body is None:
            return _too_large(wants_json)
        raw = body.decode("utf-8", "replace")
    params = parse_qs(raw, keep_blank_values=True)
    text = (params.get("q") or [""])[0]
    if len(text.encode("utf-8")) > MAX_TEXT:
        return _too_large(wants_json)
    try:
        top = max(1, min(int((params.get("top") or ["10"])[0]), MAX_TOP))
    except ValueError:
        top = 10
    result, error = None, None
    if text.strip() and (path := _database_path(datasette)) is not None:
        try:
            index = await _ready_index(path)
        except (LookupError, FileNotFoundError) as problem:
            index, error = None, str(problem)
        if index is None and error is None:
            return _not_ready(wants_json)
        if index is not None:
            result, error = await _checked(index, text, top)
    elif text.strip():
        error = "No registry database is loaded."
    if wants_json:
        if error:
            return Response.json({"error": error}, status=400)
        if result is None:
            return Response.json({"error": "give a description as ?q=..."}, status=400)
        return Response.text(
            json.dumps(result, indent=2, ensure_ascii=False),
            headers={"content-type": "application/json; charset=utf-8"},
        )
    html = await datasette.render_template(
        "overlap.html",
        {
            "q": text,
            "top": top,
            "result": result,
            "error": error,
            "max_text": MAX_TEXT,
            "json_url": None,
        },
        request=request,
    )
    return Response.html(html, status=400 if error else 200)


@hookimpl
def startup(datasette):
    """Start loading the index as the server starts, so the first request finds it ready."""

    async def load():
        path = _database_path(datasette)
        if path is not None:
            prepare_index(path)

    return load


@hookimpl
def skip_csrf(scope):
    return scope.get("path") in ("/-/overlap", "/-/overlap.json")


@hookimpl
def register_routes():
    return [(r"^/-/overlap(\.(?P<format>json))?$", overlap_page)]
