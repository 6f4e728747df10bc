"""The pull-request validation and deploy workflows, and Dependabot: what they must do.

Generic workflow hygiene (pins, permissions, zizmor, actionlint over every
file) is checked in test_workflows.py; these tests check each file's purpose.
"""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def test_validate_runs_on_pull_requests_read_only():
    workflow = load("validate.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    checkout = next(s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"] == {"fetch-depth": 0, "persist-credentials": False}
    assert "secrets." not in (WORKFLOWS / "validate.yml").read_text(encoding="utf-8")


def test_validate_checks_classifies_builds_and_tests_in_order():
    (job,) = load("validate.yml")["jobs"].values()
    script = runs(job)
    order = [
        "scripts/install.sh",
        "commons validate",
        'commons classify --diff "$BASE_SHA"',
        "commons build",
        "scripts/test.sh",
    ]
    positions = [script.index(item) for item in order]
    assert positions == sorted(positions)
    assert '>> "$GITHUB_STEP_SUMMARY"' in script
    diff_step = next(s for s in steps(job) if "classify --diff" in s.get("run", ""))
    assert diff_step["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    upload = next(s for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "dist/classification-diff.md"


def test_install_step_uses_the_lock_file_with_hashes():
    install = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    assert (
        "--require-hashes -r requirements.lock" in install
        and "--no-deps" in install
        and ".venv" in install
    )


def test_deploy_publishes_site_exports_and_database_to_pages():
    workflow = load("deploy.yml")
    assert triggers(workflow)["push"] == {"branches": ["main"]}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    script = runs(build)
    order = [
        "commons build",
        "commons export",
        "commons site",
        "cp -R dist/exports dist/pages/exports",
    ]
    positions = [script.index(item) for item in order]
    assert positions == sorted(positions)
    assert "--previous dist/previous.db" in script, (
        "the reclassified feed compares with the published database"
    )
    assert "actions/upload-pages-artifact" in uses(build)
    assert uses(deploy) == ["actions/deploy-pages"]
    upload = next(
        s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@")
    )
    assert upload["with"]["path"] == "dist/pages"


def test_dependabot_watches_actions_and_pip():
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}
    assert all(u["cooldown"]["default-days"] >= 7 for u in config["updates"])
