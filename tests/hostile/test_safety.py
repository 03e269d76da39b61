"""Safety under hostile input (issue 9): the cache runs no code, nothing hangs, no input is
overwritten, no work is unbounded, and nothing from a file can forge terminal output or a
Markdown link. Each case exits 2 with a location where input is bad, and never says
"internal error"."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLE, ROOT, run_cli

RULES_HEAD = """ruleset hostile-test "Hostile"
  source act "An Act"

rule HOST-1 "A rule"
  cite act "s.1"
  strength statutory
  evidence constitution
"""


def cli(*args: str, cache: Path | None = None, timeout: float = 60) -> Any:
    """Run the CLI with its own cache folder; the run must end well within `timeout`."""
    env = {"ICS_RULES_CACHE_DIR": str(cache)} if cache is not None else None
    start = time.perf_counter()
    proc = run_cli(*args, env=env)
    assert time.perf_counter() - start < timeout
    assert "internal error" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def with_text(tmp_path: Path, old: str, new: str, name: str = "c.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


# ---------------------------------------------------------------- 1. the cache


class Boom:
    """Unpickling this creates a marker file: proof that code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> Any:
        return (Path.write_text, (self.marker, "code ran"))


def _bundled_key(name: str = "nhs-act-2006-sch1b") -> str:
    from ics_rules.rulesets import cache_name

    text = (ROOT / "rulesets" / f"{name}.rules").read_text(encoding="utf-8")
    return cache_name(text)


def test_planted_pickle_runs_no_code_and_is_rebuilt(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Boom(marker))
    entry = cache / _bundled_key()
    entry.write_bytes(payload)
    # Where earlier versions kept pickles: the same keys as .pickle, and Lark's own cache.
    grammar = (ROOT / "grammar" / "ics_rules.lark").read_bytes()
    planted = [entry.with_suffix(".pickle"),
               cache / f"grammar-{hashlib.sha256(grammar).hexdigest()[:16]}.lark-cache"]
    for path in planted:
        path.write_bytes(payload)
    proc = cli("check", str(EXAMPLE), cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()
    assert json.loads(entry.read_bytes())["format"] == "ics-rules-cache/1"  # rebuilt
    assert sorted(p for p in cache.iterdir() if p.suffix != ".json") == sorted(planted)


def test_wrong_typed_entries_are_misses_that_are_rebuilt(tmp_path: Path) -> None:
    from ics_rules import cache as C

    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    entry = cache / _bundled_key()
    assert cli("check", str(EXAMPLE), cache=cache).returncode == 0
    good = json.loads(entry.read_bytes())
    wrong = [
        {"format": "ics-rules-cache/1", "types": [], "objs": {}, "value": [1, 2, 3]},
        {**good, "value": {**good["value"], "rules": "not a tuple"}},
        {**good, "value": {**good["value"], "@": "os.system"}},
        {**good, "value": {**good["value"], "version": 12}},
        {**good, "format": "ics-rules-cache/0"},
    ]
    for bad in wrong:
        entry.write_text(json.dumps(bad))
        with pytest.raises(C.CacheMiss):
            value = C.deserialize(entry.read_bytes())
            from ics_rules.dsl.ast import Ruleset

            if not isinstance(value, Ruleset):
                raise C.CacheMiss("wrong type")
        proc = cli("check", str(EXAMPLE), cache=cache)
        assert proc.returncode == 0, proc.stderr
        assert json.loads(entry.read_bytes()) == good
    entry.write_bytes(b"\xff\xfe not json")
    assert cli("check", str(EXAMPLE), cache=cache).returncode == 0


def test_round_trip_of_every_bundled_ruleset_is_exact() -> None:
    from ics_rules import cache as C
    from ics_rules.rulesets import bundled_ruleset_files, check_text

    for path in bundled_ruleset_files():
        checked = check_text(path.read_text(encoding="utf-8"), path.name)
        again = C.deserialize(C.serialize(checked))
        assert again == checked
        assert C.serialize(again) == C.serialize(checked)


def test_folder_created_private_and_unsafe_folders_are_not_used(tmp_path: Path,
                                                                monkeypatch: Any) -> None:
    from ics_rules import cache as C

    fresh = tmp_path / "new" / "cache"
    monkeypatch.setenv("ICS_RULES_CACHE_DIR", str(fresh))
    assert C.cache_folder() == fresh
    assert fresh.stat().st_mode & 0o777 == 0o700
    fresh.chmod(0o755)  # an older, readable folder of ours is made private
    assert C.cache_folder() == fresh and fresh.stat().st_mode & 0o777 == 0o700
    fresh.chmod(0o777)  # anyone may have planted files: not used
    assert C.cache_folder() is None
    fresh.chmod(0o700)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(fresh).st_uid + 1)
    assert C.cache_folder() is None  # someone else's folder
    monkeypatch.undo()
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv("ICS_RULES_CACHE_DIR", str(not_a_folder))
    assert C.cache_folder() is None


