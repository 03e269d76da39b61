"""Jinja2 environments for the report templates: HTML escapes every value, Markdown escapes
every value for Markdown, because constitution text is untrusted. In both, every value first
passes the display sanitiser (`display.clean`): raw ESC or BEL means nothing on a page.

Jinja2 is imported here, and this module is imported only by the HTML, PDF and Markdown
reporters, so `check --format text|json|sarif|junit` never pays for it.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ..display import clean, clean_for_page
from ..resources import data_dir

# Markdown or HTML syntax anywhere in a line: emphasis, code, HTML, entities, table cells,
# strikethrough, and the `](` / `][` that close a link (escaping those is enough: a
# shortcut `[x]` links only with a definition, and untrusted text never starts a line).
_MD_SPECIAL = re.compile(r"([\\`*<>|&~]|\](?=[(\[])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_MD_BLOCK_START = re.compile(r"^([#+\-=])(?=\s|$)")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_SPACE = re.compile(r"\s+")
# Autolinks: GFM links bare `http(s)://`, `ftp://`, `www.` and e-mail addresses, and linkify
# (markdown-it) also bare domains, `mailto:` and `//host`. A WORD JOINER (U+2060, invisible,
# no width) breaks every one of them: around a dot between word characters (no `www.` prefix,
# no top-level domain), before a colon after a letter (no scheme), before `@` (no address)
# and between two slashes. Backslash escapes would not do: renderers link after unescaping.
_WJ = "\u2060"
_AUTOLINK = re.compile(r"(?<=\w)\.(?=\w)|(?<=[A-Za-z]):|@|//")
_AUTOLINK_BREAK = {".": _WJ + "." + _WJ, ":": _WJ + ":", "@": _WJ + "@", "//": "/" + _WJ + "/"}


class Md(str):
    """Markdown the templates built themselves: passed through without escaping."""

    __slots__ = ()


def md_escape(value: Any) -> str:
    """Text as inert Markdown: one line, every syntax character backslash-escaped, no
    autolink."""
    if value is None:
        return ""
    if isinstance(value, Md):
        return value
    text = clean(_SPACE.sub(" ", str(value)).strip())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_BLOCK_START.sub(r"\\\1", text)
    text = _MD_LIST_NUMBER.sub(r"\1\\\2", text)
    text = _AUTOLINK.sub(lambda m: _AUTOLINK_BREAK[m.group()], text)
    return "\\" + text if text.startswith("[") else text


def md_code(value: Any) -> Md:
    """Text as a Markdown code span (safe in table cells: pipes escaped, one line)."""
    text = clean(_SPACE.sub(" ", "" if value is None else str(value)).strip())
    fence = "`"
    while fence in text:
        fence += "`"
    text = text.replace("|", "\\|")
    pad = " " if text.startswith("`") or text.endswith("`") or not text else ""
    return Md(f"{fence}{pad}{text}{pad}{fence}")


def template_text(name: str) -> str:
    """A bundled template file's text (for CSS inlined into a page)."""
    return (data_dir("templates") / name).read_text(encoding="utf-8")


def _common(env: Any) -> None:
    from .assurance import topic_label

    env.filters["topic_label"] = topic_label
    env.filters["plural"] = lambda n, word, many=None: (
        f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}")
    env.filters["short_hash"] = lambda h, n=12: (h or "")[:n]


@functools.cache
def html_env() -> Any:
    """The HTML environment: autoescape on for every template, undefined names are errors."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=True, finalize=_html_finalize, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    _common(env)
    return env


def _html_finalize(value: Any) -> Any:
    """Plain strings are sanitised before autoescape; markup the templates built is kept."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return clean_for_page(value)
    return value


@functools.cache
def md_env() -> Any:
    """The Markdown environment: every `{{ value }}` passes through `md_escape`."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(data_dir("templates"))),
        autoescape=False, finalize=md_escape, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    _common(env)
    env.filters["code"] = md_code
    env.filters["raw"] = Md
    return env
