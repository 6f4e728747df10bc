"""The works underneath an entry: are they public domain, where, and which of them?

Two kinds of evidence decide: the item dates, read by the term rules per jurisdiction
(classifier/terms.py), and the steward's rights statement, read by the statement rules
(classifier/rules/collections.yaml). A collection whose items straddle a cut-off gets
a split answer (free items, items to check); an institution's determination covers the
items the dates leave open; a packager's claim counts only where no dates are given.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from classifier.outcome import Outcome, evolve, most_restrictive, profile_uses
from classifier.result import Part, Reason
from classifier.rules_data import Rule, RuleSet
from classifier.terms import PlaceResult, WorkFacts, home_places, place_result, places_with_rules

ENGINE_CITATION = "classifier/rules/public-domain.yaml; classifier/rules/collections.yaml"


@dataclass(frozen=True)
class Statement:
    """A steward's statement as its rule reads it."""

    rule: Rule
    outcome: Outcome
    places: tuple[str, ...]  # empty: not stated where
    overrides_dates: bool


def work_facts(entry, assume: dict | None = None) -> WorkFacts:
    items = entry.items_published
    authorship = entry.authorship or (assume or {}).get("authorship")
    return WorkFacts(
        modality=entry.modality,
        authorship=authorship,
        us_renewal=entry.us_renewal.status if entry.us_renewal else None,
        published=items.latest if items else entry.first_published,
        earliest=items.earliest if items else None,
        death=entry.creator_death_year,
        creation=entry.creation_year,
        collection=items is not None,
    )


def statement(rules: RuleSet, given, entry_places: tuple[str, ...]) -> Statement | None:
    """The first statement rule that holds for the entry's rights statement."""
    if given is None:
        return None
    for rule in rules.statement_rules:
        stewards = rule.when.get("steward")
        if given.id not in rule.when["statement"] or (stewards and given.by_type not in stewards):
            continue
        then = rule.then
        places = then["jurisdictions"]
        if places == "stated":
            places = tuple(given.applies_in) or entry_places
        places = tuple(places)
        text = rule.reason.format(by=given.by)
        if given.wording:
            text += f' (its words: "{given.wording}")'
        outcome = Outcome(
            then["category"],
            then["family"],
            tuple(then.get("obligations") or ()),
            profile_uses(rules, then["uses"]),
            (Reason(rule.id, text, f"{rule.citation}; {given.url}", then["category"]),),
            label=f"{given.id} by {given.by}",
            jurisdictions=places,
            confidence=then.get("confidence", "medium"),
            where_unstated=not places,
        )
        return Statement(rule, outcome, places, bool(then["overrides_dates"]))
    return None


def evaluate(
    rules: RuleSet,
    entry,
    as_of: datetime.date,
    claim: Reason,
    label: str,
    assume: dict | None = None,
) -> Outcome:
    """Decide the works of an entry from its dates and its steward's statement."""
    facts = work_facts(entry, assume)
    given = tuple((assume or {}).get("jurisdictions") or entry.jurisdictions)
    said = entry.rights_statement
    key = (id(rules), facts, given, _statement_key(said), as_of, claim, label)
    found = _DECIDED.get(key)
    if found is None:
        if len(_DECIDED) > 50_000:
            _DECIDED.clear()
        _KEEP[id(rules)] = rules  # keeps the id in the key from being reused
        found = _DECIDED[key] = _evaluate(rules, facts, given, said, as_of, claim, label)
    return found


# Entries with the same works facts get the same answer: computing it once keeps a
# 10,000-entry build fast (a collection is checked year by year).
_DECIDED: dict = {}
_KEEP: dict = {}


def _statement_key(said) -> tuple | None:
    if said is None:
        return None
    return (said.id, said.by, said.by_type, said.url, said.wording, tuple(said.applies_in))


def _evaluate(rules, facts, given, said, as_of, claim, label) -> Outcome:
    stated = statement(rules, said, given)
    places = given or (stated.places if stated and stated.places else home_places(rules))
    results = {}
    for place in places_with_rules(rules, places):
        found = place_result(rules, place, facts, as_of)
        if found is not None and not (not given and found.state == "missing"):
            results[place] = found
    outcome = _from_dates(rules, results, facts, claim, label)
    if stated is None:
        return outcome
    return _with_statement(rules, outcome, stated, results, label)


def _split_outcome(rules: RuleSet, reasons, label: str, split: dict, parts, next_date) -> Outcome:
    """Some items' terms have ended and some have not: the collection needs item by item checks."""
    why = Reason(
        "works.split",
        "The items whose term has ended are commons by default; the later items need a check "
        "item by item, so the collection as a whole is not",
        ENGINE_CITATION,
        "split",
    )
    outcome = _public_domain(
        rules,
        "open-use-restricted",
        reasons + (why,),
        label,
        tuple(sorted(split)),
        (),
        parts,
        next_date,
    )
    return evolve(outcome, obligations=("select-items",), uses=profile_uses(rules, "select-items"))


