"""SARIF 2.1.0 for code-scanning tools (GitHub code scanning and others): one run, every
rule in `tool.driver.rules` with its citation, one result per failed or waived finding with
a relative artifact URI and a region that always has a start line and column."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from ..evidence import not_assessed_groups
from ..version import __version__
from .assurance import display_path, topic_label

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """The file as a URI reference: relative to the working folder when it is inside it."""
    shown = display_path(path)
    if PurePosixPath(shown).is_absolute():
        return "file://" + quote(shown, safe="/")
    return quote(shown, safe="/")


def rule_descriptor(compiled: Any, ruleset: Any) -> dict[str, Any]:
    """`reportingDescriptor` of one rule: title, citation, help text, default level, tags."""
    rule = compiled.rule
    cites = []
    url = None
    for c in rule.cites:
        src = ruleset.ast.sources.get(c.source)
        cites.append(f"{src.title if src else c.source}, {c.pinpoint}")
        if url is None and src is not None and src.url:
            url = src.url
    lines = [f"{rule.title}.", "", f"Citation: {'; '.join(cites) or compiled.citation}"]
    md = [f"**{rule.title}**", "", f"Citation: {'; '.join(cites) or compiled.citation}"]
    if rule.unverified:
        lines.append(f"Pinpoint unverified: {rule.unverified}")
        md.append(f"_Pinpoint unverified_: {rule.unverified}")
    lines.append(f"Strength: {rule.strength} (ruleset {ruleset.id} {ruleset.version})")
    md.append(f"Strength: {rule.strength} (ruleset `{ruleset.id}` {ruleset.version})")
    if rule.note:
        lines.append(f"Note: {rule.note}")
        md.append(f"Note: {rule.note}")
    if rule.fix:
        lines.append(f"What to do: {rule.fix}")
        md.append(f"What to do: {rule.fix}")
    topic = rule.topic or "other"
    out: dict[str, Any] = {
        "id": rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": f"{rule.title} ({compiled.citation})"},
        "help": {"text": "\n".join(lines), "markdown": "\n\n".join(p for p in md if p)},
        "defaultConfiguration": {"level": LEVELS[compiled.severity]},
        "properties": {
            "tags": [rule.strength, topic, ruleset.id],
            "precision": "very-high",
            "problem.severity": compiled.severity,
            "strength": rule.strength,
            "area": topic_label(topic),
            "ruleset": ruleset.id,
            "citation": compiled.citation,
            "verified": rule.unverified is None,
        },
    }
    if url:
        out["helpUri"] = url
    return out


def _fingerprint(finding: Any, path: str) -> str:
    fact = finding.location.fact if finding.location is not None else ""
    key = "\0".join([finding.rule, path, fact or ""])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _result(finding: Any, result: Any, rule_index: dict[str, int],
            artifact_index: dict[str, int]) -> dict[str, Any]:
    loc = finding.location
    path = loc.path if loc is not None else result.constitution
    uri = artifact_uri(path)
    region = {"startLine": (loc.line if loc is not None and loc.line else 1),
              "startColumn": (loc.column if loc is not None and loc.column else 1)}
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}, "region": region}
    if uri in artifact_index:
        physical["artifactLocation"]["index"] = artifact_index[uri]
    location: dict[str, Any] = {"physicalLocation": physical}
    if loc is not None and loc.fact:
        location["logicalLocations"] = [{"fullyQualifiedName": loc.fact, "kind": "member"}]
    if loc is not None and loc.in_document:
        # A document has no lines: the clause, page and its words travel as the location's
        # message and properties.
        said = (loc.source_text() or loc.place()) + (f': "{loc.quote}"' if loc.quote else "")
        location["message"] = {"text": said}
        location["properties"] = loc.as_dict()
    text = f"{finding.message} [{finding.citation}]" if finding.citation else finding.message
    checks = [str(c.get("text", "")) for c in (finding.evidence or {}).get("checks", [])]
    out: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"icsRulesFinding/v1": _fingerprint(finding, uri)},
        "properties": {"icb": result.icb, "strength": finding.strength,
                       "outcome": finding.outcome, "evidence": checks},
    }
    if finding.basis is not None:
        out["properties"]["basis"] = finding.basis
    if finding.rule in rule_index:
        out["ruleIndex"] = rule_index[finding.rule]
    if finding.waiver is not None:
        out["properties"]["waiver"] = dict(finding.waiver)
        if finding.outcome == "waived":
            out["suppressions"] = [{
                "kind": "external", "status": "accepted",
                "justification": (f"{finding.waiver.get('justification', '')} (approved by "
                                  f"{finding.waiver.get('approved_by', '')}, expires "
                                  f"{finding.waiver.get('expires', '')})")}]
    return out


def _json(value: Any, indent: int) -> str:
    """`value` as indented JSON, nested `indent` spaces deep (JSON strings hold no raw
    newlines, so re-indenting line by line is safe)."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * indent)


