"""The value types of the entry schema: strict strings, URLs, years, dates, numbers,
language and country codes, each with the error a contributor sees when it is wrong.

The loader hands every scalar over as a string; these types give them their type.
"""

from __future__ import annotations

import datetime
import math
import re
from functools import lru_cache
from typing import Annotated

import langcodes
import pycountry
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from registry.entry.licenses import check_license_expression
from registry.entry.text_rules import (
    drop_final_newline,
    nfc,
    no_html,
    no_surrounding_space,
    one_line,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}$"

# Strings


Text = Annotated[str, BeforeValidator(nfc), Field(min_length=1), AfterValidator(one_line)]


# Long text may be a YAML block scalar (`|`), whose final newline is layout, not content.
LongText = Annotated[
    str,
    BeforeValidator(drop_final_newline),
    Field(min_length=1),
    AfterValidator(no_surrounding_space),
]

# Summaries and descriptions, shown on the site and in every export: no HTML (fields.md).
PlainText = Annotated[Text, AfterValidator(no_html)]
PlainLongText = Annotated[LongText, AfterValidator(no_html)]


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
