"""Write the generated pages (home, entries, browse, rules, downloads) as Markdown files.

Each page is one raw HTML block (`<div class="generated">…</div>`). Python-Markdown,
which mkdocs runs over every page, passes such a block through untouched, so
escaped contributor text is never re-read as Markdown (`[c](javascript:…)`,
`{: onmouseover=…}`). Page titles go to a sidecar JSON file read by a hook
(`site/hooks/generated_pages.py`), never to front matter.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from pathlib import Path

from registry.site import signals_page
from registry.site.charts import bar_chart
from registry.site.downloads import list_exports
from registry.site.governance import pages as governance_pages
from registry.site.render import CATEGORY_LABELS, render, slugify

EDIT_URL = "https://github.com/commons-registry/commons-registry/edit/main/entries/{id}.yaml"
NO_VALUE = "none stated"

FACETS = [
    ("category", "Category", lambda e: [e["classification"]["category"]]),
    ("license", "Licence", lambda e: e["license_id_list"] or [NO_VALUE]),
    ("modality", "Modality", lambda e: [e["modality"] or NO_VALUE]),
    ("language", "Language", lambda e: e["language_list"] or [NO_VALUE]),
    ("domain", "Domain", lambda e: e["domain_list"] or [NO_VALUE]),
    ("publisher-type", "Publisher type", lambda e: [e["publisher_type"] or NO_VALUE]),
]


def facet_groups(entries: list[dict]) -> dict[str, dict]:
    """facet key → {label, values: [{value, slug, entries}]} with unique slugs per facet."""
    groups = {}
    for key, label, values_of in FACETS:
        by_value: dict[str, list[dict]] = defaultdict(list)
        for entry in entries:
            for value in dict.fromkeys(values_of(entry)):
                by_value[str(value)].append(entry)
        values, used = [], set()
        for value in sorted(by_value, key=lambda v: (-len(by_value[v]), v)):
            slug = base = slugify(value)
            counter = 2
            while slug in used:
                slug, counter = f"{base}-{counter}", counter + 1
            used.add(slug)
            shown = CATEGORY_LABELS.get(value, value) if key == "category" else value
            values.append(
                {
                    "value": value,
                    "label": shown,
                    "slug": slug,
                    "entries": by_value[value],
                    "path": f"browse/{key}-{slug}.html",
                }
            )
        groups[key] = {"key": key, "label": label, "values": values}
    return groups


def _write(docs_dir: Path, src: str, html: str, titles: dict, title: str) -> None:
    path = docs_dir / src
    path.parent.mkdir(parents=True, exist_ok=True)
    # Python-Markdown expands tabs (tab_length 4); doing it here keeps the block byte-identical.
    path.write_text(f'<div class="generated">\n{html.expandtabs(4)}\n</div>\n', encoding="utf-8")
    titles[src] = title


SEARCH_DESCRIPTION_CHARS = 600


def search_text(entry: dict) -> str:
    """What the search index holds for an entry: the facts people search by, not the whole page."""
    c = entry["classification"]
    parts = [
        entry["summary"],
        CATEGORY_LABELS.get(c["category"], c["category"]),
        " ".join(licence["expression"] for licence in entry["licenses"]),
        entry["publisher_name"],
        entry["modality"],
        " ".join(entry["domain_list"]),
        " ".join(entry["language_list"]),
        " ".join(a["alias"] for a in entry["aliases"]),
        (entry["description"] or "")[:SEARCH_DESCRIPTION_CHARS],
    ]
    return " · ".join(str(part) for part in parts if part)


def generate_pages(data: dict, docs_dir: Path, exports_dir: Path | None = None) -> dict[str, str]:
    """Write every generated page under docs_dir; return {source path: plain title}."""
    entries, names = data["entries"], data["names"]
    titles: dict[str, str] = {}
    groups = facet_groups(entries)
    rules_version = _rules_version(data)
    facets = {
        key: {v["value"]: v["path"] for v in group["values"]} for key, group in groups.items()
    }
    governance = data.get("governance") or {}
    common = {
        "names": names,
        "rules_version": rules_version,
        "build": data["build"],
        "facets": facets,
        "decisions": governance.get("decisions") or {},
    }

    for entry in entries:
        html = render(
            "entry.html.j2",
            e=entry,
            c=entry["classification"],
            edit_url=EDIT_URL.format(id=entry["id"]),
            root="../",
            **common,
        )
        _write(docs_dir, f"entries/{entry['id']}.md", html, titles, entry["name"] or entry["id"])

    for group in groups.values():
        for value in group["values"]:
            html = render("facet.html.j2", group=group, value=value, root="../", **common)
            _write(
                docs_dir,
                value["path"].replace(".html", ".md"),
                html,
                titles,
                f"{group['label']}: {value['label']}",
            )
    _write(
        docs_dir,
        "browse/index.md",
        render("browse.html.j2", groups=groups, entries=entries, root="../", **common),
        titles,
        "Browse",
    )
    _write(
        docs_dir,
        "browse/all.md",
        render("all.html.j2", entries=entries, root="../", **common),
        titles,
        "All entries",
    )

    cbd = [e for e in entries if e["classification"]["category"] == "commons-by-default"]
    upcoming = sorted(
        (e for e in entries if e["classification"]["enters_commons_on"]),
        key=lambda e: (e["classification"]["enters_commons_on"], e["id"]),
    )
    _write(
        docs_dir,
        "commons-by-default.md",
        render("commons.html.j2", entries=cbd, upcoming=upcoming, root="", **common),
        titles,
        "Commons by default",
    )

    charts = _charts(entries)
    _write(
        docs_dir,
        "index.md",
        render("home.html.j2", entries=entries, charts=charts, groups=groups, root="", **common),
        titles,
        "Home",
    )
    fired = Counter(reason["rule"] for e in entries for reason in e["reasons"])
    known = {rule["id"] for rule in data["rules"]}
    engine_steps = sorted(rule for rule in fired if rule not in known)
    _write(
        docs_dir,
        "rules.md",
        render(
            "rules.html.j2",
            groups=rule_groups(data["rules"]),
            engine_steps=engine_steps,
            changes=data["rule_changes"],
            fired=fired,
            root="",
            **common,
        ),
        titles,
        "Rules",
    )
    today = _build_day(data)
    for src, template, title, context in governance_pages(governance, today):
        _write(docs_dir, src, render(template, root="../", **context, **common), titles, title)
    _write(
        docs_dir,
        "signals.md",
        render(
            "signals.html.j2",
            page=signals_page.page_data(data),
            entries=entries,
            as_of=(data.get("build") or {}).get("built_at", "")[:10],
            feeds_url="../exports/feeds/signals.atom",
            root="",
            **common,
        ),
        titles,
        "AI-use signals of the sources",
    )
    _write(
        docs_dir,
        "before-you-sell.md",
        render("sell.html.j2", domains=groups["domain"]["values"], root="", **common),
        titles,
        "Before you sell",
    )
    _write(
        docs_dir,
        "downloads.md",
        render("downloads.html.j2", exports=list_exports(exports_dir), root="", **common),
        titles,
        "Downloads",
    )
    return titles


def _build_day(data: dict) -> datetime.date:
    """The day the registry was built: time left on proposals is counted from it."""
    built = (data.get("build") or {}).get("built_at") or ""
    try:
        return datetime.date.fromisoformat(built[:10])
    except ValueError:
        return datetime.date.today()


def rule_groups(rules: list[dict]) -> list[dict]:
    """Rules grouped by kind (or by file when there is no kind), each with its effect as key/value
    pairs."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for rule in rules:
        name = rule.get("kind") or Path(rule.get("file") or "other").stem
        groups[str(name)].append({**rule, "effect_items": effect_items(rule.get("effect"))})
    return [{"name": name, "rules": groups[name]} for name in sorted(groups)]


