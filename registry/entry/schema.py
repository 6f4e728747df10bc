"""The entry schema: one pydantic model, from which the committed JSON Schema,
the field reference and the scaffold template are generated.

Every model forbids unknown keys, so a typo never becomes a silent new field.
The value types (registry.entry.schema_types) give each scalar its type.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, model_validator

from registry.entry import vocabularies as v
from registry.entry.provenance import PROVENANCE_HELP, VERIFICATION_HELP, Provenance
from registry.entry.schema_types import (  # noqa: F401  (re-exported for other modules)
    ID_PATTERN,
    Bool,
    Date,
    EntryId,
    Hostname,
    Jurisdiction,
    Language,
    LicenseExpression,
    LongText,
    Model,
    Number,
    PlainLongText,
    PlainText,
    Text,
    Url,
    Year,
    _http_url,
    _unique,
)

SCHEMA_VERSION = "1.1"


# The entry


class Access(Model):
    """How the data can be obtained."""

    kind: Literal[v.ACCESS_KINDS] = Field(
        description=(
            "open: anyone may download; registration: a free account is needed; gated: terms must "
            "be accepted or a request approved; restricted: access by agreement only; "
            "metadata-only: only descriptions are public."
        )
    )
    urls: Annotated[list[Url], Field(min_length=1), AfterValidator(_unique)] = Field(
        description="Download or access pages."
    )


class Publisher(Model):
    """Who publishes the dataset."""

    name: Text = Field(
        max_length=300, description="Name of the publishing organisation or community."
    )
    type: Literal[v.PUBLISHER_TYPES] = Field(description="Kind of publisher.")
    url: Url | None = Field(default=None, description="Publisher's home page.")


class Size(Model):
    """How big the dataset is, when it was measured."""

    value: Number = Field(description="Amount, in `unit`.")
    unit: Literal[v.SIZE_UNITS] = Field(description="What `value` counts.")
    as_of: Date | None = Field(default=None, description="When the size was measured (YYYY-MM-DD).")
    approximate: Bool = Field(default=False, description="true when the figure is an estimate.")


class License(Model):
    """One licence and the part of the dataset it covers."""

    expression: LicenseExpression = Field(
        description=(
            "SPDX licence expression (e.g. `CC-BY-SA-4.0 AND CC-BY-SA-3.0`), or a `LicenseRef-` "
            "id from classifier/data/license-refs.yaml."
        )
    )
    scope: Literal[v.LICENSE_SCOPES] = Field(
        default="all", description="Which part of the dataset the licence covers."
    )
    url: Url | None = Field(
        default=None, description="The licence text or the publisher's licence page."
    )
    covers: Text | None = Field(
        default=None,
        max_length=200,
        description=(
            "In plain words, what this licence covers when it is not the whole dataset, e.g. "
            "`supplementary data (annotations, edit history, ratings)`; shown as the part's name "
            "on the entry page."
        ),
    )


class Evidence(Model):
    """A page that shows the licence or rights statement."""

    url: Url = Field(description="Page where the licence or rights statement can be read.")
    checked: Date | None = Field(
        default=None, description="When a person last read it (YYYY-MM-DD)."
    )


class ItemsPublished(Model):
    """When a collection's items were first published: "every item no later than `latest`",
    or a range. Term rules decide per item year, so a collection that straddles a cut-off
    gets a split answer instead of none."""

    earliest: Year | None = Field(
        default=None, description="Year the earliest item was first published, when known."
    )
    latest: Year = Field(description="Every item was first published in or before this year.")
    evidence: Url = Field(description="Page that shows the range of years.")
    note: Text | None = Field(
        default=None, max_length=500, description="How the range is known, and any doubt."
    )

    @model_validator(mode="after")
    def _ordered(self):
        if self.earliest is not None and self.earliest > self.latest:
            raise ValueError(f"earliest ({self.earliest}) is after latest ({self.latest})")
        return self


class RightsStatement(Model):
    """What the steward of a collection states about its items' rights, as a controlled id
    (after HathiTrust's rights codes and Wikidata's copyright status P6216 with P459/P1001)."""

    id: Literal[v.RIGHTS_STATEMENTS] = Field(
        description=(
            "rightsstatements.org id (e.g. `NoC-US`, `NKC`, `InC`, `CNE`) or `PDM` (Creative "
            "Commons Public Domain Mark)."
        )
    )
    by: Text = Field(max_length=300, description="Who makes the statement (the steward).")
    by_type: Literal[v.PUBLISHER_TYPES] = Field(
        description=(
            "Kind of steward; an institution's determination weighs more than a packager's claim."
        )
    )
    url: Url = Field(description="Page where the statement can be read.")
    wording: Text | None = Field(
        default=None,
        max_length=500,
        description="The statement as the steward writes it, when it does not use the id itself.",
    )
    determination: Literal[v.DETERMINATIONS] = Field(
        default="not-stated",
        description="How the steward determined the status (HathiTrust reason, Wikidata P459).",
    )
    applies_in: Annotated[list[Jurisdiction], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Where the statement holds (Wikidata P1001); NoC-US always means US.",
    )
    checked: Date | None = Field(
        default=None, description="When a person last read it (YYYY-MM-DD)."
    )


class UsRenewal(Model):
    """Whether a US work of 1963 or earlier was renewed (renewal records, e.g. the
    Copyright Office's Catalog of Copyright Entries)."""

    status: Literal[v.US_RENEWAL] = Field(description="not-renewed or renewed.")
    evidence: Url = Field(description="Page that shows the renewal search.")
    checked: Date | None = Field(
        default=None, description="When a person last read it (YYYY-MM-DD)."
    )


class AccessTerms(Model):
    """Terms a user accepts to obtain the data (terms of service, API terms, a download
    agreement). A contract, not a licence: it binds whoever accepts it."""

    name: Text = Field(
        max_length=200, description="Name of the terms, e.g. `Reddit Data API Terms`."
    )
    url: Url | None = Field(default=None, description="Page with the terms, when it is known.")
    restricts: Annotated[
        list[Literal[v.TERMS_USES]], Field(min_length=1), AfterValidator(_unique)
    ] = Field(description="Uses the terms forbid or make conditional on permission.")
    commercial_only: Bool = Field(
        default=False, description="true when only commercial use is restricted."
    )
    other_routes: Bool = Field(
        default=False,
        description=(
            "true when the same data can be obtained without accepting the terms (for example "
            "earlier dumps elsewhere)."
        ),
    )
    route: Text | None = Field(
        default=None,
        max_length=200,
        description=(
            "Which copies the terms govern, in plain words, e.g. `dumps downloaded from a site "
            "profile since 2024`."
        ),
    )
    checked: Date | None = Field(
        default=None, description="When a person last read them (YYYY-MM-DD)."
    )
    note: Text | None = Field(default=None, max_length=1000, description="Caveats, doubt.")


class Signal(Model):
    """An AI-use preference signal observed at a source."""

    vocabulary: Literal[v.SIGNAL_VOCABULARIES] = Field(description="Signal vocabulary.")
    # Several lines when it quotes a robots.txt group ("User-agent: GPTBot\nDisallow: /").
    value: LongText = Field(
        max_length=500,
        description="The signal as published, e.g. `train-ai=n` or `tdm-reservation=1`.",
    )
    source: Url = Field(description="Where it was observed (robots.txt, a page, tdmrep.json).")
    observed: Date = Field(description="When it was observed (YYYY-MM-DD).")


class Fingerprint(Model):
    """A published content sketch of the dataset, made with `commons fingerprint`."""

    path: Annotated[str, Field(pattern=r"^fingerprints/[a-z0-9][a-z0-9-]{1,62}\.json$")] = Field(
        description=(
            "The sketch file in this repository, e.g. `fingerprints/wikipedia.json`: a MinHash "
            "signature of 5-word shingles, no text."
        )
    )
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description=(
            "SHA-256 of the sketch file (printed by `commons fingerprint --out`), so a changed "
            "file is noticed at build time."
        )
    )