def _from_dates(
    rules: RuleSet, results: dict[str, PlaceResult], facts: WorkFacts, claim: Reason, label: str
) -> Outcome:
    reasons = (claim,) + tuple(r for res in results.values() for r in res.reasons)
    free = tuple(sorted(p for p, res in results.items() if res.state == "free"))
    split = {p: res for p, res in results.items() if res.state == "split"}
    waiting = [res for res in results.values() if res.state in ("protected", "split")]
    next_date = min((r.next_free for r in waiting if r.next_free), default=None)
    parts = tuple(part for res in split.values() for part in _split_parts(res))
    if free:
        notes = tuple(
            f"Still protected in {res.place} until {res.next_free - datetime.timedelta(days=1)}"
            for res in results.values()
            if res.state == "protected" and res.next_free
        )
        return _public_domain(
            rules, "commons-by-default", reasons, label, free, notes, parts, next_date
        )
    if split:
        return _split_outcome(rules, reasons, label, split, parts, next_date)
    if results:
        category = min((res.category for res in results.values()), key=rules.order.index)
        family = "proprietary" if category == "not-commons" else "unknown"
        blocked = "none" if category == "not-commons" else "unknown"
        return Outcome(
            category,
            family,
            (),
            profile_uses(rules, blocked),
            reasons,
            label=label,
            enters_commons_on=next_date,
        )
    missing = (
        "first_published or items_published" if facts.published is None else "creator_death_year"
    )
    why = Reason(
        "pd.no-term-rule",
        f"No item dates are given, so the term rules cannot decide; they would need {missing} "
        "and the jurisdictions the works were assessed for",
        ENGINE_CITATION,
        "undetermined",
    )
    return Outcome(
        "undetermined", "unknown", (), profile_uses(rules, "unknown"), (claim, why), label=label
    )


def _public_domain(rules, category, reasons, label, places, notes, parts, next_date) -> Outcome:
    return Outcome(
        category,
        "public-domain",
        (),
        profile_uses(rules, "open"),
        reasons,
        label=label,
        jurisdictions=places,
        enters_commons_on=next_date,
        notes=notes,
        parts=parts,
    )


def _split_parts(res: PlaceResult) -> tuple[Part, ...]:
    free_scope = (
        f"items first published in or before {res.free_to}"
        if res.free_to is not None
        else "items whose term has ended"
    )
    later = (
        f"items first published {res.free_to + 1}-{res.latest}"
        if res.free_to is not None
        else "the other items"
    )
    return (
        Part(free_scope, "commons-by-default", (res.place,), "their term has ended"),
        Part(
            later,
            "undetermined",
            (res.place,),
            "some may still be protected, others free for lack of a notice or renewal",
        ),
    )


def _with_statement(
    rules: RuleSet, dated: Outcome, stated: Statement, results: dict[str, PlaceResult], label: str
) -> Outcome:
    said = stated.outcome
    if said.category == "undetermined":
        return evolve(dated, reasons=dated.reasons + said.reasons)
    if said.category != "commons-by-default":
        combined = most_restrictive(rules, [dated, said], label, ENGINE_CITATION)
        return evolve(combined, label=label)
    has_dates = {p for p, res in results.items() if res.state != "missing"}
    if stated.overrides_dates:
        covered = stated.places
    else:
        covered = tuple(p for p in stated.places if p not in has_dates)
        if not stated.places and has_dates:
            covered = None  # unstated places: the dates decide wherever they speak
    if covered is None or (stated.places and not covered):
        note = f"{said.reasons[0].text}; the item dates decide where they are given"
        return evolve(dated, notes=dated.notes + (note,))
    return _covered(rules, dated, said, covered, results, label)


def _covered(rules, dated, said, covered, results, label) -> Outcome:
    """The statement counts where it covers; date-free places keep their own answer."""
    free = set(dated.jurisdictions) if dated.category == "commons-by-default" else set()
    places = tuple(sorted(free | set(covered)))
    parts = tuple(p for p in dated.parts if not set(p.jurisdictions) <= set(covered))
    reasons = dated.reasons + said.reasons
    if any(results.get(p) and results[p].state in ("split", "protected") for p in covered):
        reasons += (
            Reason(
                "works.statement-covers-later-items",
                "The steward's determination covers items that the item dates alone leave open",
                ENGINE_CITATION,
                "commons-by-default",
            ),
        )
    only_dates = bool(free) and set(covered) <= free
    return Outcome(
        "commons-by-default",
        "public-domain",
        (),
        said.uses,
        reasons,
        label=label,
        jurisdictions=places,
        notes=dated.notes,
        confidence="high" if only_dates else said.confidence,
        parts=parts,
        where_unstated=not places,
        enters_commons_on=dated.enters_commons_on,
    )