def effect_items(effect: str | None) -> list[tuple[str, str]]:
    """A rule's effect (JSON in the database) as readable key/value pairs."""
    if not effect:
        return []
    try:
        value = json.loads(effect)
    except ValueError:
        return [("effect", effect)]
    if not isinstance(value, dict):
        return [("effect", effect if isinstance(value, str) else json.dumps(value))]
    items = []
    for key, item in value.items():
        if isinstance(item, list) and all(isinstance(x, (str, int, float)) for x in item):
            text = ", ".join(map(str, item)) or "none"
        elif isinstance(item, (dict, list)):
            text = json.dumps(item, ensure_ascii=False)
        else:
            text = str(item)
        items.append((str(key).replace("_", " "), text))
    return items


def _rules_version(data: dict) -> str | None:
    if data["build"] and data["build"].get("rules_version"):
        return data["build"]["rules_version"]
    if data["rule_changes"]:
        return data["rule_changes"][0]["version"]
    return None


def _charts(entries: list[dict]) -> list[str]:
    found = Counter(e["classification"]["category"] for e in entries)
    order = [c for c in CATEGORY_LABELS if c in found] + sorted(
        c for c in found if c not in CATEGORY_LABELS
    )
    category = Counter({CATEGORY_LABELS.get(c, c): found[c] for c in order})
    family = Counter(e["classification"]["license_family"] or "unknown" for e in entries)
    modality = Counter(e["modality"] or NO_VALUE for e in entries)
    domain = Counter(d for e in entries for d in (e["domain_list"] or [NO_VALUE]))
    return [
        bar_chart("chart-category", "Entries by category", category, keep_order=True),
        bar_chart("chart-family", "Entries by licence family", family),
        bar_chart("chart-modality", "Entries by modality", modality),
        bar_chart("chart-domain", "Entries by domain", domain, limit=16),
    ]


def write_sidecar(
    titles: dict[str, str], search: dict[str, str], path: Path, passthrough: bool
) -> None:
    """generated.json, read by site/hooks/generated_pages.py: titles, search texts, the pass-through
    switch."""
    data = {"titles": titles, "search": search, "passthrough": passthrough}
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
