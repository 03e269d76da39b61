"""Rewrite every command sample in README.md with the real command's output.

tests/test_readme.py fails when a sample drifts; run `python -m tools.update_readme_samples`
from the repository to bring them back in line (then review the diff).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```text\n\$ (ics-rules [^\n]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    """What the command prints (colour off), run from the repository."""
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "ics_rules", *shlex.split(command)[1:]],
                          capture_output=True, text=True, env=env, cwd=README.parent,
                          timeout=300).stdout


def main() -> None:
    """Replace each sample's output with the real one."""
    text = README.read_text(encoding="utf-8")
    README.write_text(BLOCK.sub(lambda m: f"```text\n$ {m.group(1)}\n{run(m.group(1))}```",
                                text), encoding="utf-8")


if __name__ == "__main__":
    main()
