"""Frictionless Data Package (v1 and v2 `datapackage.json`) → draft entry.

Fields follow the Data Package specification: `name`, `title`, `description`,
`homepage`, `licenses[].name/path/title` (before v1: `id`/`url`), `contributors[]` (v2 `roles`, v1
`role`), `sources[]`, `keywords`, and `resources[]` (path, format, mediatype, bytes).
"""

from __future__ import annotations

import re

from registry.entry.errors import EntryError, EntryErrors
from registry.importers.draft import (
    Draft,
    set_description,
    set_licences,
    set_modality_from_files,
    slug,
)
from registry.importers.jsonfile import locate, read_json
from registry.importers.known import KnownEntries, set_sources
from registry.importers.licences import Licence, normalise
from registry.importers.sizes import number, parse_bytes

USED = {
    "name",
    "title",
    "description",
    "homepage",
    "licenses",
    "license",
    "contributors",
    "sources",
    "keywords",
    "resources",
}
PUBLISHER_ROLES = ("publisher", "rightsHolder", "creator", "author", "contact", "maintainer")


def is_datapackage(document: dict) -> bool:
    return isinstance(document.get("resources"), list) and "@context" not in document


def _check_shape(path: str, document: dict, text: str) -> None:
    """Every problem with the fields the importer reads, at once (Data Package types)."""
    problems = []
    for key, kind in (
        ("resources", list),
        ("licenses", list),
        ("contributors", list),
        ("sources", list),
        ("keywords", list),
    ):
        if key in document and not isinstance(document[key], kind):
            problems.append(
                EntryError(
                    path,
                    *locate(text, key),
                    f"`{key}` must be an array (Data Package specification)",
                )
            )
    for key in ("name", "title", "description", "homepage"):
        if key in document and not isinstance(document[key], str):
            problems.append(EntryError(path, *locate(text, key), f"`{key}` must be a string"))
    if "resources" not in document:
        problems.append(EntryError(path, 1, 1, "a Data Package needs a `resources` array"))
    if problems:
        raise EntryErrors(problems)


def _licences(document: dict) -> list[Licence]:
    """`licenses` (or the v2 shorthand `license`) as SPDX licences, by name else by URL.

    Packages written to the specification before v1 name a licence by `id` (an Open
    Definition id such as `odc-pddl`) and link it with `url`; v1 and v2 say `name`, `path`."""
    licences = []
    raw_licences = document.get("licenses") or (
        [{"name": document["license"]}] if isinstance(document.get("license"), str) else []
    )
    for item in raw_licences:
        if not isinstance(item, dict):
            continue
        name = next((item[k] for k in ("name", "id") if isinstance(item.get(k), str)), None)
        path_ = next((item[k] for k in ("path", "url") if isinstance(item.get(k), str)), None)
        url = path_ if path_ and path_.startswith(("http://", "https://")) else None
        found = normalise(name) if name else Licence(None)
        if not found.expression and url:
            found = normalise(url)
        licences.append(Licence(found.expression, url or found.url, found.note))
    return licences


def _sources(document: dict) -> list[str]:
    sources = []
    for source in document.get("sources") or []:
        if isinstance(source, dict):
            value = (
                source.get("path") if isinstance(source.get("path"), str) else source.get("title")
            )
            if isinstance(value, str) and value.strip():
                sources.append(value.strip())
    return sources


def to_draft(path: str, data: bytes, known: KnownEntries) -> Draft:
    document, text = read_json(path, data)
    _check_shape(path, document, text)
    draft = Draft(source=path)

    name = (document.get("title") or document.get("name") or "").strip()
    if not name:
        raise EntryErrors(
            [EntryError(path, 1, 1, "the package has neither `title` nor `name`; add one")]
        )
    draft.values["id"] = slug(document.get("name") or name)
    draft.values["name"] = name
    description = (document.get("description") or "").strip()
    # The spec: the first paragraph SHOULD be usable as a summary.
    set_description(
        draft,
        description,
        "the package",
        summary_from=re.split(r"\n\s*\n", description)[0] if description else None,
    )
    homepage = (document.get("homepage") or "").strip()
    if homepage:
        draft.values["homepage"] = homepage
    else:
        draft.check(("homepage",), "main page of the dataset (the package has no `homepage`)")

    licences = _licences(document)
    set_licences(draft, licences, "`licenses`")

    _publisher(draft, document.get("contributors") or [])
    _resources(draft, document.get("resources") or [], homepage)
    sources = _sources(document)
    set_sources(draft, sources, known, "sources")
    keywords = [k for k in document.get("keywords") or [] if isinstance(k, str)]
    if keywords:
        draft.checks[("domains",)] = (
            "subject domains from site/docs/fields.md (the package's keywords: "
            f"{', '.join(keywords[:10])})"
        )
    draft.unmapped = sorted(key for key in document if key not in USED)
    return draft


def _roles(contributor: dict) -> list[str]:
    roles = contributor.get("roles")
    if isinstance(roles, list):
        return [r for r in roles if isinstance(r, str)]
    role = contributor.get("role")
    return [role] if isinstance(role, str) else []


def _publisher(draft: Draft, contributors: list) -> None:
    people = [
        c
        for c in contributors
        if isinstance(c, dict) and isinstance(c.get("title") or c.get("organization"), str)
    ]
    chosen = None
    for role in PUBLISHER_ROLES:
        chosen = next((c for c in people if role in _roles(c)), None)
        if chosen:
            break
    chosen = chosen or (people[0] if people else None)
    publisher: dict = {"type": None}
    if chosen:
        publisher["name"] = (
            chosen.get("organization")
            if "publisher" not in _roles(chosen) and isinstance(chosen.get("organization"), str)
            else None
        ) or chosen.get("title")
        if isinstance(chosen.get("path"), str) and chosen["path"].startswith(
            ("http://", "https://")
        ):
            publisher["url"] = chosen["path"]
        if len(people) > 1:
            draft.notes.append(
                f"contributors: {', '.join(str(c.get('title')) for c in people)} (publisher "
                f"set to '{publisher['name']}')"
            )
    else:
        draft.check(
            ("publisher", "name"),
            "name of the publishing organisation (the package lists no contributors)",
        )
    draft.values["publisher"] = publisher


def _resources(draft: Draft, resources: list, homepage: str) -> None:
    urls, media, total, sized = [], [], 0, bool(resources)
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        paths = resource.get("path")
        for path_ in paths if isinstance(paths, list) else [paths]:
            if (
                isinstance(path_, str)
                and path_.startswith(("http://", "https://"))
                and path_ not in urls
            ):
                urls.append(path_)
        for key in ("mediatype", "format"):
            if isinstance(resource.get(key), str):
                media.append(resource[key])
        size = parse_bytes(resource.get("bytes"))
        if size is None:
            sized = False
        else:
            total += size
    draft.values["access"] = {"kind": "open", "urls": urls}
    if not urls:
        hint = f"; perhaps {homepage}" if homepage else ""
        draft.check(
            ("access", "urls"),
            f"download or access page (the resources have local paths only){hint}",
        )
    if sized and total:
        draft.values["size"] = {"value": number(total), "unit": "bytes"}
    set_modality_from_files(draft, media, "the resources' formats do not say")
