"""scripts/site_state.py decides whether scripts/test.sh may skip the site build: a stale site/
must never be tested. Any change to what the build reads, or to site/ itself, must count."""

from __future__ import annotations

import importlib.util
import subprocess

import pytest

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("site_state", ROOT / "scripts" / "site_state.py")
site_state = importlib.util.module_from_spec(spec)
spec.loader.exec_module(site_state)


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "selfcheck").mkdir()
    (tmp_path / "selfcheck" / "rule.py").write_text("A = 1\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("site/\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x")
    return tmp_path


def test_any_change_the_build_reads_changes_the_inputs(repo):
    before = site_state.input_hash(repo)
    assert before and site_state.input_hash(repo) == before
    (repo / "selfcheck" / "rule.py").write_text("A = 2\n", encoding="utf-8")  # uncommitted edit
    edited = site_state.input_hash(repo)
    assert edited != before
    (repo / "selfcheck" / "new.py").write_text("", encoding="utf-8")  # untracked file
    assert site_state.input_hash(repo) != edited
    (repo / "selfcheck" / "new.py").unlink()
    (repo / "selfcheck" / "rule.py").unlink()  # a deleted tracked file
    assert site_state.input_hash(repo) not in (before, edited)


def test_tests_and_ignored_files_do_not_count(repo):
    before = site_state.input_hash(repo)
    (repo / "tests" / "test_x.py").write_text("def test(): pass\n", encoding="utf-8")
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("x", encoding="utf-8")
    assert site_state.input_hash(repo) == before


def test_the_environment_the_build_reads_counts(repo, monkeypatch):
    monkeypatch.setenv("SC_SITE_URL", "http://127.0.0.1:1/")
    before = site_state.input_hash(repo)
    monkeypatch.setenv("SC_SITE_URL", "http://127.0.0.1:2/")
    assert site_state.input_hash(repo) != before


def test_an_edited_or_missing_site_counts(tmp_path):
    site = tmp_path / "site"
    assert site_state.site_hash(site) is None
    site.mkdir()
    (site / "index.html").write_text("a", encoding="utf-8")
    before = site_state.site_hash(site)
    (site / "index.html").write_text("b", encoding="utf-8")
    assert site_state.site_hash(site) != before


def test_outside_git_nothing_is_skipped(tmp_path):
    assert site_state.input_hash(tmp_path) is None
