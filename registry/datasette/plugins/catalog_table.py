"""Datasette plugin: the catalog table's HTML page, cheap and readable on a phone.

The page shows the columns people compare datasets by unless the address
names its own (`_col`, `_nocol`): long descriptions and build dates made every
row several screens tall on a phone, and each cell costs a plugin call. The
JSON and CSV keep every column; the column chooser shows the others.

Datasette renders templates with Jinja in async mode, where every loop step
and every call is awaited: the catalog page's 50 rows of 11 cells and its ~240
facet links were most of a 50 ms page. These filters build the same markup in
one synchronous pass (values are escaped with markupsafe, as Jinja would).

The rows are a table on wide screens and compact cards on phones (site.css's
datasette.css: the name as the card's title, the other cells as labelled
lines), instead of Datasette's one line per cell, which made the page 33,000
px tall at 390 px.

Links the page builds from its own address leave the `_nocol` pairs that
browse_columns added out again (without_browse_columns), so each facet link is
short (they were most of a 109 KB page) and a followed link shows the browse
columns again.

A column choice that leaves out the column the page is sorted by (`?_col=id`
sorts by the configured `name`) gets that column back, on the HTML page and the
JSON and CSV alike: Datasette 1.0a41 reads the sort value of the page's last
row by name to link the next page, and answered such a page with a 500
(KeyError).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import path_with_replaced_args, to_css_class
from markupsafe import Markup, escape

# Column and facet names in words (the SQL names stay in the JSON and the address).
LABELS = {
    "id": "Id",
    "name": "Name",
    "summary": "Summary",
    "description": "Description",
    "category": "Category",
    "license_family": "Licence family",
    "licenses": "Licences",
    "modality": "Modality",
    "languages": "Language",
    "domains": "Domain",
    "publisher": "Publisher",
    "publisher_type": "Publisher type",
    "signals": "AI preference signal",
    "verification": "Verification",
    "status": "Status",
    "training_commercial": "Commercial training",
    "enters_commons_on": "Enters the commons on",
    "updated": "Updated",
}
CATALOG_PAGE = "/registry/catalog"
CATALOG_FORMATS = ("", ".json", ".csv")
CATALOG_SORT = "name"  # datasette.yml: the catalog's configured sort
HIDDEN_ON_BROWSE = (
    "description",
    "domains",
    "publisher_type",
    "signals",
    "status",
    "enters_commons_on",
    "updated",
)
CHOSEN_HERE = "commons.browse_columns"  # scope key: the columns were chosen by browse_columns
BROWSE_QUERY = urlencode([("_nocol", column) for column in HIDDEN_ON_BROWSE])


def browse_columns(scope: dict) -> dict:
    """The scope of a catalog page with its columns chosen: the browse columns on the HTML page
    without a choice of its own, and the sort column kept in any choice."""
    path = scope.get("path") or ""
    if (
        scope.get("type") != "http"
        or not path.startswith(CATALOG_PAGE)
        or path[len(CATALOG_PAGE) :] not in CATALOG_FORMATS
    ):
        return scope
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    if any(key in ("_col", "_nocol") for key, _ in pairs):
        kept = keep_sort_column(pairs)
        if kept == pairs:
            return scope
        return dict(scope, query_string=urlencode(kept).encode("latin-1"))
    if path != CATALOG_PAGE:
        return scope
    query = "&".join(part for part in (urlencode(pairs), BROWSE_QUERY) if part)
    return dict(scope, query_string=query.encode("latin-1"), **{CHOSEN_HERE: True})


def keep_sort_column(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A column choice with the column the page is sorted by in it (see the module's note)."""
    args = dict(pairs)
    sort = args.get("_sort") or args.get("_sort_desc") or CATALOG_SORT
    kept = [(key, value) for key, value in pairs if (key, value) != ("_nocol", sort)]
    chosen = [value for key, value in kept if key == "_col"]
    if chosen and sort not in chosen:
        kept.append(("_col", sort))
    return kept


def without_browse_columns(url: str) -> str:
    """`url` (built from a catalog page's address) without the `_nocol` pairs browse_columns added.

    Datasette keeps the order of a query's pairs when it adds or removes one,
    so the added pairs stay one run of text."""
    if BROWSE_QUERY not in url:
        return url
    return (
        url.replace("&" + BROWSE_QUERY, "")
        .replace(BROWSE_QUERY + "&", "")
        .replace("?" + BROWSE_QUERY, "")
    )


