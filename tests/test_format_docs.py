"""The field reference (docs/format.md) and the JSON Schema describe every field and word,
stay current with the model, and the schema accepts the example and refuses shape errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ics_rules.docgen import field_reference, model_fields
from ics_rules.model import VALUE_MEANINGS, json_schema

from .conftest import EXAMPLE, ROOT

HOSTILE = Path(__file__).parent / "hostile"
CHECK_JSONSCHEMA = shutil.which("check-jsonschema") or (
    str(Path(sys.executable).parent / "check-jsonschema")
    if (Path(sys.executable).parent / "check-jsonschema").exists() else None)
SHAPE_ERRORS = ["unknown_key.yaml", "bad_enum.yaml", "bool_as_text.yaml", "version_number.yaml",
                "top_level_list.yaml", "missing_marker.yaml", "wrong_marker.yaml",
                "wrong_date.yaml"]


def test_field_reference_is_current(rulesets: Any) -> None:
    example = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    current = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert current == field_reference(rulesets, example), "run: python -m ics_rules.docgen"


def test_every_field_has_a_description() -> None:
    missing = [path for path, _, _, info in model_fields() if not (info.description or "").strip()]
    assert not missing, f"fields without a description (add a docstring under each): {missing}"


def test_every_word_has_a_meaning() -> None:
    from ics_rules.schema import Enum, ListOf, Ref, model_type

    missing = []
    for path, model, key, _ in model_fields():
        t = model_type(model).fields[key]
        t = t.item if isinstance(t, ListOf) else t
        words = t.values if isinstance(t, Enum) else t.vocabulary if isinstance(t, Ref) else ()
        missing += [f"{path}: {w}" for w in words if not VALUE_MEANINGS.get(w)]
    assert not missing, f"words without a meaning in model.VALUE_MEANINGS: {missing}"


def test_every_schema_node_is_described() -> None:
    undescribed = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if (any(k in node for k in ("$ref", "enum", "const")) or isinstance(
                    node.get("type"), str)) and not node.get("description"):
                undescribed.append(where)
            if "enum" in node:
                assert len(node["enumDescriptions"]) == len(node["enum"]), where
            for k, v in node.items():
                if k == "properties":
                    for name, prop in v.items():
                        walk(prop, f"{where}/{name}")
                elif k not in ("enum", "const", "default", "examples"):
                    walk(v, f"{where}/{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}/{i}")

    schema = json_schema()
    walk({k: v for k, v in schema.items() if k != "$defs"}, "")
    for name, definition in schema["$defs"].items():
        walk(definition, name)
    assert not undescribed, undescribed


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "ics-constitution.schema.json"
    path.write_text(json.dumps(json_schema()), encoding="utf-8")
    return path


needs_tool = pytest.mark.skipif(CHECK_JSONSCHEMA is None, reason="check-jsonschema not installed")


@needs_tool
def test_check_jsonschema_accepts_the_examples(schema_file: Path) -> None:
    files = [EXAMPLE, *sorted((ROOT / "constitutions" / "real").glob("*.yaml"))]
    proc = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema_file),
                           *map(str, files)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@needs_tool
@pytest.mark.parametrize("name", SHAPE_ERRORS)
def test_check_jsonschema_refuses_shape_errors(schema_file: Path, name: str) -> None:
    proc = subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile", str(schema_file),
                           str(HOSTILE / name)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr


def test_format_reference_documents_the_modeline() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in text
