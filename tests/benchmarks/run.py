"""One command for every speed and memory budget: `python tests/benchmarks/run.py [--quick] [--json FILE] [--repeat N]`.

It writes its own synthetic digests (deterministic seed, in a temporary folder), measures, and
prints one table: each figure, its median over N runs, its budget, a reference measured in the
same run on the same machine (so a noisy, shared machine shows as a slow reference, not only as a
missed budget), and a status. Budgets are for the full sizes; `--quick` shrinks every corpus so
the whole run takes well under a minute, and its statuses are only indicative.

Exit status: 0 when every figure was measured (budgets missed or not: read the status column);
1 when a figure could not be measured (its row says ERROR and the traceback went to stderr).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
for _p in (str(REPO), str(TESTS)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from benchmarks import bench_app, bench_archive, bench_queue, bench_rank, bench_start, bench_triage, synth  # noqa: E402
from tui.loader import decode  # noqa: E402
from tui.store import Store  # noqa: E402

SEED = 1
# (figure key, what it measures): the smoke test checks that every key gets a row.
FIGURES = (
    *(f"parse:{fmt}" for fmt in synth.FORMATS),
    "load-year:hf-text",
    "load-year:mixed",
    "start",
    "filter:year",
    "filter:big",
    "cursor:big",
    "page:big",
    "rss:big",
    "queue-save",
    "queue-save:peer",
    "marks-load",
    "mark",
    "rank:quality",
    "rank:year",
    "rank:large",
    "rank:memory",
    "rank:import",
    "next-unread:big",
    "mark-all:year",
    "search-counts:year",
    "search-arrival:year",
)
# The archive run (`--size 3y|10y`, issue 16): its own figures, each with the goal.
ARCHIVE_FIGURES = (
    "archive:start-first",
    "archive:start",
    "archive:start-year",
    "archive:burst",
    "archive:key",
    "archive:rss",
    "archive:list-json",
    "archive:parse:arxiv-atom",
    "archive:parse:arxiv-rss",
)


@dataclass(frozen=True)
class Sizes:
    """Corpus sizes: the full run measures the budgets' own sizes; --quick a tenth of them."""

    days: int
    year: int  # papers in "a year" (the 0.5 s load, start-up, filter at 30k)
    big: int  # papers for the 100k figures
    moves: int  # j and PgDn presses per round
    large: int = 300_000  # papers for the 300k "for you" figure

    @staticmethod
    def pick(quick: bool) -> "Sizes":
        return Sizes(30, 3_000, 10_000, 10, 10_000) if quick else Sizes(365, 30_000, 100_000, 10, 300_000)


@dataclass
class Row:
    """One line of the table (and one object of the JSON)."""

    key: str
    figure: str
    value: str = ""
    budget: str = "—"
    reference: str = ""
    status: str = "—"  # ok | MISS | — (no budget) | BAD (data not as expected) | ERROR
    data: dict = field(default_factory=dict)


def _median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def _p95(samples: list[float]) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _check(value: float, limit: float) -> str:
    return "ok" if value <= limit else "MISS"


