"""SPDX licence expressions: parsing and validation against the SPDX list and
the repository's allowlist of `LicenseRef-` ids.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from license_expression import ExpressionError, get_spdx_licensing


def license_refs_file():
    """classifier/data/license-refs.yaml, looked up on first use: importing the
    classifier package at import time would be circular (it imports this module)."""
    return resources.files("classifier") / "data" / "license-refs.yaml"


@lru_cache(maxsize=1)
def licensing():
    """The SPDX licensing object of license-expression (slow to build, so shared)."""
    return get_spdx_licensing()


@lru_cache(maxsize=1)
def license_refs() -> dict[str, dict]:
    """The documented `LicenseRef-` ids, keyed by id."""
    data = yaml.load(license_refs_file().read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {ref["id"]: ref for ref in data["refs"]}


@lru_cache(maxsize=8192)
def parse(expression: str):
    """Parse an expression, accepting the allowlisted `LicenseRef-` ids as known keys."""
    refs = license_refs()
    return licensing().parse(expression, validate=False, strict=True), refs


def license_keys(expression: str) -> list[str]:
    """Licence ids used in an already-validated expression."""
    return list(_license_keys(expression))


@lru_cache(maxsize=8192)
def _license_keys(expression: str) -> tuple[str, ...]:
    # Every build asks for the keys of the same few expressions, entry after entry.
    parsed, _ = parse(expression)
    return tuple(
        str(symbol) for symbol in licensing().license_symbols(parsed, unique=True, decompose=True)
    )


@lru_cache(maxsize=8192)
def check_license_expression(expression: str) -> str:
    """Validate an expression: every id must be SPDX or allowlisted, written canonically."""
    if not expression.strip():
        raise ValueError("not an SPDX id: the licence expression is empty")
    try:
        parsed, refs = parse(expression)
    except ExpressionError as error:
        raise ValueError(f"not an SPDX expression: {error}") from None
    if parsed is None:
        raise ValueError("not an SPDX id: the licence expression is empty")
    unknown = []
    for symbol in licensing().license_symbols(parsed, unique=True, decompose=True):
        key = str(symbol.key)
        if key.startswith("LicenseRef-"):
            if key not in refs:
                unknown.append(f"{key} (not in classifier/data/license-refs.yaml)")
        elif (
            not getattr(symbol, "is_exception", False)
            and licensing().known_symbols.get(key) is None
        ):
            unknown.append(key)
    if unknown:
        raise ValueError(f"not an SPDX id: {', '.join(unknown)} (see https://spdx.org/licenses/)")
    rendered = parsed.render()
    if rendered.strip("()") != expression.strip("()") and rendered != expression:
        raise ValueError(f"write the expression in canonical SPDX form: '{rendered}'")
    return expression
