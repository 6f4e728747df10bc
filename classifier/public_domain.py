"""Public-domain terms: has the copyright term expired, per jurisdiction, as of a date?

Terms run to the end of the calendar year, so a work becomes free on 1 January
of the year after its term ends. Cut-offs are derived from the as-of date
(`as_of.year - years - 1`), never stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from classifier.outcome import Outcome, profile_uses
from classifier.result import Reason
from classifier.rules_data import Rule, RuleSet


@dataclass(frozen=True)
class TermResult:
    """One term rule evaluated for one jurisdiction."""

    rule: Rule
    jurisdiction: str
    free_from: datetime.date | None  # None: the date needed is unknown
    year: int | None

    def expired(self, as_of: datetime.date) -> bool:
        return self.free_from is not None and self.free_from <= as_of


def free_from(rule: Rule, year: int) -> datetime.date | None:
    """The day a work (published, or whose author died, in `year`) enters the public domain."""
    then = rule.then
    if "table" in then:
        for row in then["table"]:
            if row.get("published_from", -10_000) <= year <= row.get("published_to", 10_000):
                if "free_from" in row:
                    return datetime.date.fromisoformat(str(row["free_from"]))
                return datetime.date(year + int(row["years"]) + 1, 1, 1)
        return None
    years = int(then["years"])
    grandfathered = then.get("not_retroactive")
    if grandfathered and year <= int(grandfathered["died_on_or_before"]):
        years = int(grandfathered["years"])
    return datetime.date(year + years + 1, 1, 1)


def cutoff(rule: Rule, as_of: datetime.date) -> int | None:
    """The latest year that is free as of `as_of` (for the reason text); None for tables."""
    if "years" not in rule.then:
        return None
    return as_of.year - int(rule.then["years"]) - 1


def applicable(
    rules: RuleSet, modality: str, jurisdictions: tuple[str, ...]
) -> list[tuple[Rule, str]]:
    """(rule, jurisdiction) pairs to evaluate: the entry's jurisdictions, or every rule when none
    are given."""
    pairs = []
    for rule in rules.term_rules:
        when = rule.when
        if "modality" in when and modality not in when["modality"]:
            continue
        if "modality_not" in when and modality in when["modality_not"]:
            continue
        places = when["jurisdictions"]
        if jurisdictions:
            pairs.extend((rule, j) for j in jurisdictions if j in places)
        else:
            pairs.append((rule, places[0]))
    return pairs


def evaluate(
    rules: RuleSet,
    claim: Rule,
    licence_id: str,
    *,
    modality: str,
    jurisdictions: tuple[str, ...],
    first_published: int | None,
    death_year: int | None,
    as_of: datetime.date,
) -> Outcome:
    """Decide a public-domain claim from the term rules; the result holds where the term expired."""
    then = claim.then
    uses = profile_uses(rules, then["uses"])
    claim_reason = Reason(
        claim.id, claim.reason.format(license=licence_id), claim.citation, "evaluate"
    )
    results: list[TermResult] = []
    for rule, place in applicable(rules, modality, jurisdictions):
        year = first_published if rule.when["basis"] == "publication" else death_year
        results.append(
            TermResult(rule, place, free_from(rule, year) if year is not None else None, year)
        )
    if not results:
        covered = ", ".join(jurisdictions) or "any jurisdiction"
        reason = Reason(
            "pd.no-term-rule",
            f"No public-domain term rule covers {covered}; the claim cannot be checked",
            "classifier/rules/public-domain.yaml",
            "undetermined",
        )
        return Outcome(
            "undetermined",
            "unknown",
            (),
            profile_uses(rules, "unknown"),
            (claim_reason, reason),
            label=licence_id,
        )
    reasons = [claim_reason]
    for result in results:
        reasons.append(_reason(result, as_of))
    free = [r for r in results if r.expired(as_of)]
    pending = [r for r in results if r.free_from is not None and not r.expired(as_of)]
    next_date = min((r.free_from for r in pending), default=None)
    if free:
        places = tuple(sorted({r.jurisdiction for r in free}))
        notes = tuple(
            f"Still protected in {r.jurisdiction} until {r.free_from - datetime.timedelta(days=1)}"
            for r in pending
        )
        return Outcome(
            "commons-by-default",
            then["family"],
            tuple(then.get("obligations") or ()),
            uses,
            tuple(reasons),
            label=licence_id,
            jurisdictions=places,
            enters_commons_on=next_date,
            notes=notes,
        )
    if pending:
        order = rules.order
        category = min((r.rule.then["if_protected"] for r in pending), key=order.index)
        blocked = profile_uses(rules, "none" if category == "not-commons" else "unknown")
        return Outcome(
            category,
            then["family"],
            (),
            blocked,
            tuple(reasons),
            label=licence_id,
            enters_commons_on=next_date,
        )
    return Outcome(
        "undetermined",
        then["family"],
        (),
        profile_uses(rules, "unknown"),
        tuple(reasons),
        label=licence_id,
    )


def _reason(result: TermResult, as_of: datetime.date) -> Reason:
    rule = result.rule
    if result.free_from is None:
        needed = "first_published" if rule.when["basis"] == "publication" else "creator_death_year"
        text = f"{result.jurisdiction}: {rule.id} needs {needed}, which the entry does not give"
        return Reason(rule.id, text, rule.citation, "unknown")
    expired = result.expired(as_of)
    state = (
        f"ended; free since {result.free_from}"
        if expired
        else f"runs until {result.free_from - datetime.timedelta(days=1)}; free from "
        f"{result.free_from}"
    )
    fields = {
        "year": result.year,
        "state": state,
        "cutoff": cutoff(rule, as_of),
        "as_of": as_of.isoformat(),
    }
    text = rule.reason.format(**fields)
    if len(rule.when["jurisdictions"]) > 1 and not text.startswith(result.jurisdiction):
        text = f"[{result.jurisdiction}] {text}"
    return Reason(rule.id, text, rule.citation, "expired" if expired else rule.then["if_protected"])
