"""How good and how fast the "for you" order is.

Quality, on real arXiv e-mail digests (../shared/realdata/arxiv_email): in each file, take the five
most common primary categories; for each, queue 10 random papers of that category (5 seeds) and
measure precision@20 of the order (queued papers excluded) by primary category. Beside papertray's
model it prints the base rate (a random order), a plain tf-idf centroid (raw counts, stop words
dropped) and papertray's model on words alone (no categories, no authors): the categories a
paper lists include its primary one, so the full model's figure partly measures that it reads
categories; the words-only column is the model's quality on topic alone (and on digests without
categories, such as Hugging Face pages).

Speed, on synthetic corpora (`synth.py`): building the index, the first order, the order after a
queue change and after a day of papers arrives, the import cost, and memory at 100k papers.

Usage: python tests/benchmarks/bench_rank.py [--quick] [--files all|main]
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
for _p in (str(REPO), str(TESTS)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from benchmarks import synth  # noqa: E402
from tui.model import Paper  # noqa: E402
from tui.store import Store  # noqa: E402

REAL = REPO.parent / "shared" / "realdata" / "arxiv_email"
MAIN_FILE = "asv_arxiv_2026-01-20_cs.AI-LG-SE.txt"
MIN_PAPERS = 50  # smaller files cannot hold five categories of 10+20 papers: reported as skipped
K, QUEUED, SEEDS, CATEGORIES = 20, 10, 5, 5
METHODS = ("centroid", "words only", "papertray")

Order = Callable[[list[str]], list[str]]  # queued ids -> every other id, best first


# -- quality ------------------------------------------------------------------------------------


def load_papers(path: Path) -> list[Paper]:
    store = Store()
    store.load([path])
    return [store.papers[i] for i in store.all_ids()]


_PLAIN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def centroid_method(papers: Sequence[Paper]) -> Order:
    """The baseline: tf-idf of title+abstract words (English stop words dropped, raw counts,
    smoothed idf, unit rows), scored by cosine with the mean of the queued papers' vectors.
    (With every \\w\\w+ word kept, stop words included, it is weaker: 0.41 on the main file.)"""
    import numpy as np

    from tui.rank.index import Block
    from tui.rank.text import STOP_WORDS

    block = Block()
    block.append([[w for w in _PLAIN.findall(f"{p.title} {p.abstract}".lower()) if len(w) > 1 and w not in STOP_WORDS] for p in papers])
    ids = [p.id for p in papers]
    row = {pid: i for i, pid in enumerate(ids)}

    def order(queued: list[str]) -> list[str]:
        w = np.zeros(block.buckets, np.float32)
        for pid in queued:
            cols, vals = block.row_vector(row[pid])
            w[cols] += vals / len(queued)
        scores = block.dot(w * block.idf()) / block.norms()
        taken = set(queued)
        return [ids[i] for i in np.argsort(-scores, kind="stable") if ids[i] not in taken]

    return order


def ranker_method(papers: Sequence[Paper], weights: dict[str, float] | None = None) -> Order:
    from tui.rank import from_papers
    from tui.rank.ranker import Ranker

    ranker = Ranker(weights)
    ranker.add_papers(papers)
    by_id = {p.id: p for p in papers}
    ids = [p.id for p in papers]

    def order(queued: list[str]) -> list[str]:
        ranker.teach(from_papers(by_id[q] for q in queued))
        taken = set(queued)
        return [i for i in ranker.rank(ids).ids if i not in taken]

    return order


def quality(papers: Sequence[Paper]) -> dict:
    """Per category: papers, base rate, the best p@K possible, and each method's mean p@K."""
    primary = {p.id: p.categories[0] for p in papers if p.categories}
    cats = [c for c, _n in Counter(primary.values()).most_common(CATEGORIES)]
    methods = {
        "centroid": centroid_method(papers),
        "words only": ranker_method(papers, {"categories": 0.0, "authors": 0.0}),
        "papertray": ranker_method(papers),
    }
    rows = []
    for cat in cats:
        members = [p.id for p in papers if primary.get(p.id) == cat]
        q = min(QUEUED, len(members) // 2)
        got: dict[str, list[float]] = {m: [] for m in methods}
        for seed in range(SEEDS):
            queued = random.Random(seed).sample(members, q)
            for name, order in methods.items():
                top = order(queued)[:K]
                got[name].append(sum(primary.get(i) == cat for i in top) / K)
        rows.append({
            "category": cat,
            "papers": len(members),
            "queued": q,
            "base": (len(members) - q) / (len(papers) - q),
            "ceiling": min(K, len(members) - q) / K,
            **{m: statistics.mean(v) for m, v in got.items()},
        })
    mean = {key: statistics.mean(r[key] for r in rows) for key in ("base", "ceiling", *METHODS)}
    return {"papers": len(papers), "rows": rows, "mean": mean}


def quality_files(which: str = "all") -> list[tuple[str, dict | str]]:
    """(file name, report or why it was skipped), the main file first."""
    if not REAL.is_dir():
        return []
    names = [MAIN_FILE] + ([] if which == "main" else sorted(p.name for p in REAL.glob("*.txt") if p.name != MAIN_FILE))
    out: list[tuple[str, dict | str]] = []
    for name in names:
        papers = load_papers(REAL / name)
        if not papers:
            out.append((name, "skipped: not a digest"))
        elif len(papers) < MIN_PAPERS:
            out.append((name, f"skipped: {len(papers)} papers (fewer than {MIN_PAPERS})"))
        else:
            out.append((name, quality(papers)))
    return out


def render_quality(reports: list[tuple[str, dict | str]]) -> str:
    lines = []
    for name, rep in reports:
        if isinstance(rep, str):
            lines.append(f"{name}: {rep}")
            continue
        lines.append(f"{name} ({rep['papers']} papers; {QUEUED} queued, {SEEDS} seeds, precision@{K} by primary category)")
        head = f"  {'category':<14}{'papers':>7}{'base':>7}{'ceiling':>9}" + "".join(f"{m:>12}" for m in METHODS)
        lines.append(head)
        for r in rep["rows"]:
            lines.append(
                f"  {r['category']:<14}{r['papers']:>7}{r['base']:>7.2f}{r['ceiling']:>9.2f}"
                + "".join(f"{r[m]:>12.2f}" for m in METHODS)
            )
        m = rep["mean"]
        lines.append(f"  {'mean':<14}{'':>7}{m['base']:>7.2f}{m['ceiling']:>9.2f}" + "".join(f"{m[k]:>12.2f}" for k in METHODS))
    return "\n".join(lines)


# -- speed ----------------------------------------------------------------------------------------


def synth_papers(n: int, seed: int = 1) -> list[synth.SynthPaper]:
    """`n` distinct invented papers over a year, in digest order."""
    days = synth.build_corpus(365, synth.year_counts(n), seed, repeat_fraction=0.0)
    return [e.paper for d in days for e in d.entries]


@dataclass(slots=True)
class WidePaper:
    id: str
    title: str
    abstract: str
    categories: tuple[str, ...]
    authors: tuple[str, ...]


def wide_vocabulary(papers: list[synth.SynthPaper], seed: int = 1) -> list[WidePaper]:
    """The synthetic papers with a real-sized vocabulary: synth.py draws from ~900 words and ~4k
    names, a year of arXiv has ~200k distinct words and ~250k authors. Here 5% of the words become
    one of 200k rare words and every author one of 250k names."""
    rng = random.Random(seed)
    out = []
    for p in papers:
        words = [w if rng.random() > 0.05 else f"rare{rng.randrange(200_000)}" for w in p.abstract.split()]
        authors = tuple(f"{a} {rng.randrange(250_000)}" for a in p.authors)
        out.append(WidePaper(p.id, p.title, " ".join(words), tuple(p.categories), authors))
    return out


def _ms(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def speed(n: int, repeat: int = 5, seed: int = 1) -> dict:
    """Index build, first order, re-order after a queue change and after a day of papers arrives."""
    from tui.rank import from_papers
    from tui.rank.ranker import Ranker

    papers = synth_papers(n, seed)
    day = len(papers) // 365
    old, new = papers[:-day], papers[-day:]
    rng = random.Random(seed)
    queued = rng.sample(old, 11)
    gc.collect()
    t0 = time.perf_counter()
    ranker = Ranker()
    ranker.add_papers(old)
    build_s = time.perf_counter() - t0
    ids = [p.id for p in old]
    ranker.teach(from_papers(queued[:10]))
    first_ms = _ms(lambda: ranker.rank(ids), 1)
    flip = [from_papers(queued[:10]), from_papers(queued[1:])]
    turn = iter(range(10**6))

    def queue_change() -> None:
        ranker.teach(flip[next(turn) % 2])
        ranker.rank(ids)

    queue_ms = _ms(queue_change, repeat)
    one_day = [p.id for p in old[-day:]]
    day_ms = _ms(lambda: (ranker.teach(flip[next(turn) % 2]), ranker.rank(one_day)), repeat)
    t0 = time.perf_counter()
    ranker.add_papers(new)
    ranker.rank(ids + [p.id for p in new])
    arrive_ms = (time.perf_counter() - t0) * 1000
    return {
        "papers": len(papers), "day": day, "build_s": build_s, "first_ms": first_ms, "queue_ms": queue_ms,
        "day_ms": day_ms, "arrive_ms": arrive_ms, "index_mb": ranker.nbytes / 1e6,
    }


_MEMORY_PROBE = textwrap.dedent(
    """
    import gc, json, sys
    sys.path[:0] = {paths!r}
    from benchmarks.bench_rank import synth_papers, wide_vocabulary
    def rss_kib(field):
        for line in open("/proc/self/status"):
            if line.startswith(field):
                return int(line.split()[1])
    papers = synth_papers({n})
    if {wide!r}:
        papers = wide_vocabulary(papers)
    gc.collect()
    before = rss_kib("VmRSS:")
    try:
        open("/proc/self/clear_refs", "w").write("5")  # reset the peak to the current RSS
        resettable = True
    except OSError:
        resettable = False
    import tracemalloc
    if {traced!r}:
        tracemalloc.start()
    from tui.rank import from_papers
    from tui.rank.ranker import Ranker
    r = Ranker()
    r.add_papers(papers)
    r.teach(from_papers(papers[:10]))
    r.rank([p.id for p in papers])
    gc.collect()
    after = rss_kib("VmRSS:")
    peak = rss_kib("VmHWM:") if resettable else None
    traced = tracemalloc.get_traced_memory() if {traced!r} else (0, 0)
    print(json.dumps({{"before_kib": before, "after_kib": after, "peak_kib": peak, "index_mb": r.nbytes / 1e6,
                      "traced_mb": traced[0] / 2**20, "traced_peak_mb": traced[1] / 2**20}}))
    """
)


def memory(n: int, wide: bool = False, traced: bool = False) -> dict:
    """Extra RSS for the index of `n` papers (numpy imported, built, one order), in a fresh process;
    `wide`: with a real-sized vocabulary and author count (see `wide_vocabulary`); `traced`: also
    the bytes allocated (tracemalloc, numpy arrays included): RSS deltas move by ±20 MB with what
    the allocator kept from building the corpus, the traced figure does not (but runs 2× slower)."""
    code = _MEMORY_PROBE.format(paths=[str(REPO), str(TESTS)], n=n, wide=wide, traced=traced)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["extra_mb"] = (data["after_kib"] - data["before_kib"]) / 1024
    data["peak_extra_mb"] = None if data["peak_kib"] is None else (data["peak_kib"] - data["before_kib"]) / 1024
    return data


def import_cost(repeat: int = 5) -> dict:
    """Seconds to import the model in a fresh interpreter (numpy included), and numpy alone."""
    def once(module: str) -> float:
        code = f"import sys,time; sys.path.insert(0, {str(REPO)!r}); t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)

    return {
        "ranker_s": statistics.median(once("tui.rank.ranker") for _ in range(repeat)),
        "numpy_s": statistics.median(once("numpy") for _ in range(repeat)),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="3k and 30k papers instead of 30k and 300k")
    ap.add_argument("--files", choices=("all", "main"), default="all")
    args = ap.parse_args(argv)
    reports = quality_files(args.files)
    print(render_quality(reports) if reports else f"quality: skipped, {REAL} not present")
    for n in (3_000, 30_000) if args.quick else (30_000, 300_000):
        s = speed(n)
        print(
            f"{s['papers']:,} papers: index built in {s['build_s']:.2f} s ({s['index_mb']:.0f} MB); first order {s['first_ms']:.0f} ms; "
            f"after a queue change {s['queue_ms']:.0f} ms (one day's {s['day']} papers: {s['day_ms']:.1f} ms); "
            f"a day of papers arrives: {s['arrive_ms']:.0f} ms"
        )
    n = 10_000 if args.quick else 100_000
    for wide in (False, True):
        m, t = memory(n, wide), memory(n, wide, traced=True)
        print(
            f"memory, {n:,} papers{' (real-sized vocabulary)' if wide else ''}: +{m['extra_mb']:.0f} MiB RSS after build "
            f"and order (peak +{m['peak_extra_mb']:.0f} MiB); allocated {t['traced_mb']:.0f} MiB (peak "
            f"{t['traced_peak_mb']:.0f} MiB, tracemalloc); arrays {m['index_mb']:.0f} MB"
        )
    imp = import_cost()
    print(f"import tui.rank.ranker (numpy included): {imp['ranker_s'] * 1000:.0f} ms; numpy alone {imp['numpy_s'] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
