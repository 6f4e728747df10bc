"""Term rules: the last year still protected and the first year free, for every rule,
at two as-of dates, and the cases that fire only when they should."""

from __future__ import annotations

import datetime

import pytest
from classifier_fixtures import classify_licences

from classifier import load_rules

D = datetime.date
CLAIM = "LicenseRef-Public-Domain-Expired"

# (rule, jurisdiction, fixed facts, the year field varied, as of, last protected year,
#  first free year, category while protected). Every term rule has two as-of dates.
CASES = [
    (
        "pd.us.sound-recordings",
        "US",
        {"modality": "audio"},
        "first_published",
        D(2026, 6, 1),
        1926,
        1925,
        "undetermined",
    ),
    (
        "pd.us.sound-recordings",
        "US",
        {"modality": "audio"},
        "first_published",
        D(2040, 1, 1),
        1940,
        1939,
        "undetermined",
    ),
    (
        "pd.us.published-before-1978",
        "US",
        {},
        "first_published",
        D(2026, 6, 1),
        1931,
        1930,
        "undetermined",
    ),
    (
        "pd.us.published-before-1978",
        "US",
        {},
        "first_published",
        D(2031, 1, 1),
        1936,
        1935,
        "undetermined",
    ),
    (
        "pd.us.anonymous-1978-1989",
        "US",
        {"authorship": "anonymous"},
        "first_published",
        D(2074, 1, 1),
        1979,
        1978,
        "undetermined",
    ),
    (
        "pd.us.anonymous-1978-1989",
        "US",
        {"authorship": "work-made-for-hire"},
        "first_published",
        D(2080, 6, 1),
        1985,
        1984,
        "undetermined",
    ),
    (
        "pd.us.anonymous-from-1990",
        "US",
        {"authorship": "pseudonymous"},
        "first_published",
        D(2086, 1, 1),
        1991,
        1990,
        "not-commons",
    ),
    (
        "pd.us.anonymous-from-1990",
        "US",
        {"authorship": "work-made-for-hire"},
        "first_published",
        D(2100, 1, 1),
        2005,
        2004,
        "not-commons",
    ),
    (
        "pd.us.named-author-1978-1989",
        "US",
        {"first_published": "1985"},
        "creator_death_year",
        D(2026, 6, 1),
        1956,
        1955,
        "undetermined",
    ),
    (
        "pd.us.named-author-1978-1989",
        "US",
        {"first_published": "1985"},
        "creator_death_year",
        D(2050, 1, 1),
        1980,
        1979,
        "undetermined",
    ),
    (
        "pd.us.named-author-from-1990",
        "US",
        {"first_published": "1995"},
        "creator_death_year",
        D(2026, 6, 1),
        1956,
        1955,
        "not-commons",
    ),
    (
        "pd.us.named-author-from-1990",
        "US",
        {"first_published": "1995"},
        "creator_death_year",
        D(2070, 1, 1),
        2000,
        1999,
        "not-commons",
    ),
    (
        "pd.eu.anonymous",
        "FR",
        {"authorship": "anonymous"},
        "first_published",
        D(2026, 6, 1),
        1956,
        1955,
        "not-commons",
    ),
    (
        "pd.eu.anonymous",
        "ES",
        {"authorship": "pseudonymous"},
        "first_published",
        D(2035, 12, 31),
        1965,
        1964,
        "not-commons",
    ),
    (
        "pd.es.life80-before-1987",
        "ES",
        {},
        "creator_death_year",
        D(2026, 6, 1),
        1946,
        1945,
        "not-commons",
    ),
    (
        "pd.es.life80-before-1987",
        "ES",
        {},
        "creator_death_year",
        D(2060, 1, 1),
        1980,
        1979,
        "not-commons",
    ),
    ("pd.eu.life70", "FR", {}, "creator_death_year", D(2026, 6, 1), 1956, 1955, "not-commons"),
    ("pd.eu.life70", "EU", {}, "creator_death_year", D(2030, 1, 1), 1960, 1959, "not-commons"),
    (
        "pd.uk.crown",
        "GB",
        {"authorship": "crown"},
        "first_published",
        D(2026, 6, 1),
        1976,
        1975,
        "not-commons",
    ),
    (
        "pd.uk.crown",
        "GB",
        {"authorship": "crown"},
        "first_published",
        D(2040, 1, 1),
        1990,
        1989,
        "not-commons",
    ),
    (
        "pd.uk.anonymous",
        "GB",
        {"authorship": "anonymous"},
        "first_published",
        D(2026, 6, 1),
        1956,
        1955,
        "not-commons",
    ),
    (
        "pd.uk.anonymous",
        "GB",
        {"authorship": "anonymous"},
        "first_published",
        D(2035, 12, 31),
        1965,
        1964,
        "not-commons",
    ),
    ("pd.uk.life70", "GB", {}, "creator_death_year", D(2026, 6, 1), 1956, 1955, "not-commons"),
    ("pd.uk.life70", "GB", {}, "creator_death_year", D(2035, 12, 31), 1965, 1964, "not-commons"),
    (
        "pd.ca.crown",
        "CA",
        {"authorship": "crown"},
        "first_published",
        D(2026, 6, 1),
        1976,
        1975,
        "not-commons",
    ),
    (
        "pd.ca.crown",
        "CA",
        {"authorship": "crown"},
        "first_published",
        D(2040, 1, 1),
        1990,
        1989,
        "not-commons",
    ),
    (
        "pd.ca.life70-not-retroactive",
        "CA",
        {},
        "creator_death_year",
        D(2026, 6, 1),
        1972,
        1971,
        "not-commons",
    ),
    (
        "pd.ca.life70-not-retroactive",
        "CA",
        {},
        "creator_death_year",
        D(2043, 1, 1),
        1973,
        1972,
        "not-commons",
    ),
    (
        "pd.jp.life70-not-retroactive",
        "JP",
        {},
        "creator_death_year",
        D(2026, 6, 1),
        1968,
        1967,
        "not-commons",
    ),
    (
        "pd.jp.life70-not-retroactive",
        "JP",
        {},
        "creator_death_year",
        D(2039, 1, 1),
        1969,
        1968,
        "not-commons",
    ),
    ("pd.mx.life100", "MX", {}, "creator_death_year", D(2026, 6, 1), 1926, 1925, "not-commons"),
    ("pd.mx.life100", "MX", {}, "creator_death_year", D(2050, 1, 1), 1950, 1949, "not-commons"),
]


