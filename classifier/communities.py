"""Community decisions (rules/communities.yaml, `community_rules`): a community records,
with evidence of its own process, that its content opts into or out of the commons by
default. Each decision is a rule naming the entries it covers, added by a governance
proposal (classifier/governance/) when a release bundles it.

An opt-out only lowers, like a preference signal. An opt-in stands in for the licence and
basis assessment, and only a community that holds the rights (rights holders, or the
creators together) can make one (checked as the rules are read). Access terms and
preference signals still apply after it.
"""

from __future__ import annotations

from classifier.outcome import Outcome, cap, evolve, profile_uses
from classifier.result import USES, Reason
from classifier.rules_data import RuleSet


def apply(rules: RuleSet, entry, outcome: Outcome) -> Outcome:
    for rule in rules.community_rules:
        if entry.id not in rule.when.get("entries", ()):
            continue
        then = rule.then
        if then["decides"] == "opt-out":
            reason = Reason(rule.id, rule.reason, rule.citation, f"cap:{then['cap']}")
            limits = {use: ("restricted", "restricted") for use in then.get("uses") or USES}
            outcome = cap(rules, outcome, then["cap"], limits, reason)
            continue
        reason = Reason(rule.id, rule.reason, rule.citation, f"category:{then['category']}")
        outcome = evolve(
            outcome,
            category=then["category"],
            family=then["family"],
            obligations=tuple(then.get("obligations") or ()),
            uses=profile_uses(rules, then["uses"]),
            reasons=outcome.reasons + (reason,),
            jurisdictions=(),
            enters_commons_on=None,
            parts=(),
            where_unstated=False,
            confidence=then.get("confidence", "high"),
        )
    return outcome
