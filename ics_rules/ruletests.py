"""Rule test cases: each rule is shown to pass and to fail on small changes to an example.

A tests file (`rulesets/<ruleset>.tests.yaml`) lists, for each rule, cases that start from the
bundled compliant example (or another base) and change it with `set`, `remove` and `append`.
Every case is also evaluated by the explainer, which must agree with the compiled closure:
two implementations of the same semantics checking each other on every case.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .loader import Positions, nearest_position, parse_data, read_text, validate
from .resources import example_constitution

OUTCOME_KEYS = ("pass", "fail", "not_applicable", "not_in_force", "not_assessed")
DEFAULT_AS_OF = datetime.date(2026, 1, 1)
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


@dataclass
class Case:
    """One expectation: after these changes, this rule has this outcome."""

    rule: str
    expect: str
    name: str
    changes: dict[str, Any]
    as_of: datetime.date
    source: str
    line: int | None = None


@dataclass
class CaseResult:
    """What happened when a case ran."""

    case: Case
    ok: bool
    outcome: str | None
    detail: str = ""


@dataclass
class RuleTestReport:
    """Results of every case of one or more tests files, plus rules left without cases."""

    results: list[CaseResult] = field(default_factory=list)
    uncovered: list[tuple[str, str]] = field(default_factory=list)  # (rule id, what is missing)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results) and not self.uncovered


def tests_file_for(ruleset_path: str | Path) -> Path:
    """`x.rules` -> `x.tests.yaml` beside it."""
    p = Path(ruleset_path)
    return p.with_name(p.name[: -len(".rules")] + ".tests.yaml") if p.name.endswith(".rules") \
        else p.with_suffix(".tests.yaml")


def read_cases(path: Path, display: str | None = None) -> list[Case]:
    """Parse a tests file into cases (errors name the file, line and column)."""
    shown = display or str(path)
    text, _ = read_text(path, shown)
    data, positions = parse_data(text, shown, "yaml")
    if not isinstance(data, dict) or not isinstance(data.get("cases"), dict):
        raise InputError("a tests file needs a 'cases' mapping of rule ID to cases", shown, 1, 1)
    default_as_of = _date(data.get("as_of"), DEFAULT_AS_OF, shown, positions, ("as_of",))
    out: list[Case] = []
    for rule_id, spec in data["cases"].items():
        where = ("cases", rule_id)
        if not isinstance(spec, dict):
            raise _err(shown, positions, where, f"cases for {rule_id} must be a mapping of "
                       f"outcome to a list of cases ({', '.join(OUTCOME_KEYS)})")
        for expect, cases in spec.items():
            if expect not in OUTCOME_KEYS:
                raise _err(shown, positions, (*where, expect), f"'{expect}' is not an outcome "
                           f"({', '.join(OUTCOME_KEYS)})")
            for i, case in enumerate(cases or []):
                cpath = (*where, expect, i)
                if not isinstance(case, dict):
                    raise _err(shown, positions, cpath, "a case is a mapping with a 'name'")
                unknown = set(case) - {"name", "set", "remove", "append", "as_of"}
                if unknown:
                    raise _err(shown, positions, cpath, f"unknown key(s) in case: "
                               f"{', '.join(sorted(unknown))} (use name, set, remove, append, "
                               "as_of)")
                out.append(Case(
                    rule=str(rule_id), expect=expect, name=str(case.get("name", f"case {i}")),
                    changes={k: case[k] for k in ("set", "remove", "append") if k in case},
                    as_of=_date(case.get("as_of"), default_as_of, shown, positions,
                                (*cpath, "as_of")),
                    source=shown, line=positions.get(cpath, (None, None))[0]))
    return out


def _date(value: Any, default: datetime.date, shown: str, positions: Positions,
          where: tuple[Any, ...]) -> datetime.date:
    if value is None:
        return default
    if isinstance(value, datetime.date):
        return value
    raise _err(shown, positions, where, f"expected a date YYYY-MM-DD, got {value!r}")


def _err(shown: str, positions: Positions, where: tuple[Any, ...], message: str) -> InputError:
    line, col = nearest_position(positions, where) or (None, None)
    return InputError(message, shown, line, col)


# ---------------------------------------------------------------- changes to a base constitution

def split_path(path: str) -> list[str | int]:
    """`board.members[ned-2].role` -> ['board', 'members', '[ned-2]', 'role']."""
    parts: list[str | int] = []
    for m in _SEGMENT.finditer(path):
        if m.group(1) is not None:
            parts.append(m.group(1))
        else:
            sel = m.group(2)
            parts.append(int(sel) if sel.isdigit() else f"[{sel}]")
    return parts


def _child(container: Any, key: str | int, create: bool) -> Any:
    if isinstance(key, int):
        return container[key]
    if isinstance(key, str) and key.startswith("["):
        ident = key[1:-1]
        for item in container:
            if isinstance(item, dict) and item.get("id") == ident:
                return item
        raise KeyError(f"no item with id '{ident}'")
    if key not in container or container[key] is None:
        if not create:
            raise KeyError(f"no key '{key}'")
        container[key] = {}
    return container[key]


def _parent(root: Any, path: str, create: bool) -> tuple[Any, str | int]:
    """The container holding the last segment of `path`, and that segment."""
    parts = split_path(path)
    parent = root
    for key in parts[:-1]:
        parent = _child(parent, key, create=create)
    return parent, parts[-1]


def apply_changes(data: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A copy of `data` with `set`, `remove` and `append` applied (in that order)."""
    out = copy.deepcopy(data)
    for path, value in (changes.get("set") or {}).items():
        parent, last = _parent(out, path, create=True)
        if isinstance(last, str) and last.startswith("["):
            last = parent.index(_child(parent, last, False))
        parent[last] = copy.deepcopy(value)
    for path in changes.get("remove") or []:
        parent, last = _parent(out, path, create=False)
        if isinstance(last, str) and last.startswith("["):
            parent.remove(_child(parent, last, False))
        else:
            del parent[last]
    for path, item in (changes.get("append") or {}).items():
        parent, last = _parent(out, path, create=True)
        if parent.get(last) is None:
            parent[last] = []
        parent[last].append(copy.deepcopy(item))
    return out


