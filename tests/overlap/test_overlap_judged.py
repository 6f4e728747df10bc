"""Judged top matches (scripts/overlap_judged.py): the file a judge fills in is read strictly.

Every problem is reported at once with its line and column, and a judged file can only name
cases of its split, so a typo cannot silently drop a judgement or invent one."""

from __future__ import annotations

import pytest
from eval_scripts import load_script

from registry.entry.errors import EntryErrors

overlap_judged = load_script("overlap_judged")
CASES = {"hf-nbailab-npsc", "hf-trymtv-norwegian-parliament-speeches"}  # real tuning-file ids


def _read(tmp_path, text: str):
    path = tmp_path / "judged-9.yaml"
    path.write_text(text, encoding="utf-8")
    return overlap_judged.read_judged(path, CASES)


def test_judgements_are_read_by_case_and_match(tmp_path):
    judged = _read(
        tmp_path,
        "judgements:\n"
        "  - case: hf-nbailab-npsc\n    match: nbailab-npsc-orto\n"
        '    judgement: same-data\n    why: "the same corpus"\n'
        "  - case: hf-nbailab-npsc\n    match: nbailab-npsc\n"
        '    judgement: unrelated\n    why: "offer is speech, record is text"\n',
    )
    npsc = {"nbailab-npsc-orto": "same-data", "nbailab-npsc": "unrelated"}
    assert judged == {"hf-nbailab-npsc": npsc}
    assert overlap_judged.related_by_judgement(judged, "hf-nbailab-npsc") == {"nbailab-npsc-orto"}
    trymtv = "hf-trymtv-norwegian-parliament-speeches"
    assert overlap_judged.related_by_judgement(judged, trymtv) == set()


def test_every_problem_is_reported_at_once_with_its_position(tmp_path):
    with pytest.raises(EntryErrors) as raised:
        _read(
            tmp_path,
            "judgements:\n"
            "  - case: hf-no-such-case\n    match: nbailab-npsc\n"
            '    judgement: related\n    why: "x"\n'
            "  - case: hf-nbailab-npsc\n    match: nbailab-npsc\n"
            '    judgement: maybe\n    why: ""\n'
            "  - case: hf-nbailab-npsc\n    match: nbailab-npsc\n"
            '    judgement: related\n    why: "again"\n'
            "  - case: hf-nbailab-npsc\n    judgement: related\n",
        )
    text = str(raised.value)
    assert "judged-9.yaml:2:" in text and "no case 'hf-no-such-case'" in text
    assert "judged-9.yaml:8:" in text and "judgement must be one of" in text
    assert "judged-9.yaml:9:" in text and "say in a few words why" in text
    assert "judged-9.yaml:11:" in text and "judged twice" in text
    assert "judged-9.yaml:14:" in text and "each judgement has exactly" in text


def test_a_file_without_the_list_is_refused(tmp_path):
    with pytest.raises(EntryErrors, match="expected a top-level `judgements:` list"):
        _read(tmp_path, "cases: []\n")


def test_each_held_out_set_has_its_judged_file_name():
    assert overlap_judged.judged_path("held-out-5").name == "judged-5.yaml"
    assert overlap_judged.judged_path("held-out").name == "judged-1.yaml"
    assert overlap_judged.judged_path("tuning") is None
