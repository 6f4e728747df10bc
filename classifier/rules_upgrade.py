"""Reading rule files written for an earlier rules format, so that `commons classify
--diff REV` can compare any committed revision with the working tree using the current
engine. Each step rewrites an old shape into today's; files already in today's shape
pass through unchanged.
"""

from __future__ import annotations

import copy


def upgrade(data: dict) -> dict:
    """Merged top-level rule data, rewritten to the current format."""
    data = copy.deepcopy(data)
    for rule in data.get("term_rules") or []:
        if isinstance(rule, dict):
            _term_rule(rule)
    for rule in data.get("signal_rules") or []:
        when = rule.get("when") if isinstance(rule, dict) else None
        if isinstance(when, dict) and isinstance(when.get("vocabulary"), str):
            when["vocabulary"] = [when["vocabulary"]]  # before 2026.3: one vocabulary per rule
    return data


def _term_rule(rule: dict) -> None:
    """Before 2026.3: `basis` was a condition, tables keyed rows by published_from/_to, and
    `not_retroactive` gave a shorter term for deaths up to a year."""
    when, then = rule.get("when"), rule.get("then")
    if not isinstance(when, dict) or not isinstance(then, dict):
        return
    if "basis" in when:
        then.setdefault("basis", when.pop("basis"))
    for row in then.get("table") or []:
        if isinstance(row, dict):
            if "published_from" in row:
                row["from"] = row.pop("published_from")
            if "published_to" in row:
                row["to"] = row.pop("published_to")
    old = then.pop("not_retroactive", None)
    if isinstance(old, dict) and "years" in then:
        last = int(old["died_on_or_before"])
        then["table"] = [
            {"to": last, "years": int(old["years"])},
            {"from": last + 1, "years": int(then.pop("years"))},
        ]
