"""The 20 edge cases a naive classifier gets wrong (reference/rules-and-vocabularies.md, section
d)."""

from __future__ import annotations

import datetime

import pytest
from classifier_fixtures import classify_licences, signal

from classifier import knowledge, load_rules
from classifier.expressions import LicenceContext, licence_outcome
from registry.entry.licenses import parse


def rules_fired(result) -> set[str]:
    return {reason.rule for reason in result.reasons}


# 1
@pytest.mark.parametrize("expression", ["CC-BY-SA-4.0", "ODbL-1.0"])
def test_01_share_alike_is_open_with_obligations(expression):
    result = classify_licences(expression)
    assert result.category == "commons-by-default"
    assert {"attribution", "share-alike"} <= set(result.obligations)
    assert result.uses["training"].conditions


# 2
@pytest.mark.parametrize(
    "expression",
    [
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-3.0-IGO",
        "CC-BY-ND-4.0",
        "CC-BY-NC-ND-3.0-IGO",
        "CC-BY-ND-2.5",
        "CC-BY-NC-SA-2.0-FR",
    ],
)
def test_02_nc_and_nd_variants_are_restricted(expression):
    result = classify_licences(expression)
    assert result.category == "open-use-restricted"
    assert result.license_family in ("cc-nc", "cc-nd")


# 3
def test_03_expressions_are_parsed_not_substring_matched():
    assert classify_licences("CC-BY-4.0 OR CC-BY-NC-4.0").category == "commons-by-default"
    assert classify_licences("CC-BY-4.0 AND CC-BY-NC-4.0").category == "open-use-restricted"
    # "NC" inside an open licence id (University of Illinois/NCSA) is not NonCommercial.
    assert classify_licences("NCSA", modality="code").category == "commons-by-default"


# 4
def test_04_not_reviewed_is_not_rejected():
    assert classify_licences("MIT", modality="code").category == "commons-by-default"
    # On content, the common software licences are commons with medium confidence (the
    # choice is argued in the rules changelog 2026.3); a rarer one stays undecided.
    content = classify_licences("MIT")
    assert content.category == "commons-by-default"
    assert content.confidence == "medium"
    assert "lic.software-permissive-on-content" in rules_fired(content)
    rare = classify_licences("Watcom-1.0")
    assert rare.category == "undetermined"
    assert "lic.software-on-content" in rules_fired(rare)
    other_nc = licence_outcome(load_rules(), "LicenseRef-okfn-other-nc", LicenceContext())
    assert other_nc.category == "open-use-restricted"


# 5
def test_05_ids_differ_between_sources():
    assert knowledge.spdx_id_for_okfn("ODC-BY-1.0") == "ODC-By-1.0"
    assert knowledge.spdx_id_for_okfn("WXwindows") == "wxWindows"
    assert knowledge.spdx_id_for_okfn("ODC-PDDL-1.0") == "PDDL-1.0"
    assert knowledge.spdx_id_for_okfn("OGL-CA-2.0") == "OGL-Canada-2.0"
    parsed, _ = parse("GPL-3.0")
    assert parsed.render() == "GPL-3.0-only"
    assert classify_licences("ODC-By-1.0").category == "commons-by-default"
    assert (
        licence_outcome(load_rules(), "odc-by-1.0", LicenceContext()).category
        == "commons-by-default"
    )


# 6
def test_06_version_matters():
    assert classify_licences("OGL-UK-3.0").category == "commons-by-default"
    assert classify_licences("OGL-UK-1.0").category != "commons-by-default"
    sa1 = classify_licences("CC-BY-SA-1.0")
    assert sa1.category == "commons-by-default"
    assert "incompatible-with-other-licences" in sa1.obligations


# 7
def test_07_gfdl_conforms_only_without_invariant_sections():
    assert classify_licences("GFDL-1.3-no-invariants-only").category == "commons-by-default"
    assert classify_licences("GFDL-1.3-only").category == "open-use-restricted"
    assert classify_licences("GFDL-1.2-only").category == "open-use-restricted"


