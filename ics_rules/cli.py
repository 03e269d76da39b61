"""The `ics-rules` command line (click). The only module that knows about click.

Exit status, for every command: 0 ran and nothing at or above `--fail-on`; 1 ran and found
something at or above it (or a rule test failed); 2 could not run as asked (usage error,
missing or invalid file, ruleset error). Errors name the file, line and column; a traceback
is never shown.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .display import clean
from .errors import IcsRulesError, InputError, UsageError
from .version import __version__

CONSTITUTION_SUFFIXES = (".yaml", ".yml", ".json", ".toml")
MARKER = "ics-constitution/1"
FAIL_ON = ("error", "warning", "info", "never")


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


def _err(message: str) -> None:
    click.echo(message, err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors into messages and exit 2; an unexpected error too, without traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except _Exit as exc:
            sys.exit(exc.code)
        except InputError as exc:
            _err(exc.render())
            sys.exit(2)
        except UsageError as exc:
            _err(f"ics-rules: error: {clean(exc)}")
            sys.exit(2)
        except IcsRulesError as exc:
            _err(f"ics-rules: error: {clean(exc)}")
            sys.exit(2)
        except KeyboardInterrupt:
            _err("ics-rules: interrupted")
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(0)
        except click.exceptions.Exit:
            raise
        except click.ClickException:
            raise
        except Exception as exc:
            if os.environ.get("ICS_RULES_DEBUG"):
                raise
            _err(f"ics-rules: internal error: {type(exc).__name__}: {clean(exc)}\n"
                 "This is a bug in ics-rules; set ICS_RULES_DEBUG=1 to see details.")
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ics-rules")
def cli() -> None:
    """Check integrated care board constitutions against Schedule 1B of the NHS Act 2006
    and NHS England policy."""


def parse_date(value: str | None, option: str = "--as-of") -> datetime.date:
    """YYYY-MM-DD, or today when not given."""
    if value is None:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} '{value}' is not a date; use YYYY-MM-DD, "
                         "for example 2022-07-01") from None


def colour_wanted(flag: bool | None, stream: Any) -> bool:
    """Colour when asked, else when writing to a terminal that is not `TERM=dumb` and
    NO_COLOR is not set."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return _is_terminal(stream)


