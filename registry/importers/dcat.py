"""W3C DCAT (JSON-LD) dataset description → draft entry.

Reads `dcat:Dataset` with Dublin Core terms (dct:title, dct:description,
dct:license, dct:publisher, dct:language, dct:source), `dcat:landingPage`,
`dcat:keyword` and `dcat:distribution` (downloadURL, accessURL, mediaType,
byteSize, license). A remote `@context` is never fetched: bare terms are read
with their usual DCAT meanings.
"""

from __future__ import annotations

from registry.entry.errors import EntryError, EntryErrors
from registry.importers import jsonld as ld
from registry.importers.draft import (
    Draft,
    set_description,
    set_languages,
    set_licences,
    set_modality_from_files,
    slug,
)
from registry.importers.jsonfile import read_json
from registry.importers.known import KnownEntries, set_sources
from registry.importers.licences import Licence, normalise
from registry.importers.sizes import number, parse_bytes

DCT, DCAT, FOAF = ld.DCT, ld.DCAT, ld.FOAF
# Meanings of bare terms when a file relies on a context this importer does not fetch.
DEFAULT_TERMS = ld.DCAT_TERMS
USED = (
    {
        DCT + p
        for p in (
            "title",
            "description",
            "license",
            "rights",
            "publisher",
            "creator",
            "language",
            "source",
            "accessRights",
        )
    }
    | {DCAT + p for p in ("landingPage", "keyword", "theme", "distribution")}
    | {FOAF + "homepage", ld.PROV + "wasDerivedFrom", "@type", "@id", "@keys"}
)


def is_dcat(document: dict) -> bool:
    nodes = ld.expand(document, DEFAULT_TERMS, [])
    return bool(ld.find_datasets(nodes, {DCAT + "Dataset"}))


def to_draft(path: str, data: bytes, known: KnownEntries) -> Draft:
    document, _ = read_json(path, data)
    notes: list[str] = []
    nodes = ld.expand(document, DEFAULT_TERMS, notes)
    index = ld.node_index(nodes)
    datasets = _all_datasets(nodes, index)
    if len(datasets) != 1:
        found = "none" if not datasets else f"{len(datasets)}"
        message = f"expected one dcat:Dataset, found {found}; import one dataset per file"
        raise EntryErrors([EntryError(path, 1, 1, message)])
    node = datasets[0]
    draft = Draft(source=path, notes=notes)

    name = ld.first_text(node, DCT + "title")
    if not name:
        raise EntryErrors([EntryError(path, 1, 1, "the dcat:Dataset has no dct:title")])
    draft.values["id"] = slug(name)
    draft.values["name"] = name
    description = ld.first_text(node, DCT + "description")
    set_description(draft, description, "the dcat:Dataset")
    homepage = next(
        iter(ld.references(node, DCAT + "landingPage") + ld.references(node, FOAF + "homepage")),
        None,
    )
    if homepage:
        draft.values["homepage"] = homepage
    else:
        draft.check(("homepage",), "main page of the dataset (the file has no dcat:landingPage)")

    distributions = ld.objects(node, DCAT + "distribution", index)
    set_licences(draft, _licences(node, distributions, index), "dct:license")
    _publisher(draft, node, index)
    set_languages(draft, ld.references(node, DCT + "language"), "dct:language")
    _distributions(draft, node, distributions, homepage)
    set_sources(
        draft,
        ld.references(node, DCT + "source") + ld.references(node, ld.PROV + "wasDerivedFrom"),
        known,
        "dct:source",
    )
    keywords = ld.texts(node, DCAT + "keyword")
    if keywords:
        draft.checks[("domains",)] = (
            "subject domains from site/docs/fields.md (the file's keywords: "
            f"{', '.join(keywords[:10])})"
        )
    draft.unmapped = sorted(node["@keys"][iri] for iri in node["@keys"] if iri not in USED)
    return draft


