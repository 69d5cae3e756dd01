"""The GitHub Pages workflow builds exactly as CI and scripts/serve.sh do, and deploys officially."""

from __future__ import annotations

import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def test_pages_workflow_builds_with_the_pinned_setup_and_deploys():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    build = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in build]
    assert "bash scripts/setup.sh" in runs  # same pins as everywhere else
    assert any("mkdocs build --strict" in r for r in runs)
    uses = [s.get("uses", "").split("@")[0] for s in build + flow["jobs"]["deploy"]["steps"]]
    for action in [
        "actions/checkout",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]:
        assert action in uses
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_python_version_matches_the_project():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    setup = next(
        s
        for s in flow["jobs"]["build"]["steps"]
        if s.get("uses", "").startswith("actions/setup-python")
    )
    assert setup["with"]["python-version"] == "3.11"
