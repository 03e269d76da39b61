"""The command line as users run it: exit codes, output formats, options, waivers, safety."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import EXAMPLE, ROOT, run_cli


def broken_copy(tmp_path: Path, old: str, new: str, name: str = "broken.yaml") -> Path:
    text = EXAMPLE.read_text()
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1))
    return target


def test_compliant_example_exits_0() -> None:
    proc = run_cli("check", str(EXAMPLE))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "OK NHS Example Integrated Care Board" in proc.stdout


def test_broken_file_exits_1_and_names_rule_and_line(tmp_path: Path) -> None:
    bad = broken_copy(tmp_path, "      removable_by: nhs_england\n", "      removable_by: board\n")
    proc = run_cli("check", str(bad), "--ruleset", "nhs-act-2006-sch1b")
    assert proc.returncode == 1
    line = next(ln for ln in proc.stdout.splitlines() if "SCH1B-6" in ln)
    expected_line = next(i for i, ln in enumerate(bad.read_text().splitlines(), 1)
                         if "removable_by: board" in ln)
    assert line.startswith(f"{bad}:{expected_line}:7: error SCH1B-6: ")
    assert "cite: NHS Act 2006, Sch. 1B, para. 6" in proc.stdout


def test_json_output_has_contract_keys(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    proc = run_cli("check", str(EXAMPLE), "--format", "json", "-o", str(out),
                   "--as-of", "2026-11-22")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(out.read_text())
    assert doc["tool"]["name"] == "ics-rules"
    assert doc["as_of"] == "2026-11-22"
    assert {"id", "version", "sha256"} <= set(doc["rulesets"][0])
    result = doc["results"][0]
    assert set(result) >= {"constitution", "sha256", "icb", "summary", "findings"}
    assert set(result["summary"]) == {"pass", "fail", "not_applicable", "not_in_force", "waived",
                                      "not_assessed"}
    finding = result["findings"][0]
    assert set(finding) >= {"rule", "title", "outcome", "severity", "strength", "citation",
                            "message", "basis", "evidence", "location"}
    again = tmp_path / "r2.json"
    run_cli("check", str(EXAMPLE), "--format", "json", "-o", str(again), "--as-of", "2026-11-22")
    assert again.read_bytes() == out.read_bytes()


def test_as_of_before_icbs_reports_not_in_force() -> None:
    proc = run_cli("check", str(EXAMPLE), "--as-of", "2022-06-30", "--ruleset",
                   "nhs-act-2006-sch1b", "--format", "json")
    doc = json.loads(proc.stdout)
    outcomes = {f["outcome"] for f in doc["results"][0]["findings"]}
    assert outcomes == {"not_in_force"}


def test_fail_on_levels(tmp_path: Path) -> None:
    bad = broken_copy(tmp_path, "  skills_review: true\n", "  skills_review: false\n")
    args = ("check", str(bad), "--ruleset", "nhs-act-2006-sch1b")
    assert run_cli(*args).returncode == 0  # HCA22-SKILLS is guidance: a warning
    assert run_cli(*args, "--fail-on", "warning").returncode == 1
    assert run_cli(*args, "--fail-on", "never").returncode == 0


@pytest.mark.parametrize(("args", "words"), [
    (("check", "no-such-file.yaml"), "no such file"),
    (("check", "constitutions/example.yaml", "--as-of", "2022-13-40"), "is not a date"),
    (("check", "constitutions/example.yaml", "--ruleset", "nhs-act"), "unknown ruleset"),
    (("check", "constitutions/example.yaml", "--format", "xml"), "Invalid value"),
    (("rules", "show", "SCH1B-55"), "no rule 'SCH1B-55'"),
])
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...], words: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert words in proc.stderr
    assert "Traceback" not in proc.stderr


def test_output_never_overwrites_the_input(tmp_path: Path) -> None:
    target = tmp_path / "c.yaml"
    target.write_text(EXAMPLE.read_text())
    before = target.read_bytes()
    proc = run_cli("check", str(target), "--format", "json", "-o", str(target))
    assert proc.returncode == 2
    assert "refusing to write the output over an input file" in proc.stderr
    assert target.read_bytes() == before


def test_directory_check_skips_non_constitution_yaml(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / "waivers.yaml").write_text("waivers: []\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_text("schema: ics-constitution/1\n")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert [r["constitution"] for r in doc["results"]] == [str(tmp_path / "c.yaml")]


def test_waivers_apply_expire_and_refuse_statutory(tmp_path: Path) -> None:
    bad = broken_copy(tmp_path, "  skills_review: true\n", "  skills_review: false\n")
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(f"""waivers:
  - rule: HCA22-SKILLS
    constitution: {bad.name}
    justification: Skills review scheduled for the spring board development session.
    approved_by: Board Secretary
    expires: 2027-03-31
