"""`commons serve` really serves the registry over HTTP on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from build_fixtures import write_corpus
from registry.serve import is_stale

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_serve_builds_then_answers_on_loopback(tmp_path):
    write_corpus(tmp_path / "entries")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<p>static site home</p>", encoding="utf-8")
    db = tmp_path / "registry.db"
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("commons")), "serve", "--port", str(port),
        "--entries", str(tmp_path / "entries"), "--db", str(db), "--site", str(tmp_path / "site"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode())
            try:
                status, _ = fetch(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert status == 200
        assert db.is_file()
        status, page = fetch(f"http://127.0.0.1:{port}/entry/alpha-archives")
        assert status == 200 and "Alpha Archives" in page
        status, page = fetch(f"http://127.0.0.1:{port}/site/index.html")
        assert status == 200 and "static site home" in page
        status, _ = fetch(f"http://127.0.0.1:{port}/registry/catalog.json")
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def test_staleness_follows_entry_files(tmp_path):
    paths = write_corpus(tmp_path / "entries")
    db = tmp_path / "registry.db"
    assert is_stale(db, tmp_path / "entries")
    db.write_bytes(b"")
    future = time.time() + 100
    os.utime(db, (future, future))
    assert not is_stale(db, tmp_path / "entries")
    os.utime(paths[0], (future + 10, future + 10))
    assert is_stale(db, tmp_path / "entries")
