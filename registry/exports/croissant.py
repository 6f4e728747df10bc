"""Croissant 1.0 JSON-LD describing the registry's own CSV distribution.

One FileObject per CSV file (with its sha256), and one RecordSet per table
whose fields extract the CSV columns; foreign keys become `references`.
`contentUrl`s are relative to the export folder unless a base URL is given.
"""

from __future__ import annotations

import hashlib

from registry.exports import versions
from registry.exports.csv_tables import TABLES, present_tables
from registry.exports.source import Registry, json_text

DATA_TYPES = {"string": "sc:Text", "integer": "sc:Integer", "number": "sc:Float", "date": "sc:Date"}

# The recommended context of the Croissant 1.0 specification (Appendix 1).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _file_object(name: str, data: bytes, base_url: str) -> dict:
    """The Croissant FileObject of one CSV table: where it is, how big, its checksum."""
    return {
        "@type": "cr:FileObject",
        "@id": f"{name}.csv",
        "name": f"{name}.csv",
        "description": TABLES[name]["description"],
        "contentUrl": f"{base_url}csv/{name}.csv",
        "contentSize": f"{len(data)} B",
        "encodingFormat": "text/csv",
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _record_set(name: str) -> dict:
    """The Croissant RecordSet of one CSV table: its columns, key and foreign keys."""
    table = TABLES[name]
    references = {
        cols[0]: f"{ref}/{ref_cols[0]}"
        for cols, ref, ref_cols in table["foreign_keys"]
        if len(cols) == 1
    }
    fields = []
    for column, kind in table["columns"].items():
        item = {
            "@type": "cr:Field",
            "@id": f"{name}/{column}",
            "name": column,
            "dataType": DATA_TYPES[kind],
            "source": {"fileObject": {"@id": f"{name}.csv"}, "extract": {"column": column}},
        }
        if column in references:
            # Croissant 1.0 §3.6: a reference names the field it points at.
            item["references"] = {"field": {"@id": references[column]}}
        fields.append(item)
    key = table["primary_key"]
    return {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": table["description"],
        "field": fields,
        "key": [{"@id": f"{name}/{k}"} for k in key]
        if len(key) > 1
        else {"@id": f"{name}/{key[0]}"},
    }


def document(
    registry: Registry, files: dict[str, bytes], site_url: str, base_url: str, licence: str
) -> dict:
    tables = present_tables(registry)
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "name": "Commons Registry",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "description": (
            "The catalog of the data commons: dataset entries with their licences, a rule-based "
            "classification and the reasons for it, as CSV tables."
        ),
        "license": licence,
        "url": site_url,
        "version": registry.build.rules_version or "0",
        "schemaVersion": versions.CSV,
        "datePublished": registry.build.built_at,
        "creator": {
            "@type": "sc:Organization",
            "name": "Commons Registry contributors",
            "url": site_url,
        },
        "keywords": ["data commons", "datasets", "licences"],
        "citeAs": (
            f"Commons Registry contributors. Commons Registry (rules "
            f"{registry.build.rules_version or 'unreleased'}), {registry.build.built_at[:10]}. "
            f"{site_url}"
        ),
        "isLiveDataset": True,
        "distribution": [_file_object(n, files[f"csv/{n}.csv"], base_url) for n in tables],
        "recordSet": [_record_set(name) for name in tables],
    }


def render(
    registry: Registry, files: dict[str, bytes], site_url: str, base_url: str, licence: str
) -> dict[str, bytes]:
    text = (
        json_text(
            document(registry, files, site_url, base_url, licence), indent=2, ensure_ascii=False
        )
        + "\n"
    )
    return {"croissant.json": text.encode("utf-8")}
