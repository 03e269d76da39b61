"""Checked bundled rulesets and the fast validator's spec, built once with the wheel.

A fresh installation (every new CI job) would otherwise build the Lark grammar and derive
the validator's types from pydantic on its first `check`; with these entries shipped in the
package, the first run decodes them like a warm cache. Entries are in the data-only form of
`cache.py` and keyed exactly as cache entries are, so a stale one is simply never asked for.
Run as `python -m ics_rules.prebuilt FOLDER` (the wheel build hook does).
"""

from __future__ import annotations

import sys
from pathlib import Path


def entries() -> dict[str, bytes]:
    """Every prebuilt entry, by cache name, computed from this installation's sources."""
    from . import cache, fastcheck, rulesets

    out: dict[str, bytes] = {}
    for path in rulesets.bundled_ruleset_files():
        text = path.read_text(encoding="utf-8")
        checked = rulesets.check_text(text, str(path))
        out[rulesets.cache_name(text)] = cache.serialize(checked)
    out[fastcheck.cache_name()] = cache.serialize(fastcheck.build_bundle())
    return out


def write(folder: Path) -> list[str]:
    """Write every entry into `folder` (created if needed); the names written, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    made = entries()
    for name, blob in sorted(made.items()):
        (folder / name).write_bytes(blob)
    return sorted(made)


def main(argv: list[str]) -> int:
    """`python -m ics_rules.prebuilt FOLDER`: write the entries, print their names."""
    if len(argv) != 1:
        print("usage: python -m ics_rules.prebuilt FOLDER", file=sys.stderr)
        return 2
    for name in write(Path(argv[0])):
        print(name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
