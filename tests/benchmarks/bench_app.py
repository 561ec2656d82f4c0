"""Key press -> frame latencies of the real app, run in-process with Textual's headless driver.

`pilot.pause()` polls for idle and costs ~100 ms by itself, so it cannot time anything. Instead
two hooks on the app record when things happen:

* `app.reader._show` (the UI-thread end of the filter pipeline, called once a search result is ready)
  marks "the papers list has been updated";
* `app._display` (called by the screen with each compositor update, i.e. once per frame) marks
  "a frame was written". The headless driver skips turning the update into terminal bytes, so the
  hook does that work itself (`render_segments`), to charge each frame what a real terminal costs.

A keystroke's latency is the time from just before the key is sent to the first frame written
after the awaited event (the list update for the filter; the key's action for cursor moves).
Between keystrokes we wait for that frame with an asyncio.Event, never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import gc
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

SIZE = (160, 45)
_ALPHA = re.compile(r"[a-z]{5,}")


@dataclass
class Latencies:
    """Milliseconds per keystroke, by what was pressed."""

    filter_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)  # SearchIndex.search alone, per filter key
    cursor_ms: list[float] = field(default_factory=list)
    page_ms: list[float] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    papers: int = 0
    timeouts: int = 0


class _FrameProbe:
    """Hooks `_show` and `_display` on one app; `expect()` then `await frame()` times one key.

    `App._display` is private Textual API, used here and nowhere else: it is the one place every
    frame passes through, and Textual has no public per-frame hook to time a key to its frame.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.armed = False  # waiting for the trigger (a list update), before counting frames
        self.waiting = False  # trigger seen (or not needed): the next frame ends the measurement
        self.frame_at = 0.0
        self.event = asyncio.Event()
        show, display = app.reader._show, app._display

        def timed_show(*args, **kwargs):
            show(*args, **kwargs)
            if self.armed:
                self.armed = False
                self.waiting = True

        def timed_display(screen, renderable):
            display(screen, renderable)
            if self.waiting and renderable is not None:
                if app.is_headless and hasattr(renderable, "render_segments"):
                    renderable.render_segments(app.console)  # what a real driver would write
                self.frame_at = time.perf_counter()
                self.waiting = False
                self.event.set()

        app.reader._show = timed_show  # our own method: the end of the filter pipeline
        app._display = timed_display

    def expect(self, after_show: bool) -> None:
        """Arm for the next key: the frame that counts is the first after `_show`, or else the
        first after `trigger()` (called from a hooked action)."""
        self.event.clear()
        self.armed = after_show
        self.waiting = False

    def trigger(self) -> None:
        """For keys whose action we hook ourselves: from now on the next frame counts."""
        self.waiting = True

    async def frame(self, timeout: float = 10.0) -> float | None:
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except asyncio.TimeoutError:
            self.armed = self.waiting = False
            return None
        return self.frame_at


def pick_queries(digest_dir: Path, rounds: int, seed: int = 7) -> list[list[str]]:
    """Per round, three things a reader types: a title word, two words of one title, and a word
    found in an abstract but not in that paper's title (the abstract-search path).

    Taken from the generated papers themselves (so they match), never reusing a word across rounds,
    so the index's per-word caches do not flatter later rounds.
    """
    from tui.store import Store

    store = Store()
    store.load([digest_dir])
    papers = [store.papers[i] for i in store.all_ids()]
    if not papers:
        raise RuntimeError(f"no papers loaded from {digest_dir}")
    rng = random.Random(seed)
    used: set[str] = set()
    out: list[list[str]] = []
    for _ in range(rounds):
        queries: list[str] = []
        for tries in range(10_000):
            if len(queries) == 3:
                break
            paper = papers[rng.randrange(len(papers))]
            title_words = list(dict.fromkeys(_ALPHA.findall(paper.title.casefold())))
            if len(queries) < 2:
                words = [w for w in title_words if w not in used or tries > 5000]
                want = len(queries) + 1  # one word, then two
            else:
                words = [w for w in _ALPHA.findall(paper.abstract.casefold()) if w not in title_words]
                words = [w for w in dict.fromkeys(words) if w not in used or tries > 5000]
                want = 1
            if len(words) >= want:
                chosen = rng.sample(words, want)
                used.update(chosen)
                queries.append(" ".join(chosen))
        out.append(queries)
    return out


async def _wait_loaded(app, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not (app.reader.loaded and app.library.index_ready is not None):
        if time.monotonic() > deadline:
            raise RuntimeError(f"app not loaded and indexed after {timeout:.0f} s")
        await asyncio.sleep(0.02)


async def _measure(
    digest_dir: Path, data_dir: Path, queries: list[list[str]], moves: int, out: Latencies
) -> None:
    from textual.widgets import Input

    from tui.reader.app import PapertrayApp

    app = PapertrayApp([digest_dir], data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await _wait_loaded(app)
        out.papers = len(app.reader.store.papers)
        probe = _FrameProbe(app)
        index = app.library.index_ready
        search = index.search

        def timed_search(*args, **kwargs):  # runs in the search worker thread
            t0 = time.perf_counter()
            result = search(*args, **kwargs)
            out.search_ms.append((time.perf_counter() - t0) * 1000)
            return result

        index.search = timed_search

        async def timed(key: str, after_show: bool) -> float | None:
            probe.expect(after_show)
            t0 = time.perf_counter()
            await pilot.press(key)
            done = await probe.frame()
            if done is None:
                out.timeouts += 1
                return None
            return (done - t0) * 1000

        for round_queries in queries:
            for query in round_queries:
                out.queries.append(query)
                await pilot.press("slash")
                assert isinstance(app.focused, Input), f"filter not focused: {app.focused!r}"
                for ch in query:
                    ms = await timed(ch, after_show=True)
                    if ms is not None:
                        out.filter_ms.append(ms)
                assert app.reader.filter_bar.value == query, (app.reader.filter_bar.value, query)
                await timed("escape", after_show=True)  # clear: the full list comes back

        # Cursor and page moves on the full list; the frame must follow the key's action.
        assert app.library.index_ready is index, "the index was rebuilt while typing"
        pane = app.reader.papers_pane
        assert app.focused is pane and pane.row_count == out.papers, (app.focused, pane.row_count)
        cursor, page = pane.action_cursor, pane.action_page

        def hooked(action):
            def run(*args):
                action(*args)
                probe.trigger()
            return run

        pane.action_cursor, pane.action_page = hooked(cursor), hooked(page)
        for key, bucket in (("j", out.cursor_ms), ("pagedown", out.page_ms)):
            for _ in range(moves):
                ms = await timed(key, after_show=False)
                if ms is not None:
                    bucket.append(ms)
        assert pane.cursor > moves, pane.cursor  # the keys really moved the cursor
        await pilot.press("q")


def measure(digest_dir: Path, data_dir: Path, queries: list[list[str]], moves: int = 0) -> Latencies:
    """Run the app over `digest_dir`, type `queries` into the filter, then press j and PgDn `moves` times each."""
    out = Latencies()
    try:
        asyncio.run(_measure(digest_dir, data_dir, queries, moves, out))
    finally:
        gc.unfreeze()  # the app freezes its store; let this process reclaim it before the next figure
        gc.collect()
    return out
