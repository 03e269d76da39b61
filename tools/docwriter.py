"""Write one constitution outline as Word, HTML, Markdown and PDF, for tests and examples.

The outline is a list of blocks. The Word file uses real automatic numbering (the section
headings are numbered through their paragraph style, clauses through `w:numPr`, items in
"(a)" form), so a reader must resolve numbering to get the numbers; the other formats print
the same numbers as text, as Word, a browser or a PDF would show them.

Blocks: `("heading", text)`, `("subheading", text)` (numbered "3.1" through a style that
inherits its list from the heading style by `w:basedOn`), `("clause", level, text)` with level
2 or 3, `("item", text)`,
`("para", text)`, `("bullet", text)`, `("table", [[cell, ...], ...])`, `("restart", n)` (the
next second-level clause is numbered n, via a new w:num with a startOverride), `("pagebreak",)`.
A text may be a list of segments: plain strings, `("ins", text)` and `("del", text)`
(tracked changes in Word; the other formats print the accepted text).
"""

from __future__ import annotations

import html
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
Block = tuple[Any, ...]


def accepted(text: Any) -> str:
    """The text with every tracked change accepted."""
    if isinstance(text, str):
        return text
    return "".join(s if isinstance(s, str) else (s[1] if s[0] == "ins" else "") for s in text)


def original(text: Any) -> str:
    """The text as before its tracked changes."""
    if isinstance(text, str):
        return text
    return "".join(s if isinstance(s, str) else (s[1] if s[0] == "del" else "") for s in text)


def numbered(blocks: list[Block]) -> list[tuple[str, str | None, Block]]:
    """Each block with the number Word would print: (kind, number, block)."""
    counters = [0, 0, 0, 0]
    out: list[tuple[str, str | None, Block]] = []
    for b in blocks:
        kind = b[0]
        if kind == "heading":
            counters = [counters[0] + 1, 0, 0, 0]
            out.append((kind, str(counters[0]), b))
        elif kind == "subheading":
            counters = [counters[0], counters[1] + 1, 0, 0]
            out.append((kind, f"{counters[0]}.{counters[1]}", b))
        elif kind == "clause":
            level = b[1]
            counters[level - 1] += 1
            for k in range(level, 4):
                counters[k] = 0
            out.append((kind, ".".join(str(c) for c in counters[:level]), b))
        elif kind == "item":
            counters[3] += 1
            out.append((kind, "(" + chr(ord("a") + counters[3] - 1) + ")", b))
        elif kind == "restart":
            counters[1:] = [b[1] - 1, 0, 0]
        else:
            out.append((kind, None, b))
    return out


# ------------------------------------------------------------------------------- Word

def _runs(text: Any) -> str:
    if isinstance(text, str):
        return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    out = []
    for i, s in enumerate(text):
        if isinstance(s, str):
            out.append(_runs(s))
        elif s[0] == "ins":
            out.append(f'<w:ins w:id="{100 + i}" w:author="Reviewer" w:date="2026-01-05T10:00:00Z">'
                       f'<w:r><w:t xml:space="preserve">{escape(s[1])}</w:t></w:r></w:ins>')
        else:
            out.append(f'<w:del w:id="{100 + i}" w:author="Reviewer" w:date="2026-01-05T10:00:00Z">'
                       f'<w:r><w:delText xml:space="preserve">{escape(s[1])}</w:delText></w:r>'
                       '</w:del>')
    return "".join(out)


def _p(text: Any, style: str | None = None, num: tuple[int, int] | None = None) -> str:
    ppr = ""
    if style or num:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + (
            f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
            if num else "") + "</w:pPr>"
    return f"<w:p>{ppr}{_runs(text)}</w:p>"


_LEVELS = [("decimal", "%1."), ("decimal", "%1.%2."), ("decimal", "%1.%2.%3."),
           ("lowerLetter", "(%4)"), ("lowerRoman", "(%5)")]


