"""Seeded fuzzing: damaged constitution files (YAML, JSON, TOML) and damaged rulesets must
end in a located InputError or a result, never in any other exception (a traceback)."""

from __future__ import annotations

import datetime
import json
import os
import random
from typing import Any

import pytest
import yaml

from ics_rules.engine import evaluate
from ics_rules.errors import InputError
from ics_rules.loader import load_constitution, parse_constitution
from ics_rules.rulesets import Rulesets, check_text, compile_ruleset

from .conftest import EXAMPLE, ROOT

DAY = datetime.date(2026, 1, 1)


def damage(text: str, rng: random.Random, alphabet: str, edits: int) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, edits)):
        pos = rng.randrange(len(chars))
        if rng.random() < 0.5:
            chars[pos] = rng.choice(alphabet)
        else:
            del chars[pos]
    return "".join(chars)


def survives(make: Any) -> bool:
    try:
        make()
    except InputError as exc:
        assert exc.render()
    return True


def test_damaged_constitutions_never_crash(rulesets: Any) -> None:
    yaml_text = EXAMPLE.read_text()
    json_text = json.dumps(yaml.safe_load(yaml_text), default=str, indent=1)
    toml_text = ('schema = "ics-constitution/1"\n[icb]\nname = "NHS X Integrated Care Board"\n'
                 '[[board.members]]\nid = "chair"\nrole = "chair"\n[[committees]]\n'
                 'id = "audit"\nchair = "chair"\n')
    rng = random.Random(20261123)
    for text, fmt, alphabet in ((yaml_text, "yaml", " :-[]{}#&*!|>'\"\n\t0a%@`,?"),
                                (json_text, "json", ' :-[]{}"\n0a,\\'),
                                (toml_text, "toml", ' =[]"\n0a.,')):
        for _ in range(250):
            broken = damage(text, rng, alphabet, 6)
            assert survives(lambda b=broken, f=fmt: evaluate(
                parse_constitution(b, f"fuzz.{f}", f), rulesets, DAY))


def test_damaged_rulesets_never_crash() -> None:
    c = load_constitution(EXAMPLE)
    base = (ROOT / "rulesets" / "nhse-icb-governance.rules").read_text()
    rng = random.Random(5)
    for _ in range(150):
        broken = damage(base, rng, ' ()[]{}"=<>.,:#\nabx0-', 4)
        assert survives(lambda b=broken: evaluate(
            c, Rulesets([compile_ruleset(check_text(b, "fuzz.rules"))]), DAY))


# ---------------------------------------------------------------- long seeded runs (issue 9)
# Each fuzzer feeds FUZZ_N inputs (20,000 by default, a fixed seed per fuzzer, run in CI)
# and must see no exception but the documented `InputError`. ICS_RULES_FUZZ_N=200000 runs
# longer; ICS_RULES_FUZZ_SEED picks other inputs.

FUZZ_N = int(os.environ.get("ICS_RULES_FUZZ_N", "20000"))
FUZZ_SEED = int(os.environ.get("ICS_RULES_FUZZ_SEED", "9"))

SMALL_YAML = """schema: ics-constitution/1
icb:
  name: NHS Fuzz Integrated Care Board
  constitution:
    version: "1.0"
    effective_from: 2022-07-01
board:
  members:
    - id: chair
      role: chair
      name: A Chair
    - id: ceo
      role: chief_executive
committees:
  - id: audit
    name: Audit Committee
    type: audit
    chair: chair
    members: [chair, ceo]
"""

SMALL_RULES = """ruleset fuzz-rules "Fuzz"
  version "1.0"
  source act "An Act" url "https://example.org/act"

define members = board.members[role != chair]

rule FUZZ-1 "Some rule"
  cite act "s.1(2)"
  strength statutory
  evidence constitution
  from 2022-07-01
  when exists(board.members)
  require count(members) + 1 >= 2 and not (icb.name matches "^NHS .+$")
      or every(m in board.members: m.role in {chair, chief_executive, "x"})
  message "found {count(members)} of {count(board.members[role = chair])}"
"""

SMALL_WAIVERS = """waivers:
  - rule: FUZZ-1
    constitution: "*.yaml"
    justification: accepted for one year by the board
    approved_by: The Board
    approved_on: 2025-01-01
    expires: 2026-12-31
"""

# Pieces that stress parsers more than single characters do (text as decoded from a file, so
# a lone surrogate appears only as an escape).
TOKENS = ["(", ")", "[", "]", "{", "}", "{{", "\"", "'", "\\", ":", "- ", "\n", "  ", "#",
          "not ", "and ", "or ", " + ", "9" * 30, "1:30", "0x10", "1_0", "!!int ", "!!null ",
          "&a ", "*a", "<<: ", "~", "\x1b", "\u202e", "\\ud800", "\x00", "é", "%", "@", "`",
          "matches \"(a+)+$\"", "a{1,99999}", "true", "null", "2022-13-40", "\t", "\r\n"]


def mutate(text: str, rng: random.Random) -> str:
    """A damaged copy: characters and tokens inserted, replaced, deleted, or a slice repeated."""
    chars = list(text)
    for _ in range(rng.randint(1, 5)):
        if not chars:
            chars = list(rng.choice(TOKENS))
        pos = rng.randrange(len(chars))
        roll = rng.random()
        if roll < 0.3:
            chars[pos:pos] = list(rng.choice(TOKENS))
        elif roll < 0.55:
            chars[pos] = rng.choice(TOKENS)
        elif roll < 0.8:
            del chars[pos:pos + rng.randint(1, 8)]
        else:
            end = min(len(chars), pos + rng.randint(1, 12))
            chars[pos:pos] = chars[pos:end] * rng.randint(2, 60)
    return "".join(chars)


def _fuzz(base: list[str], seed: int, feed: Any) -> None:
    rng = random.Random(seed)
    unexpected: list[tuple[str, str]] = []
    for _ in range(FUZZ_N):
        text = mutate(rng.choice(base), rng)
        try:
            feed(text)
        except InputError as exc:
            exc.render()
        except Exception as exc:  # anything else is a bug: collect and show a few
            unexpected.append((f"{type(exc).__name__}: {exc}"[:200], text[:300]))
    assert not unexpected, f"{len(unexpected)} unexpected exceptions, e.g. {unexpected[:3]}"


def _formats() -> list[tuple[str, str]]:
    data = yaml.safe_load(SMALL_YAML)
    as_json = json.dumps(data, default=str, indent=1)
    as_toml = ('schema = "ics-constitution/1"\n[icb]\nname = "NHS Fuzz Integrated Care Board"\n'
               '[[board.members]]\nid = "chair"\nrole = "chair"\n[[committees]]\n'
               'id = "audit"\nchair = "chair"\nmembers = ["chair"]\n')
    return [(SMALL_YAML, "yaml"), (as_json, "json"), (as_toml, "toml")]


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_loader_fuzz(fmt: str) -> None:
    base = [t for t, f in _formats() if f == fmt]
    _fuzz(base, FUZZ_SEED + {"yaml": 0, "json": 1, "toml": 2}[fmt],
          lambda text: parse_constitution(text, f"fuzz.{fmt}", fmt))


def test_rules_parser_fuzz() -> None:
    _fuzz([SMALL_RULES], FUZZ_SEED + 3, lambda text: compile_ruleset(check_text(text, "f.rules")))


def test_waivers_loader_fuzz() -> None:
    from ics_rules.waivers import parse_waivers

    _fuzz([SMALL_WAIVERS], FUZZ_SEED + 4, lambda text: parse_waivers(text, "w.yaml", "yaml"))
