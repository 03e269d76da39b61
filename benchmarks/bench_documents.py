"""Reading constitution documents: `extract` (read + find facts) on a 40-page Word file and a
40-page PDF, untagged and tagged, against the issue-11 targets (Word < 0.5 s, PDF < 3 s).

The documents are generated here (the bundled example's constitution text followed by
generic parts until the PDF runs to about 40 pages): Word with automatic numbering, PDF by
WeasyPrint. Times are in-process (import costs excluded: they are paid once per run and are
the same for a YAML check). The machine may be shared: read the figures with the load average
printed beside them.

    python benchmarks/bench_documents.py [--quick] [--repeat N]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import benchutil as bu
import common

NAME = "bench_documents"
TARGETS_MS = {"docx": 500.0, "pdf": 3000.0}


def _documents(tmp: Path, quick: bool) -> dict[str, Path]:
    from tools.docwriter import long_outline, write_docx, write_pdf
    from tools.make_example_docx import BLOCKS

    blocks = [*BLOCKS, *long_outline(sections=2 if quick else 14, clauses=4 if quick else 14)]
    out = {"docx": tmp / "constitution.docx"}
    write_docx(blocks, out["docx"], header="NHS Example ICB Constitution")
    try:
        import weasyprint  # noqa: F401  (the pdf extra makes the PDFs)
    except ImportError:
        print("skipped: PDF documents (WeasyPrint, the pdf extra, is not installed)")
        return out
    out["pdf"], out["pdf-tagged"] = tmp / "constitution.pdf", tmp / "constitution-tagged.pdf"
    write_pdf(blocks, out["pdf"], tagged=False, header="NHS Example ICB Constitution")
    write_pdf(blocks, out["pdf-tagged"], tagged=True, header="NHS Example ICB Constitution")
    return out


def main(argv: list[str] | None = None) -> int:
    """Generate the documents, time reading and extracting each, print the table."""
    p = bu.parser(__doc__.splitlines()[0])
    args = p.parse_args(argv)
    bu.setup(args)
    try:
        from ics_rules.documents.load import extract_document
        from ics_rules.documents.read import read_document
    except ImportError as exc:  # the documents extra is not installed
        print(f"skipped: documents extra not installed ({exc})")
        common.write_json([], NAME, {"skipped": [bu.skipped("documents", str(exc))]})
        return 0
    n = bu.repeat(args, normal=7, quick=1)
    results: list[common.Timing] = []
    with tempfile.TemporaryDirectory(prefix="ics-bench-docs-") as tmp_name:
        print("  generating the documents (WeasyPrint) ...", flush=True)
        docs = _documents(Path(tmp_name), args.quick)
        pages = read_document(docs["pdf"]).pages or 0 if "pdf" in docs else 0
        for kind, path in docs.items():
            doc = read_document(path)
            for what, fn in (("read", lambda p=path: read_document(p)),
                             ("extract", lambda p=path: extract_document(p))):
                print(f"  timing {what} {path.name} ...", flush=True)
                t = common.time_callable(f"{what} {kind} ({pages} pages)", fn, repeat=n,
                                         number=1, warmup=0 if args.quick else 1)
                t.meta.update({"clauses": len(doc.clauses), "pages": pages,
                               "bytes": path.stat().st_size})
                results.append(t)
    print()
    print(common.format_table(results, unit="ms",
                              title=f"read / extract a {pages}-page constitution ({n} runs)"))
    verdicts: list[dict[str, Any]] = []
    for r in results:
        if r.name.startswith("extract"):
            kind = "docx" if " docx " in r.name else "pdf"
            ok = r.median <= TARGETS_MS[kind]
            verdicts.append({"name": r.name, "target_ms": TARGETS_MS[kind], "met": ok})
            print(f"t({r.name}) = {r.median:.0f} ms, target < {TARGETS_MS[kind]:.0f} ms: "
                  f"{'met' if ok else 'NOT met'}")
    print(f"load average after: {bu.load_average()}")
    path = common.write_json(results, NAME, {"repeat": n, "quick": args.quick,
                                             "targets": verdicts, "skipped": []})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
