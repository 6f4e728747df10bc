"""The entry schema: one pydantic model, from which the committed JSON Schema,
the field reference and the scaffold template are generated.

The loader hands every scalar over as a string; these models give them types.
Every model forbids unknown keys, so a typo never becomes a silent new field.
"""

from __future__ import annotations

import datetime
import math
import re
from functools import lru_cache
from typing import Annotated, Literal

import langcodes
import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from registry.entry import vocabularies as v
from registry.entry.licenses import check_license_expression
from registry.entry.text_rules import drop_final_newline, nfc, no_surrounding_space, one_line

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"
SCHEMA_VERSION = "1.0"

# Strings


Text = Annotated[str, BeforeValidator(nfc), Field(min_length=1), AfterValidator(one_line)]


# Long text may be a YAML block scalar (`|`), whose final newline is layout, not content.
LongText = Annotated[
    str,
    BeforeValidator(drop_final_newline),
    Field(min_length=1),
    AfterValidator(no_surrounding_space),
]


_WHITESPACE = re.compile(r"\s")  # the characters str.isspace accepts, found in C
# What _http_url accepts, as one expression: the checks below run only to explain a refusal.
_HTTP_URL = re.compile(r"[hH][tT][tT][pP][sS]?://[^/?#@\s]+(?:[/?#]\S*)?")


def _http_url(value: str) -> str:
    if _HTTP_URL.fullmatch(value):
        return value
    scheme, sep, rest = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError("scheme must be http or https")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if not host or "@" in host or _WHITESPACE.search(value):
        raise ValueError(
            "not a valid http(s) URL: it needs a host, and no spaces or user:password@"
        )
    return value


Url = Annotated[
    str,
    Field(max_length=2000, json_schema_extra={"format": "uri", "pattern": "^https?://"}),
    AfterValidator(_http_url),
]
EntryId = Annotated[str, Field(pattern=ID_PATTERN)]


_HOSTNAME = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")


def _hostname(value: str) -> str:
    if not _HOSTNAME.fullmatch(value):
        raise ValueError(
            "expected a lowercase host name such as en.wikipedia.org, without scheme or path"
        )
    return value


Hostname = Annotated[str, AfterValidator(_hostname)]

# Booleans, years and dates: strict on the string form, so YAML 1.1 spellings
# such as `yes` or `off` are errors instead of silent booleans.


def _strict_bool(value: object) -> object:
    if isinstance(value, str):
        if value in ("true", "false"):
            return value == "true"
        raise ValueError(f"expected true/false, got '{value}'")
    return value


Bool = Annotated[bool, BeforeValidator(_strict_bool)]


_YEAR = re.compile(r"-?\d{1,4}")


def _year(value: object) -> object:
    if isinstance(value, str) and not _YEAR.fullmatch(value):
        raise ValueError(f"expected a year such as 1923, got '{value}'")
    return value


Year = Annotated[int, BeforeValidator(_year), Field(ge=-3000, le=2100)]


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(f"expected a date as YYYY-MM-DD, got '{value}'")
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"'{value}' is not a real calendar date") from None
    return value


Date = Annotated[datetime.date, BeforeValidator(_iso_date)]


_NUMBER = re.compile(r"\d+(\.\d+)?([eE]\d+)?")


def _number(value: object) -> object:
    if isinstance(value, str) and not _NUMBER.fullmatch(value.replace("_", "")):
        raise ValueError(f"expected a number such as 1200 or 4.5e9, got '{value}'")
    return value.replace("_", "") if isinstance(value, str) else value


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError(
            "must be a finite number (this one is too large); use a larger unit or a smaller "
            "exponent, such as 1.5e12"
        )
    return value


Number = Annotated[float, BeforeValidator(_number), Field(ge=0), AfterValidator(_finite)]

# Codes


@lru_cache(maxsize=4096)
def _language(value: str) -> str:
    if not langcodes.tag_is_valid(value):
        raise ValueError(
            f"'{value}' is not a BCP-47 language tag (examples: en, pt-BR, zh-Hant, mul)"
        )
    return value


Language = Annotated[str, AfterValidator(_language)]

_COUNTRIES = frozenset(c.alpha_2 for c in pycountry.countries) | {"EU"}


def _jurisdiction(value: str) -> str:
    if value not in _COUNTRIES:
        raise ValueError(
            f"'{value}' is not an ISO 3166-1 alpha-2 country code or EU (examples: US, GB, FR, EU)"
        )
    return value


Jurisdiction = Annotated[str, AfterValidator(_jurisdiction)]
LicenseExpression = Annotated[str, AfterValidator(check_license_expression)]


def _unique(values: list) -> list:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"'{value}' is listed twice")
        seen.add(value)
    return values


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


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


class Evidence(Model):
    """A page that shows the licence or rights statement."""

    url: Url = Field(description="Page where the licence or rights statement can be read.")
    checked: Date | None = Field(
        default=None, description="When a person last read it (YYYY-MM-DD)."
    )


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
    summary: Text = Field(max_length=400, description="One sentence saying what the dataset is.")
    description: LongText | None = Field(
        default=None, max_length=20000, description="Longer description (Markdown, no HTML)."
    )
    homepage: Url = Field(description="Main page of the dataset.")
    access: Access
    publisher: Publisher
    modality: Literal[v.MODALITIES] = Field(description="Main kind of content.")
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
        description="Year the works were first published (latest year, for a collection).",
    )
    creator_death_year: Year | None = Field(
        default=None, description="Year the last surviving author died."
    )
    evidence: Annotated[list[Evidence], Field(min_length=1)] = Field(
        description="Pages that show the licence or rights statement."
    )
    verification: Literal[v.VERIFICATION_LEVELS] = Field(
        description=(
            "How directly the rights were checked: high = licence read on a primary page; medium "
            "= secondary evidence or not re-read; low = basis unclear."
        )
    )
    rights_notes: LongText | None = Field(
        default=None,
        max_length=5000,
        description="Caveats: third-party material, per-item rights, terms beyond the licence.",
    )
    signals: list[Signal] = Field(
        default_factory=list, description="AI-use preference signals observed at the sources."
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
    status: Literal[v.STATUSES] = Field(
        default="active", description="Lifecycle state; entries are withdrawn, never deleted."
    )
    aliases: Annotated[list[EntryId], AfterValidator(_unique)] = Field(
        default_factory=list, description="Former ids of this entry, kept after a rename."
    )


def json_schema() -> dict:
    """The JSON Schema committed as registry/entry/entry.schema.json for editors."""
    schema = Entry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = (
        "https://github.com/commons-registry/commons-registry/blob/main/registry/entry/entry.schema.json"
    )
    schema["x-schema-version"] = SCHEMA_VERSION
    return schema


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
