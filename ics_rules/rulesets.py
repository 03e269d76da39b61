"""Find, load, check, compile and cache rulesets (bundled ones by ID, local ones by path).

A checked ruleset is cached (in the data-only form of `cache.py`) keyed by the ruleset
text, the grammar, the model's JSON Schema, the tool version and the Python version, so a
warm `check` needs neither Lark nor a re-check; the closures are rebuilt from the cached
tree in microseconds.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ErrorList, InputError, RulesetError, UsageError
from .resources import data_dir
from .version import __version__

RULESET_SUFFIX = ".rules"
SEVERITY = {"statutory": "error", "policy": "error", "guidance": "warning", "info": "info"}


@dataclass(frozen=True)
class CompiledRule:
    """A checked rule with its compiled condition and applicability."""

    rule: Any  # dsl.ast.Rule
    require: Callable[..., Any]
    when: Callable[..., Any] | None
    citation: str
    severity: str

    @property
    def id(self) -> str:
        return str(self.rule.id)


@dataclass
class CompiledRuleset:
    """One ruleset ready to evaluate."""

    ast: Any  # dsl.ast.Ruleset
    rules: list[CompiledRule]
    definitions: dict[str, Callable[..., Any]]
    definition_exprs: dict[str, Any]
    bundled: bool = False
    # Filter conditions compiled by the explainer, by node id, shared by every evaluation
    filters: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def id(self) -> str:
        return str(self.ast.id)

    @property
    def version(self) -> str:
        return str(self.ast.version)

    @property
    def sha256(self) -> str:
        return str(self.ast.sha256)


@dataclass
class Rulesets:
    """Several rulesets evaluated together; rule IDs are unique across them."""

    rulesets: list[CompiledRuleset] = field(default_factory=list)

    def __iter__(self) -> Any:
        return iter(self.rulesets)

    def __len__(self) -> int:
        return len(self.rulesets)

    def rules(self) -> list[CompiledRule]:
        """Every rule, ruleset by ruleset, in file order."""
        return [r for rs in self.rulesets for r in rs.rules]

    def rule(self, rule_id: str) -> CompiledRule | None:
        for r in self.rules():
            if r.id == rule_id:
                return r
        return None


def find_rule(rulesets: Rulesets, rule_id: str) -> CompiledRule:
    """The rule with this ID, matched without regard to case (sch1b-2 is SCH1B-2); a
    `UsageError` with the nearest ID when there is none."""
    found = rulesets.rule(rule_id)
    if found is None:
        found = next((r for r in rulesets.rules() if r.id.casefold() == rule_id.casefold()),
                     None)
    if found is None:
        from .errors import did_you_mean

        by_fold = {r.id.casefold(): r.id for r in rulesets.rules()}
        hint = did_you_mean(rule_id.casefold(), by_fold)
        for folded, real in by_fold.items():
            hint = hint.replace(f"'{folded}'", f"'{real}'")
        raise UsageError(f"no rule '{rule_id}'{hint}; `ics-rules rules list` shows every rule")
    return found


def bundled_ruleset_files() -> list[Path]:
    """The bundled ruleset files, sorted by name."""
    return sorted(data_dir("rulesets").glob("*" + RULESET_SUFFIX))


def bundled_ids() -> list[str]:
    """IDs of the bundled rulesets (a file's stem is its ruleset ID)."""
    return [p.stem for p in bundled_ruleset_files()]


def _schema_fingerprint() -> str:
    """A hash of everything that decides how a ruleset is checked: grammar, model, checker."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256((data_dir("grammar") / "ics_rules.lark").read_bytes())
    for name in ("model.py", "schema.py", "dsl/ast.py", "dsl/parser.py", "dsl/checker.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


def cache_name(text: str) -> str:
    """The cache entry name of a ruleset's checked tree (also its name when shipped prebuilt).

    The data-only form does not depend on the Python version, so the key leaves it out and a
    wheel's prebuilt entries serve every interpreter it installs on.
    """
    h = hashlib.sha256()
    for part in (text, __version__, _fingerprint()):
        h.update(part.encode())
        h.update(b"\0")
    return f"ruleset-{h.hexdigest()[:32]}.json"


_FINGERPRINT: str | None = None


def _fingerprint() -> str:
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _schema_fingerprint()
    return _FINGERPRINT


def check_text(text: str, display: str) -> Any:
    """Parse and check ruleset text (no cache). Raises `RulesetError`/`ErrorList`."""
    from .dsl.checker import check_ruleset
    from .dsl.parser import parse_ruleset

    return check_ruleset(parse_ruleset(text, display))


def _checked(text: str, display: str) -> Any:
    """The checked tree of ruleset text: from the cache (data only) when the text is unchanged."""
    from . import cache
    from .dsl.ast import Ruleset

    checked = cache.load(cache_name(text), Ruleset,
                         lambda: check_text(text, display), lambda v: v.text == text)
    if checked.path != display:
        import dataclasses

        checked = dataclasses.replace(checked, path=display)
    return checked


def compile_ruleset(checked: Any, bundled: bool = False) -> CompiledRuleset:
    """Closures for every definition and rule of a checked ruleset."""
    from .dsl.compiler import compile_expr

    definitions = {d.name: compile_expr(d.expr) for d in checked.definitions}
    rules = []
    for r in checked.rules:
        cites = []
        for c in r.cites:
            src = checked.sources[c.source]
            cites.append(f"{src.title}, {c.pinpoint}")
        rules.append(CompiledRule(
            rule=r, require=compile_expr(r.require),
            when=compile_expr(r.when) if r.when is not None else None,
            citation="; ".join(cites), severity=SEVERITY[r.strength]))
    return CompiledRuleset(ast=checked, rules=rules, definitions=definitions,
                           definition_exprs={d.name: d.expr for d in checked.definitions},
                           bundled=bundled)


def load_ruleset_file(path: str | Path, display: str | None = None,
                      bundled: bool = False) -> CompiledRuleset:
    """Load one ruleset file (from the cache when its text is unchanged)."""
    from .loader import read_text

    shown = display or str(path)
    text, _ = read_text(Path(path), shown)
    return compile_ruleset(_checked(text, shown), bundled=bundled)


def load_rulesets(selection: Iterable[str] | None = None) -> Rulesets:
    """Bundled rulesets by ID and local ruleset files by path; all bundled ones by default."""
    chosen: Sequence[str] = list(selection) if selection else []
    bundled = {p.stem: p for p in bundled_ruleset_files()}
    out = Rulesets()
    if not chosen:
        chosen = list(bundled)
    errors: list[InputError] = []
    for item in chosen:
        try:
            if item in bundled:
                out.rulesets.append(load_ruleset_file(
                    bundled[item], f"{item}{RULESET_SUFFIX}", bundled=True))
            elif os.path.exists(item) or item.endswith(RULESET_SUFFIX) or os.sep in item:
                out.rulesets.append(load_ruleset_file(item))
            else:
                from .errors import did_you_mean

                raise UsageError(f"unknown ruleset '{item}'{did_you_mean(item, bundled)}; "
                                 f"bundled rulesets: {', '.join(bundled)} (or give a path to a "
                                 f"{RULESET_SUFFIX} file)")
        except InputError as exc:  # ruleset syntax/type errors, unreadable files
            errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else ErrorList(errors)
    _check_unique(out)
    return out


def _check_unique(rulesets: Rulesets) -> None:
    seen: dict[str, CompiledRuleset] = {}
    ids: dict[str, CompiledRuleset] = {}
    for rs in rulesets:
        if rs.id in ids:
            raise RulesetError(f"ruleset '{rs.id}' is loaded twice ({ids[rs.id].ast.path} and "
                               f"{rs.ast.path})", rs.ast.path, 1, 1)
        ids[rs.id] = rs
        for r in rs.rules:
            if r.id in seen:
                other = seen[r.id]
                raise RulesetError(
                    f"rule ID {r.id} is defined in both {other.ast.path} and {rs.ast.path}",
                    rs.ast.path, r.rule.pos.line, r.rule.pos.column, source=rs.ast.text)
            seen[r.id] = rs
