"""Coverage groups of the catalog, computed from entry fields.

These groups measure whether the catalog covers each part of the commons it
promises to (government, heritage, community, science, media, code, open AI
corpora) and enough contrast cases. They are a coverage yardstick, not the
classifier: an entry may fall in several groups, and the licence tests here
are deliberately coarse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from registry.entry.licenses import license_keys
from registry.entry.schema import Entry

# LicenseRef ids whose terms restrict use or give no reuse grant.
RESTRICTIVE_REFS = frozenset(
    {
        "LicenseRef-No-Explicit-License",
        "LicenseRef-Unclear",
        "LicenseRef-Terms-Of-Use",
        "LicenseRef-Gated-Terms",
        "LicenseRef-NonCommercial-Terms",
        "LicenseRef-arXiv-Nonexclusive-Distrib-1.0",
        "LicenseRef-All-Rights-Reserved",
        "LicenseRef-Unsplash-License",
    }
)
NOT_OPEN_BASES = frozenset({"copyrighted-compilation", "proprietary"})
SCIENCE_DOMAINS = frozenset({"science", "biomedical", "earth-observation", "biodiversity"})
MEDIA_MODALITIES = frozenset({"audio", "image", "video", "multimodal"})


def _keys(entry: Entry) -> set[str]:
    return {key for item in entry.licenses for key in license_keys(item.expression)}


def is_restrictive_key(key: str) -> bool:
    """Non-commercial or no-derivatives licences, and terms that are not open licences."""
    return "-NC" in key or "-ND" in key or key in RESTRICTIVE_REFS


def has_restrictive_licence(entry: Entry) -> bool:
    return any(is_restrictive_key(key) for key in _keys(entry))


def is_open(entry: Entry) -> bool:
    """Openly licensed or public domain as a whole: no restrictive or unknown-per-item licence, open
    access."""
    keys = _keys(entry)
    return (
        entry.status == "active"
        and entry.access.kind == "open"
        and entry.copyright_basis not in NOT_OPEN_BASES
        and "LicenseRef-Various" not in keys
        and not any(is_restrictive_key(key) for key in keys)
    )


def government_legal(e: Entry) -> bool:
    return e.copyright_basis in (
        "us-federal-government-work",
        "government-open-licence",
    ) or e.publisher.type in ("government", "intergovernmental")


def heritage(e: Entry) -> bool:
    return e.copyright_basis == "public-domain-expired" or e.publisher.type == "cultural-heritage"


def community_open(e: Entry) -> bool:
    return e.copyright_basis == "community-open-licence" or e.publisher.type == "community"


def science(e: Entry) -> bool:
    return bool(SCIENCE_DOMAINS & set(e.domains))


def speech_audio_image(e: Entry) -> bool:
    return e.modality in MEDIA_MODALITIES


def code(e: Entry) -> bool:
    return e.modality == "code" or e.domains[0] == "code"


def open_ai_corpus(e: Entry) -> bool:
    return e.packaged_for_ai_training and is_open(e)


def contrast(e: Entry) -> bool:
    return (
        e.copyright_basis in NOT_OPEN_BASES
        or e.access.kind in ("gated", "restricted")
        or has_restrictive_licence(e)
    )


GROUPS: dict[str, Callable[[Entry], bool]] = {
    "government-legal": government_legal,
    "heritage": heritage,
    "community-open": community_open,
    "science-biomedical": science,
    "speech-audio-image": speech_audio_image,
    "code": code,
    "open-ai-corpora": open_ai_corpus,
    "contrast": contrast,
}


def group_members(entries: Iterable[Entry]) -> dict[str, list[str]]:
    """Entry ids in each group."""
    entries = list(entries)
    return {name: sorted(e.id for e in entries if test(e)) for name, test in GROUPS.items()}
