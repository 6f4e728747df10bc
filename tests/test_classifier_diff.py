"""`commons classify --diff REV` on a real git repository built in a temporary folder."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess

import pytest
from classifier_fixtures import raw_entry
from click.testing import CliRunner

from classifier.rules_data import RULES_DIR, load_rules
from registry.commands.cli import cli
from registry.entry.canonical import dumps

CURRENT = load_rules().version
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


def git(repo, *args):
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin", "HOME": str(repo)},
    )


def write_entry(repo, entry_id, expression, **fields):
    (repo / "entries" / f"{entry_id}.yaml").write_text(
        dumps(raw_entry(entry_id, licenses=(expression,), **fields)), encoding="utf-8"
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    repo = tmp_path / "registry"
    (repo / "entries").mkdir(parents=True)
    shutil.copytree(RULES_DIR, repo / "classifier" / "rules")
    write_entry(repo, "nd-corpus", "CC-BY-ND-4.0")
    write_entry(repo, "by-corpus", "CC-BY-4.0")
    write_entry(repo, "cc0-corpus", "CC0-1.0")
    write_entry(repo, "nc-corpus", "CC-BY-NC-4.0")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rules and entries")
    monkeypatch.chdir(repo)
    return repo


def edit_rules(repo, old, new, version="2026.9", file="licences.yaml"):
    path = repo / "classifier" / "rules" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    ruleset = repo / "classifier" / "rules" / "ruleset.yaml"
    text = ruleset.read_text(encoding="utf-8")
    text = re.sub(
        r'version: "[^"]+"\nchangelog:\n',
        f'version: "{version}"\nchangelog:\n  - version: "{version}"\n    date: "2026-11-23"\n '
        "   change: Test change.\n    reason: Exercise the diff.\n",
        text,
        count=1,
    )
    ruleset.write_text(text, encoding="utf-8")


def run_diff(rev="HEAD"):
    result = CliRunner().invoke(cli, ["classify", "--diff", rev, "--as-of", "2026-06-01"])
    assert result.exit_code == 0, result.output
    return result.output


def rows(output):
    return {
        line.split("|")[1].strip().strip("`"): line
        for line in output.splitlines()
        if line.startswith("| `")
    }


def test_no_change_reports_none(repo):
    output = run_diff()
    assert "No entry changes" in output
    assert f"Rules version {CURRENT} → {CURRENT}" in output


def test_a_rule_change_names_the_reclassified_entries_and_the_rule(repo):
    edit_rules(
        repo,
        "then: {category: open-use-restricted, family: cc-nd, obligations: [attribution, "
        "no-derivatives, notice], uses: no-derivatives}",
        "then: {category: commons-by-default, family: cc-nd, obligations: [attribution, "
        "no-derivatives, notice], uses: with-conditions}",
    )
    output = run_diff()
    table = rows(output)
    assert set(table) == {"nd-corpus"}
    assert "open-use-restricted → commons-by-default" in table["nd-corpus"]
    assert "rule lic.cc-nd changed" in table["nd-corpus"]
    assert "training: restricted/restricted → conditional/conditional" in table["nd-corpus"]
    assert "Research-Open: does-not-fit → fits-with-conditions" in table["nd-corpus"]
    assert (
        "Training-Commercial-Standard" not in table["nd-corpus"]
    )  # no-derivatives still excludes it
    assert f"Rules version {CURRENT} → 2026.9" in output
    # The revision itself was read from git, not checked out: the file on disk keeps the change.
    assert (
        "family: cc-nd, obligations: [attribution, no-derivatives, notice], uses: with-conditions"
        in (repo / "classifier/rules/licences.yaml").read_text()
    )


def test_an_entry_change_is_named_as_the_cause(repo):
    write_entry(repo, "by-corpus", "CC-BY-NC-4.0")
    write_entry(repo, "new-corpus", "CC0-1.0")
    table = rows(run_diff())
    assert set(table) == {"by-corpus", "new-corpus"}
    assert "commons-by-default → open-use-restricted" in table["by-corpus"]
    assert "entry changed (licenses)" in table["by-corpus"]
    assert "entry added" in table["new-corpus"]


def test_a_setting_change_that_alters_uses_only_is_reported(repo):
    edit_rules(
        repo,
        "  non-commercial:\n    training: [restricted, conditional]",
        "  non-commercial:\n    training: [restricted, allowed]",
        file="ruleset.yaml",
    )
    table = rows(run_diff())
    assert set(table) == {"nc-corpus"}
    assert "| open-use-restricted |" in table["nc-corpus"]
    assert "training: restricted/conditional → restricted/allowed" in table["nc-corpus"]
    assert "rule setting 'use_profiles' changed" in table["nc-corpus"]


def test_unknown_revision_is_a_clear_error(repo):
    result = CliRunner().invoke(cli, ["classify", "--diff", "no-such-rev"])
    assert result.exit_code == 1
    assert "cannot read revision 'no-such-rev'" in result.output
    assert "Traceback" not in result.output


def test_pipes_in_entry_text_cannot_break_the_table(repo):
    from classifier.diff import _cell

    assert _cell("a|b\nc<script>") == "a\\|b c&lt;script&gt;"
    assert datetime.date(2026, 6, 1)


def test_report_names_the_changelog_and_stays_bounded(repo):
    from classifier import diff

    edit_rules(
        repo,
        "then: {category: open-use-restricted, family: cc-nc, obligations: [attribution, "
        "non-commercial, notice], uses: non-commercial}",
        "then: {category: not-commons, family: cc-nc, obligations: [attribution, "
        "non-commercial, notice], uses: none}",
    )
    output = run_diff()
    assert "- Rules 2026.9: Test change. Why: Exercise the diff." in output
    assert "Category moves: open-use-restricted → not-commons: 1" in output
    old, errors = diff.snapshot_at(repo, "HEAD")
    new = diff.working_tree(repo)
    changes = diff.compare(old, new, datetime.date(2026, 6, 1))
    short = diff.markdown(changes * 5, old, new, errors, max_rows=2)
    assert short.count("| `nc-corpus`") == 2
    assert "… and 3 more" in short
