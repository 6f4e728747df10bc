"""DCAT-US catalogs (`data.json`, Project Open Data v1.0 and v1.1) → one draft per chosen
dataset.

US agencies publish every dataset in one `data.json`: a v1.1 catalog whose `dataset` array
holds plain objects, often without `@type`, read against a remote `@context` this
importer never fetches; a v1.0 catalog is the array of datasets itself, each with its
publisher as a plain name and its first distribution (`accessURL`, `format`) and API
(`webService`) on the dataset. Each dataset is handed to the DCAT importer as a DCAT dataset
of its own, with its terms' usual DCAT-US meanings (title, description, keyword,
publisher.name, landingPage, license, distribution with downloadURL, accessURL,
mediaType and format, accessLevel).
"""

from __future__ import annotations

import json

from registry.entry.errors import EntryError, EntryErrors
from registry.importers import dcat
from registry.importers.draft import Draft
from registry.importers.jsonfile import locate, read_json
from registry.importers.known import KnownEntries

# What a catalog's conformsTo, describedBy or @context names when it declares DCAT-US.
DCAT_US_SCHEMAS = ("project-open-data.cio.gov", "resources.data.gov/schemas/dcat-us")
NOT_AN_ARRAY_CATALOG = (
    "a JSON array at the top level is read only as a DCAT-US v1.0 catalog (an array of "
    "datasets, each with `title` and `accessLevel`), and this one is not; import a Croissant, "
    "Data Package, DCAT or DCAT-US file whose top level is an object"
)
# accessLevel (DCAT-US) → what dcat reads from dct:accessRights.
ACCESS_LEVEL = {"public": "PUBLIC", "restricted public": "RESTRICTED", "non-public": "NON_PUBLIC"}


def is_dcat_us(document) -> bool:
    """A v1.0 catalog (an array of objects, each with `title` and `accessLevel`), or a
    catalog with a `dataset` array of objects that declares DCAT-US or dcat:Catalog, or
    whose datasets carry titles without any `@type` (the DCAT importer would find none)."""
    if isinstance(document, list):
        return bool(document) and all(
            isinstance(d, dict) and "title" in d and "accessLevel" in d for d in document
        )
    if not isinstance(document, dict) or not isinstance(document.get("dataset"), list):
        return False
    items = [d for d in document["dataset"] if isinstance(d, dict)]
    named = " ".join(str(document.get(k, "")) for k in ("conformsTo", "describedBy", "@context"))
    declared = any(schema in named for schema in DCAT_US_SCHEMAS)
    declared = declared or document.get("@type") == "dcat:Catalog"
    return bool(items) and (declared or all("@type" not in d and "title" in d for d in items))


def listing(path: str, data: bytes) -> list[tuple[str, str]]:
    """(identifier, title) of every dataset in the catalog, in file order."""
    document, _ = read_json(path, data, arrays=True)
    return [(_identifier(d, n), str(d.get("title", ""))) for n, d in _datasets(document)]


def to_drafts(
    path: str, data: bytes, known: KnownEntries, choose: str | None = None
) -> list[Draft]:
    """Drafts for the dataset whose identifier or title is `choose`, or for all with "*"."""
    document, text = read_json(path, data, arrays=True)
    datasets = _datasets(document)
    if choose is None and len(datasets) > 1:
        raise EntryErrors([EntryError(path, 1, 1, _choose_message(datasets))])
    if choose not in (None, "*"):
        datasets = [
            (n, d) for n, d in datasets if choose in (_identifier(d, n), str(d.get("title")))
        ]
        if not datasets:
            message = f"no dataset with identifier or title {choose!r}; " + _choose_message(
                _datasets(document)
            )
            raise EntryErrors([EntryError(path, 1, 1, message)])
    drafts, errors = [], []
    for number, item in datasets:
        try:
            drafts.append(_draft(path, text, number, item, known))
        except EntryErrors as problems:
            errors.extend(problems.errors)
    if errors:
        raise EntryErrors(errors)
    return drafts


def _datasets(document) -> list[tuple[int, dict]]:
    items = document.get("dataset") if isinstance(document, dict) else document
    items = items if isinstance(items, list) else []
    return [(n, d) for n, d in enumerate(items, start=1) if isinstance(d, dict)]


def _from_v1_0(item: dict) -> dict:
    """A v1.0 dataset in v1.1 terms: publisher {name}, and the dataset-level `accessURL`
    (with its `format`) and `webService` as distributions."""
    node = dict(item)
    if isinstance(node.get("publisher"), str):
        node["publisher"] = {"name": node["publisher"]}
    extra = []
    if isinstance(node.get("accessURL"), str):
        extra.append({"accessURL": node.pop("accessURL"), "format": node.pop("format", None)})
    if isinstance(node.get("webService"), str):
        extra.append({"accessURL": node.pop("webService")})
    if extra:
        listed = node.get("distribution")
        node["distribution"] = (listed if isinstance(listed, list) else []) + [
            {k: v for k, v in d.items() if v is not None} for d in extra
        ]
    return node


def _identifier(item: dict, number: int) -> str:
    value = item.get("identifier")
    return str(value) if isinstance(value, (str, int)) and str(value).strip() else f"#{number}"


def _choose_message(datasets: list[tuple[int, dict]]) -> str:
    shown = "; ".join(
        f"{_identifier(d, n)} ({d.get('title', 'untitled')})" for n, d in datasets[:20]
    )
    more = f"; and {len(datasets) - 20} more" if len(datasets) > 20 else ""
    return (
        f"this DCAT-US catalog lists {len(datasets)} datasets: choose one with --dataset "
        f"IDENTIFIER (or its title), or import all with --dataset '*': {shown}{more}"
    )


def _draft(path: str, text: str, number: int, item: dict, known: KnownEntries) -> Draft:
    """One dataset as a DCAT document of its own; errors point at its place in the catalog."""
    node = {key: value for key, value in _from_v1_0(item).items() if key != "@context"}
    node["@type"] = "dcat:Dataset"
    level = str(item.get("accessLevel", "")).strip().lower()
    if level in ACCESS_LEVEL:
        node["accessRights"] = ACCESS_LEVEL[level]
    document = {"@context": {"dcat": dcat.DCAT, **dcat.DEFAULT_TERMS}, **node}
    where = f"{path} (dataset {_identifier(item, number)})"
    try:
        draft = dcat.to_draft(where, json.dumps(document).encode("utf-8"), known)
    except EntryErrors as problems:
        line, col = locate(text, "title", number)
        raise EntryErrors(
            [EntryError(path, line, col, f"dataset {number}: {e.message}") for e in problems.errors]
        ) from None
    draft.source = path
    draft.unmapped = [key for key in draft.unmapped if key not in ("accessLevel",)]
    return draft
