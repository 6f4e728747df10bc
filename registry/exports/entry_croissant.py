"""One Croissant 1.0 document per entry, `croissant/<id>.json`: the dataset as the entry states it.

Metadata only: name, description, homepage (`url`), the entry page (`mainEntityOfPage`),
licences (SPDX URL where the expression is one SPDX id), publisher, first publication year,
languages, keywords and a credit line (`citeAs`), each written only when the entry states it.
The access URLs are not Croissant FileObjects: a FileObject must state its file format and a
checksum (mlcroissant refuses one without), and entries state neither; they are listed under
the registry's own `commons:accessURL`, beside its verdict and verification level (the terms
are documented in site/docs/data-formats.md). Imported records say in their description and
licence that the licence is the uploader's declaration. A pure function of the database and
the site URL, so a rebuild gives byte-identical files.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from registry.exports import versions
from registry.exports.snapshot import applies_to, licence_object, part
from registry.exports.source import Registry, json_list, json_text

FOLDER = "croissant"
# The registry's own terms; each is described on the data formats page under this anchor.
VOCABULARY = "https://commons-registry.github.io/commons-registry/site/data-formats.html#term-"
# Only the terms these documents use (the whole recommended context would be most of each
# file). mlcroissant needs "@language"; the registry's own words are English (an imported
# record's quoted card may not be).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "dct": "http://purl.org/dc/terms/",
    "citeAs": "cr:citeAs",
    "conformsTo": "dct:conformsTo",
    "commons": VOCABULARY,
    "commons:accessURL": {"@type": "@id"},
    "commons:verdict": {"@type": "@json"},
    "commons:verification": {"@type": "@json"},
    "commons:provenance": {"@type": "@json"},
}
SPDX_URL = "https://spdx.org/licenses/{}.html"
REGISTRY = {"@type": "sc:Organization", "name": "Commons Registry contributors"}
# Publisher types of the entry schema that are people; every other type is an organisation.
PEOPLE = {"individual"}
KIDS = ("access_urls", "licenses", "languages", "domains", "classification_parts")
_YEAR = re.compile(r"^\d{4}$")


@lru_cache(maxsize=1)
def spdx_ids() -> frozenset[str]:
    """The SPDX licence list's ids (LicenseRef- ids have no SPDX page)."""
    listed = resources.files("classifier") / "data" / "spdx-licenses.json"
    return frozenset(json.loads(listed.read_text(encoding="utf-8"))["licenses"])


def render(registry: Registry, site_url: str, catalog_licence: str) -> dict[str, bytes]:
    """croissant/<id>.json for every entry, keyed by its path under the export folder."""
    verdicts = {r["entry_id"]: r for r in registry.rows("classifications")}
    kids = {name: registry.by_entry(name) for name in KIDS}
    files = {}
    for row in registry.rows("entries"):
        of = {name: rows.get(row["id"], []) for name, rows in kids.items()}
        item = document(row, of, verdicts.get(row["id"]), site_url, catalog_licence)
        # Compact, by json's C encoder (indent= falls back to the slow pure-Python one).
        text = json_text(item, ensure_ascii=False, separators=(",", ":")) + "\n"
        files[f"{FOLDER}/{row['id']}.json"] = text.encode("utf-8")
    return files


def document(
    row: dict, kids: dict[str, list[dict]], verdict: dict | None, site_url: str, licence: str
) -> dict:
    """The Croissant document of one entry; a key is present only when the entry states it."""
    imported = row.get("origin") == "imported"
    item = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "schemaVersion": versions.ENTRY_CROISSANT,
        "name": row["name"],
        "description": _description(row, imported),
        "url": row["homepage"],
        "mainEntityOfPage": f"{site_url}entries/{row['id']}.html",
        "license": [_licence(r, imported) for r in kids["licenses"]],
        "publisher": _publisher(row),
        "datePublished": _year(row.get("first_published")),
        "inLanguage": [r["language"] for r in kids["languages"]],
        "keywords": [r["domain"] for r in kids["domains"]] + [row["modality"]],
        "citeAs": cite_as(row),
        "sdPublisher": {**REGISTRY, "url": site_url},
        "sdLicense": _metadata_licence(row, licence),
        "commons:accessKind": row.get("access_kind"),
        "commons:accessURL": [r["url"] for r in kids["access_urls"]],
        "commons:verification": {"level": row["verification"], "checked_by_a_person": not imported},
        "commons:verdict": _verdict(verdict, kids["classification_parts"]),
        "commons:provenance": _provenance(row) if imported else None,
    }
    return {key: value for key, value in item.items() if value not in (None, [], "")}


