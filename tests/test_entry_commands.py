"""`commons new` and `commons fmt`: the contributor's first commands."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from registry.commands.cli import cli
from registry.entry.loader import load

# What a contributor types into the template, as (line in template, line filled in).
FILLED = [
    ("name:\n", "name: Example Open Survey\n"),
    ("summary:\n", "summary: Answers to an example survey, released openly.\n"),
    ("description:\n", ""),
    ("homepage:\n", "homepage: https://survey.example.org/\n"),
    ("    -\n", "    - https://survey.example.org/download\n"),
    ("  name:\n", "  name: Example Survey Office\n"),
    ("  type:\n", "  type: government\n"),
    ("  url:\n", "  url: https://survey.example.org/about\n"),
    ("modality:\n", "modality: tabular\n"),
    ("domains: []\n", "domains: [statistics]\n"),
    ("  - expression:\n", "  - expression: CC-BY-4.0\n"),
    ("    url:\n", "    url: https://creativecommons.org/licenses/by/4.0/\n"),
    ("copyright_basis:\n", "copyright_basis: open-licence\n"),
    ("  - url:\n", "  - url: https://survey.example.org/licence\n"),
    ("    checked:\n", "    checked: 2026-11-01\n"),
    ("verification:\n", "verification: high\n"),
    ("rights_notes:\n", ""),
]


def fill(template: str) -> str:
    lines = template.splitlines(keepends=True)
    for blank, filled in FILLED:
        assert blank in lines, f"template has no line {blank!r}"
        lines[lines.index(blank)] = filled
    return "".join(lines)


def test_new_scaffold_fails_until_filled_then_validates(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["new", "example-survey", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    path = tmp_path / "example-survey.yaml"
    unfilled = runner.invoke(cli, ["validate", str(path)])
    assert unfilled.exit_code == 1
    assert "name: expected text, got an empty value" in unfilled.stderr
    path.write_text(fill(path.read_text()))
    filled = runner.invoke(cli, ["validate", str(path)])
    assert filled.exit_code == 0, filled.stderr
    assert load([path])[0].entry.licenses[0].expression == "CC-BY-4.0"
    before = load([path])[0].entry
    assert runner.invoke(cli, ["fmt", str(path)]).exit_code == 0
    formatted = path.read_text()
    assert (
        "jurisdictions:" not in formatted
        and "derived_from:" not in formatted
        and "#" not in formatted
    )
    assert load([path])[0].entry == before


def test_new_refuses_bad_ids_and_existing_files(tmp_path):
    runner = CliRunner()
    assert (
        "is not a valid id" in runner.invoke(cli, ["new", "Bad_Id", "--dir", str(tmp_path)]).output
    )
    runner.invoke(cli, ["new", "twice", "--dir", str(tmp_path)])
    assert "already exists" in runner.invoke(cli, ["new", "twice", "--dir", str(tmp_path)]).output


def test_fmt_check_names_files_and_the_fix_then_fmt_fixes(tmp_path):
    source = Path(__file__).parent / "fixtures" / "good" / "05-iso-date.yaml"
    messy = "verification: high\n" + source.read_text().replace("verification: high\n", "").replace(
        "languages: [en]", "languages:\n- en"
    )
    path = tmp_path / "05-iso-date.yaml"
    path.write_text(messy)
    runner = CliRunner()
    check = runner.invoke(cli, ["fmt", "--check", str(tmp_path)])
    assert check.exit_code == 1
    assert f"run: commons fmt {path}" in check.stderr
    assert path.read_text() == messy
    assert runner.invoke(cli, ["fmt", str(tmp_path)]).exit_code == 0
    formatted = path.read_text()
    assert formatted.index("verification:") > formatted.index("evidence:")
    assert "languages: [en]" in formatted
    assert runner.invoke(cli, ["fmt", "--check", str(tmp_path)]).exit_code == 0
    assert load([path])[0].entry == load([source])[0].entry.model_copy()