""")
    base = ("check", str(bad), "--ruleset", "nhs-act-2006-sch1b", "--fail-on", "warning",
            "--waivers", str(waivers), "--format", "json")
    proc = run_cli(*base, "--as-of", "2026-11-22")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    f = next(x for x in json.loads(proc.stdout)["results"][0]["findings"]
             if x["rule"] == "HCA22-SKILLS")
    assert f["outcome"] == "waived" and f["waiver"]["approved_by"] == "Board Secretary"
    proc = run_cli(*base, "--as-of", "2027-04-01")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)["results"][0]
    assert any("expired on 2027-03-31" in n for n in doc["notes"])
    waivers.write_text(waivers.read_text().replace("HCA22-SKILLS", "SCH1B-5"))
    proc = run_cli(*base)
    assert proc.returncode == 2
    assert "statutory and cannot be waived" in proc.stderr
    waivers.write_text(waivers.read_text().replace("SCH1B-5", "SCH1B-55"))
    proc = run_cli(*base)
    assert proc.returncode == 2 and "unknown rule 'SCH1B-55'" in proc.stderr


def test_rules_list_show_lint_test(tmp_path: Path) -> None:
    proc = run_cli("rules", "list", "--format", "json")
    rows = json.loads(proc.stdout)
    assert {"id", "ruleset", "strength", "evidence", "from", "until", "citation",
            "title"} <= set(rows[0])
    assert {r["id"]: r["evidence"] for r in rows}["LGPIHA07-116ZB-1"] == "system"
    proc = run_cli("rules", "show", "SCH1B-5")
    assert proc.returncode == 0
    assert "evidence:  constitution" in proc.stdout
    assert "NHS Act 2006, Sch. 1B, para. 5" in proc.stdout and "tests (" in proc.stdout
    proc = run_cli("rules", "lint", *[str(p) for p in (ROOT / "rulesets").glob("*.rules")])
    assert proc.returncode == 0, proc.stderr
    bad = tmp_path / "bad.rules"
    bad.write_text('ruleset bad "Bad"\n  source s "S"\nrule B-1 "t"\n  cite s "p"\n'
                   "  strength policy\n  evidence constitution\n  require board.membres\n")
    proc = run_cli("rules", "lint", str(bad))
    assert proc.returncode == 2
    assert f"{bad}:7:" in proc.stderr and "did you mean 'members'" in proc.stderr


def test_rules_test_reports_rule_without_cases(tmp_path: Path) -> None:
    rules = tmp_path / "local.rules"
    rules.write_text('ruleset local "Local"\n  source s "S"\nrule LOCAL-1 "t"\n  cite s "p"\n'
                     "  strength policy\n  evidence constitution\n"
                     "  require exists(committees)\n")
    proc = run_cli("rules", "test", str(rules))
    assert proc.returncode == 1
    assert "LOCAL-1: no test case" in proc.stdout
    (tmp_path / "local.tests.yaml").write_text("""cases:
  LOCAL-1:
    pass: [{name: example has committees}]
    fail: [{name: no committees, remove: ["places[exampleshire].committee", committees]}]
""")
    proc = run_cli("rules", "test", str(rules))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.strip().endswith("2 passed, 0 failed")


def test_local_ruleset_with_check(tmp_path: Path) -> None:
    rules = tmp_path / "local.rules"
    rules.write_text('ruleset local "Local"\n  source s "S"\n'
                     'rule LOCAL-1 "Quality committee"\n  cite s "p"\n  strength policy\n'
                     '  evidence constitution\n'
                     '  require exists(committees[type = quality])\n'
                     '  message "no quality committee"\n')
    proc = run_cli("check", str(EXAMPLE), "--ruleset", str(rules))
    assert proc.returncode == 1
    assert "LOCAL-1: no quality committee" in proc.stdout


def test_schema_and_init(tmp_path: Path) -> None:
    proc = run_cli("schema")
    schema = json.loads(proc.stdout)
    assert schema["title"] == "ics-constitution/1"
    import jsonschema
    import yaml

    jsonschema.validate(json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()),
                                              default=str)), schema)
    target = tmp_path / "mine.yaml"
    assert run_cli("init", "--example", "-o", str(target)).returncode == 0
    proc = run_cli("check", str(target), "--ruleset", "nhs-act-2006-sch1b")
    assert proc.returncode == 0
    again = run_cli("init", "-o", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_colour_only_when_asked() -> None:
    plain = run_cli("check", str(EXAMPLE))
    assert "\x1b[" not in plain.stdout
    coloured = run_cli("check", str(EXAMPLE), "--color")
    assert "\x1b[" in coloured.stdout


def test_python_api() -> None:
    import datetime

    import ics_rules

    c = ics_rules.load_constitution(EXAMPLE)
    rs = ics_rules.load_rulesets(["nhs-act-2006-sch1b"])
    result = ics_rules.evaluate(c, rs, as_of=datetime.date(2026, 11, 22))
    assert result.summary["fail"] == 0
    with pytest.raises(ics_rules.InputError):
        ics_rules.load_constitution(ROOT / "tests" / "hostile" / "bad_enum.yaml")


def test_output_to_a_device_writes_through_and_new_files_get_usual_mode(tmp_path: Path) -> None:
    import os
    import stat

    proc = run_cli("check", str(EXAMPLE), "--format", "json", "-o", os.devnull)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    out = tmp_path / "r.json"
    run_cli("check", str(EXAMPLE), "--format", "json", "-o", str(out))
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask
    out.chmod(0o640)
    run_cli("check", str(EXAMPLE), "--format", "json", "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_json_streams_the_same_bytes_for_many_files(tmp_path: Path) -> None:
    import datetime

    from ics_rules import evaluate, load_constitution, load_rulesets
    from ics_rules.report.json_report import render, render_chunks

    rs = load_rulesets()
    day = datetime.date(2026, 1, 1)
    results = [evaluate(load_constitution(p), rs, day)
               for p in (EXAMPLE, ROOT / "constitutions" / "broken" / "draft-name-only.yaml")]
    for subset in ([], results[:1], results):
        assert "".join(render_chunks(iter(subset), rs, day)) == render(subset, rs, day)
    for i in range(3):
        (tmp_path / f"c{i}.yaml").write_text(EXAMPLE.read_text())
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode == 0
    assert len(json.loads(proc.stdout)["results"]) == 3
