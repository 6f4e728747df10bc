"""Licence names and URLs, as other catalogs write them, turned into SPDX ids.

Hugging Face uses lowercase ids (`cc-by-4.0`, `odc-by`), Data Packages use
Open Definition ids (`ODC-PDDL-1.0`), Croissant and DCAT use URLs
(`https://creativecommons.org/licenses/by/4.0/deed.en`). Anything that cannot be
named with certainty is returned as unmapped, for a person to decide: a wrong
licence id is worse than an empty one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from registry.entry.licenses import check_license_expression, license_refs, licensing


@dataclass(frozen=True)
class Licence:
    """A normalised licence: an SPDX expression when certain, and the URL seen, if any."""

    expression: str | None
    url: str | None = None
    note: str | None = None


# Ids that are not SPDX ids as written, but name exactly one SPDX licence.
ALIASES = {
    "odc-by": "ODC-By-1.0",
    "odc-by-1.0": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "odc-odbl": "ODbL-1.0",
    "odc-odbl-1.0": "ODbL-1.0",
    "pddl": "PDDL-1.0",
    "odc-pddl": "PDDL-1.0",
    "odc-pddl-1.0": "PDDL-1.0",
    "cc-zero": "CC0-1.0",
    "cc0": "CC0-1.0",
    "cc-by-sa": None,  # no version: cannot be named with certainty
    "ogl-uk-3.0": "OGL-UK-3.0",
    "uk-ogl": "OGL-UK-3.0",
}

# Ids that are ambiguous on purpose (no version, "or later" unknown) or not licences at all.
AMBIGUOUS = {
    "other": "the card says `other`: read license_name/license_link and choose an SPDX id or a "
    "LicenseRef- id",
    "unknown": "the licence is marked unknown",
    "cc": "`cc` names no particular Creative Commons licence",
    "bsd": "`bsd` names no particular BSD licence",
    "gpl": "`gpl` does not say which version",
    "lgpl": "`lgpl` does not say which version",
    "gfdl": "`gfdl` does not say which version",
    "gpl-2.0": "say whether it is GPL-2.0-only or GPL-2.0-or-later",
    "gpl-3.0": "say whether it is GPL-3.0-only or GPL-3.0-or-later",
    "lgpl-2.1": "say whether it is LGPL-2.1-only or LGPL-2.1-or-later",
    "lgpl-3.0": "say whether it is LGPL-3.0-only or LGPL-3.0-or-later",
    "agpl-3.0": "say whether it is AGPL-3.0-only or AGPL-3.0-or-later",
}

OPEN_DATA_COMMONS = {"by": "ODC-By-1.0", "odbl": "ODbL-1.0", "pddl": "PDDL-1.0"}
CC_CODES = {"by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"}


@lru_cache(maxsize=1)
def _spdx_ids() -> dict[str, str]:
    """SPDX ids by lowercase form, plus the allowlisted LicenseRef- ids."""
    ids = {key.lower(): key for key in licensing().known_symbols}
    ids.update({ref.lower(): ref for ref in license_refs()})
    return ids


def _known(identifier: str) -> str | None:
    return _spdx_ids().get(identifier.lower())


def normalise(value: str) -> Licence:
    """Map one licence string (id, expression or URL) to SPDX, or explain why not."""
    text = value.strip()
    if not text:
        return Licence(None, note="empty licence value")
    if re.match(r"(?i)^https?://", text):
        return _from_url(text)
    lowered = text.lower()
    if lowered in AMBIGUOUS:
        return Licence(None, note=f"licence '{text}': {AMBIGUOUS[lowered]}")
    if lowered in ALIASES:
        mapped = ALIASES[lowered]
        return Licence(mapped, note=None if mapped else f"licence '{text}' has no version")
    known = _known(text)
    if known:
        return Licence(known)
    try:
        return Licence(check_license_expression(text))
    except ValueError:
        pass
    return Licence(None, note=f"licence '{text}' is not an SPDX id or a known alias")


def _from_url(url: str) -> Licence:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    segments = [s for s in parts.path.split("/") if s]
    expression = None
    if host == "creativecommons.org":
        expression = _creative_commons(segments)
    elif host == "opendatacommons.org" and len(segments) >= 2 and segments[0] == "licenses":
        expression = OPEN_DATA_COMMONS.get(segments[1].lower())
    elif host == "spdx.org" and len(segments) >= 2 and segments[0] == "licenses":
        expression = _known(re.sub(r"\.(html|json)$", "", segments[1]))
    elif host == "opensource.org" and len(segments) >= 2 and segments[0] == "licenses":
        expression = _known(segments[1].removesuffix(".php"))
    elif host == "choosealicense.com" and len(segments) >= 2 and segments[0] == "licenses":
        # Hugging Face's Croissant files and OTDI link licences here: /licenses/<spdx id>/.
        expression = _known(segments[1])
    elif host == "scancode-licensedb.aboutcode.org" and segments:
        # ScanCode's licence keys (/cc-by-3.0.html) are SPDX ids in lower case, for these.
        expression = _known(segments[-1].removesuffix(".html").removesuffix(".json"))
    elif host == "apache.org" and segments[:2] == ["licenses", "LICENSE-2.0"]:
        expression = "Apache-2.0"
    elif (
        host == "nationalarchives.gov.uk"
        and "open-government-licence" in segments
        and segments[-1] in ("3", "3.0")
    ):
        expression = "OGL-UK-3.0"
    elif host == "rightsstatements.org" and len(segments) >= 2 and segments[1] == "NKC":
        expression = "LicenseRef-No-Known-Copyright"
    if expression:
        return Licence(expression, url)
    return Licence(
        None,
        url,
        note=(
            f"licence URL {url} does not name a licence this importer knows; choose the SPDX id by "
            "reading it"
        ),
    )


def _creative_commons(segments: list[str]) -> str | None:
    """`/licenses/by-sa/4.0/deed.en`, `/licenses/by/2.0/fr/`, `/publicdomain/zero/1.0/legalcode`."""
    if (
        len(segments) >= 3
        and segments[0] == "publicdomain"
        and segments[1] == "zero"
        and segments[2] == "1.0"
    ):
        return "CC0-1.0"
    if len(segments) < 3 or segments[0] != "licenses" or segments[1].lower() not in CC_CODES:
        return None
    code, version = segments[1].upper(), segments[2]
    if not re.fullmatch(r"\d\.\d", version):
        return None
    rest = [s for s in segments[3:] if not s.startswith(("deed", "legalcode"))]
    if rest:
        port = rest[0].upper()
        return _known(f"CC-{code}-{version}-{port}") or _known(
            f"LicenseRef-CC-{code}-{version}-{port}"
        )
    return _known(f"CC-{code}-{version}")
