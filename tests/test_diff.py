"""`diff`: each broken example against the compliant one names exactly the facts its mistake
changed (checked against a line diff of the two files) and the rules it breaks; a file
against itself reports nothing; reordering changes nothing; every format; `--git`."""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from ics_rules.diff import Diff, classify, compare
from ics_rules.loader import LoadedConstitution, load_constitution, parse_constitution

from .conftest import AS_OF, EXAMPLE, ROOT, run_cli
from .test_examples import BROKEN, declared_breaks

GIT = shutil.which("git")
_COMMENT = re.compile(r"\s+#.*$|^\s*#.*$")
_STARTS_FACT = re.compile(r"^\s*(- )?[A-Za-z_][\w-]*:|^\s*- ")


def changed_lines(old: str, new: str) -> tuple[set[int], set[int]]:
    """Lines (1-based) of OLD and of NEW that a line diff shows as changed, comments aside,
    keeping only lines that start a key or a list item (not continuation lines)."""
    a = [_COMMENT.sub("", line) for line in old.splitlines()]
    b = [_COMMENT.sub("", line) for line in new.splitlines()]
    out_a: set[int] = set()
    out_b: set[int] = set()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        out_a.update(i + 1 for i in range(i1, i2) if _STARTS_FACT.match(a[i]))
        out_b.update(j + 1 for j in range(j1, j2) if _STARTS_FACT.match(b[j]))
    return out_a, out_b


def fact_lines(d: Diff, c: LoadedConstitution, side: str) -> set[int]:
    """Lines of the facts a diff reports on one side, and of the keys above them."""
    from ics_rules.facts import stated_facts

    facts = stated_facts(c.data)
    lines: set[int] = set()
    for f in d.facts:
        if getattr(f, side) is None:
            continue
        key = facts[f.path].key
        for n in range(1, len(key) + 1):
            pos = c.positions.get(key[:n])
            if pos is not None:
                lines.add(pos[0])
    return lines


@pytest.mark.parametrize("path", BROKEN, ids=[p.name for p in BROKEN])
def test_broken_example_diff_names_exactly_its_mistake(path: Path, rulesets: Any) -> None:
    old, new = load_constitution(EXAMPLE), load_constitution(path)
    d = compare(old, new, rulesets, AS_OF)
    want_old, want_new = changed_lines(old.text, new.text)
    assert d.facts
    # every reported fact sits on a changed line of its file, and every changed line is a
    # reported fact or a key above one
    for f in d.facts:
        if f.old is not None:
            assert f.old_location.line in want_old, f
        if f.new is not None:
            assert f.new_location.line in want_new, f
    assert want_old <= fact_lines(d, old, "old"), want_old - fact_lines(d, old, "old")
    assert want_new <= fact_lines(d, new, "new"), want_new - fact_lines(d, new, "new")
    expected = declared_breaks(path)
    newly = {r.rule for r in d.of_kind("newly_failing")}
    if expected is None:  # the draft: every rule that fails on it newly fails
        expected = {f.rule for f in d.new.findings if f.outcome == "fail"}
    assert newly == expected
    assert not d.of_kind("newly_passing") and not d.of_kind("still_failing")
    for r in d.of_kind("newly_failing"):
        assert r.new.evidence and r.new.location is not None and r.new.citation


@pytest.mark.parametrize("path", [EXAMPLE, *BROKEN], ids=["example", *[p.name for p in BROKEN]])
def test_file_against_itself_reports_nothing(path: Path, rulesets: Any) -> None:
    c = load_constitution(path)
    d = compare(c, load_constitution(path), rulesets, AS_OF)
    assert not d.facts
    assert all(r.kind == "still_failing" for r in d.rules)
    proc = run_cli("diff", str(path), str(path), "--as-of", "2026-01-01")
    assert proc.returncode == 0, proc.stderr
    assert "no changes" in proc.stdout


def test_reverse_diff_fixes_and_exits_0(rulesets: Any) -> None:
    broken = ROOT / "constitutions" / "broken" / "chair-removable-by-board.yaml"
    proc = run_cli("diff", str(broken), str(EXAMPLE), "--as-of", "2026-01-01")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no longer failing" in proc.stdout and "SCH1B-6" in proc.stdout
    proc = run_cli("diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01")
    assert proc.returncode == 1
    assert "changed board.members[chair].removable_by: 'nhs_england'" in proc.stdout
    assert "-> 'board'" in proc.stdout and " SCH1B-6: " in proc.stdout


