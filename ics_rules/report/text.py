"""Terminal output: one grep-able line per finding (`path:line:col: severity RULE: message`),
evidence and citation indented beneath, a summary per file; colour only when asked."""

from __future__ import annotations

import re
from typing import Any

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue", "pass": "green",
            "waived": "magenta", "not_applicable": "bright_black", "not_in_force": "bright_black"}


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
                lines.append(f"{r.constitution}: note: {note}")
        s = r.summary
        fails = [f for f in r.findings if f.outcome == "fail"]
        for f in fails:
            totals[f.severity] += 1
        if fails:
            files_failing += 1
        counts = ", ".join(f"{s[k]} {k.replace('_', ' ')}" for k in
                           ("pass", "fail", "waived", "not_applicable", "not_in_force") if s[k]
                           or k in ("pass", "fail"))
        head = _style(r.constitution, None, colour, bold=True)
        status = _style("FAIL", "red", colour, True) if any(
            f.severity == "error" for f in fails) else (_style("WARN", "yellow", colour, True)
                                                       if fails else _style("OK", "green",
                                                                            colour, True))
        lines.append(f"{head}: {status} {r.icb}: {counts}")
    n = len(results)
    tail = (f"{n} constitution{'s' if n != 1 else ''} checked as of {as_of.isoformat()}: "
            f"{totals['error']} error{'s' if totals['error'] != 1 else ''}, "
            f"{totals['warning']} warning{'s' if totals['warning'] != 1 else ''}, "
            f"{totals['info']} info")
    if n > 1:
        tail += f"; {files_failing} with findings"
    lines.append(tail)
    return "\n".join(lines) + "\n"


def _finding(f: Any, r: Any, colour: bool) -> list[str]:
    loc = f.location
    where = r.constitution
    if loc is not None and loc.line is not None:
        where = f"{loc.path}:{loc.line}:{loc.column or 1}"
    label = f.severity if f.outcome == "fail" else f.outcome.replace("_", " ")
    colour_key = f.severity if f.outcome == "fail" else f.outcome
    out = [f"{where}: {_style(label, _COLOURS.get(colour_key), colour, True)} "
           f"{_style(f.rule, None, colour, True)}: {f.message}"]
    if f.outcome in ("fail", "waived"):
        out.append(f"    rule: {f.title} [{f.strength}]")
        for check in (f.evidence or {}).get("checks", [])[:6]:
            line = f" (line {check['line']})" if check.get("line") else ""
            out.append(f"    found: {check['text']}{line}")
            if check.get("missing"):
                out.append(f"    missing: {', '.join(map(str, check['missing']))}")
        out.append(f"    cite: {f.citation}")
    return out


def finding_lines(f: Any, r: Any, colour: bool = False) -> list[str]:
    """The lines `check` prints for one finding (shared with `diff`)."""
    return _finding(f, r, colour)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Untrusted text for a terminal: control characters (escape sequences) shown as `?`."""
    return _CONTROL.sub("?", text)