def _is_terminal(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width(stream: Any) -> int | None:
    """The width of the terminal `stream` writes to (None when it is not a terminal)."""
    if not _is_terminal(stream):
        return None
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (OSError, ValueError, AttributeError):
        return None


def progress_wanted(count: int) -> bool:
    """A progress bar (on stderr) for several files, only on a terminal and never in CI."""
    return count > 1 and _is_terminal(sys.stderr) and not os.environ.get("CI") \
        and os.environ.get("TERM") != "dumb"


class Selection:
    """The files a command will read, and the files in named folders it leaves alone."""

    def __init__(self) -> None:
        self.files: list[tuple[str, bool]] = []  # (path, named on the command line)
        self.skipped: list[str] = []


def expand_paths(paths: tuple[str, ...], only_constitutions: bool = False) -> Selection:
    """Files named on the command line, and constitution files found in named folders.

    In a folder, only constitution files (`is_constitution_file`) are taken, so waivers, CI
    configs and other YAML beside them are left alone (and listed as skipped); hidden
    folders are skipped. With `only_constitutions` (the pre-commit hook), a named file is
    judged the same way, so the hook and folder mode agree on what a constitution file is.
    """
    selected = Selection()
    for p in paths:
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or not name.lower().endswith(CONSTITUTION_SUFFIXES):
                        continue
                    full = os.path.join(root, name)
                    if is_constitution_file(full):
                        found.append(full)
                    else:
                        selected.skipped.append(full)
            if not found:
                raise UsageError(f"no constitution files (containing '{MARKER}') in {p}")
            selected.files.extend((f, False) for f in found)
        elif only_constitutions and not is_constitution_file(p):
            selected.skipped.append(p)
        else:
            selected.files.append((p, True))
    return selected


def is_constitution_file(path: str) -> bool:
    """A regular file with a constitution suffix whose text carries the format marker (a
    FIFO or a device is never opened)."""
    if not path.lower().endswith(CONSTITUTION_SUFFIXES):
        return False
    from .guard import read_head

    return MARKER.encode() in read_head(path, 65536)


INCOMPLETE = ("\nics-rules: OUTPUT INCOMPLETE: the run stopped with an error before the end; "
              "this output is not a complete result\n")


def write_output(text: str | bytes | Iterable[str], output: str | None, inputs: Any,
                 colour: bool = False) -> None:
    """Print, or write atomically to `output` (`guard.write_atomic`), refusing to overwrite
    any of the command's `inputs` (a `guard.Inputs`).

    `text` may be an iterable of chunks, written as they come (large batch outputs).
    """
    if output is None or output == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
            sys.stdout.flush()
        elif isinstance(text, str):
            click.echo(text, nl=False, color=colour)
        else:
            try:
                for chunk in text:
                    sys.stdout.write(chunk)
            except BrokenPipeError:
                raise
            except BaseException:
                # never leave a reader with output that merely looks cut short
                with contextlib.suppress(Exception):
                    sys.stdout.write(INCOMPLETE)
                    sys.stdout.flush()
                raise
            sys.stdout.flush()
        return
    from .guard import check_output, write_atomic

    target = check_output(output, inputs)
    if isinstance(text, str):
        chunks: Iterable[bytes] = [text.encode("utf-8")]
    elif isinstance(text, bytes):
        chunks = [text]
    else:
        chunks = (chunk.encode("utf-8") for chunk in text)
    try:
        if target.exists() and not target.is_file():
            # A device or pipe (/dev/null, /dev/stdout): write to it, never replace it.
            with target.open("wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
            return
        write_atomic(target, chunks)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None


def command_inputs(paths: Iterable[str], waivers: str | None,
                   rulesets: Iterable[str]) -> Any:
    """Every file a command reads (constitutions, waivers, ruleset files): outputs avoid them."""
    from .guard import Inputs

    found = Inputs(paths)
    if waivers:
        found.add(waivers)
    for r in rulesets:
        if os.path.exists(r):
            found.add(r)
    return found


# ---------------------------------------------------------------- check

def _parse_describes(ctx: Any, param: Any, value: str | None) -> tuple[str, ...] | None:
    """`--describes constitution,icb`: checked words (a usage error names the bad one)."""
    if value is None:
        return None
    from .evidence import parse_describes

    try:
        return parse_describes(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


DESCRIBES_OPTION = click.option(
    "--describes", "describes", metavar="constitution,icb,system", callback=_parse_describes,
    help="What the file describes (overrides its describes: field): rules whose evidence lies "
         "elsewhere are not assessed.")

JOBS_OPTION = click.option(
    "--jobs", "-j", "jobs", type=click.IntRange(min=1), default=None, metavar="N",
    help="Constitutions evaluated in parallel (default: the number of cores); the output is "
         "the same as with --jobs 1.")

class _CheckFormat(click.Choice):  # type: ignore[type-arg]
    """check's formats; `pdf` (a report format) is refused with the command that makes one."""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        if isinstance(value, str) and value.lower() == "pdf":
            self.fail("a PDF is an assurance report, not check output: run "
                      "`ics-rules report FILE -o report.pdf`", param, ctx)
        return super().convert(value, param, ctx)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE",
              help="Ruleset ID or .rules file (repeatable). Default: all bundled rulesets.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Evaluate the rules in force on this date (default: today).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=_CheckFormat(["text", "json", "sarif", "junit", "markdown", "html"]),
              help="Output format (a PDF is a report: `ics-rules report FILE -o x.pdf`).")
@click.option("-o", "--output", metavar="FILE", help="Write the output to FILE.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--waivers", metavar="FILE", type=click.Path(),
              help="YAML file of accepted exceptions (rule, constitution, justification, "
                   "approved_by, expires).")
@DESCRIBES_OPTION
@click.option("--baseline", metavar="FILE", type=click.Path(),
              help="JSON results of an earlier run: report only findings not in it.")
@click.option("--write-baseline", "write_baseline", metavar="FILE", type=click.Path(),
              help="Record this run's findings as the baseline in FILE (then exit 0).")
@JOBS_OPTION
@click.option("-v", "--verbose", is_flag=True, help="Also list rules that pass or do not apply.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary lines.")
@click.option("--color/--no-color", "colour", default=None,
              help="Force colour on or off (default: on for a terminal, off with NO_COLOR "
                   "or TERM=dumb).")
@click.option("--only-constitutions", is_flag=True,
              help="Skip named files that are not constitution files (no "
                   f"'{MARKER}' marker), as in a folder; the pre-commit hook uses this.")
@handle_errors
def check(paths: tuple[str, ...], rulesets: tuple[str, ...], as_of: str | None, fmt: str,
          output: str | None, fail_on: str, waivers: str | None,
          describes: tuple[str, ...] | None, baseline: str | None,
          write_baseline: str | None, jobs: int | None, verbose: bool, quiet: bool,
          colour: bool | None, only_constitutions: bool) -> None:
    """Evaluate rulesets on constitution files or folders and print the findings."""
    from . import batch
    from .report import Run, load_error
    from .rulesets import load_rulesets

    day = parse_date(as_of)
    selection = expand_paths(paths, only_constitutions)
    files = selection.files
    rs = load_rulesets(rulesets)
    waiver_set = _waivers(waivers, rs)
    protected = command_inputs([p for p, _ in files] + ([baseline] if baseline else []),
                               waivers, rulesets)
    known, writer = _baselines(baseline, write_baseline, output, protected)
    state = {"broken": False, "failing": False}
    run = Run([], skipped=selection.skipped)

    def results() -> Iterator[Any]:
        """Evaluate file by file (in input order, on `--jobs` processes), so a streaming
        format never holds every result at once."""
        done_files = batch.run([p for p, _ in files], rs, day, waiver_set,
                               jobs=jobs or batch.cores(),
                               keep_constitution=writer is not None or known is not None,
                               describes=describes,
                               explain_passes=_shows_passes(fmt, verbose))
        for done in _progress(done_files, len(files), "checking"):
            if done.error is not None:
                _err(done.error.render())
                state["broken"] = True
                run.errors.append(load_error(done.error, done.path))
                continue
            if done.warning:
                _err(done.warning)
            result, c = done.result, done.constitution
            if writer is not None:
                writer.add(result, c)
            if known is not None:
                result = known.apply(result, c)
            if fail_on != "never" and result.failures(fail_on):
                state["failing"] = True
            yield result

    if len(files) > 1:
        # Many files: the compiled rules live for the whole run, so move them out of the
        # collector's way, and collect young objects less often (results are kept, not cycled).
        import gc

        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
    from .report import CHECK_STREAMS, reporter

    stream = sys.stdout if output in (None, "-") else None
    use_colour = colour_wanted(colour, stream) if stream and fmt == "text" else False
    run.results = results()
    chunks = reporter(fmt, CHECK_STREAMS)(
        run, rs, day, verbose=verbose, quiet=quiet, fail_on=fail_on, colour=use_colour,
        width=terminal_width(stream) if stream and fmt == "text" else None)
    write_output(chunks, output, protected, colour=use_colour)
    if writer is not None:
        write_output(writer.render(rs, day), write_baseline, protected)
        _err(f"wrote the baseline {clean(write_baseline)} ({writer.failures} finding"
             f"{'s' if writer.failures != 1 else ''})")
    if state["broken"]:
        raise _Exit(2)
    if state["failing"] and writer is None:
        raise _Exit(1)


def _shows_passes(fmt: str, verbose: bool) -> bool:
    """Whether check's output shows what met a passing rule (text only with -v; SARIF never),
    so evidence for passes is worked out only when someone will see it."""
    return fmt not in ("text", "sarif") or verbose


def _baselines(baseline: str | None, write_baseline: str | None, output: str | None,
               protected: Any) -> tuple[Any, Any]:
    """The baseline to filter by and the writer of a new one (each None when not asked).

    Refused before any work: a new baseline over an input (the old baseline included) or
    over the -o file."""
    if write_baseline is not None:
        from .guard import Inputs

        if protected.contains(write_baseline):
            raise UsageError(f"refusing to write the baseline over an input file: "
                             f"{write_baseline}; write it beside, then rename")
        if output not in (None, "-") and Inputs([output]).contains(write_baseline):
            raise UsageError("--write-baseline and -o name the same file; give two files")
    if baseline is None and write_baseline is None:
        return None, None
    from .baseline import BaselineWriter, load_baseline

    return (load_baseline(baseline) if baseline else None,
            BaselineWriter() if write_baseline else None)


def _waivers(path: str | None, rs: Any) -> Any:
    """The waivers file, checked against the loaded rules (None when not given)."""
    if not path:
        return None
    from .waivers import load_waivers

    waiver_set = load_waivers(path)
    waiver_set.validate_rules({r.id: r for r in rs.rules()})
    return waiver_set


def _progress(items: Iterable[Any], count: int, label: str) -> Iterator[Any]:
    """The items one by one, with a progress bar on stderr when `progress_wanted`, and for
    `check` only while stdout is not the same terminal (the bar would tear the output)."""
    if not progress_wanted(count) or (_is_terminal(sys.stdout) and label == "checking"):
        yield from items
        return
    with click.progressbar(items, length=count, label=label, file=sys.stderr,
                           show_pos=True) as bar:
        yield from bar


# ---------------------------------------------------------------- report

@cli.command()
@click.argument("path", type=click.Path())
@click.option("-o", "--output", metavar="FILE|FOLDER",
              help="Where to write the report. For a folder of constitutions: the folder that "
                   "gets one report per constitution and an index.")
@click.option("--format", "fmt", type=click.Choice(["json", "markdown", "html", "pdf"]),
              help="Report format (default: from the output file's extension; pdf for a "
                   "folder).")
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE",
              help="Ruleset ID or .rules file (repeatable). Default: all bundled rulesets.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Evaluation date (default: today).")
@click.option("--waivers", metavar="FILE", type=click.Path(), help="Accepted exceptions file.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="never", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@DESCRIBES_OPTION
@JOBS_OPTION
@handle_errors
def report(path: str, output: str | None, fmt: str | None, rulesets: tuple[str, ...],
           as_of: str | None, waivers: str | None, fail_on: str,
           describes: tuple[str, ...] | None, jobs: int | None) -> None:
    """Write the assurance report for a constitution, or for each constitution in a folder
    (with an index)."""
    from . import batch
    from .engine import evaluate
    from .loader import load_constitution
    from .report import EXTENSIONS, REPORT_FORMATS, reporter
    from .rulesets import load_rulesets

    folder = Path(path).is_dir()
    if folder:
        if output is None or output == "-":
            raise UsageError(f"{path} is a folder: give -o FOLDER for one report per "
                             "constitution and an index")
        from .guard import check_output_folder

        check_output_folder(output, path)
        fmt = fmt or "pdf"
    elif fmt is None:
        if output is None or output == "-":
            raise UsageError("give -o FILE (the format comes from its extension) or --format")
        fmt = EXTENSIONS.get(Path(output).suffix.lower())
        if fmt is None or fmt not in REPORT_FORMATS:
            raise UsageError(f"cannot tell the report format from '{output}'; use an extension "
                             f"(.pdf, .html, .md, .json) or --format")
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"report format '{fmt}' is not available in this version")
    if fmt == "pdf":
        from .report.pdf import load_weasyprint

        load_weasyprint()  # before any work: name the missing `pdf` extra at once
    day = parse_date(as_of)
    rs = load_rulesets(rulesets)
    waiver_set = _waivers(waivers, rs)
    render = reporter(fmt, REPORT_FORMATS)
    if not folder:
        c = load_constitution(path)
        from .starter import example_warning

        warning = example_warning(c)
        if warning:
            _err(warning)
        result = evaluate(c, rs, day, waiver_set, describes)
        data = render([result], rs, day, constitution=c)
        write_output(data, output, command_inputs([path], waivers, rulesets))
        if fail_on != "never" and result.failures(fail_on):
            raise _Exit(1)
        return

    from .report.index import render_index, report_names

    assert output is not None
    out_dir = Path(output)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {output}: {exc.strerror}") from None
    skip = out_dir.resolve()
    files = [f for f, _ in expand_paths((path,)).files
             if skip not in Path(f).resolve().parents]
    names = report_names(files, path, fmt)
    protected = command_inputs(files, waivers, rulesets)
    entries: list[dict[str, Any]] = []
    broken = failing = False

    def write_report(done: Any) -> None:
        """Render and write one constitution's report (in a worker when there are several)."""
        write_output(render([done.result], rs, day, constitution=done.constitution),
                     str(out_dir / names[done.path]), protected)

    for done in _progress(batch.run(files, rs, day, waiver_set, jobs=jobs or batch.cores(),
                                    then=write_report, chunk=1, describes=describes),
                          len(files), "reporting"):
        if done.error is not None:
            _err(done.error.render())
            broken = True
            entries.append({"path": done.path, "report": None, "result": None,
                            "error": done.error.render().splitlines()[0]})
            continue
        entries.append({"path": done.path, "report": names[done.path], "result": done.result,
                        "error": None})
        failing = failing or bool(fail_on != "never" and done.result.failures(fail_on))
    index_name, index_data = render_index(entries, rs, day, fmt)
    write_output(index_data, str(out_dir / index_name), protected)
    click.echo(f"wrote {len(entries) - sum(1 for e in entries if e['error'])} report"
               f"{'s' if len(entries) != 1 else ''} and {clean(out_dir / index_name)}", err=True)
    if broken:
        raise _Exit(2)
    if failing:
        raise _Exit(1)


# ---------------------------------------------------------------- extract

@cli.command()
@click.argument("document", type=click.Path())
@click.option("-o", "--output", metavar="FILE",
              help="Write the facts file to FILE (default: standard output). Never the input.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml",
              show_default=True, help="yaml: an ics-constitution/1 file with provenance; "
                                      "json: facts, not_found and warnings.")
@click.option("--changes", type=click.Choice(["accepted", "original"]), default="accepted",
              show_default=True, help="Read a Word document's tracked changes as accepted, or "
                                      "the text as it was before them.")
@click.option("--deviations", is_flag=True,
              help="Instead of facts: the model constitution's provisions missing, changed "
                   "or added in the document.")
@handle_errors
def extract(document: str, output: str | None, fmt: str, changes: str,
            deviations: bool) -> None:
    """Read a constitution document (.docx, .pdf, .html, .md) and write the facts it states,
    each with its clause, page or paragraph, quote and confidence."""
    from .documents import document_kind
    from .documents.load import extract_document

    if document_kind(document) is None:
        raise UsageError(f"{document} is not a document (.docx, .pdf, .html, .htm, .md); "
                         "a facts file is checked with `ics-rules check`")
    protected = command_inputs([document], None, ())
    if deviations:
        from .documents.read import read_document

        text = _deviations(read_document(document, document, changes), fmt)
        write_output(text, output, protected)
        return
    ex = extract_document(document, document, changes)
    from .documents.output import facts_json, facts_yaml

    text = facts_json(ex) if fmt == "json" else facts_yaml(ex, __version__)
    write_output(text, output, protected)
    if output not in (None, "-"):
        n, missing = len(ex.extraction.facts), len(ex.extraction.not_found)
        click.echo(f"wrote {output}: {n} fact{'s' if n != 1 else ''} read, {missing} not "
                   "found", err=True)


def _deviations(doc: Any, fmt: str) -> str:
    """The deviations view (the fact finder's) as text or JSON."""
    from .documents import deviations as dev

    return dev.render(dev.deviations(doc), fmt)


# ---------------------------------------------------------------- diff

@cli.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--git", "git_rev", metavar="REV",
              help="Compare FILE as committed at REV (git show) with FILE as it is now.")
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE",
              help="Ruleset ID or .rules file (repeatable). Default: all bundled rulesets.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Evaluate both versions against the rules in force on this date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html", "pdf"]),
              help="Output format (default: from -o's extension, else text).")