# ---------------------------------------------------------------- running

class _Base:
    """The base constitution's raw data, read once."""

    def __init__(self, path: Path) -> None:
        text, _ = read_text(path, str(path))
        self.text = text
        self.data, self.positions = parse_data(text, str(path), "yaml")


def run_cases(rulesets: Any, cases: list[Case], base_path: Path | None = None) -> RuleTestReport:
    """Evaluate each case and compare with its expected outcome."""
    from .dsl.explain import Explainer
    from .engine import evaluate
    from .loader import LoadedConstitution

    base = _Base(base_path or example_constitution())
    rules = {r.id: (rs, r) for rs in rulesets for r in rs.rules}
    report = RuleTestReport()
    for case in cases:
        if case.rule not in rules:
            report.results.append(CaseResult(case, False, None, f"no rule {case.rule} loaded"))
            continue
        rs, rule = rules[case.rule]
        try:
            data = apply_changes(base.data, case.changes)
            facts = validate(data, base.positions, f"{case.source} case '{case.name}'", "")
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            report.results.append(CaseResult(case, False, None, f"cannot apply changes: {exc}"))
            continue
        except InputError as exc:
            report.results.append(CaseResult(case, False, None,
                                             f"the changed constitution is invalid: {exc.message}"))
            continue
        loaded = LoadedConstitution(data=facts, path="case", sha256="",
                                    positions=base.positions)
        from .rulesets import Rulesets

        result = evaluate(loaded, Rulesets([_only(rs, rule)]), case.as_of)
        finding = result.findings[0]
        detail = "" if finding.outcome == case.expect else f"got {finding.outcome}: " \
                                                           f"{finding.message}"
        ok = finding.outcome == case.expect
        if finding.outcome in ("pass", "fail"):
            agreed = Explainer(loaded.data, case.as_of, rs.definition_exprs) \
                .explain(rule.rule.require).result
            compiled = rule.require(_ctx(loaded, rs, case.as_of), None, {})
            if agreed != compiled:
                ok = False
                detail = f"explainer says {agreed}, compiled closure says {compiled}"
        report.results.append(CaseResult(case, ok, finding.outcome, detail))
    return report


def _ctx(loaded: Any, rs: Any, as_of: datetime.date) -> Any:
    from .dsl.compiler import Ctx

    return Ctx(loaded.data, as_of, rs.definitions)


def _only(rs: Any, rule: Any) -> Any:
    from .rulesets import CompiledRuleset

    return CompiledRuleset(ast=rs.ast, rules=[rule], definitions=rs.definitions,
                           definition_exprs=rs.definition_exprs, bundled=rs.bundled)


def coverage(rulesets: Any, cases: list[Case]) -> list[tuple[str, str]]:
    """Rules without at least one passing and one failing case."""
    have: dict[str, set[str]] = {}
    for c in cases:
        have.setdefault(c.rule, set()).add(c.expect)
    gaps = []
    for rs in rulesets:
        for r in rs.rules:
            got = have.get(r.id, set())
            missing = [k for k in ("pass", "fail") if k not in got]
            if missing:
                gaps.append((r.id, " and ".join(f"a '{m}' case" for m in missing)))
    return gaps


def iter_tests_files(rulesets: Any) -> Iterator[tuple[Any, Path]]:
    """(ruleset, tests file) for each loaded ruleset that has a tests file beside it."""
    from .resources import data_dir

    for rs in rulesets:
        src = Path(rs.ast.path)
        candidate = data_dir("rulesets") / src.name if rs.bundled else src
        tests = tests_file_for(candidate)
        if tests.exists():
            yield rs, tests


def run_rule_tests(rulesets: Any) -> RuleTestReport:
    """Run every tests file belonging to `rulesets` and check that each rule is covered."""
    cases: list[Case] = []
    for _, tests in iter_tests_files(rulesets):
        cases.extend(read_cases(tests, tests.name))
    report = run_cases(rulesets, cases)
    report.uncovered = coverage(rulesets, cases)
    return report
