"""robots.txt matching (RFC 9309) and its attach-05 Content-Usage lines, with Protego as the
oracle for which paths a crawler may fetch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from protego import Protego

from registry.entry.signals import aipref, robots
from registry.entry.signals.aipref import ALLOW, DISALLOW, UNKNOWN

ATTACH_EXAMPLE = """\
User-Agent: *
Allow: /
Disallow: /never/
Content-Usage: train-ai=n
Content-Usage: /ai-ok/ train-ai=y

User-Agent: ExampleBot
Allow: /
Content-Usage: train-ai=y
"""


@pytest.mark.parametrize(
    "path,expected", [("/test", DISALLOW), ("/never/test", None), ("/ai-ok/test", ALLOW)]
)
def test_attach_robots_example_table(path, expected):
    # attach-05 §3.4, Table 1
    usage = robots.parse(ATTACH_EXAMPLE).content_usage(path)
    if expected is None:
        assert usage is None  # not crawlable: N/A
    else:
        assert usage.preferences["train-ai"] == expected


@pytest.mark.parametrize("path", ["/test", "/never/test", "/ai-ok/test"])
def test_attach_robots_example_examplebot_uses_its_own_group(path):
    parsed = robots.parse(ATTACH_EXAMPLE)
    assert parsed.can_fetch("ExampleBot", path)
    assert parsed.content_usage(path, agent="ExampleBot").preferences["train-ai"] == ALLOW
    assert parsed.content_usage(path, agent="examplebot").preferences["train-ai"] == ALLOW


def test_attach_introduction_robots_example():
    # attach-05 §1.2
    parsed = robots.parse("User-Agent: *\nAllow: /\nContent-Usage: train-ai=n\n")
    for path in ("/", "/anything", "/deep/path?q=1"):
        assert parsed.content_usage(path).preferences == {
            "train-ai": DISALLOW,
            "ai-use": UNKNOWN,
            "search": UNKNOWN,
        }


def test_attach_processing_whitespace_and_comments():
    # attach-05 §3.2: SP/HTAB ignored around the label and colon; '#' ends the value; path ends at
    # SP/HTAB
    parsed = robots.parse(
        "user-agent: *\n  Content-Usage\t :  /a/\ttrain-ai=n, search=y # "
        "comment\ncontent-usage:/b/ train-ai=y\n"
    )
    assert parsed.content_usage("/a/x").preferences == {
        "train-ai": DISALLOW,
        "ai-use": UNKNOWN,
        "search": ALLOW,
    }
    assert parsed.content_usage("/b/x").values == ("train-ai=y",)
    assert parsed.content_usage("/c").preferences == dict.fromkeys(aipref.CATEGORIES, UNKNOWN)


def test_attach_longest_prefix_counts_bytes_and_wildcards():
    parsed = robots.parse(
        "User-agent: *\nContent-Usage: /data/ train-ai=n\nContent-Usage: /data/open/ "
        "train-ai=y\nContent-Usage: /*.csv$ search=n\n"
    )
    assert parsed.content_usage("/data/x").preferences["train-ai"] == DISALLOW
    assert parsed.content_usage("/data/open/x").preferences["train-ai"] == ALLOW
    assert parsed.content_usage("/data/open/x.csv").values == (
        "train-ai=y",
    )  # 11 bytes beat the 7 of /*.csv$
    assert parsed.content_usage("/t.csv").preferences["search"] == DISALLOW


def test_attach_identical_paths_conflict_combines_most_restrictive():
    # attach-05 §3.1: identical paths with conflicting preferences apply per vocab-08 §5.1
    parsed = robots.parse(
        "User-agent: *\nContent-Usage: /x/ train-ai=y, ai-use=n\n"
        "Content-Usage: /x/ train-ai=n, ai-use=y\n"
    )
    assert parsed.content_usage("/x/1").preferences == {
        "train-ai": DISALLOW,
        "ai-use": DISALLOW,
        "search": UNKNOWN,
    }


def test_robots_allow_wins_ties_and_empty_disallow_matches_nothing():
    parsed = robots.parse("User-agent: *\nDisallow: /p\nAllow: /p\nDisallow:\n")
    assert parsed.can_fetch("*", "/p")
    assert parsed.can_fetch("AnyBot", "/q")


def test_robots_groups_merge_and_fall_back_to_star():
    parsed = robots.parse(
        "User-agent: GPTBot\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nAllow: "
        "/\n\nUser-agent: gptbot\nAllow: /public/\n"
    )
    assert not parsed.can_fetch("GPTBot", "/x") and parsed.can_fetch("GPTBot", "/public/x")
    assert not parsed.can_fetch("ccbot", "/x")
    assert parsed.can_fetch("ClaudeBot", "/x")
    assert parsed.names("CCBot") and not parsed.names("ClaudeBot")


def test_robots_no_star_group_means_no_rules():
    assert (
        robots.parse("User-agent: GPTBot\nDisallow: /\n")
        .content_usage("/x", agent="OtherBot")
        .preferences["train-ai"]
        == UNKNOWN
    )


def test_content_signal_in_robots_group():
    parsed = robots.parse("User-Agent: *\nContent-Signal: search=yes,ai-train=no\nAllow: /\n")
    assert parsed.content_signal("/page").preferences == {"search": ALLOW, "ai-train": DISALLOW}


def test_robots_is_read_up_to_500_kib_only():
    text = "User-agent: *\n" + "# filler\n" * 60000 + "Content-Usage: train-ai=n\n"
    assert len(text.encode()) > robots.MAX_BYTES
    assert robots.parse(text.encode()).content_usage("/").preferences["train-ai"] == UNKNOWN


def test_robots_wildcards_cannot_hang_the_matcher():
    """A hostile pattern that makes a backtracking regex run for minutes is matched at once."""
    parsed = robots.parse(
        "User-agent: *\nDisallow: /"
        + "*a" * 30
        + "b\n"
        + "Content-Usage: /"
        + "*a" * 30
        + "b train-ai=n\n"
    )
    assert parsed.can_fetch("*", "/" + "a" * 5000)
    assert parsed.content_usage("/" + "a" * 5000).values == ()
    assert not parsed.can_fetch("*", "/" + "a" * 5000 + "b")


@pytest.mark.parametrize(
    "pattern,path,expected",
    [
        ("/", "/x", True),
        ("/fish", "/fish.html", True),
        ("/fish", "/Fish", False),
        ("/fish*", "/fishheads", True),
        ("/*.php", "/a/b.php?x", True),
        ("/*.php$", "/a/b.php", True),
        ("/*.php$", "/a/b.php?x", False),
        ("/fish/", "/fish", False),
        ("/a*b*c", "/aXbYc/more", True),
        ("/a*b*c$", "/aXbYcZ", False),
        ("", "/x", True),
    ],
)
def test_robots_pattern_matching_rfc9309(pattern, path, expected):
    assert robots.path_matches(pattern, path) is expected


@pytest.mark.parametrize(
    "rule,path",
    [
        ("/café", "/caf%C3%A9"),  # non-ASCII in the rule, encoded in the path
        ("/caf%C3%A9", "/café"),
        ("/caf%c3%a9", "/caf%C3%A9"),  # escapes compare case-insensitively
        ("/foo/bar/%62%61%7A", "/foo/bar/baz"),  # RFC 9309 §2.2.2: unreserved escapes decoded
        ("/foo/bar/ツ", "/foo/bar/%E3%83%84"),
    ],
)
def test_robots_paths_compare_in_one_percent_encoding(rule, path):
    parsed = robots.parse(f"User-agent: *\nDisallow: {rule}\nContent-Usage: {rule} train-ai=n\n")
    assert not parsed.can_fetch("AnyBot", path)
    assert parsed.content_usage(path, agent="AnyBot") is None
    assert robots.normalise(rule) == robots.normalise(path)


def test_robots_keeps_reserved_escapes_distinct():
    """%2F is not a path separator and %3F not a query: they stay escaped, so they do not match."""
    parsed = robots.parse("User-agent: *\nDisallow: /a/b\nDisallow: /c?\n")
    assert parsed.can_fetch("AnyBot", "/a%2Fb") and parsed.can_fetch("AnyBot", "/c%3F")
    assert not parsed.can_fetch("AnyBot", "/a/b") and not parsed.can_fetch("AnyBot", "/c?x")


# Path pieces where RFC 9309 and Protego agree (Protego also reads `Allow: .../index.html` as
# allowing the folder, and `$` inside a pattern literally, so neither is generated here).
PIECES = ["/", "a", "b", "é", "%C3%A9", "%c3%a9", "%61", "%2F", "-", ".", "~", "*", "?", "="]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Allow", "Disallow"]),
            st.lists(st.sampled_from(PIECES), max_size=5),
            st.booleans(),
        ),
        max_size=5,
    ),
    st.lists(st.sampled_from([p for p in PIECES if p != "*"]), max_size=6),
)
def test_robots_can_fetch_agrees_with_protego(rules, path_pieces):
    lines = [
        f"{kind}: /{''.join(pieces)}{'$' if anchored else ''}" for kind, pieces, anchored in rules
    ]
    text = "User-agent: *\n" + "\n".join(lines) + "\n"
    path = "/" + "".join(path_pieces)
    oracle = Protego.parse(text).can_fetch(f"https://example.org{path}", "AnyBot")
    assert robots.parse(text).can_fetch("AnyBot", path) is oracle, (text, path)
