"""Where an entry's facts came from, when they were imported from another catalog.

Imported records keep the source catalog, its snapshot date, the record's own
address and, field by field, which source field each value was read from, so a
reader can tell an uploader's declaration from a fact a person checked.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from registry.entry import vocabularies as v
from registry.entry.schema_types import Date, LicenseExpression, Model, Text, Url


class Provenance(Model):
    """The catalog a record was imported from, and which of its fields gave each value."""

    source: Literal[v.IMPORT_SOURCES] = Field(
        description="The catalog the record was imported from (see site/docs/imports.md)."
    )
    snapshot: Date = Field(description="Date of the catalog's data (YYYY-MM-DD).")
    record: Url = Field(description="The record's own page in the source catalog.")
    source_file: Text = Field(
        max_length=300,
        description="The source file the record was read from, as `repository@commit:path`.",
    )
    source_licence: LicenseExpression = Field(
        description="Licence of the catalog's data (not of the dataset), e.g. CDLA-Permissive-2.0."
    )
    fields: dict[str, Text] = Field(
        default_factory=dict,
        description="For each entry field, the source field or rule it was read from.",
    )


# The help of the entry's own fields that concern imported records (registry/entry/schema.py).
PROVENANCE_HELP = "For a record imported from another catalog: where each value came from."
VERIFICATION_HELP = (
    "How directly the rights were checked: high = licence read on a primary page; medium = "
    "secondary evidence or not re-read; low = basis unclear; declared = copied from another "
    "catalog's metadata (an uploader's declaration), read by no one."
)
