"""`commons signals`, `refresh-signals` and `check-links` against real local servers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from local_servers import LocalServer, redirect, send

from registry.commands.cli import cli
from registry.entry.canonical import dumps
from registry.entry.strict_yaml import read
from registry.net import network

# A publisher's robots.txt in the shape of a CDN-managed file: content signals
# for everyone, AI training crawlers disallowed by name, plus an IETF rule.
PUBLISHER_ROBOTS = """\
# As a condition of accessing this website, you agree to abide by the
# following content signals: search=yes means building a search index,
# ai-input=... means inputting content into AI models, ai-train=... training.
User-Agent: *
Content-Signal: search=yes,ai-train=no
Content-Usage: train-ai=n, search=y
Content-Usage: /open-data/ train-ai=y
Allow: /
Disallow: /private/

User-agent: Amazonbot
Disallow: /

User-agent: Applebot-Extended
Disallow: /

User-agent: Bytespider
Disallow: /

User-agent: CCBot
Disallow: /

User-agent: ClaudeBot
Disallow: /

User-agent: Google-Extended
Disallow: /

User-agent: GPTBot
Disallow: /

User-agent: meta-externalagent
Disallow: /

Sitemap: https://news.example/sitemap.xml
"""

ARTICLE_HTML = b"""<!doctype html><html><head><meta charset="utf-8">
<meta name="tdm-reservation" content="1">
<meta name="tdm-policy" content="https://news.example/tdm-policy.json">
<title>Archive</title></head><body>News archive</body></html>"""


@pytest.fixture
def publisher(monkeypatch):
    server = LocalServer()
    server.routes["/robots.txt"] = lambda h: send(h, 200, PUBLISHER_ROBOTS.encode())
    server.routes["/archive/"] = lambda h: send(
        h,
        200,
        ARTICLE_HTML,
        {
            "Content-Type": "text/html; charset=utf-8",
            "Content-Usage": "train-ai=n;exceptions=cc-cr",
            "tdm-reservation": "0",
        },
    )
    server.routes["/open-data/"] = lambda h: send(h, 200, b"open", {"Content-Type": "text/plain"})
    server.routes["/.well-known/tdmrep.json"] = lambda h: send(
        h, 200, b'[{"location": "/", "tdm-reservation": 1}]', {"Content-Type": "application/json"}
    )
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    yield server
    server.close()


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_signals_text_shows_normalised_view(publisher):
    result = run("signals", publisher.url("/archive/"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "content-signals  search=yes,ai-train=no" in out
    assert "ietf-aipref      train-ai=n, search=y" in out
    assert "cc-signals       train-ai=n;exceptions=cc-cr" in out
    assert (
        "Disallow for GPTBot, CCBot, ClaudeBot, Google-Extended, Applebot-Extended, "
        "Bytespider, Meta-ExternalAgent, Amazonbot" in out
    )
    assert (
        "tdm-reservation=1; tdm-policy=https://news.example/tdm-policy.json" in out
    )  # meta beats header 0 and file
    assert "observed: " in out and publisher.url("/robots.txt") in out
    assert (
        "training   disallow" in out and "search     allow" in out and "retrieval  disallow" in out
    )
    assert "CONFLICT" not in out


def test_signals_json_flags_conflicts(publisher):
    result = run("signals", publisher.url("/open-data/"), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    vocabularies = {o["vocabulary"]: o for o in data["observations"]}
    assert vocabularies["ietf-aipref"]["value"] == "train-ai=y"  # the longer /open-data/ rule
    assert (
        vocabularies["tdmrep"]["value"] == "tdm-reservation=1"
        and "tdmrep.json" in vocabularies["tdmrep"]["note"]
    )
    assert data["view"]["training"] == {
        "value": "disallow",
        "conflict": True,
        "from": [
            "ietf-aipref=allow",
            "content-signals=disallow",
            "robots=disallow",
            "tdmrep=disallow",
        ],
    }
    assert data["view"]["search"]["value"] == "allow"


def test_signals_header_only_site(monkeypatch):
    """attach-05 §1.2 header example, served for real."""
    server = LocalServer()
    server.routes["/"] = lambda h: send(
        h, 200, b"This is some content.", {"Content-Usage": "train-ai=n"}
    )
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    try:
        data = json.loads(run("signals", server.url("/"), "--format", "json").output)
    finally:
        server.close()
    assert [(o["vocabulary"], o["value"], o["note"]) for o in data["observations"]] == [
        ("ietf-aipref", "train-ai=n", "Content-Usage header")
    ]
    assert (
        data["view"]["training"]["value"] == "disallow"
        and data["view"]["search"]["value"] == "unknown"
    )


def test_signals_refuses_private_urls():
    result = CliRunner().invoke(cli, ["signals", "http://169.254.169.254/latest/meta-data/"])
    assert result.exit_code == 1
    assert "non-public address" in result.output and "Traceback" not in result.output


def raw_entry(index: int) -> dict:
    entry_id = f"synthetic-{index:06d}"
    return {
        "id": entry_id,
        "name": f"Synthetic archive {index}",
        "summary": "A synthetic dataset for link and signal tests.",
        "homepage": f"https://data.example.org/{entry_id}",
        "access": {"kind": "open", "urls": [f"https://data.example.org/{entry_id}/download"]},
        "publisher": {"name": "Publisher", "type": "nonprofit"},
        "modality": "text",
        "languages": ["en"],
        "domains": ["news"],
        "licenses": [
            {
                "expression": "CC-BY-4.0",
                "scope": "all",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            }
        ],
        "copyright_basis": "open-licence",
        "evidence": [
            {"url": f"https://data.example.org/{entry_id}/license", "checked": "2026-01-15"}
        ],
        "verification": "high",
    }


def write_entry(folder, index, **urls):
    raw = raw_entry(index)
    raw.update({k: v for k, v in urls.items() if k in ("homepage",)})
    if "access" in urls:
        raw["access"]["urls"] = urls["access"]
    if "evidence" in urls:
        raw["evidence"] = [{"url": u, "checked": "2026-01-15"} for u in urls["evidence"]]
    if "license" in urls:
        raw["licenses"][0]["url"] = urls["license"]
    raw.pop("derived_from", None)
    raw.pop("included_in", None)
    path = folder / f"{raw['id']}.yaml"
    path.write_text(dumps(raw), encoding="utf-8")
    return path


def write_source(folder, source: str, url: str):
    """An observation file that only says where refresh-signals should look."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{source}.yaml"
    path.write_text(f"source: {source}\nurl: {url}\n", encoding="utf-8")
    return path


