"""Triage latencies of the real app, in-process with Textual's headless driver (see bench_app):

* `n` → frame at ~100k papers, with most papers read so each press scans thousands of rows
  (and, as a reference, the rule alone scanning every id and finding nothing);
* `X` (mark every listed paper read) and `u` (its undo) at ~30k papers: the action's time on the
  UI thread (the save to disk included: it happens before the key returns) and key → frame;
* saved-search counts at ~30k papers with three saved searches: `x` → the frame that shows the
  new unread counts, and a digest of new papers arriving (the watcher's hand-over on the UI
  thread) → the frame with counts that include them, before the index is rebuilt.
"""

from __future__ import annotations

import asyncio
import gc
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import synth
from benchmarks.bench_app import SIZE, _FrameProbe, _wait_loaded
from tui.triage import next_unread

SEARCHES = (("models", "model"), ("learning", "learning -survey"), ("unread-graphs", "graph is:unread"))


@dataclass
class Triage:
    papers: int = 0
    next_ms: list[float] = field(default_factory=list)
    next_scanned: list[int] = field(default_factory=list)  # rows each press moved over
    scan_ms: list[float] = field(default_factory=list)
    j_ms: list[float] = field(default_factory=list)  # reference: j → frame in the same app  # next_unread() over every id, nothing found
    mark_action_ms: list[float] = field(default_factory=list)  # X: the action on the UI thread
    mark_frame_ms: list[float] = field(default_factory=list)  # X: key -> frame
    undo_action_ms: list[float] = field(default_factory=list)
    marked: int = 0
    count_ms: list[float] = field(default_factory=list)  # x -> frame with the new counts
    arrival_ms: list[float] = field(default_factory=list)  # new digest handed over -> frame with counts
    arrived: int = 0
    timeouts: int = 0


def _hook(probe: _FrameProbe, obj: object, name: str, spent: list[float] | None = None) -> None:
    """Wrap `obj.name` so that the frame after it counts (and its own time is recorded)."""
    action = getattr(obj, name)

    def run(*args, **kwargs):
        t0 = time.perf_counter()
        result = action(*args, **kwargs)
        if spent is not None:
            spent.append((time.perf_counter() - t0) * 1000)
        probe.trigger()
        return result

    setattr(obj, name, run)


async def _written(app, timeout: float = 60.0) -> None:
    """Wait for the read-mark journal's writer thread to finish (it runs beside the UI)."""
    deadline = time.monotonic() + timeout
    while app.state.dirty and time.monotonic() < deadline:
        await asyncio.sleep(0.02)


async def _timed(pilot, probe: _FrameProbe, out: Triage, key: str) -> float | None:
    probe.expect(after_show=False)
    t0 = time.perf_counter()
    await pilot.press(key)
    done = await probe.frame()
    if done is None:
        out.timeouts += 1
        return None
    return (done - t0) * 1000


