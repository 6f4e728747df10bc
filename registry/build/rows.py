"""Entries and classifications as rows of the declared tables.

Pure functions: the same entry gives the same rows, in the same order, so the
database a cold build makes from them is byte-identical run after run. Authored rows and
computed rows are produced apart, matching the tables in db_schema.
"""

from __future__ import annotations

import json
from collections import defaultdict
from json.encoder import encode_basestring

from registry.build.git_dates import FileDates
from registry.entry.licenses import license_keys
from registry.entry.schema import Entry

Rows = dict[str, list[dict]]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# One encoder for every row: json.dumps with options builds a new encoder per call.
_encode = json.JSONEncoder(ensure_ascii=False).encode


def _json(values) -> str:
    """A JSON list, as json.dumps(list(values), ensure_ascii=False) writes it.

    Lists of strings, nearly every one, are joined from each string's JSON
    form: a third of the encoder's cost, which builds a new C encoder per call.
    """
    items = list(values)
    if all(type(item) is str for item in items):
        return "[" + ", ".join(map(encode_basestring, items)) + "]"
    return _encode(items)


def authored_rows(entry: Entry, source_path: str, digest: str, dates: FileDates) -> Rows:
    """Rows of `entries` and its child tables for one entry."""
    rows: Rows = defaultdict(list)
    size = entry.size
    rows["entries"].append(
        {
            "id": entry.id,
            "name": entry.name,
            "summary": entry.summary,
            "description": entry.description,
            "homepage": entry.homepage,
            "access_kind": entry.access.kind,
            "publisher_name": entry.publisher.name,
            "publisher_type": entry.publisher.type,
            "publisher_url": entry.publisher.url,
            "modality": entry.modality,
            "is_metadata": int(entry.is_metadata),
            "size_value": size.value if size else None,
            "size_unit": size.unit if size else None,
            "size_as_of": _iso(size.as_of) if size else None,
            "size_approximate": int(size.approximate) if size else None,
            "copyright_basis": entry.copyright_basis,
            "first_published": entry.first_published,
            **_collection_columns(entry),
            "creator_death_year": entry.creator_death_year,
            "creation_year": entry.creation_year,
            "authorship": entry.authorship,
            "verification": entry.verification,
            "rights_notes": entry.rights_notes,
            "packaged_for_ai_training": int(entry.packaged_for_ai_training),
            "status": entry.status,
            "origin": origin_of(source_path),
            **_provenance_columns(entry),
            "source_path": source_path,
            "digest": digest,
            "created": dates.created,
            "updated": dates.updated,
        }
    )
    eid = entry.id
    rows["access_urls"] = [
        {"entry_id": eid, "position": i, "url": url} for i, url in enumerate(entry.access.urls)
    ]
    rows["licenses"] = [
        {
            "entry_id": eid,
            "position": i,
            "expression": lic.expression,
            "scope": lic.scope,
            "url": lic.url,
            "covers": lic.covers,
        }
        for i, lic in enumerate(entry.licenses)
    ]
    rows["access_terms"] = [
        {
            "entry_id": eid,
            "position": i,
            "name": t.name,
            "url": t.url,
            "restricts": _json(t.restricts),
            "commercial_only": int(t.commercial_only),
            "other_routes": int(t.other_routes),
            "route": t.route,
            "checked": _iso(t.checked),
            "note": t.note,
        }
        for i, t in enumerate(entry.access_terms)
    ]
    keys = sorted({key for lic in entry.licenses for key in license_keys(lic.expression)})
    rows["license_ids"] = [{"entry_id": eid, "license_id": key} for key in keys]
    rows["signals"] = [
        {
            "entry_id": eid,
            "position": i,
            "vocabulary": s.vocabulary,
            "value": s.value,
            "source": s.source,
            "observed": _iso(s.observed),
        }
        for i, s in enumerate(entry.signals)
    ]
    rows["domains"] = [{"entry_id": eid, "domain": d} for d in entry.domains]
    rows["languages"] = [{"entry_id": eid, "language": lang} for lang in entry.languages]
    rows["jurisdictions"] = [{"entry_id": eid, "jurisdiction": j} for j in entry.jurisdictions]
    rows["source_domains"] = [{"entry_id": eid, "host": h} for h in entry.source_domains]
    rows["lineage"] = [
        {"entry_id": eid, "relation": "derived_from", "related_id": r} for r in entry.derived_from
    ] + [{"entry_id": eid, "relation": "included_in", "related_id": r} for r in entry.included_in]
    rows["aliases"] = [{"alias": a, "entry_id": eid} for a in entry.aliases]
    rows["evidence"] = [
        {"entry_id": eid, "position": i, "url": e.url, "checked": _iso(e.checked)}
        for i, e in enumerate(entry.evidence)
    ]
    return rows


