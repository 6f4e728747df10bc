"""A hostile website against `commons signals` and `commons refresh-signals`, on 127.0.0.1.

Its robots.txt and headers carry terminal escape sequences, bidi controls, a NUL
and zero-width characters. Nothing of that may reach a terminal or an observation
file as such: it is stored and printed as visible escapes, and the file still validates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from local_servers import LocalServer, send

from registry.net import network
from registry.signals.clean import visible

ROOT = Path(__file__).resolve().parent.parent
COMMONS = str(Path(sys.executable).with_name("commons"))
ROBOTS = (
    "User-Agent: *\n"
    "Content-Usage: train-ai=n\x1b[2J\x1b]0;owned\x07 \u202eevil\x00x\n"
    "Content-Signal: search=yes,ai-train=no\u200b\x1b[31m\n"
).encode()
RAW = ("\x1b", "\x07", "\x00", "\u202e", "\u200b")


@pytest.fixture
def hostile():
    server = LocalServer()
    server.routes["/robots.txt"] = lambda h: send(h, 200, ROBOTS)
    server.routes["/"] = lambda h: send(h, 200, b"<html></html>", {"Content-Type": "text/html"})
    try:
        yield server
    finally:
        server.close()


def run(server: LocalServer, *arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, **{network.ALLOW_ENV: f"127.0.0.1:{server.port}"})
    return subprocess.run(
        [COMMONS, *arguments], capture_output=True, env=environment, cwd=ROOT, timeout=120
    )


def test_signals_prints_no_escape_sequence_or_invisible_character(hostile):
    result = run(hostile, "signals", hostile.url("/"))
    assert result.returncode == 0
    output = result.stdout.decode("utf-8")
    assert not any(character in output for character in RAW)
    assert "train-ai=n\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil\\x00x" in output
    assert "search=yes,ai-train=no\\u200b\\x1b[31m" in output


def test_refresh_signals_stores_visible_escapes_and_the_history_still_validates(hostile, tmp_path):
    entries, observations = tmp_path / "entries", tmp_path / "observations"
    entries.mkdir()
    observations.mkdir()
    base = (ROOT / "tests" / "fixtures" / "good" / "05-iso-date.yaml").read_text(encoding="utf-8")
    text = base.replace("05-iso-date", "site") + "source_domains: [hostile.example]\n"
    (entries / "site.yaml").write_text(text, encoding="utf-8")
    history = observations / "hostile.example.yaml"
    history.write_text(f"source: hostile.example\nurl: {hostile.url('/')}\n", encoding="utf-8")
    result = run(hostile, "refresh-signals", "--entries", str(entries))
    assert result.returncode == 0, result.stderr
    stored = history.read_text(encoding="utf-8")
    assert not any(character in stored for character in RAW)
    assert "value: train-ai=n\\x1b[2J\\x1b]0;owned\\x07 \\u202eevil\\x00x" in stored
    assert (entries / "site.yaml").read_text(encoding="utf-8") == text  # entries untouched
    validated = run(hostile, "validate", str(entries))
    assert validated.returncode == 0, validated.stderr
    assert b"1 observation histories valid" in validated.stdout


def test_visible_escapes_every_control_and_format_character():
    assert visible("a\x1b[1mb\tc\u2028d\U000e0041") == "a\\x1b[1mb\\x09c\\u2028d\\U000e0041"
    assert visible("Cafe\u0301 \u65e5\u672c") == "Caf\u00e9 \u65e5\u672c"
