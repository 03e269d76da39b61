"""What a file describes, `not_assessed`, and the basis of a failure (silent or contradicts).

A rule whose evidence (constitution, icb, system) lies outside what the file describes is not
assessed, never failed, and every output format says how many and why; a failure says whether
the constitution is silent on the deciding fact or states something the rule rules out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ics_rules.engine import evaluate
from ics_rules.evidence import default_describes, describes, not_assessed_groups, parse_describes
from ics_rules.loader import parse_constitution

from .conftest import AS_OF, EXAMPLE, ROOT, run_cli

REAL = sorted((ROOT / "constitutions" / "real").glob("*.yaml"))
OWN = ("schema", "icb", "board", "committees", "governance")
ALL = ("constitution", "icb", "system")
PARTNERSHIP = ("the file does not describe the wider system (integrated care partnership): "
               "8 statutory requirements")


def own_sections(path: Path) -> dict[str, Any]:
    """A file reduced to the ICB's own sections: what its constitution states, nothing else."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k in OWN}


def load(data: dict[str, Any], name: str = "board-only.yaml") -> Any:
    return parse_constitution(yaml.safe_dump(data, sort_keys=False), name)


def outcome(result: Any, rule: str) -> Any:
    return next(f for f in result.findings if f.rule == rule)


@pytest.fixture(scope="module")
def board_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compliant example reduced to its own sections, as a file."""
    path = tmp_path_factory.mktemp("evidence") / "board-only.yaml"
    path.write_text(yaml.safe_dump(own_sections(EXAMPLE), sort_keys=False), encoding="utf-8")
    return path


# ---------------------------------------------------------------- describes


def test_default_describes_follows_the_sections_held() -> None:
    assert default_describes({"schema": "x", "icb": {}, "board": {}, "committees": [],
                              "governance": {}}) == ("constitution",)
    assert default_describes({"schema": "x", "icb": {}, "partnership": {}}) == ALL
    assert default_describes({"schema": "x", "icb": {}, "plans": {}}) == ALL
    # a section present but empty (null) holds nothing
    assert default_describes({"schema": "x", "icb": {}, "places": None}) == ("constitution",)


def test_describes_comes_from_option_then_file_then_default() -> None:
    data = {"schema": "x", "icb": {}, "describes": ["icb", "constitution"]}
    assert describes(data) == (("constitution", "icb"), "file")
    assert describes(data, ("system",)) == (("system",), "option")
    assert describes({"icb": {}}) == (("constitution",), "default")
    assert parse_describes(" system, constitution ") == ("constitution", "system")
    with pytest.raises(ValueError, match=r"'sytem' is not one of .*did you mean 'system'"):
        parse_describes("constitution,sytem")
    with pytest.raises(ValueError):
        parse_describes(" , ")


def test_describes_field_is_validated() -> None:
    from ics_rules.errors import InputError

    for bad in ("describes: []", "describes: [partnership]", "describes: constitution"):
        with pytest.raises(InputError):
            parse_constitution(f"schema: ics-constitution/1\n{bad}\nicb: {{name: X}}\n", "x.yaml")
    c = parse_constitution("schema: ics-constitution/1\ndescribes: [system, icb]\n"
                           "icb: {name: X}\n", "x.yaml")
    assert c.data["describes"] == ["system", "icb"]


def test_rules_outside_what_is_described_are_not_assessed_never_failed(rulesets: Any) -> None:
    c = load(own_sections(EXAMPLE))
    result = evaluate(c, rulesets, AS_OF)
    assert result.describes == ("constitution",) and result.describes_source == "default"
    for f in result.findings:
        rule = rulesets.rule(f.rule).rule
        if rule.evidence != "constitution" and f.outcome != "not_in_force":
            assert f.outcome == "not_assessed", f
            assert f.message.startswith("not assessed: the file does not describe ")
    assert not [f.rule for f in result.findings if f.outcome == "fail"]
    assert result.summary["not_assessed"] == sum(g.total for g in
                                                 not_assessed_groups(result.findings))
    sentences = [g.sentence for g in not_assessed_groups(result.findings)]
    assert any(s.startswith(PARTNERSHIP) for s in sentences), sentences
    # the same facts, the system described: assessed, and failing for want of the facts
    wider = evaluate(c, rulesets, AS_OF, describes=ALL)
    assert wider.summary["not_assessed"] == 0
    icp = [f for f in wider.findings if f.rule.startswith("LGPIHA07-") and f.outcome != "pass"]
    assert icp and all(f.outcome == "fail" and f.basis == "silent" for f in icp)


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_board_only_real_icb_passes_every_statutory_rule_it_is_assessed_on(
        path: Path, rulesets: Any) -> None:
    """Each real ICB's own sections as its constitution states them (no fact assumed for a
    duty outside the constitution): no statutory error; the partnership is listed as not
    assessed; described as a whole system, the same facts are assessed on the partnership."""
    data = own_sections(path)
    result = evaluate(load(data, path.name), rulesets, AS_OF)
    statutory = [f for f in result.findings if f.strength == "statutory" and f.outcome == "fail"]
    assert not statutory, "\n".join(f"{f.rule}: {f.message}" for f in statutory)
    assessed = {f.rule for f in result.findings if f.outcome in ("pass", "fail")}
    assert {r.id for r in rulesets.rules() if r.rule.evidence == "constitution"
            and r.rule.strength == "statutory"} <= assessed | {
        f.rule for f in result.findings if f.outcome in ("not_applicable", "not_in_force")}
    groups = [g.sentence for g in not_assessed_groups(result.findings)]
    assert any(s.startswith(PARTNERSHIP) for s in groups), groups
    wider = evaluate(load({**data, "describes": list(ALL)}, path.name), rulesets, AS_OF)
    assert wider.summary["not_assessed"] == 0
    failing = {f.rule for f in wider.findings if f.outcome == "fail"}
    assert {"LGPIHA07-116ZA-1", "LGPIHA07-116ZB-1"} <= failing


# ---------------------------------------------------------------- basis


def _with_audit_chair(chair: str | None) -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    audit = next(c for c in data["committees"] if c.get("type") == "audit")
    if chair is None:
        audit.pop("chair", None)
    else:
        audit["chair"] = chair
    return data


def test_silence_and_contradiction_have_different_bases(rulesets: Any) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    chair_id = next(m["id"] for m in data["board"]["members"] if m["role"] == "chair")
    silent = outcome(evaluate(load(_with_audit_chair(None)), rulesets, AS_OF),
                     "NHSE22-AUDIT-CHAIR")
    contra = outcome(evaluate(load(_with_audit_chair(chair_id)), rulesets, AS_OF),
                     "NHSE22-AUDIT-CHAIR")
    assert (silent.outcome, silent.basis) == ("fail", "silent")
    assert (contra.outcome, contra.basis) == ("fail", "contradicts")


def test_chair_removal_power_given_to_the_board_contradicts(rulesets: Any) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    chair = next(m for m in data["board"]["members"] if m["role"] == "chair")
    chair["removable_by"] = "board"
    found = outcome(evaluate(load(data), rulesets, AS_OF), "SCH1B-6")
    assert (found.outcome, found.basis) == ("fail", "contradicts")


def test_unknown_alternative_is_silent_and_passing_findings_have_no_basis(rulesets: Any) -> None:
    data = own_sections(EXAMPLE)
    del data["icb"]["area"]
    result = evaluate(load(data), rulesets, AS_OF)
    found = outcome(result, "SCH1B-2-b")  # neither alternative stated: silent, not a breach
    assert (found.outcome, found.basis) == ("fail", "silent")
    data["icb"]["area"] = {"local_authorities": []}  # states an area of no councils
    found = outcome(evaluate(load(data), rulesets, AS_OF), "SCH1B-2-b")
    assert (found.outcome, found.basis) == ("fail", "contradicts")
    assert all(f.basis is None for f in result.findings if f.outcome != "fail")


# ---------------------------------------------------------------- every format


@pytest.fixture(scope="module")
def contradicting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Own sections only, with the ICB chair chairing the audit committee (a contradiction)."""
    data = _with_audit_chair(None)
    chair_id = next(m["id"] for m in data["board"]["members"] if m["role"] == "chair")
    data = {k: v for k, v in _with_audit_chair(chair_id).items() if k in OWN}
    path = tmp_path_factory.mktemp("evidence") / "contradicting.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_text_says_what_was_not_assessed_and_the_basis(contradicting: Path) -> None:
    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01")
    assert proc.returncode == 1, proc.stderr
    assert "not assessed: " + PARTNERSHIP in proc.stdout
    assert "describes the constitution (default: the file holds only the ICB's own" in proc.stdout
    assert "basis: contradicts" in proc.stdout
    summary = next(line for line in proc.stdout.splitlines()
                   if line.startswith(f"{contradicting}: FAIL "))
    assert summary.endswith(" not assessed")
    quiet = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "-q")
    assert "not assessed: " + PARTNERSHIP in quiet.stdout


