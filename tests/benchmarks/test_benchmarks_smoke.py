"""The benchmark command still runs end to end: every figure measured, table and JSON written.

A benchmark that silently stopped measuring something (a renamed app hook, a parser that now
fails on the synthetic data) would otherwise only be noticed when someone reads its table.
This runs the real script in `--quick --repeat 1` mode, as a subprocess, as a developer would.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "run.py"
FIGURES = (
    "parse:hf-text", "parse:hf-json", "parse:arxiv-email", "parse:arxiv-atom", "parse:arxiv-rss",
    "load-year:hf-text", "load-year:mixed", "start", "filter:year", "filter:big",
    "cursor:big", "page:big", "rss:big", "queue-save", "queue-save:peer", "marks-load", "mark",
    "rank:quality", "rank:year", "rank:large", "rank:memory", "rank:import",
    "next-unread:big", "mark-all:year", "search-counts:year", "search-arrival:year",
)
STATUSES = {"ok", "MISS", "—"}


@pytest.mark.slow
def test_quick_benchmark_measures_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--repeat", "1", "--json", str(out)],
        capture_output=True, text=True, timeout=120,
    )
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert elapsed < 60, f"quick benchmark took {elapsed:.0f} s"

    report = json.loads(out.read_text())
    rows = {r["key"]: r for r in report["rows"]}
    assert tuple(rows) == FIGURES  # every figure once, in table order
    for key, row in rows.items():
        # No ERROR (a crash) and no BAD (files failed to parse, keys without a frame).
        assert row["status"] in STATUSES, (key, row["status"], row["reference"])
        assert row["figure"] in proc.stdout, f"row {key!r} missing from the printed table"
        assert row["value"] and row["value"] in proc.stdout, key
    # Budgeted figures carry a budget and a verdict; the rest say so.
    for key in ("load-year:hf-text", "start", "filter:year", "filter:big", "page:big", "queue-save", "queue-save:peer",
                "marks-load", "mark", "next-unread:big", "mark-all:year", "search-counts:year", "search-arrival:year"):
        assert rows[key]["budget"].startswith("≤") and rows[key]["status"] in {"ok", "MISS"}, key
    assert rows["rss:big"]["status"] == "—" and rows["parse:hf-json"]["status"] == "—"

    machine = report["machine"]
    assert machine["mode"] == "quick" and machine["repeat"] == 1 and machine["cores"] >= 1
    header = proc.stdout.splitlines()[0]
    assert f"{machine['cores']} cores" in header and f"textual {machine['textual']}" in header
    assert machine["python"] in header

    # Figures are real measurements of the whole corpus, not placeholders.
    parse = rows["parse:hf-text"]["data"]
    assert parse["files"] == 30 and parse["failed_files"] == 0 and parse["papers"] > 2_500
    assert 0 < parse["load_s"] < 30
    filt = rows["filter:year"]["data"]
    assert filt["timeouts"] == 0 and len(filt["queries"]) == 3
    assert len(filt["samples_ms"]) == sum(len(q) for q in filt["queries"])
    assert all(0 < ms < 10_000 for ms in filt["samples_ms"])
    assert len(rows["page:big"]["data"]["samples_ms"]) == 10
    rss = rows["rss:big"]["data"]
    assert rss["papers"] > 9_000 and rss["peak_kib"] > rss["base_kib"] > 0
    assert 0 < rows["start"]["data"]["ready_s"] < 30
    assert rows["queue-save"]["data"]["n"] == 5000
    assert rows["marks-load"]["data"]["n"] == 100_000 and rows["mark"]["data"]["marks"] == 500
    # The for-you figures: budgets and verdicts, a real order of the whole corpus, a real process.
    for key in ("rank:year", "rank:large", "rank:memory"):
        assert rows[key]["budget"].startswith("≤") and rows[key]["status"] in {"ok", "MISS"}, key
    assert rows["rank:year"]["data"]["papers"] == 3_000 and rows["rank:large"]["data"]["papers"] == 10_000
    assert 0 < rows["rank:year"]["data"]["first_ms"] < 10_000
    assert rows["rank:memory"]["data"]["extra_mb"] > 0 and rows["rank:import"]["data"]["ranker_s"] > 0
    quality = rows["rank:quality"]
    if quality["budget"] != "—":  # ../shared present: the table is printed with every method
        table = quality["data"]["table"]
        assert "centroid" in table and "words only" in table and table in proc.stdout
    assert rows["next-unread:big"]["data"]["papers"] > 9_000 and len(rows["next-unread:big"]["data"]["samples_ms"]) == 19
    assert rows["mark-all:year"]["data"]["marked"] > 2_500