def watched_entry(tmp_path, index: int, source: str, url: str):
    """entries/ with one entry naming `source`, and observations/<source>.yaml pointing at
    `url`: (entries folder, entry file, observation file)."""
    entries = tmp_path / "entries"
    entries.mkdir()
    path = write_entry(entries, index)
    raw = read(str(path), path.read_bytes()).value
    raw["source_domains"] = [source]
    path.write_text(dumps(raw), encoding="utf-8")
    return entries, path, write_source(tmp_path / "observations", source, url)


def test_refresh_signals_appends_observations_and_leaves_entries_alone(publisher, tmp_path):
    entries, path, history = watched_entry(tmp_path, 1, "news.example", publisher.url("/archive/"))
    entry_bytes = path.read_bytes()

    result = run("refresh-signals", "--entries", str(entries))
    assert result.exit_code == 0, result.output
    assert "observations/news.example.yaml: new observation" in result.output
    assert "1 sources of 1 entries looked at: 1 changed, 0 unchanged" in result.output
    assert path.read_bytes() == entry_bytes  # entries are never rewritten
    data = read(str(history), history.read_bytes()).value
    [observation] = data["observations"]
    assert observation["by"] == "refresh-signals"
    assert observation["url"] == publisher.url("/archive/")
    assert data["checked"] == observation["observed"]
    assert {s["vocabulary"] for s in observation["signals"]} == {
        "content-signals",
        "ietf-aipref",
        "cc-signals",
        "robots",
        "tdmrep",
    }
    robots_signal = next(s for s in observation["signals"] if s["vocabulary"] == "robots")
    assert robots_signal["source"] == publisher.url("/robots.txt")
    assert run("validate", str(entries)).exit_code == 0

    # A second look that finds the same signals appends nothing (the date is the same).
    text = history.read_text(encoding="utf-8")
    again = run("refresh-signals", "--entries", str(entries), "synthetic-000001")
    assert "0 changed, 1 unchanged" in again.output and history.read_text("utf-8") == text

    # The site changes: the change is appended after the first observation.
    changed = PUBLISHER_ROBOTS.replace("Content-Signal: search=yes,ai-train=no\n", "")
    publisher.routes["/robots.txt"] = lambda h: send(h, 200, changed.encode())
    third = run("refresh-signals", "--entries", str(entries))
    assert "1 changed" in third.output
    data = read(str(history), history.read_bytes()).value
    assert len(data["observations"]) == 2
    assert "content-signals" not in {s["vocabulary"] for s in data["observations"][1]["signals"]}


def test_refresh_signals_keeps_history_when_site_is_down(tmp_path, monkeypatch):
    server = LocalServer()
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    server.close()
    entries, path, history = watched_entry(tmp_path, 2, "down.example", server.url("/"))
    original = history.read_bytes()
    result = CliRunner().invoke(cli, ["refresh-signals", "--entries", str(entries)])
    assert result.exit_code == 0
    assert "1 could not be read" in result.output
    assert "warning: down.example: " in result.output and "connection" in result.output
    assert history.read_bytes() == original


