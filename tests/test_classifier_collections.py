"""Collections of public-domain works: item ranges, split verdicts, stewards' rights
statements, and where the answer holds."""

from __future__ import annotations

import datetime

import pytest
from classifier_fixtures import classify_licences

CLAIM = "LicenseRef-Public-Domain-Expired"
YEARS = "https://library.example.org/years"


def items(latest, earliest=None):
    found = {"latest": str(latest), "evidence": YEARS}
    if earliest is not None:
        found["earliest"] = str(earliest)
    return found


def said(statement, by_type="cultural-heritage", **more):
    return {
        "id": statement,
        "by": "Example Library",
        "by_type": by_type,
        "url": "https://library.example.org/rights",
        **more,
    }


def rules_fired(result) -> set[str]:
    return {r.rule for r in result.reasons}


def test_a_collection_entirely_before_the_cut_off_is_commons_where_the_term_ended():
    result = classify_licences(CLAIM, jurisdictions=["US"], items_published=items(1925, 1850))
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)
    assert "in the United States" in result.plain
    assert not result.parts


@pytest.mark.parametrize(
    "as_of, cut", [(datetime.date(2026, 6, 1), 1930), (datetime.date(2031, 3, 1), 1935)]
)
def test_a_collection_straddling_the_cut_off_gets_a_split_answer_not_undetermined(as_of, cut):
    result = classify_licences(
        CLAIM, jurisdictions=["US"], items_published=items(1963, 1789), as_of=as_of
    )
    assert result.category == "open-use-restricted"
    assert "works.split" in rules_fired(result)
    free, later = result.parts
    assert free.scope == f"items first published in or before {cut}"
    assert free.category == "commons-by-default" and free.jurisdictions == ("US",)
    assert later.scope == f"items first published {cut + 1}-1963"
    assert later.category == "undetermined"
    assert result.uses["training"].commercial == "conditional"
    assert "select-items" in result.uses["training"].conditions
    assert result.plain.startswith("Partly, in the United States")
    assert (
        f"Items first published in or before {cut} (their term has ended): commons by default in "
        "the United States" in result.plain
    )
    assert result.enters_commons_on == datetime.date(as_of.year + 1, 1, 1)


def test_latest_year_alone_still_splits():
    result = classify_licences(CLAIM, jurisdictions=["US"], items_published=items(1950))
    assert result.category == "open-use-restricted"
    assert result.parts[0].scope == "items first published in or before 1930"


def test_an_institutions_noc_us_covers_the_items_the_dates_leave_open():
    result = classify_licences(
        CLAIM,
        jurisdictions=["US"],
        items_published=items(1963, 1789),
        rights_statement=said("NoC-US"),
    )
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)
    assert result.confidence == "medium"
    assert {"rights.noc-us-institution", "works.statement-covers-later-items"} <= rules_fired(
        result
    )
    assert not result.parts


def test_noc_us_holds_in_the_us_only_even_when_the_entry_names_no_place():
    result = classify_licences(CLAIM, rights_statement=said("NoC-US"))
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)


def test_a_packagers_public_domain_claim_does_not_override_item_dates():
    result = classify_licences(
        CLAIM,
        jurisdictions=["US"],
        items_published=items(1963, 1789),
        rights_statement=said("PDM", by_type="company", wording="all material is public domain"),
    )
    assert result.category == "open-use-restricted"
    assert any("all material is public domain" in note for note in result.notes)


def test_a_packagers_claim_counts_with_low_confidence_where_no_dates_are_given():
    result = classify_licences(
        CLAIM, jurisdictions=["DK"], rights_statement=said("PDM", by_type="company")
    )
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("DK",)
    assert result.confidence == "low"


def test_nkc_without_a_place_says_where_is_not_stated_never_everywhere():
    result = classify_licences("LicenseRef-No-Known-Copyright", rights_statement=said("NKC"))
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ()
    assert result.where.startswith("where the steward assessed it")
    assert result.confidence == "low"
    assert "anywhere" not in result.plain


@pytest.mark.parametrize(
    "statement, category",
    [
        ("InC", "not-commons"),
        ("InC-OW-EU", "not-commons"),
        ("NoC-NC", "open-use-restricted"),
        ("InC-EDU", "open-use-restricted"),
        ("NoC-CR", "open-use-restricted"),
    ],
)
def test_restrictive_statements_lower_even_free_dates(statement, category):
    result = classify_licences(
        CLAIM, jurisdictions=["US"], first_published="1900", rights_statement=said(statement)
    )
    assert result.category == category


def test_not_evaluated_statements_leave_the_dates_to_decide():
    result = classify_licences(
        CLAIM, jurisdictions=["US"], first_published="1900", rights_statement=said("CNE")
    )
    assert result.category == "commons-by-default"
    assert "rights.not-evaluated" in rules_fired(result)


def test_a_dedication_over_public_domain_scans_does_not_widen_where_they_are_free():
    packaged = classify_licences(
        "CC0-1.0", copyright_basis="public-domain-expired", jurisdictions=["US"]
    )
    assert packaged.category == "commons-by-default"
    assert packaged.jurisdictions == ("US",)
    assert "works.where-assessed" in rules_fired(packaged)
    assert "Elsewhere the works may still be protected" in packaged.plain
    with_dates = classify_licences(
        "CC0-1.0",
        copyright_basis="public-domain-expired",
        jurisdictions=["US"],
        items_published=items(1963, 1789),
    )
    assert with_dates.category == "open-use-restricted"
    assert with_dates.parts[0].scope == "items first published in or before 1930"


def test_licence_grants_hold_anywhere_and_say_so():
    result = classify_licences("CC-BY-4.0")
    assert result.jurisdictions == ()
    assert result.where == "anywhere"
    assert "anywhere" in result.plain
