"""Properties that must hold for any licence and signal combination."""

from __future__ import annotations

from classifier_fixtures import classify_licences, signal
from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import load_rules

LICENCES = [
    "CC0-1.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-NC-4.0",
    "CC-BY-ND-4.0",
    "ODbL-1.0",
    "MIT",
    "LicenseRef-Unclear",
    "LicenseRef-All-Rights-Reserved",
    "LicenseRef-US-Government-Work",
    "LicenseRef-Various",
    "OGL-UK-3.0",
]
SIGNALS = [
    ("ietf-aipref", "train-ai=n"),
    ("ietf-aipref", "train-ai=y"),
    ("ietf-aipref", "search=n"),
    ("ietf-aipref", "Train-AI=n"),
    ("tdmrep", "tdm-reservation=1"),
    ("tdmrep", "tdm-reservation=0"),
    ("content-signals", "ai-train=no"),
    ("cc-signals", "train-ai=n;exceptions=cc-cr"),
    ("robots", "Disallow for GPTBot"),
]
ORDER = load_rules().order
VERDICTS = load_rules().verdict_order


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LICENCES), st.lists(st.sampled_from(SIGNALS), max_size=4))
def test_signals_only_lower(licence, chosen):
    plain = classify_licences(licence)
    signalled = classify_licences(licence, signals=[signal(v, value) for v, value in chosen])
    assert ORDER.index(signalled.category) >= ORDER.index(plain.category)
    if plain.category != "commons-by-default":
        assert signalled.category == plain.category
    for use, verdict in signalled.uses.items():
        before = plain.uses[use]
        assert VERDICTS.index(verdict.commercial) >= VERDICTS.index(before.commercial)
        assert VERDICTS.index(verdict.non_commercial) >= VERDICTS.index(before.non_commercial)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(LICENCES), st.sampled_from(LICENCES))
def test_or_and_bound_their_operands(a, b):
    if a == b:
        return
    ca, cb = classify_licences(a).category, classify_licences(b).category
    either = classify_licences(f"{a} OR {b}").category
    both = classify_licences(f"{a} AND {b}").category
    assert ORDER.index(either) == min(ORDER.index(ca), ORDER.index(cb))
    assert ORDER.index(both) == max(ORDER.index(ca), ORDER.index(cb))
    assert classify_licences(f"{b} OR {a}").category == either
    assert classify_licences(f"{b} AND {a}").category == both
