"""Convert a researched facts file (a YAML list of dataset records) into entry files.

The committed entries are the product; this script is the tool that produced
them and can refresh them when the facts are revised. Every file is written
through the canonical writer, so `commons fmt --check` passes on its output.
Readings of free-text licence details live in scripts/facts_mapping.py.

Usage:
    python scripts/import_facts.py /path/to/facts.yaml [--out entries]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import facts_mapping as m  # noqa: E402

from registry.entry.canonical import dumps  # noqa: E402
from registry.entry.licenses import license_refs  # noqa: E402

MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "million": 1e6,
    "b": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
}
BYTE_UNITS = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "gib": 2**30, "tb": 1e12, "tib": 2**40, "pb": 1e15}
# What follows a number in the facts' size text → a schema size unit.
UNIT_WORDS = [
    (r"(?:[\w.-]+ )?tokens", "tokens"),
    (r"words", "words"),
    (
        r"(?:documents|articles|decisions|posts|transcripts|editions|channel-day logs|papers)",
        "documents",
    ),
    (r"(?:pages|page scans)", "pages"),
    (r"(?:2D/3D )?(?:images|photos)", "images"),
    (r"hours", "hours"),
    (r"(?:media )?files", "files"),
    (r"(?:occurrence |research-output |edition |object )?records", "records"),
    (r"(?:citations|structures|features|items|entries)", "records"),
    (
        r"(?:books|volumes|titles|works|functions|tracks|image-text pairs|image-caption "
        r"pairs|image-text examples|media objects|OCR texts)",
        "items",
    ),
    (r"repositories", "repositories"),
]
NUMBER = r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|b|t|thousand|million|billion|trillion)?\+?"
VAGUE = re.compile(r"\b(?:tens|hundreds|thousands|millions|billions) of\b", re.I)
# A year that is not part of a range or a name such as ILSVRC-2012.
YEAR = re.compile(r"(?<![-\w])(19[5-9]\d|20[0-3]\d)\b(?!-\d)")
APPROX = re.compile(r"~|approx|about|nearly|roughly|over |\+|not checked|estimate", re.I)


def parse_size(text: str) -> dict | None:
    """The first stated figure with a countable unit, or None when the text gives none."""
    text = text.strip()
    if not text or text.lower().startswith("unknown"):
        return None
    first = None
    for match in re.finditer(NUMBER + r"\s*(" + "|".join(BYTE_UNITS) + r")\b", text, re.I):
        first = (
            match.start(),
            _number(match.group(1), match.group(2)) * BYTE_UNITS[match.group(3).lower()],
            "bytes",
            match.group(2),
        )
        break
    for pattern, unit in UNIT_WORDS:
        match = re.search(NUMBER + r"\s+" + pattern + r"\b", text, re.I)
        if match and (first is None or match.start() < first[0]):
            first = (match.start(), _number(match.group(1), match.group(2)), unit, match.group(2))
    if first is None:
        return None
    start, value, unit, abbreviated = first
    if VAGUE.search(text[: start + 40]):
        return None
    size = {"value": _format_number(value), "unit": unit}
    year = YEAR.search(text[start:]) or YEAR.search(text)
    if year:
        size["as_of"] = f"{year.group(1)}-01-01"
    # A figure written with K/M/B/T or "million" is rounded, so it is an estimate too.
    size["approximate"] = "true" if APPROX.search(text) or abbreviated else "false"
    return size


def _number(digits: str, multiplier: str | None) -> float:
    return float(digits.replace(",", "")) * MULTIPLIERS.get((multiplier or "").lower(), 1)


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


def licences(record: dict) -> list[dict]:
    """The licences[] items of a record: split parts, per-item lists, or one expression."""
    rid, label, evidence = record["id"], record["license"], record["license_evidence_url"]
    if rid in m.SPLIT:
        return [_licence(expr, scope, evidence) for expr, scope in m.SPLIT[rid]]
    if label == "various":
        if rid not in m.VARIOUS:
            raise SystemExit(
                f"{rid}: licence 'various' has no reading in scripts/facts_mapping.py VARIOUS"
            )
        umbrella, parts = m.VARIOUS[rid]
        # The evidence page is where the per-item licence choices are explained.
        items = [_with_url({"expression": umbrella, "scope": "all"}, evidence)]
        for part in parts:
            expr, scope = part if isinstance(part, tuple) else (part, "some-items")
            items.append(_licence(expr, scope, evidence))
        return items
    if label in m.LABELS:
        ref, url = m.LABELS[label]
        return [
            _with_url({"expression": ref, "scope": "all"}, evidence if url == "evidence" else url)
        ]
    item = _licence(label, "all", evidence)
    if " AND " in label:
        # No single licence text covers a combination; the evidence page states it.
        item = _with_url(item, evidence)
    return [item]


def _licence(expression: str, scope: str, evidence: str) -> dict:
    item = {"expression": expression, "scope": scope}
    url = m.spdx_url(expression)
    if expression.startswith("LicenseRef-"):
        if expression not in license_refs():
            raise SystemExit(f"{expression} is not documented in classifier/data/license-refs.yaml")
        url = None
    return _with_url(item, url)


def _with_url(item: dict, url: str | None) -> dict:
    if url:
        item["url"] = url
    return item


def jurisdictions(value: str) -> list[str]:
    if value in ("global", "intl", ""):
        return []
    return ["GB" if value == "UK" else value]


def http_urls(urls: list[str]) -> tuple[list[str], list[str]]:
    """Split download locations into web URLs and others (s3://...), which go in the description."""
    web = [u for u in urls if u.startswith(("http://", "https://"))]
    return web, [u for u in urls if u not in web]


def rights_notes(record: dict) -> str | None:
    parts = [record["notes"].strip()] if record["notes"].strip() else []
    signals = [s.strip() for s in record.get("ai_signals_known") or []]
    if signals:
        parts.append("AI-use notes: " + " ".join(signals))
    return "\n\n".join(parts) or None


def description(record: dict, other_urls: list[str]) -> str | None:
    lines = []
    size = record["approx_size"].strip()
    if size and not size.lower().startswith("unknown"):
        lines.append(f"Size as reported: {size}.")
    for url in other_urls:
        lines.append(f"Also available at `{url}`.")
    return "\n\n".join(lines) or None


def normalise_id(value: str) -> str:
    return value.replace(".", "-").replace("_", "-").lower()


def source_domains(records: list[dict]) -> dict[str, list[str]]:
    """Each record's own sites plus those of the records it derives from and includes."""
    by_id = {r["id"]: r for r in records}
    members: dict[str, list[str]] = {}
    for r in records:
        for corpus in r["included_in"]:
            members.setdefault(corpus, []).append(r["id"])
    done: dict[str, list[str]] = {}

    def visit(rid: str, path: tuple = ()) -> list[str]:
        if rid in done:
            return done[rid]
        if rid in path:
            return []
        found = list(m.SOURCE_DOMAINS.get(rid, []))
        for other in list(by_id[rid]["derived_from"]) + members.get(rid, []):
            for host in visit(other, path + (rid,)):
                if host not in found:
                    found.append(host)
        done[rid] = found
        return found

    return {rid: visit(rid) for rid in by_id}


def convert(record: dict, domains: list[str]) -> dict:
    rid = normalise_id(record["id"])
    web, other = http_urls(record["download_urls"])
    entry = {
        "id": rid,
        "name": record["name"].strip(),
        "summary": record["summary"].strip(),
        "description": description(record, other),
        "homepage": record["homepage"],
        "access": {
            "kind": m.ACCESS_KIND.get(record["id"], "open"),
            "urls": web or [record["homepage"]],
        },
        "publisher": {"name": record["publisher"].strip(), "type": record["publisher_type"]},
        "modality": record["modality"],
        "languages": list(record["languages"]),
        "domains": list(record["domains"]),
        "size": parse_size(str(record["approx_size"])),
        "licenses": licences(record),
        "copyright_basis": record["copyright_basis"],
        "jurisdictions": jurisdictions(record["jurisdiction"]),
        "first_published": str(m.FIRST_PUBLISHED[record["id"]])
        if record["id"] in m.FIRST_PUBLISHED
        else None,
        "evidence": [{"url": record["license_evidence_url"]}],
        "verification": record["confidence"],
        "rights_notes": rights_notes(record),
        "derived_from": [normalise_id(x) for x in record["derived_from"]],
        "included_in": [normalise_id(x) for x in record["included_in"]],
        "packaged_for_ai_training": "true" if record["id"] in m.AI_TRAINING else None,
        "source_domains": sorted(set(domains), key=domains.index),
        "status": m.STATUS.get(record["id"]),
    }
    return {key: value for key, value in entry.items() if value not in (None, [], "")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("facts", type=Path, help="facts YAML file (a list of dataset records)")
    parser.add_argument(
        "--out", type=Path, default=Path("entries"), help="folder to write entries into"
    )
    args = parser.parse_args(argv)
    records = yaml.safe_load(args.facts.read_text(encoding="utf-8"))
    domains = source_domains(records)
    args.out.mkdir(parents=True, exist_ok=True)
    for record in records:
        entry = convert(record, domains[record["id"]])
        (args.out / f"{entry['id']}.yaml").write_text(dumps(entry), encoding="utf-8")
    print(f"wrote {len(records)} entries to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
