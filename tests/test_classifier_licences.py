"""Licence rules of rules 2026.3: software licences on content, C-UDA, the Open
Publication License, the GFDL, okfn ids as documented LicenseRefs, and the consistency
of every rule's category with the uses it allows."""

from __future__ import annotations

import pytest
from classifier_fixtures import classify_licences, make_entry

from classifier import knowledge, load_rules

OPEN = ("allowed", "conditional")


def rules_fired(result) -> set[str]:
    return {r.rule for r in result.reasons}


@pytest.mark.parametrize(
    "licence, rule",
    [
        ("MIT", "lic.software-permissive-on-content"),
        ("Apache-2.0", "lic.software-permissive-on-content"),
        ("BSD-2-Clause", "lic.software-permissive-on-content"),
        ("BSD-3-Clause", "lic.software-permissive-on-content"),
        ("ISC", "lic.software-permissive-on-content"),
        ("Artistic-2.0", "lic.software-permissive-on-content"),
        ("AFL-3.0", "lic.software-permissive-on-content"),
        ("0BSD", "lic.software-no-conditions-on-content"),
        ("GPL-2.0-only", "lic.software-copyleft-on-content"),
        ("GPL-3.0-or-later", "lic.software-copyleft-on-content"),
        ("LGPL-2.1-only", "lic.software-copyleft-on-content"),
        ("LGPL-3.0-only", "lic.software-copyleft-on-content"),
        ("MPL-2.0", "lic.software-copyleft-on-content"),
        ("EPL-1.0", "lic.software-copyleft-on-content"),
        ("EPL-2.0", "lic.software-copyleft-on-content"),
    ],
)
def test_common_software_licences_on_text_are_commons_with_medium_confidence(licence, rule):
    result = classify_licences(licence)
    assert result.category == "commons-by-default"
    assert rule in rules_fired(result)
    assert result.confidence == "medium"
    assert result.uses["training"].commercial in OPEN
    # For code, the Open Source Definition decides with full confidence.
    code = classify_licences(licence, modality="code")
    assert code.category == "commons-by-default" and code.confidence == "high"


def test_copyleft_on_content_carries_share_alike_and_source():
    result = classify_licences("GPL-3.0-only")
    assert {"share-alike", "source"} <= set(result.obligations)
    assert result.license_family == "software-copyleft"


def test_c_uda_allows_computational_use_for_any_purpose_but_not_display():
    result = classify_licences("C-UDA-1.0")
    assert result.category == "open-use-restricted"  # not any purpose: Open Definition #8
    assert "lic.computational-use" in rules_fired(result)
    assert result.uses["training"].commercial == "conditional"
    assert result.uses["training"].non_commercial == "conditional"
    assert result.uses["evaluation"].commercial == "conditional"
    assert result.uses["retrieval"].commercial == "restricted"
    fits = {t.template: t.fit for t in result.templates}
    assert fits["Training-Commercial-Standard"] == "fits-with-conditions"
    assert fits["Retrieval-Attribution"] == "does-not-fit"


def test_open_publication_licence_is_open_without_its_options():
    result = classify_licences("OPUBL-1.0")
    assert result.category == "commons-by-default"
    assert result.confidence == "medium"
    assert "lic.open-publication" in rules_fired(result)


def test_gfdl_category_is_consistent_with_its_uses():
    unknown = classify_licences("GFDL-1.2-only")
    assert unknown.category == "open-use-restricted"
    assert unknown.uses["training"].commercial == "unknown"
    fits = {t.template: t.fit for t in unknown.templates}
    assert fits["Training-Commercial-Standard"] != "fits-with-conditions"
    free = classify_licences("GFDL-1.3-no-invariants-only")
    assert free.category == "commons-by-default"
    assert free.uses["training"].commercial == "conditional"


@pytest.mark.parametrize("okfn_id", ["ukcrown", "other-pd", "FAL-1.3", "ukpsi", "other-closed"])
def test_okfn_ids_are_accepted_as_documented_licence_refs_and_their_rules_fire(okfn_id):
    ref = f"LicenseRef-okfn-{okfn_id}"
    entry = make_entry([ref])  # validates: the ref is documented
    assert entry.licenses[0].expression == ref
    result = classify_licences(ref)
    assert not any(r.rule == "no-match" for r in result.reasons)
    with pytest.raises(ValueError, match="not an SPDX id"):
        make_entry([okfn_id])  # the bare okfn id is not an SPDX id


def test_every_licence_and_statement_rule_has_a_category_consistent_with_its_uses():
    rules = load_rules()
    for rule in rules.licence_rules + rules.statement_rules:
        then = rule.then
        if "evaluate" in then:
            continue
        verdicts = {v for pair in rules.use_profiles[then["uses"]].values() for v in pair}
        category = then["category"]
        if category == "commons-by-default":
            assert verdicts <= set(OPEN), rule.id
        elif category == "open-use-restricted":
            assert verdicts - set(OPEN), f"{rule.id}: restricted, yet every use is open"
        elif category == "not-commons":
            assert not verdicts & set(OPEN), rule.id


def test_every_documented_ref_has_a_rule_that_is_not_no_match():
    for ref in knowledge.license_ref_ids():
        result = classify_licences(ref)
        assert result.reasons and result.reasons[0].rule != "no-match", ref
