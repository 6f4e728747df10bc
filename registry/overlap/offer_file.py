"""An offer file: YAML with the descriptive subset of an entry (name, summary, description,
domains, languages, modality, source_domains), read with the same strict YAML reader and checked
with the same field types, so its errors read `file:line:col: message` like an entry's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError

from registry.entry import vocabularies as v
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import schema_error
from registry.entry.schema import Hostname, Language, LongText, Model, Text, _unique
from registry.entry.strict_yaml import YamlErrors, read
from registry.overlap.offer import MAX_TEXT, Offer


class OfferFile(Model):
    """The fields of an offer file, typed as an entry's."""

    name: Text | None = Field(default=None, max_length=200, description="Name of your dataset.")
    summary: Text | None = Field(
        default=None, max_length=400, description="One sentence saying what it is."
    )
    description: LongText | None = Field(
        default=None,
        max_length=MAX_TEXT,
        description="Longer description: where the content comes from, what it covers.",
    )
    domains: Annotated[list[Literal[v.DOMAINS]], AfterValidator(_unique)] = Field(
        default_factory=list, description="Subject domains, from the entry vocabulary."
    )
    languages: Annotated[list[Language], AfterValidator(_unique)] = Field(
        default_factory=list, description="BCP-47 tags of the content's languages."
    )
    modality: Literal[v.MODALITIES] | None = Field(
        default=None, description="Main kind of content."
    )
    source_domains: Annotated[list[Hostname], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Web sites or platforms the content comes from, e.g. en.wikipedia.org.",
    )


def offer_from_mapping(value) -> Offer:
    """An offer from already parsed data (an evaluation case's `offer`), validated as a file's;
    raises pydantic's ValidationError."""
    return Offer(**OfferFile.model_validate(value).model_dump())


def read_offer(path: str, data: bytes) -> Offer:
    """Parse and validate an offer file; raise EntryErrors with every problem and its position."""
    try:
        document = read(path, data)
    except YamlErrors as problems:
        raise EntryErrors(problems.errors) from None
    try:
        offer = offer_from_mapping(document.value)
    except ValidationError as error:
        raise EntryErrors(
            [_offer_error(document, detail) for detail in error.errors(include_url=False)]
        ) from None
    if not offer.text.strip() and not offer.source_domains:
        raise EntryErrors(
            [
                EntryError(
                    path,
                    1,
                    1,
                    "the offer says nothing to compare: give at least a summary, a "
                    "description or source_domains",
                )
            ]
        )
    return offer


def _offer_error(document, detail: dict) -> EntryError:
    if detail["type"] == "extra_forbidden":
        key = str(detail["loc"][-1])
        line, col = document.key_position(tuple(detail["loc"][:-1]), key)
        allowed = ", ".join(OfferFile.model_fields)
        return EntryError(
            document.path, line, col, f"unknown key '{key}'; an offer file may have: {allowed}"
        )
    return schema_error(document, detail)
