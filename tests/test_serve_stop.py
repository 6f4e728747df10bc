"""Stopping `commons serve` leaves nothing behind, and everything the site links to is served."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import time
import urllib.request

import pytest
from served import alive, children, free_port, start_serve


def port_is_free(port: int) -> bool:
    """True when a new server could listen on `port` (as one does, with SO_REUSEADDR)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL])
def test_stopping_serve_leaves_no_process_and_frees_the_port(built_registry, served_files, signum):
    port = free_port()
    process = start_serve(built_registry, *served_files, port)
    try:
        datasette = children(process.pid)
        assert len(datasette) == 1 and alive(datasette[0])
        os.kill(process.pid, signum)  # the parent alone, as a service manager or `kill` does
        process.wait(timeout=20)
        deadline = time.monotonic() + 15
        while alive(datasette[0]) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(datasette[0]), f"Datasette outlived commons serve after {signum!r}"
        assert port_is_free(port)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_every_download_link_is_served_with_its_type_and_compressed(built_registry, served_files):
    port = free_port()
    process = start_serve(built_registry, *served_files, port)
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(f"{base}/site/downloads.html") as response:
            page = response.read().decode()
        links = re.findall(r'href="(\.\./exports/[^"]+)"', page)
        assert len(links) >= 10
        types = {}
        for link in links:
            url = f"{base}/{link.removeprefix('../')}"
            request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
            with urllib.request.urlopen(request) as response:
                assert response.status == 200, url
                body = response.read()
                if response.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                assert body, url
                types[link.rsplit("/", 1)[1]] = response.headers["Content-Type"]
        assert types["registry.db"] == "application/vnd.sqlite3"
        assert types["entries.jsonl"] == "application/jsonl"
        assert types["entry.schema.json"] == "application/json"
        request = urllib.request.Request(
            f"{base}/registry/catalog", headers={"Accept-Encoding": "gzip"}
        )
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert b"</html>" in gzip.decompress(response.read())
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
