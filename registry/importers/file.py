"""One local metadata file to a draft entry: the format detected, its importer run,
and what every draft needs (evidence to check, a warning when the dataset is
already in the registry)."""

from __future__ import annotations

from pathlib import Path

from registry.entry.errors import EntryError, EntryErrors
from registry.importers import FORMATS, croissant, datapackage, dcat, dcat_us, hf_card
from registry.importers.draft import BLANK, Draft
from registry.importers.jsonfile import read_json
from registry.importers.known import KnownEntries, url_key

# The importer of each format, in the order of FORMATS.
IMPORTERS = dict(zip(FORMATS, (croissant, hf_card, datapackage, dcat, dcat_us), strict=True))


def detect_format(path: str, data: bytes) -> str:
    """Guess the format from the file name, then from the JSON content."""
    name = Path(path).name.lower()
    if name.endswith((".md", ".markdown")):
        return "hf-card"
    document, _ = read_json(path, data, arrays=True)
    if isinstance(document, list):
        if dcat_us.is_dcat_us(document):
            return "dcat-us"
        raise EntryErrors([EntryError(path, 1, 1, dcat_us.NOT_AN_ARRAY_CATALOG)])
    if datapackage.is_datapackage(document) or name == "datapackage.json":
        return "datapackage"
    if dcat_us.is_dcat_us(document):
        return "dcat-us"
    if dcat.is_dcat(document):
        return "dcat"
    if croissant.is_croissant(document):
        return "croissant"
    raise EntryErrors(
        [
            EntryError(
                path,
                1,
                1,
                "cannot tell the format: not a Data Package (no `resources`), nor a JSON-LD "
                "schema.org or DCAT Dataset; pass --format",
            )
        ]
    )


def import_file(
    path: str, data: bytes, fmt: str = "auto", known: KnownEntries | None = None
) -> Draft:
    """Map one file to a draft; raises EntryErrors for unreadable or hostile input."""
    return import_drafts(path, data, fmt, known)[0]


def import_drafts(
    path: str,
    data: bytes,
    fmt: str = "auto",
    known: KnownEntries | None = None,
    dataset: str | None = None,
) -> list[Draft]:
    """Drafts from one file: one, or for a catalog (DCAT-US data.json) the chosen dataset,
    or all of them when `dataset` is "*"."""
    fmt = detect_format(path, data) if fmt == "auto" else fmt
    known = known or KnownEntries()
    if fmt == "dcat-us":
        drafts = dcat_us.to_drafts(path, data, known, dataset)
    else:
        drafts = [IMPORTERS[fmt].to_draft(path, data, known)]
    for draft in drafts:
        _ask_for_evidence(draft)
        _warn_if_known(draft, known)
    return drafts


def _warn_if_known(draft: Draft, known: KnownEntries) -> None:
    """A dataset already in the registry should be edited there, not added twice."""
    urls = [draft.values.get("homepage"), *draft.values.get("access", {}).get("urls", [])]
    for url in filter(None, urls):
        found = known.urls.get(url_key(url))
        if found:
            draft.notes.insert(
                0,
                f"this dataset may already be in the registry as '{found}' (same URL {url}); "
                "edit that entry instead of adding a new one",
            )
            return
    if draft.id in known.ids:
        draft.notes.insert(
            0,
            f"an entry with id '{draft.id}' already exists; if it is another dataset, rename "
            "the draft (file and id together)",
        )


def _ask_for_evidence(draft: Draft) -> None:
    """Evidence is a page a person has read: suggest one, but never fill it in."""
    # The publisher's own page says which licence applies; a licence's text page alone does not.
    pages = [draft.values.get("homepage")] + [
        item["url"] for item in draft.values.get("licenses", []) if item.get("url")
    ]
    suggestion = next((page for page in pages if page), None)
    draft.values["evidence"] = [{"url": None, "checked": BLANK}]
    hint = f" (suggested: {suggestion})" if suggestion else ""
    draft.check(
        ("evidence", 0, "url"),
        f"page where you read the licence yourself{hint}; set checked: to today's date "
        "(YYYY-MM-DD)",
    )
