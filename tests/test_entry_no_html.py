"""`commons validate` refuses HTML in summary and description, as site/docs/fields.md says,
with the file, line and column of the field and where in the text the HTML starts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from registry.commands.cli import cli

ENTRIES = Path(__file__).parent.parent / "entries"


def validate(folder: Path):
    return CliRunner().invoke(cli, ["validate", str(folder)])


def test_html_in_summary_and_description_is_refused_with_positions(tmp_path):
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES, folder)
    entry = folder / "american-stories.yaml"
    text = entry.read_text(encoding="utf-8")
    text = re.sub(r"^summary: (.*)$", r"summary: <b>\1</b>", text, count=1, flags=re.M)
    text = text.replace("  American Stories is a dataset", "  American Stories &amp; a dataset", 1)
    entry.write_text(text, encoding="utf-8")
    result = validate(folder)
    assert result.exit_code == 1
    lines = text.splitlines()
    summary_line = next(n for n, line in enumerate(lines, 1) if line.startswith("summary:"))
    description_line = next(n for n, line in enumerate(lines, 1) if line.startswith("description:"))
    assert (
        f"american-stories.yaml:{summary_line}:10: summary: HTML is not allowed ('<b>' at "
        "character 1)" in result.output
    )
    assert (
        f"american-stories.yaml:{description_line}:14: description: HTML is not allowed ('&amp;'"
        in result.output
    )


def test_markdown_and_angle_brackets_that_are_not_html_pass(tmp_path):
    folder = tmp_path / "entries"
    shutil.copytree(ENTRIES, folder)
    entry = folder / "american-stories.yaml"
    text = entry.read_text(encoding="utf-8")
    text = text.replace(
        "  American Stories is a dataset",
        "  **Bold**, [a link](https://example.org), a < b, Vec<T>, R&D, \\<b\\>. American "
        "Stories is a dataset",
        1,
    )
    entry.write_text(text, encoding="utf-8")
    result = validate(folder)
    assert result.exit_code == 0, result.output