def test_open_folder_means_no_cache_and_no_crash(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    proc = cli("check", str(EXAMPLE), cache=cache)
    assert proc.returncode == 0, proc.stderr
    assert list(cache.iterdir()) == []


def test_symlinked_entry_is_not_followed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    assert cli("check", str(EXAMPLE), cache=cache).returncode == 0
    entry = cache / _bundled_key()
    outside = tmp_path / "outside.json"
    outside.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(outside)
    before = outside.read_bytes()
    outside.chmod(0o600)
    assert cli("check", str(EXAMPLE), cache=cache).returncode == 0
    assert not entry.is_symlink()  # replaced by a real entry, never written through
    assert outside.read_bytes() == before


def test_full_disk_leaves_no_temporary_files(tmp_path: Path, monkeypatch: Any) -> None:
    from ics_rules import cache as C

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    C.write_entry(tmp_path, "ruleset-x.json", b"{}")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 2. inputs and outputs


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("where", ["constitution", "waivers", "ruleset"])
def test_fifo_is_refused_without_hanging(fifo: Path, where: str) -> None:
    args = {"constitution": ["check", str(fifo)],
            "waivers": ["check", str(EXAMPLE), "--waivers", str(fifo)],
            "ruleset": ["check", str(EXAMPLE), "--ruleset", str(fifo)]}[where]
    proc = cli(*args, timeout=30)
    assert proc.returncode == 2
    assert f"{fifo}: error: is a named pipe (FIFO), not a regular file" in proc.stderr


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf", ".html"])
def test_fifo_named_as_a_document_is_refused_without_hanging(tmp_path: Path, fifo: Path,
                                                             suffix: str) -> None:
    doc = tmp_path / f"constitution{suffix}"
    os.mkfifo(doc)
    proc = cli("check", str(doc), timeout=30)
    assert proc.returncode == 2
    assert "named pipe (FIFO), not a regular file" in proc.stderr, proc.stderr


def test_fifo_in_a_folder_is_skipped_unopened(tmp_path: Path, fifo: Path) -> None:
    (tmp_path / "ok.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    proc = cli("check", str(tmp_path), timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "1 constitution checked" in proc.stdout


def test_symlink_loop_device_and_folder_are_clear_errors(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(tmp_path / "loop.yaml")
    proc = cli("check", str(loop))
    assert proc.returncode == 2 and "loop of symbolic links" in proc.stderr
    if Path("/dev/zero").exists():
        proc = cli("check", "/dev/zero", timeout=30)
        assert proc.returncode == 2 and "character device" in proc.stderr
    proc = cli("check", str(EXAMPLE), "--ruleset", str(tmp_path))
    assert proc.returncode == 2 and "is a directory" in proc.stderr


def test_report_never_overwrites_its_ruleset(tmp_path: Path) -> None:
    rules = tmp_path / "my.rules"
    rules.write_text((ROOT / "rulesets" / "nhs-act-2006-sch1b.rules").read_text())
    before = rules.read_bytes()
    proc = cli("report", str(EXAMPLE), "--ruleset", str(rules), "-o", str(rules),
               "--format", "json")
    assert proc.returncode == 2
    assert "refusing to write the output over an input file" in proc.stderr
    assert rules.read_bytes() == before
    link = tmp_path / "hard.json"
    os.link(rules, link)  # the same file under another name
    proc = cli("report", str(EXAMPLE), "--ruleset", str(rules), "-o", str(link))
    assert proc.returncode == 2 and rules.read_bytes() == before


def test_report_folder_into_itself_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    proc = cli("report", str(tmp_path), "-o", str(tmp_path), "--format", "json")
    assert proc.returncode == 2 and "is the input folder" in proc.stderr
    proc = cli("report", str(tmp_path), "-o", str(tmp_path.parent), "--format", "json")
    assert proc.returncode == 2 and "contains the input folder" in proc.stderr


WRITER = """
import os, signal, sys
from pathlib import Path
from ics_rules.guard import write_atomic
target = Path(sys.argv[1])
def chunks():
    yield b"partial"
    os.kill(os.getpid(), signal.SIGTERM)
    yield b"never"
write_atomic(target, chunks())
"""


def test_killed_write_keeps_the_old_output_and_leaves_no_tmp(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old report")
    proc = subprocess.run([sys.executable, "-c", WRITER, str(target)], cwd=ROOT,
                          capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert target.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_write_is_fsynced_before_rename(tmp_path: Path, monkeypatch: Any) -> None:
    from ics_rules import guard

    calls: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("rename"),
                                                     real_replace(a, b))[1])
    guard.write_atomic(tmp_path / "out.md", [b"text"])
    assert calls[:2] == ["fsync", "rename"]
    assert (tmp_path / "out.md").read_bytes() == b"text"


# ---------------------------------------------------------------- 3 and 4. bounded work


def _rules(tmp_path: Path, body: str, name: str = "hostile.rules") -> Path:
    path = tmp_path / name
    path.write_text(RULES_HEAD + body, encoding="utf-8")
    return path


BOUNDS = [
    ("243 parentheses", "  require " + "(" * 243 + "exists(icb.name)" + ")" * 243 + "\n",
     8, "nested too deeply"),
    ("301 nots", "  require " + "not " * 301 + "exists(icb.name)\n", 8, "nested too deeply"),
    ("320 pluses", "  require count(board.members) " + "+ 1 " * 320 + "> 0\n", 8,
     "nested too deeply"),
    ("5000-digit number", "  require count(board.members) > " + "9" * 5000 + "\n", 8,
     "number literal"),
    ("deep message", '  require exists(icb.name)\n  message "{' + "(" * 400 + "count(board)"
     + ")" * 400 + '}"\n', 9, "nested too deeply"),
    ("many message parts", '  require exists(icb.name)\n  message "'
     + "{count(board.members)}" * 300 + '"\n', 9, "more than 100"),
    ("huge repetition", '  require icb.name matches "a{1,4294967295}"\n', 8, "repetition count"),
    ("backreference", '  require icb.name matches "(a)\\\\1"\n', 8, "RE2"),
    ("nested loops", "  require every(a in board.members: some(b in board.members: every(c in "
     "board.members: some(d in board.members: d.id = a.id))))\n", 8, "more than 3 iterations"),
    ("long regex", '  require icb.name matches "' + "(" * 600 + "a" + ")" * 600 + '"\n', 8,
     "limit is 1,000"),
]


@pytest.mark.parametrize(("name", "body", "line", "words"), BOUNDS, ids=[b[0] for b in BOUNDS])
def test_rules_beyond_the_bounds_are_located_errors(tmp_path: Path, name: str, body: str,
                                                    line: int, words: str) -> None:
    from ics_rules.errors import RulesetError
    from ics_rules.rulesets import check_text

    path = _rules(tmp_path, body)
    start = time.perf_counter()
    with pytest.raises(RulesetError) as info:
        check_text(path.read_text(), str(path))
    assert time.perf_counter() - start < 5
    assert info.value.line == line and info.value.column, info.value.render()
    assert words in info.value.render()
    proc = cli("rules", "lint", str(path))
    assert proc.returncode == 2
    assert f"{path}:{line}:{info.value.column}: error:" in proc.stderr


def test_catastrophic_regex_runs_in_linear_time(tmp_path: Path) -> None:
    rules = _rules(tmp_path, '  require icb.name matches "^(a+)+$"\n')
    target = with_text(tmp_path, "name: NHS Example Integrated Care Board",
                       "name: " + "a" * 250 + "!")
    proc = cli("check", str(target), "--ruleset", str(rules), timeout=20)
    assert proc.returncode == 1 and "HOST-1" in proc.stdout


def test_matches_reads_a_bounded_prefix() -> None:
    from ics_rules.dsl.regex import MAX_TEXT, searcher

    assert searcher("^a+$")("a" * 10) is True
    assert searcher("b")("a" * MAX_TEXT + "b") is False


# ---------------------------------------------------------------- 5. forged terminal output

FORGERIES = ["\x1b[2K\x1b[1A", "\x1b]52;c;ZXZpbA==\x07", "\x1b]0;title\x07",
             "\x1b]8;;https://evil-example.com\x1b\\link\x1b]8;;\x1b\\", "\u202eevil", "\x9b31m",
             "\x07\x7f"]


def _forged(tmp_path: Path) -> Path:
    joined = "".join(FORGERIES)
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("name: NHS Example Integrated Care Board",
                        f"name: {json.dumps('NHS ' + joined + ' Integrated Care Board')}", 1)
    text = text.replace("name: Chair\n", f"name: {json.dumps('Chair ' + joined)}\n", 1)
    target = tmp_path / "forged\nexample.yaml:1:1: ok.yaml"
    target.write_text(text, encoding="utf-8")
    return target


def _raw_escapes(text: str) -> list[str]:
    import re

    return re.findall(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_text_output_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    target = _forged(tmp_path)
    proc = cli("check", str(target), "-v")
    assert proc.returncode in (0, 1), proc.stderr
    assert _raw_escapes(proc.stdout) == []
    assert "\\x1b]52;c;" in proc.stdout and "\\u202e" in proc.stdout
    assert "forged\\x0aexample.yaml" in proc.stdout
    assert not any(line.startswith("example.yaml:1:1") for line in proc.stdout.splitlines())
    coloured = cli("check", str(target), "-v", "--color")
    import re

    leftover = re.sub(r"\x1b\[[0-9;]*m", "", coloured.stdout)  # the tool's own colours
    assert _raw_escapes(leftover) == []


def test_error_messages_show_control_characters_as_escapes(tmp_path: Path) -> None:
    bad = tmp_path / "bad\x1b]0;x\x07.yaml"
    bad.write_text("schema: ics-constitution/1\nicb:\n  \"na\\e[2Kme\u202e\": 1\n")
    proc = cli("check", str(bad))
    assert proc.returncode == 2
    assert _raw_escapes(proc.stderr) == [], proc.stderr
    assert "bad\\x1b]0;x\\x07.yaml:" in proc.stderr
    rules = _rules(tmp_path, '  require exists(icb.name)\n  message "\x1b[31m {"\n')
    proc = cli("rules", "lint", str(rules))
    assert proc.returncode == 2 and _raw_escapes(proc.stderr) == [], proc.stderr


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_pages_carry_no_raw_control_characters(tmp_path: Path, fmt: str) -> None:
    target = _forged(tmp_path)
    proc = cli("check", str(target), "-v", "--format", fmt)
    assert proc.returncode in (0, 1), proc.stderr
    assert _raw_escapes(proc.stdout) == []
    assert "\\x1b" in proc.stdout


# ---------------------------------------------------------------- 6. Markdown autolinks

LINKS = ["https://evil-example.com/a?b=1", "www.evil-example.com", "bob@evil-example.com",
         "evil-example.com", "ftp://evil-example.com/x", "mailto:bob@evil-example.com",
         "//evil-example.com/x", "HTTP://EVIL-EXAMPLE.COM", "http://127.0.0.1:8080/",
         "evil-example.com:8080/path"]


def test_markdown_text_never_becomes_a_link(tmp_path: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    pytest.importorskip("linkify_it")
    from ics_rules.report.templating import md_escape

    md = markdown_it.MarkdownIt("gfm-like", {"linkify": True})
    for text in LINKS:
        assert "<a" in md.render(text)  # the renderer would link it as it stands
        assert "<a" not in md.render(md_escape(f"see {text} now")), text
    target = with_text(tmp_path, "name: NHS Example Integrated Care Board",
                       "name: NHS " + " ".join(LINKS) + " Integrated Care Board")
    for args in (["check", str(target), "-v", "--format", "markdown"],):
        proc = cli(*args)
        html = md.render(proc.stdout)
        assert "evil" in html and "href=\"http://evil" not in html.lower()
        assert "evil-example.com\"" not in html and "<a href=\"mailto:bob" not in html
    out = tmp_path / "report.md"
    proc = cli("report", str(target), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "evil" not in "".join(t.attrs.get("href", "") for t in _links(md, out.read_text()))


def _links(md: Any, text: str) -> list[Any]:
    found = []
    for token in md.parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(child)
    return found


def test_markdown_escape_keeps_the_text_readable() -> None:
    from ics_rules.report.templating import md_escape

    shown = md_escape("see www.example.org or a@b.example")
    assert shown.replace("\u2060", "") == "see www.example.org or a@b.example"

