"""A draft entry: what an importer could map, and what a person must still decide.

Fields a person must check are written empty with a `# CHECK:` comment above
them, so the draft fails `commons validate` until someone has filled them in.
Every field of the source that was not used is listed, so nothing is lost
silently.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field

import langcodes

from registry.entry.canonical import dumps
from registry.entry.errors import EntryError, EntryErrors
from registry.entry.schema import ID_PATTERN
from registry.entry.strict_yaml import FORBIDDEN_CHARACTER, read
from registry.importers.licences import Licence

# Written for a field left to fill in, then erased from the text: `key: <BLANK>` becomes `key:`.
BLANK = "CHECK-BLANK-VALUE"
BLANK_LINE = re.compile(r"^(.*?:) CHECK-BLANK-VALUE$", re.MULTILINE)

# Fields whose values are judgements no metadata format records.
ALWAYS_CHECK = {
    (
        "publisher",
        "type",
    ): "who publishes it: government | intergovernmental | academic | nonprofit | community | "
    "company | cultural-heritage | individual",
    (
        "copyright_basis",
    ): "why the content may be reused (see site/docs/fields.md); read the licence before choosing",
    (
        "verification",
    ): "high if you read the licence on the publisher's own page, medium for secondary evidence, "
    "low if unclear",
    ("domains",): "one or more subject domains from site/docs/fields.md, e.g. [science]",
}

# Markdown (emphasis, links, code, headings) or an HTML tag or entity in a suggested summary.
MARKUP = re.compile(r"\*\*|__|\[[^\]]*\]\(|`|^#|</?[A-Za-z][^<>]*>|&[A-Za-z#][A-Za-z0-9]*;")
SENTENCE_END = re.compile(r"([.!?])(?:\s|$)")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATION = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|vs|cf|al|approx|incl|Dr|Mr|Ms|Mrs|Prof|St|No|Fig|Vol|U\.S|U\.K)"
    r"|\b[A-Z])\.$"
)
MODALITY_BY_MEDIA = {"image": "image", "audio": "audio", "video": "video"}
TABULAR_FORMATS = {
    "text/csv",
    "csv",
    "tsv",
    "text/tab-separated-values",
    "application/x-parquet",
    "parquet",
    "application/vnd.apache.parquet",
    "xlsx",
    "application/vnd.ms-excel",
}


@dataclass
class Draft:
    """Mapped values (entry field → raw value), checks, and what could not be mapped."""

    source: str
    values: dict = field(default_factory=dict)
    checks: dict[tuple, str] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources_unmatched: list[str] = field(default_factory=list)

    def check(self, location: tuple, why: str) -> None:
        self.checks[location] = why

    def guess(self, location: tuple, value: str, why: str) -> None:
        """A value the source only suggests: left empty, with the suggestion in the CHECK."""
        self.checks[location] = f"{why}; suggested: {value}"

    @property
    def id(self) -> str:
        return self.values["id"]


def slug(text: str) -> str:
    """A registry id from a name: lowercase ASCII letters, digits and '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-")
    if not re.fullmatch(ID_PATTERN, value or ""):
        value = f"imported-{value}".strip("-")[:63] if value else "imported-dataset"
    return value


def language_tag(value: str) -> str | None:
    """BCP-47 for a language code or IRI (`en`, `eng`, `fr-FR`, `.../language/ENG`,
    `multilingual`)."""
    raw = value.strip().rstrip("/").rsplit("/", 1)[-1]
    if raw.lower() in ("multilingual", "mul"):
        return "mul"
    try:
        tag = langcodes.standardize_tag(raw)
    except (ValueError, langcodes.tag_parser.LanguageTagError):
        return None
    return tag if langcodes.tag_is_valid(tag) and tag not in ("und", "code") else None


def set_languages(draft: Draft, raw_values: list[str], origin: str) -> None:
    tags, rejected = [], []
    for value in raw_values:
        tag = language_tag(value)
        if tag and tag not in tags:
            tags.append(tag)
        elif not tag:
            rejected.append(value)
    if tags:
        draft.values["languages"] = tags
    if rejected:
        draft.notes.append(f"{origin}: not a language tag, left out: {', '.join(rejected)}")


def set_description(
    draft: Draft, description: str | None, origin: str, summary_from: str | None = None
) -> None:
    """Keep the description and take the summary from its first sentence (or from `summary_from`).

    Without a description, the summary is marked for a person to write; a first sentence with
    Markdown or HTML in it is only a suggestion, since a summary is plain text.
    """
    if not description:
        draft.check(
            ("summary",), f"one sentence saying what the dataset is ({origin} has no description)"
        )
        return
    draft.values["description"] = description
    headings, rest = leading_headings(summary_from or description)
    summary = first_sentence(rest)
    if headings:
        shown = ", ".join(repr(h) for h in headings[:3])
        draft.guess(
            ("summary",),
            summary,
            "one plain-text sentence saying what the dataset is (the description begins with "
            f"headings, left out of the suggestion: {shown})",
        )
    elif MARKUP.search(summary):
        draft.guess(
            ("summary",),
            summary,
            "one plain-text sentence saying what the dataset is (the description's first "
            "sentence has Markdown or HTML: rewrite it without)",
        )
    else:
        draft.values["summary"] = summary


