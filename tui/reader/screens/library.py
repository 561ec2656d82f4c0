"""The reader screen's side of loading, indexing and watching digests (the base class of `ReaderScreen`).

The threads only parse and build; the store and index are handed over on the UI thread.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import work
from textual.screen import Screen

from tui.listing import ALL_DAYS, DayKey, Library
from tui.model import Digest, Kind
from tui.reader.widgets.days import DaysPane
from tui.reader.widgets.papers import PapersPane
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

    def refresh_papers(self, keep: str | None = None, top_if_gone: bool = False) -> None:
        raise NotImplementedError

    def user_data_changed(self) -> None:
        raise NotImplementedError

    def update_status(self) -> None:
        """Redraw the status line (the reader screen has one)."""
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
        preload, app.preload = app.preload, None
        store, digests = Library.load(app.paths, self.store.max_bytes, preload.results() if preload else None)
        app.call_from_thread(self._loaded, store, digests)

    def _loaded(self, store: Store, digests: list[Digest]) -> None:
        self.library.replace(store)
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
        failed = [d for d in digests if d.failed]
        if failed:
            names = ", ".join(d.path.name for d in failed[:3]) + (" …" if len(failed) > 3 else "")
            self.notify(
                f"{len(failed)} file(s) could not be read: {names}. Run `papertray check` for details.",
                severity="warning", timeout=10, markup=False,
            )
        ready = os.environ.get("PAPERTRAY_READY_FILE")
        if ready:
            self.call_after_refresh(lambda: Path(ready).write_text(f"{time.time()}\n"))
        if self.papertray.config.digests.watch:
            self.set_interval(self.papertray.config.digests.watch_interval, self.check_digests)

    def _store_changed(self, keep_day: DayKey, keep: str | None = None) -> None:
        """Columns, days and the list after a load or a watched change; the index is rebuilt."""
        papers = self.store.papers.values()
        # Columns no loaded paper fills give their room to titles.
        self.papers_pane.show_votes = any(p.upvotes is not None for p in papers)
        self.papers_pane.show_kind = any(p.kind is not Kind.NEW for p in papers)
        self.days_pane.set_days(self.store.days(), self.store.all_ids(), keep=keep_day)
        self.refresh_papers(keep=keep)
        self.build_index()

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        self.library.index()
        # The store and index are long-lived: freeze them so collections don't rescan 100k-item lists.
        self.app.call_from_thread(gc.freeze)
        self.app.call_from_thread(self.index_built)

    @work(thread=True, exclusive=True, group="watch")
    def check_digests(self) -> None:
        """Poll digest files and folders; parse what changed off the UI thread."""
        changes = self.papertray.watcher.poll(self.papertray.paths, self.store.max_bytes)
        if changes.changed or changes.removed:
            self.app.call_from_thread(self._apply_changes, changes)

    def _apply_changes(self, changes: Changes) -> None:
        if not self.alive:
            return
        keep = self.papers_pane.current.id if self.papers_pane.current else None
        self.library.apply(changes.changed, changes.removed)
        self.papers_arrived([r.digest for r in changes.changed], bool(changes.removed))
        self._store_changed(keep_day=None, keep=keep)  # None: the row the cursor is on (a day or a search)
        names = [r.digest.path.name for r in changes.changed] + [p.name + " (removed)" for p in changes.removed]
        self.notify("Digests updated: " + ", ".join(names[:4]) + (" …" if len(names) > 4 else ""),
                    markup=False, timeout=5)

    def poll_user_files(self) -> None:
        """Pick up edits of queue/state files made by another instance or by hand."""
        app = self.papertray
        changed = app.queue.reload_if_changed() | app.state.reload_if_changed()
        if app.queue.dirty and app.queue.last_error:
            app.queue.save()  # retry a failed save (disk full, permissions); read marks retry by themselves
            changed = changed or not app.queue.dirty
        for message in app.queue.new_warnings() + app.state.new_warnings():  # e.g. a file found damaged now
            self.notify(message, severity="warning", timeout=12, markup=False)
        if changed:
            self.user_data_changed()
        else:
            self.update_status()  # "not saved" appears or goes as saves fail or succeed

