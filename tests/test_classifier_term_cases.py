"""Term rules in particular cases: renewal, anonymous and Crown works, Spain's transition,
sound recordings, several jurisdictions, and the as-of date."""

from __future__ import annotations

import datetime

import pytest
from classifier_fixtures import classify_licences

from classifier import load_rules

D = datetime.date
CLAIM = "LicenseRef-Public-Domain-Expired"


@pytest.mark.parametrize("as_of", [D(2026, 6, 1), D(2040, 1, 1)])
def test_not_renewed_us_works_of_1963_and_earlier_are_free(as_of):
    def run(year, renewal="not-renewed"):
        evidence = {"status": renewal, "evidence": "https://example.org/cce/search"}
        return classify_licences(
            CLAIM, as_of=as_of, jurisdictions=["US"], first_published=str(year), us_renewal=evidence
        )

    last_free = run(1963)
    assert last_free.category == "commons-by-default"
    assert "pd.us.not-renewed" in {r.rule for r in last_free.reasons}
    # From 1964 renewal was automatic: "not renewed" proves nothing, the 95 years run.
    first_protected = run(1964)
    assert first_protected.category == "undetermined"
    assert first_protected.enters_commons_on == D(2060, 1, 1)
    assert "pd.us.not-renewed" not in {r.rule for r in first_protected.reasons}
    renewed = run(1950, "renewed")
    assert renewed.enters_commons_on == D(2046, 1, 1)


def test_us_works_after_march_1989_are_protected_without_a_death_year():
    result = classify_licences(CLAIM, jurisdictions=["US"], first_published="1995")
    assert result.category == "not-commons"
    assert "pd.us.named-author-from-1990" in {r.rule for r in result.reasons}
    # 1978-1989 works may have lost protection for lack of notice: undetermined.
    older = classify_licences(CLAIM, jurisdictions=["US"], first_published="1985")
    assert older.category == "undetermined"


def test_us_anonymous_term_is_whichever_ends_first():
    # 95 from publication (1985 -> 2081) or 120 from creation (1950 -> 2071): 2071.
    result = classify_licences(
        CLAIM,
        jurisdictions=["US"],
        authorship="anonymous",
        first_published="1985",
        creation_year="1950",
        as_of=D(2071, 1, 1),
    )
    assert result.category == "commons-by-default"


def test_uk_crown_term_is_whichever_ends_first_and_unpublished_counts_from_creation():
    late = classify_licences(
        CLAIM,
        jurisdictions=["GB"],
        authorship="crown",
        creation_year="1880",
        first_published="1960",
    )
    assert late.category == "commons-by-default"  # 1880 + 125 ended before 1960 + 50
    unpublished = classify_licences(
        CLAIM, jurisdictions=["GB"], authorship="crown", creation_year="1901"
    )
    assert unpublished.enters_commons_on == D(2027, 1, 1)
    assert unpublished.category == "not-commons"


def test_spain_1987_deaths_keep_80_years_1988_deaths_have_70():
    def died(year):
        return classify_licences(
            CLAIM, jurisdictions=["ES"], creator_death_year=str(year), as_of=D(2060, 1, 1)
        )

    assert died(1988).category == "commons-by-default"  # 1988 + 70 ended in 2058
    assert died(1987).enters_commons_on == D(2068, 1, 1)  # 1987 + 80


def test_named_author_rules_do_not_fire_on_crown_or_anonymous_works():
    crown = classify_licences(
        CLAIM, jurisdictions=["GB"], authorship="crown", creator_death_year="1900"
    )
    assert "pd.uk.life70" not in {r.rule for r in crown.reasons}
    assert crown.category == "not-commons"  # no publication or creation year: protected


def test_us_protected_is_undetermined_but_eu_protected_is_not_commons():
    us = classify_licences(
        "LicenseRef-Public-Domain-Expired", first_published="1950", jurisdictions=["US"]
    )
    eu = classify_licences(
        "LicenseRef-Public-Domain-Expired", creator_death_year="1990", jurisdictions=["DE"]
    )
    assert us.category == "undetermined"  # 1931-1977 works may be free through formalities
    assert eu.category == "not-commons"
    assert eu.enters_commons_on == datetime.date(2061, 1, 1)


def test_sound_recording_table_rows():
    def free_on(published):
        return classify_licences(
            "LicenseRef-Public-Domain-Expired",
            first_published=str(published),
            jurisdictions=["US"],
            modality="audio",
            as_of=datetime.date(2026, 6, 1),
        )

    assert free_on(1922).category == "commons-by-default"
    assert free_on(1950).enters_commons_on == datetime.date(2061, 1, 1)  # 110 years
    assert free_on(1960).enters_commons_on == datetime.date(2067, 2, 16)  # pre-1972 catch-all


def test_several_jurisdictions_hold_separately():
    result = classify_licences(
        "LicenseRef-Public-Domain-Expired",
        first_published="1920",
        creator_death_year="1960",
        jurisdictions=["US", "DE"],
    )
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)
    assert result.enters_commons_on == datetime.date(2031, 1, 1)


def test_cutoffs_come_from_the_as_of_date_not_the_rules():
    for rule in load_rules().term_rules:
        assert "cutoff" not in rule.then and "published_on_or_before" not in rule.then


def test_public_domain_mark_on_government_work_holds_in_the_us():
    result = classify_licences(
        "CC-PDM-1.0", copyright_basis="us-federal-government-work", jurisdictions=["US"]
    )
    assert result.category == "commons-by-default"
    assert result.jurisdictions == ("US",)
