"""The PDF assurance report: the HTML report laid out on A4 by WeasyPrint, tagged (PDF/UA-1).

Constitution text is untrusted, so WeasyPrint gets a URL fetcher that refuses every URL
(file:, http:, data:, anything) except the bundled assets on an allow-list, and the report's
dates come from SOURCE_DATE_EPOCH or the as-of date with a fixed document identifier, so the
same inputs give byte-identical PDFs.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
from collections.abc import Iterator
from typing import Any

from ..errors import IcsRulesError
from ..resources import data_dir
from ..version import __version__
from .assurance import source_date
from .html import page, views

ASSET_SCHEME = "ics-rules-asset:"
# Bundled files the report may load; the report inlines its CSS, so this is normally empty.
ASSETS: frozenset[str] = frozenset()
PDF_VARIANT = "pdf/ua-1"


class RefusedURL(ValueError):
    """A URL the report may not load."""


def fetch_asset(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of an allow-listed bundled asset; refuse every other URL."""
    if not url.startswith(ASSET_SCHEME):
        raise RefusedURL(f"ics-rules reports load no external resources: refused {url[:80]!r}")
    name = url[len(ASSET_SCHEME):]
    if name not in ASSETS:
        raise RefusedURL(f"not a bundled report asset: {name[:80]!r}")
    path = data_dir("templates") / name
    mime = {"css": "text/css", "svg": "image/svg+xml", "png": "image/png"}.get(
        name.rsplit(".", 1)[-1], "application/octet-stream")
    return path.read_bytes(), mime


def url_fetcher(weasyprint: Any) -> Any:
    """A WeasyPrint URL fetcher (class-based from WeasyPrint 66, a function before)."""
    base = getattr(weasyprint, "URLFetcher", None)
    if base is None:  # WeasyPrint < 66: a function returning a dict
        def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
            body, mime = fetch_asset(url)
            return {"string": body, "mime_type": mime, "redirected_url": url}

        return fetch

    from weasyprint.urls import URLFetcherResponse

    class _Fetcher(base):  # type: ignore[misc, valid-type]
        """Serves the allow-listed assets; anything else raises before any I/O."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            body, mime = fetch_asset(url)
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return _Fetcher(timeout=1, allowed_protocols=("ics-rules-asset",), allow_redirects=False)


def identifier(results: list[Any], rulesets: Any, as_of: datetime.date) -> bytes:
    """The PDF file identifier: a hash of the inputs (not random, not the clock)."""
    h = hashlib.sha256()
    for part in [__version__, as_of.isoformat(), *(r.sha256 for r in results),
                 *(rs.sha256 for rs in rulesets)]:
        h.update(part.encode())
        h.update(b"\0")
    return h.hexdigest()[:32].encode()


def load_weasyprint() -> Any:
    """WeasyPrint, or an error naming the `pdf` extra that installs it (it is not a core
    dependency: `check` and the pre-commit hook never make PDFs)."""
    try:
        import weasyprint
    except ImportError:
        raise IcsRulesError("PDF reports need the 'pdf' extra: pip install 'ics-rules[pdf]' "
                            "(or write an .html or .md report instead)") from None
    except OSError as exc:  # Pango or another system library missing
        raise IcsRulesError(f"PDF reports need WeasyPrint's system libraries (Pango): {exc}; "
                            "use an .html or .md report instead") from None
    return weasyprint


def render(results: list[Any], rulesets: Any, as_of: datetime.date, *,
           constitution: Any = None, **_: Any) -> bytes:
    """The assurance report as PDF bytes."""
    html = page(views(results, rulesets, as_of, constitution), as_of, "print")
    return html_to_pdf(html, identifier(results, rulesets, as_of), as_of)


def html_to_pdf(html: str, pdf_id: bytes, as_of: datetime.date) -> bytes:
    """A report page laid out as a tagged A4 PDF, reproducibly (shared by every PDF report)."""
    weasyprint = load_weasyprint()
    stamp = source_date(as_of)
    logging.getLogger("weasyprint").setLevel(logging.CRITICAL)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    doc = weasyprint.HTML(string=html, base_url=ASSET_SCHEME, url_fetcher=url_fetcher(weasyprint))
    options: dict[str, Any] = {"pdf_identifier": pdf_id,
                               "pdf_variant": PDF_VARIANT, "pdf_tags": True}
    with _epoch(stamp):
        try:
            return bytes(doc.write_pdf(**options))
        except (TypeError, KeyError):  # an older WeasyPrint without PDF/UA: tagged if it can
            del options["pdf_variant"]
            return bytes(doc.write_pdf(**options))


@contextlib.contextmanager
def _epoch(stamp: datetime.datetime) -> Iterator[None]:
    """SOURCE_DATE_EPOCH while the PDF is written, so fontTools stamps the embedded font
    subsets with the report's date rather than the clock (else every run differs)."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
