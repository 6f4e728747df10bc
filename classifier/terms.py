"""Copyright terms: the day a work enters the public domain in one jurisdiction, from
the term rules (classifier/rules/public-domain.yaml) and the entry's dates.

Terms run to the end of the calendar year, so a work becomes free on 1 January of
the year after its term ends. Cut-offs are derived from the as-of date, never stored.
A collection is evaluated item year by item year (`place_result`), so one that
straddles a cut-off gets a split answer: items up to a year are free, later ones not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from classifier.result import Reason
from classifier.rules_data import Rule, RuleSet

# The entry field each term basis reads, named in reasons when it is missing.
BASIS_FIELDS = {
    "publication": "first_published (or items_published)",
    "death": "creator_death_year",
    "creation": "creation_year",
}
# How far back a collection with no `earliest` year is checked, item year by item year.
UNBOUNDED_SPAN = 250


@dataclass(frozen=True)
class WorkFacts:
    """What the term rules read about an entry's works."""

    modality: str = ""
    authorship: str | None = None  # None: named authors
    us_renewal: str | None = None
    published: int | None = None  # one work's year, or a collection's latest item year
    earliest: int | None = None  # a collection's earliest item year, when known
    death: int | None = None
    creation: int | None = None
    collection: bool = False


@dataclass(frozen=True)
class Term:
    """One term rule evaluated for one jurisdiction and one year of publication."""

    rule: Rule
    place: str
    published: int | None
    free_from: datetime.date | None  # None: the basis year is missing
    basis_year: int | None
    authorship: str = "named"

    def expired(self, as_of: datetime.date) -> bool:
        return self.free_from is not None and self.free_from <= as_of

    @property
    def missing(self) -> str:
        return "" if self.free_from is not None else BASIS_FIELDS[self.rule.then["basis"]]


@dataclass(frozen=True)
class PlaceResult:
    """The works of an entry in one jurisdiction: free, split, protected or missing."""

    place: str
    state: str  # free | split | protected | missing
    category: str  # while protected or missing: the rule's if_protected / if_missing
    reasons: tuple[Reason, ...]
    free_to: int | None = None  # split: items first published in or before this year are free
    latest: int | None = None
    next_free: datetime.date | None = None  # when the next protected items become free


def home_places(rules: RuleSet) -> tuple[str, ...]:
    """One place per term rule (its first jurisdiction), for entries that name none."""
    seen: dict[str, None] = {}
    for rule in rules.term_rules:
        seen.setdefault(rule.when["jurisdictions"][0], None)
    return tuple(seen)


def places_with_rules(rules: RuleSet, places: tuple[str, ...]) -> tuple[str, ...]:
    covered = {p for rule in rules.term_rules for p in rule.when["jurisdictions"]}
    return tuple(p for p in places if p in covered)


def term(rules: RuleSet, place: str, facts: WorkFacts, published: int | None) -> Term | None:
    """The term of the first rule that holds for works first published in `published`;
    None when no rule applies (or every rule that could needs the unknown year)."""
    # Only the facts the rules read decide a term; a collection's range does not.
    basis = (facts.modality, facts.authorship, facts.us_renewal, facts.death, facts.creation)
    key = (id(rules), place, basis, published)
    if key not in _TERMS:
        if len(_TERMS) > 65_536:
            _TERMS.clear()
        _KEEP[id(rules)] = rules  # keeps the id in the key from being reused
        _TERMS[key] = _term(rules, place, facts, published)
    return _TERMS[key]


_TERMS: dict = {}
_KEEP: dict = {}


def _term(rules: RuleSet, place: str, facts: WorkFacts, published: int | None) -> Term | None:
    for rule in rules.term_rules:
        when = rule.when
        if place not in when["jurisdictions"] or not _facts_hold(when, facts):
            continue
        low, high = when.get("published_from"), when.get("published_to")
        if low is not None or high is not None:
            if published is None:  # the rule needs the year of publication
                return Term(rule, place, None, None, None, facts.authorship or "named")
            if (low is not None and published < low) or (high is not None and published > high):
                continue
        return _compute(rule, place, facts, published)
    return None


def _facts_hold(when: dict, facts: WorkFacts) -> bool:
    if "modality" in when and facts.modality not in when["modality"]:
        return False
    if "modality_not" in when and facts.modality in when["modality_not"]:
        return False
    if "authorship" in when and (facts.authorship or "named") not in when["authorship"]:
        return False
    return "us_renewal" not in when or facts.us_renewal in when["us_renewal"]


