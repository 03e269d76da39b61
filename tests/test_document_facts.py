"""Fact finding on constitution documents: Document -> facts with clause provenance -> data.

The corpus (tests/data/documents) is written for these tests; each document has an expected
file of the facts it states. Precision (no wrong value) is held above recall.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from ics_rules.documents.facts import Extraction, find_facts, to_constitution_data

from .clause_list import read_clause_list

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


TUNED = ["northvale.md", "eastmere.md", "westbrook.md"]
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
