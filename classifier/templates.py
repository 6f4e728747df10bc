"""Contract-template fit: which standard terms (classifier/rules/templates.yaml) suit an entry."""

from __future__ import annotations

from classifier.result import TemplateFit, UseVerdict
from classifier.rules_data import RuleSet

FIT_BY_VERDICT = {
    "allowed": "fits",
    "conditional": "fits-with-conditions",
    "unknown": "unknown",
    "restricted": "does-not-fit",
}


def fit_templates(
    rules: RuleSet, uses: dict[str, UseVerdict], obligations: tuple[str, ...]
) -> tuple[TemplateFit, ...]:
    """Each template's fit: the worst verdict over the uses it needs, or does-not-fit if an
    obligation excludes it."""
    fits = []
    for template in rules.templates:
        blocking = [o for o in template.get("excludes_obligations") or () if o in obligations]
        if blocking:
            fits.append(
                TemplateFit(
                    template["id"],
                    "does-not-fit",
                    f"the licence carries {', '.join(blocking)}, which this template cannot "
                    "accommodate",
                )
            )
            continue
        worst, parts = "allowed", []
        for use, mode in template["requires"].items():
            verdict = getattr(uses[use], mode)
            parts.append(f"{use} ({mode.replace('_', '-')}): {verdict}")
            worst = max(worst, verdict, key=rules.verdict_order.index)
        conditions = sorted({c for use in template["requires"] for c in uses[use].conditions})
        why = "; ".join(parts) + (
            f"; conditions: {', '.join(conditions)}"
            if conditions and worst == "conditional"
            else ""
        )
        fits.append(TemplateFit(template["id"], FIT_BY_VERDICT[worst], why))
    return tuple(fits)
