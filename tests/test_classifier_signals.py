"""Preference signals in each vocabulary's real forms: every signal changes the result or
shows as a note, training opt-outs restrict non-commercial training too, retired labels
are mapped and noted, and vocabularies that disagree are flagged."""

from __future__ import annotations

import pytest
from classifier_fixtures import classify_licences, proposal_rules, signal, with_rules


def rules_fired(result) -> set[str]:
    return {r.rule for r in result.reasons}


def with_signals(licence, *pairs):
    return classify_licences(licence, signals=[signal(v, value) for v, value in pairs])


@pytest.mark.parametrize(
    "value",
    [
        "1",
        "tdm-reservation: 1",
        "tdm-reservation=1; tdm-policy=https://example.org/policy.json",
        '<html><head><meta name="tdm-reservation" content="1"></head><body></body></html>',
        '[{"location": "/", "tdm-reservation": 1}]',
    ],
)
def test_tdmrep_reservation_in_every_form_restricts_training(value):
    result = with_signals("CC-BY-4.0", ("tdmrep", value))
    assert result.category == "open-use-restricted"
    assert "sig.tdmrep.reserved" in rules_fired(result)
    assert result.uses["training"].commercial == "restricted"
    assert result.uses["training"].non_commercial == "restricted"


@pytest.mark.parametrize(
    "value",
    ["0", '<meta name="tdm-reservation" content="0">', "tdm-reservation: 0"],
)
def test_tdmrep_not_reserved_is_noted(value):
    result = with_signals("CC-BY-4.0", ("tdmrep", value))
    assert result.category == "commons-by-default"
    assert any("changes nothing" in note for note in result.notes)


@pytest.mark.parametrize("value", ["tdm-reservation: 2", "<p>no meta</p>", "[]"])
def test_tdmrep_values_that_cannot_be_read_are_noted_not_refusals(value):
    result = with_signals("CC-BY-4.0", ("tdmrep", value))
    assert result.category == "commons-by-default"
    assert any("tdmrep" in note for note in result.notes)


def test_content_signals_search_no_restricts_retrieval():
    result = with_signals("CC-BY-4.0", ("content-signals", "search=no"))
    assert result.category == "open-use-restricted"
    assert "sig.content-signals.search-no" in rules_fired(result)
    assert result.uses["retrieval"].commercial == "restricted"
    assert result.uses["training"].commercial == "conditional"


# ai-use, which CC signals' examples use too, is a vocab-08 category: see
# test_classifier_aipref_ai_use.py.
@pytest.mark.parametrize("value, use", [("train-genai=n", "training"), ("all=n", "evaluation")])
def test_cc_signals_labels_as_their_spec_writes_them(value, use):
    result = with_signals("CC-BY-4.0", ("cc-signals", value))
    assert result.category == "open-use-restricted"
    assert result.uses[use].commercial == "restricted"
    assert any("vocab-08" in note for note in result.notes)


def test_cc_signal_exception_makes_the_use_conditional_on_the_signal():
    result = with_signals("CC-BY-4.0", ("cc-signals", "train-genai=n;exceptions=cc-cr-ec"))
    assert result.uses["training"].commercial == "conditional"
    assert "cc-signal-cr-ec" in result.uses["training"].conditions
    assert "contribute to the commons" in result.plain
    unknown = with_signals("CC-BY-4.0", ("cc-signals", "train-ai=n;exceptions=cc-xx"))
    assert unknown.uses["training"].commercial == "restricted"
    assert any("not a known CC signal" in note for note in unknown.notes)


@pytest.mark.parametrize("value", ["train-ai=n", "search=n", "train-ai=n, search=n"])
def test_aipref_vocab_08_labels(value):
    result = with_signals("CC-BY-4.0", ("ietf-aipref", value))
    assert result.category == "open-use-restricted"


def test_aipref_retired_labels_are_mapped_and_noted():
    result = with_signals("CC-BY-4.0", ("ietf-aipref", "train-genai=n"))
    assert "sig.aipref.retired-train-genai-n" in rules_fired(result)
    assert any("vocab-02" in note for note in result.notes)


def test_a_training_opt_out_restricts_non_commercial_training_and_is_flagged():
    result = with_signals("CC-BY-NC-4.0", ("ietf-aipref", "train-ai=n"))
    assert result.uses["training"].non_commercial == "restricted"
    assert result.conflicts
    assert "sig.aipref.train-ai-n" in rules_fired(result)


def test_allowing_values_are_noted_never_raising():
    result = with_signals("LicenseRef-All-Rights-Reserved", ("ietf-aipref", "train-ai=y"))
    assert result.category == "not-commons"
    assert any("changes nothing" in note for note in result.notes)
    content = with_signals("CC0-1.0", ("content-signals", "ai-train=yes"))
    assert any("changes nothing" in note for note in content.notes)


def test_unknown_labels_are_noted():
    result = with_signals("CC0-1.0", ("ietf-aipref", "foo=n"))
    assert result.category == "commons-by-default"
    assert any("'foo=n' is not a label" in note for note in result.notes)


def test_disagreement_across_vocabularies_is_flagged():
    result = with_signals(
        "CC-BY-4.0", ("ietf-aipref", "train-ai=y"), ("content-signals", "ai-train=no")
    )
    assert result.category == "open-use-restricted"
    assert any("Signals disagree on training" in c for c in result.conflicts)
    tdm = with_signals("CC-BY-4.0", ("tdmrep", "0"), ("ietf-aipref", "train-ai=n"))
    assert any("Signals disagree on training" in c for c in tdm.conflicts)


