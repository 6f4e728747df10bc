"""Hugging Face dataset card (README.md with YAML front matter) → draft entry.

The front matter is read with the registry's strict YAML reader, so a card
gets the same protection as an entry file (no tags, anchors, duplicate keys or
hidden characters). Fields follow huggingface/hub-docs `datasetcard.md`.
"""

from __future__ import annotations

import re

from registry.entry.errors import EntryError, EntryErrors
from registry.entry.vocabularies import MODALITIES
from registry.importers.draft import Draft, set_description, set_languages, set_licences, slug
from registry.importers.front_matter import read_keys, visible
from registry.importers.jsonfile import decode
from registry.importers.known import KnownEntries, set_sources
from registry.importers.licences import Licence, normalise
from registry.importers.sizes import HF_BUCKETS, number

MAX_CARD_BYTES = 1024 * 1024

# Task categories (huggingface.js pipelines) → modality of the data.
TASK_MODALITY = {
    "image": "image",
    "object-detection": "image",
    "depth-estimation": "image",
    "mask-generation": "image",
    "zero-shot-object-detection": "image",
    "audio": "audio",
    "automatic-speech-recognition": "audio",
    "text-to-speech": "audio",
    "voice-activity-detection": "audio",
    "video": "video",
    "tabular": "tabular",
    "time-series-forecasting": "tabular",
    "text": "text",
    "question-answering": "text",
    "translation": "text",
    "summarization": "text",
    "fill-mask": "text",
    "token-classification": "text",
    "table-question-answering": "tabular",
    "sentence-similarity": "text",
    "zero-shot-classification": "text",
    "feature-extraction": "text",
}
FEATURE_MODALITY = {"image": "image", "audio": "audio", "video": "video"}
USED = {
    "pretty_name",
    "license",
    "license_name",
    "license_link",
    "language",
    "language_details",
    "source_datasets",
    "size_categories",
    "dataset_info",
    "task_categories",
    "tags",
    "extra_gated_fields",
    "extra_gated_prompt",
    "extra_gated_heading",
    "extra_gated_button_content",
    "extra_gated_description",
}
PLACEHOLDER = re.compile(r"\[More Information Needed\]|^\{\{.*\}\}$|^<!--")


def split_front_matter(path: str, text: str) -> tuple[str, str, int]:
    """The YAML between the leading `---` lines, the Markdown body, and the body's first line
    number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise EntryErrors(
            [
                EntryError(
                    path,
                    1,
                    1,
                    "no YAML front matter: a dataset card starts with a line `---`, then the "
                    "metadata, then another `---`",
                )
            ]
        )
    for number_, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:number_]) + "\n", "\n".join(lines[number_ + 1 :]), number_ + 2
    raise EntryErrors(
        [
            EntryError(
                path, 1, 1, "the front matter is not closed: add a line `---` after the metadata"
            )
        ]
    )


def _front_matter(path: str, data: bytes) -> tuple[dict, list[str], str, list[str]]:
    """The card's front matter keys this importer uses (read strictly, positions as lines
    of the card), the keys not read, the visible body, and notes on what was skipped."""
    text = decode(path, data, MAX_CARD_BYTES, hidden_ok=True)
    front, body, body_line = split_front_matter(path, text)
    meta, others = read_keys(path, front, 2, USED)
    body, hidden_lines = visible(body)
    notes = []
    if hidden_lines:
        shown = ", ".join(str(body_line - 1 + n) for n in hidden_lines[:10]) + (
            " ..." if len(hidden_lines) > 10 else ""
        )
        notes.append(
            f"hidden characters (control, bidi or zero-width) in the card body skipped "
            f"(not imported), on {len(hidden_lines)} line(s) of the card: {shown}"
        )
    return meta, others, body, notes


def _where(draft: Draft, meta: dict, body: str) -> None:
    """Homepage, access and publisher: what the card's links and gating say, and what it cannot."""
    links = _links(body)
    if links.get("homepage") or links.get("repository"):
        draft.values["homepage"] = links.get("homepage") or links["repository"]
    else:
        draft.check(
            ("homepage",),
            "main page of the dataset, e.g. https://huggingface.co/datasets/OWNER/NAME",
        )
    gated = any(key.startswith("extra_gated") for key in meta)
    urls = [u for u in (links.get("repository"), links.get("homepage")) if u]
    draft.values["access"] = {
        "kind": "gated" if gated else "open",
        "urls": list(dict.fromkeys(urls)),
    }
    if not urls:
        draft.check(
            ("access", "urls"), "download page, e.g. https://huggingface.co/datasets/OWNER/NAME"
        )
    draft.values["publisher"] = {"type": None}
    draft.check(
        ("publisher", "name"),
        "who publishes the dataset (a card does not say; the Hub namespace owner is a good start)",
    )


