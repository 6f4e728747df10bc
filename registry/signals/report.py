"""What `commons signals` prints (text or JSON), and the `signals` an entry file keeps."""

from __future__ import annotations

import datetime

from registry.signals.clean import visible_lines
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
    """The report for a terminal: every line is passed through clean.visible once more."""
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
    return visible_lines("\n".join(lines))


def entry_signals(report: Report, previous: list[dict]) -> tuple[list[dict], list[str]]:
    """Signals for an entry file, and why any observation was not kept.

    A signal seen before keeps its first observed date. Each signal is checked against the
    entry schema's Signal model: one that would not validate (an empty value, a source URL the
    schema refuses) is left out with a reason, so the rewritten entry file always validates.
    """
    from pydantic import ValidationError

    from registry.entry.schema import Signal

    earlier = {
        (s.get("vocabulary"), s.get("value"), s.get("source")): s.get("observed")
        for s in previous
        if isinstance(s, dict)
    }
    today = datetime.date.today().isoformat()
    signals, refused, seen = [], [], set()
    for o in report.observations:
        value = o.value if len(o.value) <= MAX_VALUE else o.value[: MAX_VALUE - 3] + "..."
        key = (o.vocabulary, value, o.source)
        if key in seen:
            continue
        seen.add(key)
        signal = {
            "vocabulary": o.vocabulary,
            "value": value,
            "source": o.source,
            "observed": earlier.get(key) or today,
        }
        try:
            Signal.model_validate(signal)
        except ValidationError as error:
            problem = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()
            )
            refused.append(f"{o.vocabulary} signal from {o.source} not kept ({problem})")
            continue
        signals.append(signal)
    return signals, refused