@pytest.mark.parametrize(
    "rule, place, facts, field, as_of, protected, free, waiting",
    CASES,
    ids=[f"{c[0]}-{c[1]}-{c[4]}" for c in CASES],
)
def test_boundary(rule, place, facts, field, as_of, protected, free, waiting):
    def run(year):
        return classify_licences(
            CLAIM, as_of=as_of, jurisdictions=[place], **facts, **{field: str(year)}
        )

    still = run(protected)
    assert still.category == waiting, still.reasons
    assert rule in {r.rule for r in still.reasons}
    assert still.enters_commons_on is not None and still.enters_commons_on > as_of
    assert still.enters_commons_on.month == 1 and still.enters_commons_on.day == 1
    gone = run(free)
    assert gone.category == "commons-by-default", gone.reasons
    assert rule in {r.rule for r in gone.reasons}
    assert gone.jurisdictions == (place,)
    assert gone.enters_commons_on is None


def test_every_term_rule_has_boundary_cases_at_two_dates():
    covered: dict[str, set] = {}
    for case in CASES:
        covered.setdefault(case[0], set()).add(case[4])
    for rule in load_rules().term_rules:
        if rule.id == "pd.us.not-renewed":
            continue  # tested below: its boundary is the renewal year, not a term
        assert len(covered.get(rule.id, ())) >= 2, f"{rule.id} needs boundary tests at two dates"
