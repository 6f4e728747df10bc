"""The site benchmark's floor: the same pages as `commons site`, as a plain Jinja render.

One process reads the tables (registry.site.data: each once, entries a chunk at
a time, as the site does), renders every page with
the site's own templates (registry.site.generate), puts each in a plain Jinja
copy of the theme's layout and writes it. No mkdocs, no hand-written pages, no
search index: what a hand-rolled static generator costs for the same pages.

    python -m scripts.benchmarks.site_floor registry.db out/
"""

from __future__ import annotations

import sys
from itertools import chain
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from registry.site.data import entry_chunks, read_site_data
from registry.site.generate import (
    browse_pages,
    common_context,
    entry_pages,
    facet_groups,
    nav_pages,
)

LAYOUT = Environment(autoescape=True).from_string(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Commons '
    'Registry</title><link rel="stylesheet" href="{{ root }}css/site.css"></head><body>'
    '<header><a href="{{ root }}index.html">Commons Registry</a><nav><ul>{% for name, url in nav %}'
    '<li><a href="{{ root }}{{ url }}">{{ name }}</a></li>{% endfor %}</ul></nav></header>'
    '<main id="content">{{ body }}</main></body></html>'
)
NAV = [
    ("Home", "index.html"),
    ("Browse", "browse/index.html"),
    ("Commons by default", "commons-by-default.html"),
    ("Rules", "rules.html"),
    ("Before you sell", "before-you-sell.html"),
    ("Downloads", "downloads.html"),
]


def render_site(db: Path, out: Path) -> int:
    """Write every generated page of the site for `db` under `out`; returns the page count."""
    data = read_site_data(db)
    groups = facet_groups(data["entries"])
    common = common_context(data, groups)
    pages = chain(
        nav_pages(data, groups, common, None),
        (page for chunk in entry_chunks(db) for page in entry_pages(chunk, common)),
        browse_pages(data["entries"], groups, common),
    )
    count = 0
    for src, title, html in pages:
        path = out / (src[: -len(".md")] + ".html")
        path.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * src.count("/")
        path.write_text(
            LAYOUT.render(title=title, root=root, nav=NAV, body=Markup(html)), encoding="utf-8"
        )
        count += 1
    return count


if __name__ == "__main__":
    print(render_site(Path(sys.argv[1]), Path(sys.argv[2])))
