"""The model of a record imported from another catalog with its licence only declared.

Such a record (`verification: declared`) states what its source states and no
more: the kind of publisher, the modality and the domains may be unknown, and
are left empty rather than guessed. It must say where it came from
(`provenance`). Once a person checks it, it is held to the curated schema.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from registry.entry import vocabularies as v
from registry.entry.provenance import Provenance
from registry.entry.schema import Entry, Publisher, _unique


class DeclaredPublisher(Publisher):
    type: Literal[v.PUBLISHER_TYPES] | None = Field(
        default=None, description="Kind of publisher, when the source says."
    )


class DeclaredEntry(Entry):
    """An entry whose rights are an uploader's declaration copied from another catalog."""

    publisher: DeclaredPublisher
    modality: Literal[v.MODALITIES] | None = Field(
        default=None, description="Main kind of content, when the source says."
    )
    domains: Annotated[list[Literal[v.DOMAINS]], AfterValidator(_unique)] = Field(
        default_factory=list, description="Subject domains the source names."
    )
    provenance: Provenance = Field(description="Where each value came from.")


def entry_model(value) -> type[Entry]:
    """The model a document is validated with: DeclaredEntry for `verification: declared`."""
    if isinstance(value, dict) and value.get("verification") == "declared":
        return DeclaredEntry
    return Entry
