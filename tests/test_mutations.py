"""Mutation testing of the rules: each realistic mistake in tests/data/mutations.yaml, applied
to the compliant example, must make exactly the rules it lists fail, and no others."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from ics_rules.engine import evaluate
from ics_rules.loader import LoadedConstitution, parse_data, validate
from ics_rules.ruletests import apply_changes

from .conftest import EXAMPLE

MUTATIONS = yaml.safe_load((Path(__file__).parent / "data" / "mutations.yaml").read_text())[
    "mutations"]
AS_OF = datetime.date(2026, 1, 1)


def failing_rules(changes: dict[str, Any], rulesets: Any) -> dict[str, str]:
    """Rule ID -> message for every rule that fails on the changed example."""
    base, positions = parse_data(EXAMPLE.read_text(), str(EXAMPLE), "yaml")
    data = apply_changes(base, changes)
    facts = validate(data, positions, "mutant.yaml", "")
    c = LoadedConstitution(data=facts, path="mutant.yaml", sha256="", positions=positions)
    result = evaluate(c, rulesets, AS_OF)
    return {f.rule: f.message for f in result.findings if f.outcome == "fail"}


def test_there_are_at_least_40_mistakes() -> None:
    assert len(MUTATIONS) >= 40
    assert len({m["name"] for m in MUTATIONS}) == len(MUTATIONS)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_mistake_breaks_exactly_the_expected_rules(mutation: dict[str, Any],
                                                   rulesets: Any) -> None:
    changes = {k: mutation[k] for k in ("set", "remove", "append") if k in mutation}
    got = failing_rules(changes, rulesets)
    expected = set(mutation["breaks"])
    assert expected, "a mutation must name the rules it breaks"
    detail = "\n".join(f"  {r}: {m}" for r, m in sorted(got.items()))
    assert set(got) == expected, f"expected {sorted(expected)}, got:\n{detail}"
