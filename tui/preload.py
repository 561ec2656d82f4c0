"""Parse digests in forked worker processes while the terminal UI starts up.

Start-up is Python + Textual booting (~0.3-0.5 s) followed by parsing (~0.5 s for a year of
digests). Forking parse workers *before* Textual starts (while the process is still single-threaded,
so forking is safe) overlaps the two and uses both cores; the UI then only unpickles the results
(~0.1 s for 30k papers). Where fork is unavailable, or the corpus is small, parsing happens in-process.

With a parse cache (`tui.cache`), files with a sound entry are read back from it in this process
(cheaper than parsing, and cheaper than unpickling), and only the others go to the workers; each
worker, once its results are sent, leaves a child at idle priority to write their entries, so a
first start costs what it did before and the next one parses nothing. For a big archive, the
newest files are read first (`preview`) so the reader can show them while the rest loads.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.cache import ParseCache
from tui.gcpause import gc_paused
from tui.loader import LoadCancelled, discover, read_digest
from tui.model import ParseResult

MIN_BYTES_TO_FORK = 4 * 1024 * 1024  # below this a fork costs more than it saves
START_GRACE_S = 3.0  # cache entries are written this long after a worker has sent its results
PREVIEW_BYTES = 2 * 1024 * 1024  # the newest files up to this size are shown first (see `preview`)
PREVIEW_MIN_BYTES = 96 * 1024 * 1024  # ... when the whole corpus is bigger (a year loads in ~1 s anyway)


@dataclass(slots=True)
class _Job:
    indexes: list[int]
    pid: int | None = None
    fd: int | None = None


def cores() -> int:
    """CPUs this process may run on (the affinity mask, not the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Preload:
    """Started with the paths; `results()` (any thread, once) returns ParseResults in file order."""

    def __init__(
        self,
        specs: Iterable[str | os.PathLike[str]],
        max_bytes: int,
        workers: int | None = None,
        cache: ParseCache | None = None,
    ) -> None:
        self.max_bytes = max_bytes
        self.candidates, self.problems = discover(specs)
        self.jobs: list[_Job] = []
        self._lock = threading.Lock()
        self._cancelled = False
        self._collecting = False  # the pipes belong to `results()` once it has started
        self.cache = cache if cache is not None and cache._ready() else None
        self.preview_indexes: list[int] = []
        self.fresh: set[int] = set()  # cache mode: files whose entry matches them, read here
        self.worker_fresh: set[int] = set()  # ... and those the workers read from the cache
        workers = workers if workers is not None else cores()
        if self.cache is not None and self._total_bytes() >= PREVIEW_MIN_BYTES:
            self.preview_indexes = self._newest(PREVIEW_BYTES)
        if self.cache is not None:
            fresh = {i for i, c in enumerate(self.candidates) if self.cache.fresh(c)}
            if self._total_bytes() < PREVIEW_MIN_BYTES:
                # A corpus this small: the workers read every file (decoding the fresh ones) while
                # the UI boots, as they always did; only a big archive is decoded here, pooled.
                self.worker_fresh = fresh
            else:
                self.fresh = fresh
            todo = [i for i in range(len(self.candidates)) if i not in self.fresh]
            # Files without a sound entry are parsed in workers (below: in-process, when few).
            if workers < 2 or not hasattr(os, "fork") or sum(map(self._size, todo)) < MIN_BYTES_TO_FORK:
                return
        else:
            if workers < 2 or not hasattr(os, "fork") or self._total_bytes() < MIN_BYTES_TO_FORK:
                return
            todo = list(range(len(self.candidates)))
        # Deal files out by size so every worker gets a similar share of bytes.
        shares = [_Job([]) for _ in range(workers)]
        load = [0] * workers
        for i in sorted(todo, key=self._size, reverse=True):
            w = load.index(min(load))
            shares[w].indexes.append(i)
            load[w] += self._size(i)
        for job in shares:
            if not job.indexes:
                continue
            job.indexes.sort()
            self._fork(job)
            self.jobs.append(job)

    def _newest(self, budget: int) -> list[int]:
        """The most recently modified files, up to `budget` bytes (at least one), in file order."""
        stamps = []
        for i, c in enumerate(self.candidates):
            try:
                st = c.path.stat()
                stamps.append((-st.st_mtime_ns, -i, st.st_size))
            except OSError:
                continue
        out: list[int] = []
        total = 0
        for _m, neg_i, size in sorted(stamps):
            if out and total + size > budget:
                break
            out.append(-neg_i)
            total += size
        return sorted(out)

    def preview(self) -> list[ParseResult]:
        """The newest files' results (see PREVIEW_BYTES), read before the rest so the reader can show
        them at once; empty when there is no cache or the corpus is small. `results()` still returns
        every file, these included; they are read as plain papers here, so nothing is pooled twice."""
        if self.cache is None or not self.preview_indexes:
            return []
        plain = ParseCache(self.cache.folder)
        # From the cache, or parsed here (a couple of MB: tens of ms) while the workers start on the rest.
        return [plain.read(self.candidates[i], self.max_bytes) if i in self.fresh
                else read_digest(self.candidates[i], self.max_bytes) for i in self.preview_indexes]

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
                stats = [self._stat(i) for i in job.indexes]  # before reading: an entry must not outdate its file
                plain = ParseCache(self.cache.folder) if self.cache is not None else None
                results = [plain.read(self.candidates[i], self.max_bytes) if plain and i in self.worker_fresh
                           else read_digest(self.candidates[i], self.max_bytes) for i in job.indexes]
                with os.fdopen(write_fd, "wb") as out:
                    pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)
                if self.cache is not None and not self.worker_fresh.issuperset(job.indexes) and os.fork() == 0:
                    # The cache entries are written by a grandchild, after the results have been sent,
                    # so they cost the UI nothing (and its waitpid on this worker returns at once).
                    try:
                        os.nice(19)  # idle priority, and after the UI's start: never slow it down
                        time.sleep(START_GRACE_S)
                        for i, st, result in zip(job.indexes, stats, results):
                            if i in self.worker_fresh:
                                continue
                            if st is not None:
                                self.cache.store(self.candidates[i], st, result, self.max_bytes)
                    finally:
                        os._exit(0)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        job.pid, job.fd = pid, read_fd

    def results(
        self, cancelled: Callable[[], bool] = lambda: False, progress: Callable[[int, int], None] | None = None
    ) -> list[ParseResult]:
        """Every file's result in discovery order; a worker that failed is redone in-process.
        `progress(done, total)` is called as files are read (per file with a cache, else once).

        Raises `LoadCancelled` once `cancel()` was called or `cancelled()` is true (checked
        between files): quitting never waits for a load nobody will see."""
        with self._lock:
            if self._cancelled:
                raise LoadCancelled
            self._collecting = True
        if self.cache is not None:
            return self._cached_results(self.cache, cancelled, progress)
        out: list[ParseResult | None] = [None] * len(self.candidates)
        for job in self.jobs:
            got = self._collect(job, self._lock)  # a cancel kills the worker: its pipe ends and this returns
            self._stop_if(cancelled)
            if got is not None and len(got) == len(job.indexes):
                for i, parsed in zip(job.indexes, got):
                    out[i] = parsed
        for i, result in enumerate(out):
            if result is None:
                self._stop_if(cancelled)
                out[i] = read_digest(self.candidates[i], self.max_bytes)
        if progress is not None:
            progress(len(out), len(out))
        return [*self.problems, *(r for r in out if r is not None)]

    def _stop_if(self, cancelled: Callable[[], bool]) -> None:
        if self._cancelled or cancelled():
            self._reap()
            raise LoadCancelled

    def _cached_results(
        self, cache: ParseCache, cancelled: Callable[[], bool], progress: Callable[[int, int], None] | None = None
    ) -> list[ParseResult]:
        """Files with a sound entry are read from the cache while the workers parse the others."""
        out: list[ParseResult | None] = [None] * len(self.candidates)
        owned = {i for job in self.jobs for i in job.indexes}
        done = 0
        with gc_paused():  # everything read here lives on in the store
            for i, candidate in enumerate(self.candidates):
                if i not in owned:  # from the cache; a miss is parsed here (and stored)
                    self._stop_if(cancelled)
                    out[i] = cache.read(candidate, self.max_bytes)
                    done += 1
                    if progress is not None:
                        progress(done, len(out))
            for job in self.jobs:
                got = self._collect(job, self._lock)
                self._stop_if(cancelled)
                for n, i in enumerate(job.indexes):
                    out[i] = got[n] if got is not None and len(got) == len(job.indexes) else cache.read(
                        self.candidates[i], self.max_bytes)
                done += len(job.indexes)
                if progress is not None:
                    progress(done, len(out))
        self.jobs = []
        return [*self.problems, *(r for r in out if r is not None)]

    def _stat(self, i: int) -> os.stat_result | None:
        try:
            return self.candidates[i].path.stat()
        except OSError:
            return None

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
