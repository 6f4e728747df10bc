"""IETF AIPREF `ai-use` (AI Use, draft-ietf-aipref-vocab-08 §4.2, editor's copy
ietf-wg-aipref/drafts@008bd890): the rules in force and proposal 2026-002 read it with the
same effect (retrieval restricted); the proposal reads it as a vocab-08 category instead of
a retired label of vocab-02."""

from __future__ import annotations

from pathlib import Path

import pytest
from classifier_fixtures import proposal_rules, with_rules

from classifier.rules_data import load_rules

ROOT = Path(__file__).resolve().parent.parent
PROPOSAL = "2026-002-aipref-ai-use"


@pytest.fixture(scope="module")
def in_force():
    return load_rules(ROOT / "classifier" / "rules")


@pytest.fixture(scope="module")
def proposed():
    return proposal_rules(PROPOSAL)


def restricted(result) -> set[str]:
    return {use for use, v in result.uses.items() if v.commercial == "restricted"}


@pytest.mark.parametrize("vocabulary", ["ietf-aipref", "cc-signals"])
@pytest.mark.parametrize("rules", ["in_force", "proposed"])
def test_ai_use_n_restricts_retrieval_only(request, rules, vocabulary):
    result = with_rules(request.getfixturevalue(rules), "CC-BY-4.0", (vocabulary, "ai-use=n"))
    assert result.category == "open-use-restricted"
    assert restricted(result) == {"retrieval"}
    assert result.uses["retrieval"].non_commercial == "restricted"


def test_proposal_reads_ai_use_as_a_vocab_08_category(proposed):
    result = with_rules(proposed, "CC-BY-4.0", ("ietf-aipref", "ai-use=n"))
    [reason] = [r for r in result.reasons if r.rule.startswith("sig.")]
    assert reason.rule == "sig.aipref.ai-use-n"
    assert reason.citation.startswith("draft-ietf-aipref-vocab-08 s.4.2 (ai-use")
    assert "input to generative AI models" in reason.text
    [note] = [n for n in result.notes if n.startswith("Signal 'ai-use=n'")]
    assert "AI Use in draft-ietf-aipref-vocab-08 s.4.2" in note and "retrieval" in note
    assert not any("no such label" in n or "retired" in n for n in result.notes)
    assert "sig.aipref.retired-ai-use-n" not in {r.id for r in proposed.signal_rules}


def test_proposal_lists_the_three_labels_of_vocab_08(proposed, in_force):
    text = proposed.vocabularies["ietf-aipref"]
    assert "labels train-ai, ai-use and search" in text and "008bd890" in text
    # The other vocabularies are left as they are.
    assert {k: v for k, v in proposed.vocabularies.items() if k != "ietf-aipref"} == {
        k: v for k, v in in_force.vocabularies.items() if k != "ietf-aipref"
    }


def test_ai_use_with_a_cc_signal_is_conditional(proposed):
    # creativecommons/cc-signals README: "Content-Usage: ai-use=n;exceptions=cc-cr"
    result = with_rules(proposed, "CC-BY-4.0", ("cc-signals", "ai-use=n;exceptions=cc-cr"))
    assert result.uses["retrieval"].commercial == "conditional"
    assert "cc-signal-cr" in result.uses["retrieval"].conditions
    assert result.conflicts


def test_ai_use_y_is_a_note_that_raises_nothing(proposed):
    result = with_rules(proposed, "LicenseRef-All-Rights-Reserved", ("ietf-aipref", "ai-use=y"))
    assert result.category == "not-commons"
    assert any("allows retrieval" in n and "changes nothing" in n for n in result.notes)


def test_ai_use_does_not_touch_training_or_search(proposed):
    # vocab-08 §4.2 excludes AI Training; §4.3 Search is a category of its own.
    result = with_rules(proposed, "CC-BY-4.0", ("ietf-aipref", "ai-use=n, train-ai=y, search=y"))
    assert restricted(result) == {"retrieval"}
    assert {r.rule for r in result.reasons if r.rule.startswith("sig.")} == {"sig.aipref.ai-use-n"}
