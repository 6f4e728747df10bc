"""What a would-be seller describes: free text, or an offer file.

An offer file is YAML with the descriptive subset of an entry (name, summary,
description, domains, languages, modality, source_domains), read with the
same strict YAML reader and checked with the same field types, so its errors
read `file:line:col: message` like an entry's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError

from registry.entry import vocabularies as v
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.loader import schema_error
from registry.entry.schema import Hostname, Language, LongText, Model, Text, _unique
from registry.entry.strict_yaml import YamlErrors, read
from registry.overlap.hosts import hosts_in_text, normalise
from registry.overlap.kind import linked_hosts

MAX_TEXT = 20 * 1024


class Offer(Model):
    """A dataset someone considers licensing, described as an entry would be."""

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

    @property
    def text(self) -> str:
        """All descriptive text, for similarity."""
        return "\n".join(
            part
            for part in (
                self.name,
                self.name,
                self.summary,
                self.description,
                " ".join(d.replace("-", " ") for d in self.domains),
            )
            if part
        )

    @property
    def declared(self) -> bool:
        return bool(self.domains or self.languages or self.modality)

    def hosts(self) -> list[str]:
        """Declared source sites, plus any host names written in the text."""
        found = list(self.source_domains)
        for host in hosts_in_text(self.text):
            if host not in found:
                found.append(host)
        return found


def offer_from_text(text: str) -> Offer:
    """Free text is the description; host names written in it count as declared sources, but
    not hosts that appear only inside a link (where to read more: `kind.linked_hosts`)."""
    text = text.strip()
    if not text:
        raise ValueError("describe your dataset: the text is empty")
    if len(text.encode("utf-8")) > MAX_TEXT:
        raise ValueError(
            f"the description is over {MAX_TEXT // 1024} KB; shorten it to what the data is "
            "and where it comes from"
        )
    linked = set(linked_hosts(text))
    return Offer.model_construct(
        name=None,
        summary=None,
        description=text,
        domains=[],
        languages=[],
        modality=None,
        source_domains=[h for h in map(normalise, hosts_in_text(text)) if h not in linked],
    )


def read_offer(path: str, data: bytes) -> Offer:
    """Parse and validate an offer file; raise EntryErrors with every problem and its position."""
    try:
        document = read(path, data)
    except YamlErrors as problems:
        raise EntryErrors(problems.errors) from None
    try:
        offer = Offer.model_validate(document.value)
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
        allowed = ", ".join(Offer.model_fields)
        return EntryError(
            document.path, line, col, f"unknown key '{key}'; an offer file may have: {allowed}"
        )
    return schema_error(document, detail)
