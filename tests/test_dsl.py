"""The rules language: syntax errors, static checks, three-valued semantics, and the
compiled closures agreeing with the explaining interpreter."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest

from ics_rules.dsl.checker import check_ruleset
from ics_rules.dsl.compiler import Ctx, compile_expr
from ics_rules.dsl.explain import Explainer
from ics_rules.dsl.parser import parse_ruleset
from ics_rules.errors import InputError
from ics_rules.loader import load_constitution, parse_constitution

from .conftest import EXAMPLE

HEADER = 'ruleset t "Test"\n  source s "Source"\n'


def rule_text(require: str, extra: str = "") -> str:
    return (HEADER + extra + 'rule T-1 "title"\n  cite s "p. 1"\n  strength policy\n'
            "  evidence constitution\n"
            f"  require {require}\n")


def checked(require: str, extra: str = "") -> Any:
    return check_ruleset(parse_ruleset(rule_text(require, extra), "t.rules"))


def error_of(require: str, extra: str = "") -> InputError:
    with pytest.raises(InputError) as info:
        checked(require, extra)
    return info.value


SYNTAX = [
    ("a == b", ["unexpected '='", "use '=' for equality"]),
    ("a && b", ["unexpected character '&'"]),
    ("count(board.members", ["unexpected end of file"]),
    ('icb.name matches "(unclosed"', ["invalid regular expression"]),
]


@pytest.mark.parametrize(("require", "words"), SYNTAX)
def test_syntax_errors_have_position_and_words(require: str, words: list[str]) -> None:
    err = error_of(require)
    text = err.render()
    for w in words:
        assert w in text, text
    assert err.line is not None and err.path == "t.rules"


STATIC = [
    ("board.membres", "Board has no field 'membres' (did you mean 'members'?)"),
    ("exists(board.members[role = chiar])", "did you mean 'chair'"),
    ('exists(board.members[role = "chiar"])', "'chiar' is not one of"),
    ("icb.constitution.effective_from < 3", "cannot order date and number"),
    ("board.members.role = chair", "is a list"),
    ("count(icb) > 1", "count(...) needs a list"),
    ("governance.standing_orders and board", "a condition must be true/false"),
    ("frobnicate(board.members)", "unknown function 'frobnicate'"),
    ("every(m in icb: m)", "needs a list"),
    ("icb.name = 3", "cannot compare text with number"),
    ("unknown_thing", "unknown name 'unknown_thing'"),
    ("financial_year(icb.name) = 2025", "financial_year(...) needs a date"),
]


@pytest.mark.parametrize(("require", "words"), STATIC)
def test_static_checks(require: str, words: str) -> None:
    err = error_of(require)
    assert words in err.render()
    assert err.line == 7


def test_rule_needs_cite_strength_require() -> None:
    with pytest.raises(InputError, match="no 'cite' clause"):
        parse_ruleset(HEADER + 'rule T-1 "t"\n  strength policy\n  evidence icb\n  require true\n',
                      "t.rules")
    with pytest.raises(InputError, match="no 'strength' clause"):
        parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  evidence icb\n  require true\n',
                      "t.rules")
    with pytest.raises(InputError, match="no 'require' clause"):
        parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  strength policy\n', "t.rules")
    with pytest.raises(InputError, match="unknown source 'x'"):
        check_ruleset(parse_ruleset(HEADER + 'rule T-1 "t"\n  cite x "p"\n  strength policy\n'
                                    '  evidence system\n  require true\n', "t.rules"))


def test_rule_needs_one_known_evidence_clause() -> None:
    """A rule must say what evidences it, once, with one of the three words, at its position."""
    with pytest.raises(InputError, match="no 'evidence' clause") as info:
        parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  strength policy\n  require true\n',
                      "t.rules")
    assert (info.value.line, info.value.column) == (3, 6)
    with pytest.raises(InputError, match="evidence 'icbs' is not one of") as info:
        parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  strength policy\n'
                      '  evidence icbs\n  require true\n', "t.rules")
    assert info.value.line == 6 and "did you mean 'icb'" in info.value.render()
    with pytest.raises(InputError, match="more than one 'evidence' clause"):
        parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  strength policy\n'
                      '  evidence icb\n  evidence system\n  require true\n', "t.rules")
    rules = parse_ruleset(HEADER + 'rule T-1 "t"\n  cite s "p"\n  strength policy\n'
                          '  evidence system\n  require true\n', "t.rules").rules
    assert rules[0].evidence == "system"


def test_message_expressions_are_checked_at_their_position() -> None:
    text = rule_text("true") + '  message "found {count(board.membres)}"\n'
    with pytest.raises(InputError) as info:
        check_ruleset(parse_ruleset(text, "t.rules"))
    assert info.value.line == 8
    assert "membres" in info.value.render()


def evaluate_expr(expr: str, yaml_text: str, as_of: datetime.date = datetime.date(2026, 1, 1),
                  defs: str = "") -> tuple[Any, Any]:
    rs = checked(expr, defs)
    c = parse_constitution(yaml_text, "x.yaml")
    definitions = {d.name: compile_expr(d.expr) for d in rs.definitions}
    compiled = compile_expr(rs.rules[0].require)(Ctx(c.data, as_of, definitions), None, {})
    explained = Explainer(c.data, as_of, {d.name: d.expr for d in rs.definitions}) \
        .explain(rs.rules[0].require).result
    assert compiled == explained
    return compiled, explained


MINI = """schema: ics-constitution/1
icb: {name: NHS Mini Integrated Care Board}
board:
  members:
    - {id: chair, role: chair, independent: true}
    - {id: ned, role: non_executive}