def _swap_blocks(text: str, first: str, second: str) -> str:
    """Swap two list items (each from its marker line to the next item at that indent)."""
    lines = text.splitlines(keepends=True)

    def block(marker: str) -> tuple[int, int]:
        start = next(i for i, line in enumerate(lines) if line.rstrip() == marker)
        indent = len(marker) - len(marker.lstrip())
        end = start + 1
        while end < len(lines) and (not lines[end].strip() or
                                    len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        return start, end

    (a1, a2), (b1, b2) = sorted([block(first), block(second)])
    return "".join(lines[:a1] + lines[b1:b2] + lines[a2:b1] + lines[a1:a2] + lines[b2:])


def test_reordering_items_changes_no_fact(example_text: str, rulesets: Any) -> None:
    moved = _swap_blocks(example_text, "    - id: chair", "    - id: ned-2")
    moved = _swap_blocks(moved, "  - id: audit", "  - id: exampleshire-place-committee")
    assert moved != example_text
    d = compare(parse_constitution(example_text, "a.yaml"), parse_constitution(moved, "b.yaml"),
                rulesets, AS_OF)
    assert d.empty, d.facts


def test_guidance_failure_exits_by_fail_on(tmp_path: Path, example_text: str) -> None:
    new = tmp_path / "renamed.yaml"
    new.write_text(example_text.replace("name: NHS Example Integrated Care Board",
                                        "name: Example Health Board"))
    base = ["diff", str(EXAMPLE), str(new), "--as-of", "2026-01-01"]
    proc = run_cli(*base)
    assert proc.returncode == 0, proc.stdout
    assert "SCH1B-2-a-FORM" in proc.stdout and "changed icb.name" in proc.stdout
    assert run_cli(*base, "--fail-on", "warning").returncode == 1
    assert run_cli(*base, "--fail-on", "never").returncode == 0


def test_rule_no_longer_applying_is_a_change_of_scope(example_text: str, rulesets: Any) -> None:
    without = re.sub(r"\npcns:.*?(?=\nplans:)", "\n", example_text, flags=re.S)
    d = compare(parse_constitution(example_text, "a.yaml"),
                parse_constitution(without, "b.yaml"), rulesets, AS_OF)
    scope = d.of_kind("changed_scope")
    assert scope and all(r.new.outcome == "not_applicable" for r in scope)
    assert {f.kind for f in d.facts} == {"removed"}
    assert all(f.path.startswith("pcns[") for f in d.facts)


def test_classify_changed_strength(rulesets: Any) -> None:
    c = load_constitution(ROOT / "constitutions" / "broken" / "remuneration-with-employee.yaml")
    d = compare(c, c, rulesets, AS_OF)
    failing = d.of_kind("still_failing")[0]
    weaker = dataclasses.replace(failing.old, severity="warning")
    assert classify(weaker, failing.new) == "changed_strength"
    assert classify(failing.old, failing.new) == "still_failing"
    assert classify(dataclasses.replace(failing.old, outcome="pass"), failing.new) == \
        "newly_failing"
    rising = Diff(d.old, d.new, (), (dataclasses.replace(failing, kind="changed_strength",
                                                         old=weaker),))
    assert rising.introduced("error") and not rising.introduced("never")
    assert not Diff(d.old, d.new, (), (failing,)).introduced("info")


def test_json_shape() -> None:
    broken = ROOT / "constitutions" / "broken" / "no-local-authority-partner.yaml"
    proc = run_cli("diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01", "--format", "json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert set(doc) == {"tool", "as_of", "rulesets", "old", "new", "facts", "requirements"}
    assert set(doc["facts"]) == {"added", "removed", "changed"}
    assert set(doc["requirements"]) == {"newly_failing", "changed_strength", "still_failing",
                                        "newly_passing", "changed_scope"}
    role = next(f for f in doc["facts"]["changed"] if f["path"] == "board.members[pm-la].role")
    assert (role["old"], role["new"]) == ("partner_member", "other")
    assert role["old_location"]["path"] == str(EXAMPLE)
    assert role["new_location"]["line"] == 69
    assert {r["rule"] for r in doc["requirements"]["newly_failing"]} == declared_breaks(broken)
    first = doc["requirements"]["newly_failing"][0]
    assert first["old"]["outcome"] == "pass" and first["new"]["outcome"] == "fail"
    assert first["new"]["citation"] and first["new"]["evidence"]
    again = run_cli("diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01", "--format",
                    "json")
    assert again.stdout == proc.stdout


def test_markdown_and_html_escape_hostile_values(tmp_path: Path, example_text: str) -> None:
    new = tmp_path / "hostile.yaml"
    new.write_text(example_text.replace(
        "short_name: Example ICB", "short_name: '<script>x</script> [a](http://e.invalid)'"))
    for fmt, bad in (("markdown", "[a](http"), ("html", "<script>")):
        out = tmp_path / f"d.{fmt}"
        proc = run_cli("diff", str(EXAMPLE), str(new), "--as-of", "2026-01-01", "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        text = out.read_text()
        assert "Variation assurance report" in text and "icb.short_name" in text
        assert bad not in text


def test_pdf_variation_report(tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    from .conftest import pdf_streams

    out = tmp_path / "variation.pdf"
    broken = ROOT / "constitutions" / "broken" / "chair-removable-by-board.yaml"
    proc = run_cli("diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"Variation assurance report" in pdf_streams(data)
    again = tmp_path / "again.pdf"
    run_cli("diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01", "-o", str(again))
    assert again.read_bytes() == data


def test_usage_errors(tmp_path: Path) -> None:
    proc = run_cli("diff", str(EXAMPLE))
    assert proc.returncode == 2 and "two files" in proc.stderr
    proc = run_cli("diff", str(EXAMPLE), str(tmp_path / "missing.yaml"))
    assert proc.returncode == 2 and "missing.yaml" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("diff", str(EXAMPLE), str(EXAMPLE), "-o", str(EXAMPLE))
    assert proc.returncode == 2 and "refusing" in proc.stderr


needs_git = pytest.mark.skipif(GIT is None, reason="git is needed for diff --git")


def _git(*args: str, cwd: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run([GIT or "git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                   timeout=60)


@needs_git
def test_diff_git_compares_with_committed_version(tmp_path: Path, example_text: str) -> None:
    repo = tmp_path / "repo"
    (repo / "icb").mkdir(parents=True)
    f = repo / "icb" / "constitution.yaml"
    f.write_text(example_text)
    _git("init", "-q", cwd=repo)
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", "first", cwd=repo)
    f.write_text(example_text.replace("removable_by: nhs_england", "removable_by: board"))
    proc = run_cli("diff", "--git", "HEAD", str(f), "--as-of", "2026-01-01")
    assert proc.returncode == 1, proc.stderr
    assert "@HEAD" in proc.stdout and "removable_by" in proc.stdout and "SCH1B-6" in proc.stdout
    proc = run_cli("diff", "--git", "no-such-rev", str(f))
    assert proc.returncode == 2 and "unknown revision" in proc.stderr
    new = repo / "icb" / "new.yaml"
    new.write_text(example_text)
    proc = run_cli("diff", "--git", "HEAD", str(new))
    assert proc.returncode == 2 and "not in the repository" in proc.stderr
    proc = run_cli("diff", "--git", "--help-me", str(f))
    assert proc.returncode == 2
    proc = run_cli("diff", "--git", "HEAD", str(repo / "icb"))
    assert proc.returncode == 2 and "is a folder" in proc.stderr


@needs_git
def test_diff_git_outside_a_repository(tmp_path: Path, example_text: str) -> None:
    f = tmp_path / "alone" / "c.yaml"
    f.parent.mkdir()
    f.write_text(example_text)
    proc = run_cli("diff", "--git", "HEAD", str(f), env={"GIT_CEILING_DIRECTORIES":
                                                          str(tmp_path)})
    assert proc.returncode == 2 and "not in a git repository" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_same_facts_in_another_format_are_no_change(tmp_path: Path, example_text: str,
                                                    rulesets: Any) -> None:
    import yaml

    data = yaml.safe_load(example_text)
    as_json = json.dumps(data, indent=1, default=lambda d: d.isoformat())
    d = compare(parse_constitution(example_text, "a.yaml"),
                parse_constitution(as_json, "b.json", "json"), rulesets, AS_OF)
    assert d.empty
    data["board"]["members"][0]["removable_by"] = "board"
    changed = json.dumps(data, indent=1, default=lambda d: d.isoformat())
    new = parse_constitution(changed, "b.json", "json")
    d = compare(parse_constitution(example_text, "a.yaml"), new, rulesets, AS_OF)
    assert [f.path for f in d.facts] == ["board.members[chair].removable_by"]
    line = d.facts[0].new_location.line
    assert '"removable_by": "board"' in changed.splitlines()[line - 1]


def test_documents_are_compared_with_their_clauses(rulesets: Any) -> None:
    pytest.importorskip("rapidfuzz")
    docs = ROOT / "tests" / "data" / "documents"
    old = load_constitution(docs / "eastmere.md")
    assert not compare(old, load_constitution(docs / "eastmere.md"), rulesets, AS_OF).facts
    d = compare(old, load_constitution(docs / "northvale.md"), rulesets, AS_OF)
    name = next(f for f in d.facts if f.path == "icb.name")
    assert name.old_location.clause and name.new_location.clause
    proc = run_cli("diff", str(docs / "eastmere.md"), str(docs / "northvale.md"),
                   "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    changed = json.loads(proc.stdout)["facts"]["changed"]
    assert any(f["new_location"].get("clause") for f in changed)


def test_describes_applies_to_both_versions() -> None:
    broken = ROOT / "constitutions" / "broken" / "mental-health-trust-outside-collaboratives.yaml"
    base = ["diff", str(EXAMPLE), str(broken), "--as-of", "2026-01-01", "--format", "json"]
    assert run_cli(*base).returncode == 1
    proc = run_cli(*base, "--describes", "constitution")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert not doc["requirements"]["newly_failing"]
    assert [f["path"] for f in doc["facts"]["changed"]] == ["providers[example-mh].collaboratives"]
    assert doc["new"]["summary"]["not_assessed"] > 0
    assert run_cli(*base, "--describes", "nonsense").returncode == 2
