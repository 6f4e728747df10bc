"""What `commons signals` prints (text or JSON), and the `signals` an entry file keeps."""

from __future__ import annotations

import datetime

from registry.signals.observe import Report
from registry.signals.view import USES

# The longest signal value an entry keeps; a longer one is cut and ends in "...".
MAX_VALUE = 500


def report_json(report: Report) -> dict:
    return {
        "url": report.url,
        "complete": report.complete,
        "observations": [
            {
                "vocabulary": o.vocabulary,
                "value": o.value,
                "source": o.source,
                "observed": o.observed,
                "implies": o.effects,
                "note": o.note,
            }
            for o in report.observations
        ],
        "view": {
            use: {"value": v.value, "conflict": v.conflict, "from": list(v.sources)}
            for use, v in report.view.items()
        },
        "warnings": report.warnings,
    }


def report_text(report: Report) -> str:
    lines = [f"Signals for {report.url}", ""]
    if not report.observations:
        lines.append("  no AI-use signals found")
    for o in report.observations:
        lines.append(f"  {o.vocabulary:<16} {o.value}")
        lines.append(
            f"  {'':<16} source:   {o.source} ({o.note})"
            if o.note
            else f"  {'':<16} source:   {o.source}"
        )
        lines.append(f"  {'':<16} observed: {o.observed}")
        if o.effects:
            lines.append(
                f"  {'':<16} implies:  "
                + ", ".join(f"{use} {value}" for use, value in o.effects.items())
            )
    lines += ["", "Normalised view (any disallow wins; conflicts flagged):"]
    for use in USES:
        verdict = report.view[use]
        flag = "  CONFLICT" if verdict.conflict else ""
        origin = f"  ({', '.join(verdict.sources)})" if verdict.sources else ""
        lines.append(f"  {use:<10} {verdict.value:<9}{flag}{origin}")
    if report.warnings:
        lines += ["", "Warnings:"] + [f"  {w}" for w in report.warnings]
    return "\n".join(lines)


def entry_signals(report: Report, previous: list[dict]) -> list[dict]:
    """Signals for an entry file; a signal seen before keeps its first observed date."""
    earlier = {
        (s.get("vocabulary"), s.get("value"), s.get("source")): s.get("observed")
        for s in previous
        if isinstance(s, dict)
    }
    today = datetime.date.today().isoformat()
    signals, seen = [], set()
    for o in report.observations:
        value = o.value if len(o.value) <= MAX_VALUE else o.value[: MAX_VALUE - 3] + "..."
        key = (o.vocabulary, value, o.source)
        if key in seen:
            continue
        seen.add(key)
        signals.append(
            {
                "vocabulary": o.vocabulary,
                "value": value,
                "source": o.source,
                "observed": earlier.get(key) or today,
            }
        )
    return signals
