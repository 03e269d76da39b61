"""Readers: the same outline written as Word (automatic numbering, a tracked change), tagged
and untagged PDF, HTML and Markdown reads back to the same clauses, numbers, levels and pages.
Expected values are written out by hand, not computed by the writer."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("lxml")

from ics_rules.documents.read import read_document
from tools.docwriter import to_html, to_markdown, write_docx, write_pdf

from .conftest import SHARED

HEADER = "Exampleshire ICB Constitution v1.2"
BLOCKS: list[tuple[Any, ...]] = [
    ("heading", "Name and area"),
    ("clause", 2, "The name of the board is NHS Exampleshire Integrated Care Board."),
    ("clause", 2, "The area of the board is the area of two councils:"),
    ("item", "Exampleshire County Council; and"),
    ("item", "Sampletown City Council."),
    ("heading", "Membership"),
    ("para", "This part is about the members."),
    ("clause", 2, "The board has these members:"),
    ("clause", 3, "a chair;"),
    ("clause", 3, "a chief executive; and"),
    ("clause", 3, "at least three ordinary members."),
    ("clause", 2, ["The quorum is ", ("del", "half"), ("ins", "two thirds"), " of the members."]),
    ("bullet", "A bulleted note with no clause number."),
    ("table", [["Member", "Appointed by"], ["Chair", "NHS England"]]),
    ("pagebreak",),
    ("heading", "Committees"),
    ("restart", 4),
    ("clause", 2, "The audit committee is chaired by a non-executive member."),
    ("clause", 2, "The remuneration committee is chaired by a non-executive member."),
]
# (number, level, heading, text, section)
EXPECTED = [
    ("1", 1, True, "Name and area", ()),
    ("1.1", 2, False, "The name of the board is NHS Exampleshire Integrated Care Board.",
     ("Name and area",)),
    ("1.2", 2, False, "The area of the board is the area of two councils:", ("Name and area",)),
    ("1.2(a)", 3, False, "Exampleshire County Council; and", ("Name and area",)),
    ("1.2(b)", 3, False, "Sampletown City Council.", ("Name and area",)),
    ("2", 1, True, "Membership", ()),
    (None, 2, False, "This part is about the members.", ("Membership",)),
    ("2.1", 2, False, "The board has these members:", ("Membership",)),
    ("2.1.1", 3, False, "a chair;", ("Membership",)),
    ("2.1.2", 3, False, "a chief executive; and", ("Membership",)),
    ("2.1.3", 3, False, "at least three ordinary members.", ("Membership",)),
    ("2.2", 2, False, "The quorum is two thirds of the members.", ("Membership",)),
    (None, 3, False, "A bulleted note with no clause number.", ("Membership",)),
    (None, 3, False, "Member | Appointed by", ("Membership",)),
    (None, 3, False, "Chair | NHS England", ("Membership",)),
    ("3", 1, True, "Committees", ()),
    ("3.4", 2, False, "The audit committee is chaired by a non-executive member.",
     ("Committees",)),
    ("3.5", 2, False, "The remuneration committee is chaired by a non-executive member.",
     ("Committees",)),
]
PAGES = [1] * 15 + [2] * 3


def summary(doc: Any) -> list[tuple[Any, ...]]:
    return [(c.number, c.level, c.heading, c.text, c.section) for c in doc.clauses]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("docs")
    out = {"docx": tmp / "c.docx", "html": tmp / "c.html", "md": tmp / "c.md"}
    write_docx(BLOCKS, out["docx"], header=HEADER, footer="Footer words")
    out["html"].write_text(to_html(BLOCKS, header=HEADER), encoding="utf-8")
    out["md"].write_text(to_markdown(BLOCKS, title="Exampleshire constitution"),
                         encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("pypdfium2")
    pytest.importorskip("weasyprint")
    tmp = tmp_path_factory.mktemp("pdfs")
    out = {"tagged": tmp / "tagged.pdf", "untagged": tmp / "untagged.pdf"}
    write_pdf(BLOCKS, out["tagged"], tagged=True, header=HEADER)
    write_pdf(BLOCKS, out["untagged"], tagged=False, header=HEADER)
    return out


def test_word_resolves_automatic_numbering_styles_restarts_and_tables(
        files: dict[str, Path]) -> None:
    doc = read_document(files["docx"])
    assert doc.kind == "docx"
    assert summary(doc) == EXPECTED
    assert [c.paragraph for c in doc.clauses][:3] == [1, 2, 3]
    assert doc.clauses[13].cells == ("Member", "Appointed by")
    words = " ".join(c.text for c in doc.clauses)
    assert HEADER not in words and "Footer words" not in words


def test_word_tracked_change_read_as_accepted_with_a_warning(files: dict[str, Path]) -> None:
    doc = read_document(files["docx"])
    quorum = doc.clauses[11]
    assert quorum.changed and quorum.text == "The quorum is two thirds of the members."
    assert [c.number for c in doc.clauses if c.changed] == ["2.2"]
    assert len(doc.warnings) == 1 and "accepted" in doc.warnings[0]
    assert "changed clauses: 2.2" in doc.warnings[0]


def test_word_original_view_reads_before_the_changes(files: dict[str, Path]) -> None:
    doc = read_document(files["docx"], changes="original")
    assert doc.clauses[11].text == "The quorum is half of the members."
    assert summary(doc)[:11] == EXPECTED[:11] and summary(doc)[12:] == EXPECTED[12:]
    assert "before them" in doc.warnings[0]


def test_html_numbers_from_text_headings_from_markup(files: dict[str, Path]) -> None:
    doc = read_document(files["html"])
    assert summary(doc) == EXPECTED
    assert all(HEADER not in c.text and "Page footer" not in c.text for c in doc.clauses)


def test_markdown_numbers_from_text_headings_from_markup(files: dict[str, Path]) -> None:
    doc = read_document(files["md"])
    got = summary(doc)
    # The unnumbered title is a level-1 heading; the numbered parts below it are level 1 too
    # (a heading's level comes from its number when it has one, as in the other formats).
    assert got[0] == (None, 1, True, "Exampleshire constitution", ())
    assert got[1:] == EXPECTED


@pytest.mark.parametrize("kind", ["tagged", "untagged"])
def test_pdf_clauses_and_pages(pdfs: dict[str, Path], kind: str) -> None:
    doc = read_document(pdfs[kind])
    got = summary(doc)
    expected = EXPECTED
    if kind == "untagged":  # no cell boundaries without tags: a row is its line of text
        expected = [e if e[3] not in ("Member | Appointed by", "Chair | NHS England") else
                    (e[0], e[1], e[2], e[3].replace(" |", ""), e[4]) for e in EXPECTED]
    assert got == expected
    assert [c.page for c in doc.clauses] == PAGES
    assert doc.pages == 2
    assert all(HEADER not in c.text and "Page" not in c.text for c in doc.clauses)
    if kind == "tagged":
        assert doc.clauses[13].cells == ("Member", "Appointed by")


def test_untagged_pdf_wrapped_line_starting_with_a_number_is_not_a_clause(
        tmp_path: Path) -> None:
    """A wrapped line that begins "4.2 ..." sits at the text indent, after a full line."""
    pytest.importorskip("weasyprint")
    import pypdfium2 as pdfium

    text = " ".join(["the board follows section 4.2 and paragraph 5.1 as set out"] * 14)
    blocks = [("heading", "Meetings"), ("clause", 2, "Short opening clause."),
              ("clause", 2, text), ("clause", 2, "The last clause.")]
    path = tmp_path / "wrap.pdf"
    write_pdf(blocks, path, tagged=False)
    # The test means something only if some wrapped line does begin with a number.
    pdf = pdfium.PdfDocument(str(path))
    lines = pdf[0].get_textpage().get_text_range().splitlines()
    pdf.close()
    assert any(ln.strip()[:3] in ("4.2", "5.1") for ln in lines[3:]), lines
    doc = read_document(path)
    assert [c.number for c in doc.clauses] == ["1", "1.1", "1.2", "1.3"]
    assert " ".join(doc.clauses[2].text.split()) == " ".join(text.split())


# --------------------------------------------------------------- Word numbering details

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(tmp: Path, body: str, numbering: str) -> Path:
    base = tmp / "base.docx"
    write_docx([("para", "x")], base)
    path = tmp / "n.docx"
    document = (f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>')
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                data = document.encode()
            elif info.filename == "word/numbering.xml":
                data = f'<w:numbering xmlns:w="{_W}">{numbering}</w:numbering>'.encode()
            dst.writestr(info.filename, data)
    return path


def _p(text: str, num: int | None = None, ilvl: int = 0, extra: str = "") -> str:
    numpr = (f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr>'
             if num is not None else "")
    return f"<w:p><w:pPr>{numpr}{extra}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, more: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{more}<w:lvlText w:val="{text}"/></w:lvl>')


def test_word_number_formats_legal_numbering_and_never_restarting_levels(
        tmp_path: Path) -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "upperRoman", "Part %1")
        + _lvl(1, "decimal", "%1.%2.", more='<w:isLgl/>')
        + _lvl(2, "lowerLetter", "(%3)", more='<w:lvlRestart w:val="0"/>')
        + _lvl(3, "none", "")
        + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        # a second w:num on the same list continues its counters ...
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        # ... and one with a replacement level restarts at its own start
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
        + _lvl(0, "decimal", "Article %1", start=7) + "</w:lvlOverride></w:num>")
    body = "".join([
        _p("First part", 1, 0), _p("clause", 1, 1), _p("item", 1, 2),
        _p("unnumbered level", 1, 3),
        _p("Second part", 2, 0), _p("clause", 2, 1), _p("item continues", 2, 2),
        _p("Replaced", 3, 0), _p("no list", 0, 0)])
    doc = read_document(_docx(tmp_path, body, numbering))
    got = [(c.number, c.text) for c in doc.clauses]
    assert got == [("Part I", "First part"), ("1.1", "clause"), ("1.1(a)", "item"),
                   (None, "unnumbered level"),
                   ("Part II", "Second part"), ("2.1", "clause"), ("2.1(b)", "item continues"),
                   ("Article 7", "Replaced"), (None, "no list")]


def test_word_deleted_paragraph_mark_moves_and_format_changes(tmp_path: Path) -> None:
    numbering = ('<w:abstractNum w:abstractNumId="1">' + _lvl(0, "decimal", "%1.")
                 + "</w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"1\"/></w:num>")
    d = 'w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"'
    body = "".join([
        # paragraph 1's mark is deleted: accepted, it runs on into paragraph 2
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        f'<w:rPr><w:del {d}/></w:rPr></w:pPr><w:r><w:t>The chair</w:t></w:r></w:p>',
        "<w:p><w:r><w:t>is independent.</w:t></w:r></w:p>",
        # text moved out of here and into the next clause
        _p("Members", 1, 0).replace("</w:p>", f'<w:moveFrom {d}><w:r><w:t> and others'
                                    "</w:t></w:r></w:moveFrom></w:p>"),
        _p("Quorum", 1, 0).replace("</w:p>", f'<w:moveTo {d}><w:r><w:t> and others'
                                   "</w:t></w:r></w:moveTo></w:p>"),
        # numbering added by a tracked formatting change: none before it
        _p("Now numbered", 1, 0, f'<w:pPrChange {d}><w:pPr/></w:pPrChange>')])
    path = _docx(tmp_path, body, numbering)
    accepted = [(c.number, c.text, c.changed) for c in read_document(path).clauses]
    # The merged paragraph keeps the surviving (second) paragraph mark: unnumbered.
    assert accepted == [(None, "The chair is independent.", True), ("1", "Members", True),
                        ("2", "Quorum and others", True), ("3", "Now numbered", True)]
    original = [(c.number, c.text) for c in read_document(path, changes="original").clauses]
    assert original == [("1", "The chair"), (None, "is independent."),
                        ("2", "Members and others"), ("3", "Quorum"), (None, "Now numbered")]


def test_a_simple_list_inside_a_clause_is_an_item_of_that_clause(tmp_path: Path) -> None:
    numbering = ('<w:abstractNum w:abstractNumId="1">' + _lvl(0, "decimal", "%1.")
                 + _lvl(1, "decimal", "%1.%2.") + '</w:abstractNum><w:abstractNum '
                 'w:abstractNumId="2">' + _lvl(0, "decimal", "%1.") + "</w:abstractNum>"
                 '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
                 '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>')
    body = "".join([_p("Board", 1, 0), _p("The members are:", 1, 1), _p("a chair", 2, 0),
                    _p("a chief executive", 2, 0), _p("Next clause", 1, 1)])
    doc = read_document(_docx(tmp_path, body, numbering))
    assert [c.number for c in doc.clauses] == ["1", "1.1", "1.1(1)", "1.1(2)", "1.2"]


def test_long_pdf_reads_exactly_like_the_word_file(tmp_path: Path) -> None:
    """Many pages: paragraphs over page breaks, tables, hyphens and runs of clause numbers
    come out of both PDF readers exactly as from the Word file (table cells aside)."""
    pytest.importorskip("weasyprint")
    pytest.importorskip("pypdfium2")
    from tools.docwriter import long_outline

    blocks = [*BLOCKS[:12], *long_outline(sections=4, clauses=12)]
    write_docx(blocks, tmp_path / "long.docx")
    word = [(c.number, c.text.replace(" |", ""), c.level)
            for c in read_document(tmp_path / "long.docx").clauses]
    for tagged in (True, False):
        path = tmp_path / f"long-{tagged}.pdf"
        write_pdf(blocks, path, tagged=tagged, header=HEADER)
        doc = read_document(path)
        assert doc.pages is not None and doc.pages >= 8
        assert [(c.number, c.text.replace(" |", ""), c.level) for c in doc.clauses] == word
        assert [c.page for c in doc.clauses] == sorted(c.page or 0 for c in doc.clauses)


def test_html_list_labels_as_a_browser_shows_them(tmp_path: Path) -> None:
    page = tmp_path / "l.html"
    page.write_text(
        "<html><body><header>Site banner</header><nav>Menu</nav><h1>3 Membership</h1>"
        "<p>3.1 The board has these members:</p><ol type='a'><li>a chair;</li>"
        "<li><p>a chief executive; and</p><ol type='i'><li>first</li><li>second</li></ol></li>"
        "<li value='5'>five</li></ol><ul><li>a bullet</li></ul>"
        "<script>1.1 not text</script><p hidden>1.2 hidden</p>"
        "<footer>Page footer</footer></body></html>", encoding="utf-8")
    got = [(c.number, c.level, c.text) for c in read_document(page).clauses]
    assert got == [("3", 1, "Membership"), ("3.1", 2, "The board has these members:"),
                   ("3.1(a)", 3, "a chair;"), ("3.1(b)", 3, "a chief executive; and"),
                   ("3.1(b)(i)", 4, "first"), ("3.1(b)(ii)", 4, "second"),
                   ("3.1(e)", 3, "five"), (None, 3, "a bullet")]


def test_markdown_ordered_lists_restart_and_nest_under_their_clause(tmp_path: Path) -> None:
    page = tmp_path / "m.md"
    page.write_text("## 2 Membership\n\n2.1.3 The board consists of:\n\n  1. a Chair\n"
                    "  2. a Chief Executive\n\n2.1.5 It also has:\n\n  1. three executives\n"
                    "     1. finance\n     2. nursing\n  2. two non-executives\n\n"
                    "```python\n2.9 inside a code fence\n```\n\n"
                    "```text\n2.10 pasted text, fenced\n```\n", encoding="utf-8")
    got = [(c.number, c.level, c.text) for c in read_document(page).clauses]
    assert got == [("2", 1, "Membership"), ("2.1.3", 3, "The board consists of:"),
                   ("2.1.3(1)", 4, "a Chair"), ("2.1.3(2)", 4, "a Chief Executive"),
                   ("2.1.5", 3, "It also has:"), ("2.1.5(1)", 4, "three executives"),
                   ("2.1.5(1)(1)", 5, "finance"), ("2.1.5(1)(2)", 5, "nursing"),
                   ("2.1.5(2)", 4, "two non-executives"), ("2.10", 2, "pasted text, fenced")]


REAL = SHARED / "fixtures" / "real" / "hertfordshire-and-west-essex.md"


def test_real_constitution_text_as_markdown(tmp_path: Path) -> None:
    """The published Hertfordshire and West Essex sections (where the shared fixtures sit
    beside the repository), as plain Markdown: the clause numbers a reviewer would cite."""
    if not REAL.is_file():
        pytest.skip(f"{REAL} is not available")
    lines = REAL.read_text(encoding="utf-8").splitlines()
    page = tmp_path / "hwe.md"
    page.write_text("\n".join(ln for ln in lines if not ln.startswith(("```", "URL:"))),
                    encoding="utf-8")
    got = {c.number: c.text for c in read_document(page).clauses if c.number}
    # as published, in fences of plain text: the same clauses
    fenced = {c.number: c.text for c in read_document(REAL).clauses if c.number}
    assert {k: v for k, v in fenced.items() if k in got} == got
    assert got["2.1.3(1)"] == "a Chair" and got["2.1.3(3)"] == "at least three Ordinary Members."
    assert got["2.1.5(1)"].startswith("three Executive Members")
    assert got["3.1.1(1)"].startswith("comply with the criteria of the")
    assert got["3.2.1"] == "A Member of Parliament."
    assert {"2.1.1", "2.1.4", "2.1.6", "3.1", "3.2", "5.1"} <= set(got)


@pytest.mark.parametrize("labels, numbers", [
    (["4.3", "(a)", "(b)", "(i)", "(ii)", "(c)"],
     ["4.3", "4.3(a)", "4.3(b)", "4.3(b)(i)", "4.3(b)(ii)", "4.3(c)"]),
    (["1.1", "(h)", "(i)", "(j)"], ["1.1", "1.1(h)", "1.1(i)", "1.1(j)"]),  # i after h: a letter
    (["2", "(i)", "(ii)", "(iii)"], ["2", "2(i)", "2(ii)", "2(iii)"]),
    (["5.1", "(v)"], ["5.1", "5.1(v)"]),
    (["2022 onwards", "3.2.1"], [None, "3.2.1"]),  # a year is not a clause number
])
def test_labels_read_from_text_are_cited_with_their_parent(labels: list[str],
                                                           numbers: list[str | None]) -> None:
    from ics_rules.documents.numbers import Outline, leading_label

    outline = Outline()
    got = []
    for text in labels:
        label = leading_label(text + " text")
        got.append(outline.place(label)[0] if label is not None else None)
    assert got == numbers