def _description(row: dict, imported: bool) -> str:
    said = [row["summary"], row.get("description") or ""]
    if imported:
        said.append(
            f"Imported from the {row.get('provenance_source')} catalog (snapshot of "
            f"{row.get('provenance_snapshot')}). Its licence is the uploader's declaration, "
            "copied from that catalog; no person has checked it."
        )
    return "\n\n".join(text.strip() for text in said if text and text.strip())


def _licence(row: dict, declared: bool) -> dict:
    """A schema.org CreativeWork: the licence's name and SPDX expression, and its SPDX page when
    the expression is one SPDX id (else the URL the entry gives, if any)."""
    stated = licence_object(row)
    single = stated["ids"][0] if len(stated["ids"]) == 1 else None
    url = SPDX_URL.format(single) if single in spdx_ids() else stated["url"]
    notes = []
    if stated["scope"] and stated["scope"] != "all":
        notes.append(f"Covers: {stated['covers'] or stated['scope'].replace('-', ' ')}.")
    if declared:
        notes.append("Declared by the uploader; no person has checked it.")
    work = {
        "@type": "sc:CreativeWork",
        "name": stated["name"],
        "identifier": stated["expression"],
        "url": url,
        "description": " ".join(notes) or None,
    }
    return {key: value for key, value in work.items() if value}


def _publisher(row: dict) -> dict | None:
    """The publisher the entry names; schema.org needs its type (Organization or Person), so
    a publisher of unstated type (imported records) is named in `citeAs` only."""
    kind = row.get("publisher_type")
    if not row.get("publisher_name") or not kind:
        return None
    found = {
        "@type": "sc:Person" if kind in PEOPLE else "sc:Organization",
        "name": row["publisher_name"],
        "url": row.get("publisher_url"),
    }
    return {key: value for key, value in found.items() if value}


def _year(year: int | None) -> str | None:
    """An ISO 8601 year (schema.org Date) for years 1000-9999; other years are not written."""
    text = None if year is None else str(year)
    return text if text and _YEAR.match(text) else None


def cite_as(row: dict) -> str:
    """A credit line from what the entry states: publisher (year). Name. Homepage."""
    year = _year(row.get("first_published"))
    who = row.get("publisher_name")
    head = f"{who} ({year}). " if who and year else f"{who}. " if who else ""
    return f"{head}{row['name']}. {row['homepage']}"


def _metadata_licence(row: dict, catalog_licence: str) -> str:
    """The licence of this metadata: the registry's for curated entries, the source catalog's
    for imported records."""
    source = row.get("provenance_licence") if row.get("origin") == "imported" else None
    if not source:
        return catalog_licence
    return SPDX_URL.format(source) if source in spdx_ids() else source


def _verdict(row: dict | None, parts: list[dict]) -> dict | None:
    if row is None:
        return None
    return {
        "category": row.get("category"),
        "training": {k: row.get(f"training_{k}") for k in ("commercial", "non_commercial")},
        "holds_in": json_list(row.get("holds_in")),
        "holds_where": row.get("holds_where"),
        "applies_to": applies_to([part(p) for p in parts]),
        "obligations": json_list(row.get("obligations")),
        "confidence": row.get("confidence"),
        "rules_version": row.get("rules_version"),
        "as_of": row.get("as_of"),
    }


def _provenance(row: dict) -> dict:
    return {
        "source": row.get("provenance_source"),
        "snapshot": row.get("provenance_snapshot"),
        "record": row.get("provenance_record"),
        "metadata_licence": row.get("provenance_licence"),
    }
