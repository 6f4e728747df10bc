"""Datasette plugin: `/-/browse`, where the site's listing pages hand a listing over to the
catalog table with its filters preset.

The site's narrowing form (registry/site/listing.py) sends one field per facet,
named as the site names its facets, with an empty value for "Any", and a sort
order. A plain GET form cannot leave empty fields out, and Datasette reads
`?modality=` as "modality is empty", so this route drops them and redirects to
the catalog table filtered by the rest: a column facet by equality, a list
facet (languages, domains) by `__arraycontains`, a licence id through the
license_ids table. Unknown fields and sort orders are refused with a 400 that
says what is allowed.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

# Site facet key → the catalog table's filter parameter.
FILTERS = {
    "category": "category",
    "modality": "modality",
    "language": "languages__arraycontains",
    "domain": "domains__arraycontains",
    "publisher-type": "publisher_type",
    "license-family": "license_family",
    "verification": "verification",
    "origin": "origin",
}
SORTS = {
    "name": ("_sort", "name"),
    "-updated": ("_sort_desc", "updated"),
    "category": ("_sort", "category"),
    "license_family": ("_sort", "license_family"),
    "modality": ("_sort", "modality"),
}
LICENCE_WHERE = "id in (select entry_id from license_ids where license_id = '{}')"


def catalog_query(fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The catalog table's query string pairs for the form's (name, value) pairs; ValueError says
    what is wrong."""
    pairs = []
    for key, value in fields:
        if not value:
            continue
        if key == "sort":
            if value not in SORTS:
                raise ValueError(f"sort: {value!r} is not one of {', '.join(SORTS)}")
            pairs.append(SORTS[value])
        elif key == "license":
            pairs.append(("_where", LICENCE_WHERE.format(value.replace("'", "''"))))
        elif key in FILTERS:
            pairs.append((FILTERS[key], value))
        else:
            allowed = ", ".join([*FILTERS, "license", "sort"])
            raise ValueError(f"{key}: not a facet of the catalog (allowed: {allowed})")
    return pairs


async def browse(datasette, request):
    try:
        args = request.args
        pairs = catalog_query([(key, value) for key in args.keys() for value in args.getlist(key)])
    except ValueError as error:
        return Response.text(f"Cannot browse the catalog so: {error}\n", status=400)
    target = datasette.urls.table("registry", "catalog")
    return Response.redirect(f"{target}?{urlencode(pairs)}" if pairs else target)


@hookimpl
def register_routes():
    return [(r"^/-/browse$", browse)]