@click.option("-o", "--output", metavar="FILE", help="Write the output to FILE.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when NEW introduces a failure at or above this severity.")
@DESCRIBES_OPTION
@click.option("--color/--no-color", "colour", default=None, help="Force colour on or off.")
@handle_errors
def diff_cmd(files: tuple[str, ...], git_rev: str | None, rulesets: tuple[str, ...],
             as_of: str | None, fmt: str | None, output: str | None, fail_on: str,
             describes: tuple[str, ...] | None, colour: bool | None) -> None:
    """What an amendment changes: `diff OLD NEW`, or `diff --git REV FILE`."""
    from .diff import compare
    from .loader import load_constitution
    from .report import DIFF_FORMATS, EXTENSIONS, reporter
    from .rulesets import load_rulesets

    if git_rev is not None and len(files) != 1:
        raise UsageError("diff --git REV takes one FILE (compared with itself at REV)")
    if git_rev is None and len(files) != 2:
        raise UsageError("diff takes two files, OLD and NEW (or --git REV FILE)")
    if fmt is None:
        guessed = EXTENSIONS.get(Path(output).suffix.lower()) if output not in (None, "-") \
            else None
        fmt = guessed if guessed in DIFF_FORMATS else "text"
    day = parse_date(as_of)
    rs = load_rulesets(rulesets)
    if git_rev is not None:
        from .gitshow import committed

        old = committed(git_rev, files[0])
        new = load_constitution(files[0])
    else:
        old, new = load_constitution(files[0]), load_constitution(files[1])
    result = compare(old, new, rs, day, describes)
    stream = sys.stdout if output in (None, "-") else None
    use_colour = colour_wanted(colour, stream) if stream and fmt == "text" else False
    text = reporter(fmt, DIFF_FORMATS)(result, rs, day, old=old, new=new, colour=use_colour)
    write_output(text, output, command_inputs(files, None, rulesets), colour=use_colour)
    if result.introduced(fail_on):
        raise _Exit(1)