def test_describes_option_overrides_the_file(contradicting: Path) -> None:
    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "--format", "json",
                   "--describes", "constitution,icb,system")
    doc = json.loads(proc.stdout)
    result = doc["results"][0]
    assert result["summary"]["not_assessed"] == 0 and result["not_assessed"] == []
    assert result["describes"] == list(ALL) and result["describes_source"] == "option"
    bad = run_cli("check", str(contradicting), "--describes", "constitution,partnership")
    assert bad.returncode == 2 and "'partnership' is not one of" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_json_counts_not_assessed_and_carries_basis(contradicting: Path) -> None:
    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "--format", "json")
    result = json.loads(proc.stdout)["results"][0]
    assert result["summary"]["not_assessed"] > 0
    assert any(g["message"].startswith(PARTNERSHIP) and g["by_strength"]["statutory"] == 8
               for g in result["not_assessed"])
    assert result["describes"] == ["constitution"] and result["describes_source"] == "default"
    audit = next(f for f in result["findings"] if f["rule"] == "NHSE22-AUDIT-CHAIR")
    assert audit["outcome"] == "fail" and audit["basis"] == "contradicts"
    assert all(f["basis"] in ("silent", "contradicts") for f in result["findings"]
               if f["outcome"] == "fail")


def test_sarif_has_basis_and_not_assessed(contradicting: Path) -> None:
    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "--format", "sarif")
    run = json.loads(proc.stdout)["runs"][0]
    audit = next(r for r in run["results"] if r["ruleId"] == "NHSE22-AUDIT-CHAIR")
    assert audit["properties"]["basis"] == "contradicts"
    assert any(g["message"].startswith(PARTNERSHIP) for g in run["properties"]["notAssessed"])
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any(PARTNERSHIP in n for n in notes)
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in cls(schema).iter_errors(
        json.loads(proc.stdout))]
    assert not errors, errors[:5]


