"""The loader: valid files in three syntaxes, and one hostile file per error (OpenFisca style):
each must be refused fast with a message naming file, line and column, and exit status 2."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ics_rules.errors import InputError
from ics_rules.loader import load_constitution, parse_constitution

from .conftest import EXAMPLE, run_cli

HOSTILE = Path(__file__).parent / "hostile"

# file, expected line (None: no line), keywords the message must contain
CASES = [
    ("billion_laughs.yaml", None, ["200,000 values", "aliases"]),
    ("python_tag.yaml", 3, ["tag", "python/object/apply", "not allowed"]),
    ("custom_tag.yaml", 3, ["tag", "!include", "not allowed"]),
    ("duplicate_key.yaml", 4, ["duplicate key 'name'", "first at line 3"]),
    ("merge_key.yaml", 4, ["merge keys"]),
    ("two_documents.yaml", 4, ["more than one YAML document"]),
    ("empty.yaml", 1, ["empty"]),
    ("wrong_marker.yaml", 1, ["'ics-constitution/2'", "expected 'ics-constitution/1'"]),
    ("missing_marker.yaml", 1, ["marker 'schema' is missing"]),
    ("top_level_list.yaml", 1, ["top level must be a mapping"]),
    ("indentation.yaml", 4, ["YAML syntax error", "indented more than the key above"]),
    ("unknown_key.yaml", 5, ["unknown key 'membres'", "did you mean 'members'"]),
    ("bad_enum.yaml", 7, ["'chiar' is not one of", "did you mean 'chair'"]),
    ("bad_reference.yaml", 11, ["'ned-audt' names no entry of board.members",
                                "did you mean 'ned-audit'"]),
    ("duplicate_id.yaml", 8, ["duplicate id 'chair'"]),
    ("wrong_date.yaml", 5, ["not a real date", "2022-13-01", "YYYY-MM-DD"]),
    ("bool_as_text.yaml", 5, ["expected true or false", "yes please"]),
    ("version_number.yaml", 5, ["expected text", "quote it"]),
    ("deep_nesting.yaml", 3, ["nested deeper than 64"]),
    ("invalid_utf8.yaml", 3, ["not valid UTF-8", "0xff"]),
    ("binary.yaml", 2, ["binary data"]),
    ("syntax.json", 2, ["JSON syntax error"]),
    ("syntax.toml", 3, ["TOML syntax error"]),
    ("key_not_text.yaml", 4, ["must be plain text"]),
]


@pytest.mark.parametrize(("name", "line", "keywords"), CASES, ids=[c[0] for c in CASES])
def test_hostile_file_is_refused_with_location(name: str, line: int | None,
                                               keywords: list[str]) -> None:
    path = HOSTILE / name
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_constitution(path)
    assert time.perf_counter() - start < 2.0
    rendered = info.value.render()
    for word in keywords:
        assert word in rendered, rendered
    assert str(path) in rendered
    if line is not None:
        assert info.value.line == line, rendered


def test_every_hostile_fixture_has_a_case() -> None:
    fixtures = [p.name for p in HOSTILE.iterdir() if p.suffix != ".py" and p.is_file()]
    assert sorted(fixtures) == sorted(c[0] for c in CASES)


@pytest.mark.parametrize("name", ["billion_laughs.yaml", "python_tag.yaml", "binary.yaml",
                                  "bad_reference.yaml"])
def test_cli_exit_2_and_no_traceback(name: str) -> None:
    proc = run_cli("check", str(HOSTILE / name))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert name in proc.stderr


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.write(b"schema: ics-constitution/1\n")
        fh.seek(100 * 1024 * 1024)
        fh.write(b"\n")
    start = time.perf_counter()
    with pytest.raises(InputError, match="limit"):
        load_constitution(big)
    assert time.perf_counter() - start < 1.0


def test_example_loads_with_positions() -> None:
    c = load_constitution(EXAMPLE)
    assert c.icb_name == "NHS Example Integrated Care Board"
    text = EXAMPLE.read_text().splitlines()
    line, col = c.position(("committees", 0, "chair"))
    assert text[line - 1][col - 1:].startswith("chair: ned-audit")
    line, _ = c.position(("board", "members", 2))
    assert "id: pm-trusts" in text[line - 1]


def test_json_and_toml_give_the_same_facts(tmp_path: Path) -> None:
    import yaml

    c = load_constitution(EXAMPLE)
    data = yaml.safe_load(EXAMPLE.read_text())
    as_json = tmp_path / "example.json"
    as_json.write_text(json.dumps(data, default=str, indent=2))
    cj = load_constitution(as_json)
    assert cj.data == c.data
    assert cj.position(("board", "members", 1))[0] > 1
    minimal = 'schema = "ics-constitution/1"\n\n[icb]\nname = "NHS Toml Integrated Care Board"\n'
    ct = parse_constitution(minimal, "x.toml", "toml")
    assert ct.icb_name == "NHS Toml Integrated Care Board"
    assert ct.position(("icb", "name")) == (4, 1)


def test_draft_with_only_name_is_valid() -> None:
    c = parse_constitution("schema: ics-constitution/1\nicb: {name: NHS Draft Integrated Care "
                           "Board}\n", "draft.yaml")
    assert c.data["board"] is None


def test_sha256_is_of_the_file_bytes() -> None:
    import hashlib

    c = load_constitution(EXAMPLE)
    assert c.sha256 == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


def _mutants(seed: int, count: int) -> list[object]:
    """Random changes to the example: deletions, type confusions, bad values."""
    import copy
    import random

    import yaml

    rng = random.Random(seed)
    base = yaml.safe_load(EXAMPLE.read_text())
    leaves: list[tuple[object, ...]] = []

    def walk(v: object, path: tuple[object, ...]) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                leaves.append((*path, k))
                walk(x, (*path, k))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                leaves.append((*path, i))
                walk(x, (*path, i))

    walk(base, ())
    replacements = [None, True, 0, 1.5, -1, "", "x" * 3000, "Chair", "2022-07-01", "2022-02-30",
                    [], {}, ["a"], {"id": "x"}, "ned-2", "a\n", 10**20, 0.0, "non_executive",
                    "NHS England", ["nhs_england"], "yes", "on", 0.5]
    out = []
    for _ in range(count):
        data = copy.deepcopy(base)
        for path in rng.sample(leaves, 2):
            parent = data
            try:
                for k in path[:-1]:
                    parent = parent[k]  # type: ignore[index]
                parent[path[-1]] = rng.choice(replacements)  # type: ignore[index]
            except (KeyError, IndexError, TypeError):
                pass
        out.append(data)
    return out


def test_fast_validator_agrees_with_pydantic() -> None:
    """Whatever the fast path accepts, pydantic accepts with identical facts."""
    import yaml

    from ics_rules.fastcheck import fast_validate
    from ics_rules.loader import validate_with_pydantic

    def at(path: object, message: str, hint: object = None) -> InputError:
        return InputError(message)

    samples = [yaml.safe_load(EXAMPLE.read_text())]
    samples += [yaml.safe_load(p.read_text()) for p in (EXAMPLE.parent / "real").glob("*.yaml")]
    samples += _mutants(7, 700)
    samples += [{**samples[0], "describes": d} for d in (
        ["constitution"], ["system", "icb"], [], ["partnership"], "constitution", None, [1])]
    fast_hits = 0
    for data in samples:
        fast = fast_validate(data)
        try:
            slow = validate_with_pydantic(data, at)
        except InputError:
            assert fast is None, data
            continue
        if fast is not None:
            fast_hits += 1
            assert fast == slow
    assert fast_hits > 10