def _times(fn: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per call, with a collection before each so one run's garbage is not the next's cost."""
    out = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


# ------------------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    folder: Path
    paths: list[Path]
    bytes: int

    @property
    def mb(self) -> float:
        return self.bytes / 1e6


def _write(folder: Path, days: list[synth.Day], formats: list[str]) -> Corpus:
    """Render `days` into `folder`, one file per day, using the generator's own renderers."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for day, fmt in zip(days, formats):
        path = folder / synth.file_name(fmt, day)
        path.write_text(synth.render(fmt, day), encoding="utf-8")
        paths.append(path)
    return Corpus(folder, paths, sum(p.stat().st_size for p in paths))


def make_corpora(root: Path, sizes: Sizes) -> dict[str, Corpus]:
    """A year in each format and mixed (same papers), plus the big hf-text corpus."""
    year = synth.build_corpus(sizes.days, synth.year_counts(sizes.year, sizes.days), SEED)
    corpora = {fmt: _write(root / fmt, year, [fmt] * sizes.days) for fmt in synth.FORMATS}
    corpora["mixed"] = _write(root / "mixed", year, [synth.mixed_format(i) for i in range(sizes.days)])
    del year
    big = synth.build_corpus(sizes.days, synth.year_counts(sizes.big, sizes.days), SEED + 1)
    corpora["big"] = _write(root / "big", big, ["hf-text"] * sizes.days)
    return corpora


# ------------------------------------------------------------------------------------- figures


def _load(corpus: Corpus) -> Store:
    """What the app's load worker does: read, parse and merge everything, then build the views."""
    store = Store()
    store.load([corpus.folder])
    store.days()
    store.all_ids()
    return store


def _load_stats(corpus: Corpus, repeat: int) -> dict:
    """Median load time of a corpus, beside merely reading (and decoding) the same bytes."""
    store = _load(corpus)  # warm-up: imports, page cache; also the sanity counts
    papers = len(store.papers)
    failed = sum(1 for d in store.digests if d.failed)
    del store
    load = _times(lambda: _load(corpus), repeat)
    read = _times(lambda: [p.read_bytes() for p in corpus.paths], repeat)
    read_decode = _times(lambda: [decode(p.read_bytes(), []) for p in corpus.paths], repeat)
    return {
        "papers": papers,
        "files": len(corpus.paths),
        "failed_files": failed,
        "mb": corpus.mb,
        "load_s": _median(load),
        "read_s": _median(read),
        "read_decode_s": _median(read_decode),
        "load_samples_s": load,
    }


def _mbps(mb: float, seconds: float) -> str:
    rate = mb / seconds
    return f"{rate / 1000:.1f} GB/s" if rate >= 1000 else f"{rate:.0f} MB/s"


def _sanity(row: Row, stats: dict, expected_files: int) -> None:
    if stats["failed_files"] or stats["files"] != expected_files or not stats["papers"]:
        row.status = "BAD"
        row.reference += f"  [{stats['failed_files']} of {stats['files']} files failed]"


def fig_parse(fmt: str, corpus: Corpus, repeat: int, days: int) -> Row:
    s = _load_stats(corpus, repeat)
    row = Row(
        f"parse:{fmt}",
        f"parse+store {fmt} ({s['papers']:,} papers, {s['mb']:.1f} MB)",
        value=f"{_mbps(s['mb'], s['load_s'])} ({s['load_s']:.2f} s, {s['papers'] / s['load_s'] / 1000:.0f}k papers/s)",
        reference=f"read {_mbps(s['mb'], s['read_s'])}; read+decode+clean {_mbps(s['mb'], s['read_decode_s'])}",
        data=s | {"mb_per_s": s["mb"] / s["load_s"], "read_mb_per_s": s["mb"] / s["read_s"]},
    )
    _sanity(row, s, days)
    return row


def fig_load_year(name: str, corpus: Corpus, repeat: int, days: int, budget: float | None) -> Row:
    s = _load_stats(corpus, repeat)
    row = Row(
        f"load-year:{name}",
        f"load {days} days {name} ({s['papers']:,} papers, {s['mb']:.1f} MB)",
        value=f"{s['load_s']:.3f} s ({_mbps(s['mb'], s['load_s'])})",
        reference=f"read bytes {s['read_s']:.3f} s; +decode+clean {s['read_decode_s']:.3f} s",
        data=s,
    )
    if budget is not None:
        row.budget = f"≤ {budget} s"
        row.status = _check(s["load_s"], budget)
    _sanity(row, s, days)
    return row


def fig_start(corpus: Corpus, papers: int, repeat: int) -> Row:
    bench_start.start_to_ready(corpus.folder)  # warm-up: bytecode caches, page cache
    ready = [bench_start.start_to_ready(corpus.folder) for _ in range(repeat)]
    imports = [bench_start.import_textual() for _ in range(repeat)]
    value = _median(ready)
    return Row(
        "start",
        f"start → interactive, pty {bench_start.COLUMNS}×{bench_start.LINES} ({papers:,} papers)",
        value=f"{value:.2f} s",
        budget="≤ 1.5 s",
        reference=f"python + import textual.app {_median(imports):.2f} s",
        status=_check(value, 1.5),
        data={"ready_s": value, "samples_s": ready, "import_textual_s": _median(imports)},
    )


def fig_latency(corpus: Corpus, label: str, repeat: int, moves: int, budget_ms: float) -> list[Row]:
    """Filter keystrokes at one size (and, for the big corpus, cursor and page moves)."""
    queries = bench_app.pick_queries(corpus.folder, repeat, seed=SEED)
    with tempfile.TemporaryDirectory(prefix="papertray-bench-data-") as data_dir:
        lat = bench_app.measure(corpus.folder, Path(data_dir), queries, moves=moves if label == "big" else 0)
    keys = len(lat.filter_ms)
    med, p95 = _median(lat.filter_ms), _p95(lat.filter_ms)
    rows = [
        Row(
            f"filter:{label}",
            f"filter key → frame ({lat.papers:,} papers, {keys} keys)",
            value=f"{med:.0f} ms median, p95 {p95:.0f} ms",
            budget=f"≤ {budget_ms:.0f} ms median",
            reference=f"SearchIndex.search alone {_median(lat.search_ms):.0f} ms median, p95 {_p95(lat.search_ms):.0f} ms",
            status=_check(med, budget_ms),
            data={
                "median_ms": med, "p95_ms": p95, "samples_ms": lat.filter_ms, "search_median_ms": _median(lat.search_ms),
                "search_samples_ms": lat.search_ms, "queries": lat.queries, "timeouts": lat.timeouts, "papers": lat.papers,
            },
        )
    ]
    if lat.timeouts:
        rows[0].status = "BAD"
        rows[0].reference += f"  [{lat.timeouts} keys without a frame in 10 s]"
    if label == "big":
        for key, name, samples, budget in (
            ("cursor:big", "cursor j → frame", lat.cursor_ms, None),
            ("page:big", "PgDn → frame", lat.page_ms, 16.0),
        ):
            m = _median(samples)
            rows.append(
                Row(
                    key,
                    f"{name} ({lat.papers:,} papers, {len(samples)} keys)",
                    value=f"{m:.1f} ms median, p95 {_p95(samples):.1f} ms",
                    budget=f"≤ {budget:.0f} ms median" if budget else "—",
                    reference=f"one frame at 60 fps: {1000 / 60:.1f} ms",
                    status=_check(m, budget) if budget else "—",
                    data={"median_ms": m, "p95_ms": _p95(samples), "samples_ms": samples},
                )
            )
    return rows


def fig_rss(corpus: Corpus) -> Row:
    r = bench_start.peak_rss([corpus.folder])
    peak_mb, base_mb = r["peak_kib"] / 1024, r["base_kib"] / 1024
    return Row(
        "rss:big",
        f"peak RSS, store + index ({int(r['papers']):,} papers)",
        value=f"{peak_mb:.0f} MiB ({peak_mb * 1.048576 / corpus.mb:.1f}× corpus)",
        reference=f"corpus {corpus.mb:.0f} MB on disk; interpreter+imports {base_mb:.0f} MiB",
        data=r | {"corpus_mb": corpus.mb, "ratio": peak_mb * 1.048576 / corpus.mb},
    )


def _fsync_write(size: int, repeat: int) -> float:
    """Median ms to write `size` bytes to a new file and fsync it: the floor under any durable save."""
    payload = b"x" * size
    with tempfile.TemporaryDirectory(prefix="papertray-fsync-") as tmp:
        samples = []
        for i in range(repeat):
            path = Path(tmp) / f"f{i}"
            t0 = time.perf_counter()
            with open(path, "wb") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            samples.append((time.perf_counter() - t0) * 1000)
    return _median(samples)


def fig_queue(repeat: int) -> list[Row]:
    r = bench_queue.bench_save(5000, repeat)
    floor = _fsync_write(int(r["file_kib"] * 1024), repeat)
    return [
        Row(
            "queue-save",
            f"queue save, {r['n']:,} entries ({r['file_kib']:.0f} KiB) incl. fsync",
            value=f"{r['median_ms']:.1f} ms (first after opening {r['cold_median_ms']:.0f} ms)",
            budget="≤ 20 ms",
            reference=f"write+fsync same size {floor:.1f} ms",
            status=_check(r["median_ms"], 20.0),
            data=r | {"fsync_floor_ms": floor},
        ),
        Row(
            "queue-save:peer",
            f"queue save after another instance's change ({r['n']:,} entries)",
            value=f"{r['after_peer_median_ms']:.1f} ms (max {r['after_peer_max_ms']:.0f} ms)",
            budget="≤ 20 ms",
            reference=f"write+fsync same size {floor:.1f} ms; open {r['open_median_ms']:.0f} ms",
            status=_check(r["after_peer_median_ms"], 20.0),
            data=r | {"fsync_floor_ms": floor},
        ),
    ]


def fig_marks(repeat: int) -> list[Row]:
    m = bench_queue.bench_marks(100_000, repeat)
    with tempfile.TemporaryDirectory(prefix="papertray-marks-") as tmp:
        path = Path(tmp) / "f"
        bench_queue.write_journal(path, m["n"])
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            path.read_bytes().decode().split("\n")
            samples.append((time.perf_counter() - t0) * 1000)
    return [
        Row(
            "marks-load",
            f"load {m['n']:,} read marks ({m['file_kib']:.0f} KiB journal)",
            value=f"{m['load_median_ms']:.1f} ms",
            budget="≤ 50 ms",
            reference=f"read+decode+split lines {_median(samples):.1f} ms",
            status=_check(m["load_median_ms"], 50.0),
            data=m,
        ),
        Row(
            "mark",
            f"one read mark on the calling thread ({m['marks']} marks)",
            value=f"{m['mark_median_ms']:.3f} ms, p99 {m['mark_p99_ms']:.3f} ms (max {m['mark_max_ms']:.2f})",
            budget="≤ 2 ms, p99 ≤ 10 ms",
            reference=f"all durable (fsynced) after {m['all_durable_s']:.2f} s",
            status="ok" if m["mark_median_ms"] <= 2.0 and m["mark_p99_ms"] <= 10.0 else "MISS",
            data=m,
        ),
    ]


def fig_rank_quality(quick: bool) -> Row:
    """Precision@20 of the "for you" order on the real e-mail digests (see bench_rank); --quick
    measures the main file only."""
    reports = bench_rank.quality_files("main" if quick else "all")
    main = next((rep for name, rep in reports if name == bench_rank.MAIN_FILE and isinstance(rep, dict)), None)
    if main is None:
        return Row("rank:quality", "for-you precision@20 on real digests", value="skipped: ../shared/realdata absent")
    m = main["mean"]
    return Row(
        "rank:quality",
        f"for-you precision@20, {bench_rank.MAIN_FILE[:24]}… (5 categories × {bench_rank.SEEDS} seeds)",
        value=f"{m['papertray']:.2f} (words alone {m['words only']:.2f})",
        budget="≥ 0.65",
        reference=f"tf-idf centroid {m['centroid']:.2f}; base rate {m['base']:.2f}",
        status="ok" if m["papertray"] >= 0.65 else "MISS",
        data={"files": {name: rep for name, rep in reports}, "table": bench_rank.render_quality(reports)},
    )


def fig_rank_speed(key: str, papers: int, budget_ms: float, repeat: int) -> Row:
    """The order of every paper: the first (after the index is built), after a queue change, after
    a day of papers arrives (indexed incrementally). The budget covers all three; the one-time
    index build, in a worker, is shown beside it."""
    s = bench_rank.speed(papers, repeat=repeat, seed=SEED)
    worst = max(s["first_ms"], s["queue_ms"], s["arrive_ms"])
    return Row(
        key,
        f"for-you order ({s['papers']:,} papers): first / queue change / a day arrives",
        value=f"{s['first_ms']:.0f} / {s['queue_ms']:.0f} / {s['arrive_ms']:.0f} ms",
        budget=f"≤ {budget_ms:,.0f} ms",
        reference=f"index built once, in a worker: {s['build_s']:.1f} s; one day's order {s['day_ms']:.0f} ms",
        status=_check(worst, budget_ms),
        data=s,
    )


def fig_rank_memory(papers: int, quick: bool) -> Row:
    """Synthetic papers, and (full run only) the same with a real-sized vocabulary and author count."""
    m = bench_rank.memory(papers)
    w = m if quick else bench_rank.memory(papers, wide=True)
    worst = max(m["extra_mb"], m["peak_extra_mb"] or 0, w["extra_mb"], w["peak_extra_mb"] or 0)
    wide = "" if quick else f"; real-sized vocabulary {w['peak_extra_mb'] or w['extra_mb']:.0f} MiB"
    traced = ""
    if not quick:  # what was allocated, free of the allocator's leftovers (RSS moves by ±20 MB)
        t = bench_rank.memory(papers, wide=True, traced=True)
        w = w | {"traced": t}
        traced = f"; allocated at peak {t['traced_peak_mb']:.0f} MiB (tracemalloc, real-sized vocabulary)"
    return Row(
        "rank:memory",
        f"for-you index, extra RSS ({papers:,} papers), peak",
        value=f"{m['peak_extra_mb'] or m['extra_mb']:.0f} MiB{wide}",
        budget="≤ 100 MiB",
        reference=f"arrays {m['index_mb']:.0f} MB; numpy import included{traced}",
        status=_check(worst, 100.0),
        data=m | {"wide": w},
    )


def fig_rank_import(repeat: int) -> Row:
    imp = bench_rank.import_cost(repeat)
    return Row(
        "rank:import",
        "import the for-you model (first use only)",
        value=f"{imp['ranker_s'] * 1000:.0f} ms",
        reference=f"import numpy alone {imp['numpy_s'] * 1000:.0f} ms",
        data=imp,
    )
def fig_next_unread(corpus: Corpus, presses: int) -> Row:
    with tempfile.TemporaryDirectory(prefix="papertray-bench-data-") as data_dir:
        t = bench_triage.measure_next(corpus.folder, Path(data_dir), presses)
    m = _median(t.next_ms)
    rows = int(_median([float(n) for n in t.next_scanned])) if t.next_scanned else 0
    return Row(
        "next-unread:big",
        f"n next unread → frame ({t.papers:,} papers, {len(t.next_ms)} keys, ~{rows:,} read rows skipped each)",
        value=f"{m:.1f} ms median (min {min(t.next_ms, default=0):.1f}), p95 {_p95(t.next_ms):.1f} ms",
        budget="≤ 16 ms median",
        reference=f"j → frame same app {_median(t.j_ms):.1f} ms; rule alone, all {t.papers:,} read: {_median(t.scan_ms):.1f} ms",
        status="BAD" if t.timeouts else _check(m, 16.0),
        data={"median_ms": m, "samples_ms": t.next_ms, "scanned": t.next_scanned, "j_ms": t.j_ms, "scan_ms": t.scan_ms,
              "papers": t.papers},
    )


def fig_mark_all(corpus: Corpus, repeat: int) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="papertray-bench-data-") as data_dir, \
            tempfile.TemporaryDirectory(prefix="papertray-bench-arrival-") as arrival:
        t = bench_triage.measure_marks(corpus.folder, bench_triage.write_arrival(Path(arrival)), Path(data_dir), repeat)
    mark, frame, undo = _median(t.mark_action_ms), _median(t.mark_frame_ms), _median(t.undo_action_ms)
    counts, arrival_ms = _median(t.count_ms), _median(t.arrival_ms)
    bad = "BAD" if t.timeouts else None
    return [
        Row("mark-all:year", f"X marks {t.marked:,} papers read, on the UI thread incl. save",
            value=f"{mark:.0f} ms median (min {min(t.mark_action_ms, default=0):.0f}; key → frame {frame:.0f} ms)",
            budget="≤ 100 ms",
            reference=f"u (unmark them) {undo:.0f} ms", status=bad or _check(mark, 100.0),
            data={"median_ms": mark, "samples_ms": t.mark_action_ms, "frame_ms": t.mark_frame_ms,
                  "undo_ms": t.undo_action_ms, "marked": t.marked}),
        Row("search-counts:year", f"saved-search counts after x ({t.papers:,} papers, 3 searches)",
            value=f"{counts:.0f} ms key → frame (min {min(t.count_ms, default=0):.0f})", budget="≤ 200 ms",
            reference="counts drawn in that frame",
            status=bad or _check(counts, 200.0), data={"median_ms": counts, "samples_ms": t.count_ms}),
        Row("search-arrival:year", f"saved-search counts after {t.arrived} new papers arrive ({t.papers:,} papers)",
            value=f"{arrival_ms:.0f} ms hand-over → frame", budget="≤ 200 ms",
            reference="before the index rebuild (a small index of the new papers)",
            status=bad or _check(arrival_ms, 200.0), data={"median_ms": arrival_ms, "samples_ms": t.arrival_ms}),
    ]


