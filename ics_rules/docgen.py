"""Documentation generated from the rules themselves, so it cannot drift from them.

`rule_reference` writes the rule book (every rule with its citation, strength, dates,
condition, and a case that fails and one that passes, from its tests file);
`coverage_table` maps each requirement of the catalogue to the rules that encode it, or to
the recorded reason it is not encoded; `field_reference` writes the file format's reference
(every field's meaning, type, allowed words, whether law or policy needs it, an example and
the rules that read it). `python -m ics_rules.docgen` rewrites the three files in
`docs/`; a test fails when they are stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from .evidence import EVIDENCE_WORDS
from .ruletests import Case, iter_tests_files, read_cases

CATALOGUE_ID = re.compile(r"^\*\*([A-Z][A-Za-z0-9/-]+)\*\*:\s*(.*)$")


def _cases(rulesets: Any) -> dict[str, list[Case]]:
    out: dict[str, list[Case]] = {}
    for _, tests in iter_tests_files(rulesets):
        for c in read_cases(tests, tests.name):
            out.setdefault(c.rule, []).append(c)
    return out


def _changes(case: Case) -> str:
    parts = []
    for path, value in (case.changes.get("set") or {}).items():
        parts.append(f"set `{path}` to `{value}`")
    for path in case.changes.get("remove") or []:
        parts.append(f"remove `{path}`")
    for path, value in (case.changes.get("append") or {}).items():
        parts.append(f"add to `{path}`: `{value}`")
    when = f" (as of {case.as_of})" if case.as_of.isoformat() != "2026-01-01" else ""
    return (("; ".join(parts) or "the compliant example unchanged") + when)


def rule_reference(rulesets: Any) -> str:
    """The rule book in Markdown."""
    cases = _cases(rulesets)
    out = ["# Rule reference", "",
           "Generated from the bundled rulesets by `python -m ics_rules.docgen`; do not edit by "
           "hand. Each rule lists a change to the compliant example (`constitutions/example.yaml`)"
           " that makes it fail and one that makes it pass, taken from its tests file.", ""]
    for rs in rulesets:
        out += [f"## {rs.ast.title} (`{rs.id}` {rs.version})", ""]
        if rs.ast.description:
            out += [rs.ast.description, ""]
        out.append("Sources:")
        out.append("")
        for src in rs.ast.sources.values():
            url = f" <{src.url}>" if src.url else ""
            out.append(f"- `{src.name}`: {src.title}{url}")
        out.append("")
        out.append("| Rule | Strength | Evidence | In force | Citation | Title |")
        out.append("|---|---|---|---|---|---|")
        for r in rs.rules:
            rule = r.rule
            dates = f"{rule.in_force_from or '…'} – {rule.in_force_until or ''}".strip()
            mark = " (unverified)" if rule.unverified else ""
            out.append(f"| [{r.id}](#{r.id.lower()}) | {rule.strength} | {rule.evidence} | "
                       f"{dates} | {r.citation}{mark} | {rule.title} |")
        out.append("")
        for r in rs.rules:
            rule = r.rule
            out += [f"### {r.id}", "", f"**{rule.title}**", ""]
            out.append(f"- Citation: {r.citation}")
            if rule.unverified:
                out.append(f"- Unverified pinpoint: {rule.unverified}")
            out.append(f"- Strength: {rule.strength} (reported as {r.severity})")
            out.append(f"- Evidence: {rule.evidence} ({EVIDENCE_WORDS[rule.evidence]})")
            span = f"from {rule.in_force_from}" if rule.in_force_from else "always"
            if rule.in_force_until:
                span += f" until {rule.in_force_until} (exclusive)"
            if rule.target:
                span += f"; the source's own target date was {rule.target}"
            out.append(f"- In force: {span}")
            if rule.when is not None:
                out.append(f"- Applies when: `{' '.join(rule.when.src.split())}`")
            out.append(f"- Requires: `{' '.join(rule.require.src.split())}`")
            if rule.note:
                out.append(f"- Note: {rule.note}")
            if rule.fix:
                out.append(f"- Fix: {rule.fix}")
            mine = cases.get(r.id, [])
            fail = next((c for c in mine if c.expect == "fail"), None)
            ok = next((c for c in mine if c.expect == "pass"), None)
            if fail is not None:
                out.append(f"- Fails when: {fail.name}: {_changes(fail)}")
            if ok is not None:
                out.append(f"- Passes when: {ok.name}: {_changes(ok)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def catalogue_ids(text: str) -> list[tuple[str, str]]:
    """(ID, first line of its entry) for every requirement in the catalogue."""
    out = []
    for line in text.splitlines():
        m = CATALOGUE_ID.match(line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def coverage_table(rulesets: Any, catalogue: str, reasons: dict[str, str]) -> tuple[str, list[str]]:
    """The coverage table, and the catalogue IDs that have neither a rule nor a reason."""
    rule_ids = [r.id for r in rulesets.rules()]
    rows = ["# Coverage of the requirements catalogue", "",
            "Generated by `python -m ics_rules.docgen` from `shared/docs/requirements.md`, the "
            "bundled rulesets and `docs/coverage-reasons.yaml`; do not edit by hand. A "
            "requirement is encoded by the rule with its ID and by rules whose ID extends it "
            "(e.g. `SCH1B-MH-MEMBER` for `SCH1B-MH`).", "",
            "| Requirement | Rules | Or why not encoded |", "|---|---|---|"]
    missing = []
    encoded = 0
    for cid, _ in catalogue_ids(catalogue):
        matches = [r for r in rule_ids if r == cid or r.startswith(cid + "-")
                   or r.lower() == cid.lower()]
        reason = reasons.get(cid, "")
        if matches:
            encoded += 1
        elif not reason:
            missing.append(cid)
        rows.append(f"| {cid} | {', '.join(matches) or '—'} | {reason if not matches else ''} |")
    total = len(catalogue_ids(catalogue))
    rows[4:4] = [f"{encoded} of {total} catalogued requirements are encoded as rules; the "
                 "others are listed with the reason.", ""]
    ids = [cid for cid, _ in catalogue_ids(catalogue)]
    extra = [r for r in rulesets.rules()
             if not any(r.id == c or r.id.startswith(c + "-") or r.id.lower() == c.lower()
                        for c in ids)]
    if extra:
        rows += ["", "## Rules beyond the catalogue", "",
                 "Requirements the catalogue does not list, most of them statutory "
                 "requirements found by the legal audit (`shared/docs/legal-audit.md`, section "
                 "4).", "", "| Rule | Strength | Evidence | Citation | Title |",
                 "|---|---|---|---|---|"]
        rows += [f"| {r.id} | {r.rule.strength} | {r.rule.evidence} | {r.citation} | "
                 f"{r.rule.title} |" for r in extra]
    return "\n".join(rows) + "\n", missing


def main(argv: list[str] | None = None) -> int:
    """Rewrite docs/rules.md and docs/coverage.md (from a source checkout)."""
    import yaml

    from .rulesets import load_rulesets

    root = Path(__file__).resolve().parent.parent
    rs = load_rulesets()
    (root / "docs" / "rules.md").write_text(rule_reference(rs), encoding="utf-8")
    example = yaml.safe_load((root / "constitutions" / "example.yaml").read_text())
    (root / "docs" / "format.md").write_text(field_reference(rs, example), encoding="utf-8")
    tutorial = root / "docs" / "tutorial.md"
    example_text = (root / "constitutions" / "example.yaml").read_text(encoding="utf-8")
    tutorial.write_text(refresh_tutorial(tutorial.read_text(encoding="utf-8"), example_text),
                        encoding="utf-8")
    catalogue = root.parent / "shared" / "docs" / "requirements.md"
    reasons = yaml.safe_load((root / "docs" / "coverage-reasons.yaml").read_text()) or {}
    table, missing = coverage_table(rs, catalogue.read_text(encoding="utf-8"), reasons)
    (root / "docs" / "coverage.md").write_text(table, encoding="utf-8")
    for cid in missing:
        print(f"no rule and no reason: {cid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))


# ---------------------------------------------------------------- the field reference

STRENGTH_WORDS = (("statutory", "Required by law: statutory rules read it"),
                  ("policy", "Expected by NHS England policy: policy rules read it"),
                  ("guidance", "Recommended by guidance: guidance rules read it"),
                  ("info", "Reported for information only"))


def model_fields() -> list[tuple[str, Any, str, Any]]:
    """(file path, pydantic model, field name in the file, field info) for every field of the
    model, depth first from the top of the file, each model once (at its first place)."""
    from pydantic import BaseModel

    from .model import Constitution
    from .schema import model_type

    out: list[tuple[str, Any, str, Any]] = []
    seen: set[str] = set()

    def walk(model: Any, prefix: str) -> None:
        if model.__name__ in seen:
            return
        seen.add(model.__name__)
        types = model_type(model).fields
        for name, info in model.model_fields.items():
            key = info.alias or name
            path = f"{prefix}.{key}" if prefix else key
            out.append((path, model, key, info))
            inner = _model_in(info.annotation, BaseModel)
            if inner is not None:
                walk(inner, path + ("[]" if _is_list_type(types[key]) else ""))

    walk(Constitution, "")
    return out


def _model_in(ann: Any, base: Any) -> Any:
    import typing

    stack = [ann]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, base):
            return a
        stack.extend(typing.get_args(a))
    return None


def _is_list_type(t: Any) -> bool:
    from .schema import ListOf

    return isinstance(t, ListOf)


def _type_words(t: Any) -> str:
    """A field's type in plain words."""
    from .schema import Enum, ListOf, Obj, Ref, Scalar

    if isinstance(t, ListOf) and isinstance(t.item, Ref):
        extra = " (or of the words below)" if t.item.vocabulary else ""
        return f"a list of ids of entries in `{t.item.target}`{extra}"
    if isinstance(t, ListOf) and isinstance(t.item, Obj):
        return f"a list of mappings ({t.item.name}, below), each starting with `- `"
    if isinstance(t, ListOf):
        return f"a list of {_type_words(t.item).removeprefix('a ').removeprefix('an ')}"
    if isinstance(t, Enum):
        return "one of the words below"
    if isinstance(t, Ref):
        extra = " (or one of the words below)" if t.vocabulary else ""
        return f"the id of an entry in `{t.target}`{extra}"
    if isinstance(t, Obj):
        return f"a mapping ({t.name}, below)"
    if isinstance(t, Scalar):
        return {"bool": "true or false", "number": "a number", "text": "text",
                "date": "a date, YYYY-MM-DD"}[t.kind]
    return "a value"