def test_robots_usage_token_is_an_opt_out_but_a_crawler_disallow_is_a_note():
    token = with_signals("CC-BY-4.0", ("robots", "User-agent: Google-Extended\nDisallow: /"))
    assert token.category == "open-use-restricted"
    assert "sig.robots.usage-token-disallowed" in rules_fired(token)
    crawler = with_signals("CC-BY-4.0", ("robots", "Disallow for GPTBot, CCBot"))
    assert crawler.category == "commons-by-default"
    assert any("sig.robots.ai-crawler-disallowed" in note for note in crawler.notes)
    assert any("GPTBot" in note for note in crawler.notes)


def test_signals_are_said_in_plain_words():
    result = with_signals("CC0-1.0", ("ietf-aipref", "train-ai=n"))
    assert "asks AI developers not to use it" in result.plain


# --- Content Signals use= and RSL, as proposal 2026-001 would read them ---------------------

PROPOSAL = "2026-001-rsl-and-content-signals-use"


@pytest.fixture(scope="module")
def proposed():
    return proposal_rules(PROPOSAL)


def test_rules_in_force_do_not_read_rsl_or_use_yet():
    result = with_signals(
        "CC-BY-4.0", ("rsl", "ai-train=prohibited"), ("content-signals", "use=immediate")
    )
    assert result.category == "commons-by-default"
    assert any(
        "'ai-train=prohibited' is not a label this registry reads" in n for n in result.notes
    )
    assert any("'use=immediate' is not a label this registry reads" in n for n in result.notes)


@pytest.mark.parametrize(
    "value,rule,restricted",
    [
        ("search=yes,ai-train=no,use=reference", "sig.content-signals.use-reference", {"training"}),
        (
            "use=immediate",
            "sig.content-signals.use-immediate",
            {"training", "retrieval", "evaluation"},
        ),
    ],
)
def test_content_signals_use_levels_restrict_what_a_copy_does(proposed, value, rule, restricted):
    result = with_rules(proposed, "CC-BY-4.0", ("content-signals", value))
    assert rule in rules_fired(result) and result.category == "open-use-restricted"
    assert {use for use, v in result.uses.items() if v.commercial == "restricted"} == restricted


def test_content_signals_use_full_is_noted(proposed):
    result = with_rules(proposed, "CC-BY-4.0", ("content-signals", "use=full"))
    assert result.category == "commons-by-default"
    assert any("allows training" in note and "changes nothing" in note for note in result.notes)


@pytest.mark.parametrize(
    "value,rules,restricted",
    [
        (
            "ai-train=prohibited, ai-input=prohibited, ai-index=prohibited, search=free",
            {"sig.rsl.ai-train", "sig.rsl.ai-input", "sig.rsl.ai-index"},
            {"training", "retrieval"},
        ),
        ("ai-train=paid;payment=subscription", {"sig.rsl.ai-train"}, {"training"}),
        ("search=not-permitted", {"sig.rsl.search"}, {"retrieval"}),
        (
            "all=prohibited",
            {f"sig.rsl.{u}" for u in ("ai-train", "ai-input", "ai-index", "search")},
            {"training", "retrieval"},
        ),
    ],
)
def test_rsl_terms_restrict_the_uses_they_withhold(proposed, value, rules, restricted):
    result = with_rules(proposed, "CC-BY-4.0", ("rsl", value))
    assert {r for r in rules_fired(result) if r.startswith("sig.rsl")} == rules
    assert {use for use, v in result.uses.items() if v.commercial == "restricted"} == restricted


def test_rsl_paid_terms_name_the_payment(proposed):
    result = with_rules(proposed, "CC-BY-4.0", ("rsl", "ai-train=paid;payment=crawl"))
    reason = next(r for r in result.reasons if r.rule == "sig.rsl.ai-train")
    assert reason.text.endswith("[payment: crawl]")


@pytest.mark.parametrize(
    "value,note",
    [
        ("ai-train=free", "allows training"),
        ("License: https://stackoverflow.com/license.xml", "RSL licence is declared at"),
        ("ai-think=free", "is not an RSL usage token"),
    ],
)
def test_rsl_values_that_withhold_nothing_are_noted(proposed, value, note):
    result = with_rules(proposed, "CC-BY-4.0", ("rsl", value))
    assert result.category == "commons-by-default"
    assert any(note in n for n in result.notes), result.notes


def test_robots_tokens_match_case_insensitively_and_star_is_a_note():
    lowered = with_signals("CC-BY-4.0", ("robots", "user-agent: google-extended\ndisallow: /"))
    assert "sig.robots.usage-token-disallowed" in rules_fired(lowered)
    star = with_signals("CC-BY-4.0", ("robots", "Disallow for *"))
    assert star.category == "commons-by-default"
    assert any("disallows every crawler it does not name" in note for note in star.notes)
    groups = with_signals(
        "CC-BY-4.0",
        ("robots", "User-agent: GPTBot\nAllow: /\nUser-agent: Google-Extended\nDisallow: /"),
    )
    reason = next(r for r in groups.reasons if r.rule == "sig.robots.usage-token-disallowed")
    assert reason.text.endswith("[Google-Extended]")
