"""Plain-text rendering of a check result for the terminal."""

from __future__ import annotations

import textwrap

CATEGORY_LABELS = {
    "commons-by-default": "commons by default",
    "open-use-restricted": "open, use restricted",
    "not-commons": "not commons",
    "undetermined": "undetermined",
}


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=88, initial_indent=indent, subsequent_indent=indent + "  ")


def render_text(result: dict) -> str:
    verdict = result["verdict"]
    lines = [_wrap(verdict["sentence"], ""), ""]
    if result["matches"]:
        lines.append(f"Closest commons datasets ({result['catalog']['entries']:,} in the catalog):")
        for n, match in enumerate(result["matches"], 1):
            licence = " / ".join(match["licenses"]) or "licence not recorded"
            category = CATEGORY_LABELS.get(match["category"], match["category"])
            lines.append("")
            lines.append(f"{n:>2}. {match['name']} [{match['id']}]")
            lines.append(
                f"    score {match['score']:.2f} ({match['level']}) · {category} · {licence} · "
                f"{match['modality']}"
            )
            c = match["components"]
            parts = [
                f"text {c['text']['score']:.2f}",
                f"sources {c['sources']['score']:.2f}",
                f"lineage {c['lineage']['score']:.2f}",
            ]
            if c.get("content"):
                parts.append(f"content {c['content']['score']:.2f}")
            if c.get("agreement"):
                parts.append(f"agreement {c['agreement']['score']:.2f}")
            lines.append("    components: " + ", ".join(parts))
            for reason in match["why"]:
                lines.append(_wrap("- " + reason, "    "))
    lines.append("")
    lines.append("What this check cannot see:")
    for caveat in verdict["caveats"]:
        lines.append(_wrap("- " + caveat, "  "))
    return "\n".join(lines) + "\n"