# ---------------------------------------------------------------- explain

@cli.command("explain")
@click.argument("rule_id", metavar="RULE")
@click.argument("path", metavar="FILE", type=click.Path())
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE",
              help="Ruleset ID or .rules file (repeatable). Default: all bundled rulesets.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Evaluation date (default: today).")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True,
              help="Exit 1 when the rule fails at or above this severity (as check would).")
@DESCRIBES_OPTION
@handle_errors
def explain_cmd(rule_id: str, path: str, rulesets: tuple[str, ...], as_of: str | None,
                fail_on: str, describes: tuple[str, ...] | None) -> None:
    """One rule on one constitution in plain words: the requirement and its source, the facts
    read with their lines, why it passes or fails, and what would make it pass."""
    from .explainer_view import explain_rule
    from .loader import load_constitution
    from .report.explain_text import render
    from .rulesets import load_rulesets

    day = parse_date(as_of)
    rs = load_rulesets(rulesets)
    explanation = explain_rule(rule_id, load_constitution(path), rs, day, describes)
    click.echo(render(explanation), nl=False)
    if explanation.failing(fail_on):
        raise _Exit(1)


# ---------------------------------------------------------------- rules

@cli.group()
def rules() -> None:
    """List, show, lint and test rules."""


@rules.command("list")
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="Only rules in force on this date.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@handle_errors
def rules_list(rulesets: tuple[str, ...], as_of: str | None, fmt: str) -> None:
    """Every rule: ID, ruleset, strength, evidence, in-force dates, citation, title."""
    import json

    from .engine import in_force
    from .rulesets import load_rulesets

    rs = load_rulesets(rulesets)
    day = parse_date(as_of) if as_of else None
    rows = []
    for r in rs.rules():
        rule = r.rule
        if day is not None and not in_force(rule, day):
            continue
        rows.append({"id": r.id, "ruleset": rule.ruleset, "strength": rule.strength,
                     "evidence": rule.evidence, "severity": r.severity,
                     "from": rule.in_force_from.isoformat() if rule.in_force_from else None,
                     "until": rule.in_force_until.isoformat() if rule.in_force_until else None,
                     "citation": r.citation, "verified": rule.unverified is None,
                     "title": rule.title})
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from .report.text import fit

    width = terminal_width(sys.stdout)
    for row in rows:
        dates = f"{row['from'] or '-'}..{row['until'] or ''}"
        mark = "" if row["verified"] else " [unverified]"
        line = clean(f"{row['id']:<28} {row['ruleset']:<26} {row['strength']:<10} "
                     f"{row['evidence']:<12} {dates:<23} "
                     f"{row['title']} ({row['citation']}{mark})")
        click.echo(fit(line, width, indent=29))
    click.echo(f"{len(rows)} rules" + (f" in force on {day}" if day else ""))


