"""Static, accessible SVG bar charts, drawn at build time (no JavaScript).

Each chart carries `role="img"`, a `<title>` and `<desc>` referenced by
`aria-labelledby`, and a text label and count on every bar, so it reads the
same to a screen reader as to the eye. Labels are escaped by Jinja. Bars that link
to the list they count are links named by their label and count, inside a group
rather than an image (an image's content is not reachable).
"""

from __future__ import annotations

from collections import Counter

from registry.site.render import render

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
BAR_WIDTH = 300


def bar_chart(
    chart_id: str,
    title: str,
    counts: Counter,
    limit: int = 12,
    keep_order: bool = False,
    links: dict | None = None,
) -> str:
    """A captioned SVG chart of the `limit` largest counts (the rest summed as "other"); a bar
    whose label has an address in `links` (relative to the site's root) links to it."""
    links = links or {}
    items = list(counts.items()) if keep_order else counts.most_common()
    if len(items) > limit:
        rest = sum(count for _, count in items[limit - 1 :])
        items = items[: limit - 1] + [("other", rest)]
    biggest = max((count for _, count in items), default=1) or 1
    bars = [
        {
            "label": str(label),
            "count": count,
            "y": index * (BAR_HEIGHT + GAP),
            "width": max(2, round(BAR_WIDTH * count / biggest)),
            "href": links.get(label),
        }
        for index, (label, count) in enumerate(items)
    ]
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP)
    summary = ", ".join(f"{bar['label']}: {bar['count']}" for bar in bars) or "no entries"
    return render(
        "chart.html.j2",
        chart_id=chart_id,
        title=title,
        summary=summary,
        bars=bars,
        height=height,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        bar_height=BAR_HEIGHT,
        linked=any(bar["href"] for bar in bars),
    )
