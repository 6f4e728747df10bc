"""Readable renderings of a Classification: one line per entry, and a full explanation."""

from __future__ import annotations

from classifier.result import Classification


def one_line(result: Classification) -> str:
    uses = " ".join(f"{use}={v.commercial}/{v.non_commercial}" for use, v in result.uses.items())
    where = f" [{', '.join(result.jurisdictions)}]" if result.jurisdictions else ""
    if not where and result.where not in ("", "anywhere"):
        where = " [where: not stated]"
    return f"{result.entry_id}: {result.category}{where} ({result.license_family}) {uses}"


def explanation(result: Classification, expressions: list[str]) -> str:
    """A full, plain-text explanation: what the entry is, why, and under which rules version."""
    lines = [f"{result.entry_id}: {result.category}"]
    if result.plain:
        lines.append(f"  in plain words: {result.plain}")
    lines.append(f"  licences: {'; '.join(expressions)}")
    lines.append(f"  family: {result.license_family}    confidence: {result.confidence}")
    if result.where:
        lines.append(f"  holds: {result.where}")
    for part in result.parts:
        where = f" [{', '.join(part.jurisdictions)}]" if part.jurisdictions else ""
        lines.append(f"  part: {part.scope}: {part.category}{where}")
    lines.append(f"  obligations: {', '.join(result.obligations) or 'none'}")
    if result.enters_commons_on:
        lines.append(f"  enters the commons on: {result.enters_commons_on.isoformat()}")
    lines.append("  uses (commercial / non-commercial):")
    for use, verdict in result.uses.items():
        conditions = (
            f"  [conditions: {', '.join(verdict.conditions)}]" if verdict.conditions else ""
        )
        lines.append(f"    {use:<11} {verdict.commercial} / {verdict.non_commercial}{conditions}")
    lines.append("  contract templates:")
    for fit in result.templates:
        lines.append(f"    {fit.template:<29} {fit.fit}: {fit.why}")
    lines.append("  why:")
    for number, reason in enumerate(result.reasons, 1):
        lines.append(f"    {number}. [{reason.rule}] {reason.text}")
        lines.append(f"       source: {reason.citation}")
    for conflict in result.conflicts:
        lines.append(f"  conflict: {conflict}")
    for note in result.notes:
        lines.append(f"  note: {note}")
    lines.append(f"  rules version {result.rules_version}, as of {result.as_of.isoformat()}")
    return "\n".join(lines)
