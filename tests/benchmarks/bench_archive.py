"""The archive figures (`run.py --size 3y|10y`): years of daily digests, as issue 16 measures them.

A ten-year corpus is 3,650 hf-text days (≈ 300k papers, ≈ 490 MB): writing it takes minutes, so it
is generated once into a cache folder under the system temp dir (`$PAPERTRAY_BENCH_CACHE` overrides
it) and reused while its marker file says it is complete. Every row carries its goal and a
reference measured in the same run:

* start → first titles on screen, in a pty, with an empty parse cache (first start) and a warm one;
* a typed query burst → its result on screen, and key → frame for keys typed one by one;
* the reader's peak RSS against the corpus size;
* `papertray list --json` of the whole archive (to /dev/null);
* Atom and RSS parse speed (a year in each format, parser only: no parse cache).
"""

from __future__ import annotations

import asyncio
import fcntl
import gc
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import bench_app, bench_start, synth

PER_DAY = 82  # 3,650 days x 82 = 299,300 papers: the ten years
YEAR_PAPERS = 30_000  # the year the README's figures were measured on
SIZES = {"smoke": 40, "year": 365, "3y": 1095, "10y": 3650}  # days; "smoke" is the test suite's run
SMOKE_YEAR_PAPERS = 2_000
CACHE_VERSION = 1  # bump when the generator's output changes


def cache_root() -> Path:
    return Path(os.environ.get("PAPERTRAY_BENCH_CACHE") or Path(tempfile.gettempdir()) / "papertray-bench-cache")


@dataclass
class Folder:
    path: Path
    files: int
    bytes: int

    @property
    def mb(self) -> float:
        return self.bytes / 1e6


def _cached(name: str, make, progress) -> Folder:
    """A corpus folder made once by `make(folder)` and reused while its `.complete` marker is there."""
    folder = cache_root() / f"{name}-v{CACHE_VERSION}"
    marker = folder / ".complete"
    if marker.exists():
        info = json.loads(marker.read_text())
        return Folder(folder, info["files"], info["bytes"])
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    progress(f"  generating {name} into {folder} (once) …")
    t0 = time.perf_counter()
    make(folder)
    paths = [p for p in folder.iterdir() if not p.name.startswith(".")]
    info = {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths)}
    marker.write_text(json.dumps(info))
    progress(f"  {info['files']} files, {info['bytes'] / 1e6:.0f} MB in {time.perf_counter() - t0:.0f} s")
    return Folder(folder, info["files"], info["bytes"])


def _render(folder: Path, days: list[synth.Day], fmt: str) -> None:
    for day in days:
        (folder / synth.file_name(fmt, day)).write_text(synth.render(fmt, day), encoding="utf-8")


def archive(days: int, seed: int, progress) -> Folder:
    """`days` hf-text digests of PER_DAY papers each (built a year at a time to bound memory)."""

    def make(folder: Path) -> None:
        # The generator keeps every paper of a corpus in memory; a year per corpus keeps that small
        # and every year's ids distinct (each year is a new seed and starts on its own date).
        from datetime import date, timedelta

        start = date(2016, 1, 1)
        done = 0
        while done < days:
            n = min(365, days - done)
            chunk = synth.build_corpus(n, PER_DAY, seed + 100 + done, start + timedelta(days=done))
            _render(folder, chunk, "hf-text")
            done += n

    return _cached(f"hf-text-{days}d-s{seed}", make, progress)


def year(fmt: str, seed: int, progress, papers: int = YEAR_PAPERS) -> Folder:
    """The README's year (30k papers over 365 days, same seed as `run.py`) in one format."""

    def make(folder: Path) -> None:
        _render(folder, synth.build_corpus(365, synth.year_counts(papers), seed), fmt)

    return _cached(f"{fmt}-year-s{seed}" + ("" if papers == YEAR_PAPERS else f"-{papers}"), make, progress)


# ------------------------------------------------------------------------------------- start + RSS


