"""What a visitor's request may carry into Datasette: its own address, and GET.

- The Host header is replaced by the address the server listens on, and the
  scheme by plain http: Datasette builds `next_url`, facet links and CSV blob
  links from them, so a forged `Host: evil.example` would otherwise come back
  in the page (a cache or a proxy in front could then serve it to others).
- The registry is read-only: only GET and HEAD are answered, except the
  overlap check's form (POST /-/overlap). Datasette's other POST endpoints
  (write API, tokens, debug messages) have nothing to do here, and two of
  them answered 500 to a plain POST.
"""

from __future__ import annotations

from datasette import hookimpl

READ_METHODS = {"GET", "HEAD"}
POST_PATHS = {"/-/overlap", "/-/overlap.json"}


def _listening_host(scope) -> bytes:
    host, port = scope.get("server") or ("127.0.0.1", None)
    return (f"[{host}]" if ":" in host else host).encode("latin-1") + (
        f":{port}".encode("latin-1") if port else b""
    )


async def _not_allowed(send, allowed: str) -> None:
    body = b"Method not allowed: the registry is read-only.\n"
    await send(
        {
            "type": "http.response.start",
            "status": 405,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"allow", allowed.encode("latin-1")),
                (b"content-length", str(len(body)).encode("latin-1")),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def pinned(scope) -> dict:
    """The scope with its Host header and scheme replaced by the server's own."""
    headers = [(name, value) for name, value in scope.get("headers", []) if name != b"host"]
    headers.append((b"host", _listening_host(scope)))
    return dict(scope, headers=headers, scheme="http")


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            method = scope.get("method", "GET")
            if method not in READ_METHODS and not (
                method == "POST" and scope.get("path") in POST_PATHS
            ):
                allowed = "GET, HEAD, POST" if scope.get("path") in POST_PATHS else "GET, HEAD"
                return await _not_allowed(send, allowed)
            return await app(pinned(scope), receive, send)

        return guarded

    return wrap