@rules.command("show")
@click.argument("rule_id")
@click.option("--ruleset", "rulesets", multiple=True, metavar="NAME|FILE")
@handle_errors
def rules_show(rule_id: str, rulesets: tuple[str, ...]) -> None:
    """One rule in full: citation, condition, message and its test cases."""
    from .rulesets import find_rule, load_rulesets

    rs = load_rulesets(rulesets)
    found = find_rule(rs, rule_id)
    click.echo(describe_rule(found, rs))


def describe_rule(found: Any, rs: Any) -> str:
    """The full text `rules show` prints."""
    from .evidence import EVIDENCE_WORDS

    rule = found.rule
    ruleset = next(x for x in rs if x.id == rule.ruleset)
    lines = [f"{rule.id}: {rule.title}",
             f"  ruleset:   {ruleset.id} {ruleset.version} ({ruleset.ast.title})",
             f"  strength:  {rule.strength} (severity {found.severity})",
             f"  evidence:  {rule.evidence} ({EVIDENCE_WORDS[rule.evidence]})",
             f"  in force:  from {rule.in_force_from or 'always'}"
             + (f" until {rule.in_force_until}" if rule.in_force_until else "")]
    if rule.target:
        lines.append(f"  target:    {rule.target} (the source's own date)")
    for c in rule.cites:
        src = ruleset.ast.sources[c.source]
        lines.append(f"  cites:     {src.title}, {c.pinpoint}" + (f" <{src.url}>" if src.url
                                                                     else ""))
    if rule.unverified:
        lines.append(f"  UNVERIFIED pinpoint: {rule.unverified}")
    if rule.note:
        lines.append(f"  note:      {rule.note}")
    if rule.when is not None:
        lines.append(f"  applies when: {rule.when.src}")
    lines.append("  requires:  " + " ".join(rule.require.src.split()))
    if rule.message is not None:
        lines.append(f"  message:   {rule.message.src}")
    if rule.fix:
        lines.append(f"  fix:       {rule.fix}")
    if rule.see:
        lines.append(f"  see also:  {', '.join(rule.see)}")
    lines.append(f"  defined:   {ruleset.ast.path}:{rule.pos.line}")
    from .ruletests import iter_tests_files, read_cases

    for _, tests in iter_tests_files(type(rs)([ruleset])):
        cases = [c for c in read_cases(tests, tests.name) if c.rule == rule.id]
        if cases:
            lines.append(f"  tests ({tests.name}):")
            for c in cases:
                lines.append(f"    {c.expect:<14} {c.name}")
    return "\n".join(clean(line) for line in lines)