def _vm(pid: int, field: str) -> int:
    """A /proc/PID/status figure in KiB (0 when unavailable)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def start_run(digests: Path, cache_dir: Path, settle: bool = False, timeout: float = 120.0, repo: Path | None = None) -> dict:
    """Launch `python -m tui DIGESTS` in a pty; seconds until the first titles are painted (`first_s`,
    the newest digests while the rest load) and until everything is loaded and painted (`ready_s`).

    With `settle`, keep it running until its resident size stops growing (the index is built after
    the first paint) and report the reader's peak RSS (VmHWM) too.
    """
    with tempfile.TemporaryDirectory(prefix="papertray-archive-") as tmp:
        ready = Path(tmp) / "ready"
        first = Path(tmp) / "first"
        indexed = Path(tmp) / "indexed"
        env = dict(
            os.environ,
            TERM="xterm-256color",
            COLUMNS=str(bench_start.COLUMNS),
            LINES=str(bench_start.LINES),
            PAPERTRAY_DATA_DIR=str(Path(tmp) / "data"),
            PAPERTRAY_CONFIG=str(Path(tmp) / "config.toml"),
            PAPERTRAY_CACHE_DIR=str(cache_dir),
            PAPERTRAY_READY_FILE=str(ready),
            PAPERTRAY_FIRST_PAINT_FILE=str(first),
            PAPERTRAY_INDEXED_FILE=str(indexed),
        )
        env.pop("NO_COLOR", None)
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", bench_start.LINES, bench_start.COLUMNS, 0, 0))
        t0 = time.time()
        proc = subprocess.Popen(
            [sys.executable, "-m", "tui", str(digests)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=repo or bench_start.REPO, start_new_session=True,
        )
        os.close(slave)
        reader = threading.Thread(target=bench_start._drain, args=(master,), daemon=True)
        reader.start()
        out: dict = {}
        try:
            deadline = time.monotonic() + timeout
            while "ready_s" not in out:
                if "first_s" not in out and first.exists() and first.read_text().strip():
                    out["first_s"] = float(first.read_text()) - t0
                text = ready.read_text().strip() if ready.exists() else ""
                if text:
                    out["ready_s"] = float(text) - t0
                    if first.exists() and first.read_text().strip():
                        out["first_s"] = float(first.read_text()) - t0
                    out.setdefault("first_s", out["ready_s"])  # a checkout without the first-paint stamp
                elif proc.poll() is not None:
                    raise RuntimeError(f"papertray exited with status {proc.returncode} before it was ready")
                elif time.monotonic() > deadline:
                    raise RuntimeError(f"papertray not ready after {timeout:.0f} s")
                else:
                    time.sleep(0.002)
            if settle:
                # Until the abstract word index is in (a checkout without the stamp: 20 s at most)
                # and the resident size has stopped growing.
                last, still, since = -1, 0.0, time.monotonic()
                while time.monotonic() < deadline and (still < 2.0 or not (
                        indexed.exists() or repo is not None and time.monotonic() - since > 20)):
                    rss = _vm(proc.pid, "VmRSS")
                    still = still + 0.25 if rss == last else 0.0
                    last = rss
                    time.sleep(0.25)
                out["indexed_s"] = float(indexed.read_text()) - t0 if indexed.exists() else None
                out["peak_kib"] = _vm(proc.pid, "VmHWM")
                out["rss_kib"] = _vm(proc.pid, "VmRSS")
            return out
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            reader.join(timeout=5)
            os.close(master)
            _cache_written(digests, cache_dir)


def _cache_written(digests: Path, cache_dir: Path, timeout: float = 90.0) -> None:
    """Wait until the parse cache holds an entry per digest file (the reader's workers write them,
    at idle priority, after a first start): a run must not compete with the previous run's writers."""
    if not cache_dir.is_dir():
        return
    files = sum(1 for p in digests.iterdir() if not p.name.startswith("."))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(1 for p in cache_dir.iterdir() if p.name.endswith(".ptc")) >= files:
            return
        time.sleep(0.25)


# ------------------------------------------------------------------------------------- typing


