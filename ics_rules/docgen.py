"""Documentation generated from the rules themselves, so it cannot drift from them.

`rule_reference` writes the rule book (every rule with its citation, strength, dates,
condition, and a case that fails and one that passes, from its tests file);
`coverage_table` maps each requirement of the catalogue to the rules that encode it, or to
the recorded reason it is not encoded. `python -m ics_rules.docgen` rewrites both files in
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
    catalogue = root.parent / "shared" / "docs" / "requirements.md"
    reasons = yaml.safe_load((root / "docs" / "coverage-reasons.yaml").read_text()) or {}
    table, missing = coverage_table(rs, catalogue.read_text(encoding="utf-8"), reasons)
    (root / "docs" / "coverage.md").write_text(table, encoding="utf-8")
    for cid in missing:
        print(f"no rule and no reason: {cid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
