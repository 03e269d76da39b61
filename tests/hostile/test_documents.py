"""Hostile and broken documents: each is refused with exit 2 and a message naming the file,
quickly and without reading the whole of it into memory (zip bombs, entity expansion,
encrypted, corrupt, over-long and text-less PDFs). The files are built here, small on disk."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from ics_rules.errors import InputError

from ..conftest import run_cli

pytest.importorskip("lxml")
pytest.importorskip("pypdfium2")

from tools.docwriter import write_docx


def raw_pdf(pages: int = 1, text: bool = False, encrypt: bool = False) -> bytes:
    """A minimal PDF by hand: `pages` empty pages (or one line of text each)."""
    objs: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    content = b"BT /F1 12 Tf 72 720 Td (Hello clause 1.1) Tj ET" if text else b""
    objs.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for _ in range(pages):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
                    b"/Resources << /Font << /F1 4 0 R >> >> >>")
        kids.append(b"%d 0 R" % len(objs))
    objs[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % pages
    if encrypt:
        objs.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"41" * 32 + b"> /U <"
                    + b"42" * 32 + b"> /P -4 >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objs) + 1)
    if encrypt:
        trailer += b" /Encrypt %d 0 R /ID [<%s> <%s>]" % (len(objs), b"00" * 16, b"00" * 16)
    out += b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def docx_with(tmp: Path, name: str, document: bytes) -> Path:
    """A real .docx whose main part is replaced by `document`."""
    good = tmp / "good.docx"
    write_docx([("para", "x")], good)
    path = tmp / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = document if info.filename == "word/document.xml" else src.read(info)
            dst.writestr(info.filename, data)
    return path


W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    cases: dict[str, tuple[Path, str]] = {}
    bomb = tmp / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (80 * 1024 * 1024))
    cases["zip bomb"] = (bomb, "zip bomb")
    many = tmp / "many.docx"
    with zipfile.ZipFile(many, "w") as z:
        for k in range(5_001):
            z.writestr(f"p{k}", b"")
    cases["too many parts"] = (many, "parts")
    ole = tmp / "locked.docx"
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    cases["encrypted docx"] = (ole, "password")
    junk = tmp / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    cases["corrupt docx"] = (junk, "damaged")
    nomain = tmp / "nomain.docx"
    with zipfile.ZipFile(nomain, "w") as z:
        z.writestr("hello.txt", b"hi")
    cases["docx without document"] = (nomain, "no main document part")
    cases["xxe docx"] = (docx_with(tmp, "xxe.docx", b'<?xml version="1.0"?><!DOCTYPE d '
                                   b'[<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document '
                                   + W + b"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>"
                                   b"</w:body></w:document>"), "DTD")
    laughs = b"".join(b'<!ENTITY l%d "&l%d;&l%d;&l%d;&l%d;">' % (k, k - 1, k - 1, k - 1, k - 1)
                      for k in range(1, 12))
    cases["billion laughs docx"] = (docx_with(
        tmp, "laughs.docx", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">' + laughs
        + b"]><w:document " + W + b"><w:body><w:p><w:r><w:t>&l11;</w:t></w:r></w:p></w:body>"
        b"</w:document>"), "entities")
    cases["malformed xml"] = (docx_with(tmp, "bad.docx", b"<w:document " + W + b"><w:body>"),
                              "not well-formed")
    enc = tmp / "locked.pdf"
    enc.write_bytes(raw_pdf(text=True, encrypt=True))
    cases["encrypted pdf"] = (enc, "encrypted")
    corrupt = tmp / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    cases["corrupt pdf"] = (corrupt, "damaged PDF")
    huge = tmp / "huge.pdf"
    huge.write_bytes(raw_pdf(pages=10_000))
    cases["10,000 pages"] = (huge, "page limit")
    scan = tmp / "scan.pdf"
    scan.write_bytes(raw_pdf(pages=2))
    cases["scanned pdf"] = (scan, "no text layer")
    notpdf = tmp / "fake.pdf"
    notpdf.write_bytes(b"hello")
    cases["not a pdf"] = (notpdf, "not a PDF")
    empty = tmp / "empty.md"
    empty.write_bytes(b"")
    cases["empty markdown"] = (empty, "empty")
    binary = tmp / "binary.md"
    binary.write_bytes(b"# x\n\0\0\0")
    cases["binary markdown"] = (binary, "binary")
    doc = tmp / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    cases["word 97 doc"] = (doc, ".doc")
    return cases


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return _cases(tmp_path_factory.mktemp("hostile-docs"))


NAMES = ["zip bomb", "too many parts", "encrypted docx", "corrupt docx", "docx without document",
         "xxe docx", "billion laughs docx", "malformed xml", "encrypted pdf", "corrupt pdf",
         "10,000 pages", "scanned pdf", "not a pdf", "empty markdown", "binary markdown",
         "word 97 doc"]


@pytest.mark.parametrize("name", NAMES)
def test_reader_refuses_with_a_located_message_fast(cases: dict[str, tuple[Path, str]],
                                                    name: str) -> None:
    from ics_rules.documents.read import read_document

    path, words = cases[name]
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        read_document(path)
    assert time.perf_counter() - start < 5, "refusing must be fast"
    rendered = info.value.render()
    assert str(path) in rendered and words.lower() in rendered.lower(), rendered


def test_every_case_is_tested(cases: dict[str, tuple[Path, str]]) -> None:
    assert sorted(cases) == sorted(NAMES)


@pytest.mark.parametrize("name", ["zip bomb", "xxe docx", "encrypted pdf", "10,000 pages"])
def test_cli_exits_2_without_traceback(cases: dict[str, tuple[Path, str]], name: str) -> None:
    path, _ = cases[name]
    for command in (["extract", str(path)], ["check", str(path)]):
        proc = run_cli(*command)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
        assert str(path) in proc.stderr


def test_zip_bomb_is_refused_before_decompression(cases: dict[str, tuple[Path, str]]) -> None:
    import tracemalloc

    from ics_rules.documents.read import read_document

    tracemalloc.start()
    with pytest.raises(InputError):
        read_document(cases["zip bomb"][0])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak  # the 80 MB member is never inflated


def test_html_entities_and_remote_resources_are_not_fetched(tmp_path: Path) -> None:
    from ics_rules.documents.read import read_document

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    page = tmp_path / "c.html"
    page.write_text(f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><html><body>'
                    '<link rel="stylesheet" href="http://192.0.2.1/x.css">'
                    '<img src="http://192.0.2.1/y.png"><p>1.1 The ICB &x; is named.</p>'
                    "</body></html>")
    start = time.perf_counter()
    doc = read_document(page)
    assert time.perf_counter() - start < 5
    text = " ".join(c.text for c in doc.clauses)
    assert "TOP SECRET" not in text and "The ICB" in text


# Long clauses built to make the fact finder's patterns backtrack or rescan: a run of words
# that could each be read two ways took exponential time in the name finder, and a quorum
# clause naming the chair 2,000 times took 27 s (the text was searched again per mention).
LONG_CLAUSES = {
    "ambiguous words": "# NHS X\n\n1.1 " + "The " * 20000,
    "capitalised run": "1.1 " + " ".join(["Abc"] * 20000),
    "commas": "1.1 NHS " + "Aaa, " * 10000,
    "council run": "1.2 The area covers " + "Aaa and Bbb " * 5000 + " Council",
    "members": "2.1 The board consists of " + "a Chair, a Chief Executive, " * 3000,
    "audit chair": "3.1 The Audit Committee is chaired by "
                   + "a Non-Executive Member who is not " * 2000,
    "quorum": "4.1 The quorum is " + "half of the members including the Chair or " * 2000,
    "labels": "1.1 " + "(a) " * 10000,
    # a fence of text read as the document's own, never closed
    "unclosed text fence": "# NHS X ICB\n\n```text\n" + "1.1 The Board and the Chair\n" * 5000,
}


@pytest.mark.parametrize("name", sorted(LONG_CLAUSES))
def test_long_clauses_are_read_in_linear_time(tmp_path: Path, name: str) -> None:
    from ics_rules.documents.load import extract_document

    page = tmp_path / "c.md"
    page.write_text(LONG_CLAUSES[name] + "\n", encoding="utf-8")
    start = time.process_time()
    extract_document(page, str(page))
    assert time.process_time() - start < 10, name  # about 0.3 s each on the 2-core machine
