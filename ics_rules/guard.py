"""The input/output guard, used by every command: what may be read, and where output may go.

Reading: a path must name a regular file. It is checked before it is opened, and opened
non-blocking and checked again on the open descriptor, so a FIFO, a device, a folder or a
symlink loop is a clear error (exit 2) and never a hang. Folder scans skip what is not a
regular file without opening it.

Writing: an output path is checked against every input of the command (constitutions,
waivers, rulesets) by resolved path and by device and inode, so no input is ever
overwritten, even through a symlink or a hard link. Files are written beside the target,
fsynced and renamed over it; the temporary file is removed on any failure, on Ctrl-C and on
SIGTERM/SIGHUP, so an interrupted write leaves the old output intact and no `.tmp` behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import InputError, UsageError

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISDIR, "a directory"))


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _stat_error(exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.ELOOP:
        return "cannot read file: a loop of symbolic links"
    return f"cannot read file: {exc.strerror or exc}"


# ---------------------------------------------------------------- reading


def check_input(path: str | Path, display: str) -> os.stat_result:
    """The file's status if it is a regular file (or a symlink to one), checked without
    opening it; else an `InputError` saying what it is (a FIFO, a device, a folder, a loop)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(_stat_error(exc), display) from None
    except ValueError:  # an embedded NUL in the name
        raise InputError("cannot read file: invalid file name", display) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory, expected a file", display)
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"is {_kind(info.st_mode)}, not a regular file; give a file", display)
    return info


def read_input(path: str | Path, display: str, max_bytes: int) -> bytes:
    """The bytes of a regular file, at most `max_bytes` (more is an error, named with its size).

    Raises `InputError` (file, and line 1 column 1 for the size) for anything else.
    """
    info = check_input(path, display)
    if info.st_size > max_bytes:
        raise InputError(f"file is {info.st_size:,} bytes; the limit is {max_bytes:,} bytes",
                         display, 1, 1)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(_stat_error(exc), display) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the check and the open
            raise InputError(f"is {_kind(mode)}, not a regular file; give a file", display)
        chunks = []
        size = 0
        while size <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > max_bytes:
        raise InputError(f"file is larger than the limit of {max_bytes:,} bytes", display, 1, 1)
    return raw


def is_regular_file(path: str | Path) -> bool:
    """For folder scans: True for a regular file (or a symlink to one); never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_head(path: str | Path, size: int) -> bytes:
    """The first `size` bytes of a regular file, or b"" for anything else (folder scans)."""
    if not is_regular_file(path):
        return b""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, size)
    except OSError:
        return b""
    finally:
        os.close(fd)


# ---------------------------------------------------------------- where output may go


def _identity(path: str | Path) -> tuple[Path | None, tuple[int, int] | None]:
    """(resolved path, (device, inode) when it exists) of a path; Nones when unknowable."""
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        resolved = None
    try:
        info = os.stat(path)
        ident = (info.st_dev, info.st_ino)
    except (OSError, ValueError):
        ident = None
    return resolved, ident


class Inputs:
    """Every file a command reads; an output may name none of them."""

    def __init__(self, paths: Iterable[str | Path] = ()) -> None:
        self.paths: set[Path] = set()
        self.inodes: set[tuple[int, int]] = set()
        for p in paths:
            self.add(p)

    def add(self, path: str | Path) -> None:
        resolved, ident = _identity(path)
        if resolved is not None:
            self.paths.add(resolved)
        if ident is not None:
            self.inodes.add(ident)

    def contains(self, path: str | Path) -> bool:
        resolved, ident = _identity(path)
        return (resolved is not None and resolved in self.paths) or (
            ident is not None and ident in self.inodes)


def check_output(output: str, inputs: Inputs) -> Path:
    """The output path, if writing it destroys no input; else a `UsageError` saying why."""
    target = Path(output)
    try:
        target.resolve()
    except RuntimeError:
        raise UsageError(f"cannot write {output}: a loop of symbolic links") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot write {output}: {exc}") from None
    if inputs.contains(target):
        raise UsageError(f"refusing to write the output over an input file: {output}")
    if target.is_dir():
        raise UsageError(f"output {output} is a folder; give a file name")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write {output}: folder {parent} does not exist")
    return target


def check_output_folder(output: str, input_folder: str) -> Path:
    """A folder for one report per input: never the input folder nor one holding it."""
    out = Path(output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{input_folder} is a folder, so -o must name a folder; {output} is a "
                         "file")
    try:
        out_resolved = out.resolve()
        in_resolved = Path(input_folder).resolve()
    except (OSError, RuntimeError) as exc:
        raise UsageError(f"cannot use the output folder {output}: {exc}") from None
    if out_resolved == in_resolved:
        raise UsageError(f"the output folder {output} is the input folder {input_folder}; "
                         "give another folder for the reports")
    if out_resolved in in_resolved.parents:
        raise UsageError(f"the output folder {output} contains the input folder "
                         f"{input_folder}; give a folder outside it")
    return out


# ---------------------------------------------------------------- atomic writes


def write_atomic(target: Path, chunks: Iterable[bytes], mode: int | None = None) -> None:
    """Write `chunks` to a temporary file beside `target`, fsync, rename over `target`.

    `mode` None keeps an existing file's permissions (new files get the umask's). On any
    failure or interruption the temporary file is removed and the old `target` is untouched.
    Raises OSError.
    """
    import tempfile

    parent = target.parent if str(target.parent) else Path(".")
    tmp: str | None = None
    with _signals_interrupt():
        try:
            fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            if mode is None:
                try:
                    mode = stat.S_IMODE(os.stat(target).st_mode)
                except OSError:
                    umask = os.umask(0)
                    os.umask(umask)
                    mode = 0o666 & ~umask
            os.chmod(tmp, mode)
            os.replace(tmp, target)
            tmp = None
            _fsync_folder(parent)
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can fsync a folder)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Interrupted(SystemExit):
    """SIGTERM or SIGHUP arrived during a write: unwind (removing the temporary file), exit."""


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise `Interrupted` so `finally` blocks run."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
              if s is not None]
    previous: dict[int, Any] = {}

    def interrupt(signum: int, _frame: Any) -> None:
        raise Interrupted(128 + signum)

    for s in wanted:
        try:
            current = signal.getsignal(s)
            if current is signal.SIG_IGN:
                continue
            previous[s] = current
            signal.signal(s, interrupt)
        except (OSError, ValueError):
            pass
    try:
        yield
    finally:
        for s, handler in previous.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(s, handler)
