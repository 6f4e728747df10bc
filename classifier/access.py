"""Access terms: terms of service, API terms and download agreements that a user
accepts to obtain the data (an entry's `access_terms`), decided by
classifier/rules/access.yaml.

They are contracts, not licences. Terms that every copy comes with lower the whole
entry and the uses they restrict; terms that govern one route only (other copies can
be obtained without them) give those copies their own part and a note.
"""

from __future__ import annotations

from classifier.outcome import Outcome, cap, evolve
from classifier.result import Part, Reason
from classifier.rules_data import RuleSet


def apply(rules: RuleSet, outcome: Outcome, terms) -> Outcome:
    for accepted in terms:
        rule = next(
            (r for r in rules.access_rules if r.when["other_routes"] == accepted.other_routes),
            None,
        )
        if rule is None:
            outcome = evolve(
                outcome, notes=outcome.notes + (f"No access rule covers {accepted.name}",)
            )
            continue
        uses = ", ".join(accepted.restricts) + (
            " for commercial use" if accepted.commercial_only else ""
        )
        route = accepted.route or f"copies obtained under {accepted.name}"
        text = rule.reason.format(name=accepted.name, uses=uses, route=route)
        if accepted.note:
            text += f". Note: {accepted.note}"
        citation = f"{rule.citation}; {accepted.url}" if accepted.url else rule.citation
        reason = Reason(rule.id, text, citation, _effect(rule))
        restricted = ("restricted", None if accepted.commercial_only else "restricted")
        if "cap" in rule.then:
            limits = {use: _pair(outcome.uses[use], restricted) for use in accepted.restricts}
            outcome = cap(rules, outcome, rule.then["cap"], limits, reason)
            outcome = evolve(outcome, obligations=_add(outcome.obligations, "accept-access-terms"))
        else:
            part = Part(
                route,
                rule.then["part"],
                outcome.jurisdictions,
                f"{accepted.name} restrict {uses}",
            )
            outcome = evolve(
                outcome, reasons=outcome.reasons + (reason,), parts=outcome.parts + (part,)
            )
    return outcome


def _effect(rule) -> str:
    key, value = next(iter(rule.then.items()))
    return f"{key}:{value}"


def _pair(current: tuple[str, str], restricted: tuple) -> tuple[str, str]:
    return tuple(new or old for old, new in zip(current, restricted, strict=True))


def _add(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return values if value in values else values + (value,)
