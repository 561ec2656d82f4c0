"""How long one queue save takes with 1,000 entries, fsync included (target: <= 20 ms).

`bench_save()` measures the common case (one entry changed, so only it is re-encoded) and the
cold case (every entry encoded afresh, as in the first save after opening). Run as a script to
print the figures: `python tests/benchmarks/bench_queue.py [n] [repeat]`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.model import Digest, Format, Paper  # noqa: E402
from tui.queue import Queue  # noqa: E402

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


def bench_save(n: int = 1000, repeat: int = 5) -> dict[str, float]:
    """Median milliseconds of `Queue.save()` with `n` entries, lock + merge check + fsync included."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        digest = Digest(data_dir / "digest.txt", Format.ARXIV_EMAIL, date(2026, 1, 20))
        queue = Queue(data_dir)
        queue.add_many(_paper(i, digest) for i in range(n))
        assert queue.last_error is None, queue.last_error
        warm: list[float] = []
        cold: list[float] = []
        for r in range(repeat):
            t0 = time.perf_counter()
            queue.set_note(f"2601.{r % n:05d}", f"note {r}")  # one change, saved at once
            warm.append((time.perf_counter() - t0) * 1000)
            assert queue.last_error is None and not queue.dirty, queue.last_error
            queue._chunk_cache.clear()  # as in the first save after opening the file
            queue.dirty = True
            t0 = time.perf_counter()
            queue.save()
            cold.append((time.perf_counter() - t0) * 1000)
        size = (data_dir / "queue.toml").stat().st_size
    return {
        "n": n,
        "median_ms": statistics.median(warm),
        "cold_median_ms": statistics.median(cold),
        "file_kib": size / 1024,
    }


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    result = bench_save(*args)
    print(
        f"{result['n']} entries, {result['file_kib']:.0f} KiB: save {result['median_ms']:.1f} ms median "
        f"(one entry changed), {result['cold_median_ms']:.1f} ms cold (all re-encoded)"
    )