def to_draft(path: str, data: bytes, known: KnownEntries) -> Draft:
    meta, unread, body, notes = _front_matter(path, data)
    draft = Draft(source=path, notes=notes)
    name = _string(meta.get("pretty_name")) or _heading(body)
    if not name:
        message = (
            "the card has no `pretty_name` and no `# Dataset Card for ...` heading; add pretty_name"
        )
        raise EntryErrors([EntryError(path, 1, 1, message)])
    draft.values["id"] = slug(name)
    draft.values["name"] = name
    set_description(draft, _summary_section(body), "the card's summary section")
    _where(draft, meta, body)
    _licences(draft, meta)
    set_languages(
        draft, _list(meta.get("language_details")) or _list(meta.get("language")), "language"
    )
    sources = []
    for source in _list(meta.get("source_datasets")):
        name_ = source.split("|", 1)[1] if source.startswith("extended|") else source
        if name_ not in ("original", "extended"):
            sources.append(name_)
    set_sources(draft, sources, known, "source_datasets")
    _size(draft, meta)
    _modality(draft, meta)
    tags = _list(meta.get("tags")) + _list(meta.get("task_categories"))
    if tags:
        draft.checks[("domains",)] = (
            "subject domains from site/docs/fields.md (the card's tags and tasks: "
            f"{', '.join(tags[:10])})"
        )
    draft.unmapped = sorted(unread)
    return draft


def _string(value) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _heading(body: str) -> str | None:
    match = re.search(r"^# +(?:Dataset Card for +)?(.+?)\s*$", body, flags=re.MULTILINE)
    if not match:
        return None
    heading = match.group(1).strip().strip('"')
    return None if PLACEHOLDER.search(heading) or heading.startswith("{") else heading


def _summary_section(body: str) -> str | None:
    """The `Dataset Summary` section of the template, else the first plain paragraph."""
    section = re.search(
        r"^#{2,4} +Dataset (?:Summary|Description)\s*\n(.*?)(?=^#{1,4} |\Z)",
        body,
        flags=re.MULTILINE | re.DOTALL,
    )
    candidates = [section.group(1)] if section else []
    candidates.append(body)
    for candidate in candidates:
        for paragraph in re.split(r"\n\s*\n", candidate):
            text = paragraph.strip()
            if (
                not text
                or text.startswith(("#", "-", "*", "|", "<", "!", "[", "`", ">"))
                or PLACEHOLDER.search(text)
            ):
                continue
            return " ".join(text.split())[:5000]
    return None


def _links(body: str) -> dict[str, str]:
    """`- **Homepage:** https://...` lines of the card template."""
    found = {}
    for label, text, url in re.findall(
        r"\*\*(Homepage|Repository|Paper):?\*\*:?\s*\[?([^\]\n(]*)\]?\(?(https?://[^\s)>\]]+)", body
    ):
        # `[More Information Needed](...CONTRIBUTING.md...)` is the template's placeholder.
        if "More Information Needed" not in text:
            found.setdefault(label.lower(), url)
    return found


def _licences(draft: Draft, meta: dict) -> None:
    values = _list(meta.get("license"))
    licences = []
    for value in values:
        licence = normalise(value)
        if not licence.expression and value.lower() == "other":
            link = _string(meta.get("license_link"))
            name = _string(meta.get("license_name"))
            for candidate in (name, link):
                if candidate:
                    attempt = normalise(candidate)
                    if attempt.expression:
                        licence = attempt
                        break
            else:
                url = link if link and link.startswith(("http://", "https://")) else None
                licence = Licence(
                    None,
                    url,
                    note=f"licence `other` ({name or 'no license_name'}; "
                    f"{link or 'no license_link'}): read it and choose an SPDX id or a "
                    "LicenseRef- id",
                )
        licences.append(licence)
    set_licences(draft, licences, "the card's `license`")


def _size(draft: Draft, meta: dict) -> None:
    info = meta.get("dataset_info")
    configs = info if isinstance(info, list) else [info] if isinstance(info, dict) else []
    best = 0
    for config in configs:
        total = 0
        splits = config.get("splits") if isinstance(config, dict) else None
        for split in splits if isinstance(splits, list) else []:
            count = split.get("num_examples") if isinstance(split, dict) else None
            if isinstance(count, str) and count.isdigit():
                total += int(count)
        best = max(best, total)
    if best:
        draft.values["size"] = {"value": number(best), "unit": "records"}
        return
    buckets = [HF_BUCKETS[c] for c in _list(meta.get("size_categories")) if c in HF_BUCKETS]
    if buckets and max(buckets) > 0:
        draft.values["size"] = {
            "value": number(max(buckets)),
            "unit": "records",
            "approximate": "true",
        }
        draft.notes.append(
            "size: lower bound of the card's size_categories bucket, marked approximate"
        )


def _modality(draft: Draft, meta: dict) -> None:
    kinds = set()
    info = meta.get("dataset_info")
    configs = info if isinstance(info, list) else [info] if isinstance(info, dict) else []
    for config in configs:
        features = config.get("features") if isinstance(config, dict) else None
        for feature in features if isinstance(features, list) else []:
            if isinstance(feature, dict) and feature.get("dtype") in FEATURE_MODALITY:
                kinds.add(FEATURE_MODALITY[feature["dtype"]])
    for tag in _list(meta.get("tags")):
        if tag.startswith("modality:") and tag.split(":", 1)[1] in MODALITIES:
            kinds.add(tag.split(":", 1)[1])
    for task in _list(meta.get("task_categories")):
        for prefix, kind in TASK_MODALITY.items():
            if task == prefix or task.startswith(prefix + "-"):
                kinds.add(kind)
                break
    rich = kinds - {"text"}
    if len(kinds) == 1:
        draft.values["modality"] = kinds.pop()
    elif len(rich) >= 1 and len(kinds) > 1:
        draft.values["modality"] = "multimodal"
    else:
        draft.check(
            ("modality",),
            "text | tabular | image | audio | video | code | geospatial | multimodal (the "
            "card's tasks do not say)",
        )
