"""The signal parsers against every example in draft-ietf-aipref-vocab-08 and -attach-05,
the W3C TDMRep spec examples, Cloudflare Content Signals and CC signals.

vocab-08 is read in the working group's editor's copy, ietf-wg-aipref/drafts@008bd890
(draft-ietf-aipref-vocab.md); section numbers are that text's."""

from __future__ import annotations

import pytest

from registry.entry.signals import aipref, ccsignals, content_signals, robots, sfv, tdmrep
from registry.entry.signals.aipref import ALLOW, DISALLOW, UNKNOWN
from registry.signals.crawlers import CRAWLERS
from registry.signals.observe import AIPREF_USES, from_content_usage
from registry.signals.view import Observation, normalise

ALL_UNKNOWN = {"train-ai": UNKNOWN, "ai-use": UNKNOWN, "search": UNKNOWN}

# --- vocab-08 -----------------------------------------------------------------------


def test_vocab_category_labels_table():
    # vocab-08 §6.1, Table 1: AI Training train-ai (§4.1), AI Use ai-use (§4.2),
    # Search search (§4.3)
    assert aipref.CATEGORIES == ("train-ai", "ai-use", "search")


def test_vocab_format_example_allow_training_disallow_search():
    # vocab-08 §6: "train-ai=y, search=n" -> "the preference for other categories being
    # unknown", AI Use included
    statement = aipref.parse("train-ai=y, search=n")
    assert statement.preferences == {"train-ai": ALLOW, "ai-use": UNKNOWN, "search": DISALLOW}


@pytest.mark.parametrize("value, expected", [("y", ALLOW), ("n", DISALLOW)])
def test_vocab_ai_use_is_a_category_of_its_own(value, expected):
    # vocab-08 §4.2: AI Use excludes AI Training, so ai-use=n says nothing of train-ai;
    # §6.2: the Tokens y and n allow and disallow
    statement = aipref.parse(f"ai-use={value}")
    assert statement.preferences == {"train-ai": UNKNOWN, "ai-use": expected, "search": UNKNOWN}


def test_vocab_ai_use_reads_as_retrieval_in_the_normalised_view():
    # AI Use is "use of an asset as input to a generative AI model": the view's retrieval
    assert AIPREF_USES == {"train-ai": "training", "ai-use": "retrieval", "search": "search"}
    [found] = from_content_usage("ai-use=n", "https://a.example/", "2026-12-01", "header")
    assert found.effects == {"retrieval": DISALLOW}


def test_vocab_multiple_preferences_example_all_unknown():
    # vocab-08 §6.5.1: last value wins, a Boolean and a String are not Tokens
    statement = aipref.parse('train-ai=y, train-ai, search=n, search="n"')
    assert statement.preferences == ALL_UNKNOWN
    assert statement.members["train-ai"].value is True
    assert statement.members["search"].value == "n" and not isinstance(
        statement.members["search"].value, sfv.Token
    )


def test_vocab_parameters_example_last_member_applies():
    # vocab-08 §6.5.2: "train-ai;allow=n, train-ai=y" carries no parameters and allows
    statement = aipref.parse("train-ai;allow=n, train-ai=y")
    assert statement["train-ai"] == ALLOW
    assert statement.members["train-ai"].params == {}


def test_vocab_parameters_example_unknown_with_parameters():
    # vocab-08 §6.5.2: "train-ai;has;parameters="?";" -> the preference is unknown.
    assert aipref.parse('train-ai;has;parameters="?";')["train-ai"] == UNKNOWN
    # Without the trailing ';' (which RFC 9651 §4.2.3.2 rejects) it parses, with parameters:
    statement = aipref.parse('train-ai;has;parameters="?"')
    assert statement["train-ai"] == UNKNOWN
    assert statement.members["train-ai"].params == {"has": True, "parameters": "?"}


@pytest.mark.parametrize(
    "text", ["Train-AI=n", "train-ai=n, Search=n", "TRAIN-AI=N", "AI-Use=n", "ai-use=n, Ai-use=y"]
)
def test_vocab_uppercase_keys_fail_parsing(text):
    # vocab-08 §6.5.1: keys with uppercase characters fail the parse -> all unknown
    statement = aipref.parse(text)
    assert statement.members is None
    assert statement.preferences == ALL_UNKNOWN


def test_vocab_uppercase_token_value_is_not_y_or_n():
    assert aipref.parse("train-ai=N")["train-ai"] == UNKNOWN
    assert aipref.parse("ai-use=N")["ai-use"] == UNKNOWN


def test_vocab_unknown_labels_are_ignored():
    # vocab-08 §6.4: unknown labels MUST be ignored; train-genai and bots are labels of
    # vocab-02 to -04 that vocab-08 does not have
    statement = aipref.parse("train-genai=y, train-ai=n, bots=n, ai-use=y")
    assert statement.preferences == {"train-ai": DISALLOW, "ai-use": ALLOW, "search": UNKNOWN}


