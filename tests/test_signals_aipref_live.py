"""IETF AIPREF AI Use (`ai-use`, draft-ietf-aipref-vocab-08 §4.2) read live: `commons signals`
and `refresh-signals` against a real site on 127.0.0.1, as the attach-05 `Content-Usage`
header and robots.txt rule."""

from __future__ import annotations

import json

import pytest
from local_servers import LocalServer, send
from test_signals_commands import run, watched_entry

from registry.entry.strict_yaml import read
from registry.net import network


@pytest.fixture
def site(monkeypatch):
    """A bare site on 127.0.0.1 (allowed) whose robots.txt lets every crawler in."""
    server = LocalServer()
    server.routes["/"] = lambda h: send(h, 200, b"home")
    server.routes["/robots.txt"] = lambda h: send(h, 200, b"User-agent: *\nAllow: /\n")
    monkeypatch.setenv(network.ALLOW_ENV, f"127.0.0.1:{server.port}")
    yield server
    server.close()


def signals_json(server, path: str = "/") -> dict:
    return json.loads(run("signals", server.url(path), "--format", "json").output)


def test_ai_use_header_disallows_retrieval_only(site):
    """attach-05 §2 header form: `Content-Usage: ai-use=n` on the response itself."""
    site.routes["/answers/"] = lambda h: send(h, 200, b"answer", {"Content-Usage": "ai-use=n"})
    data = signals_json(site, "/answers/")
    assert [(o["vocabulary"], o["value"], o["note"]) for o in data["observations"]] == [
        ("ietf-aipref", "ai-use=n", "Content-Usage header")
    ]
    assert data["observations"][0]["implies"] == {"retrieval": "disallow"}
    # AI Use excludes AI Training (§4.2) and says nothing of search (§4.3).
    assert {use: v["value"] for use, v in data["view"].items()} == {
        "training": "unknown",
        "search": "unknown",
        "retrieval": "disallow",
    }


def test_ai_use_robots_rule_for_a_path(site):
    """attach-05 §3 robots.txt form: a rule with a path, applied to crawlable paths only."""
    robots_txt = (
        b"User-agent: *\nAllow: /\nDisallow: /private/\n"
        b"Content-Usage: /articles/ ai-use=n, search=y\nContent-Usage: /private/ ai-use=n\n"
    )
    site.routes["/robots.txt"] = lambda h: send(h, 200, robots_txt)
    data = signals_json(site, "/articles/1")
    [usage] = [o for o in data["observations"] if o["vocabulary"] == "ietf-aipref"]
    assert usage["value"] == "ai-use=n, search=y"
    assert usage["source"] == site.url("/robots.txt")
    assert usage["note"] == "robots.txt Content-Usage rule for *"
    assert data["view"]["retrieval"]["value"] == "disallow"
    assert data["view"]["search"]["value"] == "allow"
    assert data["view"]["training"]["value"] == "unknown"
    # Outside /articles/ no rule matches; /private/ is not crawlable, so its rule is N/A.
    for path in ("/", "/private/x"):
        assert "ietf-aipref" not in {
            o["vocabulary"] for o in signals_json(site, path)["observations"]
        }


def test_refresh_signals_keeps_ai_use_and_the_classifier_restricts_retrieval(site, tmp_path):
    """A live look appended as an observation, read by the classifier's rules in force."""
    site.routes["/robots.txt"] = lambda h: send(
        h, 200, b"User-agent: *\nAllow: /\nContent-Usage: ai-use=n\n"
    )
    site.routes["/"] = lambda h: send(h, 200, b"home", {"Content-Usage": "ai-use=n"})
    entries, path, history = watched_entry(tmp_path, 7, "answers.example", site.url("/"))
    assert run("refresh-signals", "--entries", str(entries)).exit_code == 0
    [observation] = read(str(history), history.read_bytes()).value["observations"]
    assert [(s["vocabulary"], s["value"]) for s in observation["signals"]] == [
        ("ietf-aipref", "ai-use=n"),
        ("ietf-aipref", "ai-use=n"),
    ]
    # The rule's source is robots.txt; the header's is the observed URL, so it is not repeated.
    assert [s.get("source") for s in observation["signals"]] == [site.url("/robots.txt"), None]
    assert observation["url"] == site.url("/")
    explained = run("classify", "--explain", "synthetic-000007", str(path)).output
    # The rules in force (2026.3) read ai-use=n as retrieval under the rule id
    # sig.aipref.retired-ai-use-n; proposal 2026-002 names it a vocab-08 category.
    assert "open-use-restricted" in explained
    assert "sig.aipref.retired-ai-use-n" in explained
    assert "using the content as input to AI models" in explained
