"""Regular expressions of the rules language (`matches`): RE2, which matches in linear time.

Python's `re` backtracks, so a pattern like `^(a+)+$` takes time doubling with each character
of the text; RE2 (google-re2) never backtracks and refuses what it cannot do in linear time
(backreferences, lookaround). On top of it: a pattern is at most `MAX_PATTERN` characters, a
counted repetition at most `MAX_REPEAT`, and a match reads at most the first `MAX_TEXT`
characters of the text. The checks run when the ruleset is parsed, so a bad pattern is a
located error there; re2 itself is imported only when a rule with `matches` runs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

MAX_PATTERN = 1_000
MAX_REPEAT = 1_000
MAX_TEXT = 100_000

# `{m}`, `{m,}`, `{m,n}` not preceded by a backslash (an escaped brace is a literal).
_REPEAT = re.compile(r"(?<!\\)\{\s*(\d+)\s*(?:,\s*(\d*)\s*)?\}")


def problem(pattern: str) -> tuple[str, int] | None:
    """(what is wrong, offset in the pattern) for a pattern the rules language refuses."""
    if len(pattern) > MAX_PATTERN:
        return (f"regular expression is {len(pattern):,} characters; the limit is "
                f"{MAX_PATTERN:,}", 0)
    for m in _REPEAT.finditer(pattern):
        for group in (1, 2):
            digits = m.group(group)
            if digits and (len(digits) > 6 or int(digits) > MAX_REPEAT):
                return (f"repetition count {digits} in regular expression is over the limit "
                        f"of {MAX_REPEAT:,}", m.start(group))
    try:
        _compile(pattern)
    except _re2().error as exc:
        text = exc.args[0] if exc.args else exc
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return f"invalid regular expression (RE2 syntax, linear-time): {text}", 0
    return None


def searcher(pattern: str) -> Callable[[str], bool]:
    """A test `text -> bool`: does the pattern occur in (the first `MAX_TEXT` characters of)
    the text. The pattern is compiled when first used."""
    compiled: list[Any] = []

    def search(text: str) -> bool:
        if not compiled:
            compiled.append(_compile(pattern).search)
        return compiled[0](text[:MAX_TEXT]) is not None
    return search


@functools.cache
def _re2() -> Any:
    import re2

    return re2


@functools.cache
def _compile(pattern: str) -> Any:
    re2 = _re2()
    options = re2.Options()
    options.log_errors = False  # errors are ours to report, not for stderr
    return re2.compile(pattern, options)
