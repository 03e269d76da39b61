"""Find the bundled data (grammar, rulesets, templates, examples) in a wheel or a source tree."""

from __future__ import annotations

import functools
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@functools.cache
def data_dir(name: str) -> Path:
    """`grammar`, `rulesets`, `templates` or `examples`: inside the wheel, else the source tree."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source_names = {"examples": "constitutions"}
    in_tree = _PACKAGE.parent / source_names.get(name, name)
    if in_tree.is_dir():
        return in_tree
    raise FileNotFoundError(f"bundled data folder '{name}' is missing from the installation")


def example_constitution() -> Path:
    """The bundled compliant example constitution (base of the rule tests and of `init`)."""
    return data_dir("examples") / "example.yaml"
