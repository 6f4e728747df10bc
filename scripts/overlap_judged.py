"""Judged top matches: imported records the case labels could not name, judged after scoring.

A case's `expect` and `related` lists name curated entries only: the labels were written from
the curated catalog, before any matcher ran. On the full catalog a negative case's top match is
often an imported record (one of 25,000+ uploaders' cards) that no label could name, and the
evaluation counted every such top match as unrelated content. Pooled judging (as in TREC) fixes
that without touching the labels: after a held-out file is scored once, every negative case whose
top match is an imported record outside its lists goes on a sheet (the case's text and the
record's card, no verdict and no score, in a salted order), and someone who did not work on the
matcher judges each pair by the labels' own written meanings (tests/eval/overlap/README.md):

- same-data: the record is, for the most part, the offered data;
- related: the record holds the same kind of content (same language, domain and modality) that a
  buyer could use instead or alongside;
- unrelated: otherwise.

The judgements live in tests/eval/overlap/judged-N.yaml beside held-out-N.yaml. The evaluation
counts a top match judged same-data or related as a related top match (not a false "medium");
a top match nobody judged still counts as unrelated, so a matcher that moves to new imported
matches cannot gain from it. Judgements never change the false-"high" rate: "high" says the
data is already free, which a related record does not make true.

Usage:
  python scripts/overlap_judged.py --db full.db --split held-out-5 --out sheet.md \
      --template judged-5.yaml
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from registry.entry.errors import EntryError, EntryErrors

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overlap_cases import CASE_ID, FOLDER, SETS, order_key, read_list  # noqa: E402

JUDGEMENTS = ("same-data", "related", "unrelated")
KEYS = {"case", "match", "judgement", "why"}
SHEET_SALT = "judging-sheet"


def judged_path(split: str) -> Path | None:
    """judged-N.yaml for held-out-N (held-out.yaml is the first set); None for other splits."""
    for number, (_, held_out, _) in SETS.items():
        if held_out == split:
            return FOLDER / f"judged-{number}.yaml"
    return None


def read_judged(path: Path, case_ids: set[str]) -> dict[str, dict[str, str]]:
    """{case id: {match id: judgement}}; raises EntryErrors listing every problem at once."""
    document, items = read_list(path, "judgements")
    judged: dict[str, dict[str, str]] = {}
    problems = []
    for index, item in enumerate(items):
        problems += _item_problems(document, index, item, case_ids, judged)
        if isinstance(item, dict) and set(item) == KEYS:
            judged.setdefault(item["case"], {})[item["match"]] = item["judgement"]
    if problems:
        raise EntryErrors(problems)
    return judged


def _item_problems(document, index: int, item, case_ids: set[str], judged: dict) -> list:
    """What is wrong with one judgement, each at its position; `judged`: the ones before it."""

    def error(key: str | None, message: str) -> EntryError:
        where = ("judgements", index) + ((key,) if key else ())
        return EntryError(document.path, *document.position(where), message)

    if not isinstance(item, dict) or set(item) != KEYS:
        return [error(None, f"each judgement has exactly: {', '.join(sorted(KEYS))}")]
    case, match, problems = item["case"], item["match"], []
    if case not in case_ids:
        problems.append(error("case", f"no case '{case}' in the judged file's split"))
    if not isinstance(match, str) or not CASE_ID.match(match):
        problems.append(error("match", "match must be a catalog entry id"))
    elif match in judged.get(case, {}):
        problems.append(error("match", f"'{match}' is judged twice for '{case}'"))
    if item["judgement"] not in JUDGEMENTS:
        problems.append(error("judgement", f"judgement must be one of {', '.join(JUDGEMENTS)}"))
    if not (isinstance(item["why"], str) and item["why"].strip()):
        problems.append(error("why", "say in a few words why (the kind of content compared)"))
    return problems


def related_by_judgement(judged: dict[str, dict[str, str]], case_id: str) -> set[str]:
    """The matches judged same-data or related for one case."""
    return {m for m, j in judged.get(case_id, {}).items() if j in ("same-data", "related")}


def sheet_items(rows: list[dict], cases: dict[str, dict], imported: dict[str, dict]) -> list:
    """One item per negative case whose top match is an imported record outside its lists."""
    items = []
    for row in rows:
        case = cases[row["id"]]
        top = row["top"][0][0] if row["top"] else None
        flagged = set(case["expect"]) | set(case["related"])
        if row["negative"] and top in imported and top not in flagged:
            items.append({"case": row["id"], "text": case["text"], "match": imported[top]})
    return sorted(items, key=lambda item: order_key(item["case"], SHEET_SALT))


def imported_records(db_path: Path) -> dict[str, dict]:
    """Every imported record's card as a judge reads it: id, name, modality, url, summary and
    description."""
    connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "select id, name, modality, provenance_record, summary, description from entries"
            " where provenance_record is not null"
        ).fetchall()
    finally:
        connection.close()
    fields = ("id", "name", "modality", "url", "summary", "description")
    return {row[0]: dict(zip(fields, row, strict=True)) for row in rows}


def render_sheet(split: str, items: list[dict]) -> str:
    """The judge's sheet: each case's text beside the record's card, numbered, no verdicts."""
    lines = [
        f"# Judging sheet for {split}: {len(items)} pairs",
        "",
        "For each pair, judge the catalog record against the offered data by the meanings in",
        "tests/eval/overlap/README.md ('Judged top matches'): same-data, related or unrelated.",
        "",
    ]
    for number, item in enumerate(items, 1):
        match = item["match"]
        lines += [
            f"## {number}. case `{item['case']}` / record `{match['id']}`",
            "",
            "Offered data:",
            "",
            *(f"> {line}" for line in item["text"].splitlines()),
            "",
            f"Record: **{match['name']}** ({match['modality'] or 'modality not stated'}),"
            f" {match['url']}",
            "",
            *(f"> {line}" for line in (match["summary"] or "").splitlines()),
            ">",
            *(f"> {line}" for line in (match["description"] or "").splitlines()),
            "",
        ]
    return "\n".join(lines)


def render_template(split: str, items: list[dict]) -> str:
    """judged-N.yaml to fill in: one judgement per pair, in the sheet's order."""
    lines = [
        f"# Judged top matches of {split} (scripts/overlap_judged.py; README.md here).",
        "judgements:",
    ]
    for item in items:
        lines += [
            f"  - case: {item['case']}",
            f"    match: {item['match']['id']}",
            "    judgement: TODO",
            "    why: TODO",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from eval_overlap import evaluate, load_cases

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--split", required=True)
    parser.add_argument("--out", type=Path, required=True, help="the sheet (Markdown)")
    parser.add_argument("--template", type=Path, required=True, help="judged-N.yaml to fill in")
    args = parser.parse_args(argv)
    try:
        report = evaluate(args.db, args.split)
        cases = {c["id"]: c for c in load_cases(args.split)}
    except (EntryErrors, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    items = sheet_items(report["rows"], cases, imported_records(args.db))
    args.out.write_text(render_sheet(args.split, items), encoding="utf-8")
    args.template.write_text(render_template(args.split, items), encoding="utf-8")
    print(f"{len(items)} pairs: {args.out}, {args.template}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
