"""`extract`, and `check` / `report` on documents: facts with provenance in YAML and JSON, the
same verdicts from a document as from the facts file extracted from it, findings that cite the
document's clause and quote it, the extra named when it is missing, inputs never overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, run_cli

pytest.importorskip("lxml")
pytest.importorskip("rapidfuzz")
pytest.importorskip("ics_rules.documents.facts")

from tools.docwriter import write_docx
from tools.make_example_docx import BLOCKS

EXAMPLE_DOCX = ROOT / "constitutions" / "example.docx"
DAY = "2026-01-01"


def _outcomes(proc_stdout: str) -> dict[str, str]:
    data = json.loads(proc_stdout)
    return {f["rule"]: f["outcome"] for r in data["results"] for f in r["findings"]}


def test_bundled_example_docx_is_what_the_script_writes(tmp_path: Path) -> None:
    fresh = tmp_path / "example.docx"
    write_docx(BLOCKS, fresh, header="NHS Example ICB Constitution, version 1.2",
               footer="Example document for ics-rules; not a real constitution")
    assert fresh.read_bytes() == EXAMPLE_DOCX.read_bytes(), \
        "constitutions/example.docx is stale: run python tools/make_example_docx.py"


def test_extract_yaml_loads_with_provenance_and_checks_like_the_document(tmp_path: Path) -> None:
    out = tmp_path / "facts.yaml"
    proc = run_cli("extract", str(EXAMPLE_DOCX), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "facts read" in proc.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Facts read from")
    assert "# warning: the document has tracked changes" in text
    data = yaml.safe_load(text)
    assert data["schema"] == "ics-constitution/1"
    assert data["icb"]["name"] == "NHS Example Integrated Care Board"
    prov = data["provenance"]
    assert prov["document"] == str(EXAMPLE_DOCX) and prov["reader"] == "docx"
    name = prov["facts"]["icb.name"]
    assert name["clause"] == "1.2.1" and "NHS Example Integrated Care Board" in name["quote"]
    # A person sees the same provenance as a comment beside the fact.
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("name: NHS Example"))
    assert "# clause 1.2.1" in line
    from ics_rules.loader import load_constitution

    c = load_constitution(out)
    assert c.document == str(EXAMPLE_DOCX)
    assert c.provenance[("icb", "name")].clause == "1.2.1"
    via_file = run_cli("check", str(out), "--format", "json", "--as-of", DAY)
    via_doc = run_cli("check", str(EXAMPLE_DOCX), "--format", "json", "--as-of", DAY)
    assert via_doc.returncode == via_file.returncode == 0  # the example passes what it states
    assert _outcomes(via_doc.stdout) == _outcomes(via_file.stdout)


def test_extract_json_shape() -> None:
    proc = run_cli("extract", str(EXAMPLE_DOCX), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"facts", "not_found", "warnings"}
    fact = next(f for f in data["facts"] if f["path"] == "icb.name")
    assert {"path", "value", "clause", "page", "quote", "confidence", "method"} <= set(fact)
    assert fact["value"] == "NHS Example Integrated Care Board" and fact["clause"] == "1.2.1"
    assert any("tracked changes" in w for w in data["warnings"])


def test_extract_never_overwrites_the_input(tmp_path: Path) -> None:
    doc = tmp_path / "c.docx"
    shutil.copy(EXAMPLE_DOCX, doc)
    before = doc.read_bytes()
    proc = run_cli("extract", str(doc), "-o", str(doc))
    assert proc.returncode == 2 and "refusing to write the output over an input" in proc.stderr
    assert doc.read_bytes() == before
    proc = run_cli("extract", str(ROOT / "constitutions" / "example.yaml"))
    assert proc.returncode == 2 and "not a document" in proc.stderr


def test_changes_original_reads_before_the_tracked_change() -> None:
    accepted = json.loads(run_cli("extract", str(EXAMPLE_DOCX), "--format", "json").stdout)
    original = json.loads(run_cli("extract", str(EXAMPLE_DOCX), "--format", "json",
                                  "--changes", "original").stdout)

    def neds(data: dict) -> list[str]:
        return [f["path"] for f in data["facts"] if f["value"] == "non_executive"]

    assert len(neds(accepted)) == 3 and len(neds(original)) == 2
    assert any("before them" in w for w in original["warnings"])


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    blocks = [(b[0], b[1], new if b[2] == old else b[2]) if b[0] == "clause" else b
              for b in BLOCKS]
    assert blocks != BLOCKS, old
    path = tmp_path / "variant.docx"
    write_docx(blocks, path)
    return path


def test_a_drafting_mistake_fails_citing_its_clause_and_words(tmp_path: Path) -> None:
    doc = _variant(tmp_path, "The Chair is appointed by NHS England with the approval of the "
                             "Secretary of State.", "The Chair is appointed by the board.")
    proc = run_cli("check", str(doc), "--ruleset", "nhs-act-2006-sch1b", "--as-of", DAY)
    assert proc.returncode == 1
    line = next(ln for ln in proc.stdout.splitlines() if " SCH1B-5:" in ln)
    assert line.startswith(f"{doc}: clause 3.3.1 (para. ") and ": error SCH1B-5:" in line
    assert 'clause text: "The Chair is appointed by the board."' in proc.stdout
    sarif = json.loads(run_cli("check", str(doc), "--format", "sarif", "--as-of", DAY).stdout)
    import jsonschema

    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    result = next(r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SCH1B-5")
    where = result["locations"][0]
    assert where["properties"]["clause"] == "3.3.1"
    assert "The Chair is appointed by the board." in where["message"]["text"]
    md = run_cli("check", str(doc), "--format", "markdown", "--as-of", DAY).stdout
    assert "clause 3.3.1 (para." in md.replace("\u2060", "")  # word joiners stop autolinks
    report = tmp_path / "r.html"
    assert run_cli("report", str(doc), "-o", str(report), "--as-of", DAY).returncode == 0
    html = report.read_text(encoding="utf-8")
    assert "clause 3.3.1" in html and "The Chair is appointed by the board." in html


def test_a_document_that_is_not_a_constitution_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "minutes.docx"
    write_docx([("heading", "Minutes"), ("para", "The meeting opened at ten.")], doc)
    proc = run_cli("check", str(doc))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{doc}: error: no integrated care board name found" in proc.stderr


def test_folder_mode_reads_only_constitution_files(tmp_path: Path) -> None:
    shutil.copy(EXAMPLE_DOCX, tmp_path / "c.docx")
    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 2 and "no constitution files" in proc.stderr
    shutil.copy(ROOT / "constitutions" / "example.yaml", tmp_path / "c.yaml")
    proc = run_cli("check", str(tmp_path), "--format", "json", "--as-of", DAY)
    paths = [r["constitution"] for r in json.loads(proc.stdout)["results"]]
    assert paths == [str(tmp_path / "c.yaml")]


@pytest.mark.parametrize("module", ["lxml", "rapidfuzz", "pypdfium2"])
def test_missing_extra_is_named(module: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    doc = EXAMPLE_DOCX
    if module == "pypdfium2":
        doc = tmp_path / "c.pdf"
        doc.write_bytes(b"%PDF-1.4\n")
    probe = (f"import sys\nsys.modules[{module!r}] = None\n"
             f"sys.argv = ['ics-rules', 'check', {str(doc)!r}]\n"
             "from ics_rules.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert f"needs the '{module}' package" in proc.stderr
    assert "pip install 'ics-rules[documents]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_provenance_map_errors_are_located() -> None:
    from ics_rules.errors import InputError
    from ics_rules.loader import parse_constitution

    base = "schema: ics-constitution/1\nicb:\n  name: X ICB\nprovenance:\n  document: x.docx\n"
    c = parse_constitution(base + "  facts:\n    icb.name: {clause: '1.2', confidence: 0.5}\n")
    loc = c.locate(("icb", "name"))
    assert loc.line == 3 and loc.clause == "1.2" and loc.low_confidence
    assert loc.source_text() == "x.docx clause 1.2 (low confidence 0.50)"
    for bad, words in (("  facts:\n    icb.name: {clause: '1', colour: red}\n", "colour"),
                       ("  facts:\n    'icb..name': {clause: '1'}\n", "not a fact path"),
                       ("  facts:\n    icb.name: {confidence: 3}\n", "between 0 and 1"),
                       ("  sidecar: true\n", "unknown provenance key")):
        with pytest.raises(InputError) as info:
            parse_constitution(base + bad, "f.yaml")
        assert words in info.value.render() and info.value.line is not None, bad


@pytest.mark.parametrize("text", ["yes", "null", "a: b", "#x", "x #y", "line\u2028break",
                                  "tab\there", "quote\"s", "ünïcödé", "trailing ", "1.5",
                                  "é\x85", "2022-07-01"])
def test_yaml_scalars_read_back_exactly(text: str) -> None:
    from ics_rules.documents.output import scalar

    assert yaml.safe_load(f"k: {scalar(text)}\n")["k"] == text
