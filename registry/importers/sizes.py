"""Sizes as metadata formats write them: `25585843 B`, `1.2 GB`, byte counts, HF size buckets."""

from __future__ import annotations

import re

UNITS = {
    "": 1,
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}

# Hugging Face `size_categories`: the lower bound of each bucket (number of examples).
HF_BUCKETS = {
    "n<1K": 0,
    "1K<n<10K": 10**3,
    "10K<n<100K": 10**4,
    "100K<n<1M": 10**5,
    "1M<n<10M": 10**6,
    "10M<n<100M": 10**7,
    "100M<n<1B": 10**8,
    "1B<n<10B": 10**9,
    "10B<n<100B": 10**10,
    "100B<n<1T": 10**11,
    "n>1T": 10**12,
}


def parse_bytes(value) -> int | None:
    """A byte count from `123`, `"25585843 B"`, `"1.5 GB"`; None when unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B|B)?\s*", value, flags=re.IGNORECASE)
    if not match:
        return None
    return int(float(match.group(1)) * UNITS[(match.group(2) or "").lower()])


def number(value: int | float) -> str:
    """A size value as the schema reads it (digits, no exponent for whole numbers)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
