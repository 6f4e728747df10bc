"""The site's listing pages: every entry, and the entries of each facet value, paged and sorted.

A listing at 100,000 entries was one 42 MB page (facet pages 23-25 MB): each is
now pages of PAGE_SIZE entries sorted by name, with a pager, and a form that
hands the listing over to Datasette's catalog table with the page's filter
preset, to narrow it by more facets or sort it another way (`/-/browse`,
registry/datasette/plugins/browse_handoff.py). A column the page's own filter
decides (the category on a category's page) is left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from markupsafe import Markup

from registry.site.render import render

PAGE_SIZE = 100
# Values offered per facet in the narrowing form (most entries first); the catalog table has all.
FORM_VALUES = 40
# The listing columns a facet page leaves out: its own filter decides them.
OWN_COLUMN = {"category": "category", "license": "licence", "modality": "modality"}
COLUMNS = ["category", "licence", "duties", "modality", "summary"]
# Told a page's output path and what it is drawn with besides the shared context; True when the
# page is the previous build's and need not be rendered (registry/site/reuse.py).
Reused = Callable[[str, dict], bool]


def listing_order(entries: list[dict]) -> list[dict]:
    """Entries as listings show them: by name, case and accents aside, then id."""
    return sorted(entries, key=lambda e: ((e["name"] or e["id"]).casefold(), e["id"]))


def in_order_of(ordered: list[dict]) -> Callable[[list[dict]], list[dict]]:
    """Sorts a subset of `ordered` (a listing_order) the same way, by position: the names are
    compared once for the whole catalog, not again for each facet value's listing."""
    position = {entry["id"]: n for n, entry in enumerate(ordered)}
    return lambda entries: sorted(entries, key=lambda e: position[e["id"]])


def page_path(base: str, number: int) -> str:
    """`browse/all.html` for page 1, `browse/all.page-2.html` after it (slugs have no dots)."""
    return base if number == 1 else base.replace(".html", f".page-{number}.html")


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def listing_paths(base: str, total: int) -> list[str]:
    """Every page of a listing of `total` entries whose first page is `base`."""
    return [page_path(base, number) for number in range(1, page_count(total) + 1)]


def pager(base: str, number: int, pages: int) -> list[dict]:
    """Links to the first, last and nearby pages ({number, href or None for a gap, current})."""
    shown = sorted({1, pages, *range(max(1, number - 2), min(pages, number + 2) + 1)})
    links, previous = [], 0
    for page in shown:
        if page > previous + 1:
            links.append({"number": None, "href": None, "current": False})
        name = page_path(base, page).rsplit("/", 1)[-1]
        links.append({"number": page, "href": name, "current": page == number})
        previous = page
    return links


def narrowing_forms(groups: dict) -> dict[str | None, Markup]:
    """The form fields to narrow a listing, per facet key (the page's own facet left out; None:
    the listing of every entry). Rendered once per key, not once per page."""
    offered = {
        key: group["values"][:FORM_VALUES] for key, group in groups.items() if key != "license"
    }
    forms = {}
    for own in [None, *groups]:
        shown = {key: values for key, values in offered.items() if key != own}
        forms[own] = Markup(render("_narrow.html.j2", groups=groups, offered=shown))
    return forms


def listing_pages(
    base: str,
    title: str,
    ordered: list[dict],
    own: dict | None,
    context: dict,
    reused: Reused | None = None,
) -> Iterator[tuple[str, str, str]]:
    """(source path, title, HTML) of each page of one listing that `reused` does not take;
    `ordered` are its entries in listing_order, `own` is the page's facet filter ({key, value,
    label}) or None for every entry."""
    imported = sum(1 for e in ordered if e.get("origin") == "imported")
    pages = page_count(len(ordered))
    columns = [c for c in COLUMNS if not own or OWN_COLUMN.get(own["key"]) != c]
    forms = context["narrowing"]
    context = {key: value for key, value in context.items() if key != "narrowing"}
    form = forms[own["key"] if own else None]
    for number in range(1, pages + 1):
        path = page_path(base, number)
        page = {
            "title": title,
            "entries": ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE],
            "total": len(ordered),
            "imported": imported,
            "first": (number - 1) * PAGE_SIZE + 1,
            "number": number,
            "pages": pages,
            "links": pager(base, number, pages),
            "columns": columns,
            "own": own,
            "narrowing": form,
        }
        if reused is not None and reused(path, page):
            continue
        html = render("listing.html.j2", **page, **context)
        page_title = title if number == 1 else f"{title} (page {number} of {pages})"
        yield path.replace(".html", ".md"), page_title, html
