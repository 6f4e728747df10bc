"""The generated pages (home, browse, rules, downloads, one per entry and per facet value).

Each page is one raw HTML block (`<div class="generated">…</div>`). The pages
in the nav go to mkdocs as Markdown files; Python-Markdown passes such a block
through untouched, so escaped contributor text is never re-read as Markdown
(`[c](javascript:…)`, `{: onmouseover=…}`). Their titles go to a sidecar JSON
file read by a hook (`site/hooks/generated_pages.py`), never to front matter.
Entry and facet pages are written straight into the site (theme_pages.py).
"""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from registry.read.entries import page_context as entry_page_context
from registry.site import listing, signals_page
from registry.site.charts import bar_chart
from registry.site.downloads import list_exports, snapshot_download
from registry.site.governance import pages as governance_pages
from registry.site.listing import (
    Reused,
    in_order_of,
    listing_order,
    listing_pages,
    listing_paths,
    narrowing_forms,
)
from registry.site.render import CATEGORY_LABELS, render, slugify
from registry.site.theme_pages import block

NO_VALUE = "none stated"

FACETS = [
    ("category", "Category", lambda e: [e["classification"]["category"]]),
    ("license", "Licence", lambda e: e["license_id_list"] or [NO_VALUE]),
    ("modality", "Modality", lambda e: [e["modality"] or NO_VALUE]),
    ("language", "Language", lambda e: e["language_list"] or [NO_VALUE]),
    ("domain", "Domain", lambda e: e["domain_list"] or [NO_VALUE]),
    ("publisher-type", "Publisher type", lambda e: [e["publisher_type"] or NO_VALUE]),
    ("origin", "Checked by", lambda e: [e.get("origin") or "curated"]),
]
# Curated entries were researched and reviewed here; imported records carry the licence their
# uploader declared, unchecked (issue 23).
ORIGIN_LABELS = {"curated": "Curated: reviewed here", "imported": "Imported: declared, unchecked"}


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
            labels = {"category": CATEGORY_LABELS, "origin": ORIGIN_LABELS}.get(key, {})
            shown = labels.get(value, value)
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


def common_context(data: dict, groups: dict, served: bool = True) -> dict:
    """What every generated page is rendered with: entry names, facet pages, the build, and
    whether Datasette is served beside the site (`served`; not on a static host)."""
    return {
        "served": served,
        "names": data["names"],
        "rules_version": _rules_version(data),
        "build": data["build"],
        "facets": {
            key: {v["value"]: v["path"] for v in group["values"]} for key, group in groups.items()
        },
        "decisions": (data.get("governance") or {}).get("decisions") or {},
        # Where Datasette answers, from the site's root (mkdocs.yml's extra.datasette).
        "datasette_root": "../",
    }


def page_common(common: dict) -> dict:
    """What entry and listing pages take of the common context: not every entry's name (an entry
    page gets those it links to) nor the build's time and commit (the home page's), so a page
    depends on nothing that changes with every build (registry/site/reuse.py)."""
    return {key: value for key, value in common.items() if key not in ("names", "build")}


def site_entry_href(entry_id: str) -> str:
    """An entry's page, from another entry page of the site."""
    return f"../entries/{entry_id}.html"


def entry_pages(entries: Iterable[dict], common: dict) -> Iterator[tuple[str, str, str]]:
    """(source path, title, HTML) of every entry's page, from whole entries (data.entry_chunks).

    The site is served at /site/ beside Datasette (commons serve), so `datasette` is the
    site's parent folder."""
    shared = page_common(common)
    for entry in entries:
        context = {**shared, **entry_page_context(entry, common["names"])}
        html = render(
            "entry.html.j2",
            root="../",
            datasette="../../" if common["served"] else None,
            entry_href=site_entry_href,
            **context,
        )
        yield f"entries/{entry['id']}.md", entry["name"] or entry["id"], html


def browse_pages(
    entries: list[dict], groups: dict, common: dict, reused: Reused | None = None
) -> Iterator[tuple[str, str, str]]:
    """(source path, title, HTML) of every page of every facet value's listing, and of all
    entries' (registry.site.listing: paged, sorted by name); a page `reused` takes (it is the
    same as in the previous build) is not rendered."""
    context = {**page_common(common), "root": "../", "narrowing": narrowing_forms(groups)}
    ordered = listing_order(entries)
    order = in_order_of(ordered)
    for group in groups.values():
        for value in group["values"]:
            own = {
                "key": group["key"],
                "group": group["label"],
                "value": value["value"],
                "label": value["label"],
            }
            title = f"{group['label']}: {value['label']}"
            listed = order(value["entries"])
            yield from listing_pages(value["path"], title, listed, own, context, reused)
    yield from listing_pages("browse/all.html", "All entries", ordered, None, context, reused)


def browse_paths(entries: list[dict], groups: dict) -> set[str]:
    """The source paths browse_pages writes, without rendering them."""
    found = set(listing_paths("browse/all.html", len(entries)))
    for group in groups.values():
        for value in group["values"]:
            found.update(listing_paths(value["path"], len(value["entries"])))
    return {path.replace(".html", ".md") for path in found}


