"""Stopping `commons serve` leaves nothing behind. (Everything the site links to is served:
test_served_crawl.py, on its server.)"""

from __future__ import annotations

import os
import signal
import socket
import time

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
