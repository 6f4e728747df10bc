"""Real HTTP servers on 127.0.0.1 for network tests (no test touches the internet).

`LocalServer` runs a ThreadingHTTPServer on a random port in a daemon thread.
Routes map a path to a function(handler) that writes the response; every
request is recorded in `hits` as (method, path, headers).
"""

from __future__ import annotations

import http.server
import threading
import time


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _dispatch(self):
        server: LocalServer = self.server.owner
        with server.lock:
            server.hits.append((self.command, self.path, dict(self.headers)))
        route = server.routes.get(self.path.split("?")[0])
        try:
            if route is None:
                send(self, 404, b"not found")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass

    do_GET = do_HEAD = do_POST = _dispatch

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # clients hanging up mid-response is what several tests do on purpose

    def log_message(self, *args):
        pass


def send(handler, status: int, body: bytes = b"", headers: dict | None = None):
    """Write a complete response (no body for HEAD)."""
    handler.send_response(status)
    headers = {"Content-Type": "text/plain", **(headers or {})}
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


class LocalServer:
    def __init__(self):
        self.routes: dict = {}
        self.hits: list = []
        self.lock = threading.Lock()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def pair(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.hits if method is None or m == method]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def slow_drip(handler):
    """200, then one byte every 0.5 s for as long as the client listens."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.end_headers()
    while True:
        handler.wfile.write(b"x")
        handler.wfile.flush()
        time.sleep(0.5)


def huge_body(handler):
    """Announce 10 GB and stream zeros until the client hangs up."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/octet-stream")
    handler.send_header("Content-Length", str(10 * 1024**3))
    handler.end_headers()
    if handler.command == "HEAD":
        return
    chunk = b"\0" * 65536
    for _ in range(10 * 1024**3 // len(chunk)):
        handler.wfile.write(chunk)


def redirect(location: str, status: int = 302):
    return lambda handler: send(handler, status, b"", {"Location": location})