def nav_pages(
    data: dict, groups: dict, common: dict, exports_dir: Path | None
) -> list[tuple[str, str, str]]:
    """(source path, title, HTML) of the generated pages the nav links: home, browse, rules..."""
    entries = data["entries"]
    fired = data["fired"]
    known = {rule["id"] for rule in data["rules"]}
    rules = {
        "groups": rule_groups(data["rules"]),
        "engine_steps": sorted(rule for rule in fired if rule not in known),
        "changes": data["rule_changes"],
        "fired": fired,
    }
    home = {"entries": entries, "charts": _charts(entries, common), "groups": groups}
    exports = list_exports(exports_dir)
    governance = [
        (src, title, render(template, root="../", **context, **common))
        for src, template, title, context in governance_pages(
            data.get("governance") or {}, _build_day(data)
        )
    ]
    return governance + [
        ("index.md", "Home", render("home.html.j2", **home, root="", **common)),
        (
            "browse/index.md",
            "Browse",
            render(
                "browse.html.j2",
                groups=groups,
                entries=entries,
                narrowing=narrowing_forms(groups)[None],
                root="../",
                **common,
            ),
        ),
        ("commons-by-default.md", "Commons by default", _commons_page(entries, common)),
        ("rules.md", "Rules", render("rules.html.j2", **rules, root="", **common)),
        signals_page.nav_page(data, common),
        (
            "before-you-sell.md",
            "Before you sell",
            render("sell.html.j2", domains=domain_coverage(groups), root="", **common),
        ),
        (
            "downloads.md",
            "Downloads",
            render(
                "downloads.html.j2",
                exports=exports,
                snapshot=snapshot_download(exports_dir),
                root="",
                **common,
            ),
        ),
    ]


def _unique_sorted(values) -> list:
    """Jinja's `unique|sort`: the first of values equal but for case, sorted case aside."""
    seen, kept = set(), []
    for value in values:
        folded = value.lower() if isinstance(value, str) else value
        if folded not in seen:
            seen.add(folded)
            kept.append(value)
    return sorted(kept, key=lambda v: v.lower() if isinstance(v, str) else v)


def domain_coverage(groups: dict) -> list[dict]:
    """The before-you-sell page's row per domain: entries, commons-by-default entries,
    modalities, languages and three examples (commons-by-default ones first). Counted here in one
    pass per domain (the template's filters took 0.5 s at 26,000 entries)."""
    rows = []
    for d in groups["domain"]["values"]:
        entries = d["entries"]
        cbd = [e for e in entries if e["classification"]["category"] == "commons-by-default"]
        rows.append(
            {
                "path": d["path"],
                "value": d["value"],
                "count": len(entries),
                "commons": len(cbd),
                "modalities": _unique_sorted(e["modality"] for e in entries if e["modality"]),
                "langs": _unique_sorted(lang for e in entries for lang in e["language_list"]),
                "examples": (cbd or entries)[:3],
            }
        )
    return rows


def _commons_page(entries: list[dict], common: dict) -> str:
    """The commons-by-default page: its first page of entries (the category's listing has all),
    and the entries with a date on which they enter the commons."""
    cbd = [e for e in entries if e["classification"]["category"] == "commons-by-default"]
    upcoming = sorted(
        (e for e in entries if e["classification"]["enters_commons_on"]),
        key=lambda e: (e["classification"]["enters_commons_on"], e["id"]),
    )
    page_size = listing.PAGE_SIZE  # read at the call, as listing_pages does: one page size
    return render(
        "commons.html.j2",
        entries=listing_order(cbd)[:page_size],
        total=len(cbd),
        upcoming=upcoming[:page_size],
        upcoming_total=len(upcoming),
        root="",
        **common,
    )


def write_markdown_pages(pages: list[tuple[str, str, str]], docs_dir: Path) -> dict[str, str]:
    """Write pages for mkdocs, each one raw HTML block; return {source path: title}."""
    titles = {}
    for src, title, html in pages:
        path = docs_dir / src
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block(html) + "\n", encoding="utf-8")
        titles[src] = title
    return titles


def _build_day(data: dict) -> datetime.date:
    """The day the registry was built: time left on proposals is counted from it."""
    built = (data.get("build") or {}).get("built_at") or ""
    try:
        return datetime.datetime.fromisoformat(built).date()
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


def _charts(entries: list[dict], common: dict) -> list[str]:
    """The home page's charts; each bar links to the list it counts (a facet page of the site,
    or for licence families, which have none, the catalog table filtered when it is served)."""
    pages = common["facets"]
    found = Counter(e["classification"]["category"] for e in entries)
    order = [c for c in CATEGORY_LABELS if c in found] + sorted(
        c for c in found if c not in CATEGORY_LABELS
    )
    category = Counter({CATEGORY_LABELS.get(c, c): found[c] for c in order})
    category_links = {CATEGORY_LABELS.get(c, c): pages["category"].get(c) for c in order}
    family = Counter(e["classification"]["license_family"] or "unknown" for e in entries)
    family_links = {}
    if common.get("served", True):
        family_links = {f: f"../registry/catalog?license_family={quote(f)}" for f in family}
    modality = Counter(e["modality"] or NO_VALUE for e in entries)
    domain = Counter(d for e in entries for d in (e["domain_list"] or [NO_VALUE]))
    return [
        bar_chart(
            "chart-category",
            "Entries by category",
            category,
            keep_order=True,
            links=category_links,
        ),
        bar_chart("chart-family", "Entries by licence family", family, links=family_links),
        bar_chart("chart-modality", "Entries by modality", modality, links=pages["modality"]),
        bar_chart("chart-domain", "Entries by domain", domain, limit=16, links=pages["domain"]),
    ]


def write_sidecar(titles: dict[str, str], path: Path, passthrough: bool) -> None:
    """generated.json, read by site/hooks/generated_pages.py: titles and the pass-through switch."""
    data = {"titles": titles, "passthrough": passthrough}
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), encoding="utf-8")
