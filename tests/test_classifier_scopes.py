"""Scopes and access terms: a metadata licence is the content licence when the dataset
is metadata; licences on some items give per-scope answers instead of collapsing the
whole entry; access terms are their own input with a rule."""

from __future__ import annotations

from classifier_fixtures import classify_licences


def rules_fired(result) -> set[str]:
    return {r.rule for r in result.reasons}


def scoped(expression, scope, covers=None):
    found = {"expression": expression, "scope": scope}
    if covers:
        found["covers"] = covers
    return found


def test_a_metadata_licence_is_the_content_licence_when_the_dataset_is_metadata():
    catalogue = classify_licences(scoped("CC0-1.0", "metadata"), is_metadata="true")
    assert catalogue.category == "commons-by-default"
    assert "scope.metadata-is-content" in rules_fired(catalogue)
    # Otherwise a metadata licence still says nothing about the content.
    assert classify_licences(scoped("CC0-1.0", "metadata")).category == "undetermined"


def test_metadata_dataset_with_restricted_items_is_split_not_closed():
    result = classify_licences(
        scoped("LicenseRef-No-Restrictions-Statement", "metadata", "bibliographic records"),
        scoped("LicenseRef-All-Rights-Reserved", "some-items", "abstracts supplied by publishers"),
        is_metadata="true",
    )
    assert result.category == "open-use-restricted"
    records, abstracts = result.parts
    assert records.scope == "bibliographic records" and records.category == "commons-by-default"
    assert abstracts.scope == "abstracts supplied by publishers"
    assert abstracts.category == "not-commons"
    assert result.uses["training"].commercial == "conditional"
    assert "select-items" in result.uses["training"].conditions


def test_some_items_all_rights_reserved_does_not_close_a_mixed_collection():
    result = classify_licences(
        "LicenseRef-Various",
        scoped("CC0-1.0", "some-items"),
        scoped("LicenseRef-All-Rights-Reserved", "some-items"),
    )
    assert result.category == "open-use-restricted"  # like DPLA or Europeana
    assert [p.category for p in result.parts] == [
        "open-use-restricted",
        "commons-by-default",
        "not-commons",
    ]
    assert result.uses["training"].commercial == "restricted"


def test_a_commons_core_keeps_its_own_answer_beside_a_restricted_supplement():
    result = classify_licences(
        scoped("CC0-1.0", "data", "core data"),
        scoped("CC-BY-NC-SA-3.0", "some-items", "supplementary data"),
    )
    assert result.category == "open-use-restricted"
    core, supplement = result.parts
    assert core.scope == "core data" and core.category == "commons-by-default"
    assert supplement.category == "open-use-restricted"
    assert "Core data (CC0-1.0): commons by default" in result.plain
    # Non-commercial use of the whole stays open; commercial needs the core only.
    assert result.uses["training"].commercial == "conditional"


def test_an_item_licence_never_raises_and_never_lowers_below_open_use_restricted():
    closed = classify_licences("LicenseRef-All-Rights-Reserved", scoped("CC0-1.0", "some-items"))
    assert closed.category == "not-commons"
    opened = classify_licences("CC0-1.0", scoped("LicenseRef-All-Rights-Reserved", "some-items"))
    assert opened.category == "open-use-restricted"


def terms(other_routes="false", **more):
    return {
        "name": "Example dump terms",
        "url": "https://data.example.org/terms",
        "restricts": ["training"],
        "other_routes": other_routes,
        **more,
    }


def test_access_terms_that_every_copy_comes_with_restrict_the_whole_entry():
    result = classify_licences("CC-BY-SA-4.0", access_terms=[terms()])
    assert result.category == "open-use-restricted"
    assert result.uses["training"].commercial == "restricted"
    assert result.uses["training"].non_commercial == "restricted"
    assert result.uses["retrieval"].commercial == "conditional"
    assert "access.terms-bind-every-copy" in rules_fired(result)
    assert "accept-access-terms" in result.obligations


def test_commercial_only_terms_leave_non_commercial_use_as_the_licence_says():
    result = classify_licences("CC-BY-4.0", access_terms=[terms(commercial_only="true")])
    assert result.uses["training"].commercial == "restricted"
    assert result.uses["training"].non_commercial == "conditional"


def test_terms_of_one_route_give_those_copies_a_part_and_leave_the_licence_to_decide():
    result = classify_licences(
        "CC-BY-SA-4.0",
        access_terms=[terms("true", route="dumps downloaded from a site profile since 2024")],
    )
    assert result.category == "commons-by-default"
    assert "access.terms-bind-one-route" in rules_fired(result)
    (part,) = result.parts
    assert part.scope == "dumps downloaded from a site profile since 2024"
    assert part.category == "open-use-restricted"
    said = "Dumps downloaded from a site profile since 2024 (Example dump terms restrict training)"
    assert f"{said}: restricted use" in result.plain


def test_access_terms_never_raise_a_closed_entry():
    result = classify_licences("LicenseRef-All-Rights-Reserved", access_terms=[terms()])
    assert result.category == "not-commons"