def _limits(info: Any) -> str:
    """The bounds a field's value must keep, in words (` (more than 0, at most 1)`)."""
    import typing

    words = {"gt": "more than {}", "ge": "at least {}", "lt": "less than {}",
             "le": "at most {}", "max_length": "at most {} characters"}
    found: dict[str, Any] = {}
    stack: list[Any] = [info.annotation, *info.metadata]
    while stack:
        a = stack.pop()
        for key in words:
            value = getattr(a, key, None)
            if isinstance(value, int | float) and not isinstance(value, bool):
                found.setdefault(key, value)
        stack.extend(typing.get_args(a))
        stack.extend(getattr(a, "metadata", []) or [])
    shown = [words[k].format(found[k]) for k in words if k in found and k != "max_length"]
    return f" ({', '.join(shown)})" if shown else ""


def _example_value(data: Any, path: str) -> Any:
    """The first value at `path` (`board.members[].role`) in the example, or None."""
    current = [data]
    for part in path.replace("[]", "").split("."):
        nxt = []
        for v in current:
            items = v if isinstance(v, list) else [v]
            nxt += [i[part] for i in items if isinstance(i, dict) and part in i]
        current = nxt
    return current[0] if current else None


def _example(key: str, value: Any, t: Any) -> str:
    """`key: value` as YAML on one line (a made-up value of the right kind if none)."""
    import yaml

    from .schema import Enum, ListOf, Obj, Ref, Scalar

    if value is None:
        inner = t.item if isinstance(t, ListOf) else t
        made: Any = {Scalar("bool"): True, Scalar("number"): 1, Scalar("text"): "…",
                     Scalar("date"): "2022-07-01"}.get(inner) if isinstance(inner, Scalar) \
            else None
        if isinstance(inner, Enum):
            made = inner.values[0]
        elif isinstance(inner, Ref):
            made = inner.vocabulary[0] if inner.vocabulary else "an-id"
        elif isinstance(inner, Obj):
            return f"`{key}:` followed by the keys of {inner.name}, indented"
        value = [made] if isinstance(t, ListOf) else made
    if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict)
                                                                   for v in value)):
        return f"`{key}:` followed by the keys below, indented"
    text = yaml.safe_dump({key: value}, default_flow_style=True, allow_unicode=True,
                          width=10_000).strip()[1:-1]
    return f"`{text}`"