# 8
def test_08_public_domain_depends_on_jurisdiction():
    federal = classify_licences(
        "LicenseRef-US-Government-Work",
        copyright_basis="us-federal-government-work",
        jurisdictions=["US", "GB"],
    )
    assert federal.category == "commons-by-default"
    assert federal.jurisdictions == ("US",)
    assert not any(rule.startswith("pd.uk.crown") for rule in rules_fired(federal))
    recent_crown = classify_licences(
        "LicenseRef-Public-Domain-Expired",
        jurisdictions=["GB"],
        authorship="crown",
        first_published="2001",
        publisher={"name": "HM Government", "type": "government"},
    )
    assert recent_crown.category == "not-commons"
    assert "pd.uk.crown" in rules_fired(recent_crown)
    old_crown = classify_licences(
        "LicenseRef-Public-Domain-Expired",
        jurisdictions=["GB"],
        authorship="crown",
        first_published="1850",
    )
    assert old_crown.category == "commons-by-default"
    assert old_crown.jurisdictions == ("GB",)
    # Crown copyright named as a licence, with no dates: protected.
    assert classify_licences("LicenseRef-okfn-ukcrown").category == "not-commons"


# 9
@pytest.mark.parametrize(
    "claim", ["CC-PDM-1.0", "LicenseRef-No-Known-Copyright", "LicenseRef-Public-Domain-Expired"]
)
def test_09_pd_marks_are_claims_backed_by_term_rules(claim):
    unbacked = classify_licences(claim)
    assert unbacked.category == "undetermined"
    backed = classify_licences(claim, first_published="1900")
    assert backed.category == "commons-by-default"
    assert "pd.us.published-before-1978" in rules_fired(backed)


# 10
def test_10_before_1931_holds_only_for_2026():
    def at(year, published, modality="text"):
        return classify_licences(
            "LicenseRef-Public-Domain-Expired",
            first_published=str(published),
            jurisdictions=["US"],
            modality=modality,
            as_of=datetime.date(year, 3, 1),
        ).category

    assert at(2026, 1930) == "commons-by-default"
    assert at(2026, 1931) == "undetermined"
    assert at(2027, 1931) == "commons-by-default"
    assert at(2026, 1925, "audio") == "commons-by-default"
    assert at(2026, 1926, "audio") == "undetermined"


# 11
def test_11_term_extensions_are_not_retroactive():
    def at(place, died):
        return classify_licences(
            "LicenseRef-Public-Domain-Expired", creator_death_year=str(died), jurisdictions=[place]
        )

    assert at("CA", 1971).category == "commons-by-default"
    ca_1972 = at("CA", 1972)
    assert ca_1972.category == "not-commons"
    assert ca_1972.enters_commons_on == datetime.date(2043, 1, 1)
    assert at("JP", 1967).category == "commons-by-default"
    assert at("JP", 1968).enters_commons_on == datetime.date(2039, 1, 1)
    # A blanket life+70 rule would free a 1955 death in Canada but not a 1960 one; both are free.
    assert at("CA", 1960).category == "commons-by-default"


# 12
def test_12_layers_of_rights_combine_most_restrictively():
    layered = classify_licences(
        {"expression": "ODbL-1.0", "scope": "data"},
        {"expression": "CC-BY-NC-4.0", "scope": "media"},
    )
    assert layered.category == "open-use-restricted"
    assert "combine.and" in rules_fired(layered)
    assert classify_licences("ODbL-1.0 AND CC-BY-NC-4.0").category == "open-use-restricted"


# 13
def test_13_government_is_not_automatically_open():
    state = classify_licences(
        "LicenseRef-Terms-Of-Use",
        publisher={"name": "State of Example", "type": "government"},
        jurisdictions=["US"],
    )
    assert state.category != "commons-by-default"
    ogl = classify_licences(
        "OGL-UK-3.0", publisher={"name": "ONS", "type": "government"}, jurisdictions=["GB"]
    )
    assert ogl.category == "commons-by-default"
    assert ogl.license_family == "government-open"


# 14
def test_14_platform_is_not_licence():
    assert classify_licences("LicenseRef-arXiv-Nonexclusive-Distrib-1.0").category == "not-commons"
    assert classify_licences("LicenseRef-Various").category == "open-use-restricted"
    assert classify_licences("CC0-1.0").category == "commons-by-default"
    assert classify_licences("CC-BY-SA-4.0 AND CC-BY-SA-3.0").category == "commons-by-default"


# 15
@pytest.mark.parametrize(
    "value, use, condition",
    [("train-genai=n;exceptions=cc-cr-ec", "training", "cc-signal-cr-ec")],
)
def test_15_retired_signal_labels_are_mapped_and_noted(value, use, condition):
    # CC signals' own examples use labels that vocab-08 dropped (train-genai): each is read
    # as the use it named, the mapping is noted, and the CC signal makes the use conditional.
    # Their ai-use is a vocab-08 category (test_classifier_aipref_ai_use.py).
    result = classify_licences("CC-BY-4.0", signals=[signal("cc-signals", value)])
    assert result.category == "open-use-restricted"
    assert result.uses[use].commercial == "conditional"
    assert condition in result.uses[use].conditions
    assert any("vocab-08" in note for note in result.notes)
    assert result.conflicts


