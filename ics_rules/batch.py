"""Load and evaluate many constitutions, on several cores, yielding results in input order.

Each constitution is independent, so a batch is split into chunks evaluated in forked worker
processes that inherit the compiled rulesets (closures cannot be sent to a process; a fork
shares them copy-on-write). At most a few chunks per worker are in flight, so memory stays
flat however many files there are, and results come back in the order the files were given:
`--jobs N` output is byte-identical to `--jobs 1`. Where `fork` is unavailable (Windows,
some macOS set-ups) the batch runs in this process.
"""

from __future__ import annotations

import datetime
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from concurrent.futures import Future

from .errors import InputError

CHUNK = 16  # files per task: large enough to amortise a round trip, small enough to balance
IN_FLIGHT = 3  # chunks queued per worker: keeps both cores busy without buffering results


@dataclass(slots=True)
class Outcome:
    """One input of a batch: its result (and loaded constitution when asked), or its error."""

    path: str
    result: Any = None
    constitution: Any = None
    error: InputError | None = None
    warning: str | None = None  # about the file as a whole (e.g. the example's values left in)


@dataclass(frozen=True, slots=True)
class _Job:
    rulesets: Any
    day: datetime.date
    waivers: Any
    keep_constitution: bool
    then: Callable[[Outcome], None] | None
    describes: tuple[str, ...] | None = None  # `--describes`: overrides each file's own
    explain_passes: bool = True  # evidence for passes too (`engine.evaluate`)


_JOB: _Job | None = None  # set in the parent just before the workers fork


def cores() -> int:
    """The cores this process may run on (the default for `--jobs`)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _one(job: _Job, path: str) -> Outcome:
    from .engine import evaluate
    from .loader import load_constitution
    from .starter import example_warning

    try:
        c = load_constitution(path)
    except InputError as exc:
        return Outcome(path, error=exc)
    done = Outcome(path, evaluate(c, job.rulesets, job.day, job.waivers, job.describes,
                                  job.explain_passes), c,
                   warning=example_warning(c))
    if job.then is not None:
        job.then(done)
    if not job.keep_constitution:
        done.constitution = None
    return done


def _chunk(paths: list[str]) -> list[Outcome]:
    """A worker's task: the outcomes of a few files (uses the job inherited through fork)."""
    assert _JOB is not None
    return [_one(_JOB, p) for p in paths]


def run(paths: Sequence[str], rulesets: Any, day: datetime.date, waivers: Any = None, *,
        jobs: int = 1, keep_constitution: bool = False,
        then: Callable[[Outcome], None] | None = None, chunk: int = CHUNK,
        describes: tuple[str, ...] | None = None,
        explain_passes: bool = True) -> Iterator[Outcome]:
    """Outcomes of `paths`, in order, evaluated by up to `jobs` processes.

    `then` runs on each evaluated outcome where it was evaluated (a worker writing its
    report); `chunk` is how many files a task takes (1 when each one is slow, as a PDF is).
    """
    global _JOB
    job = _Job(rulesets, day, waivers, keep_constitution, then, describes, explain_passes)
    workers = min(jobs, -(-len(paths) // chunk))
    if workers > 1:  # only now: multiprocessing costs a one-file check tens of ms to import
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for p in paths:
            yield _one(job, p)
        return
    _JOB = job
    chunks = [list(paths[i:i + chunk]) for i in range(0, len(paths), chunk)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        todo = iter(chunks)
        for chunk in todo:
            pending.append(pool.submit(_chunk, chunk))
            if len(pending) >= workers * IN_FLIGHT:
                break
        try:
            while pending:
                done = pending.popleft().result()
                nxt = next(todo, None)
                if nxt is not None:
                    pending.append(pool.submit(_chunk, nxt))
                yield from done
        finally:
            for f in pending:
                f.cancel()
            _JOB = None