def label(name: str) -> str:
    return LABELS.get(name, name)


def sort_link(request, column: str, sort: str | None) -> str:
    """The header link that sorts by `column` (descending when it is already the sort)."""
    key, other = ("_sort_desc", "_sort") if column == sort else ("_sort", "_sort_desc")
    url = path_with_replaced_args(request, {key: column, other: None, "_next": None})
    return without_browse_columns(url)


def header_cell(request, column: dict, sort, sort_desc) -> str:
    name = column["name"]
    text = escape(label(name))
    attrs = Markup(' class="col-{0}" scope="col" data-column="{0}" data-is-pk="{1}"').format(
        name, "1" if column.get("is_pk") else "0"
    )
    if not column.get("sortable"):
        return Markup("<th{}>{}</th>").format(attrs, text)
    arrow = Markup("&nbsp;▼" if name == sort else "&nbsp;▲" if name == sort_desc else "")
    return Markup('<th{}><a href="{}" rel="nofollow">{}{}</a></th>').format(
        attrs, sort_link(request, name, sort), text, arrow
    )


@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.filters.update(
        catalog_rows=catalog_rows,
        facet_lists=facet_lists,
        visitor_url=without_browse_columns,
        visitor_args=visitor_args,
    )


def visitor_args(pairs, request) -> list:
    """A form's hidden (key, value) pairs without the columns browse_columns chose."""
    if not request.scope.get(CHOSEN_HERE):
        return pairs
    return [(key, value) for key, value in pairs if key != "_nocol"]


def catalog_rows(display_rows, display_columns, request, sort=None, sort_desc=None) -> Markup:
    """The catalog's rows as one table; on phones each row is a card whose cells are labelled by
    their column class (datasette.css), which keeps 50 rows' markup small."""
    head = "".join(header_cell(request, column, sort, sort_desc) for column in display_columns)
    body = []
    for row in display_rows:
        # Cells are separated by a space so a phone's card can wrap between them.
        cells = " ".join(
            f'<td class="col-{escape(cell["column"])}">{escape(cell["value"])}</td>' for cell in row
        )
        body.append(f"<tr>{cells}</tr>")
    return Markup(
        '<div class="table-wrapper"><table class="rows-and-columns catalog-rows">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def facet_lists(results, request, database: str, table: str) -> Markup:
    """Datasette's facet lists, facets named in words and empty ones left out."""
    blocks = []
    prefix = f"facet-{to_css_class(database)}-{to_css_class(table)}"
    for facet in results:
        if not facet["results"]:
            continue
        name = escape(facet["name"])
        items = Markup("").join(facet_item(value) for value in facet["results"])
        if facet.get("truncated"):
            more = path_with_replaced_args(request, {"_facet_size": "max"})
            items += Markup('<li class="facet-truncated"><a href="{}">…</a></li>').format(more)
        total = Markup("{}{}").format(">" if facet.get("truncated") else "", len(facet["results"]))
        hide = (
            Markup(' <a href="{}" class="cross" aria-label="Hide this facet">&#x2716;</a>').format(
                without_browse_columns(facet["toggle_url"])
            )
            if facet.get("hideable")
            else ""
        )
        blocks.append(
            f'<div class="facet-info {prefix}-{to_css_class(facet["name"])}" id="facet-{name}" '
            f'data-column="{name}">'
            f'<p class="facet-info-name"><strong>{escape(label(facet["name"]))} '
            f'<span class="facet-info-total">{total}</span></strong>{hide}</p>'
            f'<ul class="tight-bullets">{items}</ul></div>'
        )
    return Markup(f'<div class="facet-results">{"".join(blocks)}</div>')


def facet_item(value: dict) -> str:
    text = escape(str(value["label"]) if value["label"] not in (None, "") else "-")
    count = f'<span class="facet-count">{value["count"]:,}</span>'
    if value["selected"]:
        return Markup(
            '<li>{} &middot; {} <a href="{}" class="cross" aria-label="Remove this filter">'
            "&#x2716;</a></li>"
        ).format(text, Markup(count), without_browse_columns(value["toggle_url"]))
    return Markup('<li><a href="{}" data-facet-value="{}">{}</a> {}</li>').format(
        without_browse_columns(value["toggle_url"]), value["value"], text, Markup(count)
    )


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def with_browse_columns(scope, receive, send):
            return await app(browse_columns(scope), receive, send)

        return with_browse_columns

    return wrap
