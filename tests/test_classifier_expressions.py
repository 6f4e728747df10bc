"""SPDX expression semantics (OR, AND, WITH) and how scoped licences combine."""

from __future__ import annotations

from classifier_fixtures import classify_licences


def fired(result):
    return [r.rule for r in result.reasons]


def test_or_takes_the_most_open_operand():
    result = classify_licences("CC-BY-NC-4.0 OR CC0-1.0")
    assert result.category == "commons-by-default"
    assert result.license_family == "cc0"
    assert result.obligations == ()
    assert "combine.or" in fired(result)


def test_and_takes_the_most_restrictive_operand_and_all_obligations():
    result = classify_licences("CC-BY-SA-4.0 AND CC-BY-4.0")
    assert result.category == "commons-by-default"
    assert result.license_family == "cc-by-sa"
    assert {"attribution", "share-alike"} <= set(result.obligations)
    closed = classify_licences("CC0-1.0 AND LicenseRef-All-Rights-Reserved")
    assert closed.category == "not-commons"
    assert closed.uses["training"].commercial == "restricted"


def test_and_with_undetermined_is_not_commons():
    assert classify_licences("CC0-1.0 AND LicenseRef-Unclear").category == "undetermined"


def test_with_classifies_the_base_licence():
    result = classify_licences("GPL-2.0-only WITH Linux-syscall-note", modality="code")
    assert result.category == "commons-by-default"
    assert result.license_family == "software-copyleft"
    assert "combine.with" in fired(result)


def test_nested_expression():
    assert (
        classify_licences("(CC-BY-NC-4.0 AND CC-BY-4.0) OR CC-BY-SA-4.0").category
        == "commons-by-default"
    )
    assert (
        classify_licences("(CC-BY-NC-4.0 OR CC-BY-ND-4.0) AND CC0-1.0").category
        == "open-use-restricted"
    )


def test_jurisdiction_limits_survive_combination():
    result = classify_licences("LicenseRef-US-Government-Work AND CC0-1.0")
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)


def test_several_content_licences_combine_with_and():
    result = classify_licences(
        {"expression": "CC0-1.0", "scope": "data"}, {"expression": "CC-BY-ND-4.0", "scope": "text"}
    )
    assert result.category == "open-use-restricted"


def test_some_items_lowers_but_never_raises():
    lowered = classify_licences(
        {"expression": "CC-BY-4.0", "scope": "all"},
        {"expression": "CC-BY-NC-4.0", "scope": "some-items"},
    )
    assert lowered.category == "open-use-restricted"
    assert "scope.some-items" in fired(lowered)
    alone = classify_licences({"expression": "CC0-1.0", "scope": "some-items"})
    assert alone.category == "undetermined"


def test_metadata_licence_is_noted_beside_content():
    result = classify_licences(
        {"expression": "CC-BY-4.0", "scope": "text"}, {"expression": "CC0-1.0", "scope": "metadata"}
    )
    assert result.category == "commons-by-default"
    assert any("metadata only" in note for note in result.notes)


def test_copyrighted_compilation_caps_an_open_compilation_licence():
    result = classify_licences("ODC-By-1.0", copyright_basis="copyrighted-compilation")
    assert result.category == "not-commons"
    assert "basis.copyrighted-compilation" in fired(result)


def test_templates_follow_the_uses():
    fits = {t.template: t.fit for t in classify_licences("CC0-1.0").templates}
    assert fits == {
        "Training-Commercial-Standard": "fits",
        "Retrieval-Attribution": "fits",
        "Research-Open": "fits",
        "Eval-Public": "fits",
    }
    nc = {t.template: t.fit for t in classify_licences("CC-BY-NC-4.0").templates}
    assert nc["Training-Commercial-Standard"] == "does-not-fit"
    assert nc["Research-Open"] == "fits-with-conditions"
    unknown = {t.template: t.fit for t in classify_licences("LicenseRef-Unclear").templates}
    assert set(unknown.values()) == {"unknown"}


def test_undecidable_item_licence_does_not_lower():
    result = classify_licences(
        {"expression": "LicenseRef-Various-Open", "scope": "all"},
        {"expression": "CC-PDM-1.0", "scope": "some-items"},
    )
    assert result.category == "commons-by-default"
    assert any("does not lower" in note for note in result.notes)


def test_jurisdictions_are_reported_only_where_the_result_holds():
    result = classify_licences(
        {"expression": "LicenseRef-Various", "scope": "all"},
        {"expression": "LicenseRef-US-Government-Work", "scope": "some-items"},
    )
    assert result.category == "open-use-restricted"
    assert result.jurisdictions == ()
