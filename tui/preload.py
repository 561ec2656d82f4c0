"""Parse digests in forked worker processes while the terminal UI starts up.

Start-up is Python + Textual booting (~0.3-0.5 s) followed by parsing (~0.5 s for a year of
digests). Forking parse workers *before* Textual starts (while the process is still single-threaded,
so forking is safe) overlaps the two and uses both cores; the UI then only unpickles the results
(~0.1 s for 30k papers). Where fork is unavailable, or the corpus is small, parsing happens in-process.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.gcpause import gc_paused
from tui.loader import LoadCancelled, discover, read_digest
from tui.model import ParseResult

MIN_BYTES_TO_FORK = 4 * 1024 * 1024  # below this a fork costs more than it saves


@dataclass(slots=True)
class _Job:
    indexes: list[int]
    pid: int | None = None
    fd: int | None = None


class Preload:
    """Started with the paths; `results()` (any thread, once) returns ParseResults in file order."""

    def __init__(self, specs: Iterable[str | os.PathLike[str]], max_bytes: int, workers: int | None = None) -> None:
        self.max_bytes = max_bytes
        self.candidates, self.problems = discover(specs)
        self.jobs: list[_Job] = []
        self._lock = threading.Lock()
        self._cancelled = False
        self._collecting = False  # the pipes belong to `results()` once it has started
        workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        if workers < 2 or not hasattr(os, "fork") or self._total_bytes() < MIN_BYTES_TO_FORK:
            return
        # Deal files out by size so every worker gets a similar share of bytes.
        sizes = sorted(range(len(self.candidates)), key=self._size, reverse=True)
        shares = [_Job([]) for _ in range(workers)]
        load = [0] * workers
        for i in sizes:
            w = load.index(min(load))
            shares[w].indexes.append(i)
            load[w] += self._size(i)
        for job in shares:
            job.indexes.sort()
            self._fork(job)
            self.jobs.append(job)

    def _size(self, i: int) -> int:
        try:
            return self.candidates[i].path.stat().st_size
        except OSError:
            return 0

    def _total_bytes(self) -> int:
        return sum(self._size(i) for i in range(len(self.candidates)))

    def _fork(self, job: _Job) -> None:
        read_fd, write_fd = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return
        if pid == 0:  # the worker: parse, send, and leave without running any cleanup
            code = 0
            try:
                os.close(read_fd)
                gc.disable()
                results = [read_digest(self.candidates[i], self.max_bytes) for i in job.indexes]
                with os.fdopen(write_fd, "wb") as out:
                    pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        job.pid, job.fd = pid, read_fd

    def results(self, cancelled: Callable[[], bool] = lambda: False) -> list[ParseResult]:
        """Every file's result in discovery order; a worker that failed is redone in-process.

        Raises `LoadCancelled` once `cancel()` was called or `cancelled()` is true (checked
        between files): quitting never waits for a load nobody will see."""
        with self._lock:
            if self._cancelled:
                raise LoadCancelled
            self._collecting = True
        out: list[ParseResult | None] = [None] * len(self.candidates)
        for job in self.jobs:
            got = self._collect(job, self._lock)  # a cancel kills the worker: its pipe ends and this returns
            if self._cancelled or cancelled():
                self._reap()
                raise LoadCancelled
            if got is not None and len(got) == len(job.indexes):
                for i, parsed in zip(job.indexes, got):
                    out[i] = parsed
        for i, result in enumerate(out):
            if result is None:
                if self._cancelled or cancelled():
                    raise LoadCancelled
                out[i] = read_digest(self.candidates[i], self.max_bytes)
        return [*self.problems, *(r for r in out if r is not None)]

    @staticmethod
    def _collect(job: _Job, lock: threading.Lock) -> list[ParseResult] | None:
        if job.fd is None or job.pid is None:
            return None
        fd, job.fd = job.fd, None  # the `with` below closes it; nobody else may
        try:
            with os.fdopen(fd, "rb") as src:
                data = src.read()
            with gc_paused():  # unpickling builds the long-lived papers in bulk
                return pickle.loads(data) if data else None
        except Exception:
            return None
        finally:
            with lock:  # `cancel` must not signal a pid once it is reaped (it could be reused)
                try:
                    os.waitpid(job.pid, 0)
                except ChildProcessError:
                    pass
                job.pid = None

    def cancel(self) -> None:
        """Stop workers nobody will collect (the app quit before loading finished). Safe from any
        thread: while `results()` is collecting, the workers are only killed (their pipes end,
        which wakes the collector) and the collector closes what it opened."""
        with self._lock:
            self._cancelled = True
            for job in self.jobs:
                if job.pid is not None:
                    try:
                        os.kill(job.pid, 9)
                    except ProcessLookupError:
                        pass
            if not self._collecting:
                self._reap()

    def _reap(self) -> None:
        """Wait for every worker and close every pipe not yet collected."""
        for job in self.jobs:
            if job.pid is not None:
                try:
                    os.waitpid(job.pid, 0)
                except ChildProcessError:
                    pass
            if job.fd is not None:
                try:
                    os.close(job.fd)
                except OSError:
                    pass
        self.jobs = []
