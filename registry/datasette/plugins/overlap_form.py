"""The `/-/overlap` page: paste a description, get the same ranked, explained
result as `commons overlap` (the same `check` function, the same JSON).

Side-effect free: the form uses GET so results can be linked. Programs may
POST a form-encoded body instead (for descriptions longer than a server's URL
limit); nothing is stored either way, so CSRF protection is not needed here.
Input is capped at 20 KB (413 above), checked on the raw query string or
body before anything is parsed; a body is never read past the cap.
`/-/overlap.json` returns the JSON the CLI prints with `--format json`.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import parse_qs

from datasette import hookimpl
from datasette.utils.asgi import Response

from registry.overlap import MAX_TOP
from registry.overlap.check import check
from registry.overlap.index import open_index
from registry.overlap.offer import MAX_TEXT, offer_from_text

# Percent-encoding can triple a character's size; anything longer is surely over the cap.
MAX_QUERY_STRING = MAX_TEXT * 3 + 200


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
    if text.strip():
        path = _database_path(datasette)
        if path is None:
            error = "No registry database is loaded."
        else:
            try:
                offer = offer_from_text(text)
                result = await asyncio.get_running_loop().run_in_executor(
                    None, lambda: check(open_index(path), offer, top=top)
                )
            except (ValueError, LookupError, FileNotFoundError) as problem:
                error = str(problem)
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
def skip_csrf(scope):
    return scope.get("path") in ("/-/overlap", "/-/overlap.json")


@hookimpl
def register_routes():
    return [(r"^/-/overlap(\.(?P<format>json))?$", overlap_page)]
