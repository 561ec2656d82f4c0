"""Queue saves and read marks at ten years' scale (targets: save <= 20 ms at 5,000 entries, also
right after another instance changed the file; 100k read marks load <= 50 ms; one mark <= 2 ms on
the calling thread, p99 <= 10 ms).

`bench_save()` measures the common case (one entry changed, so only it is re-encoded), the save
right after a peer changed one entry (the file is re-read: only the changed entry is parsed), and
the first save of a freshly opened queue (its pieces of the file are reused, not re-encoded). `bench_marks()`
writes a journal of 100k marks and measures loading it and marking papers. Run as a script to
print the figures: `python tests/benchmarks/bench_queue.py [n] [repeat]`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.model import Digest, Format, Paper  # noqa: E402
from tui.queue import Queue  # noqa: E402
from tui.readstate import HEADER, ReadState, line_for  # noqa: E402

_WORDS = "model learning data training language graph neural method results attention".split()


def _paper(i: int, digest: Digest) -> Paper:
    """A paper shaped like a real arXiv one: ~1,100-character abstract, a few authors, links."""
    words = [_WORDS[(i * 7 + k) % len(_WORDS)] for k in range(160)]
    aid = f"2601.{i:05d}"
    return Paper(
        id=aid,
        title=f"On {' '.join(words[:9])} number {i}",
        abstract=" ".join(words),
        authors=tuple(f"Author{i}-{k} Surname{k}" for k in range(4)),
        published=date(2026, 1, 1 + i % 28),
        categories=("cs.CL", "cs.LG"),
        links={"arxiv": f"https://arxiv.org/abs/{aid}", "pdf": f"https://arxiv.org/pdf/{aid}"},
        digests=[digest],
    )


def bench_save(n: int = 5000, repeat: int = 5) -> dict[str, float]:
    """Median milliseconds of a `Queue` save with `n` entries, lock + merge check + fsync included."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        digest = Digest(data_dir / "digest.txt", Format.ARXIV_EMAIL, date(2026, 1, 20))
        queue = Queue(data_dir)
        queue.add_many(_paper(i, digest) for i in range(n))
        assert queue.last_error is None, queue.last_error
        peer = Queue(data_dir)
        warm: list[float] = []
        after_peer: list[float] = []
        cold: list[float] = []
        opened: list[float] = []
        for r in range(repeat):
            t0 = time.perf_counter()
            queue.set_note(f"2601.{r % n:05d}", f"note {r}")  # one change, saved at once
            warm.append((time.perf_counter() - t0) * 1000)
            assert queue.last_error is None and not queue.dirty, queue.last_error
            peer.set_status(f"2601.{(r * 7 + 3) % n:05d}", "reading")  # another instance changes one entry
            t0 = time.perf_counter()
            queue.set_note(f"2601.{(r + 1) % n:05d}", f"note {r}")  # our save re-reads and merges it
            after_peer.append((time.perf_counter() - t0) * 1000)
            assert queue.get(f"2601.{(r * 7 + 3) % n:05d}").status == "reading"
            t0 = time.perf_counter()
            fresh = Queue(data_dir)  # another start: the whole file is parsed once
            opened.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            fresh.set_note(f"2601.{(r + 2) % n:05d}", f"fresh {r}")  # its first save encodes only that entry
            cold.append((time.perf_counter() - t0) * 1000)
            queue.reload_if_changed()
            peer.reload_if_changed()
        size = (data_dir / "queue.toml").stat().st_size
    return {
        "n": n,
        "median_ms": statistics.median(warm),
        "min_ms": min(warm),
        "after_peer_min_ms": min(after_peer),
        "after_peer_median_ms": statistics.median(after_peer),
        "after_peer_max_ms": max(after_peer),
        "cold_median_ms": statistics.median(cold),
        "open_median_ms": statistics.median(opened),
        "file_kib": size / 1024,
    }


def write_journal(path: Path, n: int) -> None:
    """`n` read marks over ten years, one in ten later marked unread again (as the app writes them)."""
    start = datetime(2016, 1, 1, tzinfo=timezone.utc)
    step = timedelta(days=3650) / n
    lines = [line_for(f"{16 + i * 10 // n:02d}{1 + i % 12:02d}.{i:05d}", i % 10 != 9, start + i * step) for i in range(n)]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")


def bench_marks(n: int = 100_000, repeat: int = 5, marks: int = 500) -> dict[str, float]:
    """Load `n` marks (median ms), then `marks` single marks timed on the calling thread."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        write_journal(data_dir / "readmarks.log", n)
        loads: list[float] = []
        kept: list[ReadState] = []  # freeing the previous instance's 100k strings is not loading
        for _ in range(repeat):
            t0 = time.perf_counter()
            state = ReadState(data_dir)
            loads.append((time.perf_counter() - t0) * 1000)
            kept.append(state)
        del kept[:-1]
        assert len(state.read_ids) >= n * 0.85, len(state.read_ids)
        one: list[float] = []
        t_all = time.perf_counter()
        for i in range(marks):
            t0 = time.perf_counter()
            state.set_read(f"2611.9{i:04d}")
            one.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.001)  # a reader marks at human pace; the writer thread catches up meanwhile
        assert state.close(timeout=30), state.last_error
        durable_s = time.perf_counter() - t_all
        size = (data_dir / "readmarks.log").stat().st_size
        assert len(ReadState(data_dir).read_ids) == len(state.read_ids)
    one.sort()
    return {
        "n": n,
        "load_median_ms": statistics.median(loads),
        "load_min_ms": min(loads),
        "mark_median_ms": statistics.median(one),
        "mark_p99_ms": one[int(len(one) * 0.99) - 1],
        "mark_max_ms": one[-1],
        "marks": marks,
        "all_durable_s": durable_s,
        "file_kib": size / 1024,
    }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    result = bench_save(*args)
    print(
        f"{result['n']} entries, {result['file_kib']:.0f} KiB: save {result['median_ms']:.1f} ms median, "
        f"{result['min_ms']:.1f} min (one entry changed), {result['after_peer_median_ms']:.1f} ms median after a "
        f"peer's change ({result['after_peer_min_ms']:.1f} min, {result['after_peer_max_ms']:.1f} max), "
        f"{result['cold_median_ms']:.1f} ms first save after opening "
        f"({result['open_median_ms']:.0f} ms to open)"
    )
    m = bench_marks()
    print(
        f"{m['n']:,} read marks, {m['file_kib']:.0f} KiB: load {m['load_median_ms']:.1f} ms median ({m['load_min_ms']:.1f} min); one mark "
        f"{m['mark_median_ms']:.3f} ms median, p99 {m['mark_p99_ms']:.3f} ms, max {m['mark_max_ms']:.3f} ms "
        f"on the calling thread ({m['marks']} marks, all durable after {m['all_durable_s']:.2f} s)"
    )
