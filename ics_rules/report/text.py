"""Terminal output: one grep-able line per finding (`path:line:col: severity RULE: message`),
evidence and citation indented beneath, a summary per file; colour only when asked.
Every string from a file, a rule or a path passes `display.clean` first, so the colour codes
added here are the only escapes in the output."""

from __future__ import annotations

from typing import Any

from ..display import clean
from ..engine import BASIS_WORDS
from ..evidence import describes_words, not_assessed_groups

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue", "pass": "green",
            "waived": "magenta", "not_applicable": "bright_black", "not_in_force": "bright_black",
            "not_assessed": "bright_black"}


def _style(text: str, colour: str | None, colour_on: bool, bold: bool = False) -> str:
    if not colour_on or colour is None:
        return text
    import click

    return click.style(text, fg=colour, bold=bold)


def render(results: list[Any], rulesets: Any, as_of: Any, *, verbose: bool = False,
           colour: bool = False, fail_on: str = "error", quiet: bool = False, **_: Any) -> str:
    """The text report for several constitutions."""
    lines: list[str] = []
    totals = {"error": 0, "warning": 0, "info": 0}
    files_failing = 0
    for r in results:
        shown = [f for f in r.findings if f.outcome in ("fail", "waived") or verbose]
        if not quiet:
            for f in shown:
                lines.extend(_finding(f, r, colour))
            for note in r.notes:
                lines.append(f"{clean(r.constitution)}: note: {clean(note)}")
        s = r.summary
        fails = [f for f in r.findings if f.outcome == "fail"]
        for f in fails:
            totals[f.severity] += 1
        if fails:
            files_failing += 1
        counts = ", ".join(f"{s[k]} {k.replace('_', ' ')}" for k in
                           ("pass", "fail", "waived", "not_applicable", "not_in_force",
                            "not_assessed") if s[k]
                           or k in ("pass", "fail"))
        head = _style(clean(r.constitution), None, colour, bold=True)
        status = _style("FAIL", "red", colour, True) if any(
            f.severity == "error" for f in fails) else (_style("WARN", "yellow", colour, True)
                                                       if fails else _style("OK", "green",
                                                                            colour, True))
        lines.append(f"{head}: {status} {clean(r.icb)}: {counts}")
        lines.extend(_not_assessed(r))
    n = len(results)
    tail = (f"{n} constitution{'s' if n != 1 else ''} checked as of {as_of.isoformat()}: "
            f"{totals['error']} error{'s' if totals['error'] != 1 else ''}, "
            f"{totals['warning']} warning{'s' if totals['warning'] != 1 else ''}, "
            f"{totals['info']} info")
    if n > 1:
        tail += f"; {files_failing} with findings"
    lines.append(tail)
    return "\n".join(lines) + "\n"


def _not_assessed(r: Any) -> list[str]:
    """What was not assessed and why, so that nothing is dropped silently."""
    groups = not_assessed_groups(r.findings)
    if not groups:
        return []
    path = clean(r.constitution)
    out = [f"{path}: describes {describes_words(r.describes, r.describes_source)}"]
    out += [f"{path}: not assessed: {clean(g.sentence)}" for g in groups]
    return out


def _finding(f: Any, r: Any, colour: bool) -> list[str]:
    loc = f.location
    where = clean(loc.label() if loc is not None else r.constitution)
    label = f.severity if f.outcome == "fail" else f.outcome.replace("_", " ")
    colour_key = f.severity if f.outcome == "fail" else f.outcome
    out = [f"{where}: {_style(label, _COLOURS.get(colour_key), colour, True)} "
           f"{_style(clean(f.rule), None, colour, True)}: {clean(f.message)}"]
    if f.outcome in ("fail", "waived"):
        out.append(f"    rule: {clean(f.title)} [{clean(f.strength)}]")
        if f.basis:
            out.append(f"    basis: {f.basis} ({BASIS_WORDS.get(f.basis, f.basis)})")
        for check in (f.evidence or {}).get("checks", [])[:6]:
            line = f" (line {check['line']})" if check.get("line") else ""
            out.append(f"    found: {clean(check['text'])}{line}")
            if check.get("missing"):
                out.append(f"    missing: {clean(', '.join(map(str, check['missing'])))}")
        if loc is not None and loc.source_text():
            out.append(f"    read from: {clean(loc.source_text())}")
        if loc is not None and loc.quote:
            out.append(f'    clause text: "{clean(loc.quote)}"')
        out.append(f"    cite: {clean(f.citation)}")
    return out


def finding_lines(f: Any, r: Any, colour: bool = False) -> list[str]:
    """The lines `check` prints for one finding (shared with `diff`)."""
    return _finding(f, r, colour)

