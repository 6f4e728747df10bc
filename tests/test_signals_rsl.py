"""RSL 1.0 and Content Signals `use=`, against their specifications' own examples.

Sources of the examples (quoted in each test): the RSL 1.0 specification
(rslstandard.org/rsl), its guides "Adding RSL to robots.txt" (rslstandard.org/guide/
robots-txt) and "RSL and AI Preferences" (rslstandard.org/guide/ai-preferences); the
Content Signals Policy (contentsignals.org) and Cloudflare's managed robots.txt line of
1 July 2026 ("Your site, your rules: new AI traffic options for all customers").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.entry.signals import content_signals, robots, rsl
from registry.entry.signals.aipref import ALLOW, DISALLOW
from registry.entry.signals.rsl import RslError, Term

TRACKER = Path(__file__).parent / "fixtures" / "tracker" / "samber-the-great-gpt-firewall"


def terms_for(document: str, url: str = "https://example.com/page") -> dict[str, Term]:
    return rsl.terms(rsl.content_for(rsl.parse_document(document), url))


# --- robots.txt License lines -------------------------------------------------------


def test_robots_guide_example_license_is_global():
    # "Adding RSL to robots.txt": License: https://example.com/license.xml /
    # User-agent: Googlebot / Allow: /
    parsed = robots.parse(
        "License: https://example.com/license.xml\n\nUser-agent: Googlebot\nAllow: /\n"
    )
    assert parsed.licenses == ["https://example.com/license.xml"]
    assert parsed.can_fetch("Googlebot", "/page")
    # "The License directive is global (not tied to any specific user agent)": a line inside a
    # group is read the same way, and never becomes one of the group's rules.
    inside = robots.parse("User-agent: *\nLicense: https://example.com/l.xml\nDisallow: /x\n")
    assert inside.licenses == ["https://example.com/l.xml"]
    assert [r.kind for r in inside.groups[0].rules] == ["disallow"]


def test_ai_preferences_guide_robots_example():
    # "RSL and AI Preferences": User-Agent: * / Allow: / / Content-Usage: train-ai=n /
    # License: https://your-website.com/license.xml
    parsed = robots.parse(
        "User-Agent: *\nAllow: /\nContent-Usage: train-ai=n\n"
        "License: https://your-website.com/license.xml\n"
    )
    assert parsed.licenses == ["https://your-website.com/license.xml"]
    assert parsed.content_usage("/a").preferences["train-ai"] == DISALLOW


def test_real_tracker_copy_with_a_license_line():
    text = (TRACKER / "2026/2026-01-robots.txt/stackoverflow.com.robots.txt").read_text()
    parsed = robots.parse(text)
    assert parsed.licenses == ["https://stackoverflow.com/license.xml"]


# --- RSL licence documents ---------------------------------------------------------


def test_spec_example_prohibiting_ai_use_site_wide():
    # RSL 1.0 specification: <content url="/"><license><prohibits type="usage">ai-all
    found = terms_for(
        '<rsl xmlns="https://rslstandard.org/rsl"><content url="/"><license>'
        '<prohibits type="usage">ai-all</prohibits></license></content></rsl>'
    )
    assert {usage: term.status for usage, term in found.items()} == {
        "ai-train": "prohibited",
        "ai-input": "prohibited",
        "ai-index": "prohibited",
        "search": "free",  # ai-all does not cover search
    }


def test_ai_preferences_guide_licence_example():
    # "RSL and AI Preferences": <permits type="usage">train-ai</permits>
    # <payment type="subscription"><custom>https://your-website.com/contact-form.html</custom>
    found = terms_for(
        """<rsl xmlns="https://rslstandard.org/rsl">
          <content url="/">
            <license>
              <permits type="usage">train-ai</permits>
              <payment type="subscription">
                <custom>https://your-website.com/contact-form.html</custom>
              </payment>
            </license>
          </content>
        </rsl>"""
    )
    assert found["ai-train"] == Term("paid", "subscription")  # the IETF label read as ai-train
    assert found["search"].status == "not-permitted"
    assert rsl.statement(found) == (
        "ai-train=paid;payment=subscription, ai-input=not-permitted, ai-index=not-permitted, "
        "search=not-permitted"
    )


# The minimal example quoted from the specification: permits search, prohibits ai-train,
# <payment type="crawl"><amount currency="USD">0.015</amount> (also served in
# test_signals_commands.py).
MINIMAL_EXAMPLE = b"""<?xml version="1.0" encoding="UTF-8"?>
<rsl xmlns="https://rslstandard.org/rsl">
  <content url="/">
    <license>
      <permits type="usage">search</permits>
      <prohibits type="usage">ai-train</prohibits>
      <payment type="crawl"><amount currency="USD">0.015</amount></payment>
    </license>
  </content>
