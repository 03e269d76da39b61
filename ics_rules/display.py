"""The display sanitiser: every string from a file, a rule or a path passes here before a
terminal, a Markdown page or an HTML page shows it.

Control characters (C0 including newline and tab, DEL, C1), bidirectional overrides,
embeddings, isolates and marks, and line/paragraph separators are replaced by visible
escapes (`\\x1b`, `\\u202e`), so text from a constitution can neither move the cursor, erase
lines, set the window title or the clipboard (OSC), plant a hyperlink, forge a
`file:line:col` line with a newline in a file name, nor reorder what is shown. The colour
codes the text reporter adds itself are the only escapes ics-rules prints.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls; Arabic letter mark; LRM/RLM; line and paragraph separators;
# LRE/RLE/PDF/LRO/RLO; LRI/RLI/FSI/PDI.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
                     "\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: object) -> str:
    """`text` as a string that shows every unsafe character as a visible escape."""
    s = text if isinstance(text, str) else str(text)
    if _UNSAFE.search(s) is None:
        return s
    return _UNSAFE.sub(_escape, s)


# The same without tab, newline and carriage return, which are plain white space on a page.
_UNSAFE_ON_PAGE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028"
                             "\u2029\u202a-\u202e\u2066-\u2069]")


def clean_for_page(text: object) -> str:
    """Like `clean`, keeping tab and line breaks (HTML and PDF show them as white space)."""
    s = text if isinstance(text, str) else str(text)
    if _UNSAFE_ON_PAGE.search(s) is None:
        return s
    return _UNSAFE_ON_PAGE.sub(_escape, s)
