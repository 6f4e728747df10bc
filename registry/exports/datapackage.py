"""Frictionless Data Package: datapackage.json describing the CSV files under csv/.

Each resource has a Table Schema with types, a primary key and foreign keys to
`entries`, so `frictionless validate datapackage.json` checks the data as well
as the descriptor.
"""

from __future__ import annotations

import hashlib

from registry.exports import csv_export, versions
from registry.exports.csv_tables import TABLES, present_tables
from registry.exports.source import Registry, json_text

PROFILE = "tabular-data-package"


def descriptor(registry: Registry, files: dict[str, bytes], site_url: str) -> dict:
    resources = []
    for name in present_tables(registry):
        table = TABLES[name]
        data = files[f"csv/{name}.csv"]
        fields = [
            {"name": column, "type": kind, **({"format": "default"} if kind == "date" else {})}
            for column, kind in table["columns"].items()
        ]
        for item in fields:
            if item["name"] in table["primary_key"]:
                item["constraints"] = {"required": True}
        schema = {"fields": fields, "primaryKey": table["primary_key"], "missingValues": [""]}
        if table["foreign_keys"]:
            schema["foreignKeys"] = [
                {"fields": cols, "reference": {"resource": ref, "fields": ref_cols}}
                for cols, ref, ref_cols in table["foreign_keys"]
            ]
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": f"csv/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": len(data),
                "hash": hashlib.md5(data).hexdigest(),
                "description": table["description"],
                "schema": schema,
            }
        )
    # Foreign keys name resources, whose names use '-' (Data Package names).
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            key["reference"]["resource"] = key["reference"]["resource"].replace("_", "-")
    return {
        "profile": PROFILE,
        "name": "commons-registry",
        "title": "Commons Registry",
        "description": (
            "The catalog of the data commons: every dataset entry with its licences, its "
            "classification and the reasons for it. Text cells that start with = + - @ (or a tab "
            "or carriage return) are written with a leading apostrophe so spreadsheets do not run "
            "them as formulas."
        ),
        "homepage": site_url,
        "version": registry.build.rules_version or "",
        "schema_version": versions.CSV,
        "created": registry.build.built_at,
        "licenses": [
            {
                "name": "CC0-1.0",
                "path": "https://creativecommons.org/publicdomain/zero/1.0/",
                "title": "Creative Commons Zero v1.0 Universal",
            }
        ],
        "keywords": ["data commons", "datasets", "licences", "AI training data"],
        "resources": resources,
    }


def render(
    registry: Registry, site_url: str, files: dict[str, bytes] | None = None
) -> dict[str, bytes]:
    """datapackage.json, plus the CSV files unless they were rendered already."""
    files = dict(files) if files is not None else csv_export.render(registry)
    document = descriptor(registry, files, site_url)
    files["datapackage.json"] = (json_text(document, indent=2, ensure_ascii=False) + "\n").encode(
        "utf-8"
    )
    return files
