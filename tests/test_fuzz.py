"""Seeded fuzzing: damaged constitution files (YAML, JSON, TOML) and damaged rulesets must
end in a located InputError or a result, never in any other exception (a traceback)."""

from __future__ import annotations

import datetime
import json
import random
from typing import Any

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
