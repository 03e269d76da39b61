"""Fact finding on constitution documents: Document -> facts with clause provenance -> data.

The corpus (tests/data/documents) is written for these tests; each document has an expected
file of the facts it states. Precision (no wrong value) is held above recall.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from ics_rules.documents.facts import Extraction, find_facts, to_constitution_data

from .clause_list import read_clause_list
from .conftest import SHARED

DOCS = Path(__file__).parent / "data" / "documents"
AS_OF = datetime.date(2026, 1, 1)


def extract(name: str) -> Extraction:
    return find_facts(read_clause_list(DOCS / name))


def loaded(ex: Extraction) -> Any:
    """The extraction as the loader would give it (validated, every field present)."""
    from ics_rules.loader import LoadedConstitution, validate

    data = to_constitution_data(ex)
    return LoadedConstitution(data=validate(data, {}, ex.document, ""), path=ex.document,
                              sha256="-")


def test_interface_model_style_document() -> None:
    ex = extract("northvale.md")
    assert ex.value(("icb", "name")) == "NHS Northvale Integrated Care Board"
    name = ex.fact(("icb", "name"))
    assert name is not None and name.clause == "1.2.1" and name.method
    assert 0 < name.confidence <= 1 and len(name.quote) <= 161
    data = to_constitution_data(ex)
    assert data["schema"] == "ics-constitution/1"
    chair = next(m for m in data["board"]["members"] if m["role"] == "chair")
    assert (chair["appointed_by"], chair["approved_by"]) == ("nhs_england", "secretary_of_state")
    assert data["board"]["quorum"] == {"fraction": 0.5, "comparator": "more_than",
                                       "must_include": ["executive", "non_executive"],
                                       "chair_required": False}


def test_statutory_rules_pass_on_a_compliant_document(rulesets: Any) -> None:
    from ics_rules.engine import evaluate

    result = evaluate(loaded(extract("northvale.md")), rulesets, AS_OF)
    failed = {f.rule for f in result.findings if f.outcome == "fail"}
    for rule in ("SCH1B-3-1-a", "SCH1B-3-1-b", "SCH1B-3-1-c", "SCH1B-4", "SCH1B-5", "SCH1B-6",
                 "SCH1B-7-1", "SCH1B-7-2", "SCH1B-8-1-a", "SCH1B-8-2-a", "SCH1B-8-2-b",
                 "SCH1B-8-2-c", "SCH1B-8-chair-approval", "NHSE22-AUDIT-CHAIR",
                 "NHSE22-REM-CHAIR", "NHSE22-REM-NOEMP", "NHSE-QUORUM", "NHSE22-ELIG",
                 "NHSE22-DISQ"):
        assert rule not in failed, rule


def test_not_found_names_the_model_clause() -> None:
    from ics_rules.documents.clauses import Clause, Document

    doc = Document("tiny.md", "markdown", [
        Clause("1.1", "The name of the ICB is NHS Tiny Integrated Care Board.", 2),
        Clause("2.1", "The Chair is appointed by NHS England.", 2),
    ])
    ex = find_facts(doc)
    assert ex.value(("icb", "name")) == "NHS Tiny Integrated Care Board"
    missing = {n.path: n for n in ex.not_found}
    quorum = missing[("board", "quorum", "fraction")]
    assert "quorum" in quorum.model_clause and quorum.why
    assert ("board", "members", 0, "approved_by") not in {f.path for f in ex.facts}


TUNED = ["northvale.md", "eastmere.md", "westbrook.md", "ashcombe.md", "kingsreach.md",
         "orchard.md", "brackenfield.md", "lowmarsh.md"]
HELD_OUT = sorted(str(p.relative_to(DOCS)) for p in (DOCS / "heldout").glob("*.md"))


def _scored(names: list[str]) -> Any:
    from .document_scoring import Score, load_expected, score

    total = Score()
    for name in names:
        doc = DOCS / name
        s = score(extract(name), load_expected(doc.with_suffix(".expected.yaml")))
        print(s.line(name))
        for w in s.wrong:
            print("  wrong:", w)
        for m in s.missed:
            print("  missed:", m)
        total.add(s)
    print(total.line("all"))
    return total


def test_tuned_documents_every_fact_right() -> None:
    total = _scored(TUNED)
    assert total.wrong == [] and total.missed == []


def test_held_out_documents_meet_the_targets() -> None:
    """Issue 11: at least 90% of stated facts with the right value and clause, and a wrong
    value rarer than 1 in 50, on documents the fact finder was not tuned on."""
    total = _scored(HELD_OUT)
    assert total.recall >= 0.90, total.missed
    assert len(total.wrong) * 50 < total.right + len(total.wrong), total.wrong


def _drop_section(text: str, heading: str) -> str:
    """The text without the heading line `heading` and the clauses under it."""
    lines = text.splitlines()
    start = lines.index(heading)
    end = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("#"))
    return "\n".join(lines[:start] + lines[end:])


# Drafting mistakes (issue 11): each edit of a compliant document must produce facts that
# fail the rule about it, and the deciding fact must cite the edited clause.
MISTAKES: dict[str, tuple[str, Any, str, str | None, str | None]] = {
    # name: (document, edit, rule that must fail, deciding fact path (id-keyed), its clause)
    "northvale-rem-chaired-by-audit-chair": (
        "northvale.md",
        lambda t: t.replace("is chaired by a Non-Executive Member other than the Chair or the "
                            "Audit Committee Chair", "is chaired by the Audit Committee Chair"),
        "NHSE22-REM-CHAIR", "committees[remuneration].chair", "8.1.2"),
    "northvale-audit-chaired-by-icb-chair": (
        "northvale.md",
        lambda t: t.replace("It is chaired by a Non-Executive Member, other than the Chair, who "
                            "has qualifications, expertise or experience in finance and audit "
                            "matters.", "It is chaired by the Chair of the ICB."),
        "NHSE22-AUDIT-CHAIR", "committees[audit].chair", "4.2.1"),
    "northvale-la-partner-deleted": (
        "northvale.md",
        lambda t: _drop_section(
            t.replace("(b) the providers of primary medical services in the ICB's area; and",
                      "(b) the providers of primary medical services in the ICB's area.")
            .replace("(c) the local authorities whose areas fall wholly or partly within the "
                     "ICB's area.\n", "")
            .replace("three Partner Members in all", "two Partner Members in all"),
            "### 3.7 Partner Member - local authorities"),
        "SCH1B-8-2-c", None, None),
    "northvale-chair-removable-by-board": (
        "northvale.md",
        lambda t: t.replace("The Chair may be removed from office only by NHS England, with the "
                            "approval of the Secretary of State.",
                            "The Chair may be removed from office by a resolution of the board."),
        "SCH1B-6", "board.members[chair].removable_by", "3.12.1"),
    "northvale-quorum-third-no-executive": (
        "northvale.md",
        lambda t: t.replace("4.7.1 The quorum for board meetings is a majority of members, which "
                            "must include:\n(a) at least one Executive Member; and\n(b) at least "
                            "one Non-Executive Member.",
                            "4.7.1 The quorum for board meetings is one third of members."),
        "NHSE-QUORUM", "board.quorum.fraction", "4.7.1"),
    "northvale-independence-prohibition-deleted": (
        "northvale.md",
        lambda t: "\n".join(line for line in t.splitlines()
                            if "undermining the independence" not in line),
        "SCH1B-4", None, None),
    "eastmere-rem-chaired-by-audit-chair": (
        "eastmere.md",
        lambda t: t.replace("It is chaired by a Non-Executive Member who does not chair the Audit "
                            "and Risk Committee.",
                            "It is chaired by the chair of the Audit and Risk Committee."),
        "NHSE22-REM-CHAIR", "committees[remuneration].chair", "4.2"),
    "eastmere-audit-chaired-by-icb-chair": (
        "eastmere.md",
        lambda t: t.replace("is chaired by an independent Non-Executive Member with recent and "
                            "relevant financial experience", "is chaired by the ICB Chair"),
        "NHSE22-AUDIT-CHAIR", "committees[audit].chair", "4.1"),
    "eastmere-la-partner-deleted": (
        "eastmere.md",
        lambda t: t.replace("- one Partner Member nominated jointly by the local authorities in "
                            "the area;\n", ""),
        "SCH1B-8-2-c", None, None),
    "eastmere-chair-removable-by-board": (
        "eastmere.md",
        lambda t: t.replace("Only NHS England may remove the Chair from office, and it may do so "
                            "only with the Secretary of State's approval.",
                            "The Board may remove the Chair from office by a vote of its "
                            "members."),
        "SCH1B-6", "board.members[chair].removable_by", "3.4"),
    "eastmere-quorum-third-no-executive": (
        "eastmere.md",
        lambda t: t.replace("Half of the members of the Board, including the Chair or the Deputy "
                            "Chair, at least one Executive Member and at least one Partner "
                            "Member, form a quorum.",
                            "One third of the members of the Board form a quorum."),
        "NHSE-QUORUM", "board.quorum.fraction", "5.2"),
    "eastmere-independence-prohibition-deleted": (
        "eastmere.md",
        lambda t: "\n".join(line for line in t.splitlines()
                            if "undermining the independence" not in line),
        "SCH1B-4", None, None),
    "kingsreach-rem-chaired-by-audit-chair": (
        "kingsreach.md",
        lambda t: t.replace("It is chaired by a Non-Executive Member other than the Chair or the "
                            "chair of the Audit and Risk Committee, and",
                            "It is chaired by the chair of the Audit and Risk Committee, and"),
        "NHSE22-REM-CHAIR", "committees[remuneration].chair", "4.2"),
    "kingsreach-audit-chaired-by-icb-chair": (
        "kingsreach.md",
        lambda t: t.replace("chaired by a Non-Executive Member (who is not the Chair) with "
                            "qualifications, expertise or experience in audit",
                            "chaired by the Chair of the ICB"),
        "NHSE22-AUDIT-CHAIR", "committees[audit].chair", "4.1"),
    "kingsreach-la-partner-deleted": (
        "kingsreach.md",
        lambda t: t.replace("(e) a Partner Member nominated by the local authorities;\n", ""),
        "SCH1B-8-2-c", None, None),
    "kingsreach-chair-removable-by-board": (
        "kingsreach.md",
        lambda t: t.replace("The Chair may be removed from office by NHS England with the "
                            "approval of the Secretary of State.",
                            "The Board may remove the Chair by a resolution of two thirds of "
                            "its members."),
        "SCH1B-6", "board.members[chair].removable_by", "3.8"),
    "kingsreach-quorum-third-no-executive": (
        "kingsreach.md",
        lambda t: t.replace("The quorum of the Board is half of its members, including at least "
                            "one Executive Member, at least one Partner Member and at least one "
                            "Non-Executive Member.",
                            "The quorum of the Board is one third of its members."),
        "NHSE-QUORUM", "board.quorum.fraction", "5.1"),
    "kingsreach-independence-prohibition-deleted": (
        "kingsreach.md",
        lambda t: t.replace("; and a person whose appointment could reasonably be regarded as "
                            "undermining the independence of the health service because of "
                            "involvement with the private healthcare sector or otherwise.", "."),
        "SCH1B-4", None, None),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_drafting_mistake_fails_its_rule(case: str, rulesets: Any) -> None:
    from ics_rules.engine import evaluate

    from .clause_list import parse_clause_list
    from .document_scoring import keyed

    name, edit, rule, deciding, clause = MISTAKES[case]
    original = (DOCS / name).read_text(encoding="utf-8")
    text = edit(original)
    assert text != original, "the edit did not apply"
    good = evaluate(loaded(extract(name)), rulesets, AS_OF)
    assert rule not in {f.rule for f in good.findings if f.outcome == "fail"}
    ex = find_facts(parse_clause_list(text, name))
    result = evaluate(loaded(ex), rulesets, AS_OF)
    assert rule in {f.rule for f in result.findings if f.outcome == "fail"}
    if deciding is not None:
        got = keyed(ex)
        assert deciding in got, sorted(got)
        assert got[deciding][1] == clause


def test_deviations_of_a_model_following_document_are_only_additions() -> None:
    from ics_rules.documents.deviations import deviations

    found = deviations(read_clause_list(DOCS / "northvale.md"))
    assert {d.kind for d in found} == {"added"}
    assert ("1.1.1",) in {d.clauses for d in found}


@pytest.mark.parametrize(("case", "kind", "model_clause", "clause"), [
    ("northvale-chair-removable-by-board", "changed", "3.13", "3.12.1"),
    ("northvale-quorum-third-no-executive", "changed", "SO quorum", "4.7.1"),
    ("northvale-independence-prohibition-deleted", "changed", "3.2", "3.2.1"),
    ("northvale-la-partner-deleted", "missing", "3.7", None),
    ("northvale-rem-chaired-by-audit-chair", "changed", "8.1", "8.1.2"),
])
def test_deviations_name_the_model_clause_and_the_document_clause(
        case: str, kind: str, model_clause: str, clause: str | None) -> None:
    from ics_rules.documents.deviations import deviations

    from .clause_list import parse_clause_list

    name, edit, *_ = MISTAKES[case]
    found = deviations(parse_clause_list(edit((DOCS / name).read_text(encoding="utf-8")), name))
    hits = [d for d in found if d.kind == kind and d.model_clause
            and d.model_clause.startswith(model_clause + " ")]
    assert hits, [d.as_dict() for d in found]
    if clause is not None:
        assert clause in hits[0].clauses


REAL = SHARED / "fixtures" / "real"


def _real(name: str) -> Extraction:
    from .clause_list import fixture_document

    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    return find_facts(fixture_document(path))


def test_real_hertfordshire_and_west_essex_sections() -> None:
    """Facts checked by hand against the published sections 2, 3, 5, 7, 8 and 9."""
    from .document_scoring import keyed

    got = keyed(_real("hertfordshire-and-west-essex.md"))
    expected = {
        "board.members[chair].role": ("chair", "2.1.3(1)"),
        "board.members[ceo].role": ("chief_executive", "2.1.3(2)"),
        "board.members[pm-trusts].nominated_by": ("nhs_trusts", "2.1.6"),
        "board.members[pm-primary].nominated_by": ("primary_medical_services", "2.1.6"),
        "board.members[pm-la].nominated_by": ("local_authorities", "2.1.6"),
        "board.members[cfo].portfolio": ("finance", "2.1.5"),
        "board.members[md].portfolio": ("medical", "2.1.5"),
        "board.members[dn].portfolio": ("nursing", "2.1.5"),
        "board.members[ned-2].role": ("non_executive", "2.1.5(2)"),
        "board.unitary": (True, "2.1.4"),
        "board.appointments.eligibility": (
            ["fit_and_proper_person", "nolan_principles", "role_specification"], "3.1.1"),
        "board.appointments.private_healthcare_independence_test": (True, "3.2.2"),
        "board.appointments.disqualifications": (
            ["member_of_parliament", "conviction_5y", "bankruptcy_restriction",
             "health_body_dismissal_5y", "private_healthcare_independence"], "3.2.1"),
        "governance.standing_orders": (True, "5.1.1"),
        "governance.standing_financial_instructions": (True, "5.2.1"),
        "governance.transparency.board_meetings_in_public": (True, "7.3.1"),
        "governance.transparency.exclusion_by_resolution_only": (True, "7.3.1"),
        "governance.transparency.minutes_published": (True, "7.3.2"),
        "governance.transparency.audited_accounts_published": (True, "7.3.3"),
        "committees[remuneration].chair": ("ned-1", "8.1.2"),
        "governance.employees_terms_and_conditions": (True, "8.1.1"),
        "governance.public_involvement.arrangements": (True, "9.1.1"),
        "governance.public_involvement.plan_consultation": (True, "9.1.2"),
        "governance.public_involvement.principles_adopted": (True, "9.1.3"),
    }
    for path, want in expected.items():
        assert got.get(path) == want, path
    assert len([p for p in got if p.startswith("board.members[ned-")
                and p.endswith(".role")]) == 2
    # the excerpts say nothing on who appoints the chair or on the quorum: nothing is guessed
    assert not [p for p in got if p.endswith((".appointed_by", ".approved_by"))]
    assert "board.quorum.fraction" not in got


def test_real_lincolnshire_committee_page() -> None:
    """The committee page names both statutory committees; with no members listed, the
    remuneration chair is reported not found rather than guessed."""
    ex = _real("lincolnshire.md")
    data = to_constitution_data(ex)
    assert {c["type"] for c in data.get("committees", [])} == {"audit", "remuneration"}
    assert all("chair" not in c for c in data["committees"])
    assert any(n.path[-1] == "chair" and "non-executive" in n.why for n in ex.not_found)


def test_fact_finder_imports_no_heavy_dependency() -> None:
    """rapidfuzz (the documents extra) is imported only when a document is aligned."""
    import subprocess
    import sys

    code = ("import sys, ics_rules.documents.facts, ics_rules.documents.deviations; "
            "print(sorted(m for m in ('rapidfuzz', 'pydantic', 'lark') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "[]"


def test_extract_deviations_command() -> None:
    import json
    import tempfile

    from .conftest import run_cli

    doc = DOCS / "northvale.md"
    text = (doc.read_text(encoding="utf-8")
            .replace("The Chair may be removed from office only by NHS England, with the "
                     "approval of the Secretary of State.",
                     "The Chair may be removed from office by a resolution of the board."))
    with tempfile.TemporaryDirectory() as tmp:
        changed = Path(tmp) / "changed.md"
        changed.write_text(text, encoding="utf-8")
        proc = run_cli("extract", "--deviations", "--format", "json", str(changed))
        assert proc.returncode == 0, proc.stderr
        found = json.loads(proc.stdout)["deviations"]
        assert any(d["kind"] == "changed" and d["model_clause"].startswith("3.13 ")
                   and "3.12.1" in d["clauses"] for d in found)
        proc = run_cli("extract", "--deviations", str(doc))
        assert proc.returncode == 0, proc.stderr
        assert "\n0 missing, 0 changed, " in proc.stdout
        assert proc.stdout.startswith("added: document clause 1.1.1: not in the model: ")


def test_no_wrong_value_through_the_markdown_reader() -> None:
    """End to end with the real Markdown reader: clause numbers may differ from the clause
    lists' (a reader's choice), but no fact may take a wrong value."""
    from ics_rules.documents.read import read_document

    from .document_scoring import load_expected, score

    for doc in [*TUNED, *HELD_OUT]:
        path = DOCS / doc
        s = score(find_facts(read_document(path, str(path))),
                  load_expected(path.with_suffix(".expected.yaml")))
        assert s.wrong == [], (doc, s.wrong)


def test_fact_finding_doc_lists_every_provision() -> None:
    from ics_rules.documents.model_constitution import PROVISIONS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "fact-finding.md").read_text(
        encoding="utf-8")
    for p in PROVISIONS:
        assert f"| {p.number} | {p.section} | {p.title} |" in doc, p.key


def test_deviations_text_shows_hostile_document_text_escaped() -> None:
    from ics_rules.documents.clauses import Clause, Document
    from ics_rules.documents.deviations import deviations, render

    doc = Document("hostile.md", "markdown", [
        Clause("1.1", "Rogue text \x1b]0;owned\x07 with \u202e reversed \u2066 marks.", 2),
    ])
    text = render(deviations(doc), "text")
    assert "\x1b" not in text and "\u202e" not in text and "\u2066" not in text
    assert "\\x1b" in text


def test_statutory_verdicts_from_the_word_example_equal_the_hand_written_file(
        rulesets: Any) -> None:
    """Issue 11: the bundled Word constitution and the hand-written example.yaml give the same
    verdict on every statutory rule the document lets the tool assess (rules about the ICB's
    other documents or the wider system are not assessed from a constitution)."""
    pytest.importorskip("lxml")
    from ics_rules.documents.read import read_document
    from ics_rules.engine import evaluate
    from ics_rules.loader import load_constitution

    root = Path(__file__).resolve().parent.parent / "constitutions"
    from_doc = evaluate(loaded(find_facts(read_document(root / "example.docx"))), rulesets, AS_OF)
    by_hand = {f.rule: f.outcome for f in
               evaluate(load_constitution(root / "example.yaml"), rulesets, AS_OF).findings}
    statutory = [f for f in from_doc.findings if f.ruleset == "nhs-act-2006-sch1b"]
    assessed = [f for f in statutory if f.outcome != "not_assessed"]
    assert len(assessed) >= 20
    assert [(f.rule, f.outcome, by_hand[f.rule]) for f in assessed
            if f.outcome != by_hand[f.rule]] == []


@pytest.mark.parametrize(("text", "name", "method"), [
    # commas in the area: six of the 42 ICBs' names have them
    ("1.2 The name of the ICB is NHS Bath and North East Somerset, Swindon and Wiltshire "
     "Integrated Care Board.",
     "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board", "name"),
    ("The ICB is called NHS Leicester, Leicestershire and Rutland Integrated Care Board.",
     "NHS Leicester, Leicestershire and Rutland Integrated Care Board", "name"),
    ("NHS Cornwall and the Isles of Scilly Integrated Care Board",
     "NHS Cornwall and the Isles of Scilly Integrated Care Board", "name"),
    ("NHS Staffordshire and Stoke-on-Trent Integrated Care Board",
     "NHS Staffordshire and Stoke-on-Trent Integrated Care Board", "name"),
    ("NHS SHROPSHIRE, TELFORD AND WREKIN INTEGRATED CARE BOARD CONSTITUTION",
     "NHS Shropshire, Telford and Wrekin Integrated Care Board", "name"),
    ("NHS Lincolnshire Integrated Care Board and NHS Nottingham and Nottinghamshire "
     "Integrated Care Board", "NHS Lincolnshire Integrated Care Board", "name"),
    # short forms, read as the legal name
    ("NHS Lincolnshire ICB Constitution", "NHS Lincolnshire Integrated Care Board",
     "name-abbreviated"),
    ("The West Yorkshire Integrated Care Board (WY ICB) is a new organisation",
     "NHS West Yorkshire Integrated Care Board", "name-without-nhs"),
    ("The Hertfordshire and West Essex ICB constitution",
     "NHS Hertfordshire and West Essex Integrated Care Board", "name-without-nhs"),
    # no area named
    ("NHS England and the Integrated Care Board agree", None, None),
    ("NHS England brought the ICB into being", None, None),
    ("NHS England’s Integrated Care Board guidance", None, None),
    ("Summary of the draft Integrated Care Board", None, None),
    ("Each ICB must publish; the ICB is required to", None, None),
])
def test_the_icb_name_in_its_forms(text: str, name: str | None, method: str | None) -> None:
    from ics_rules.documents.facts import icb_name

    found = icb_name(text)
    got = (found[0], found[2]) if found else (None, None)
    assert got == (name, method)
    if found:  # the span is the words read
        start, end = found[1]
        assert text[start:end].split()[-1] in ("Board", "ICB", "BOARD")


def test_a_short_name_is_read_with_a_warning_and_the_full_one_wins(tmp_path: Path) -> None:
    from ics_rules.documents.load import extract_document

    page = tmp_path / "c.md"
    page.write_text("# NHS Exampleshire ICB constitution\n\n1.1 This is the constitution.\n",
                    encoding="utf-8")
    ex = extract_document(page, str(page))
    assert ex.data["icb"]["name"] == "NHS Exampleshire Integrated Care Board"
    assert any("full name is not given" in w for w in ex.extraction.warnings)
    page.write_text("# NHS Exampleshire ICB constitution\n\n1.1 The name of the ICB is NHS "
                    "Exampleshire Integrated Care Board.\n", encoding="utf-8")
    ex = extract_document(page, str(page))
    assert ex.data["icb"]["name"] == "NHS Exampleshire Integrated Care Board"
    assert not any("full name is not given" in w for w in ex.extraction.warnings)


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.md")) or ["(none)"])
def test_published_pages_are_read_with_their_icbs_name(name: str) -> None:
    """Each published excerpt (pasted page text in fences) is read as a document, and the
    ICB it is from is named (as the file name says)."""
    from ics_rules.documents.load import load_document

    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    area = " ".join(w if w == "and" else w.capitalize() for w in path.stem.split("-"))
    loaded = load_document(path)
    assert loaded.data["icb"]["name"] == f"NHS {area} Integrated Care Board"
