"""The pre-commit hook, end to end: a constitution repository lists this repository in its
`.pre-commit-config.yaml`, and `pre-commit run --all-files` passes on a compliant file and
fails on a broken one.

This repository's working tree is copied into a temporary git repository and committed, so
the hook under test is the current code (uncommitted changes included) and no network is
needed beyond the package registry pip installs the hook's environment from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from .conftest import EXAMPLE, ROOT

PRE_COMMIT = shutil.which("pre-commit")
GIT = shutil.which("git")
pytestmark = pytest.mark.skipif(PRE_COMMIT is None or GIT is None,
                                reason="pre-commit and git are needed for the hook test")

GIT_ENV = {"GIT_AUTHOR_NAME": "ics-rules tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
           "GIT_COMMITTER_NAME": "ics-rules tests",
           "GIT_COMMITTER_EMAIL": "tests@example.invalid",
           "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, **GIT_ENV}
    proc = subprocess.run([GIT or "git", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    return proc.stdout


def _project_files() -> list[str]:
    """This tree's files: as git lists them in a checkout, else (an unpacked tarball) every
    file but caches and build output."""
    if (ROOT / ".git").exists():
        listed = subprocess.run([GIT or "git", "ls-files", "-z", "--cached", "--others",
                                 "--exclude-standard"], cwd=ROOT, capture_output=True,
                                timeout=60, check=True).stdout.decode().split("\0")
        return [n for n in listed if n]
    skip = {"__pycache__", ".pytest_cache", "build", "dist", ".peers", "out"}
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in skip and not d.endswith(".egg-info")]
        found.extend(str((Path(folder) / f).relative_to(ROOT)) for f in files)
    return sorted(found)


def hook_repository(target: Path) -> str:
    """A git repository holding this working tree (tracked and new files); its commit."""
    for name in _project_files():
        src = ROOT / name
        if not src.is_file() or name.startswith(("benchmarks/", ".ci/")):
            continue
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    git("init", "-q", "-b", "main", cwd=target)
    git("add", "-A", cwd=target)
    git("commit", "-q", "--no-verify", "-m", "ics-rules under test", cwd=target)
    return git("rev-parse", "HEAD", cwd=target).strip()


def run_pre_commit(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("ICS_RULES_DEBUG", None)
    return subprocess.run([PRE_COMMIT or "pre-commit", "run", "--all-files", "--color", "never"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


def test_hook_definition() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "ics-rules")
    assert hook["language"] == "python"
    assert hook["entry"] == "ics-rules check --only-constitutions"  # as folder mode
    assert hook["pass_filenames"] is True


def test_pre_commit_passes_on_compliant_and_fails_on_broken(tmp_path: Path) -> None:
    hooks = tmp_path / "ics-rules"
    hooks.mkdir()
    rev = hook_repository(hooks)

    project = tmp_path / "icb"
    (project / "constitutions").mkdir(parents=True)
    shutil.copy(EXAMPLE, project / "constitutions" / "example.yaml")
    (project / "notes.yaml").write_text("not: a constitution\n", encoding="utf-8")
    config = {"repos": [{"repo": str(hooks), "rev": rev, "hooks": [
        {"id": "ics-rules", "args": ["--as-of", "2026-01-01"]}]}]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=project)
    git("add", "-A", cwd=project)

    home = tmp_path / "pre-commit-home"
    ok = run_pre_commit(project, home)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "ics-rules (ICB constitutions)" in ok.stdout and "Passed" in ok.stdout

    text = EXAMPLE.read_text(encoding="utf-8")
    old = "      removable_by: nhs_england\n"
    assert old in text
    broken = project / "constitutions" / "broken.yaml"
    broken.write_text(text.replace(old, "      removable_by: board\n", 1), encoding="utf-8")
    git("add", "-A", cwd=project)
    bad = run_pre_commit(project, home)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout
    assert "constitutions/broken.yaml" in bad.stdout and "SCH1B-6" in bad.stdout