# ------------------------------------------------------------------------------------- output


def machine() -> dict:
    import textual

    try:
        from importlib.metadata import version

        textual_version = version("textual")
    except Exception:
        textual_version = getattr(textual, "__version__", "?")
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "textual": textual_version,
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def render_table(rows: list[Row]) -> str:
    head = ("figure", "value", "budget", "reference (same run)", "status")
    cells = [head] + [(r.figure, r.value, r.budget, r.reference, r.status) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("  ".join(text.ljust(w) for text, w in zip(c, widths)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- archive


def _goal(value: float, limit: float, unit: str) -> tuple[str, str]:
    return f"≤ {limit:g} {unit}".rstrip(), _check(value, limit)


def run_archive(
    size: str, repeat: int, progress: Callable[[str], None], baseline: Path | None = None
) -> tuple[dict, list[Row]]:
    """The issue-16 figures on `size` of daily digests (cached corpus), each beside its goal.

    `baseline`: another checkout of papertray (e.g. main before a change), run on the same corpus in
    the same run for the figures measured in a subprocess; its figures go in the reference column."""
    days = bench_archive.SIZES[size]
    info = machine() | {"mode": f"archive {size}", "repeat": repeat, "seed": SEED}
    rows: list[Row] = []

    def attempt(key: str, label: str, fn: Callable[[], Row | list[Row]]) -> None:
        progress(f"measuring {label} …")
        t0 = time.perf_counter()
        try:
            got = fn()
            rows.extend(got if isinstance(got, list) else [got])
        except Exception:
            traceback.print_exc()
            rows.append(Row(key, label, value="(failed, see stderr)", status="ERROR"))
        progress(f"  done in {time.perf_counter() - t0:.1f} s")

    progress("corpora …")
    corpus = bench_archive.archive(days, SEED, progress)
    year_papers = bench_archive.SMOKE_YEAR_PAPERS if size == "smoke" else bench_archive.YEAR_PAPERS
    year = bench_archive.year("hf-text", SEED, progress, year_papers)
    feeds = {fmt: bench_archive.year(fmt, SEED, progress, year_papers) for fmt in ("arxiv-atom", "arxiv-rss")}
    info["corpus"] = f"{corpus.files:,} hf-text days, {corpus.mb:.0f} MB in {corpus.path}"
    imports = _median([bench_start.import_textual() for _ in range(repeat)])
    ref_start = f"python + import textual.app {imports:.2f} s"
    cache_root = Path(tempfile.mkdtemp(prefix="papertray-bench-parse-cache-"))
    state: dict = {}

    def before(fn: Callable[[Path], float], fmt: str) -> str:
        """`; before X` measured on the baseline checkout, when one was given."""
        if baseline is None:
            return ""
        return "; baseline " + fmt.format(_median([fn(baseline) for _ in range(max(1, min(repeat, 3)))]))

    def starts() -> list[Row]:
        first = []
        for n in range(max(1, min(repeat, 2))):  # each first start costs a full parse: two at most
            first.append(bench_archive.start_run(corpus.path, cache_root / f"first{n}"))
        warm_dir = cache_root / "first0"
        later = [bench_archive.start_run(corpus.path, warm_dir) for _ in range(repeat)]
        state["cache"] = warm_dir
        f, w = _median([r["first_s"] for r in first]), _median([r["first_s"] for r in later])
        fa, wa = _median([r["ready_s"] for r in first]), _median([r["ready_s"] for r in later])
        ref = ref_start + before(lambda b: bench_archive.start_run(corpus.path, cache_root / "b", repo=b)["ready_s"], "{:.2f} s")
        b1, s1 = _goal(f, 5.0, "s")
        b2, s2 = _goal(w, 2.0, "s")
        return [
            Row("archive:start-first", f"start → first titles (→ all loaded), pty, empty cache ({corpus.files:,} days)",
                value=f"{f:.2f} s (→ {fa:.2f} s)", budget=b1, reference=ref, status=s1, data={"runs": first}),
            Row("archive:start", f"start → first titles (→ all loaded), pty, warm cache ({corpus.files:,} days)",
                value=f"{w:.2f} s (→ {wa:.2f} s)", budget=b2, reference=ref, status=s2, data={"runs": later}),
        ]

    def start_year() -> Row:
        cache = cache_root / "year"
        bench_archive.start_run(year.path, cache)  # fills the cache
        warm = [bench_archive.start_run(year.path, cache)["ready_s"] for _ in range(repeat)]
        cold = [bench_archive.start_run(year.path, cache_root / f"year-cold{n}")["ready_s"] for n in range(repeat)]
        w, c = _median(warm), _median(cold)
        ref = ref_start + before(lambda b: bench_archive.start_run(year.path, cache_root / "b", repo=b)["ready_s"], "{:.2f} s")
        return Row("archive:start-year", f"start → first titles, pty, 365 days ({year.mb:.0f} MB), warm / empty cache",
                   value=f"{w:.2f} s / {c:.2f} s", budget="≤ 1.5 s", reference=ref,
                   status=_check(max(w, c), 1.5), data={"warm_s": warm, "cold_s": cold})

    def typing() -> list[Row]:
        queries = [q for round_ in bench_app.pick_queries(year.path, repeat, seed=SEED) for q in round_]
        t = bench_archive.typing(corpus.path, queries, cache_dir=cache_root / "words")
        burst, keys, alone = t["burst_ms"], t["key_ms"], t["search_ms"]
        b1, s1 = _goal(_median(burst), 150, "ms")
        b2, s2 = _goal(_median(keys), 100, "ms")
        return [
            Row("archive:burst", f"typed query burst → result on screen ({t['papers']:,} papers, {len(burst)} queries)",
                value=f"{_median(burst):.0f} ms median, max {max(burst):.0f} ms", budget=b1,
                reference=f"SearchIndex.search of the whole query alone {_median(alone):.0f} ms; "
                          f"abstract word index in {t['words_s']:.1f} s after the load", status=s1,
                data=t),
            Row("archive:key", f"filter key → frame ({t['papers']:,} papers, {len(keys)} keys)",
                value=f"{_median(keys):.0f} ms p50, p95 {_p95(keys):.0f} ms", budget=b2,
                reference=f"one frame at 60 fps: {1000 / 60:.1f} ms", status=s2, data={"samples_ms": keys}),
        ]

    def rss() -> Row:
        cache = state.get("cache", cache_root / "rss")
        # The first run indexes the abstract words (and keeps the index in the cache); the figure
        # is a start that reads it back, as every start after the first one does.
        building = bench_archive.start_run(corpus.path, cache, settle=True, timeout=300)
        # (the test suite's smoke run takes the one start: it checks the row, not the figure)
        r = building if size == "smoke" else bench_archive.start_run(corpus.path, cache, settle=True)
        r["building_peak_kib"], r["building_indexed_s"] = building["peak_kib"], building["indexed_s"]
        peak = r["peak_kib"] * 1024 / 1e6
        limit = 1.5 * corpus.mb + 120
        ref = (f"corpus {corpus.mb:.0f} MB on disk; a start that builds the word index (new archive, "
               f"{building['indexed_s'] or float('nan'):.0f} s) {building['peak_kib'] * 1024 / 1e6:.0f} MB") + before(
            lambda b: bench_archive.start_run(corpus.path, cache_root / "b", settle=True, repo=b)["peak_kib"] * 1024 / 1e6,
            "{:.0f} MB")
        return Row("archive:rss", "peak RSS of the reader, after indexing (warm cache)",
                   value=f"{peak:.0f} MB ({peak / corpus.mb:.2f}× corpus)", budget=f"≤ {limit:.0f} MB (1.5× + 120)",
                   reference=ref, status=_check(peak, limit), data=r)

    def list_json() -> Row:
        cache = state.get("cache", cache_root / "list")
        bench_archive.list_json(corpus.path, cache)  # warm-up (and fills the cache when empty)
        took = [bench_archive.list_json(corpus.path, cache) for _ in range(max(1, repeat // 2))]
        cat = _median([bench_archive.cat_bytes(corpus.path) for _ in range(repeat)])
        b, s = _goal(_median(took), 5.0, "s")
        return Row("archive:list-json", f"list --json of the whole archive > /dev/null ({corpus.mb:.0f} MB)",
                   value=f"{_median(took):.2f} s", budget=b, status=s,
                   reference=f"read every file {cat:.2f} s"
                   + before(lambda b: bench_archive.list_json(corpus.path, cache, repo=b), "{:.2f} s"),
                   data={"samples_s": took, "read_s": cat})

    def parse(fmt: str) -> Row:
        c = Corpus(feeds[fmt].path, sorted(p for p in feeds[fmt].path.iterdir() if not p.name.startswith(".")),
                   feeds[fmt].bytes)
        s = _load_stats(c, repeat)  # one core, no cache: the parser alone
        every = []  # what a first start or a `list` does: workers on every core, filling an empty cache

        def load_all() -> None:
            from tui.cache import ParseCache

            folder = Path(tempfile.mkdtemp(prefix="papertray-bench-pc-", dir=cache_root))
            store = Store(cache=ParseCache(folder))
            store.load([c.folder])
            store.all_ids()

        every = _times(load_all, repeat)
        rate, all_cores = s["mb"] / s["load_s"], s["mb"] / _median(every)
        row = Row(f"archive:parse:{fmt}", f"parse+store {fmt}, one core, no cache ({s['papers']:,} papers, {s['mb']:.0f} MB)",
                  value=f"{rate:.0f} MB/s ({s['load_s']:.2f} s)", budget="≥ 80 MB/s",
                  reference=f"read+decode+clean {_mbps(s['mb'], s['read_decode_s'])}; every core filling an empty "
                            f"cache {all_cores:.0f} MB/s",
                  status="ok" if rate >= 80 else "MISS", data=s | {"every_core_s": every})
        _sanity(row, s, 365)
        return row

    try:
        attempt("archive:start", "start-up (archive)", starts)
        attempt("archive:start-year", "start-up (365 days)", start_year)
        attempt("archive:burst", "typing (archive)", typing)
        attempt("archive:rss", "peak RSS (archive)", rss)
        attempt("archive:list-json", "list --json (archive)", list_json)
        for fmt in feeds:
            attempt(f"archive:parse:{fmt}", f"parse {fmt}", lambda fmt=fmt: parse(fmt))
    finally:
        shutil.rmtree(cache_root, ignore_errors=True)
    order = {k: i for i, k in enumerate(ARCHIVE_FIGURES)}
    rows.sort(key=lambda r: order.get(r.key, len(order)))
    return info, rows


# ------------------------------------------------------------------------------------- main


def run(quick: bool, repeat: int, progress: Callable[[str], None]) -> tuple[dict, list[Row]]:
    sizes = Sizes.pick(quick)
    info = machine() | {"mode": "quick" if quick else "full", "repeat": repeat, "seed": SEED, "sizes": asdict(sizes)}
    rows: list[Row] = []

    def attempt(key: str, label: str, fn: Callable[[], Row | list[Row]], keys: tuple[str, ...] | None = None) -> None:
        progress(f"measuring {label} …")
        t0 = time.perf_counter()
        try:
            got = fn()
            rows.extend(got if isinstance(got, list) else [got])
        except Exception:
            traceback.print_exc()
            for k in keys or (key,):
                rows.append(Row(k, f"{label} [{k}]", value="(failed, see stderr)", status="ERROR"))
        progress(f"  done in {time.perf_counter() - t0:.1f} s")

    with tempfile.TemporaryDirectory(prefix="papertray-bench-") as tmp:
        progress(f"writing synthetic digests ({sizes.days} days: {sizes.year:,} papers × 6 corpora, {sizes.big:,} papers) …")
        t0 = time.perf_counter()
        corpora = make_corpora(Path(tmp), sizes)
        progress(f"  done in {time.perf_counter() - t0:.1f} s")
        for fmt in synth.FORMATS:
            attempt(f"parse:{fmt}", f"parse {fmt}", lambda fmt=fmt: fig_parse(fmt, corpora[fmt], repeat, sizes.days))
        attempt("load-year:hf-text", "load a year (hf-text)", lambda: fig_load_year("hf-text", corpora["hf-text"], repeat, sizes.days, 0.5))
        attempt("load-year:mixed", "load a year (mixed)", lambda: fig_load_year("mixed", corpora["mixed"], repeat, sizes.days, None))
        year_papers = next((r.data.get("papers") for r in rows if r.key == "load-year:hf-text" and r.data), sizes.year)
        attempt("start", "start-up", lambda: fig_start(corpora["hf-text"], year_papers, repeat))
        attempt("filter:year", "filter latency (year)", lambda: fig_latency(corpora["hf-text"], "year", repeat, sizes.moves, 50.0))
        attempt(
            "filter:big", "filter, cursor and page latency (big)",
            lambda: fig_latency(corpora["big"], "big", repeat, sizes.moves * repeat, 100.0),
            keys=("filter:big", "cursor:big", "page:big"),
        )
        attempt("rss:big", "peak RSS (big)", lambda: fig_rss(corpora["big"]))
        attempt("queue-save", "queue save", lambda: fig_queue(repeat), keys=("queue-save", "queue-save:peer"))
        attempt("marks-load", "read marks", lambda: fig_marks(repeat), keys=("marks-load", "mark"))
        attempt("rank:quality", "for-you quality (real digests)", lambda: fig_rank_quality(quick))
        attempt("rank:year", f"for-you order ({sizes.year:,})", lambda: fig_rank_speed("rank:year", sizes.year, 300.0, repeat))
        attempt("rank:large", f"for-you order ({sizes.large:,})", lambda: fig_rank_speed("rank:large", sizes.large, 2000.0, repeat))
        memory_papers = sizes.year if quick else sizes.big  # --quick: 3k, to keep the smoke test's minute
        attempt("rank:memory", f"for-you memory ({memory_papers:,})", lambda: fig_rank_memory(memory_papers, quick))
        attempt("rank:import", "for-you import", lambda: fig_rank_import(repeat))
        attempt("next-unread:big", "next unread (big)", lambda: fig_next_unread(corpora["big"], sizes.moves * 2))
        attempt("mark-all:year", "mark all read and saved-search counts (year)", lambda: fig_mark_all(corpora["hf-text"], repeat),
                keys=("mark-all:year", "search-counts:year", "search-arrival:year"))
    order = {k: i for i, k in enumerate(FIGURES)}
    rows.sort(key=lambda r: order.get(r.key, len(order)))
    return info, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Measure every papertray speed and memory budget in one table.")
    ap.add_argument("--quick", action="store_true", help="small corpora (a tenth of the sizes), under a minute")
    ap.add_argument("--json", metavar="FILE", type=Path, help="also write the table (and raw samples) as JSON")
    ap.add_argument("--repeat", type=int, default=5, metavar="N", help="runs per figure, median reported (default 5)")
    ap.add_argument("--baseline", type=Path, metavar="CHECKOUT", help="with --size: also run another papertray "
                    "checkout (e.g. main) on the same corpus, for the figures measured in a subprocess")
    ap.add_argument("--size", choices=tuple(bench_archive.SIZES), help="the archive figures instead (issue 16): "
                    "years of daily hf-text digests, generated once into a cache folder (10y ≈ 300k papers, 490 MB)")
    args = ap.parse_args(argv)
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    if args.size:
        info, rows = run_archive(args.size, args.repeat, progress, args.baseline)
    else:
        info, rows = run(args.quick, args.repeat, progress)
    info["total_s"] = round(time.perf_counter() - started, 1)
    load = info["load_average"]
    print(
        f"papertray benchmarks ({info['mode']}, median of {args.repeat}) · {info['cores']} cores · "
        f"{info['implementation']} {info['python']} · textual {info['textual']} · {info['platform']}"
        + (f" · load avg {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}" if load else "")
        + f" · {info['total_s']} s"
    )
    if args.size:
        print(f"archive {args.size}: {info['corpus']}")
    if args.quick:
        print("quick mode: corpora are a tenth of the budgets' sizes, so statuses are only indicative")
    print(render_table(rows))
    print(
        "notes: latencies run in-process on Textual's headless driver, timed from the key press to the first frame "
        "after the list update (frame bytes rendered as a terminal would); start-up is a real `python -m tui` in a pty."
    )
    for row in rows:
        if row.key.startswith("filter:") and row.data.get("queries"):
            q = row.data["queries"]
            print(f"typed into the filter ({row.key}): {', '.join(repr(x) for x in q[:6])}{' …' if len(q) > 6 else ''}")
    for row in rows:
        if row.key == "rank:quality" and row.data.get("table"):
            print("for-you quality (precision@20 by primary category; base = random order; ceiling = best possible):")
            print(row.data["table"])
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "rows": [asdict(r) for r in rows]}, indent=1) + "\n")
    return 1 if any(r.status == "ERROR" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
