"""The importer run as a real process never requests a JSON-LD context, even one
that a live server on 127.0.0.1 would answer (kept apart from test_import.py,
whose socket guard would also block this test's own probe of the server)."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def test_a_served_context_is_never_requested(tmp_path):
    """A real HTTP server on 127.0.0.1 serves a context; the importer, run as a process, never asks
    for it."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = b'{"@context": {"@vocab": "http://www.w3.org/ns/dcat#"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/context.jsonld"
        document = json.loads(
            (FIXTURES / "dcat" / "remote-context.jsonld").read_text(encoding="utf-8")
        )
        document["@context"] = [url]
        source = tmp_path / "dataset.jsonld"
        source.write_text(json.dumps(document), encoding="utf-8")
        commons = Path(sys.executable).with_name("commons")
        result = subprocess.run(
            [
                str(commons),
                "import",
                str(source),
                "--format",
                "dcat",
                "--out",
                str(tmp_path / "out"),
                "--entries",
                str(tmp_path),
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert f"remote @context {url} was not fetched" in result.stderr
        assert "expression: CC0-1.0" in (
            tmp_path / "out" / "remote-context-example.yaml"
        ).read_text(encoding="utf-8")
        # The server does answer: a request to it would have been seen.
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (test-only, loopback)
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
    assert requests == ["/context.jsonld"], "only the test's own probe reached the server"