def stream(run: Any, rulesets: Any, as_of: Any, **_: Any) -> Iterator[str]:
    """The SARIF log, one result at a time: every file checked in one run. Artifacts and
    the invocation (failed when any input could not be read, with a notification naming
    each one's file, line and column) follow the results, once known."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    for rs in rulesets:
        for cr in rs.rules:
            rule_index[cr.id] = len(rules)
            rules.append(rule_descriptor(cr, rs))
    tool = {"driver": {"name": "ics-rules", "version": __version__,
                       "semanticVersion": __version__, "rules": rules}}
    yield (f'{{\n  "$schema": {json.dumps(SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n'
           f'    {{\n      "tool": {_json(tool, 6)},\n      "results": [')
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    notifications: list[dict[str, Any]] = []
    not_assessed: list[dict[str, Any]] = []
    first = True
    for r in run.results:
        uri = artifact_uri(r.constitution)
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            artifacts.append({"location": {"uri": uri}, "hashes": {"sha-256": r.sha256},
                              "roles": ["analysisTarget"]})
        for f in r.findings:
            if f.outcome in ("fail", "waived"):
                item = _result(f, r, rule_index, artifact_index)
                yield ("\n" if first else ",\n") + "        " + _json(item, 8)
                first = False
        notifications.extend(
            {"level": "note", "message": {"text": note},
             "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}]}
            for note in r.notes)
        for g in not_assessed_groups(r.findings):
            notifications.append({"level": "note", "message": {"text": f"{r.icb}: {g.sentence}"},
                                  "descriptor": {"id": "not-assessed"},
                                  "locations": [{"physicalLocation": {
                                      "artifactLocation": {"uri": uri}}}]})
            not_assessed.append({"constitution": uri, "describes": list(r.describes),
                                 "reason": g.reason, "total": g.total,
                                 "byStrength": dict(g.counts), "message": g.sentence})
    for err in run.errors:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(err["path"])}}
        if err.get("line"):
            physical["region"] = {"startLine": err["line"],
                                  "startColumn": err.get("column") or 1}
        notifications.append({"level": "error",
                              "message": {"text": f"could not be read: {err['message']}"},
                              "locations": [{"physicalLocation": physical}]})
    invocation: dict[str, Any] = {"executionSuccessful": not run.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    properties: dict[str, Any] = {
        "asOf": as_of.isoformat(),
        "rulesets": [{"id": rs.id, "version": rs.version, "sha256": rs.sha256}
                     for rs in rulesets],
        "notAssessed": not_assessed}
    if run.skipped:
        properties["skipped"] = list(run.skipped)
    yield (("]" if first else "\n      ]") + f',\n      "artifacts": {_json(artifacts, 6)},'
           f'\n      "invocations": {_json([invocation], 6)},'
           f'\n      "columnKind": "unicodeCodePoints",'
           f'\n      "properties": {_json(properties, 6)}\n    }}\n  ]\n}}\n')


def render(results: list[Any], rulesets: Any, as_of: Any, **_: Any) -> str:
    """SARIF text with a final newline; every file checked in one run."""
    from . import joined

    return joined(stream, results, rulesets, as_of)
