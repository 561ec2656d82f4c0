"""The archive benchmark (`run.py --size`) still measures every figure, on a tiny corpus.

Slow (about a minute: it starts the reader in a pty several times), so marked `slow`; it still runs.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "run.py"
ARCHIVE_FIGURES = (
    "archive:start-first", "archive:start", "archive:start-year", "archive:burst", "archive:key",
    "archive:rss", "archive:list-json", "archive:parse:arxiv-atom", "archive:parse:arxiv-rss",
)


@pytest.mark.slow
def test_archive_benchmark_measures_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = dict(os.environ, PAPERTRAY_BENCH_CACHE=str(tmp_path / "corpora"))
    proc = subprocess.run(
        [sys.executable, str(RUN), "--size", "smoke", "--repeat", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(out.read_text())
    rows = {r["key"]: r for r in report["rows"]}
    assert tuple(rows) == ARCHIVE_FIGURES
    for key, row in rows.items():
        assert row["status"] in {"ok", "MISS"}, (key, row["status"], row["reference"])
        assert row["budget"].startswith(("≤", "≥")) and row["reference"], key
        assert row["figure"] in proc.stdout, key
    assert report["machine"]["mode"] == "archive smoke"
    # Real measurements: every start painted titles, every burst reached its result.
    starts = rows["archive:start"]["data"]["runs"]
    assert starts and all(0 < r["first_s"] <= r["ready_s"] < 120 for r in starts)
    typing = rows["archive:burst"]["data"]
    assert typing["papers"] > 2_000 and len(typing["burst_ms"]) == 3 and not any(math.isnan(x) for x in typing["burst_ms"])
    assert rows["archive:rss"]["data"]["peak_kib"] > 10_000
    # The corpus was generated once into the cache folder and is reused.
    assert (tmp_path / "corpora").is_dir() and any((tmp_path / "corpora").iterdir())