class Entry(Model):
    """One dataset in the commons registry."""

    id: EntryId = Field(description="Permanent identifier; equals the file name without `.yaml`.")
    name: Text = Field(max_length=200, description="Human name of the dataset.")
    summary: PlainText = Field(
        max_length=400, description="One sentence saying what the dataset is."
    )
    description: PlainLongText | None = Field(
        default=None, max_length=20000, description="Longer description (Markdown, no HTML)."
    )
    homepage: Url = Field(description="Main page of the dataset.")
    access: Access
    publisher: Publisher
    modality: Literal[v.MODALITIES] = Field(description="Main kind of content.")
    is_metadata: Bool = Field(
        default=False,
        description=(
            "true when the dataset is itself metadata (bibliographic or catalogue records), so "
            "its metadata licence is its content licence."
        ),
    )
    languages: Annotated[list[Language], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="BCP-47 tags of the content's languages; `mul` for many, `zxx` for none.",
    )
    domains: Annotated[list[Literal[v.DOMAINS]], Field(min_length=1), AfterValidator(_unique)] = (
        Field(description="Subject domains.")
    )
    size: Size | None = None
    licenses: Annotated[list[License], Field(min_length=1)] = Field(
        description="Licences, each with the part of the dataset it covers."
    )
    copyright_basis: Literal[v.COPYRIGHT_BASES] = Field(
        description="Why the content may be reused."
    )
    jurisdictions: Annotated[list[Jurisdiction], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Where the rights assessment holds (ISO 3166-1 alpha-2, or EU). Empty means no "
        "specific jurisdiction.",
    )
    first_published: Year | None = Field(
        default=None,
        description="Year the work was first published (for a collection, use `items_published`).",
    )
    items_published: ItemsPublished | None = Field(
        default=None,
        description="For a collection: the range of its items' first publication, with evidence.",
    )
    creator_death_year: Year | None = Field(
        default=None, description="Year the last surviving author died."
    )
    creation_year: Year | None = Field(
        default=None,
        description=(
            "Year the work was made (some terms run from creation: US anonymous works, UK Crown "
            "works)."
        ),
    )
    authorship: Literal[v.AUTHORSHIPS] | None = Field(
        default=None,
        description=(
            "Who the works are by, when the term depends on it: named authors (the default), "
            "anonymous, pseudonymous, work-made-for-hire, crown."
        ),
    )
    us_renewal: UsRenewal | None = Field(
        default=None, description="For US works of 1963 or earlier: renewal evidence."
    )
    rights_statement: RightsStatement | None = Field(
        default=None,
        description="The steward's rights statement for the items (rightsstatements.org or PDM).",
    )
    evidence: Annotated[list[Evidence], Field(min_length=1)] = Field(
        description="Pages that show the licence or rights statement."
    )
    verification: Literal[v.VERIFICATION_LEVELS] = Field(description=VERIFICATION_HELP)
    rights_notes: LongText | None = Field(
        default=None,
        max_length=5000,
        description="Caveats: third-party material, per-item rights, terms beyond the licence.",
    )
    access_terms: list[AccessTerms] = Field(
        default_factory=list,
        description=(
            "Terms of service, API terms or download agreements a user accepts to get the data."
        ),
    )
    signals: list[Signal] = Field(
        default_factory=list,
        description=(
            "AI-use preference signals stated for the dataset itself, each counted from the date "
            "it was observed; the signals of its source_domains are kept in observations/."
        ),
    )
    derived_from: Annotated[list[EntryId], AfterValidator(_unique)] = Field(
        default_factory=list, description="Ids of entries this dataset was built from."
    )
    included_in: Annotated[list[EntryId], AfterValidator(_unique)] = Field(
        default_factory=list, description="Ids of entries (corpora) that include this dataset."
    )
    packaged_for_ai_training: Bool = Field(
        default=False,
        description=(
            "true when the dataset was assembled and released as training data for AI models "
            "(e.g. Common Pile, C4). Says nothing about whether such use is allowed: see "
            "`licenses`."
        ),
    )
    source_domains: Annotated[list[Hostname], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Web sites or platforms the content comes from, e.g. en.wikipedia.org.",
    )
    fingerprint: Fingerprint | None = Field(
        default=None,
        description=(
            "Optional content sketch for redundancy checks; lets `commons overlap --sample` "
            "compare content, not just descriptions."
        ),
    )
    provenance: Provenance | None = Field(default=None, description=PROVENANCE_HELP)
    status: Literal[v.STATUSES] = Field(
        default="active", description="Lifecycle state; entries are withdrawn, never deleted."
    )
    aliases: Annotated[list[EntryId], AfterValidator(_unique)] = Field(
        default_factory=list, description="Former ids of this entry, kept after a rename."
    )

    @model_validator(mode="after")
    def _one_publication_field(self):
        if self.first_published is not None and self.items_published is not None:
            raise ValueError(
                "give either first_published (one work) or items_published (a collection), not both"
            )
        return self


def field_order(model: type[BaseModel] = Entry) -> dict:
    """Key order for canonical formatting: a nested dict of field name → sub-order."""
    order = {}
    for name, field in model.model_fields.items():
        order[name] = _model_of(field.annotation)
    return order


def _model_of(annotation) -> dict | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return field_order(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_of(arg)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and hasattr(annotation, "__metadata__"):
        return _model_of(origin)
    return None
