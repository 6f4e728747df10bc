"""RSL 1.0 licences and Content Signals `use=` read live: `commons signals` and
`refresh-signals` against a real site on 127.0.0.1, hostile licences and error pages
included."""

from __future__ import annotations

import json

import pytest
from local_servers import LocalServer, send
from test_signals_commands import run, watched_entry
from test_signals_rsl import MINIMAL_EXAMPLE

from registry.entry.strict_yaml import read
from registry.net import network


@pytest.fixture
def site(monkeypatch):
    """A bare site on 127.0.0.1 (allowed): a home page; each test adds its robots.txt."""
    server = LocalServer()
    server.routes["/"] = lambda h: send(h, 200, b"home")
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    yield server
    server.close()


def signals_json(server, robots_txt: bytes, content_type: str = "text/plain") -> dict:
    server.routes["/robots.txt"] = lambda h: send(
        h, 200, robots_txt, {"Content-Type": content_type}
    )
    return json.loads(run("signals", server.url("/"), "--format", "json").output)


def test_signals_reads_rsl_licence_and_content_signal_use(site):
    """RSL 1.0 (License line and XML licence) and Content-Signal use=, served for real."""
    site.routes["/license.xml"] = lambda h: send(
        h, 200, MINIMAL_EXAMPLE, {"Content-Type": "application/rsl+xml"}
    )
    robots_txt = (
        f"License: {site.url('/license.xml')}\n\nUser-agent: *\n"
        "Content-Signal: search=yes,ai-train=no,use=reference\nAllow: /\n"
    )
    data = signals_json(site, robots_txt.encode())
    found = {(o["vocabulary"], o["value"]): o for o in data["observations"]}
    assert ("rsl", f"License: {site.url('/license.xml')}") in found
    terms = found[
        (
            "rsl",
            "ai-train=prohibited, ai-input=not-permitted, ai-index=not-permitted, "
            "search=paid;payment=crawl",
        )
    ]
    assert terms["source"] == site.url("/license.xml")
    assert terms["note"] == "RSL licence terms for /; payment 0.015 USD"
    assert terms["implies"] == {
        "training": "disallow",
        "retrieval": "disallow",
        "search": "disallow",
    }
    use = found[("content-signals", "search=yes,ai-train=no,use=reference")]
    assert use["implies"] == {"search": "allow", "training": "disallow"}
    assert ("GET", "/license.xml") in [(m, p) for m, p, _ in site.hits]


def test_signals_reports_a_hostile_rsl_licence_without_reading_it(site):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<rsl xmlns="https://rslstandard.org/rsl">&b;</rsl>'
    )
    site.routes["/bomb.xml"] = lambda h: send(h, 200, bomb)
    data = signals_json(
        site, f"User-agent: *\nAllow: /\nLicense: {site.url('/bomb.xml')}\n".encode()
    )
    assert [o["vocabulary"] for o in data["observations"]] == ["rsl"]  # the License line only
    assert any("DTDForbidden" in w for w in data["warnings"])


def test_signals_rejects_an_html_page_served_as_robots_txt(site):
    page = b"<html><head><title>Just a moment...</title></head></html>"
    data = signals_json(site, page, "text/html")
    assert data["observations"] == []
    assert any("an HTML page titled 'Just a moment...'" in w for w in data["warnings"])


def test_refresh_signals_keeps_rsl_terms_and_content_signal_use(site, tmp_path):
    """A live look at a site with an RSL licence and Content-Signal use=, appended as one
    observation whose signals the classifier reads (real server on 127.0.0.1)."""
    site.routes["/license.xml"] = lambda h: send(h, 200, MINIMAL_EXAMPLE)
    robots_txt = (
        f"User-agent: *\nContent-Signal: search=yes,ai-train=no,use=reference\nAllow: /\n"
        f"License: {site.url('/license.xml')}\n"
    )
    site.routes["/robots.txt"] = lambda h: send(h, 200, robots_txt.encode())
    entries, path, history = watched_entry(tmp_path, 9, "licensed.example", site.url("/"))
    assert run("refresh-signals", "--entries", str(entries)).exit_code == 0
    [observation] = read(str(history), history.read_bytes()).value["observations"]
    found = {(s["vocabulary"], s["value"]): s for s in observation["signals"]}
    terms = found[
        (
            "rsl",
            "ai-train=prohibited, ai-input=not-permitted, ai-index=not-permitted, "
            "search=paid;payment=crawl",
        )
    ]
    assert terms["source"] == site.url("/license.xml")
    assert ("content-signals", "search=yes,ai-train=no,use=reference") in found
    explained = run("classify", "--explain", "synthetic-000009", str(path)).output
    # The rules in force read the training opt-out; RSL terms and use= await proposal 2026-001.
    assert "sig.content-signals.ai-train-no" in explained
    assert "'ai-train=prohibited' is not a label this registry reads" in explained
    assert "'use=reference' is not a label this registry reads" in explained
