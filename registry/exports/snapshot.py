"""The Global Training Commons snapshot: what a researcher downloads to train without negotiation.

Every commons-by-default dataset of the build (curated and imported), each with its access
URLs, licences (name and SPDX id), where the verdict holds, the parts it holds for, the
obligations, the attribution text a trainer carries and how well its rights were checked.
Written under snapshot/ as JSON (with its JSON Schema), as Croissant describing that JSON, and
with a SHA256SUMS file; the notice files of the catalogs imported records came from travel with
it. Nothing in it depends on the time or the commit of the build (only on the entries, the rules
and the as-of date), so a rebuild gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from registry.exports import croissant, versions
from registry.exports.source import ExportError, Registry, json_list, json_text
from registry.site.wording import DUTIES, licence_in_words

FORMAT_VERSION = versions.SNAPSHOT  # of the snapshot's JSON shape (snapshot.schema.json)
FOLDER = "snapshot"
SCHEMA_FILE = "snapshot.schema.json"
COMMONS = "commons-by-default"
VERIFICATION = {
    "high": "A person read the licence or rights statement on a primary page.",
    "medium": "A person checked the rights on secondary evidence, or has not re-read them.",
    "low": "A person recorded the rights, but their basis is unclear.",
    "declared": (
        "The licence is the uploader's declaration, copied from another catalog's metadata; "
        "no person has checked it. Check it before relying on it."
    ),
}
ABOUT = (
    "Every dataset the registry classifies as commons by default under the rules version "
    "named here: you may train on it without negotiating, where the verdict holds, if you meet "
    "its obligations and carry its attribution text. Imported records state licences declared "
    "by their uploaders and checked by no one (verification 'declared'); a dataset whose "
    "verdict is split holds only for the parts marked commons."
)
_CC_BY = re.compile(r"^CC-BY(-SA)?-\d")  # Creative Commons Attribution (and ShareAlike)
_TOKEN = re.compile(r"[A-Za-z0-9.+\-]+")


def names(rules_version: str | None) -> dict[str, str]:
    """The snapshot's file names under snapshot/, the rules version in the data files' names."""
    stem = f"global-training-commons-{rules_version or 'unreleased'}"
    return {
        "json": f"{stem}.json",
        "croissant": f"{stem}.croissant.json",
        "schema": "global-training-commons.schema.json",
    }


def dataset_objects(registry: Registry, site_url: str) -> list[dict]:
    """One object per commons-by-default entry, in id order."""
    classes = {r["entry_id"]: r for r in registry.rows("classifications")}
    kids = {
        name: registry.by_entry(name)
        for name in ("access_urls", "licenses", "license_ids", "languages", "classification_parts")
    }
    found = []
    for row in registry.rows("entries"):
        verdict = classes.get(row["id"])
        if verdict is None or verdict.get("category") != COMMONS:
            continue
        of = {name: rows.get(row["id"], []) for name, rows in kids.items()}
        found.append(_dataset(row, verdict, of, site_url))
    return found


def _dataset(row: dict, verdict: dict, kids: dict[str, list[dict]], site_url: str) -> dict:
    licences = [licence_object(r) for r in kids["licenses"]]
    obligations = json_list(verdict.get("obligations"))
    parts = [part(p) for p in kids["classification_parts"]]
    return {
        "id": row["id"],
        "name": row["name"],
        "summary": row["summary"],
        "page": f"{site_url}entries/{row['id']}.html",
        "homepage": row["homepage"],
        "access": {"kind": row.get("access_kind"), "urls": [r["url"] for r in kids["access_urls"]]},
        "publisher": {"name": row.get("publisher_name"), "url": row.get("publisher_url")},
        "modality": row["modality"],
        "languages": [r["language"] for r in kids["languages"]],
        "licences": licences,
        "spdx_ids": [r["license_id"] for r in kids["license_ids"]],
        "holds_in": json_list(verdict.get("holds_in")),
        "holds_where": verdict.get("holds_where"),
        "applies_to": applies_to(parts),
        "parts": parts,
        "obligations": obligations,
        "training": {k: verdict.get(f"training_{k}") for k in ("commercial", "non_commercial")},
        "attribution": attribution(row, licences, "attribution" in obligations),
        "confidence": verdict.get("confidence"),
        "verification": _verification(row),
        "provenance": _provenance(row),
    }


def licence_object(row: dict) -> dict:
    expression = row["expression"]
    ids = [t for t in _TOKEN.findall(expression) if t not in ("AND", "OR", "WITH")]
    return {
        "expression": expression,
        "name": " ".join(licence_in_words(expression).split()),  # SPDX has doubled spaces
        "ids": ids,
        "scope": row.get("scope"),
        "covers": row.get("covers"),
        "url": row.get("url"),
    }


def part(row: dict) -> dict:
    return {
        "scope": row["scope"],
        "category": row.get("category"),
        "commons": row.get("category") == COMMONS,
        "holds_in": json_list(row.get("holds_in")),
        "licence": row.get("detail"),
        "text": row.get("text"),
    }


def applies_to(parts: list[dict]) -> str:
    """Which parts the commons verdict covers: the whole dataset unless a part has another."""
    left_out = [p for p in parts if not p["commons"]]
    if not left_out:
        return "the whole dataset"
    kept = "; ".join(p["scope"] for p in parts if p["commons"])
    out = "; ".join(f"{p['scope']} ({p['category']})" for p in left_out)
    return f"only these parts: {kept}. Not: {out}"


def attribution(row: dict, licences: list[dict], required: bool) -> dict:
    """The credit line, built only from what the entry states: title, publisher, licence, URL.

    Creative Commons Attribution licences get their TASL form (title, author, source, licence).
    """
    title, author, source = row["name"], row["publisher_name"], row["homepage"]
    stated = "; ".join(
        f"{lic['name']} ({lic['expression']})" + (f", {lic['url']}" if lic["url"] else "")
        for lic in licences
    )
    cc_by = bool(licences) and all(_CC_BY.match(lic["expression"]) for lic in licences)
    if cc_by:
        text = f'"{title}" by {author}, {source}, is licensed under {stated}.'
    else:
        text = f'"{title}" by {author}, {source}. Licence: {stated or "none stated"}.'
    return {"required": required, "form": "TASL" if cc_by else "credit line", "text": text}


def _verification(row: dict) -> dict:
    level = row["verification"]
    return {"level": level, "checked_by_a_person": level != "declared"}


def _provenance(row: dict) -> dict:
    if row.get("origin") != "imported":
        return {"origin": "curated", "file": row.get("source_path")}
    return {
        "origin": "imported",
        "file": row.get("source_path"),
        "source": row.get("provenance_source"),
        "snapshot": row.get("provenance_snapshot"),
        "record": row.get("provenance_record"),
        "metadata_licence": row.get("provenance_licence"),
    }


def _sources(datasets: list[dict], notices: dict[str, list[str]]) -> list[dict]:
    """The catalogs imported records came from, with the notice files that travel with them."""
    found: dict[str, dict] = {}
    for item in datasets:
        origin = item["provenance"]
        if origin["origin"] != "imported":
            continue
        source = found.setdefault(
            origin["source"],
            {
                "source": origin["source"],
                "snapshot": origin["snapshot"],
                "metadata_licence": origin["metadata_licence"],
                "records": 0,
                "notices": [
                    f"notices/{origin['source']}/{n}" for n in notices.get(origin["source"], [])
                ],
            },
        )
        source["records"] += 1
    return [found[name] for name in sorted(found)]


def _obligations(datasets: list[dict]) -> set[str]:
    return {o for item in datasets for o in item["obligations"]}


def _as_of(registry: Registry) -> str | None:
    days = {r.get("as_of") for r in registry.rows("classifications") if r.get("as_of")}
    return max(days) if days else None


def render(
    registry: Registry, site_url: str, licence: str, imports: Path | None
) -> dict[str, bytes]:
    """snapshot/: the JSON manifest, its schema, its Croissant and the notices (files.render
    adds the folder's own SHA256SUMS)."""
    datasets = dataset_objects(registry, site_url)
    notice_files = _notice_files(datasets, imports)
    notices = {source: sorted(texts) for source, texts in notice_files.items()}
    header = {
        "format": "global-training-commons",
        "version": FORMAT_VERSION,
        "name": "Global Training Commons",
        "about": ABOUT,
        "rules_version": registry.build.rules_version,
        "as_of": _as_of(registry),
        "dataset_count": len(datasets),
        "curated_count": sum(d["provenance"]["origin"] == "curated" for d in datasets),
        "imported_count": sum(d["provenance"]["origin"] == "imported" for d in datasets),
        "verification_levels": VERIFICATION,
        "duties": {o: DUTIES[o] for o in sorted(_obligations(datasets)) if o in DUTIES},
        "sources": _sources(datasets, notices),
    }
    encoded = [json_text(item, ensure_ascii=False, separators=(",", ":")) for item in datasets]
    head = json_text(header, ensure_ascii=False, separators=(",", ":"))[:-1]
    body = head + ',"datasets":[\n' + ",\n".join(encoded) + ("\n" if encoded else "") + "]}\n"
    called = names(registry.build.rules_version)
    out = {called["json"]: body.encode("utf-8"), called["schema"]: _schema_bytes()}
    for source, texts in notice_files.items():
        for name, data in texts.items():
            out[f"notices/{source}/{name}"] = data
    document = _croissant(header, called, out[called["json"]], site_url, licence)
    out[called["croissant"]] = (json_text(document, indent=2, ensure_ascii=False) + "\n").encode()
    return {f"{FOLDER}/{path}": data for path, data in out.items()}


def manifest_in(folder: Path) -> Path | None:
    """The snapshot's JSON file in an export's snapshot/ folder, if there is one."""
    found = [
        p
        for p in folder.glob("global-training-commons-*.json")
        if not p.name.endswith((".croissant.json", ".schema.json"))
    ]
    return found[0] if len(found) == 1 else None


def read_header(manifest: Path) -> dict:
    """The snapshot's header without reading its datasets: render writes it as the first line."""
    with manifest.open(encoding="utf-8") as handle:
        first = handle.readline()
    return json.loads(first.removesuffix(',"datasets":[\n') + "}")


def _notice_files(datasets: list[dict], imports: Path | None) -> dict[str, dict[str, bytes]]:
    """Each import source's licence and notice files (imports/<source>/LICENSE*), which its
    metadata licence asks to travel with anything derived from it."""
    wanted = sorted({d["provenance"].get("source") for d in datasets} - {None})
    found: dict[str, dict[str, bytes]] = {}
    for source in wanted:
        folder = imports / source if imports else None
        if folder is None or not folder.is_dir():
            raise ExportError(
                f"the snapshot holds records imported from {source}, whose licence text must "
                f"travel with them, but {folder or 'no imports folder'} was not found; run "
                "`commons export` in the repository or pass --imports IMPORTS_FOLDER"
            )
        found[source] = {p.name: p.read_bytes() for p in sorted(folder.glob("LICENSE*"))}
    return found


def _schema_bytes() -> bytes:
    return (Path(__file__).parent / SCHEMA_FILE).read_bytes()


# Croissant fields of the `datasets` record set: name, JSON path under $.datasets[*], type.
FIELDS = (
    ("id", "id", "sc:Text", False),
    ("name", "name", "sc:Text", False),
    ("page", "page", "sc:URL", False),
    ("homepage", "homepage", "sc:URL", False),
    ("access_urls", "access.urls", "sc:URL", True),
    ("spdx_ids", "spdx_ids", "sc:Text", True),
    ("holds_where", "holds_where", "sc:Text", False),
    ("applies_to", "applies_to", "sc:Text", False),
    ("obligations", "obligations", "sc:Text", True),
    ("attribution", "attribution.text", "sc:Text", False),
    ("verification", "verification.level", "sc:Text", False),
    ("origin", "provenance.origin", "sc:Text", False),
)


def _fields(file_id: str) -> list[dict]:
    """The Croissant fields of the `datasets` record set, each read from the JSON by its path."""
    fields = []
    for name, path, kind, repeated in FIELDS:
        field = {
            "@type": "cr:Field",
            "@id": f"datasets/{name}",
            "name": name,
            "dataType": kind,
            "source": {
                "fileObject": {"@id": file_id},
                "extract": {"jsonPath": f"$.datasets[*].{path}"},
            },
        }
        if repeated:
            field["repeated"] = True
        fields.append(field)
    return fields


def _croissant(header, called, manifest: bytes, site_url, licence) -> dict:
    """Croissant 1.0 describing the JSON manifest: one record per dataset, read by JSON path."""
    file_id = called["json"]
    version = header["rules_version"] or "unreleased"
    return {
        "@context": croissant.CONTEXT,
        "@type": "sc:Dataset",
        "name": f"Global Training Commons (rules {version})",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "description": header["about"],
        "license": licence,
        "url": f"{site_url}downloads.html",
        "version": version,
        "datePublished": header["as_of"],
        "creator": {
            "@type": "sc:Organization",
            "name": "Commons Registry contributors",
            "url": site_url,
        },
        "keywords": ["data commons", "training data", "licences", "attribution"],
        "citeAs": (
            f"Commons Registry contributors. Global Training Commons (rules {version}), "
            f"{header['as_of']}. {site_url}downloads.html"
        ),
        "distribution": [
            {
                "@type": "cr:FileObject",
                "@id": file_id,
                "name": file_id,
                "description": "The snapshot: one JSON object per commons-by-default dataset.",
                "contentUrl": file_id,  # beside this file: the folder works as downloaded
                "contentSize": f"{len(manifest)} B",
                "encodingFormat": "application/json",
                "sha256": hashlib.sha256(manifest).hexdigest(),
            }
        ],
        "recordSet": [
            {
                "@type": "cr:RecordSet",
                "@id": "datasets",
                "name": "datasets",
                "description": "One record per commons-by-default dataset.",
                "key": {"@id": "datasets/id"},
                "field": _fields(file_id),
            }
        ],
    }


def schema() -> dict:
    return json.loads(_schema_bytes())