async def _typing(digests: Path, data_dir: Path, queries: list[str], gap_s: float, out: dict,
                  cache_dir: Path | None = None) -> None:
    """Type each query in a burst (one key every `gap_s`, without waiting for frames), then time
    from the last key to the first frame showing that query's result; then type it again key by
    key, timing each key to its frame (as `bench_app` does).

    With `cache_dir` the reader keeps its abstract word index there, as `papertray` does (a warm
    cache reads it back); typing starts once the index is in, and `words_s` says how long after
    the load that was."""
    from textual import events

    from tui.reader.app import PapertrayApp
    from tui.search import parse_query

    app = PapertrayApp([digests], data_dir=data_dir)
    app.library.cache_folder = cache_dir
    async with app.run_test(size=bench_app.SIZE) as pilot:
        await bench_app._wait_loaded(app, timeout=600)
        loaded = time.perf_counter()
        while getattr(app.library.index_ready, "words", None) is None:
            if time.perf_counter() - loaded > 600:
                raise RuntimeError("no abstract word index after 600 s")
            await asyncio.sleep(0.05)
        out["words_s"] = time.perf_counter() - loaded
        out["papers"] = len(app.reader.store.papers)
        probe = bench_app._FrameProbe(app)
        index = app.library.index_ready
        search = index.search
        search_ms: list[float] = []

        def timed_search(*args, **kwargs):
            t0 = time.perf_counter()
            result = search(*args, **kwargs)
            search_ms.append((time.perf_counter() - t0) * 1000)
            return result

        index.search = timed_search
        driver = app._driver
        burst, keys, alone = [], [], []
        for query in queries:
            # The burst: keys arrive faster than results; only the last query's result counts.
            await pilot.press("slash")
            show = app.reader._show

            want = parse_query(query)

            def final_show(result, *a, _want=want, _show=show, **k):
                _show(result, *a, **k)
                if result.query == _want:
                    probe.armed, probe.waiting = False, True
            app.reader._show = final_show
            probe.event.clear()
            probe.armed = probe.waiting = False
            for ch in query:
                key = "space" if ch == " " else ch
                ev = events.Key(key, ch)
                ev.set_sender(app)
                driver.send_message(ev)
                t_last = time.perf_counter()
                await asyncio.sleep(gap_s)
            done = await probe.frame(timeout=30)
            app.reader._show = show
            burst.append((done - t_last) * 1000 if done else float("nan"))
            await pilot.press("escape")
            await asyncio.sleep(0.05)
            # The same query key by key: key -> frame per keystroke.
            await pilot.press("slash")
            for ch in query:
                probe.expect(after_show=True)
                t0 = time.perf_counter()
                await pilot.press(ch)
                done = await probe.frame()
                if done is not None:
                    keys.append((done - t0) * 1000)
            search_ms.clear()
            index.search(app.reader.view.query)  # the final query alone, for the reference
            alone.append(search_ms[-1] if search_ms else float("nan"))
            await pilot.press("escape")
        out.update(burst_ms=burst, key_ms=keys, search_ms=alone, queries=queries)
        await pilot.press("q")


def typing(digests: Path, queries: list[str], gap_s: float = 0.03, cache_dir: Path | None = None) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="papertray-bench-data-") as data_dir:
        try:
            asyncio.run(_typing(digests, Path(data_dir), queries, gap_s, out, cache_dir))
        finally:
            gc.unfreeze()
            gc.collect()
    return out


# ------------------------------------------------------------------------------------- list --json


def list_json(digests: Path, cache_dir: Path, repo: Path | None = None) -> float:
    """Seconds for `python -m tui list --json DIGESTS > /dev/null`."""
    with tempfile.TemporaryDirectory(prefix="papertray-list-") as tmp:
        env = dict(os.environ, PAPERTRAY_DATA_DIR=str(Path(tmp) / "d"), PAPERTRAY_CONFIG=str(Path(tmp) / "c.toml"),
                   PAPERTRAY_CACHE_DIR=str(cache_dir))
        t0 = time.perf_counter()
        with open(os.devnull, "wb") as null:
            subprocess.run([sys.executable, "-m", "tui", "list", "--json", str(digests)], stdout=null,
                           stderr=subprocess.PIPE, env=env, cwd=repo or bench_start.REPO, check=True)
        return time.perf_counter() - t0


def cat_bytes(digests: Path) -> float:
    """Seconds to read every file of the folder: the floor under any pass over the archive."""
    t0 = time.perf_counter()
    for p in sorted(digests.iterdir()):
        if not p.name.startswith("."):
            p.read_bytes()
    return time.perf_counter() - t0