def field_reference(rulesets: Any, example: dict[str, Any]) -> str:
    """docs/format.md: every field of the file format, generated from the model and rules."""
    from .dsl.reads import rule_reads
    from .model import VALUE_MEANINGS
    from .schema import allowed_words, model_type

    readers: dict[tuple[str, str], list[str]] = {}
    for rule_id, reads in rule_reads(rulesets).items():
        for key in reads:
            readers.setdefault(key, []).append(rule_id)
    strength = {r.id: r.rule.strength for r in rulesets.rules()}
    out = ["# The constitution file format (`ics-constitution/1`)", "",
           "Generated from the model (`ics_rules/model.py`) and the bundled rules by "
           "`python -m ics_rules.docgen`; do not edit by hand. Every field is optional unless "
           "it says *required by the file format*: a fact left out is reported as not stated "
           "by the rules that need it. The examples come from `constitutions/example.yaml`.", "",
           "Editors that use the YAML language server (VS Code's YAML extension, and others) "
           "show these descriptions on hover and complete the words of each list of allowed "
           "values once the file names the schema. Write the schema out once, "
           "`ics-rules schema > ics-constitution.schema.json`, and put this line at the top "
           "of the constitution file:", "",
           "```yaml", "# yaml-language-server: $schema=ics-constitution.schema.json", "```", "",
           "Values are YAML 1.2 style: `true` and `false` are the only yes/no words (`yes`, "
           "`no`, `on`, `off` are text, quoted or not, and a true/false field refuses them); "
           "numbers are plain decimals (`1:30`, `0x10`, `1_000` are refused); dates are "
           "`YYYY-MM-DD`.", ""]
    current_model = None
    for path, model, key, info in model_fields():
        if model is not current_model:
            current_model = model
            where = path.rsplit(".", 1)[0] if "." in path else "(top level)"
            doc = " ".join((model.__doc__ or "").split())
            out += [f"## {model.__name__}: `{where}`", "", doc, ""]
        t = model_type(model).fields[key]
        meaning = " ".join((info.description or "").split())
        out += [f"### `{path}`", "", meaning, "", f"- Type: {_type_words(t)}{_limits(info)}"]
        words = allowed_words(t)
        if words:
            out.append("- Allowed values:")
            out += [f"  - `{w}`: {VALUE_MEANINGS.get(w, '')}" for w in words]
        rules = sorted(set(readers.get((model.__name__, key), [])))
        kinds = {strength[r] for r in rules}
        if info.is_required():
            need = "Required by the file format"
        else:
            need = next((words_ for s, words_ in STRENGTH_WORDS if s in kinds),
                        "Optional: no bundled rule reads it")
        out.append(f"- Needed: {need}")
        out.append(f"- Example: {_example(key, _example_value(example, path), t)}")
        if rules:
            out.append("- Read by: " + ", ".join(f"[{r}](rules.md#{r.lower()})" for r in rules))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- the tutorial's constitution

