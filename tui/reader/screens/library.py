"""The reader screen's side of loading, indexing, watching and fetching digests (the base class
of `ReaderScreen`).

The threads only parse, build and download; the store and index are handed over on the UI thread.
Watching is on by default and cheap (see `tui.watch`); `r` looks at the folders at once; `R` runs
`papertray fetch` in a worker (progress in the status bar, Esc stops it), and what it writes
shows up through the watcher like any other new file. Papers that arrived since the last session
are "new" (`tui.arrivals`): marked in the list, counted in the days pane's "New" row.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from tui.fetch import fetch
from tui.fetch.runner import WROTE, Outcome
from tui.heap import trim_heap
from tui.listing import ALL_DAYS, DayKey, Library
from tui.loader import LoadCancelled
from tui.model import Digest, Kind, path_text
from tui.paths import fetch_dir
from tui.reader.widgets.days import DaysPane
from tui.reader.widgets.papers import PapersPane
from tui.search import Cancelled
from tui.store import Store
from tui.watch import Changes

if TYPE_CHECKING:
    from tui.reader.app import PapertrayApp


FORMATS_READ = (
    "papertray reads Hugging Face Daily Papers pages saved as text, the Daily Papers API's JSON, "
    "arXiv e-mail digests and arXiv Atom/RSS feeds (any file names; folders are searched recursively)."
)


def app_paths(screen: LibraryScreen) -> list[str]:
    return list(screen.papertray.paths)


def empty_library_text(paths: list[str], digests: list[Digest]) -> str:
    """What an empty reader says: where it looked, what it reads, and what to do."""
    where = ", ".join(paths) if paths else "(no paths)"
    if digests:
        return (f"No papers could be read from the {len(digests)} file(s) in {where}.\n"
                f"`papertray check {where}` says what is wrong with each.\n{FORMATS_READ}")
    return (f"No digests found in {where}.\n{FORMATS_READ}\n"
            "Save digests there, or open another folder: papertray ~/digests. To make it the default, "
            "set [digests] paths in the config (papertray config init writes one).")


class LibraryScreen(Screen[None]):
    """Load once at start, rebuild the index after each change, watch files when configured."""

    days_pane: DaysPane
    papers_pane: PapersPane
    loaded: bool
    activity: str = ""  # what runs in the background, for the status bar ("fetching … 2/3")
    _fetch_cancel: threading.Event | None = None
    _first_painted = False  # see _stamp_first_paint

    def update_status(self) -> None:
        """Redraw the status line (the reader screen has one)."""
        raise NotImplementedError

    def refresh_papers(self, keep: str | None = None, top_if_gone: bool = False) -> None:
        raise NotImplementedError

    def user_data_changed(self) -> None:
        raise NotImplementedError

    def restore_point(self) -> tuple[DayKey, str | None]:
        """The day and paper to show after the first load (the reader restores the last session's)."""
        return ALL_DAYS, None

    def papers_arrived(self, digests: list[Digest], removed: bool) -> None:
        """Digests were added or changed by the watcher (the store has them; the index not yet)."""

    def index_built(self) -> None:
        """The search index is ready (after a load or a watched change); runs on the UI thread."""

    @property
    def papertray(self) -> PapertrayApp:
        return cast("PapertrayApp", self.app)

    # Shorthands for the app's long-lived model objects (and the read of tests and tools).
    @property
    def library(self) -> Library:
        return self.papertray.library

    @property
    def store(self) -> Store:
        return self.papertray.library.store

    @property
    def alive(self) -> bool:
        """False once the app is shutting down: late callbacks (timers, workers) must do nothing."""
        return self.is_attached and self.app.is_running and not self.papertray.closing

    # -- loading and watching ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_digests(self) -> None:
        """Read every digest off the UI thread, then hand the finished store over."""
        app = self.papertray
        preload = app.preload  # left on the app while loading: quitting cancels it
        if preload is not None and preload.cache is not None:
            self.library.cache_folder = preload.cache.folder  # where the word index is kept

        def cancelled() -> bool:
            return app.closing

        try:
            first = preload.preview() if preload else []  # a big archive's newest digests, shown while the rest loads
            if first:
                glimpse, _ = Library.load((), self.store.max_bytes, first)
                app.call_from_thread(self._preview, glimpse)
            parsed = preload.results(cancelled) if preload else None
            store, digests = Library.load(app.paths, self.store.max_bytes, parsed, cancelled)
        except LoadCancelled:
            return  # the reader quit while loading: nobody will see the result
        finally:
            app.preload = None
        arrivals = app.arrivals
        arrivals.see(d.path for d in store.digests)
        new_ids = arrivals.new_ids(store.papers[i] for i in store.all_ids())
        app.call_from_thread(self._loaded, store, digests, new_ids)
        arrivals.save()  # first-seen times of these files, and this session's start (after the UI has them)

    def _preview(self, store: Store) -> None:
        """The newest digests, before everything is read (ten years take seconds to read)."""
        if self.loaded or not self.alive:
            return
        self.library.replace(store)
        self._store_changed(keep_day=ALL_DAYS, index=False)
        self._stamp_first_paint()

    def _stamp_first_paint(self) -> None:
        """For the benchmark: when the first titles reach the screen ($PAPERTRAY_FIRST_PAINT_FILE)."""
        stamp = os.environ.get("PAPERTRAY_FIRST_PAINT_FILE")
        if stamp and not self._first_painted:
            self._first_painted = True
            self.call_after_refresh(lambda: Path(stamp).write_text(f"{time.time()}\n"))

    def _loaded(self, store: Store, digests: list[Digest], new_ids: list[str] | None = None) -> None:
        self.library.replace(store)
        self.library.set_new(new_ids or [])
        self.loaded = True
        self.papers_pane.empty_text = "No papers match." if store.papers else empty_library_text(app_paths(self), digests)
        if self.papertray.samples:
            self.papers_pane.border_subtitle = "bundled samples · papertray ~/digests reads yours"
            self.notify(
                "These are the sample digests bundled with papertray. Read your own with "
                "`papertray ~/digests` (any folder of digests), or set [digests] paths in the config "
                "(`papertray config init` writes one).", title="Samples", timeout=15, markup=False)
        keep_day, keep = self.restore_point()
        self._store_changed(keep_day=keep_day, keep=keep)
        self.papertray.watcher.prime(d.path for d in store.digests)
        self._notify_damage(digests)
        self._stamp_first_paint()
        ready = os.environ.get("PAPERTRAY_READY_FILE")
        if ready:
            self.call_after_refresh(lambda: Path(ready).write_text(f"{time.time()}\n"))
        if self.papertray.config.digests.watch:
            self.set_interval(self.papertray.config.digests.watch_interval, self.check_digests)

    def _notify_damage(self, digests: list[Digest]) -> None:
        """Name the files that could not be read, and those read only in part (an error, but
        some papers salvaged): the reader says so, not only `papertray check`."""

        def names(ds: list[Digest]) -> str:
            return ", ".join(path_text(d.path.name) for d in ds[:3]) + (" …" if len(ds) > 3 else "")

        failed = [d for d in digests if d.failed]
        damaged = [d for d in digests if not d.failed and any(x.level == "error" for x in d.diagnostics)]
        parts = []
        if failed:
            parts.append(f"{len(failed)} file(s) could not be read: {names(failed)}.")
        if damaged:
            parts.append(f"{len(damaged)} file(s) damaged, some papers lost: {names(damaged)}.")
        if parts:
            self.notify(" ".join(parts) + " Run `papertray check` for details.", severity="warning", timeout=10, markup=False)

    def _store_changed(self, keep_day: DayKey, keep: str | None = None, index: bool = True) -> None:
        """Columns, days and the list after a load or a watched change; the index is rebuilt."""
        papers = self.store.papers.values()
        # Columns no loaded paper fills give their room to titles.
        self.papers_pane.show_votes = any(p.upvotes is not None for p in papers)
        self.papers_pane.show_kind = any(p.kind is not Kind.NEW for p in papers)
        self.days_pane.set_days(self.store.days(), self.store.all_ids(), keep=keep_day, new_ids=self.library.new_ids)
        self.refresh_papers(keep=keep)
        if index:
            self.build_index()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        index = self.library.index()
        # The store and index are long-lived: freeze them so collections don't rescan 100k-item lists.
        self.app.call_from_thread(gc.freeze)
        self.app.call_from_thread(self.index_built)
        # Then, in the background, the abstract word index (read from the cache folder when this
        # very archive was indexed before): until it is there, abstracts are scanned.
        worker = get_current_worker()

        def step() -> None:
            if worker.is_cancelled or not self.alive:
                raise Cancelled
            time.sleep(0)  # let the UI thread have the interpreter between two small steps

        from tui import wordcache  # numpy: not imported before the first paint

        trim_heap()  # what the load freed, before the build allocates (a first start's peak)
        try:
            index.words = wordcache.obtain(index.ids, index.abstracts, self.library.cache_folder, step)
        except Cancelled:
            return
        except Exception as exc:  # e.g. out of memory: the filter goes on scanning abstracts
            self.app.call_from_thread(self.notify, f"Abstract word index not built ({exc!r}); the filter scans abstracts.",
                                      severity="warning", timeout=8, markup=False)
            return
        trim_heap()
        stamp = os.environ.get("PAPERTRAY_INDEXED_FILE")  # for the benchmark: the word index is in
        if stamp:
            Path(stamp).write_text(f"{time.time()}\n")
        index.prepare_typos(cancelled=lambda: worker.is_cancelled or not self.alive)

    @work(thread=True, exclusive=True, group="watch")
    def check_digests(self, full: bool = False, announce: bool = False) -> None:
        """Look at the digest folders (a stat each; `full`: walk them) and parse what changed off
        the UI thread. `announce` says so when nothing changed (the `r` key)."""
        watcher, paths = self.papertray.watcher, self.papertray.paths
        changes = watcher.poll(paths, self.store.max_bytes) if full else watcher.tick(paths, self.store.max_bytes)
        if changes.changed or changes.removed:
            self.app.call_from_thread(self._apply_changes, changes)
        elif announce:
            self.app.call_from_thread(self.notify, "No new or changed digests.", timeout=3, markup=False)

    def action_reload(self) -> None:
        self.check_digests(full=True, announce=True)

    def _apply_changes(self, changes: Changes) -> None:
        if not self.alive:
            return
        keep = self.papers_pane.current.id if self.papers_pane.current else None
        self.library.apply(changes.changed, changes.removed)
        self._update_new(changes)
        self.papers_arrived([r.digest for r in changes.changed], bool(changes.removed))
        self._store_changed(keep_day=None, keep=keep)  # None: the row the cursor is on (a day, New or a search)
        names = [r.digest.path.name for r in changes.changed] + [p.name + " (removed)" for p in changes.removed]
        self.notify("Digests updated: " + ", ".join(names[:4]) + (" …" if len(names) > 4 else ""),
                    markup=False, timeout=5)

    def _update_new(self, changes: Changes) -> None:
        """Files that appeared during the session are new: their papers join the "New" row."""
        arrivals, store = self.papertray.arrivals, self.store
        arrivals.see((r.digest.path for r in changes.changed), datetime.now(UTC))
        candidates = dict.fromkeys(self.library.new_ids)
        for result in changes.changed:
            candidates.update(dict.fromkeys(p.id for p in result.papers))
        papers = (store.papers[i] for i in candidates if i in store.papers)
        self.library.set_new(arrivals.new_ids(papers))

    def new_note(self) -> str:
        """The header's "12 new since Tuesday" ("" before the first session ends)."""
        return self.papertray.arrivals.header(len(self.library.new_ids))

    # -- fetching (`R`) ------------------------------------------------------------------------------

    def action_fetch_now(self) -> None:
        if self._fetch_cancel is not None:
            self.notify("Already fetching (Esc stops it).", timeout=3, markup=False)
            return
        app = self.papertray
        target, _why = fetch_dir(app.config.fetch.dir, app.config.digests.paths, app.data_dir)
        self._fetch_cancel = threading.Event()
        self.activity = "fetching… (Esc stops)"
        self.update_status()
        self.fetch_worker(target, self._fetch_cancel)

    def cancel_fetch(self) -> bool:
        """Esc while fetching: stop at the next request or wait (True when there was one to stop)."""
        if self._fetch_cancel is None or self._fetch_cancel.is_set():
            return False
        self._fetch_cancel.set()
        self.activity = "stopping the fetch…"
        self.update_status()
        return True

    @work(thread=True, exclusive=True, group="fetch")
    def fetch_worker(self, target: Path, cancel: threading.Event) -> None:
        app = self.papertray

        def progress(done: int, total: int, label: str) -> None:
            app.call_from_thread(self._fetch_progress, f"fetching {label} {done}/{total} (Esc stops)")

        try:
            outcomes = fetch(app.config.fetch, target, cancel=cancel, on_progress=progress)
        except (ValueError, OSError) as exc:
            outcomes = [Outcome("fetch", "failed", "", message=str(exc))]
        app.call_from_thread(self._fetch_done, target, outcomes)

    def _fetch_progress(self, text: str) -> None:
        if self.alive and self._fetch_cancel is not None and not self._fetch_cancel.is_set():
            self.activity = text
            self.update_status()

    def _fetch_done(self, target: Path, outcomes: list[Outcome]) -> None:
        self._fetch_cancel = None
        self.activity = ""
        if not self.alive:
            return
        self.update_status()
        wrote = [o for o in outcomes if o.status in WROTE]
        failed = [o for o in outcomes if o.failed]
        for o in failed:
            self.notify(o.line(), severity="warning" if o.status == "cancelled" else "error", timeout=10, markup=False)
        if wrote:
            self.notify(f"Fetched {len(wrote)} file(s), {sum(o.papers for o in wrote)} papers.", timeout=5, markup=False)
            self._watch_folder(target)
            self.check_digests(full=True)
        elif not failed:
            self.notify("Nothing new to fetch.", timeout=4, markup=False)

    def _watch_folder(self, target: Path) -> None:
        """Make sure the folder fetch writes to is among the watched paths."""
        paths = self.papertray.paths
        for spec in paths:
            root = Path(os.path.expanduser(spec)).absolute()
            if target.absolute().is_relative_to(root):
                return
        paths.append(os.fspath(target))

    def poll_user_files(self) -> None:
        """Pick up edits of queue/state files made by another instance or by hand."""
        app = self.papertray
        changed = app.queue.reload_if_changed() | app.state.reload_if_changed() | app.not_for_me.reload_if_changed()
        if app.queue.dirty and app.queue.last_error:
            app.queue.save()  # retry a failed save (disk full, permissions); read marks retry by themselves
            changed = changed or not app.queue.dirty
        if app.not_for_me.dirty and app.not_for_me.last_error:
            app.not_for_me.save()
        for message in app.queue.new_warnings() + app.state.new_warnings() + app.not_for_me.new_warnings():  # e.g. a file found damaged now
            self.notify(message, severity="warning", timeout=12, markup=False)
        if changed:
            self.user_data_changed()
        else:
            self.update_status()  # "not saved" appears or goes as saves fail or succeed