def _collection_columns(entry: Entry) -> dict:
    """The collection-level rights of an entry, flattened for querying and facets."""
    items, renewal, said = entry.items_published, entry.us_renewal, entry.rights_statement
    return {
        "items_published_earliest": items.earliest if items else None,
        "items_published_latest": items.latest if items else None,
        "items_published_evidence": items.evidence if items else None,
        "items_published_note": items.note if items else None,
        "us_renewal": renewal.status if renewal else None,
        "us_renewal_evidence": renewal.evidence if renewal else None,
        "rights_statement": said.id if said else None,
        "rights_statement_by": said.by if said else None,
        "rights_statement_by_type": said.by_type if said else None,
        "rights_statement_url": said.url if said else None,
        "rights_statement_wording": said.wording if said else None,
        "rights_statement_determination": said.determination if said else None,
        "rights_statement_applies_in": _json(said.applies_in) if said else None,
    }


def classification_rows(classification) -> Rows:
    """Rows of the computed tables (classifications, reasons, template_fits) for one entry."""
    c = classification
    eid = c.entry_id
    uses = c.uses
    row = {
        "entry_id": eid,
        "category": c.category,
        "license_family": c.license_family,
        "obligations": _json(c.obligations),
        "enters_commons_on": _iso(c.enters_commons_on),
        "holds_in": _json(c.jurisdictions),
        "conflicts": _json(c.conflicts),
        "use_conditions": _encode(
            {use: list(verdict.conditions) for use, verdict in sorted(uses.items())}
        ),
        "notes": _json(c.notes),
        "confidence": c.confidence,
        "holds_where": c.where,
        "plain": c.plain,
        "rules_version": c.rules_version,
        "as_of": _iso(c.as_of),
    }
    for use in ("training", "retrieval", "evaluation"):
        verdict = uses.get(use)
        row[f"{use}_commercial"] = verdict.commercial if verdict else None
        row[f"{use}_non_commercial"] = verdict.non_commercial if verdict else None
    return {
        "classifications": [row],
        "classification_parts": [
            {
                "entry_id": eid,
                "position": i,
                "scope": p.scope,
                "category": p.category,
                "holds_in": _json(p.jurisdictions),
                "detail": p.detail,
                "text": p.text,
            }
            for i, p in enumerate(c.parts)
        ],
        "reasons": [
            {
                "entry_id": eid,
                "position": i,
                "rule": r.rule,
                "text": r.text,
                "citation": r.citation,
                "effect": r.effect,
            }
            for i, r in enumerate(c.reasons)
        ],
        "template_fits": [
            {"entry_id": eid, "template": t.template, "fit": t.fit, "why": t.why}
            for t in c.templates
        ],
    }


def origin_of(source_path: str) -> str:
    """`imported` for a record kept in imports/, `curated` for an entry file in entries/."""
    return "imported" if source_path.startswith("imports/") else "curated"


def _provenance_columns(entry: Entry) -> dict:
    """Where an imported record's values came from (all None for an entry written by hand)."""
    found = entry.provenance
    return {
        "provenance_source": found.source if found else None,
        "provenance_snapshot": _iso(found.snapshot) if found else None,
        "provenance_record": found.record if found else None,
        "provenance_file": found.source_file if found else None,
        "provenance_licence": found.source_licence if found else None,
        "provenance_fields": json.dumps(found.fields, ensure_ascii=False) if found else None,
    }


def catalog_row(entry: Entry, dates: FileDates, classification=None, origin=None) -> dict:
    """The denormalised browse row: arrays as JSON for Datasette's array facets."""
    uses = classification.uses if classification else {}
    training = uses.get("training")
    return {
        "id": entry.id,
        "name": entry.name,
        "summary": entry.summary,
        "description": entry.description,
        "category": classification.category if classification else None,
        "license_family": classification.license_family if classification else None,
        "licenses": _json(lic.expression for lic in entry.licenses),
        "modality": entry.modality,
        "languages": _json(entry.languages),
        "domains": _json(entry.domains),
        "publisher": entry.publisher.name,
        "publisher_type": entry.publisher.type,
        # The signals the classifier read: the entry's own and those observed at its sources.
        "signals": _json(
            sorted(
                {f"{s[0]}: {s[1]}" for s in classification.signals}
                if classification
                else {f"{s.vocabulary}: {s.value}" for s in entry.signals}
            )
        ),
        "verification": entry.verification,
        "origin": origin,
        "source": entry.provenance.source if entry.provenance else None,
        "status": entry.status,
        "training_commercial": training.commercial if training else None,
        "enters_commons_on": _iso(classification.enters_commons_on) if classification else None,
        "updated": dates.updated,
    }


def rule_rows(rules) -> Rows:
    """The rules in force and their changelog, so each reason's rule can be looked up."""
    return {
        "rules": [
            {
                "id": r.id,
                "kind": r.kind,
                "file": r.file,
                "effect": json.dumps(r.then, sort_keys=True, ensure_ascii=False, default=str),
                "reason": r.reason,
                "citation": r.citation,
            }
            for r in sorted(rules.rules, key=lambda rule: rule.id)
        ],
        "rule_changes": [
            {
                "version": str(c["version"]),
                "date": str(c.get("date")) if c.get("date") is not None else None,
                "summary": str(c["change"]),
                "reason": str(c["reason"]),
            }
            for c in sorted(rules.changelog, key=lambda change: str(change["version"]))
        ],
    }
