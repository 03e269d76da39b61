"""A constitution file as committed at a git revision (`diff --git REV FILE`), read with
`git show` and parsed like any other input."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .errors import UsageError
from .loader import MAX_BYTES, LoadedConstitution, decode, format_for, parse_constitution


def committed(rev: str, path: str) -> LoadedConstitution:
    """The file `path` as it was at `rev`, parsed; a clear `UsageError` when git cannot say."""
    if not rev or rev.startswith("-") or any(ch in rev for ch in "\0\n"):
        raise UsageError(f"--git: '{rev}' is not a revision")
    git = shutil.which("git")
    if git is None:
        raise UsageError("--git needs git, which is not installed (or not on PATH)")
    file = Path(path)
    if file.is_dir():
        raise UsageError(f"--git: {path} is a folder; give one constitution file")
    folder = file.parent if str(file.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--git: folder {folder} of {path} does not exist")

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([git, "-C", str(folder), *args], capture_output=True,
                              timeout=60, check=False)

    if run("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise UsageError(f"--git: {path} is not in a git repository")
    if run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").returncode != 0:
        raise UsageError(f"--git: unknown revision '{rev}'")
    shown = run("show", f"{rev}:./{file.name}")
    if shown.returncode != 0:
        raise UsageError(f"--git: {path} is not in the repository at revision '{rev}'")
    display = f"{path}@{rev}"
    if len(shown.stdout) > MAX_BYTES:
        raise UsageError(f"{display}: file is larger than the limit of {MAX_BYTES:,} bytes")
    return parse_constitution(decode(shown.stdout, display), display, format_for(path),
                              raw=shown.stdout)
