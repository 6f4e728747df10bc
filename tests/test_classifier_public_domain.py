"""Public-domain boundaries: the last year still protected and the first year free,
for each jurisdiction rule, at two as-of dates."""

from __future__ import annotations

import datetime

import pytest
from classifier_fixtures import classify_licences

from classifier import load_rules

# (rule, jurisdiction, modality, date field, as_of, last protected year, first free year)
CASES = [
    ("pd.us.published", "US", "text", "first_published", datetime.date(2026, 6, 1), 1931, 1930),
    ("pd.us.published", "US", "text", "first_published", datetime.date(2031, 1, 1), 1936, 1935),
    (
        "pd.us.sound-recordings",
        "US",
        "audio",
        "first_published",
        datetime.date(2026, 6, 1),
        1926,
        1925,
    ),
    (
        "pd.us.sound-recordings",
        "US",
        "audio",
        "first_published",
        datetime.date(2040, 1, 1),
        1940,
        1939,
    ),
    ("pd.eu.life70", "FR", "text", "creator_death_year", datetime.date(2026, 6, 1), 1956, 1955),
    ("pd.eu.life70", "EU", "text", "creator_death_year", datetime.date(2030, 1, 1), 1960, 1959),
    ("pd.uk.life70", "GB", "text", "creator_death_year", datetime.date(2026, 6, 1), 1956, 1955),
    ("pd.uk.life70", "GB", "text", "creator_death_year", datetime.date(2035, 12, 31), 1965, 1964),
    (
        "pd.ca.life70-not-retroactive",
        "CA",
        "text",
        "creator_death_year",
        datetime.date(2026, 6, 1),
        1972,
        1971,
    ),
    (
        "pd.ca.life70-not-retroactive",
        "CA",
        "text",
        "creator_death_year",
        datetime.date(2043, 1, 1),
        1973,
        1972,
    ),
    (
        "pd.jp.life70-not-retroactive",
        "JP",
        "text",
        "creator_death_year",
        datetime.date(2026, 6, 1),
        1968,
        1967,
    ),
    (
        "pd.jp.life70-not-retroactive",
        "JP",
        "text",
        "creator_death_year",
        datetime.date(2039, 1, 1),
        1969,
        1968,
    ),
]


@pytest.mark.parametrize(
    "rule, place, modality, field, as_of, protected, free",
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in CASES],
)
def test_boundary(rule, place, modality, field, as_of, protected, free):
    def run(year):
        return classify_licences(
            "LicenseRef-Public-Domain-Expired",
            as_of=as_of,
            jurisdictions=[place],
            modality=modality,
            **{field: str(year)},
        )

    still = run(protected)
    assert still.category in ("undetermined", "not-commons"), still.reasons
    assert rule in {r.rule for r in still.reasons}
    assert still.enters_commons_on is not None and still.enters_commons_on > as_of
    assert still.enters_commons_on.month == 1 and still.enters_commons_on.day == 1
    gone = run(free)
    assert gone.category == "commons-by-default"
    assert gone.jurisdictions == (place,)
    assert gone.enters_commons_on is None


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
