"""Constitution text is untrusted: reports escape it, and the PDF renderer fetches nothing.

A hostile constitution puts HTML, CSS `url(...)`, `<img>` and `<link rel=attachment>` aimed
at a local secret file and at a loopback HTTP server (127.0.0.1 only, started here) into the
ICB's name, board member and committee names and other text fields. Every report format must
show it as text: the server sees no request and the secret's bytes are in no output.
"""

from __future__ import annotations

import datetime
import http.server
import json
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from .conftest import EXAMPLE, pdf_streams, run_cli

AS_OF = datetime.date(2026, 1, 1)
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082")


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a 1-pixel PNG and records the path asked for."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png")
                         else "text/css")
        self.end_headers()
        self.wfile.write(PNG_1PX if self.path.endswith(".png") else b"body{color:red}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server on 127.0.0.1 (an ephemeral port); yields its URL and its log."""
    seen: ClassVar[list[str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture()
def secret(tmp_path: Path) -> tuple[Path, bytes]:
    """A local file whose contents must never reach a report."""
    marker = f"ICS-RULES-SECRET-{uuid.uuid4().hex}".encode()
    path = tmp_path / "secret.txt"
    path.write_bytes(marker + b"\n")
    return path, marker


def pieces(url: str, secret_path: Path, where: str) -> list[str]:
    """Markup that would fetch or embed something if it were ever rendered as HTML or CSS
    (in pieces: the schema caps a name at 300 characters)."""
    file_url = secret_path.as_uri()
    return [
        f'{where} <img src="{url}/{where}.png"> <img src="{file_url}">',
        f'<link rel="attachment" href="{file_url}">'
        f'<link rel="stylesheet" href="{url}/{where}.css">',
        f"<style>@import url({url}/{where}-i.css); body{{background:url({url}/{where}-bg.png)}} "
        f"h1{{background-image:url('{file_url}')}}</style>",
        f'" style="background:url({url}/{where}-attr.png)" x="<script>alert(1)</script>',
        f'<svg><image href="{url}/{where}-svg.png"/></svg> ![i]({url}/{where}-md.png) '
        f'[l]({url}/{where}) </td></tr></table><iframe src="{file_url}">',
    ]


def hostile_constitution(folder: Path, url: str, secret_path: Path) -> Path:
    """The example with hostile text in the ICB, board member, committee and other fields."""
    text = EXAMPLE.read_text(encoding="utf-8")
    edits = {  # line of the example -> which pieces go into it
        "  name: NHS Example Integrated Care Board ": ("icb", (0, 3)),
        "      name: Chair\n": ("member", (1,)),
        "    name: Audit and Risk Committee\n": ("committee", (2,)),
        "  short_name: Example ICB\n": ("short", (4,)),
        "  name: Example Integrated Care Partnership\n": ("partnership", (0,)),
        "    name: Exampleshire\n": ("place", (2,)),
    }
    for old, (where, chosen) in edits.items():
        assert old in text, old
        value = " ".join(pieces(url, secret_path, where)[i] for i in chosen)
        assert len(value) <= 300, (where, len(value))
        indent = old[: len(old) - len(old.lstrip())]
        key = old.strip().split(":")[0]
        new = f"{indent}{key}: {json.dumps(value)}"
        new += " " if old.endswith(" ") else "\n"
        text = text.replace(old, new, 1)
    text = text.replace('    version: "1.2"\n', f"    version: {json.dumps('<b>1.2</b>')}\n", 1)
    target = folder / "hostile.yaml"
    target.write_text(text, encoding="utf-8")
    return target


def test_hostile_constitution_loads_and_keeps_its_text(tmp_path: Path, server: Any,
                                                       secret: Any) -> None:
    from ics_rules.loader import load_constitution

    path = hostile_constitution(tmp_path, server[0], secret[0])
    c = load_constitution(path)
    assert "<img src=" in c.icb_name and "<script>" in c.icb_name


def test_reports_of_a_hostile_constitution_fetch_and_embed_nothing(
        tmp_path: Path, server: Any, secret: Any, rulesets: Any) -> None:
    url, seen = server
    secret_path, marker = secret
    path = hostile_constitution(tmp_path, url, secret_path)
    outputs: dict[str, bytes] = {}
    for ext in ("pdf", "html", "md", "json"):
        out = tmp_path / f"report.{ext}"
        proc = run_cli("report", str(path), "-o", str(out), "--as-of", "2026-01-01")
        assert proc.returncode == 0, proc.stderr
        outputs[ext] = out.read_bytes()
    for fmt in ("html", "markdown", "sarif", "junit", "json", "text"):
        out = tmp_path / f"check.{fmt}"
        proc = run_cli("check", str(path), "--format", fmt, "-o", str(out), "--as-of",
                       "2026-01-01", "--fail-on", "never")
        assert proc.returncode == 0, proc.stderr
        outputs[f"check.{fmt}"] = out.read_bytes()

    assert seen == [], f"the report renderer fetched {seen}"
    for name, data in outputs.items():
        body = pdf_streams(data) if name == "pdf" else data
        assert marker not in body, f"{name} embeds the local file"

    pdf = pdf_streams(outputs["pdf"])
    assert b"/EmbeddedFiles" not in pdf and b"/Subtype /Image" not in pdf
    for name in ("html", "check.html"):
        html = outputs[name].decode("utf-8")
        assert not re.search(r"<(img|link|script|iframe|svg|image)\b", html), name
        assert html.count("<style>") == 1 and "@import" not in html
        assert "&lt;img src=" in html and "&lt;script&gt;" in html
        assert f'style="background:url({url}' not in html
    for name in ("md", "check.markdown"):
        md = outputs[name].decode("utf-8")
        prose = re.sub(r"(`+).*?\1", "", md)  # code spans show HTML as text
        assert not re.search(r"(?<!\\)<(img|script|style|link|svg|iframe)", prose), name
        assert "\\<img src=" in md
        assert f"]({url}" not in md  # links and images are escaped: `\](`


def test_url_fetcher_refuses_every_url_outside_the_bundle(tmp_path: Path, server: Any,
                                                          secret: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Even markup that is not escaped (as if a template were wrong) loads nothing."""
    import weasyprint

    from ics_rules.report import pdf

    url, seen = server
    secret_path, marker = secret
    asked: list[str] = []
    original = pdf.fetch_asset

    def spy(u: str) -> tuple[bytes, str]:
        asked.append(u)
        return original(u)

    monkeypatch.setattr(pdf, "fetch_asset", spy)
    file_url = secret_path.as_uri()
    data_url = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    html = (f'<html><head><link rel="stylesheet" href="{url}/s.css">'
            f'<link rel="attachment" href="{file_url}">'
            f"<style>@import url({url}/i.css); body {{ background: url({file_url}) }}</style>"
            f'</head><body><img src="{url}/a.png"><img src="{file_url}"><img src="{data_url}">'
            f'<object data="{file_url}"></object><embed src="{file_url}">'
            f'<svg width="10" height="10"><image href="{url}/svg.png" width="10" height="10"/>'
            f"</svg><p>text</p></body></html>")
    out = weasyprint.HTML(string=html, base_url=pdf.ASSET_SCHEME,
                          url_fetcher=pdf.url_fetcher(weasyprint)).write_pdf(
        uncompressed_pdf=True, attachments=[file_url])
    assert seen == []
    assert marker not in out and marker not in pdf_streams(out)
    assert any(u.startswith("http://127.0.0.1") for u in asked)
    assert any(u.startswith("file:") for u in asked)
    for bad in (file_url, f"{url}/a.png", data_url, "ftp://127.0.0.1/x", "/etc/passwd",
                "ics-rules-asset:../../etc/passwd", "ics-rules-asset:assurance.css"):
        with pytest.raises(pdf.RefusedURL):
            original(bad)


def test_markdown_escape_makes_text_inert() -> None:
    from ics_rules.report.templating import md_code, md_escape

    for hostile in ("<img src=x>", "[a](http://x)", "![i](http://x)", "**b**", "`c`",
                    "a | b", "# heading", "1. item", "&amp;", "_em_", "line\nbreak"):
        escaped = md_escape(hostile)
        assert not re.search(r"(?<!\\)(<img|\]\()", escaped) and "\n" not in escaped
        assert not escaped.startswith(("#", "1.")), escaped
    assert md_code("a|b`c") == "``a\\|b`c``"