def test_refresh_signals_unknown_id(tmp_path):
    write_entry(tmp_path, 3, homepage="https://example.org/")
    result = CliRunner().invoke(
        cli, ["refresh-signals", "--entries", str(tmp_path), "no-such-entry"]
    )
    assert result.exit_code == 1 and "no entry with id no-such-entry" in result.output


@pytest.fixture
def links_site(monkeypatch):
    server = LocalServer()
    server.routes["/home"] = lambda h: send(h, 405 if h.command == "HEAD" else 200, b"home")
    server.routes["/old"] = redirect("/new", 301)
    server.routes["/new"] = lambda h: send(h, 200, b"new")
    server.routes["/busy"] = lambda h: send(h, 429, b"", {"Retry-After": "30"})
    server.routes["/loop"] = redirect("/loop")
    server.routes["/forbidden"] = lambda h: send(h, 403, b"bots not welcome")
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    yield server
    server.close()


def test_check_links_reports_dead_moved_and_warnings(links_site, tmp_path):
    s = links_site
    write_entry(
        tmp_path,
        4,
        homepage=s.url("/home"),
        access=[s.url("/gone"), s.url("/old")],
        evidence=[s.url("/busy"), s.url("/loop")],
        license="http://127.0.0.1:1/x|<b>[x](javascript:alert(1))",
    )
    result = run("check-links", "--entries", str(tmp_path))
    assert result.exit_code == 0, result.output  # warnings only by default
    out = result.output
    assert f"access.urls[0]: dead: {s.url('/gone')} (HTTP 404)" in out
    assert f"access.urls[1]: moved: {s.url('/old')} (moved permanently to {s.url('/new')})" in out
    assert "evidence[0].url: warning:" in out and "rate-limited" in out
    assert "evidence[1].url: warning:" in out and "too many redirects" in out
    assert "licenses[0].url: dead:" in out and "non-public address" in out
    assert "6 links checked: 1 ok, 1 moved, 2 warnings, 2 dead" in out
    assert ("GET", "/home") in [(m, p) for m, p, _ in s.hits]


def test_check_links_markdown_escapes_contributor_text(links_site, tmp_path):
    write_entry(
        tmp_path,
        5,
        homepage=links_site.url("/home"),
        license="http://127.0.0.1:1/x|<b>[x](javascript:alert(1))",
    )
    result = run("check-links", "--entries", str(tmp_path), "--markdown")
    out = result.output
    assert out.startswith("### Link check")
    row = next(line for line in out.splitlines() if "licenses" in line)
    assert row.count(" | ") == 4  # the URL's '|' cannot add a column
    assert "<b>" not in out and "](javascript" not in out
    assert result.exit_code == 0


def test_check_links_strict_fails_on_dead_links(links_site, tmp_path):
    write_entry(
        tmp_path,
        6,
        homepage=links_site.url("/home"),
        access=[links_site.url("/gone")],
        evidence=[links_site.url("/new")],
        license=links_site.url("/new"),
    )
    result = CliRunner().invoke(cli, ["check-links", "--entries", str(tmp_path), "--strict"])
    assert result.exit_code == 1 and "1 dead link(s)" in result.output


def test_check_links_strict_passes_with_only_warnings(links_site, tmp_path):
    write_entry(
        tmp_path,
        7,
        homepage=links_site.url("/home"),
        access=[links_site.url("/busy")],
        evidence=[links_site.url("/new")],
        license=links_site.url("/new"),
    )
    result = CliRunner().invoke(cli, ["check-links", "--entries", str(tmp_path), "--strict"])
    assert result.exit_code == 0, result.output
    assert "3 links checked: 2 ok, 0 moved, 1 warnings, 0 dead" in result.output


def test_malformed_allowlist_is_a_user_error(monkeypatch):
    monkeypatch.setenv(network.ALLOW_ENV, "127.0.0.1")
    result = CliRunner().invoke(cli, ["signals", "https://example.org/"])
    assert (
        result.exit_code == 1
        and "expected host:port" in result.output
        and "Traceback" not in result.output
    )


def test_check_links_treats_403_as_a_warning(links_site, tmp_path):
    write_entry(
        tmp_path,
        8,
        homepage=links_site.url("/forbidden"),
        evidence=[links_site.url("/new")],
        license=links_site.url("/new"),
        access=[links_site.url("/new")],
    )
    result = CliRunner().invoke(cli, ["check-links", "--entries", str(tmp_path), "--strict"])
    assert result.exit_code == 0, result.output
    assert "homepage: warning:" in result.output and "HTTP 403" in result.output
    assert [m for m, p, _ in links_site.hits if p == "/forbidden"] == ["HEAD", "GET"]