def _numbering(restarts: list[int]) -> str:
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        + ('<w:pStyle w:val="Heading1"/>' if i == 0 else "")
        + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="720"/></w:pPr></w:lvl>'
        for i, (fmt, text) in enumerate(_LEVELS))
    nums = '<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>'
    for k, start in enumerate(restarts):
        nums += (f'<w:num w:numId="{2 + k}"><w:abstractNumId w:val="10"/>'
                 f'<w:lvlOverride w:ilvl="1"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                 '</w:num>')
    # A second, unrelated list (bullets) to show that bullets carry no clause number.
    bullets = ('<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
               '<w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/></w:lvl></w:abstractNum>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="10">'
            f'<w:multiLevelType w:val="multilevel"/>{lvls}</w:abstractNum>{bullets}{nums}'
            f'<w:num w:numId="{2 + len(restarts)}"><w:abstractNumId w:val="20"/></w:num>'
            "</w:numbering>")


_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>
<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>
<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>
<w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr>
<w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="SectionTitle"><w:name w:val="Section Title"/>
<w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/>
<w:basedOn w:val="Normal"/></w:style>
</w:styles>"""


def write_docx(blocks: list[Block], path: Path, *, header: str = "", footer: str = "",
               view: str = "tracked") -> None:
    """A .docx of the outline with automatic numbering, a header/footer and tracked changes."""
    body: list[str] = []
    num_id = 1
    restarts = [b[1] for b in blocks if b[0] == "restart"]
    bullet_id = 2 + len(restarts)
    for b in blocks:
        kind = b[0]
        if kind == "heading":
            # Numbered through the style chain: SectionTitle -> Heading1 (numId 1, level 0).
            body.append(_p(b[1], "SectionTitle"))
        elif kind == "subheading":
            body.append(_p(b[1], "Heading2"))
        elif kind == "clause":
            body.append(_p(b[2], "Clause", (num_id, b[1] - 1)))
        elif kind == "item":
            body.append(_p(b[1], "Clause", (num_id, 3)))
        elif kind == "bullet":
            body.append(_p(b[1], None, (bullet_id, 0)))
        elif kind == "para":
            body.append(_p(b[1]))
        elif kind == "restart":
            num_id += 1
        elif kind == "pagebreak":
            body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif kind == "table":
            rows = "".join("<w:tr>" + "".join(f"<w:tc>{_p(c)}</w:tc>" for c in row) + "</w:tr>"
                           for row in b[1])
            body.append(f"<w:tbl><w:tblPr/>{rows}</w:tbl>")
    sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/>'
            '<w:footerReference w:type="default" r:id="rIdF"/></w:sectPr>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{"".join(body)}{sect}'
                "</w:body></w:document>")
    part = ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
            f'<w:{{tag}} xmlns:w="{W}">{_p("{text}")}</w:{{tag}}>')
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.styles+xml"/>'
          '<Override PartName="/word/numbering.xml" ContentType="application/vnd.'
          'openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
          '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.header+xml"/>'
          '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.wordprocessingml.footer+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    doc_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                f'relationships"><Relationship Id="rIdS" Type="{base}styles" '
                f'Target="styles.xml"/><Relationship Id="rIdN" Type="{base}numbering" '
                f'Target="numbering.xml"/><Relationship Id="rIdH" Type="{base}header" '
                f'Target="header1.xml"/><Relationship Id="rIdF" Type="{base}footer" '
                'Target="footer1.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", ct), ("_rels/.rels", rels),
                           ("word/_rels/document.xml.rels", doc_rels),
                           ("word/document.xml", document), ("word/styles.xml", _STYLES),
                           ("word/numbering.xml", _numbering(restarts)),
                           ("word/header1.xml", part.format(tag="hdr", text=escape(header))),
                           ("word/footer1.xml", part.format(tag="ftr", text=escape(footer)))):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# ------------------------------------------------------------------------ HTML and PDF

_CSS = """
@page { size: A4; margin: 25mm 20mm;
  @top-center { content: "%(header)s"; font-size: 9pt; }
  @bottom-center { content: "Page " counter(page); font-size: 9pt; } }
body { font-family: serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 15pt; margin: 14pt 0 6pt; }
h2 { font-size: 12.5pt; margin: 10pt 0 5pt; }
p { margin: 0 0 6pt; }
p.c { padding-left: 16mm; text-indent: -16mm; }
p.c2 { margin-left: 0; } p.c3 { margin-left: 8mm; } p.i { margin-left: 24mm; }
span.n { display: inline-block; width: 16mm; text-indent: 0; }
td { border: 1px solid #999; padding: 2pt 4pt; }
.pb { break-before: page; }
"""


def to_html(blocks: list[Block], *, title: str = "Constitution", header: str = "",
            pdf: bool = False) -> str:
    """HTML with the numbers as text; for a PDF, clauses laid out with hanging indents."""
    out = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
           f"<title>{html.escape(title)}</title>"]
    if pdf:
        out.append("<style>" + _CSS.replace("%(header)s", header.replace('"', "'")) +
                   "</style>")
    out.append("</head><body>")
    if not pdf and header:
        out.append(f"<header><p>{html.escape(header)}</p></header>")
    pending_break = False
    for kind, number, b in numbered(blocks):
        pb = " pb" if pending_break else ""
        cls = " class='pb'" if pending_break else ""
        pending_break = False
        if kind in ("heading", "subheading"):
            h = "h1" if kind == "heading" else "h2"
            out.append(f"<{h}{cls}>{number} {html.escape(accepted(b[1]))}</{h}>")
        elif kind in ("clause", "item"):
            text = html.escape(accepted(b[-1]))
            level = "i" if kind == "item" else f"c{b[1]}"
            gap = "" if pdf else " "  # a PDF's hanging indent places the text after the number
            out.append(f"<p class='c {level}{pb}'><span class='n'>{number}</span>{gap}{text}</p>")
        elif kind in ("para", "bullet"):
            out.append(f"<p{cls}>{html.escape(accepted(b[1]))}</p>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) +
                           "</tr>" for row in b[1])
            out.append(f"<table{cls}>{rows}</table>")
        elif kind == "pagebreak":
            pending_break = True
    if not pdf:
        out.append("<footer><p>Page footer text</p></footer>")
    out.append("</body></html>")
    return "\n".join(out)


def write_pdf(blocks: list[Block], path: Path, *, tagged: bool, header: str = "") -> None:
    """A PDF of the outline (WeasyPrint): tagged with a structure tree, or untagged."""
    from weasyprint import HTML

    def refuse(url: str, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(f"no fetching: {url}")

    HTML(string=to_html(blocks, header=header, pdf=True), url_fetcher=refuse).write_pdf(
        str(path), pdf_tags=tagged)


def to_markdown(blocks: list[Block], *, title: str = "Constitution") -> str:
    """Markdown: headings as `#`, clause numbers as text, tables as pipes."""
    out = [f"# {title}", ""]
    for kind, number, b in numbered(blocks):
        if kind in ("heading", "subheading"):
            out += [f"{'##' if kind == 'heading' else '###'} {number} {accepted(b[1])}", ""]
        elif kind == "clause":
            out += [f"{number} {accepted(b[2])}", ""]
        elif kind == "item":
            out += [f"   {number} {accepted(b[1])}", ""]
        elif kind in ("para", "bullet"):
            out += [accepted(b[1]), ""]
        elif kind == "table":
            rows = b[1]
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * len(rows[0]))
            out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out)


def long_outline(sections: int = 12, clauses: int = 14) -> list[Block]:
    """A constitution-sized outline (about 40 pages as PDF) for benchmarks and scale tests."""
    sentence = ("the integrated care board will make arrangements with its partners for the "
                "exercise of its functions and will publish the details of those arrangements "
                "so that members of the public can see how decisions are made")
    words = sentence.split()
    blocks: list[Block] = []
    for s in range(sections):
        blocks.append(("heading", f"Part {s + 1} of the arrangements"))
        blocks.append(("para", "This part sets out how the board works in this area."))
        for c in range(clauses):
            n = 25 + (s * 7 + c * 13) % 40
            text = " ".join(words[(s + c + k) % len(words)] for k in range(n)).capitalize()
            blocks.append(("clause", 2, text + "."))
            if c % 3 == 0:
                blocks.append(("clause", 3, " ".join(words[:18]).capitalize() + ":"))
                for k in range(3):
                    blocks.append(("item", " ".join(words[k:k + 9]) + ";"))
        if s % 4 == 1:
            blocks.append(("table", [["Member", "Appointed by", "Term"]] +
                           [[f"Member {k}", "the chair", f"{k + 1} years"] for k in range(5)]))
    return blocks
