"""JUnit XML for CI test dashboards: one test suite per constitution, one test case per rule.

`fail` is a failure; `not_applicable`, `not_in_force`, `not_assessed` and `waived` are
skipped (with the reason; each suite's system-out also says what was not assessed and why);
`pass` passes. No timestamps or durations, so the same inputs give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from ..evidence import not_assessed_groups
from ..version import __version__
from .assurance import display_path

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SKIPPED = {"not_applicable": "not applicable", "not_in_force": "not in force",
           "waived": "waived", "not_assessed": "not assessed"}


def clean(text: Any) -> str:
    """Text that XML 1.0 can carry (control characters shown as U+FFFD)."""
    return _INVALID_XML.sub("\ufffd", "" if text is None else str(text))


def _where(finding: Any, path: str) -> str:
    loc = finding.location
    return path if loc is None else loc.label()


def _details(finding: Any, path: str) -> str:
    lines = [finding.message]
    for chk in (finding.evidence or {}).get("checks", []):
        line = f" (line {chk['line']})" if chk.get("line") else ""
        lines.append(f"found: {chk.get('text', '')}{line}")
    lines.append(f"at: {_where(finding, path)}")
    lines.append(f"rule: {finding.rule} {finding.title} [{finding.strength}]")
    if finding.basis:
        lines.append(f"basis: {finding.basis}")
    lines.append(f"cite: {finding.citation}")
    return clean("\n".join(lines))


def _case(suite: ET.Element, finding: Any, path: str) -> str:
    attrs = {"name": clean(f"{finding.rule}: {finding.title}"), "classname": clean(path),
             "file": clean(path), "time": "0"}
    loc = finding.location
    if loc is not None and loc.line is not None:
        attrs["line"] = str(loc.line)
    case = ET.SubElement(suite, "testcase", attrs)
    if finding.outcome == "fail":
        failure = ET.SubElement(case, "failure", {"message": clean(finding.message),
                                                  "type": finding.severity})
        failure.text = _details(finding, path)
    elif finding.outcome in SKIPPED:
        ET.SubElement(case, "skipped",
                      {"message": clean(f"{SKIPPED[finding.outcome]}: {finding.message}")})
    return finding.outcome


def document(results: list[Any], rulesets: Any, as_of: Any) -> ET.Element:
    """The `<testsuites>` element for every constitution checked."""
    root = ET.Element("testsuites", {"name": "ics-rules"})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for r in results:
        path = display_path(r.constitution)
        suite = ET.SubElement(root, "testsuite", {"name": clean(path)})
        props = ET.SubElement(suite, "properties")
        for name, value in (("icb", r.icb), ("as_of", as_of.isoformat()), ("sha256", r.sha256),
                            ("tool", f"ics-rules {__version__}"),
                            *((f"ruleset.{rs.id}", f"{rs.version} sha256:{rs.sha256}")
                              for rs in rulesets)):
            ET.SubElement(props, "property", {"name": clean(name), "value": clean(value)})
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for f in r.findings:
            outcome = _case(suite, f, path)
            counts["tests"] += 1
            counts["failures"] += outcome == "fail"
            counts["skipped"] += outcome in SKIPPED
        out = list(r.notes) + [f"not assessed: {g.sentence}"
                               for g in not_assessed_groups(r.findings)]
        if out:
            ET.SubElement(suite, "system-out").text = clean("\n".join(out))
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        suite.set("time", "0")
        for k in totals:
            totals[k] += counts[k]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", "0")
    return root


def render(results: list[Any], rulesets: Any, as_of: Any, **_: Any) -> str:
    """JUnit XML text with an XML declaration and a final newline."""
    root = document(results, rulesets, as_of)
    ET.indent(root)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(root, encoding="unicode") + "\n")