@pytest.mark.parametrize(
    "text",
    [
        "train-ai=n,",
        "train-ai=",
        "train-ai=n search=y",
        "train-ai=n;",
        "train-ai=\u00e9",
        "train-ai=(n",
        "\ttrain-ai=n",
    ],
)
def test_vocab_parse_failures_make_everything_unknown(text):
    statement = aipref.parse(text)
    assert statement.members is None
    assert set(statement.preferences.values()) == {UNKNOWN}


def test_vocab_value_types_other_than_token():
    statement = aipref.parse('train-ai=1, ai-use="n", search=?1')
    assert statement.preferences == ALL_UNKNOWN
    assert aipref.parse("train-ai=(y n)")["train-ai"] == UNKNOWN
    assert aipref.parse("train-ai=yes")["train-ai"] == UNKNOWN


def test_vocab_bytes_are_parsed_and_whitespace_is_allowed():
    assert aipref.parse(b"  train-ai=n ,\tai-use=n, search=y  ").preferences == {
        "train-ai": DISALLOW,
        "ai-use": DISALLOW,
        "search": ALLOW,
    }


def test_vocab_absent_statement_is_unknown():
    assert aipref.parse("").preferences == ALL_UNKNOWN


def test_vocab_combining_most_restrictive_wins():
    # vocab-08 §5.1
    assert aipref.combine([ALLOW, DISALLOW, UNKNOWN]) == DISALLOW
    assert aipref.combine([UNKNOWN, ALLOW]) == ALLOW
    assert aipref.combine([UNKNOWN, UNKNOWN]) == UNKNOWN
    assert aipref.combine([]) == UNKNOWN


def test_sfv_bare_items():
    members = sfv.parse_dictionary(
        'a=1, b=-2.5, c="x\\"y", d=tok/en:1, e=:aGk=:, f=?0, g=@1659578233, h=%"f%c3%bc", '
        "i=(1 2);p=*q"
    )
    assert members["a"].value == 1 and members["b"].value == -2.5
    assert members["c"].value == 'x"y' and members["d"].value == "tok/en:1"
    assert members["e"].value == b"hi" and members["f"].value is False
    assert members["g"].value == sfv.Date(1659578233)
    assert members["h"].value == sfv.DisplayString("fü")
    assert [m.value for m in members["i"].value] == [1, 2] and members["i"].params == {"p": "*q"}


@pytest.mark.parametrize(
    "text",
    ["a=1234567890123456", "a=1.2345", 'a="unterminated', 'a="\\x"', 'a=%"%C3"', "a=?2", "1a=b"],
)
def test_sfv_invalid_inputs(text):
    with pytest.raises(sfv.ParseError):
        sfv.parse_dictionary(text)


# --- attach-05 ----------------------------------------------------------------------


def test_attach_header_example_statement():
    # attach-05 §1.2: "Content-Usage: train-ai=n" in an HTTP response (served for real in
    # test_signals_commands)
    assert aipref.parse("train-ai=n").preferences == {
        "train-ai": DISALLOW,
        "ai-use": UNKNOWN,
        "search": UNKNOWN,
    }


# --- Content-Signal, CC signals, crawlers ---------------------------------------------------


def test_content_signal_example():
    assert content_signals.parse("search=yes, ai-input=yes, ai-train=no") == {
        "search": ALLOW,
        "ai-input": ALLOW,
        "ai-train": DISALLOW,
    }


def test_content_signal_unknown_values_and_names_unset():
    assert content_signals.parse(
        "search=maybe, ai-train=NO, other=no, ai-input=no,ai-input=yes"
    ) == {"ai-input": ALLOW}


@pytest.mark.parametrize(
    "value,label,signal,condition",
    [
        ("ai-use=n;exceptions=cc-cr", "ai-use", "cc-cr", "credit"),
        (
            "train-genai=n;exceptions=cc-cr-ec",
            "train-genai",
            "cc-cr-ec",
            "credit + ecosystem contribution",
        ),
        (
            "train-ai=n;exceptions=cc-cr-op",
            "train-ai",
            "cc-cr-op",
            "credit + open (MOF Class I/II or OSAID models)",
        ),
    ],
)
def test_cc_signal_examples(value, label, signal, condition):
    # creativecommons/cc-signals README: robots.txt and HTTP examples
    found = ccsignals.exceptions(aipref.parse(value))
    assert [(e.label, e.signal, e.condition) for e in found] == [(label, signal, condition)]


def test_cc_signal_only_on_n_and_ignored_by_vocab():
    statement = aipref.parse("train-ai=y;exceptions=cc-cr, search=n;exceptions=cc-new")
    assert statement.preferences == {"train-ai": ALLOW, "ai-use": UNKNOWN, "search": DISALLOW}
    assert [(e.label, e.condition) for e in ccsignals.exceptions(statement)] == [
        ("search", "unrecognised CC signal")
    ]


def test_crawler_table_is_data_with_known_tokens():
    tokens = {c.token for c in CRAWLERS}
    for token in (
        "GPTBot",
        "CCBot",
        "ClaudeBot",
        "Google-Extended",
        "anthropic-ai",
        "Applebot-Extended",
        "Bytespider",
        "cohere-ai",
        "PerplexityBot",
        "Meta-ExternalAgent",
    ):
        assert token in tokens
    assert {c.use for c in CRAWLERS} == {"training", "search", "retrieval"}


