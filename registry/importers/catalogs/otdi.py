"""The AI Alliance's Open Trusted Data Initiative (OTDI) static catalog, as published.

The catalog is a folder of JavaScript files (`const data_for_x = [ {...} ];`), one per
table: `domain/<keyword>.js`, `language/<region>/<language>.js`, `modality/<keyword>.js`.
A dataset appears once per table it is listed in; its language, domain and modality
come from those tables (the rows' own `language` field is always `en` or null, as the
catalog's page says). Licences are the uploaders' declarations on Hugging Face, so every
record is `verification: declared`. Descriptions are excerpts of third-party dataset
cards: they are quoted as such, with the link, never used as the entry's own words.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from registry.importers.catalogs.records import (
    Imported,
    SourceInfo,
    distinct_ids,
    hf_repo,
    language_code,
    plain_text,
    problems_of,
    provenance,
    slug,
)
from registry.importers.licences import normalise

INFO = SourceInfo(
    source="otdi",
    title="AI Alliance Open Trusted Data Initiative catalog",
    snapshot="2025-10-24",
    base="github.com/The-AI-Alliance/open-trusted-data-initiative@3c5deb8ff9d4dace6e3f8e2b1a37c3d574b0fcdf",
    licence="CDLA-Permissive-2.0",
    notice_files=("LICENSE.CDLA-2.0",),
)
CATALOG = "docs/files/data/catalog"
# OTDI's keywords, grouped as its tables are: each table file is named after one of them.
KEYWORDS = "static-catalog/data/reference/keyword-categories.json"
FILE_NAME = re.compile(r"\W+")

# OTDI's domain tables that name one of the registry's domains; the others (advertising,
# agriculture, fashion, game, philosophy, ...) have no counterpart and are not mapped.
DOMAINS = {
    "astronomy": "science",
    "banking": "finance",
    "biology": "science",
    "chemistry": "science",
    "code": "code",
    "economics": "economics",
    "education": "education",
    "finance": "finance",
    "food": "food",
    "geospatial": "geospatial",
    "government": "government",
    "insurance": "finance",
    "legal": "legal",
    "mathematics": "mathematics",
    "medical": "health",
    "music": "music",
    "physics": "science",
    "science": "science",
    "web": "web",
    # modality tables that are subjects
    "news": "news",
    "speech": "speech",
    "translation": "translation",
    "wikipedia": "encyclopedic",
}
# Media named by a modality table, or by Hugging Face's modality tags in the first keywords.
# `Tabular` is left out: Hugging Face gives it to any Parquet or CSV file, text included.
MEDIA = {
    "audio": "audio",
    "speech": "audio",
    "vision": "image",
    "multimodal": "multimodal",
    "Audio": "audio",
    "Image": "image",
    "Video": "video",
    "Text": "text",
    "Geospatial": "geospatial",
}
CHARACTER_REFERENCE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
CARD_END = re.compile(r"…?\s*See the full description on the dataset page: \S+\s*$")


def read_tables(folder: Path) -> dict[str, list[tuple[str, dict]]]:
    """Every row of every table file, grouped by dataset URL: {url: [(table path, row)]}."""
    found: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for path in sorted((folder / CATALOG).rglob("*.js")):
        text = path.read_text(encoding="utf-8")
        try:
            rows = json.loads(text[text.index("[") :].rstrip().rstrip(";"))
        except ValueError as error:
            raise ValueError(f"{path}: not a catalog table ({error})") from None
        table = path.relative_to(folder).as_posix()
        for row in rows:
            found[row["url"]].append((table, row))
    return found


def table_keywords(folder: Path) -> dict[str, str]:
    """OTDI's own keyword for each table, by the table file's path without `.js`
    ("modality/to_text" -> "to-text", "language/africa/egyptian_ancient_" -> "egyptian
    (ancient)"): a file name is its keyword with every run of other characters made "_", which
    reads as a fragment ("to text") where a summary names the table."""
    path = folder / KEYWORDS
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{path}: OTDI's keyword list is needed to name its tables ({error})"
        ) from None
    names = {}
    for group in groups:
        tables = [(group["keyword"], t) for t in group.get("topics", [])]
        for region in group.get("subcategories", []):
            tables += [(f"{group['keyword']}/{region['keyword']}", t) for t in region["topics"]]
        for prefix, topic in tables:
            names[f"{prefix}/{FILE_NAME.sub('_', topic['keyword'].lower())}"] = topic["keyword"]
    return names


def records(folder: Path) -> tuple[list[Imported], list[str]]:
    """One record per dataset of the OTDI catalog folder (the repository's root), and a note
    for each left out."""
    names = table_keywords(folder)
    found = [record(url, listed, names) for url, listed in sorted(read_tables(folder).items())]
    checked = [_valid(item) for item in distinct_ids(found)]
    kept = [item for item in checked if not item.notes or not item.notes[-1].startswith("left")]
    return kept, [n for item in checked if item not in kept for n in item.notes]


def _valid(item: Imported) -> Imported:
    """The record as the registry accepts it: a display name the look-alike check refuses
    (`Laureηt`) gives way to the account name; a record still refused is left out, with its
    errors in a note."""
    problems = problems_of(item.record)
    account = item.record["publisher"].get("url", "").rstrip("/").rpartition("/")[2]
    if any("publisher.name" in p for p in problems) and account:
        shown = item.record["publisher"]["name"]
        item.record["publisher"]["name"] = account
        item.record["summary"] = item.record["summary"].replace(f"by {shown},", f"by {account},")
        item.record["provenance"]["fields"]["publisher"] = "creator_url (the account name)"
        problems = problems_of(item.record)
    if problems:
        item.notes.append(f"left out: otdi {item.id}: {'; '.join(problems)}")
    return item


def record(url: str, listed: list[tuple[str, dict]], table_names: dict[str, str]) -> Imported:
    """The entry fields OTDI states for one dataset, and where each came from; `table_names`
    names the tables it is listed in (table_keywords)."""
    tables = sorted({table.removeprefix(CATALOG + "/") for table, _ in listed})
    row = {key: plain_text(v) if isinstance(v, str) else v for key, v in listed[0][1].items()}
    keywords = list(dict.fromkeys(k for _, r in listed for k in r["first_N_keywords"] or []))
    repo = hf_repo(url) or url
    notes: list[str] = []
    fields = {
        "name": "name",
        "homepage": "url",
        "access": "url (OTDI lists datasets whose metadata is public)",
        "publisher": "creator_name, creator_url",
        "evidence": "url (the card where the uploader declares the licence)",
        "description": "description (an excerpt of the dataset card, quoted)",
        "summary": "creator_name and the tables the dataset is listed in",
    }
    entry = {
        "id": slug(repo),
        "name": row["name"][:200],
        "summary": _summary(row, [_table_name(t, table_names) for t in tables]),
        "description": _quote(row, keywords, url),
        "homepage": url,
        "access": {"kind": "open", "urls": [url]},
        "publisher": _publisher(row),
    }
    modality, languages, domains = _modality(tables, keywords), _languages(tables), _domains(tables)
    if modality:
        entry["modality"] = modality
        fields["modality"] = "table files (modality/) and first_N_keywords"
    entry["languages"] = languages
    if languages:
        fields["languages"] = "table files (language/<region>/<language>.js)"
    entry["domains"] = domains
    if domains:
        fields["domains"] = "table files (domain/, modality/), mapped to the registry's domains"
    licence = _licence(row, notes)
    entry["licenses"] = [licence]
    fields["licenses"] = "license_name, license_url"
    entry["copyright_basis"] = _basis(licence["expression"])
    fields["copyright_basis"] = "from the declared licence"
    entry["evidence"] = [{"url": url}]
    entry["verification"] = "declared"
    entry["provenance"] = provenance(INFO, url, listed[0][0], fields)
    return Imported(entry, notes)


def _publisher(row: dict) -> dict:
    publisher = {"name": (row.get("creator_name") or "").strip()[:200] or hf_repo(row["url"])}
    if row.get("creator_url"):
        publisher["url"] = row["creator_url"]
    return publisher


def _table_name(table: str, names: dict[str, str]) -> str:
    """The table's keyword, or its file name read as words where the keyword list lacks it."""
    return names.get(table.removesuffix(".js")) or Path(table).stem.rstrip("_").replace("_", " ")


def _summary(row: dict, listed: list[str]) -> str:
    shown = ", ".join(listed[:6]) + (f" and {len(listed) - 6} more" if len(listed) > 6 else "")
    by = (row.get("creator_name") or "").strip() or "an unnamed uploader"
    return f"A dataset on Hugging Face by {by}, listed in OTDI's catalog under {shown}."[:400]


def _quote(row: dict, keywords: list[str], url: str) -> str:
    """The card excerpt as a Markdown quote, said to be third-party text, with the link."""
    excerpt = CARD_END.sub("", row.get("description") or "").strip()
    lines = [line.strip() for line in excerpt.replace("\t", " ").splitlines()]
    text = "\n".join(line for line in lines if line)
    said = [f"Hugging Face tags listed by OTDI: {', '.join(keywords)}."] if keywords else []
    if not text:
        return "\n\n".join([f"The dataset card is at <{url}>.", *said])
    quoted = "\n".join(f"> {_plain(line)}" for line in text.splitlines())
    head = f"Excerpt of the dataset card (third-party text, as OTDI lists it; full card: <{url}>):"
    return "\n\n".join([head, quoted + "…", *said])[:20000]


def _plain(line: str) -> str:
    """A quoted line with Markdown and HTML made literal: it is quoted, not rendered.

    `&` is escaped only where it starts a character reference (`&amp;`, `&#39;`), which
    Markdown would otherwise turn into another character."""
    literal = re.sub(r"([\\`*_{}\[\]<>#|!~])", r"\\\1", line)
    return CHARACTER_REFERENCE.sub(r"\\&", literal)


def _modality(tables: list[str], keywords: list[str]) -> str | None:
    media = {
        MEDIA[Path(t).stem] for t in tables if t.startswith("modality/") and Path(t).stem in MEDIA
    }
    media |= {MEDIA[k] for k in keywords if k in MEDIA}
    if len(media) == 1:
        return media.pop()
    if len(media) > 1:
        return "multimodal"
    return None


def _languages(tables: list[str]) -> list[str]:
    codes = (language_code(Path(t).stem) for t in tables if t.startswith("language/"))
    return sorted({code for code in codes if code})


def _domains(tables: list[str]) -> list[str]:
    return sorted(
        {
            DOMAINS[Path(t).stem]
            for t in tables
            if Path(t).stem in DOMAINS and not t.startswith("language/")
        }
    )


def _licence(row: dict, notes: list[str]) -> dict:
    found = normalise(row.get("license_url") or "")
    expression = found.expression or NAMES.get(row.get("license_name") or "")
    licence = {"expression": expression or "LicenseRef-Unknown", "scope": "all"}
    if row.get("license_url"):
        licence["url"] = row["license_url"]
    if not expression:
        notes.append(f"{row['url']}: licence {row.get('license_name')!r} not mapped")
    return licence


def _basis(expression: str) -> str:
    return "cc0-dedication" if expression == "CC0-1.0" else "open-licence"


# OTDI's licence names (its permissive_licenses.js) and their SPDX ids.
NAMES = {
    "Apache License 2.0": "Apache-2.0",
    "MIT License": "MIT",
    "Creative Commons Attribution 4.0 International Public License": "CC-BY-4.0",
    "Creative Commons Zero v1.0 Universal": "CC0-1.0",
    "Open Data Commons Attribution License v1.0": "ODC-By-1.0",
    "Community Data License Agreement Permissive 1.0": "CDLA-Permissive-1.0",
    "Etalab Open License 2.0 English": "etalab-2.0",
}
