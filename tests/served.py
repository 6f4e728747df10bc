"""`commons serve` as a visitor meets it: a real process on a free loopback port, with the site
and the exports built from the session registry (conftest.served_files, once a run)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.commands.cli import cli
from registry.site import listing

ROOT = Path(__file__).resolve().parent.parent
# The served site's listings hold 4 entries a page (the catalog's are 100), so a crawl follows
# their pagers through several pages.
LISTING_PAGE_SIZE = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_served_files(folder: Path, db: Path) -> tuple[Path, Path]:
    """(site, exports) built from `db` by the real `commons export` and `commons site`, the
    site's listings LISTING_PAGE_SIZE entries a page."""
    exports, site = folder / "exports", folder / "site"
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--db", str(db), "--out", str(exports)])
    assert result.exit_code == 0, result.output
    args = ["site", "--db", str(db), "--out", str(site), "--src", str(folder / "site-src")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(listing, "PAGE_SIZE", LISTING_PAGE_SIZE)
        result = runner.invoke(
            cli, [*args, "--site-dir", str(ROOT / "site"), "--exports", str(exports)]
        )
    assert result.exit_code == 0, result.output
    return site, exports


def start_serve(db: Path, site: Path, exports: Path, port: int) -> subprocess.Popen:
    """`commons serve --no-build` in its own session; returns once it answers."""
    command = [str(Path(sys.executable).with_name("commons")), "serve", "--no-build"]
    command += ["--db", str(db), "--site", str(site), "--exports", str(exports)]
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "commons serve exited before answering"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise AssertionError("commons serve did not answer within 60 s")


def children(pid: int) -> list[int]:
    """The process ids whose parent is `pid` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found += [int(child) for child in text.split()]
    return found


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped, counts as stopped)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
