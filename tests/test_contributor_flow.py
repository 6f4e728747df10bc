"""The contributor flow as CONTRIBUTING.md describes it: scaffold, fill, validate, format;
and the issue forms and CODEOWNERS that route proposals and code changes to review.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pathspec
import yaml
from click.testing import CliRunner

from registry.commands.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}

FILLED = [
    ("name:\n", "name: Example open dataset\n"),
    ("summary:\n", "summary: A dataset used to test the contributor flow.\n"),
    ("homepage:\n", "homepage: https://example.org/data\n"),
    ("  urls:\n    -\n", "  urls:\n    - https://example.org/data/download\n"),
    ("  name:\n  # government", "  name: Example Foundation\n  # government"),
    ("  type:\n", "  type: nonprofit\n"),
    ("modality:\n", "modality: tabular\n"),
    ("domains: []\n", "domains: [statistics]\n"),
    ("  - expression:\n", "  - expression: CC-BY-4.0\n"),
    ("copyright_basis:\n", "copyright_basis: open-licence\n"),
    ("  - url:\n", "  - url: https://example.org/data/licence\n"),
    ("verification:\n", "verification: high\n"),
]


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_new_validate_fmt_walkthrough(tmp_path):
    folder = tmp_path / "entries"
    assert _run("new", "example-open-dataset", "--dir", str(folder)).exit_code == 0
    target = folder / "example-open-dataset.yaml"

    unfilled = _run("validate", str(target))
    assert unfilled.exit_code == 1
    assert "name: expected text, got an empty value" in unfilled.output

    text = target.read_text(encoding="utf-8")
    for old, new in FILLED:
        assert old in text, f"template no longer has {old!r}"
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")
    result = _run("validate", str(target))
    assert result.exit_code == 0, result.output

    assert _run("fmt", "--check", str(folder)).exit_code == 1  # comments still there
    assert _run("fmt", str(folder)).exit_code == 0
    assert "#" not in target.read_text(encoding="utf-8")
    assert _run("fmt", "--check", str(folder)).exit_code == 0
    assert _run("validate", str(folder)).exit_code == 0


def _form(name):
    return yaml.safe_load((FORMS / name).read_text(encoding="utf-8"))


def test_issue_forms_are_well_formed():
    for path in sorted(FORMS.glob("*.yml")):
        if path.name == "config.yml":
            continue
        form = _form(path.name)
        assert form["name"] and form["description"], path.name
        ids = [item["id"] for item in form["body"] if "id" in item]
        assert len(ids) == len(set(ids)), path.name
        for item in form["body"]:
            assert item["type"] in FORM_TYPES, (path.name, item)
            if item["type"] == "dropdown":
                assert item["attributes"]["options"], (path.name, item["id"])


def _required(form):
    return {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}


def test_propose_form_requires_the_core_fields():
    assert {"name", "homepage", "licence", "evidence", "summary", "publisher"} <= _required(
        _form("propose-dataset.yml")
    )


def test_report_form_requires_entry_and_evidence():
    assert {"entry_id", "current", "correct", "evidence"} <= _required(
        _form("report-incorrect-details.yml")
    )


def _codeowners() -> list[tuple[pathspec.PathSpec, list[str], str]]:
    rules = []
    for line in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pathspec.PathSpec.from_lines("gitignore", [pattern]), owners, pattern))
    return rules


def owners_of(path: str, rules) -> list[str]:
    """GitHub's rule: gitignore-style patterns, and the last pattern that matches decides."""
    for spec, owners, _ in reversed(rules):
        if spec.match_file(path):
            return owners
    return []


# Prose that anyone may improve by a normal pull request; everything else but entries is owned.
UNOWNED_PROSE = {"README.md", "CONTRIBUTING.md", "BENCHMARKS.md"}


def test_codeowners_covers_every_code_and_build_file():
    rules = _codeowners()
    assert all(owners == ["@commons-registry/maintainers"] for _, owners, _ in rules)
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
        )
        .stdout.strip("\0")
        .split("\0")
    )
    # data, reviewed as every pull request is (imports/ is written by `commons import-catalog`)
    data = ("entries/", "observations/", "imports/")
    needs_owner = [
        path for path in tracked if not path.startswith(data) and path not in UNOWNED_PROSE
    ]
    # Code, configuration, workflows, rules and templates in every folder, at every depth.
    for sample in (
        "registry/datasette/plugins/commons_entry_page.py",
        "registry/datasette/templates/index.html",
        "registry/site/templates/entry.html.j2",
        "site/hooks/generated_pages.py",
        "site/theme/main.html",
        "classifier/rules/licences.yaml",
        ".github/workflows/validate.yml",
        ".ci/run",
        "datasette.yml",
        "requirements-test.lock",
        "tests/conftest.py",
    ):
        assert sample in needs_owner
    assert [path for path in needs_owner if not owners_of(path, rules)] == []
    # Entries and observations are reviewed through the normal pull-request process, not by code
    # owners.
    assert not any(owners_of(path, rules) for path in tracked if path.startswith(data))


def test_codeowners_matching_is_githubs():
    rules = [
        (pathspec.PathSpec.from_lines("gitignore", [p]), ["@o"], p)
        for p in ("/registry/*.py", "/site/", "*.lock", "/docs/x.md")
    ]
    assert owners_of("registry/cli.py", rules) == ["@o"]
    # A single star does not cross folders: the pattern the restructure outgrew.
    assert owners_of("registry/build/db.py", rules) == []
    assert owners_of("site/theme/css/site.css", rules) == ["@o"]
    assert owners_of("requirements-test.lock", rules) == ["@o"]
    assert owners_of("other/docs/x.md", rules) == []
