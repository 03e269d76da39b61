"""JUnit XML for CI test dashboards: one test suite per constitution, one test case per rule.

`fail` is a failure; `not_applicable`, `not_in_force`, `not_assessed` and `waived` are
skipped (with the reason; each suite's system-out also says what was not assessed and why);
`pass` passes. No timestamps or durations, so the same inputs give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
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


def _suite(r: Any, rulesets: Any, as_of: Any) -> tuple[ET.Element, dict[str, int]]:
    """The `<testsuite>` of one constitution and its counts."""
    path = display_path(r.constitution)
    suite = ET.Element("testsuite", {"name": clean(path)})
    props = ET.SubElement(suite, "properties")
    for name, value in (("icb", r.icb), ("as_of", as_of.isoformat()), ("sha256", r.sha256),
                        ("tool", f"ics-rules {__version__}"),
                        *((f"ruleset.{rs.id}", f"{rs.version} sha256:{rs.sha256}")
                          for rs in rulesets)):
        ET.SubElement(props, "property", {"name": clean(name), "value": clean(value)})
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for f in r.findings:
        outcome = _case(suite, f, path)
        counts["tests"] += 1
        counts["failures"] += outcome == "fail"
        counts["skipped"] += outcome in SKIPPED
    out = list(r.notes) + [f"not assessed: {g.sentence}"
                           for g in not_assessed_groups(r.findings)]
    if out:
        ET.SubElement(suite, "system-out").text = clean("\n".join(out))
    _set_counts(suite, counts)
    return suite, counts


def _error_suite(err: dict[str, Any]) -> ET.Element:
    """A file that could not be read: a suite with one test case in error."""
    path = display_path(err["path"])
    suite = ET.Element("testsuite", {"name": clean(path)})
    attrs = {"name": "load: the file can be read", "classname": clean(path),
             "file": clean(path), "time": "0"}
    if err.get("line"):
        attrs["line"] = str(err["line"])
    case = ET.SubElement(suite, "testcase", attrs)
    where = ":".join(str(x) for x in (path, err.get("line"), err.get("column")) if x)
    error = ET.SubElement(case, "error", {"message": clean(err["message"]),
                                          "type": "InputError"})
    error.text = clean(f"{where}: {err['message']}")
    _set_counts(suite, {"tests": 1, "failures": 0, "errors": 1, "skipped": 0})
    return suite


def _set_counts(element: ET.Element, counts: dict[str, int]) -> None:
    for key in ("tests", "failures", "errors", "skipped"):
        element.set(key, str(counts[key]))
    element.set("time", "0")


def _xml(suite: ET.Element) -> str:
    ET.indent(suite, space="  ", level=1)
    suite.tail = None
    return "  " + ET.tostring(suite, encoding="unicode") + "\n"


def stream(run: Any, rulesets: Any, as_of: Any, **_: Any) -> Iterator[str]:
    """JUnit XML: one suite per constitution, then one in error per file that could not be
    read. Suites are held in a temporary file until the totals for `<testsuites>` are known."""
    from . import Spool

    spool = Spool()
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    try:
        for r in run.results:
            suite, counts = _suite(r, rulesets, as_of)
            spool.write(_xml(suite))
            for k in totals:
                totals[k] += counts[k]
        for err in run.errors:
            spool.write(_xml(_error_suite(err)))
            totals["tests"] += 1
            totals["errors"] += 1
    except BaseException:
        spool.file.close()
        raise
    root = ET.Element("testsuites", {"name": "ics-rules"})
    _set_counts(root, totals)
    head = ET.tostring(root, encoding="unicode")
    empty = not totals["tests"] and not run.errors
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    if empty:
        yield head + "\n"
        spool.file.close()
        return
    yield head[:-3] + ">\n"  # `<testsuites ... />` opened
    yield from spool.replay()
    yield "</testsuites>\n"


def render(results: list[Any], rulesets: Any, as_of: Any, **_: Any) -> str:
    """JUnit XML text with an XML declaration and a final newline."""
    from . import joined

    return joined(stream, results, rulesets, as_of)
