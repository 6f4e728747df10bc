"""A link check's results as text for people and as Markdown for pull-request comments."""

from __future__ import annotations

import re

from registry.net.links import DEAD, MOVED, OK, WARNING, LinkResult

ORDER = {DEAD: 0, WARNING: 1, MOVED: 2, OK: 3}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _md(text: str) -> str:
    """Contributor text made inert in Markdown: no links, images, HTML or table breaks."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " ").replace("\r", " "))


def _summary(results: list[LinkResult]) -> dict[str, int]:
    counts = {DEAD: 0, MOVED: 0, WARNING: 0, OK: 0}
    for result in results:
        counts[result.outcome] += 1
    return counts


def render_text(results: list[LinkResult]) -> str:
    lines = []
    for result in sorted(results, key=lambda r: (ORDER[r.outcome], r.url)):
        if result.outcome == OK:
            continue
        for use in result.uses:
            lines.append(
                f"{use.path}: {use.field}: {result.outcome}: {result.url} ({result.detail})"
            )
    counts = _summary(results)
    lines.append(
        f"{len(results)} links checked: {counts[OK]} ok, {counts[MOVED]} moved, "
        f"{counts[WARNING]} warnings, {counts[DEAD]} dead"
    )
    return "\n".join(lines)


def render_markdown(results: list[LinkResult]) -> str:
    counts = _summary(results)
    lines = [
        "### Link check",
        "",
        f"{len(results)} links checked: {counts[OK]} ok, {counts[MOVED]} moved, "
        f"{counts[WARNING]} warnings, {counts[DEAD]} dead.",
        "",
    ]
    problems = [
        r for r in sorted(results, key=lambda r: (ORDER[r.outcome], r.url)) if r.outcome != OK
    ]
    if problems:
        lines += ["| entry | field | outcome | URL | detail |", "|---|---|---|---|---|"]
        for result in problems:
            for use in result.uses:
                lines.append(
                    f"| {_md(use.entry_id)} | {_md(use.field)} | {result.outcome} | "
                    f"{_md(result.url)} | {_md(result.detail)} |"
                )
        lines += [
            "",
            "Dead links are warnings on pull requests; a third party's outage never fails a PR.",
        ]
    return "\n".join(lines)
