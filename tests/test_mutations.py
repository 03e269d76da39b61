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


class _Indented(yaml.SafeDumper):
    """Lists indented under their key, so a list item's line sits inside its key's block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Indented, sort_keys=False, allow_unicode=True, width=10_000)


def _changed_lines(old: str, new: str) -> set[int]:
    """Lines of `new` that the change touched: replaced or inserted lines, and for a removal
    the line of the key the removed part sat under (where a missing fact should go)."""
    import difflib

    a, b = old.splitlines(), new.splitlines()
    lines: set[int] = set()
    for tag, i1, _i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "insert"):
            lines.update(range(j1 + 1, j2 + 1))
        if tag in ("replace", "delete"):
            indent = len(a[i1]) - len(a[i1].lstrip(" -"))
            for j in range(j1 - 1, -1, -1):
                if len(b[j]) - len(b[j].lstrip(" -")) < indent:
                    lines.add(j + 1)
                    break
    # the keys and list items that enclose a changed line, up to its top-level section
    for n in sorted(lines):
        indent = len(b[n - 1]) - len(b[n - 1].lstrip(" -"))
        for j in range(n - 2, -1, -1):
            level = len(b[j]) - len(b[j].lstrip(" "))
            if level < indent:
                lines.add(j + 1)
                indent = level
            if level == 0:
                break
    return lines


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m["name"] for m in MUTATIONS])
def test_mistake_is_located_at_a_line_it_changed(mutation: dict[str, Any],
                                                 rulesets: Any) -> None:
    """Each failing finding points at the fact that decides it: a line the mutation changed
    (the committee's `chair:`, not the board member it names), the item or key holding it,
    or, for something removed, the key it belonged under; never the file's first line."""
    changes = {k: mutation[k] for k in ("set", "remove", "append") if k in mutation}
    base, _ = parse_data(EXAMPLE.read_text(), str(EXAMPLE), "yaml")
    before = _dump(base)
    after = _dump(apply_changes(base, changes))
    data, positions = parse_data(after, "mutant.yaml", "yaml")
    facts = validate(data, positions, "mutant.yaml", after)
    c = LoadedConstitution(data=facts, path="mutant.yaml", sha256="", positions=positions)
    changed = _changed_lines(before, after)
    assert changed and 1 not in changed
    result = evaluate(c, rulesets, AS_OF)
    wrong = {f.rule: (f.location.line if f.location else None, f.location.fact
                      if f.location else None)
             for f in result.findings if f.outcome == "fail"
             and (f.location is None or f.location.line not in changed)}
    lines = after.splitlines()
    detail = "\n".join(f"  {r}: line {ln} {fact}: {lines[ln - 1] if ln else ''}"
                       for r, (ln, fact) in sorted(wrong.items()))
    assert not wrong, f"changed lines {sorted(changed)}; findings elsewhere:\n{detail}"
