"""Croissant 1.0 JSON-LD describing the registry's own CSV distribution.

One FileObject per CSV file (with its sha256), and one RecordSet per table
whose fields extract the CSV columns; foreign keys become `references`.
`contentUrl`s are relative to the export folder unless a base URL is given.
"""

from __future__ import annotations

import hashlib

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


def document(
    registry: Registry, files: dict[str, bytes], site_url: str, base_url: str, licence: str
) -> dict:
    distribution, record_sets = [], []
    for name in present_tables(registry):
        path = f"csv/{name}.csv"
        file_id = f"{name}.csv"
        distribution.append(
            {
                "@type": "cr:FileObject",
                "@id": file_id,
                "name": file_id,
                "description": TABLES[name]["description"],
                "contentUrl": f"{base_url}{path}",
                "contentSize": f"{len(files[path])} B",
                "encodingFormat": "text/csv",
                "sha256": hashlib.sha256(files[path]).hexdigest(),
            }
        )
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
                "source": {"fileObject": {"@id": file_id}, "extract": {"column": column}},
            }
            if column in references:
                item["references"] = {"@id": references[column]}
            fields.append(item)
        record_set = {
            "@type": "cr:RecordSet",
            "@id": name,
            "name": name,
            "description": table["description"],
            "field": fields,
        }
        key = table["primary_key"]
        record_set["key"] = (
            [{"@id": f"{name}/{k}"} for k in key] if len(key) > 1 else {"@id": f"{name}/{key[0]}"}
        )
        record_sets.append(record_set)
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
        "datePublished": registry.build.built_at,
        "creator": {
            "@type": "sc:Organization",
            "name": "Commons Registry contributors",
            "url": site_url,
        },
        "keywords": ["data commons", "datasets", "licences"],
        "isLiveDataset": True,
        "distribution": distribution,
        "recordSet": record_sets,
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