async def _next_unread(folder: Path, data_dir: Path, presses: int, out: Triage) -> None:
    from tui.reader.app import PapertrayApp

    app = PapertrayApp([folder], data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_loaded(app)
        reader = app.reader
        ids = [p.id for p in reader.papers_pane.papers]
        out.papers = len(ids)
        step = max(1, len(ids) // presses)
        unread = set(ids[step::step])
        app.state.set_read_many([pid for pid in ids if pid not in unread], True)  # setup, not timed
        reader.user_data_changed()
        await _written(app)
        await pilot.pause()
        probe = _FrameProbe(app)
        _hook(probe, reader, "action_next_unread")
        for _ in range(presses - 1):
            before = reader.papers_pane.cursor
            ms = await _timed(pilot, probe, out, "n")
            if ms is not None:
                out.next_ms.append(ms)
                out.next_scanned.append(reader.papers_pane.cursor - before)
        assert reader.papers_pane.cursor >= len(ids) - 2 * step, (reader.papers_pane.cursor, len(ids))
        # Reference, same app, same moment: j (one row, no scan) → frame.
        _hook(probe, reader.papers_pane, "action_cursor")
        await pilot.press("g")
        for _ in range(presses - 1):
            ms = await _timed(pilot, probe, out, "j")
            if ms is not None:
                out.j_ms.append(ms)
        # The rule alone when nothing unread is left below: a scan of every id (the toast it
        # leads to is Textual's cost, not the scan's).
        is_read = app.state.read_ids.__contains__
        app.state.set_read_many(list(unread), True)
        await _written(app)
        for _ in range(5):
            t0 = time.perf_counter()
            assert next_unread(ids, 0, 1, is_read) is None
            out.scan_ms.append((time.perf_counter() - t0) * 1000)
        await pilot.press("q")


async def _mark_and_counts(folder: Path, arrival: Path, data_dir: Path, repeat: int, out: Triage) -> None:
    from tui.config import Config
    from tui.loader import discover, read_digest
    from tui.reader.app import PapertrayApp
    from tui.watch import Changes

    app = PapertrayApp([folder], config=Config(searches=SEARCHES), data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_loaded(app)
        reader = app.reader
        deadline = time.monotonic() + 120
        while len(reader.search_ids) < len(SEARCHES):  # the saved searches are matched off the UI thread
            if time.monotonic() > deadline:
                raise RuntimeError("saved searches not matched after 120 s")
            await asyncio.sleep(0.05)
        out.papers = len(reader.store.papers)
        probe = _FrameProbe(app)
        _hook(probe, reader, "action_mark_all_read", out.mark_action_ms)
        _hook(probe, reader, "action_undo", out.undo_action_ms)
        for _ in range(repeat):
            ms = await _timed(pilot, probe, out, "X")
            if ms is not None:
                out.mark_frame_ms.append(ms)
            out.marked = len(app.state.read_ids)
            await _written(app)  # the journal's writer thread would otherwise share the CPU with the next key
            await _timed(pilot, probe, out, "u")
            await _written(app)
        assert not app.state.read_ids, "u did not undo X"

        # One read mark: the days pane's saved-search rows must show the new counts in that frame.
        _hook(probe, reader, "action_toggle_read")
        days = reader.days_pane
        for pid in reader.search_ids["models"][:repeat]:  # papers the first saved search counts
            reader.go_to_paper(pid)
            await pilot.pause()
            before = days.row_text(1, 40).plain
            ms = await _timed(pilot, probe, out, "x")
            if ms is not None:
                out.count_ms.append(ms)
            assert days.row_text(1, 40).plain != before, (before, "unchanged after x")

        # A digest arrives (as the watcher hands it over): counts include it in the next frame.
        candidates, _ = discover([arrival])
        changes = Changes(changed=[read_digest(c) for c in candidates])
        out.arrived = sum(len(r.digest.paper_ids) for r in changes.changed)
        before = [days.row_text(i, 40).plain for i in range(1, 1 + len(SEARCHES))]
        probe.expect(after_show=False)
        t0 = time.perf_counter()
        reader._apply_changes(changes)
        probe.trigger()
        done = await probe.frame()
        if done is not None:
            out.arrival_ms.append((done - t0) * 1000)
        after = [days.row_text(i, 40).plain for i in range(1, 1 + len(SEARCHES))]
        assert before != after, "the saved-search counts did not include the new papers"
        await pilot.press("q")


def write_arrival(folder: Path, papers: int = 300) -> Path:
    """One new day of `papers` papers (a seed the corpora do not use), as an HF page."""
    folder.mkdir(parents=True, exist_ok=True)
    (day,) = synth.build_corpus(1, [papers], seed=4242, start=synth.date(2027, 1, 1))
    path = folder / synth.file_name("hf-text", day)
    path.write_text(synth.render("hf-text", day), encoding="utf-8")
    return folder


def measure_next(folder: Path, data_dir: Path, presses: int) -> Triage:
    out = Triage()
    try:
        asyncio.run(_next_unread(folder, data_dir, presses, out))
    finally:
        gc.unfreeze()
        gc.collect()
    return out


def measure_marks(folder: Path, arrival: Path, data_dir: Path, repeat: int) -> Triage:
    out = Triage()
    try:
        asyncio.run(_mark_and_counts(folder, arrival, data_dir, repeat, out))
    finally:
        gc.unfreeze()
        gc.collect()
    return out
