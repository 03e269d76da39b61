"""docs/tutorial.md, run as written: every `sh` block's commands in an empty folder, every
`yaml file=NAME` block written to NAME first, each command's exit status as the tutorial says
(`# exits N`, else 0). Checks and reports run `--as-of 2026-12-02` so the waiver's dates hold
whatever day the suite runs. The pre-commit part needs git and pre-commit (and builds a local
copy of this repository as the hook's source); the PDF part needs the `pdf` extra; each is
skipped cleanly without them."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
AS_OF = "2026-12-02"


def _steps() -> list[tuple[str, str, str]]:
    """(kind, info, body) for each code block: kind is `file` or `sh`."""
    out = []
    for lang, info, body in BLOCK.findall(TUTORIAL.read_text(encoding="utf-8")):
        info = info.strip()
        if info.startswith("file="):
            out.append(("file", info.removeprefix("file="), body))
        elif lang == "sh":
            out.append(("sh", info, body))
    return out


def _run(line: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    command, _, comment = line.partition("  # ")
    expected = int(m.group(1)) if (m := re.match(r"exits (\d+)", comment)) else 0
    args = shlex.split(command)
    if args[0] == "ics-rules":
        args = [sys.executable, "-m", "ics_rules", *args[1:]]
        if args[3] in ("check", "report"):
            args[4:4] = ["--as-of", AS_OF]
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == expected, f"{line}\n{proc.stdout}\n{proc.stderr}"
    return proc.returncode, proc.stdout + proc.stderr


def test_tutorial_runs_as_written(tmp_path: Path) -> None:
    from .test_precommit import GIT_ENV, hook_repository

    folder = tmp_path / "northmoor"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **GIT_ENV,
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("ICS_RULES_DEBUG", None)
    can_precommit = bool(shutil.which("git") and shutil.which("pre-commit")) and \
        (ROOT / ".git").exists()
    can_pdf = importlib.util.find_spec("weasyprint") is not None
    ran = []
    for kind, info, body in _steps():
        if kind == "file":
            text = body
            if info == ".pre-commit-config.yaml" and can_precommit:
                hooks = tmp_path / "ics-rules"
                hooks.mkdir()
                rev = hook_repository(hooks)
                text = text.replace("https://github.com/<owner>/ics-rules", str(hooks))
                text = text.replace("rev: v0.1.0", f"rev: {rev}")
            (folder / info).write_text(text, encoding="utf-8")
            continue
        if (info == "precommit" and not can_precommit) or (info == "pdf" and not can_pdf):
            continue
        for line in body.splitlines():
            if line.strip() and not line.startswith("#"):
                ran.append(_run(line, folder, env))
    assert len(ran) >= 5
    init_text = (folder / "constitution.yaml").read_text(encoding="utf-8")
    assert "NHS Northmoor Integrated Care Board" in init_text
    if can_pdf:
        assert (folder / "northmoor-assurance.pdf").read_bytes().startswith(b"%PDF-")
    if can_precommit:
        # the hook's environment is a plain `pip install` of ics-rules: no PDF renderer in it
        site = list((tmp_path / "pre-commit-home").glob("*/py_env-*/lib/*/site-packages"))
        assert site and all((s / "click").is_dir() for s in site)
        assert not any((s / "weasyprint").exists() for s in site)


def test_tutorial_waiver_is_what_turns_the_check_green(tmp_path: Path) -> None:
    """The filled-in file fails exactly one rule, the one the waiver names."""
    files = {info: body for kind, info, body in _steps() if kind == "file"}
    (tmp_path / "constitution.yaml").write_text(files["constitution.yaml"], encoding="utf-8")
    (tmp_path / "waivers.yaml").write_text(files["waivers.yaml"], encoding="utf-8")
    base = [sys.executable, "-m", "ics_rules", "check", "constitution.yaml", "--as-of", AS_OF]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    bad = subprocess.run([*base, "--format", "json"], cwd=tmp_path, env=env,
                         capture_output=True, text=True)
    assert bad.returncode == 1, bad.stderr
    data = json.loads(bad.stdout)
    result = data["results"][0] if "results" in data else data
    errors = {f["rule"] for f in result["findings"]
              if f["outcome"] == "fail" and f["severity"] == "error"}
    assert errors == {"DF21-PHM"}
    good = subprocess.run([*base, "--waivers", "waivers.yaml"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert good.returncode == 0, good.stdout + good.stderr


def test_tutorial_constitution_is_current() -> None:
    """Northmoor's file is the example under other names, regenerated with the example."""
    from ics_rules.docgen import refresh_tutorial

    text = TUTORIAL.read_text(encoding="utf-8")
    example = (ROOT / "constitutions" / "example.yaml").read_text(encoding="utf-8")
    assert refresh_tutorial(text, example) == text, "run: python -m ics_rules.docgen"
