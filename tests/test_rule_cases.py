"""Every rule test case of every bundled ruleset, as a pytest test; and coverage both ways."""

from __future__ import annotations

from typing import Any

import pytest

from ics_rules.rulesets import load_rulesets
from ics_rules.ruletests import coverage, iter_tests_files, read_cases, run_cases

_RULESETS = load_rulesets()
_CASES = [c for _, tests in iter_tests_files(_RULESETS) for c in read_cases(tests, tests.name)]


@pytest.mark.parametrize("case", _CASES, ids=[f"{c.rule}-{c.expect}-{c.name}" for c in _CASES])
def test_rule_case(case: Any) -> None:
    report = run_cases(_RULESETS, [case])
    result = report.results[0]
    assert result.ok, f"{case.source}:{case.line}: {result.detail}"


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    gaps = coverage(_RULESETS, _CASES)
    assert not gaps, "rules without cases both ways:\n" + "\n".join(f"  {r}: needs {m}"
                                                                     for r, m in gaps)
