"""Wheel build hook: ship the checked bundled rulesets and the validator spec prebuilt.

Runs `python -m ics_rules.prebuilt` from the source tree in the build environment (which has
Lark and pydantic: see `[build-system] requires`) and adds its output to the wheel as
`ics_rules/_data/prebuilt`. Editable installs skip it: their sources change under them, and
the user cache serves them instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class PrebuiltEntries(BuildHookInterface):  # type: ignore[type-arg]
    """Build the prebuilt cache entries into a temporary folder and include it."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        out = tempfile.mkdtemp(prefix="ics-rules-prebuilt-")
        # pip's isolated build environment reaches its packages through PYTHONPATH: keep it.
        path = os.pathsep.join(p for p in (self.root, os.environ.get("PYTHONPATH")) if p)
        env = dict(os.environ, PYTHONPATH=path, ICS_RULES_CACHE_DIR="")
        subprocess.run([sys.executable, "-m", "ics_rules.prebuilt", out], cwd=self.root,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        build_data["force_include"][out] = "ics_rules/_data/prebuilt"