</rsl>"""


def test_minimal_example_permits_search_prohibits_training_for_a_crawl_fee():
    [content] = rsl.parse_document(MINIMAL_EXAMPLE)
    assert content.licences[0].amounts == ("0.015 USD",)
    found = rsl.terms(content)
    assert found["ai-train"].status == "prohibited"
    assert found["search"] == Term("paid", "crawl")


def test_licence_server_means_a_licence_is_obtained_even_when_free():
    # "If this attribute is present, clients must obtain a license for this asset, even if the
    # license is free." The example prohibits all usage through the RSL Collective's server.
    found = terms_for(
        '<rsl xmlns="https://rslstandard.org/rsl"><content url="/" '
        'server="https://rslcollective.org/api"><license><prohibits type="usage">all'
        "</prohibits></license></content></rsl>"
    )
    assert {term.status for term in found.values()} == {"prohibited"}
    free = terms_for(
        '<rsl xmlns="https://rslstandard.org/rsl"><content url="/" server="https://l.example/">'
        '<license><permits type="usage">search</permits></license></content></rsl>'
    )
    assert free["search"].status == "licensed"


def test_alternative_licences_the_most_open_counts_and_prohibits_wins_inside_one():
    document = """<rsl xmlns="https://rslstandard.org/rsl"><content url="/">
      <license><permits type="usage">ai-train,search</permits>
               <prohibits type="usage">ai-train</prohibits></license>
      <license><permits type="usage">ai-train</permits><payment type="training"/></license>
    </content></rsl>"""
    found = terms_for(document)
    assert found["ai-train"] == Term("paid", "training")
    assert found["search"].status == "free"


def test_content_urls_match_by_longest_pattern_and_own_host():
    document = """<rsl xmlns="https://rslstandard.org/rsl">
      <content url="/"><license><permits type="usage">all</permits></license></content>
      <content url="/premium/*"><license><prohibits type="usage">all</prohibits></license>
      </content>
      <content url="https://other.example/"><license/></content>
    </rsl>"""
    contents = rsl.parse_document(document)
    assert rsl.content_for(contents, "https://example.com/premium/a").url == "/premium/*"
    assert rsl.content_for(contents, "https://example.com/free").url == "/"
    assert rsl.content_for(contents, "https://other.example/x").url == "https://other.example/"


@pytest.mark.parametrize(
    "document,why",
    [
        (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">]>'
            '<rsl xmlns="https://rslstandard.org/rsl">&a;</rsl>',
            "DTDForbidden",
        ),
        (
            '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rsl>&x;</rsl>',
            "DTDForbidden",
        ),
        ("<rsl><content url='/'/></rsl>", "not <rsl> in the https://rslstandard.org/rsl"),
        ('<rsl xmlns="https://rslstandard.org/rsl">', "not well-formed XML"),
        ('<rsl xmlns="https://rslstandard.org/rsl"/>', "no <content> element"),
        ("x" * (rsl.MAX_BYTES + 1), "larger than 256 KiB"),
    ],
)
def test_hostile_or_broken_documents_are_refused_with_a_reason(document, why):
    with pytest.raises(RslError, match=why.replace("(", r"\(")):
        rsl.parse_document(document)


def test_statement_reads_back_and_umbrellas_expand():
    found = {"ai-train": Term("prohibited"), "search": Term("paid", "crawl")}
    assert rsl.parse_statement(rsl.statement(found)) == (found, ())
    expanded, problems = rsl.parse_statement("ai-all=prohibited")
    assert set(expanded) == {"ai-train", "ai-input", "ai-index"} and problems == ()
    _, problems = rsl.parse_statement("ai-think=free, search=maybe")
    assert problems == (
        "'ai-think' is not an RSL usage token",
        "'search' has no known status (one of free, attribution, licensed, paid, not-permitted, "
        "prohibited)",
    )
    assert rsl.parse_statement("Search=free")[0] == {}  # keys are lowercase Dictionary keys


# --- Content Signals ------------------------------------------------------------------


def test_content_signals_policy_example():
    # contentsignals.org: User-Agent: * / Content-Signal: ai-train=no, search=yes,
    # ai-input=yes / Allow: /
    parsed = robots.parse(
        "User-Agent: *\nContent-Signal: ai-train=no, search=yes, ai-input=yes\nAllow: /\n"
    )
    signal = parsed.content_signal("/article")
    assert signal.preferences == {"ai-train": DISALLOW, "search": ALLOW, "ai-input": ALLOW}
    assert signal.use is None


def test_managed_robots_use_reference_example():
    # Cloudflare managed robots.txt (2026-07-01): Content-Signal:
    # search=yes,ai-train=no,use=reference
    line = "search=yes,ai-train=no,use=reference"
    assert content_signals.parse(line) == {"search": ALLOW, "ai-train": DISALLOW}
    assert content_signals.parse_use(line) == "reference"
    parsed = robots.parse(f"User-agent: *\nContent-Signal: {line}\nAllow: /\n")
    assert parsed.content_signal("/").use == "reference"


@pytest.mark.parametrize(
    "line,use",
    [
        ("use=immediate", "immediate"),
        ("use=full, ai-train=no", "full"),
        ("use=everything", None),
        ("use=full, use=immediate", "immediate"),
        ("USE=full", None),
    ],
)
def test_use_levels_and_unknown_values(line, use):
    assert content_signals.parse_use(line) == use


def test_content_signal_applies_where_crawling_is_disallowed():
    # stackoverflow.com, 2025-10: user-agent: * / content-signal: search=no, ai-train=no /
    # disallow: /. A reservation of rights over the content, whatever may be crawled.
    text = (TRACKER / "2025/2025-10-robots.txt/stackoverflow.com.robots.txt").read_text()
    parsed = robots.parse(text)
    assert not parsed.can_fetch("*", "/")
    assert parsed.content_signal("/").preferences == {"search": DISALLOW, "ai-train": DISALLOW}
    assert parsed.content_usage("/") is None  # attach-05: no Content-Usage for such paths
