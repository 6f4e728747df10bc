"""`commons serve` really serves the registry over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
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

from registry.commands.serve import datasette_command, inspect_data, is_stale

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
    db = tmp_path / "nightly.db"  # any file name: served as `registry`, as the config says
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("commons")),
        "serve",
        "--port",
        str(port),
        "--entries",
        str(tmp_path / "entries"),
        "--db",
        str(db),
        "--site",
        str(tmp_path / "site"),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
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
        status, body = fetch(f"http://127.0.0.1:{port}/registry/catalog.json?_extra=count")
        assert status == 200 and json.loads(body)["count"] == len(
            list((tmp_path / "entries").glob("*.yaml"))
        )
        status, page = fetch(f"http://127.0.0.1:{port}/-/search?q=alpha")
        assert status == 200 and "Alpha Archives" in page
        # Served with the table counts of `datasette inspect`, written beside the link.
        inspected = tmp_path / ".nightly.db.served" / "registry.db.inspect.json"
        counts = json.loads(inspected.read_text())["registry"]["tables"]
        assert counts["catalog"]["count"] == json.loads(body)["count"]
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


def test_inspect_data_is_written_once_per_database_file(tmp_path, monkeypatch):
    from registry.build.pipeline import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    write_corpus(tmp_path / "entries")
    db = tmp_path / "registry.db"
    build(tmp_path / "entries", db, cache_dir=None, progress=False)
    target = inspect_data(db)
    data = json.loads(target.read_text())["registry"]
    assert data["tables"]["catalog"]["count"] == len(list((tmp_path / "entries").glob("*.yaml")))
    assert data["hash"] == (tmp_path / "registry.db.sha256").read_text().split()[0]
    written = target.stat().st_mtime_ns
    assert inspect_data(db) == target and target.stat().st_mtime_ns == written
    # A newer database (every build replaces the file) is inspected again.
    future = time.time() + 100
    os.utime(db, (future, future))
    inspect_data(db)
    assert target.stat().st_mtime_ns != written
    command = datasette_command(
        db, 8001, ROOT / "datasette.yml", ROOT / "metadata.yml", None, target
    )
    assert command[command.index("--inspect-file") + 1] == str(target)
