"""Limits and safe parsers for untrusted documents: one place decides what a document may cost.

A document is refused (an `InputError`, exit 2) before it can use much time or memory: file
size, zip member count, uncompressed sizes and compression ratio are checked before any member
is read, XML never loads a DTD, expands an entity or touches the network, and PDFs have a page
limit. Every message names the file.
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path
from typing import Any

from ..errors import InputError

MAX_FILE_BYTES = 64 * 1024 * 1024  # the document file itself
MAX_MEMBERS = 5_000  # entries in a .docx zip
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one uncompressed zip member
MAX_TOTAL_BYTES = 256 * 1024 * 1024  # all uncompressed members together
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PAGES = 2_000  # a constitution runs to tens of pages; a 10,000-page PDF is refused
MAX_TEXT_BYTES = 32 * 1024 * 1024  # HTML / Markdown
EXTRA_HINT = "install the documents extra: pip install 'ics-rules[documents]'"


def needs(module: str, what: str, display: str) -> Any:
    """Import `module` for reading `what`, or fail with a message naming the extra."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise InputError(f"reading {what} needs the '{module.split('.')[0]}' package, which is "
                         "not installed", display, hint=EXTRA_HINT) from None


def check_file(path: Path, display: str, limit: int = MAX_FILE_BYTES) -> int:
    """Size of a regular file within `limit`, else a clear error."""
    from ..guard import check_input

    st = check_input(path, display)  # a regular file: a FIFO or a device never hangs
    if st.st_size > limit:
        raise InputError(f"the document is {st.st_size // (1024 * 1024)} MB, over the "
                         f"{limit // (1024 * 1024)} MB limit", display)
    if st.st_size == 0:
        raise InputError("the document is empty", display)
    return st.st_size


class SafeZip:
    """A zip archive (.docx) whose members were size-checked before any was read."""

    def __init__(self, path: Path, display: str) -> None:
        self.display = display
        check_file(path, display)
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError("not a .docx file: this is an OLE file (an encrypted or "
                             "password-protected Word document, or a Word 97-2003 .doc); "
                             "remove the password or save it as .docx", display)
        if not magic.startswith(b"PK"):
            raise InputError("not a .docx file (it is not a zip archive)", display)
        try:
            self.zf = zipfile.ZipFile(path)
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"damaged .docx (zip archive unreadable: {exc})", display) from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"the .docx has {len(infos)} parts, over the {MAX_MEMBERS} "
                             "limit", display)
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                raise InputError(f"the .docx expands to more than "
                                 f"{max(MAX_MEMBER_BYTES, total) // (1024 * 1024)} MB "
                                 f"({info.filename}); refusing a possible zip bomb", display)
            if (info.file_size > RATIO_FLOOR
                    and info.file_size > MAX_RATIO * max(info.compress_size, 1)):
                raise InputError(f"part {info.filename} is compressed "
                                 f"{info.file_size // max(info.compress_size, 1)}:1; refusing "
                                 "a possible zip bomb", display)
        self.names = {i.filename for i in infos}

    def read(self, name: str) -> bytes | None:
        """A member's bytes (None when absent), never more than its checked size."""
        if name not in self.names:
            return None
        info = self.zf.getinfo(name)
        try:
            with self.zf.open(info) as fh:
                data = fh.read(min(info.file_size, MAX_MEMBER_BYTES) + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
            # RuntimeError: an encrypted member; zlib errors surface as BadZipFile/OSError.
            raise InputError(f"damaged .docx: cannot read {name} ({exc})", self.display) \
                from None
        except Exception as exc:  # zlib.error and friends from a corrupt stream
            raise InputError(f"damaged .docx: cannot read {name} ({exc})", self.display) \
                from None
        if len(data) > info.file_size:
            raise InputError(f"damaged .docx: {name} is larger than its header says; refusing "
                             "a possible zip bomb", self.display)
        return data

    def close(self) -> None:
        self.zf.close()


def parse_xml(data: bytes, display: str, part: str) -> Any:
    """An lxml tree of untrusted XML: no DTD, no entities, no network, no huge trees."""
    etree = needs("lxml.etree", "Word documents", display)
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InputError(f"{part} declares a DTD or entities, which Word never writes; "
                         "refusing it (external entities / entity expansion)", display)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"damaged .docx: {part} is not well-formed XML ({exc})", display) \
            from None