def test_junit_skips_not_assessed_with_reason(contradicting: Path) -> None:
    import xml.etree.ElementTree as ET

    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "--format", "junit")
    root = ET.fromstring(proc.stdout)
    case = next(c for c in root.iter("testcase") if c.get("name", "").startswith(
        "LGPIHA07-116ZB-1:"))
    skipped = case.find("skipped")
    assert skipped is not None and skipped.get("message", "").startswith("not assessed: ")
    out = root.find("testsuite/system-out")
    assert out is not None and PARTNERSHIP in (out.text or "")
    failure = next(c for c in root.iter("testcase") if c.get("name", "").startswith(
        "NHSE22-AUDIT-CHAIR:")).find("failure")
    assert failure is not None and "basis: contradicts" in (failure.text or "")


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_check_markdown_and_html_say_not_assessed_and_basis(fmt: str,
                                                            contradicting: Path) -> None:
    proc = run_cli("check", str(contradicting), "--as-of", "2026-01-01", "--format", fmt)
    text = proc.stdout.replace("\u2060", "")
    assert PARTNERSHIP in text
    assert "Not assessed" in text and "contradicts" in text


@pytest.mark.parametrize("ext", ["md", "html", "json"])
def test_reports_say_not_assessed_and_basis(ext: str, contradicting: Path,
                                            tmp_path: Path) -> None:
    out = tmp_path / f"r.{ext}"
    proc = run_cli("report", str(contradicting), "-o", str(out), "--as-of", "2026-01-01")
    assert proc.returncode == 0, proc.stderr
    # (Markdown output puts word joiners where a colon could start an autolink)
    text = out.read_text(encoding="utf-8").replace("\u2060", "")
    assert "contradicts" in text
    if ext == "json":
        assert PARTNERSHIP in text
        return
    # a sentence per kind of document not described, and a row per area with its counts
    assert "the file does not describe the wider system: " in text
    row = {"md": "| the wider system | integrated care partnership | 8 |",
           "html": '<td>the wider system</td><td>integrated care partnership</td>'
                   '<td class="num">8</td>'}[ext]
    assert row in text
    assert "not assessed" in text.lower() and "silent" in text