def set_modality_from_files(draft: Draft, media: list[str], why: str) -> None:
    """The modality the files' formats imply; CSV, Parquet and spreadsheets hold text and
    images as often as tables, so `tabular` from them is only a suggestion."""
    modality = modality_from_media(media)
    if modality == "tabular":
        draft.guess(
            ("modality",),
            "tabular",
            "main kind of content (guessed from the file format: CSV, Parquet and spreadsheets "
            "also hold text, images or audio)",
        )
    elif modality:
        draft.values["modality"] = modality
    else:
        draft.check(
            ("modality",),
            f"text | tabular | image | audio | video | code | geospatial | multimodal ({why})",
        )


def modality_from_media(media: list[str]) -> str | None:
    """The modality implied by MIME types or formats, when they agree."""
    found = set()
    for item in media:
        kind = item.lower().split(";")[0].strip()
        major = kind.split("/")[0]
        if major in MODALITY_BY_MEDIA:
            found.add(MODALITY_BY_MEDIA[major])
        elif kind in TABULAR_FORMATS:
            found.add("tabular")
        elif kind in ("text/plain", "txt", "application/jsonl", "application/x-ndjson"):
            found.add("text")
    if len(found) == 1:
        return found.pop()
    return "multimodal" if len(found) > 1 else None


def set_licences(draft: Draft, licences: list[Licence], origin: str) -> None:
    """Licences that map to SPDX are kept; any that do not become a CHECK with the reason."""
    entries, problems = [], []
    for licence in licences:
        if licence.expression:
            item = {"expression": licence.expression, "scope": "all"}
            if licence.url:
                item["url"] = licence.url
            if item not in entries:
                entries.append(item)
        else:
            problems.append(licence.note or "licence not recognised")
            if licence.url:
                entries.append({"expression": None, "scope": "all", "url": licence.url})
    if not entries:
        entries = [{"expression": None, "scope": "all"}]
    draft.values["licenses"] = entries
    for position, item in enumerate(entries):
        if item["expression"] is None:
            why = "; ".join(problems) if problems else f"no licence found in {origin}"
            draft.check(("licenses", position, "expression"), f"SPDX id of the licence ({why})")


def leading_headings(text: str) -> tuple[list[str], str]:
    """Short paragraphs without a full stop at the start of a text (the headings of a card
    rendered as plain text, such as Hugging Face's Croissant descriptions), and the rest."""
    paragraphs = [p for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    headings = []
    while len(paragraphs) > 1:
        flat = " ".join(paragraphs[0].split())
        if len(flat) > 80 or SENTENCE_END.search(flat):
            break
        headings.append(flat)
        paragraphs.pop(0)
    return headings, "\n\n".join(paragraphs)


def first_sentence(text: str) -> str:
    """The first sentence of a description, as a suggested summary; abbreviations such as
    "e.g." and "i.e." do not end it."""
    flat = " ".join(text.split())
    for match in SENTENCE_END.finditer(flat):
        if not ABBREVIATION.search(flat[: match.end(1)]):
            return flat[: match.end(1)][:400]
    return flat[:400]


def _comment(line: str, text: str) -> str:
    """A CHECK comment indented like the key line it sits above."""
    indent = len(line) - len(line.lstrip(" "))
    return " " * indent + "# CHECK: " + " ".join(text.split())


def _strings(value, location: tuple, problems: list[str]) -> object:
    """Every scalar as a string (the loader's form); refuse hidden characters."""
    if isinstance(value, dict):
        return {k: _strings(v, location + (k,), problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v, location + (i,), problems) for i, v in enumerate(value)]
    if value is None or value == BLANK:
        return value
    text = str(value)
    found = FORBIDDEN_CHARACTER.search(text)
    if found:
        problems.append(
            f"{'.'.join(map(str, location))}: character U+{ord(found.group()):04X} is not "
            "allowed (control, bidi or zero-width); remove it from the source"
        )
    return text


def render(draft: Draft, target: str | None = None) -> str:
    """The draft as canonical entry YAML with `# CHECK:` comments above the fields to fill."""
    values = copy.deepcopy(draft.values)
    for location in {**ALWAYS_CHECK, **draft.checks}:
        _clear(values, location)
    problems: list[str] = []
    clean = _strings(values, (), problems)
    if problems:
        raise EntryErrors([EntryError(draft.source, 1, 1, problem) for problem in problems])
    # The canonical writer drops empty keys; a placeholder keeps the ones to fill, then is erased.
    text = BLANK_LINE.sub(r"\1", dumps(clean))
    document = read(draft.source, text.encode("utf-8"))
    lines = text.splitlines()
    inserts: dict[int, list[str]] = {}
    for location, why in {**ALWAYS_CHECK, **draft.checks}.items():
        parent, key = location[:-1], location[-1]
        if isinstance(key, int):
            line, _ = document.position(location)
        else:
            line, _ = document.key_position(parent, key)
        inserts.setdefault(line - 1, []).append(why)
    out = [
        f"# Draft imported from {draft.source}. Fill in every field marked CHECK, then run:",
        f"#   commons validate {target or f'entries/{draft.id}.yaml'}",
    ]
    for number, line in enumerate(lines):
        for why in inserts.get(number, []):
            out.append(_comment(line, why))
        out.append(line)
    return "\n".join(out) + "\n"


def _clear(values: dict, location: tuple) -> None:
    """Make sure the field at `location` exists and is empty."""
    target = values
    for part in location[:-1]:
        if isinstance(part, int):
            target = target[part]
        else:
            target = target.setdefault(part, {})
    target[location[-1]] = BLANK
