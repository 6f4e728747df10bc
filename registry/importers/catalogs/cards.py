"""Dataset cards (Hugging Face style: YAML front matter, then Markdown) of Common Pile
v0.1's filtered sources and of Danish Dynaword's sources.

Each card gives a name, a short description between `START-SHORT DESCRIPTION`
markers, languages, domains and a dataset-level licence. Cards whose licence cannot
be named with an SPDX or registry id are left out, with a note, rather than guessed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import yaml

from registry.importers.catalogs.records import Imported, SourceInfo, provenance

COMMON_PILE = SourceInfo(
    source="common-pile",
    title="Common Pile v0.1 dataset cards (Danish Foundation Models' copies)",
    snapshot="2025-08-22",
    base="github.com/danish-foundation-models/site@baa40e43e09e0be8ed12ded95a34036fa7aa7b70",
    licence="MIT",
    notice_files=("LICENSE",),
)
DYNAWORD = SourceInfo(
    source="danish-dynaword",
    title="Danish Dynaword dataset cards (Danish Foundation Models' datasheets)",
    snapshot="2025-08-08",
    base="github.com/danish-foundation-models/datasheets@33447f27187b0e87c76363d55667dfb5eed9cc1f",
    licence="CC0-1.0",
)
# Cards whose names differ from the curated entry they describe.
CURATED_IDS = {
    "data_provenance_initiative": "common-pile-data-provenance",
    "stackv2_edu": "common-pile-stack-v2-subset",
    "youtube": "common-pile-youtube-transcripts",
}
# Danish Dynaword's own sources (added to the datasheets from Dynaword, by their commits);
# the other cards there describe data that is not public.
DYNAWORD_CARDS = (
    "adl botxt cellar danske-taler dannet depbank domsdatabasen enevaeldens_nyheder ep "
    "eur-lex-sum-da fm-udgivelser ft grundtvig gutenberg health_hovedstaden hest jvj memo "
    "miljoeportalen naat ncc_books ncc_maalfrid ncc_newspaper ncc_parliament nordjyllandnews "
    "nota opensubtitles relig retsinformationdk retspraksis skat spont synne tv2r wiki "
    "wikibooks wikisource"
).split()
# Cards labelled CC0 for text their publisher licenses CC BY-SA (Wikimedia projects).
MISLABELLED = {"wiki", "wikibooks", "wikisource"}
LICENCES = {
    "cc0-1.0": "CC0-1.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "apache-2.0": "Apache-2.0",
    "Public Domain": "LicenseRef-Public-Domain-Statement",
    "Open Parliament License": "LicenseRef-Open-Parliament-Licence-3.0",
    "Various - MIT, BSD-3-Clause, Apache-2.0, etc.": "LicenseRef-Various-Open",
    "NLOD 2.0": "NLOD-2.0",
}
DOMAINS = {
    "Scientific": "science",
    "Books": "literature",
    "Encyclopedic": "encyclopedic",
    "Legal": "legal",
    "Web": "web",
    "News": "news",
    "Medical": "health",
    "Governmental": "government",
    "Conversation": "social-media",
    "Social Media": "social-media",
    "Speeches": "speech",
    "Spoken": "speech",
    "Technical": "code",
}
SHORT = re.compile(r"<!-- START-SHORT DESCRIPTION -->(.*?)<!-- END-SHORT DESCRIPTION -->", re.S)
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def card(path: Path) -> tuple[dict, str]:
    """The front matter and the body of a card file."""
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---", 2)
    return yaml.load(front, Loader=yaml.CSafeLoader) or {}, body


def common_pile(folder: Path) -> tuple[list[Imported], list[str]]:
    """Records of the `*_filtered` cards under the DFM site copy's `docs/data/`."""
    found, notes = [], []
    for path in sorted((folder / "docs" / "data").glob("*_filtered/*_filtered.md")):
        name = path.parent.name.removesuffix("_filtered")
        entry_id = CURATED_IDS.get(name, "common-pile-" + name.replace("_", "-").lower())
        item = _record(COMMON_PILE, path, folder, entry_id, "Common Pile ", notes)
        if item:
            item.record["access"] = {"kind": "open", "urls": ["https://huggingface.co/common-pile"]}
            item.record["packaged_for_ai_training"] = "true"
            found.append(item)
    return found, notes


def dynaword(folder: Path) -> tuple[list[Imported], list[str]]:
    """Records of Danish Dynaword's source cards under the datasheets' `data/`."""
    found, notes = [], []
    corpus = "https://huggingface.co/datasets/danish-foundation-models/danish-dynaword"
    for name in sorted(DYNAWORD_CARDS):
        if name in MISLABELLED:
            notes.append(
                f"danish-dynaword {name}: left out: labelled CC0, but Wikimedia text is "
                "CC BY-SA (see the curated wikipedia entry)"
            )
            continue
        path = folder / "data" / name / f"{name}.md"
        if not path.is_file():
            notes.append(f"danish-dynaword {name}: no card at {path}")
            continue
        entry_id = "danish-dynaword-" + name.replace("_", "-")
        item = _record(DYNAWORD, path, folder, entry_id, "Danish Dynaword: ", notes)
        if item:
            item.record["access"] = {"kind": "open", "urls": [corpus]}
            item.record["included_in"] = ["danish-dynaword"]
            item.record["packaged_for_ai_training"] = "true"
            found.append(item)
    return found, notes


def _record(info, path, folder, entry_id, prefix, notes) -> Imported | None:
    front, body = card(path)
    relative = path.relative_to(folder).as_posix()
    licence = LICENCES.get(front.get("license")) or LICENCES.get(front.get("license_name"))
    if not licence:
        notes.append(
            f"{info.source} {entry_id}: left out: licence "
            f"{front.get('license_name') or front.get('license')!r} has no id here"
        )
        return None
    short = SHORT.search(body)
    summary = " ".join(LINK.sub(r"\1", short.group(1)).split()) if short else ""
    owner, _, commit = info.base.partition("@")
    url = f"https://{owner}/blob/{commit}/{relative}"
    languages = sorted({code for code in front.get("language") or [] if _is_language(code)})
    record = {
        "id": entry_id,
        "name": (prefix + str(front.get("pretty_name") or path.stem))[:200],
        "summary": summary[:400] or f"A source of {prefix.strip(' :')}.",
        "homepage": url,
        "publisher": {"name": "Danish Foundation Models" if info is DYNAWORD else "Common Pile"},
        "modality": "code" if "code" in (front.get("language") or []) else "text",
        "languages": languages,
        "domains": sorted({DOMAINS[d] for d in front.get("domains") or [] if d in DOMAINS}),
        "licenses": [{"expression": licence, "scope": "all"}],
        "copyright_basis": "cc0-dedication" if licence == "CC0-1.0" else "open-licence",
        "evidence": [{"url": url}],
        "verification": "declared",
    }
    fields = {
        "name": "front matter pretty_name",
        "summary": "the card's short description",
        "homepage": "the card file",
        "languages": "front matter language",
        "domains": "front matter domains",
        "licenses": "front matter license, license_name",
        "modality": "front matter language (code) else text",
        "publisher": "the collection the card belongs to",
    }
    record["provenance"] = provenance(info, url, relative, fields)
    return Imported(record)


def _is_language(code: str) -> bool:
    """Cards give ISO 639 codes (`da`, `en`), and `code` for source code, which is not one."""
    return bool(pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code))
