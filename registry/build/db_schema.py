"""The registry database's declared schema: every table, column, key and index.

Tables are created from this declaration before any row is inserted, so a
column is never inferred from data and an unknown key can never become one.
Authored data (entries and its child tables) is kept apart from computed data
(classifications, reasons, template fits, overlaps, the `catalog` browse table).
"""

from __future__ import annotations

SCHEMA_VERSION = 10

# name → {columns (ordered), pk, foreign_keys [(column, table, column)], indexes [[columns]],
# not_null, row_order [columns]}
TABLES: dict[str, dict] = {
    # Authored data, one row per entry file.
    "entries": {
        "columns": {
            "id": str,
            "name": str,
            "summary": str,
            "description": str,
            "homepage": str,
            "access_kind": str,
            "publisher_name": str,
            "publisher_type": str,
            "publisher_url": str,
            "modality": str,
            "is_metadata": int,
            "size_value": float,
            "size_unit": str,
            "size_as_of": str,
            "size_approximate": int,
            "copyright_basis": str,
            "first_published": int,
            "items_published_earliest": int,
            "items_published_latest": int,
            "items_published_evidence": str,
            "items_published_note": str,
            "creator_death_year": int,
            "creation_year": int,
            "authorship": str,
            "us_renewal": str,
            "us_renewal_evidence": str,
            "rights_statement": str,  # rightsstatements.org id or PDM
            "rights_statement_by": str,
            "rights_statement_by_type": str,
            "rights_statement_url": str,
            "rights_statement_wording": str,
            "rights_statement_determination": str,
            "rights_statement_applies_in": str,  # JSON array
            "verification": str,
            "rights_notes": str,
            "packaged_for_ai_training": int,
            "status": str,
            "origin": str,  # curated (entries/) or imported (imports/<source>/)
            "provenance_source": str,  # the catalog an imported record came from
            "provenance_snapshot": str,
            "provenance_record": str,
            "provenance_file": str,
            "provenance_licence": str,
            "provenance_fields": str,  # JSON object: entry field -> source field
            "source_path": str,
            "digest": str,
            "created": str,
            "updated": str,
        },
        "pk": "id",
        "not_null": {
            "name",
            "summary",
            "homepage",
            "verification",
            "status",
            "source_path",
            "digest",
        },
        "indexes": [
            ["modality"],
            ["publisher_type"],
            ["copyright_basis"],
            ["verification"],
            ["status"],
            ["rights_statement"],
        ],
    },
    "access_urls": {
        "columns": {"entry_id": str, "position": int, "url": str},
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    "licenses": {
        "columns": {
            "entry_id": str,
            "position": int,
            "expression": str,
            "scope": str,
            "url": str,
            "covers": str,
        },
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["expression"]],
    },
    "license_ids": {
        "columns": {"entry_id": str, "license_id": str},
        "pk": ("entry_id", "license_id"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["license_id"]],
    },
    "signals": {
        "columns": {
            "entry_id": str,
            "position": int,
            "vocabulary": str,
            "value": str,
            "source": str,
            "observed": str,
        },
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
        # Covers the signals facet (group by vocabulary, value; count entries).
        "indexes": [["vocabulary", "value", "entry_id"]],
    },
    # Terms a user accepts to obtain the data: contracts beside the licence.
    "access_terms": {
        "columns": {
            "entry_id": str,
            "position": int,
            "name": str,
            "url": str,
            "restricts": str,  # JSON array of uses
            "commercial_only": int,
            "other_routes": int,
            "route": str,
            "checked": str,
            "note": str,
        },
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    "domains": {
        "columns": {"entry_id": str, "domain": str},
        "pk": ("entry_id", "domain"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["domain"]],
    },
    "languages": {
        "columns": {"entry_id": str, "language": str},
        "pk": ("entry_id", "language"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["language"]],
    },
    "jurisdictions": {
        "columns": {"entry_id": str, "jurisdiction": str},
        "pk": ("entry_id", "jurisdiction"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["jurisdiction"]],
    },
    "source_domains": {
        "columns": {"entry_id": str, "host": str},
        "pk": ("entry_id", "host"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["host"]],
    },
    # relation: derived_from | included_in, as authored on `entry_id`.
    "lineage": {
        "columns": {"entry_id": str, "relation": str, "related_id": str},
        "pk": ("entry_id", "relation", "related_id"),
        "foreign_keys": [("entry_id", "entries", "id"), ("related_id", "entries", "id")],
        "indexes": [["related_id"]],
    },
    "aliases": {
        "columns": {"alias": str, "entry_id": str},
        "pk": "alias",
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["entry_id"]],
    },
    "evidence": {
        "columns": {"entry_id": str, "position": int, "url": str, "checked": str},
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    # The observation history of each source (observations/<source>.yaml), one row per
    # observation, with what the rules make of its signals (computed at the build's as-of date).
    "observations": {
        "columns": {
            "source": str,  # the host, as entries' source_domains name it
            "position": int,  # in the file: oldest first
            "observed": str,
            "month": str,  # YYYY-MM, for the facet
            "url": str,
            "by": str,  # refresh-signals | import-signals
            "tracker": str,
            "snapshot": str,
            "file": str,
            "sha256": str,
            "lower_cased": int,
            "rejected": str,  # why what was fetched was not read
            "signals": str,  # JSON array of "vocabulary: value", for the array facet
            "rules": str,  # JSON array of the signal rules they fire
            "restricts": str,  # JSON array of the uses those rules restrict
            "change": str,  # first | changed | same | rejected: against the last readable one
            "since": str,  # when this set of signals was first seen (readable rows)
            "training_restricted_since": str,  # start of the run that restricts training
            "in_force": int,  # 1: the latest readable observation on or before the as-of date
        },
        "pk": ("source", "position"),
        "indexes": [["observed"], ["in_force", "source"]],
    },
    "observation_signals": {
        "columns": {
            "source": str,
            "position": int,
            "signal": int,
            "vocabulary": str,
            "value": str,
            "found_at": str,  # the URL it was found at
            "note": str,
            "rules": str,  # JSON array of the rules it fires
            "restricts": str,  # JSON array of uses
        },
        "pk": ("source", "position", "signal"),
        "indexes": [["vocabulary", "value"]],
    },
    # Computed by the classifier; never authored.
    "classifications": {
        "columns": {
            "entry_id": str,
            "category": str,
            "license_family": str,
            "obligations": str,  # JSON array
            "training_commercial": str,
            "training_non_commercial": str,
            "retrieval_commercial": str,
            "retrieval_non_commercial": str,
            "evaluation_commercial": str,
            "evaluation_non_commercial": str,
            "enters_commons_on": str,
            "holds_in": str,  # JSON array of jurisdictions; [] = everywhere
            "conflicts": str,  # JSON array
            "use_conditions": str,  # JSON object: use → list of conditions
            "notes": str,  # JSON array
            "confidence": str,  # high, medium, low
            "holds_where": str,  # where the result holds, in plain words
            "plain": str,  # the answer in plain words: can I train on this, and where?
            "rules_version": str,
            "as_of": str,
        },
        "pk": "entry_id",
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["category"], ["license_family"], ["enters_commons_on"]],
    },
    # Split verdicts: the parts of an entry that have their own answer.
    "classification_parts": {
        "columns": {
            "entry_id": str,
            "position": int,
            "scope": str,
            "category": str,
            "holds_in": str,  # JSON array of jurisdictions; [] = as the entry's answer
            "detail": str,
            "text": str,
        },
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    "reasons": {
        "columns": {
            "entry_id": str,
            "position": int,
            "rule": str,
            "text": str,
            "citation": str,
            "effect": str,
        },
        "pk": ("entry_id", "position"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["rule"]],
    },
    "template_fits": {
        "columns": {"entry_id": str, "template": str, "fit": str, "why": str},
        "pk": ("entry_id", "template"),
        "foreign_keys": [("entry_id", "entries", "id")],
        "indexes": [["template", "fit"]],
    },
    # Computed redundancy between catalog entries (score in [0, 1], explained).
    "overlaps": {
        "columns": {
            "entry_id": str,
            "other_id": str,
            "score": float,
            "relation": str,
            "evidence": str,
        },
        "pk": ("entry_id", "other_id"),
        "foreign_keys": [("entry_id", "entries", "id"), ("other_id", "entries", "id")],
        "indexes": [["other_id"]],
    },
    # Each entry's page digest, what the static site's rebuild compares (build/page_keys.py): its
    # own rows and lineage (own), its overlap rows (overlaps), and the page, with what it takes
    # of the entries it links to. Not catalog data: hidden in Datasette (datasette.yml), not
    # exported.
    "page_digests": {
        "columns": {"entry_id": str, "own": bytes, "overlaps": bytes, "page": str},
        "pk": "entry_id",
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    # Published content sketches (registry/overlap/sketch.py), read from the
    # file an entry's `fingerprint.path` names and checked against its sha256.
    "fingerprints": {
        "columns": {
            "entry_id": str,
            "path": str,
            "sha256": str,
            "num_perm": int,
            "shingles": int,
            "sketch": str,
        },
        "pk": "entry_id",
        "foreign_keys": [("entry_id", "entries", "id")],
    },
    # The rules in force, so Datasette and the site can show each reason's rule.
    "rules": {
        "columns": {
            "id": str,
            "kind": str,
            "file": str,
            "effect": str,
            "reason": str,
            "citation": str,
        },
        "pk": "id",
    },
    "rule_changes": {
        "columns": {"version": str, "date": str, "summary": str, "reason": str},
        "pk": "version",
    },
    # Governance of the rules (classifier/governance/): proposals with their computed impact
    # and tally, votes, releases, the charter's settings, the electorate computed from git,
    # and for each rule in force the release and decision behind it.
    "governance_proposals": {
        "columns": {
            "id": str,
            "title": str,
            "kind": str,
            "status": str,
            "proposers": str,  # JSON array of GitHub logins
            "summary": str,
            "rationale": str,
            "nearest_rule": str,
            "nearest_rule_differs": str,
            "evidence": str,  # JSON array of URLs
            "conflicts": str,  # JSON array of {who, interest}
            "community": str,  # JSON object (community decisions)
            "rule_ids": str,  # JSON array: rules the change adds, replaces or removes
            "opened": str,
            "comment_until": str,
            "voting_opens": str,
            "voting_closes": str,
            "yes": int,
            "no": int,
            "abstain": int,
            "refused": int,
            "electorate": int,
            "quorum": int,
            "share_needed": str,
            "tally": str,
            "tally_why": str,
            "decision_date": str,
            "decision_by": str,
            "decision_reasons": str,
            "withdrawn_reason": str,
            "released_in": str,
            "impact_count": int,
            "impact_table": str,
            "source_path": str,
        },
        "pk": "id",
        "indexes": [["status"]],
    },
    "governance_impact": {
        "columns": {
            "proposal_id": str,
            "entry_id": str,
            "before": str,
            "after": str,
            "cause": str,
        },
        "pk": ("proposal_id", "entry_id"),
        "foreign_keys": [("proposal_id", "governance_proposals", "id")],
    },
    "governance_votes": {
        "columns": {
            "proposal_id": str,
            "position": int,
            "voter": str,
            "choice": str,
            "date": str,
            "reason": str,
            "conflict": str,
            "counted": int,
            "refused_because": str,
        },
        "pk": ("proposal_id", "position"),
        "foreign_keys": [("proposal_id", "governance_proposals", "id")],
    },
    "governance_releases": {
        "columns": {
            "version": str,
            "date": str,
            "kind": str,
            "proposals": str,  # JSON array of proposal ids
            "rules_sha256": str,
            "git_commit": str,
            "note": str,
            "table_path": str,
            "table": str,  # the reclassification table (Markdown)
        },
        "pk": "version",
    },
    "governance_charter": {"columns": {"key": str, "value": str}, "pk": "key"},
    "governance_electorate": {"columns": {"login": str, "last_change": str}, "pk": "login"},
    "rule_decisions": {
        "columns": {
            "rule_id": str,
            "version": str,
            "release_date": str,
            "proposal_id": str,
            "decided_on": str,
            "decided_by": str,
            "why": str,
        },
        "pk": "rule_id",
    },
    # Denormalised browse table for facets (computed from the tables above).
    # Array columns hold JSON arrays for Datasette's array facets.
    "catalog": {
        "columns": {
            "id": str,
            "name": str,
            "summary": str,
            "description": str,
            "category": str,
            "license_family": str,
            "licenses": str,
            "modality": str,
            "languages": str,
            "domains": str,
            "publisher": str,
            "publisher_type": str,
            "signals": str,
            "verification": str,
            "origin": str,
            "source": str,
            "status": str,
            "training_commercial": str,
            "enters_commons_on": str,
            "updated": str,
        },
        "pk": "id",
        "foreign_keys": [("id", "entries", "id")],
        # Rows are written in the browse order (Datasette's `sort: name`, then
        # the key), so rowid order is page order and a full-text search page
        # reads only its own matches (registry/datasette/plugins/commons_search.py).
        "row_order": ["name", "id"],
        # Every faceted column, and name, the default sort.
        "indexes": [
            ["category"],
            ["license_family"],
            ["modality"],
            ["publisher_type"],
            ["verification"],
            ["origin"],
            ["status"],
            ["training_commercial"],
            ["name"],
        ],
    },
    # Each catalog facet's value counts over the whole table, written by the
    # build from the rows above. The database is immutable, so they stay exact;
    # the unfiltered catalog page reads them (registry/datasette/plugins/
    # commons_facets.py) instead of grouping every row per facet per request.
    "facet_counts": {
        "columns": {"facet": str, "value": str, "count": int},
        "pk": ("facet", "value"),
        "not_null": {"count"},
    },
    # The same counts among the rows of each single plain-column filter (the catalog page
    # filtered by one category, licence family, modality...): with 26,000 rows in one category,
    # grouping them per facet per request took 200 ms.
    "facet_counts_by_filter": {
        "columns": {
            "filter_facet": str,
            "filter_value": str,
            "facet": str,
            "value": str,
            "count": int,
        },
        "pk": ("filter_facet", "filter_value", "facet", "value"),
        "not_null": {"count"},
    },
    "builds": {
        "columns": {
            "id": int,
            "built_at": str,
            "rules_version": str,
            "rules_digest": str,
            "entry_count": int,
            "source_commit": str,
            "schema_version": int,
            # The inputs key of the overlap index beside the database (build/overlap_index.py).
            "overlap_index": str,
            # 1: a warm build changed the last build's rows by difference (the same rows as a cold
            # build, not the same bytes); 0: a cold build, byte-reproducible.
            "incremental": int,
        },
        "pk": "id",
    },
}

# Tables that keep a rowid; every other table is WITHOUT ROWID, stored in the
# order of its primary key. The build publishes its working database with
# VACUUM INTO (registry/build/work.py), which writes each table in storage
# order: keyed storage makes the file depend on the rows alone, never on the
# order they were inserted (a warm build publishes its working file as it is: the same rows, not
# the same bytes). Two tables keep a rowid, numbered in their
# `row_order` (default: id): `catalog` (the FTS index's content rowid) and
# `entries`, whose rows of ~1.5 KB would mostly spill to overflow pages in a
# WITHOUT ROWID table (3x the file size).
ROWID_TABLES = ("entries", "catalog")

# Full-text search (FTS5, porter tokenizer) over the browse table.
FTS_TABLE = "catalog"
FTS_COLUMNS = ["name", "summary", "description", "publisher", "domains"]

# facet_counts: facet name → SQL giving (value, count) over the whole catalog,
# with the semantics of the facet that reads them: a plain column counts rows
# per non-null value (as Datasette's column facet does); an array column counts
# entries per element, from its indexed child table.
PLAIN_FACET_COLUMNS = [
    "category",
    "license_family",
    "modality",
    "publisher_type",
    "verification",
    "origin",
    "source",
    "status",
    "training_commercial",
]
ARRAY_FACET_COUNTS = {
    "languages": "select language, count(*) from languages group by language",
    "domains": "select domain, count(*) from domains group by domain",
    "signals": "select j.value, count(distinct c.id) from catalog c, json_each(c.signals) j "
    "group by j.value",
}
# facet_counts_by_filter: (filter column, facet name) → SQL giving (filter value, value, count)
# with the same semantics as FACET_COUNTS, among the rows with each value of the filter column.
ARRAY_FACET_COUNTS_BY = {
    "languages": "select c.[{f}] as filter_value, l.language as value, count(*) as count from "
    "catalog c join languages l on "
    "l.entry_id = c.id where c.[{f}] is not null group by 1, 2",
    "domains": "select c.[{f}] as filter_value, d.domain as value, count(*) as count from catalog "
    "c join domains d on d.entry_id = "
    "c.id where c.[{f}] is not null group by 1, 2",
    "signals": "select c.[{f}] as filter_value, j.value as value, count(distinct c.id) as count "
    "from catalog c, json_each(c.signals) "
    "j where c.[{f}] is not null group by 1, 2",
}
FACET_COUNTS_BY_FILTER = {
    (column, facet): (
        f"select [{column}] as filter_value, [{facet}] as value, count(*) as count from catalog "
        f"where [{column}] is not null and "
        f"[{facet}] is not null group by 1, 2"
        if facet in PLAIN_FACET_COLUMNS
        else ARRAY_FACET_COUNTS_BY[facet].format(f=column)
    )
    for column in PLAIN_FACET_COLUMNS
    for facet in [*PLAIN_FACET_COLUMNS, *ARRAY_FACET_COUNTS_BY]
}
FACET_COUNTS = {
    **{
        column: f"select [{column}], count(*) from catalog where [{column}] is not null group by "
        f"[{column}]"
        for column in PLAIN_FACET_COLUMNS
    },
    **ARRAY_FACET_COUNTS,
}

# Texts repeated across many rows with few distinct values (a rule's citation on every reason it
# gives, an overlap's evidence sentence on thousands of pairs): each distinct text is stored once
# in a lookup table (id, text) and the column holds its id, declared as a foreign key so Datasette
# shows the text as the row's label and facets by it. The id is a digest of the text
# (keyed_texts.py), so it does not depend on which rows a build wrote first. (table, column) →
# lookup table. Chosen by their bytes: BENCHMARKS.md, "The published database: repeated texts
# stored once".
KEYED_TEXTS = {
    ("entries", "provenance_fields"): "text_provenance_fields",
    ("classifications", "use_conditions"): "text_use_conditions",
    ("classifications", "notes"): "text_classification_notes",
    ("classifications", "plain"): "text_classification_plain",
    ("reasons", "text"): "text_reason_text",
    ("reasons", "citation"): "text_reason_citation",
    ("template_fits", "why"): "text_template_fit_why",
    ("overlaps", "relation"): "text_overlap_relation",
    ("overlaps", "evidence"): "text_overlap_evidence",
}


def _key_texts(tables: dict[str, dict]) -> dict[str, dict]:
    """TABLES with each keyed column an integer foreign key, and its lookup table declared first
    (parents before the tables that name them)."""
    lookups = {
        lookup: {"columns": {"id": int, "text": str}, "pk": "id", "not_null": {"text"}}
        for lookup in KEYED_TEXTS.values()
    }
    for (table, column), lookup in KEYED_TEXTS.items():
        tables[table]["columns"][column] = int
        tables[table].setdefault("foreign_keys", []).append((column, lookup, "id"))
    return {**lookups, **tables}


TABLES = _key_texts(TABLES)