TUTORIAL_BEGIN = "<!-- generated by python -m ics_rules.docgen: Northmoor's file -->"
TUTORIAL_END = "<!-- end of generated file -->"
# The tutorial's ICB: the compliant example under other names, one policy fact not yet stated.
_NORTHMOOR = (("NHS Example Integrated Care Board", "NHS Northmoor Integrated Care Board"),
              ("Example ICB", "Northmoor ICB"), ("example.icb.nhs.uk", "northmoor.icb.nhs.uk"),
              ("Exampleshire", "Northmoor"), ("exampleshire", "northmoor"),
              ("Sampletown", "Eastport"), ("sampletown", "eastport"),
              ("Example", "Northmoor"), ("example", "northmoor"))
TUTORIAL_LEFT_OUT = "population_health_management_plan"


def tutorial_constitution(example_text: str) -> str:
    """Northmoor's filled-in file: the example's facts under Northmoor's names (its opening
    comment dropped), with the population health management plan not yet stated."""
    lines = example_text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("schema:"))
    kept = [line for line in lines[start:]
            if line.strip().split(":")[0] != TUTORIAL_LEFT_OUT]
    text = "\n".join(kept).strip() + "\n"
    for old, new in _NORTHMOOR:
        text = text.replace(old, new)
    return text


def refresh_tutorial(tutorial: str, example_text: str) -> str:
    """The tutorial with its generated constitution block brought up to date."""
    head, _, rest = tutorial.partition(TUTORIAL_BEGIN)
    _, _, tail = rest.partition(TUTORIAL_END)
    block = f"```yaml file=constitution.yaml\n{tutorial_constitution(example_text)}```\n"
    return f"{head}{TUTORIAL_BEGIN}\n{block}{TUTORIAL_END}{tail}"