# --- TDMRep --------------------------------------------------------------------------

SPEC_FILE = """[
  {"location": "/directory-a/", "tdm-reservation": 1},
  {"location": "/directory-b/html/", "tdm-reservation": 1, "tdm-policy":"https://provider.com/policies/policy.json"},
  {"location": "/directory-b/images/*.jpg", "tdm-reservation": 0}
]"""


def test_tdmrep_header_examples():
    assert tdmrep.from_headers({"tdm-reservation": "1"}) == tdmrep.Declaration("1", None, "header")
    both = tdmrep.from_headers(
        {"tdm-reservation": "1", "tdm-policy": "https://provider.com/policies/policy.json"}
    )
    assert both.policy == "https://provider.com/policies/policy.json"


def test_tdmrep_file_site_wide_example():
    assert (
        tdmrep.from_file('[{"location": "/", "tdm-reservation": 1}]', "/any/file.pdf").reservation
        == "1"
    )


@pytest.mark.parametrize(
    "path,reservation,policy",
    [
        ("/directory-a/report.pdf", "1", None),
        ("/directory-b/html/page.html", "1", "https://provider.com/policies/policy.json"),
        ("/directory-b/images/cat.jpg", "0", None),
        ("/directory-b/images/cat.png", None, None),
        ("/elsewhere", None, None),
        ("/Directory-A/x", None, None),
    ],
)
def test_tdmrep_file_three_groups_example(path, reservation, policy):
    found = tdmrep.from_file(SPEC_FILE, path)
    if reservation is None:
        assert found is None
    else:
        assert (found.reservation, found.policy) == (reservation, policy)


def test_tdmrep_file_first_match_in_sequence():
    rules = (
        '[{"location": "/a/", "tdm-reservation": 0}, {"location": "/a/b/", "tdm-reservation": 1}]'
    )
    assert tdmrep.from_file(rules, "/a/b/c").reservation == "0"


def test_tdmrep_meta_example():
    html = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
      <meta name="tdm-reservation" content="1">
      <meta name="tdm-policy" content="https://provider.com/policies/policy.json">
      <title>Document title</title></head><body>...</body></html>"""
    assert tdmrep.from_html(html) == tdmrep.Declaration(
        "1", "https://provider.com/policies/policy.json", "meta"
    )


@pytest.mark.parametrize("raw", ["2", "yes", "", "1.0", True, None, [1]])
def test_tdmrep_other_values_are_unset(raw):
    assert tdmrep.reservation_value(raw) is None
    assert tdmrep.from_headers({"tdm-reservation": raw} if isinstance(raw, str) else {}) is None
    assert (
        tdmrep.from_file(
            f'[{{"location": "/", "tdm-reservation": {__import__("json").dumps(raw)}}}]', "/x"
        )
        is None
    )


def test_tdmrep_precedence_meta_over_header_over_file():
    meta = tdmrep.Declaration("0", None, "meta")
    header = tdmrep.Declaration("1", None, "header")
    file = tdmrep.Declaration("1", None, "file")
    assert tdmrep.effective(meta, header, file) is meta
    assert tdmrep.effective(None, header, file) is header
    assert tdmrep.effective(None, None, file) is file
    assert tdmrep.effective(None, None, None) is None


def test_tdmrep_bad_files_are_ignored():
    for bad in (
        "not json",
        '{"location": "/"}',
        "[1, 2]",
        '[{"location": 5, "tdm-reservation": 1}]',
        "[" * 5000,
    ):
        assert tdmrep.from_file(bad, "/x") is None


# --- the normalised view ----------------------------------------------------------------


def test_view_flags_conflicts_and_most_restrictive_wins():
    observations = [
        Observation(
            "ietf-aipref", "train-ai=y", "https://e.org/robots.txt", "t", {"training": ALLOW}
        ),
        Observation(
            "content-signals",
            "ai-train=no, search=yes",
            "https://e.org/robots.txt",
            "t",
            {"training": DISALLOW, "search": ALLOW},
        ),
    ]
    view = normalise(observations)
    assert view["training"].value == DISALLOW and view["training"].conflict
    assert view["search"].value == ALLOW and not view["search"].conflict
    assert view["retrieval"].value == UNKNOWN and view["retrieval"].sources == ()


# --- hostile input never crashes a parser ---------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

SFV_ALPHABET = st.sampled_from(list('abcnyz-_.*=;,() "\\?:%@019\t') + ["A", "é"])


@settings(max_examples=500, deadline=None)
@given(st.text(SFV_ALPHABET, max_size=40))
def test_sfv_only_raises_parse_error(text):
    try:
        sfv.parse_dictionary(text)
    except sfv.ParseError:
        pass
    assert set(aipref.parse(text).preferences.values()) <= {ALLOW, DISALLOW, UNKNOWN}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=30))
def test_robots_and_tdmrep_never_raise(text, path):
    parsed = robots.parse(text)
    parsed.content_usage("/" + path)
    parsed.content_signal("/" + path)
    tdmrep.from_html(text)
    tdmrep.from_file(text, "/" + path)