def test_pdf_report_says_not_assessed_and_basis(contradicting: Path, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    pdfium = pytest.importorskip("pypdfium2")  # the documents extra's PDF text reader
    out = tmp_path / "r.pdf"
    proc = run_cli("report", str(contradicting), "-o", str(out), "--as-of", "2026-01-01")
    if proc.returncode != 0 and "WeasyPrint" in proc.stderr:
        pytest.skip("WeasyPrint's system libraries are missing")
    pdf = pdfium.PdfDocument(str(out))
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in pdf).split())
    assert "not assessed" in text.lower()
    assert "the file does not describe the wider system: " in text
    assert "integrated care partnership" in text
    assert "contradicts" in text


# ---------------------------------------------------------------- the legal audit

AUDIT = next((p for p in (ROOT.parent / "shared" / "docs" / "legal-audit.md",
                          ROOT.parent.parent / "shared" / "docs" / "legal-audit.md")
              if p.exists()), None)
# The audit's kinds: 1 the constitution must say it, 2 a duty on the ICB, 3 on another body.
# A duty shared with other bodies ("2/3", "2 (+3: partner trusts)") is a joint one: system.
KINDS = {"1": {"constitution"}, "2": {"icb"}, "3": {"system"}, "2/3": {"system"},
         "2 (+3": {"system"}, "2 (recital": {"icb"}}


@pytest.mark.skipif(AUDIT is None, reason="the shared legal audit is not beside the repo")
def test_statutory_rules_follow_the_legal_audits_classification(rulesets: Any) -> None:
    assert AUDIT is not None
    rows = [line.split("|") for line in AUDIT.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and line.count("|") >= 8]
    checked = 0
    for cells in rows:
        rule_id, kind = cells[1].strip(), cells[6].strip()
        found = rulesets.rule(rule_id)
        if found is None:
            continue
        want = next((v for k, v in sorted(KINDS.items(), key=lambda kv: -len(kv[0]))
                     if kind.startswith(k)), None)
        assert want is not None, f"{rule_id}: unknown kind {kind!r} in the audit"
        assert found.rule.evidence in want, f"{rule_id}: audit kind {kind}, " \
                                            f"rule says {found.rule.evidence}"
        checked += 1
    assert checked >= 40


def test_describes_option_reaches_every_worker(board_only: Path,
                                               tmp_path: Path) -> None:
    """`--describes` applies to every file of a folder, whether checked in one process or in
    several (`--jobs`), and to each report `report DIR` writes."""
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20):
        (folder / f"c{i:02}.yaml").write_text(board_only.read_text(encoding="utf-8"))
    for jobs in ("1", "2"):
        proc = run_cli("check", str(folder), "--as-of", "2026-01-01", "--format", "json",
                       "--jobs", jobs, "--describes", "constitution,icb,system")
        results = json.loads(proc.stdout)["results"]
        assert len(results) == 20
        assert all(r["summary"]["not_assessed"] == 0 for r in results), jobs
    out = tmp_path / "reports"
    proc = run_cli("report", str(folder), "-o", str(out), "--format", "json", "--jobs", "2",
                   "--as-of", "2026-01-01", "--describes", "constitution")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((out / "c00.json").read_text(encoding="utf-8"))
    assert doc["results"][0]["describes_source"] == "option"


def test_rule_cases_can_expect_not_assessed(rulesets: Any, tmp_path: Path) -> None:
    from ics_rules.ruletests import read_cases, run_cases

    path = tmp_path / "t.tests.yaml"
    path.write_text("ruleset: nhs-act-2006-sch1b\nas_of: 2026-01-01\ncases:\n"
                    "  LGPIHA07-116ZB-1:\n    not_assessed:\n"
                    "      - {name: constitution only, set: {describes: [constitution]}}\n"
                    "      - {name: the system described, set: {describes: [system]}}\n")
    report = run_cases(rulesets, read_cases(path))
    assert [r.ok for r in report.results] == [True, False]
    assert report.results[1].outcome == "pass"