governance: {standing_orders: true}
"""


@pytest.mark.parametrize(("expr", "expected"), [
    ("governance.standing_orders", True),
    ("governance.standing_financial_instructions", None),
    ("not governance.standing_financial_instructions", None),
    ("governance.standing_orders or governance.standing_financial_instructions", True),
    ("governance.standing_orders and governance.standing_financial_instructions", None),
    ("not governance.standing_orders and governance.standing_financial_instructions", False),
    ("count(committees) = 0", True),
    ("exists(committees)", False),
    ("stated(committees)", False),
    ("every(m in board.members: m.independent)", None),
    ("some(m in board.members: m.independent)", True),
    ("every(m in committees: m.terms_of_reference_published)", None),
    ("count(board.members[independent]) = 1", True),
    ('board.members.id contains all {"chair", "ned"}', True),
    ('board.members.id contains any {"x", "y"}', False),
    ('the(board.members[role = chair]).id = "chair"', True),
    ("the(board.members[role = executive]).icb_employee", None),
    ("as_of >= 2025-12-31", True),
    ("count(board.members) + 1 = 3", True),
    ("financial_year(as_of) = 2025", True),
    ("financial_year(2026-04-01) = 2026", True),
    ("financial_year(2026-03-31) - 1 = 2024", True),
    ("financial_year(icb.constitution.effective_from) = 2022", None),
])
def test_three_valued_semantics(expr: str, expected: Any) -> None:
    compiled, _ = evaluate_expr(expr, MINI)
    assert compiled is expected


def test_definitions_and_references() -> None:
    text = MINI + """committees:
  - {id: audit, type: audit, chair: ned, members: [ned, chair]}
"""
    defs = "define audit = the(committees[type = audit])\n"
    assert evaluate_expr("audit.chair.role = non_executive", text, defs=defs)[0] is True
    assert evaluate_expr("count(audit.members[role = chair]) = 1", text, defs=defs)[0] is True
    assert evaluate_expr("every(m in audit.members: m.independent)", text, defs=defs)[0] is None


def _mutations(data: Any, rng: random.Random, path: tuple[Any, ...] = ()) -> list[Any]:
    """Every place in the data where a leaf could be deleted or flipped."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k in ("id", "schema", "name") and path[:1] != ("icb",):
                continue
            out.append((*path, k))
            out.extend(_mutations(v, rng, (*path, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(_mutations(v, rng, (*path, i)))
    return out


def test_compiled_rules_agree_with_explainer_on_random_mutations(rulesets: Any) -> None:
    """Delete or flip random facts of the example; every rule's compiled result must equal the
    interpreter's (two implementations of one semantics checking each other)."""
    import copy

    import yaml

    from ics_rules.loader import validate

    rng = random.Random(20261123)
    base = yaml.safe_load(EXAMPLE.read_text())
    places = _mutations(base, rng)
    checked_cases = 0
    for _ in range(120):
        data = copy.deepcopy(base)
        for path in rng.sample(places, 3):
            parent = data
            try:
                for k in path[:-1]:
                    parent = parent[k]
                value = parent[path[-1]]
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(value, bool):
                parent[path[-1]] = not value
            elif path[-1] != "icb":
                del parent[path[-1]]
        try:
            dumped = validate(data, {}, "m.yaml", "")
        except InputError:
            continue
        for day in (datetime.date(2021, 6, 1), datetime.date(2026, 1, 1)):
            for rs in rulesets:
                ctx = Ctx(dumped, day, rs.definitions)
                ex = Explainer(dumped, day, rs.definition_exprs)
                for r in rs.rules:
                    assert r.require(ctx, None, {}) == ex.explain(r.rule.require).result, r.id
                    checked_cases += 1
    assert checked_cases > 1000


def test_compiled_example_passes_every_rule(rulesets: Any) -> None:
    from ics_rules.engine import evaluate

    result = evaluate(load_constitution(EXAMPLE), rulesets, datetime.date(2026, 1, 1))
    bad = [f"{f.rule}: {f.message}" for f in result.findings if f.outcome == "fail"]
    assert not bad, bad
