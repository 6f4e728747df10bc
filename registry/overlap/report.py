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
    lines = [
        _wrap(verdict["sentence"], ""),
        _wrap(f"What {verdict['level']} means: {verdict['meaning']}", ""),
        _wrap(f"Next step: {verdict['next_step']}", ""),
        "",
    ]
    if result["matches"]:
        lines.append(f"Closest commons datasets ({result['catalog']['entries']:,} in the catalog):")
        for n, match in enumerate(result["matches"], 1):
            licence = " / ".join(match["licenses"]) or "licence not recorded"
            category = CATEGORY_LABELS.get(match["category"], match["category"])
            lines.append("")
            lines.append(f"{n:>2}. {match['name']} [{match['id']}]")
            lines.append(
                f"    match strength {match['score']:.2f} ({match['level']}) · {category} · "
                f"{licence} · {match['modality'] or 'modality not stated'}"
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
    lines += _content(result.get("content"))
    lines.append("")
    lines.append("What this check cannot see:")
    for caveat in verdict["caveats"]:
        lines.append(_wrap("- " + caveat, "  "))
    return "\n".join(lines) + "\n"


def _content(content: dict | None) -> list[str]:
    """Share of the sample's documents inside each entry's indexed content, with examples."""
    if not content:
        return []
    lines = [
        "",
        f"Your sample's documents inside commons content: {content['contained']:,} of "
        f"{content['documents']:,} ({content['contained'] / max(1, content['documents']):.1%})",
    ]
    for entry in content["entries"]:
        licence = " / ".join(entry["licenses"]) or "licence not recorded"
        category = CATEGORY_LABELS.get(entry["category"], entry["category"])
        signals = ", ".join(entry["signals"]) or "no AI-use signals recorded"
        lines.append(
            f"  {entry['name']} [{entry['id']}]: {entry['documents']:,} documents "
            f"({entry['share']:.1%}) · {category} · {licence} · {signals}"
        )
        for example in entry["examples"]:
            lines.append(
                _wrap(
                    f"- {example['your_document']} ({example['contained']:.0%} inside "
                    f'{example["their_document"]}, {example["how"]}): "{example["your_passage"]}"',
                    "    ",
                )
            )
    return lines
