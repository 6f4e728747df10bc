"""The overlap evaluation: its case files, the split rule, and the check on the real catalog.

Figures are asserted on the watched cases only (written while watching the matcher, so a
regression check, not an estimate). The held-out files are checked for shape and for the split
rule; a held-out file not yet spent is never scored here (its figures are read once per release
of the matcher), and a spent one is scored once, to show that it prints its cases.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from eval_scripts import load_script

from registry.commands.cli import cli
from registry.entry.errors import EntryErrors

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = ROOT / "entries"


eval_overlap = load_script("eval_overlap")
overlap_cases = load_script("overlap_cases")
check_excerpts = load_script("check_overlap_excerpts")


@pytest.fixture(scope="module")
def real_db(project_catalog):
    if not ENTRIES.is_dir() or not any(ENTRIES.glob("*.yaml")):
        pytest.skip("entries/ is empty: the evaluation needs the real catalog")
    return project_catalog


@pytest.fixture(scope="module")
def halves():
    return {split: overlap_cases.read_split(split) for split in overlap_cases.SOURCED}


def test_real_description_halves_are_large_and_balanced(halves):
    cases = halves["tuning"] + halves["held-out"]
    negatives = [c for c in cases if c["kind"] != "same-data"]
    assert len(cases) >= 200
    assert len(negatives) / len(cases) >= 0.4
    for kind in overlap_cases.KINDS:
        counts = [sum(1 for c in halves[s] if c["kind"] == kind) for s in ("tuning", "held-out")]
        assert min(counts) >= 20 and max(counts) - min(counts) <= 1, (kind, counts)
    # The second set's READMEs, the ninth set's repository cards, the tenth set's TFDS
    # descriptions and the eleventh set's three sources are sources the first set lacks.
    later_sources = {"common-pile-readmes", "hf-datasets-cards", "tfds-descriptions"}
    later_sources |= {"lm-eval-task-readmes", "seacrowd-descriptions", "torchgeo-docstrings"}
    assert {c["via"] for c in cases} == set(overlap_cases.VIA) - later_sources
    assert sum(1 for c in cases if c.get("signals")) >= 10


def test_second_set_is_balanced_and_quotes_other_sources(halves):
    """The second set: Common Pile source READMEs and OTDI cards no case of the first quotes."""
    second = halves["tuning-2"] + halves["held-out-2"]
    first = {c["source"] for s in ("tuning", "held-out", "watched") for c in halves.get(s, [])}
    assert len(second) >= 80 and not {c["source"] for c in second} & first
    assert {c["via"] for c in second} == {"common-pile-readmes", "otdi-catalog"}
    for kind in overlap_cases.KINDS:
        counts = [
            sum(1 for c in halves[s] if c["kind"] == kind) for s in ("tuning-2", "held-out-2")
        ]
        assert max(counts) - min(counts) <= 1, (kind, counts)


def test_every_flagged_id_is_a_catalog_entry():
    known = {path.stem for path in ENTRIES.glob("*.yaml")}
    for split in overlap_cases.SPLITS:
        for case in overlap_cases.read_split(split):
            unknown = set(case["expect"] + case.get("related", [])) - known
            assert not unknown, (split, case["id"], unknown)


def test_no_case_is_in_two_files():
    ids = [c["id"] for split in overlap_cases.SPLITS for c in overlap_cases.read_split(split)]
    assert len(ids) == len(set(ids))


def test_the_halves_follow_the_recorded_split_rule():
    assert overlap_cases.split_problems() == []


def test_split_rule_is_stable_and_balanced_per_kind():
    cases = [{"id": f"case-{i}", "kind": overlap_cases.KINDS[i % 3]} for i in range(30)]
    halves = overlap_cases.assign(cases)
    assert halves == overlap_cases.assign(list(reversed(cases)))
    for kind in overlap_cases.KINDS:
        chosen = [halves[c["id"]] for c in cases if c["kind"] == kind]
        assert chosen.count("held-out") == chosen.count("tuning") == 5
    second = overlap_cases.assign(cases, "2")
    assert set(second.values()) == {"held-out-2", "tuning-2"}
    assert [second[c["id"]] == "held-out-2" for c in cases] != [
        halves[c["id"]] == "held-out" for c in cases
    ]  # another salt, another split


def test_watched_cases_keep_their_figures_on_the_real_catalog(real_db):
    report = eval_overlap.evaluate(real_db, "watched")
    misses = [
        (r["id"], r["top"]) for r in report["rows"] if r["recall"] is not None and r["recall"] < 1
    ]
    assert report["recall_at_3"] >= 0.9, misses
    assert report["false_high_rate"] <= 0.10
    assert report["high_precision"] is not None and report["high_precision"] >= 0.9


def test_tuning_report_has_every_figure(real_db, halves):
    report = eval_overlap.evaluate(real_db, "tuning")
    assert report["cases"] == len(report["rows"]) == len(halves["tuning"])
    assert report["by_kind"]["same-data"] == sum(
        1 for c in halves["tuning"] if c["kind"] == "same-data"
    )
    for key in ("recall_at_3", "hit_at_3", "false_high_rate", "false_medium_rate"):
        assert 0 <= report[key] <= 1, key
    assert sum(report["verdicts"].values()) == report["cases"]


def test_figures_follow_their_definitions():
    def row(kind, verdict, top_related=False, top_flagged=False, recall=None):
        return {
            "id": "x",
            "kind": kind,
            "negative": kind != "same-data",
            "verdict": verdict,
            "recall": recall,
            "hit": None if recall is None else recall > 0,
            "related_at_3": top_related,
            "top_flagged": top_flagged,
            "top_related": top_related,
            "top_related_by_labels": top_related,
        }

    rows = [
        row("same-data", "high", top_flagged=True, recall=1.0),
        row("same-data", "medium", recall=0.5),
        row("related-not-same", "high", top_related=True, top_flagged=True),
        row("related-not-same", "medium", top_related=True, top_flagged=True),
        row("unrelated", "medium"),
        row("unrelated", "low"),
    ]
    report = eval_overlap.summarise(rows)
    assert report["recall_at_3"] == 0.75 and report["hit_at_3"] == 1.0
    assert report["high_precision"] == 0.5  # the related-not-same case given "high" is wrong
    assert report["false_high_rate"] == 0.25
    assert report["false_medium_rate"] == 0.25  # only the unrelated top match at medium
    assert report["negatives_by_kind"]["related-not-same"]["false_high_rate"] == 0.5
    assert report["negatives_by_kind"]["unrelated"]["false_medium_rate"] == 0.5
    assert report["related_at_3"] == 1.0
    assert report["same_data_high_rate"] == 0.5  # one of the two same-data cases is "high"


def test_unspent_held_out_report_drops_every_case_row(monkeypatch):
    report = {"split": "held-out", "cases": 1, "rows": [{"id": "secret"}]}
    assert eval_overlap.public_report(report) == report  # spent: studied like a tuning file
    monkeypatch.setattr(eval_overlap, "SPENT", frozenset())
    assert "rows" not in eval_overlap.public_report(report)
    assert "secret" not in json.dumps(eval_overlap.public_report(report))
    assert "rows" not in eval_overlap.public_report({**report, "split": "held-out-2"})
    tuning = {"split": "tuning", "rows": [{"id": "seen"}]}
    assert eval_overlap.public_report(tuning) == tuning


@pytest.mark.parametrize("split", sorted(overlap_cases.SPENT))
def test_a_spent_file_prints_its_cases_and_printed_aggregates_only_before(split, monkeypatch):
    """Scored once and spent: its cases may be printed; unspent, it printed aggregates only, and
    a path to the file counts as its split."""
    report = {"split": split, "rows": [{"id": "x"}], "cases": 1}
    assert eval_overlap.public_report(report) == report
    monkeypatch.setattr(eval_overlap, "SPENT", overlap_cases.SPENT - {split})
    assert eval_overlap.public_report(report) == {"split": split, "cases": 1}
    assert eval_overlap.split_of("tuning", overlap_cases.SPLITS[split]) == split


def test_the_scored_held_out_files_are_spent_and_only_those():
    spent = {f"held-out-{n}" for n in range(2, 12)} | {"held-out"}
    assert overlap_cases.SPENT == spent and overlap_cases.SPENT <= overlap_cases.HELD_OUT
    assert not any(eval_overlap.unspent(name) for name in spent)
    assert all(eval_overlap.unspent(n) for n in overlap_cases.HELD_OUT - overlap_cases.SPENT)
    assert not eval_overlap.unspent("tuning-3")


HELD_OUT_FILES = ("held-out", *(f"held-out-{n}" for n in range(2, 9)))


@pytest.mark.parametrize("name", HELD_OUT_FILES)
@pytest.mark.parametrize("by", ["--split", "--cases"])
def test_an_unspent_held_out_file_refuses_per_case_output_before_scoring(
    name, by, capsys, monkeypatch
):
    """A held-out file not yet scored (as a fifth set will be) prints aggregate figures only;
    each file is made unspent in turn to show the refusal is by name and by path alike."""
    monkeypatch.setattr(eval_overlap, "SPENT", overlap_cases.SPENT - {name})
    where = name if by == "--split" else str(overlap_cases.SPLITS[name])
    with pytest.raises(SystemExit) as stopped:
        eval_overlap.main(["--db", "/nonexistent/registry.db", by, where, "--verbose"])
    assert stopped.value.code == 2
    assert "aggregate figures only" in capsys.readouterr().err


def test_a_spent_held_out_file_prints_its_cases(real_db, capsys):
    """The spent files are studied like the tuning files: --verbose prints a line per case."""
    assert eval_overlap.main(["--db", str(real_db), "--split", "held-out-2", "--verbose"]) == 0
    lines = capsys.readouterr().out.splitlines()
    cases = overlap_cases.read_split("held-out-2")
    assert sum(1 for line in lines if line.split(" ")[0] in {c["id"] for c in cases}) == len(cases)
    assert any(line.startswith("same-data cases rated high: ") for line in lines)


def _problems(tmp_path: Path, split: str, lines: list[str]) -> list[str]:
    """The errors of a case file made of `lines`, as `line:col: message`."""
    path = tmp_path / "cases.yaml"
    path.write_text("cases:\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(EntryErrors) as raised:
        overlap_cases.read_split(split, path)
    return [str(e).split(":", 1)[1] for e in raised.value.errors]


def test_bad_case_file_lists_every_problem_with_its_line(tmp_path):
    messages = _problems(
        tmp_path,
        "tuning",
        [
            "  - id: Bad_Id",
            "    kind: same-data",
            "    text: a description",
            "    expect: []",
            "  - id: negative-with-flags",
            "    kind: unrelated",
            "    text: another description",
            "    expect: []",
            "    related: [wikipedia]",
            "    signals: [proprietary]",
            "    colour: blue",
        ],
    )
    assert "2:9: id must be lower-case words joined by '-'" in messages
    assert any(m.startswith("5:13: a same-data case names the entries") for m in messages)
    assert any(m.startswith("10:14: an unrelated case flags no entry") for m in messages)
    assert any(m.startswith("12:5: unknown key 'colour'") for m in messages)
    assert any("signal 'proprietary' is not words of the text" in m for m in messages)
    assert sum("records its https source" in m for m in messages) == 2, messages


def test_duplicate_ids_and_non_text_descriptions_are_refused(tmp_path):
    case = ["    kind: unrelated", "    text: a description", "    expect: []"]
    messages = _problems(
        tmp_path,
        "watched",
        ["  - id: [a, b]", "    kind: same-data", "    text: [not, a, string]"]
        + ["    expect: [wikipedia]", "  - id: twice", *case, "  - id: twice", *case],
    )
    assert messages == [
        "2:9: id must be lower-case words joined by '-'",
        "4:11: text must be the description, a non-empty string",
        "10:9: duplicate id 'twice'",
    ]


# One real OTDI record (docs/files/data/catalog/modality/audio.js @ f6f31ac, CDLA-Permissive-2.0;
# the description is an excerpt of the Hugging Face card of MikhailT/hifi-tts).
HIFI = {
    "name": "hifi-tts",
    "url": "https://huggingface.co/datasets/MikhailT/hifi-tts",
    "description": "Hi-Fi Multi-Speaker English TTS Dataset (Hi-Fi TTS) is based on LibriVox's"
    " public domain audio books and Gutenberg Project texts.\n",
}


def _sources(tmp_path: Path) -> Path:
    catalog = tmp_path / "otdi-catalog/docs/files/data/catalog/modality"
    catalog.mkdir(parents=True)
    (catalog / "audio.js").write_text(
        "const data_for_modality_audio = \n" + json.dumps([HIFI]) + "\n;", encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("Hi-Fi Multi-Speaker English TTS Dataset (Hi-Fi TTS) is based on LibriVox's …", True),
        ("Hi-Fi Multi-Speaker English TTS Dataset […] Gutenberg Project texts.", True),
        ("Hi-Fi Multi-Speaker English TTS Dataset is based on our own recordings.", False),
    ],
)
def test_excerpt_check_finds_added_words(tmp_path, text, quoted):
    case = {"id": "hifi", "source": HIFI["url"], "text": text}
    found = check_excerpts.problems(_sources(tmp_path), {"tuning": [case]})
    assert (found == []) is quoted, found


def test_build_fills_overlaps_between_catalog_entries(real_db):
    with sqlite3.connect(real_db) as connection:
        rows = {
            (a, b): (relation, json.loads(evidence))
            for a, b, relation, evidence in connection.execute(
                "select o.entry_id, o.other_id, r.text, e.text from overlaps o "
                "join text_overlap_relation r on r.id = o.relation "
                "join text_overlap_evidence e on e.id = o.evidence"
            )
        }
    assert rows[("wikipedia", "open-license-corpus")][0] == "included-in"
    assert rows[("wikitext-103", "wikipedia")][0] == "derived-from"
    assert any(relation == "shares-sources" for relation, _ in rows.values())


def test_cli_text_output_on_the_real_catalog(real_db):
    result = CliRunner().invoke(
        cli,
        [
            "overlap",
            "--db",
            str(real_db),
            "--text",
            "Ten years of Stack Overflow questions and answers",
            "--top",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("High redundancy: 'Stack Exchange data dump'")
    assert "[stack-exchange-data-dump]" in result.output