@rules.command("lint")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@handle_errors
def rules_lint(files: tuple[str, ...]) -> None:
    """Parse and type-check ruleset files; report errors with positions."""
    from .loader import read_text
    from .rulesets import check_text
    from .ruletests import tests_file_for

    bad = False
    for f in files:
        try:
            text, _ = read_text(Path(f), f)
            checked = check_text(text, f)
        except InputError as exc:
            _err(exc.render())
            bad = True
            continue
        warnings = []
        if not tests_file_for(f).exists():
            warnings.append(f"{f}: warning: no tests file {tests_file_for(f).name} beside it")
        for r in checked.rules:
            if r.message is None:
                warnings.append(f"{f}:{r.pos.line}:{r.pos.column}: warning: rule {r.id} has no "
                                "message; failures will only name the rule")
        for w in warnings:
            click.echo(clean(w))
        click.echo(f"{clean(f)}: ok ({len(checked.rules)} rules, {len(checked.definitions)} "
                   "definitions)")
    if bad:
        raise _Exit(2)


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-v", "--verbose", is_flag=True, help="List every case, not only failures.")
@handle_errors
def rules_test(paths: tuple[str, ...], verbose: bool) -> None:
    """Run the rule test cases (default: every bundled ruleset's)."""
    from .rulesets import load_rulesets
    from .ruletests import run_rule_tests

    selection = []
    for p in paths:
        selection.append(p[: -len(".tests.yaml")] + ".rules" if p.endswith(".tests.yaml") else p)
    rs = load_rulesets(selection)
    report_ = run_rule_tests(rs)
    failed = [r for r in report_.results if not r.ok]
    for r in report_.results:
        if verbose or not r.ok:
            status = "ok  " if r.ok else "FAIL"
            line = f":{r.case.line}" if r.case.line else ""
            click.echo(clean(f"{status} {r.case.source}{line}: {r.case.rule} expects "
                             f"{r.case.expect}: {r.case.name}"
                             + (f": {r.detail}" if r.detail else "")))
    for rule_id, missing in report_.uncovered:
        click.echo(clean(f"FAIL {rule_id}: no test case: needs {missing}"))
    n_ok = len(report_.results) - len(failed)
    click.echo(f"{len(rs.rules())} rules, {len(rs.rules()) - len(report_.uncovered)} covered "
               "both ways")
    click.echo(f"{n_ok} passed, {len(failed) + len(report_.uncovered)} failed")
    if not report_.ok:
        raise _Exit(1)