# 16
def test_16_a_signal_does_not_revoke_the_licence():
    result = classify_licences("CC0-1.0", signals=[signal("ietf-aipref", "train-ai=n")])
    assert result.category == "open-use-restricted"
    assert result.license_family == "cc0"
    assert result.conflicts and "licence still applies" in result.conflicts[0]
    assert result.uses["training"].commercial == "restricted"
    assert result.uses["retrieval"].commercial == "allowed"
    # Signals never raise: a closed entry stays closed.
    closed = classify_licences(
        "LicenseRef-All-Rights-Reserved", signals=[signal("ietf-aipref", "train-ai=y")]
    )
    assert closed.category == "not-commons"


# 17
def test_17_robots_disallow_is_evidence_not_a_preference():
    result = classify_licences(
        "CC-BY-4.0", signals=[signal("robots", "User-agent: GPTBot\nDisallow: /")]
    )
    assert result.category == "commons-by-default"
    assert any("sig.robots.ai-crawler-disallowed" in note for note in result.notes)


# 18
@pytest.mark.parametrize(
    "vocabulary, value",
    [
        ("ietf-aipref", "Train-AI=n"),
        ("ietf-aipref", 'train-ai="n"'),
        ("ietf-aipref", "train-ai"),
        ("ietf-aipref", "train-ai=n, train-ai=y"),
        ("tdmrep", "tdm-reservation: 2"),
        ("content-signals", "ai-train=maybe"),
    ],
)
def test_18_signal_syntax_is_strict(vocabulary, value):
    result = classify_licences("CC-BY-4.0", signals=[signal(vocabulary, value)])
    assert result.category == "commons-by-default", value
    parsed, _ = parse("cc-by-4.0 or cc-by-nc-4.0")
    assert parsed.render() == "CC-BY-4.0 OR CC-BY-NC-4.0"


# 19
def test_19_metadata_licence_is_not_content_licence():
    metadata_only = classify_licences({"expression": "CC0-1.0", "scope": "metadata"})
    assert metadata_only.category == "undetermined"
    assert "scope.metadata-only" in rules_fired(metadata_only)
    full_text = classify_licences(
        {"expression": "CC0-1.0", "scope": "metadata"},
        {"expression": "LicenseRef-arXiv-Nonexclusive-Distrib-1.0", "scope": "text"},
    )
    assert full_text.category == "not-commons"


# 20
@pytest.mark.parametrize("generic", ["other-open", "other-pd", "other-at"])
def test_20_okfn_generic_ids_are_open_but_low_confidence(generic):
    licence_id = knowledge.spdx_id_for_okfn(generic)
    assert licence_id == f"LicenseRef-okfn-{generic}"
    result = classify_licences(licence_id)  # a documented LicenseRef: the entry validates
    assert result.category == "commons-by-default"
    assert result.confidence == "low"


@pytest.mark.parametrize("value", ["Disallow for GPTBot, CCBot", "User-agent: CCBot\nDisallow: /"])
def test_17b_robots_observations_in_both_forms_are_evidence(value):
    result = classify_licences("CC0-1.0", signals=[signal("robots", value)])
    assert result.category == "commons-by-default"
    assert any("sig.robots.ai-crawler-disallowed" in note for note in result.notes)


def test_18b_observed_values_as_written_by_the_signal_checker():
    tdm = classify_licences(
        "CC-BY-4.0",
        signals=[signal("tdmrep", "tdm-reservation=1; tdm-policy=https://example.org/policy.json")],
    )
    assert tdm.category == "open-use-restricted"
    cs = classify_licences(
        "CC-BY-4.0", signals=[signal("content-signals", "search=yes, ai-train=no")]
    )
    assert cs.category == "open-use-restricted"
    cc = classify_licences(
        "CC-BY-4.0", signals=[signal("cc-signals", "train-ai=n;exceptions=cc-cr")]
    )
    assert cc.category == "open-use-restricted"
    assert any("cc-cr" in note for note in cc.notes)
    disagree = classify_licences(
        "CC-BY-4.0",
        signals=[signal("ietf-aipref", "train-ai=y"), signal("ietf-aipref", "train-ai=n")],
    )
    assert disagree.category == "open-use-restricted"
    assert any("disagree" in c for c in disagree.conflicts)
