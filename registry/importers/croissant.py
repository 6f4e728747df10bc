"""MLCommons Croissant 1.0 (schema.org Dataset in JSON-LD) → draft entry.

Reads the dataset-level properties of the spec (name, description, license,
url, creator, publisher, inLanguage, distribution, isBasedOn) whatever prefix
style is used, and the record set's data types for the modality.
"""

from __future__ import annotations

from registry.entry.errors import EntryError, EntryErrors
from registry.importers import jsonld as ld
from registry.importers.draft import (
    Draft,
    modality_from_media,
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

S = ld.SCHEMA
DATA_TYPES = {
    S + "ImageObject": "image",
    S + "AudioObject": "audio",
    S + "VideoObject": "video",
    S + "Text": "text",
}
USED = {
    S + p
    for p in (
        "name",
        "description",
        "url",
        "license",
        "creator",
        "publisher",
        "inLanguage",
        "distribution",
        "isBasedOn",
    )
} | {
    ld.PROV + "wasDerivedFrom",
    ld.CROISSANT + "recordSet",
    S + "recordSet",
    "@type",
    "@id",
    "@keys",
}


def is_croissant(document: dict) -> bool:
    nodes = ld.expand(document, {"@vocab": S}, [])
    return bool(ld.find_datasets(nodes, {S + "Dataset"}))


def to_draft(path: str, data: bytes, known: KnownEntries) -> Draft:
    document, text = read_json(path, data)
    notes: list[str] = []
    nodes = ld.expand(document, {"@vocab": S}, notes)
    datasets = ld.find_datasets(nodes, {S + "Dataset"})
    if len(datasets) != 1:
        found = "no node" if not datasets else f"{len(datasets)} nodes"
        raise EntryErrors(
            [
                EntryError(
                    path,
                    1,
                    1,
                    f'expected one schema.org Dataset, found {found} with "@type": '
                    '"sc:Dataset"; import one dataset per file',
                )
            ]
        )
    node = datasets[0]
    index = ld.node_index(nodes)
    draft = Draft(source=path, notes=notes)

    name = ld.first_text(node, S + "name")
    if not name:
        raise EntryErrors(
            [EntryError(path, 1, 1, "the Dataset has no `name`; Croissant requires one")]
        )
    draft.values["id"] = slug(name)
    draft.values["name"] = name
    description = ld.first_text(node, S + "description")
    set_description(draft, description, "the file")

    homepage = ld.first_text(node, S + "url") or next(iter(ld.references(node, S + "url")), None)
    if homepage:
        draft.values["homepage"] = homepage
    else:
        draft.check(("homepage",), "main page of the dataset (the file has no `url`)")

    licences = []
    for value in ld.values(node, S + "license"):
        licences.extend(_licences(value))
    set_licences(draft, licences, "the Croissant `license`")

    _publisher(draft, node, index)
    set_languages(draft, _languages(node), "inLanguage")
    media = _distribution(draft, node, index, homepage)
    _modality(draft, node, index, media)
    sources = ld.references(node, S + "isBasedOn") + ld.references(node, ld.PROV + "wasDerivedFrom")
    set_sources(draft, sources, known, "isBasedOn")
    keywords = ld.texts(node, S + "keywords")
    if keywords:
        draft.checks[("domains",)] = (
            "subject domains from site/docs/fields.md (the file's keywords: "
            f"{', '.join(keywords[:10])})"
        )
    draft.unmapped = sorted(
        node["@keys"][iri] for iri in node["@keys"] if iri not in USED and iri != S + "keywords"
    )
    return draft


def _licences(value) -> list[Licence]:
    if isinstance(value, str):
        return [normalise(value)]
    if isinstance(value, dict) and "@value" in value:
        return [normalise(str(value["@value"]))]
    if isinstance(value, dict):
        # A CreativeWork: try its identifier, then its url, then its @id, then its name.
        for iri in (S + "identifier", S + "url", "@id", S + "name"):
            for candidate in ld.references(value, iri) if iri != "@id" else value.get("@id", []):
                found = normalise(candidate)
                if found.expression:
                    return [found]
        url = next(iter(ld.references(value, S + "url")), None)
        return [Licence(None, url, note="licence object names no licence this importer knows")]
    return []


def _publisher(draft: Draft, node: dict, index: dict) -> None:
    people = ld.objects(node, S + "publisher", index) or ld.objects(node, S + "creator", index)
    names = [ld.first_text(p, S + "name") for p in people]
    names = [n for n in names if n]
    publisher: dict = {"type": None}
    if names and any(t.endswith("Person") for t in ld.types(people[0])):
        draft.guess(
            ("publisher", "name"),
            names[0],
            "the publishing organisation (the file names no publisher, and its first creator "
            "is a person, not the publisher; their institution is a good start)",
        )
        if len(names) > 1:
            draft.notes.append(f"creators: {', '.join(names)}")
    elif names:
        publisher["name"] = names[0]
        url = ld.first_text(people[0], S + "url")
        if url:
            publisher["url"] = url
        if len(names) > 1:
            draft.notes.append(
                f"creators/publishers: {', '.join(names)} (publisher set to the first)"
            )
    else:
        plain = ld.texts(node, S + "publisher") or ld.texts(node, S + "creator")
        if plain:
            publisher["name"] = plain[0]
        else:
            draft.check(
                ("publisher", "name"),
                "name of the publishing organisation (the file names no creator or publisher)",
            )
    draft.values["publisher"] = publisher


def _languages(node: dict) -> list[str]:
    result = []
    for value in ld.values(node, S + "inLanguage"):
        if isinstance(value, dict) and "@value" not in value:
            result.extend(ld.texts(value, S + "alternateName") or ld.texts(value, S + "name"))
        else:
            item = ld.text(value)
            if item:
                result.append(item)
    return result


def _distribution(draft: Draft, node: dict, index: dict, homepage: str | None) -> list[str]:
    """Access URLs and total size from the FileObjects; returns their encoding formats."""
    urls, media, total, sized = [], [], 0, True
    files = ld.objects(node, S + "distribution", index)
    for item in files:
        for url in ld.texts(item, S + "contentUrl") + ld.references(item, S + "contentUrl"):
            if url.startswith(("http://", "https://")) and url not in urls:
                urls.append(url)
        media.extend(ld.texts(item, S + "encodingFormat"))
        size = parse_bytes(ld.first_text(item, S + "contentSize"))
        if ld.types(item) and any(t.endswith("FileObject") for t in ld.types(item)):
            if size is None:
                sized = False
            else:
                total += size
    draft.values["access"] = {"kind": "open", "urls": urls}
    if not urls:
        draft.check(
            ("access", "urls"),
            "download or access page (the distribution has no http(s) "
            f"contentUrl){'; perhaps ' + homepage if homepage else ''}",
        )
    if files and sized and total:
        draft.values["size"] = {"value": number(total), "unit": "bytes"}
    return media


def _modality(draft: Draft, node: dict, index: dict, media: list[str]) -> None:
    kinds = set()
    # Without the recommended context these properties expand into schema.org; accept both.
    for record_set in ld.objects(node, ld.CROISSANT + "recordSet", index) + ld.objects(
        node, S + "recordSet", index
    ):
        for field_node in ld.objects(record_set, ld.CROISSANT + "field", index) + ld.objects(
            record_set, S + "field", index
        ):
            for data_type in ld.references(field_node, ld.CROISSANT + "dataType") + ld.references(
                field_node, S + "dataType"
            ):
                kind = DATA_TYPES.get(ld.expand_value_iri(data_type))
                if kind:
                    kinds.add(kind)
    rich = kinds - {"text"}
    if len(rich) == 1:
        draft.values["modality"] = rich.pop()
    elif len(rich) > 1:
        draft.values["modality"] = "multimodal"
    elif modality_from_media(media) or kinds != {"text"}:
        # Text-typed fields say little (every CSV column is sc:Text): the files' format decides.
        set_modality_from_files(draft, media, "the file's record set does not say")
    else:
        draft.values["modality"] = "text"