def _compute(rule: Rule, place: str, facts: WorkFacts, published: int | None) -> Term:
    then = rule.then
    years = {"publication": published, "death": facts.death, "creation": facts.creation}
    ends = []
    main = years[then["basis"]]
    if main is not None:
        ends.append((free_from(then, main), main))
    other = then.get("or_earlier")
    if other and years[other["basis"]] is not None:
        base = years[other["basis"]]
        ends.append((datetime.date(base + int(other["years"]) + 1, 1, 1), base))
    authorship = facts.authorship or "named"
    if not ends:
        return Term(rule, place, published, None, None, authorship)
    day, year = min(ends)
    return Term(rule, place, published, day, main if main is not None else year, authorship)


def free_from(then: dict, year: int) -> datetime.date | None:
    """The day a work whose term counts from `year` enters the public domain."""
    if "table" in then:
        for row in then["table"]:
            if row.get("from", -10_000) <= year <= row.get("to", 10_000):
                if "free_from" in row:
                    return datetime.date.fromisoformat(str(row["free_from"]))
                return datetime.date(year + int(row["years"]) + 1, 1, 1)
        return None
    return datetime.date(year + int(then["years"]) + 1, 1, 1)


def place_result(
    rules: RuleSet, place: str, facts: WorkFacts, as_of: datetime.date
) -> PlaceResult | None:
    """The works in one place; a collection is checked year by year over its range."""
    if not facts.collection or facts.published is None:
        found = term(rules, place, facts, facts.published)
        if found is None:
            return None
        return _single(found, as_of)
    low = facts.earliest if facts.earliest is not None else facts.published - UNBOUNDED_SPAN
    terms = [term(rules, place, facts, year) for year in range(low, facts.published + 1)]
    if any(t is None for t in terms):
        return None
    return _range(terms, facts, as_of, rules.order)


def _single(found: Term, as_of: datetime.date) -> PlaceResult:
    then = found.rule.then
    if found.free_from is None:
        return PlaceResult(found.place, "missing", _waiting(found), (term_reason(found, as_of),))
    if found.expired(as_of):
        return PlaceResult(found.place, "free", "commons-by-default", (term_reason(found, as_of),))
    return PlaceResult(
        found.place,
        "protected",
        then["if_protected"],
        (term_reason(found, as_of),),
        next_free=found.free_from,
    )


def _range(terms: list[Term], facts: WorkFacts, as_of: datetime.date, order) -> PlaceResult:
    place, latest = terms[0].place, facts.published
    free = [t.expired(as_of) for t in terms]
    if all(free):
        reason = term_reason(terms[-1], as_of, f"every item was first published by {latest}")
        return PlaceResult(place, "free", "commons-by-default", (reason,), latest=latest)
    pending = [t for t in terms if not t.expired(as_of)]
    dates = [t.free_from for t in pending if t.free_from is not None]
    # The most open category among the items still protected: some may be free sooner.
    category = min((_waiting(t) for t in pending), key=order.index)
    if not any(free):
        first = pending[-1]
        reason = term_reason(first, as_of, f"items first published up to {latest}")
        state = "missing" if first.free_from is None else "protected"
        return PlaceResult(
            place, state, category, (reason,), None, latest, min(dates, default=None)
        )
    cut = free.index(False) - 1  # the last year of the free prefix
    free_to = terms[cut].published if cut >= 0 else None
    reasons = (
        term_reason(terms[cut], as_of, f"items first published in or before {free_to}")
        if free_to is not None
        else None,
        term_reason(
            terms[cut + 1], as_of, f"items first published from {terms[cut + 1].published}"
        ),
    )
    return PlaceResult(
        place,
        "split",
        category,
        tuple(r for r in reasons if r),
        free_to,
        latest,
        min(dates, default=None),
    )


def _waiting(found: Term) -> str:
    """The category of a work while its term runs, or while its basis year is missing."""
    if found.free_from is None:
        return found.rule.then.get("if_missing", "undetermined")
    return found.rule.then["if_protected"]


def term_reason(found: Term, as_of: datetime.date, items: str = "") -> Reason:
    """The rule's reason, filled in: which term, from which year, ended or running."""
    rule = found.rule
    prefix = f"[{found.place}] " + (f"{items}: " if items else "")
    if found.free_from is None:
        text = (
            f"{prefix}{rule.id} needs {found.missing}, which the entry does not give "
            f"(until then: {_waiting(found)})"
        )
        return Reason(rule.id, text, rule.citation, "unknown")
    expired = found.expired(as_of)
    state = (
        f"ended; free since {found.free_from}"
        if expired
        else f"runs until {found.free_from - datetime.timedelta(days=1)}; "
        f"free from {found.free_from}"
    )
    years = rule.then.get("years")
    fields = {
        "year": found.basis_year,
        "published": found.published,
        "authorship": found.authorship.replace("-", " "),
        "state": state,
        "cutoff": as_of.year - int(years) - 1 if years is not None else "",
        "as_of": as_of.isoformat(),
    }
    text = prefix + rule.reason.format(**fields)
    return Reason(rule.id, text, rule.citation, "expired" if expired else rule.then["if_protected"])