def _licences(node: dict, distributions: list[dict], index: dict) -> list:
    """The dataset's dct:license, else its distributions' (DCAT-AP puts them there)."""
    licences = [_licence(v, index) for v in ld.values(node, DCT + "license")]
    if not licences:
        licences = [
            _licence(v, index) for d in distributions for v in ld.values(d, DCT + "license")
        ]
    return [licence for licence in licences if licence]


def _all_datasets(nodes: list[dict], index: dict) -> list[dict]:
    found = ld.find_datasets(nodes, {DCAT + "Dataset"})
    for catalog in nodes:
        for child in ld.objects(catalog, DCAT + "dataset", index):
            if child not in found and ld.find_datasets([child], {DCAT + "Dataset"}):
                found.append(child)
    return found


def _licence(value, index: dict) -> Licence | None:
    if isinstance(value, dict) and "@value" not in value:
        ref = value.get("@id", [None])[0] if isinstance(value.get("@id"), list) else None
        target = index.get(ref, value) if ref else value
        for candidate in [
            ref,
            *ld.references(target, DCT + "identifier"),
            *ld.texts(target, DCT + "title"),
        ]:
            if isinstance(candidate, str):
                found = normalise(candidate)
                if found.expression:
                    return found
        return Licence(
            None,
            ref if ref and ref.startswith(("http://", "https://")) else None,
            note=f"dct:license {ref or 'object'} names no licence this importer knows",
        )
    item = ld.text(value)
    return normalise(item) if item else None


def _publisher(draft: Draft, node: dict, index: dict) -> None:
    agents = ld.objects(node, DCT + "publisher", index) or ld.objects(node, DCT + "creator", index)
    publisher: dict = {"type": None}
    for agent in agents:
        name = (
            ld.first_text(agent, FOAF + "name")
            or ld.first_text(agent, ld.VCARD + "fn")
            or ld.first_text(agent, ld.SCHEMA + "name")
        )
        if name:
            publisher["name"] = name
            url = next(iter(ld.references(agent, FOAF + "homepage")), None) or next(
                iter(
                    a
                    for a in agent.get("@id", [])
                    if isinstance(a, str) and a.startswith(("http://", "https://"))
                ),
                None,
            )
            if url:
                publisher["url"] = url
            break
    if "name" not in publisher:
        draft.check(
            ("publisher", "name"),
            "name of the publishing organisation (dct:publisher has no foaf:name)",
        )
    draft.values["publisher"] = publisher


def _distributions(
    draft: Draft, node: dict, distributions: list[dict], homepage: str | None
) -> None:
    urls, media, total, sized = [], [], 0, bool(distributions)
    for item in distributions:
        for url in ld.references(item, DCAT + "downloadURL") + ld.references(
            item, DCAT + "accessURL"
        ):
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
        for iri in (DCAT + "mediaType", DCT + "format"):
            media.extend(
                ref.rsplit("/", 2)[-2] + "/" + ref.rsplit("/", 1)[-1]
                if "iana.org" in ref
                else ref.rsplit("/", 1)[-1]
                for ref in ld.references(item, iri)
            )
        size = parse_bytes(ld.first_text(item, DCAT + "byteSize"))
        if size is None:
            sized = False
        else:
            total += size
    rights = " ".join(ld.references(node, DCT + "accessRights")).upper()
    kind = "restricted" if "RESTRICTED" in rights or "NON_PUBLIC" in rights else "open"
    draft.values["access"] = {"kind": kind, "urls": urls}
    if not urls:
        draft.check(
            ("access", "urls"),
            "download or access page (no dcat:downloadURL or "
            f"accessURL){'; perhaps ' + homepage if homepage else ''}",
        )
    if sized and total:
        draft.values["size"] = {"value": number(total), "unit": "bytes"}
    set_modality_from_files(
        draft, [m.lower() for m in media], "the distributions' formats do not say"
    )