# ---------------------------------------------------------------- schema, init

@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("-o", "--output", metavar="FILE", help="Write the output to FILE.")
@handle_errors
def areas(paths: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Check that the areas of the ICBs in several files do not overlap (s.14Z25(3)).

    Exit 1 when two ICBs claim the same council and at most one can hold it.
    """
    from .areas import compare, render_json, render_text
    from .loader import load_constitution

    files = expand_paths(paths).files
    loaded, broken = [], False
    for path, _explicit in files:
        try:
            loaded.append((path, load_constitution(path).data))
        except InputError as exc:
            _err(exc.render())
            broken = True
    found = compare(loaded)
    n_icbs = len({data["icb"]["name"] for _, data in loaded})
    render = render_json if fmt == "json" else render_text
    write_output(render(found, n_icbs), output, command_inputs([p for p, _ in files], None, ()))
    if broken:
        raise _Exit(2)
    if any(f.kind == "overlap" for f in found):
        raise _Exit(1)


@cli.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of the constitution file format."""
    import json

    from .model import json_schema

    click.echo(json.dumps(json_schema(), indent=2, sort_keys=True))


@cli.command()
@click.option("-o", "--output", metavar="FILE",
              help="Write the starter to FILE (never overwrites an existing file).")
@click.option("--name", metavar="TEXT", help="The ICB's legal name.")
@click.option("--local-authority", "local_authorities", multiple=True, metavar="NAME",
              help="A council in the ICB's area (repeatable).")
@click.option("--member", "members", multiple=True, metavar="ROLE=NAME",
              help="A board member, e.g. chair=Jane Smith (repeatable; roles: chair, "
                   "chief_executive, partner_member, executive, non_executive, other).")
@click.option("--example", is_flag=True,
              help="Print the complete, compliant example instead (every rule passes on it).")
@handle_errors
def init(output: str | None, name: str | None, local_authorities: tuple[str, ...],
         members: tuple[str, ...], example: bool) -> None:
    """Write a starter constitution: your ICB's facts and a TODO for every fact the law and
    NHS England policy ask for (asks for the facts when run at a terminal)."""
    if output and os.path.exists(output):
        raise UsageError(f"{output} already exists; not overwriting it")
    if example:
        from .resources import example_constitution

        text = example_constitution().read_text(encoding="utf-8")
    else:
        from .rulesets import load_rulesets
        from .starter import StarterFacts, parse_member, skeleton

        if not (name or local_authorities or members) and _stdin_is_terminal():
            name, local_authorities, members = _ask_starter_facts()
        try:
            board = [parse_member(m) for m in members]
        except ValueError as exc:
            raise UsageError(f"--member {exc}") from None
        facts = StarterFacts(name or None, [la for la in local_authorities if la.strip()], board)
        text = skeleton(facts, load_rulesets())
    if output:
        if os.path.exists(output):
            raise UsageError(f"{output} already exists; not overwriting it")
        write_output(text, output, command_inputs([], None, []))
        click.echo(f"wrote {clean(output)}", err=True)
        return
    click.echo(text, nl=False)


def _stdin_is_terminal() -> bool:
    """Whether a person can answer questions (standard input is a terminal)."""
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def _ask_starter_facts() -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The ICB's name, councils and board, asked at the terminal (blank answers are fine)."""
    click.echo("A few facts for the starter (press Enter to leave one as a TODO).", err=True)
    name = click.prompt("The ICB's legal name (e.g. NHS Exampleshire Integrated Care Board)",
                        default="", show_default=False, err=True).strip()
    councils = click.prompt("Its local authorities, separated by commas", default="",
                            show_default=False, err=True)
    board = click.prompt("Its board members as ROLE=NAME, separated by commas "
                         "(e.g. chair=Jane Smith, chief_executive=Sam Lee)", default="",
                         show_default=False, err=True)
    return (name, tuple(c.strip() for c in councils.split(",") if c.strip()),
            tuple(m.strip() for m in board.split(",") if m.strip()))


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="ics-rules", standalone_mode=True)
