"""The papertray app: wires the panes, the store, the queue and the filter together.

Heavy work (loading, indexing, searching, watching) runs in thread workers; the panes only ever
receive ready lists. Each pane widget lives in `tui.widgets`; styles in `app.tcss`.
"""

from __future__ import annotations

import gc
import os
import subprocess
import threading
import time
import webbrowser
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from tui.config import Config
from tui.model import Kind, Paper
from tui.palette import PaperCommands, app_commands
from tui.preload import Preload
from tui.queue import Queue, QueueEntry, ReadState
from tui.search import Cancelled, Query, Result, SearchIndex, parse_query
from tui.store import Store
from tui.watch import Watcher
from tui.help import HelpScreen, help_sections
from tui.widgets.abstract import AbstractPane
from tui.widgets.days import ALL, DaysPane, day_label
from tui.widgets.filter_bar import FilterBar
from tui.widgets.papers import TOP, PapersPane
from tui.widgets.queue_pane import QueuePane
from tui.widgets.status import StatusBar
from tui.widgets.vlist import VirtualList

SORTS = ("digest", "date", "upvotes", "title")
INLINE_SEARCH_MAX = 150_000  # papers; above this a search runs in a cancellable worker thread
ABSTRACT_WIDTHS = ("normal", "wide", "hidden")


class PapertrayApp(App[None]):
    """Days, papers, abstract and queue in one screen; every action a key away."""

    CSS_PATH = "app.tcss"
    TITLE = "papertray"
    COMMANDS = App.COMMANDS | {PaperCommands}
    BINDINGS = [
        Binding("a", "toggle_queue", "Queue", id="queue", tooltip="Add or remove the paper from the reading queue"),
        Binding("x", "toggle_read", "Read", id="toggle_read", tooltip="Mark the paper read or unread"),
        Binding("o", "open", "Open", id="open", tooltip="Open the paper in the browser"),
        Binding("y", "copy_link", "Copy link", id="copy_link", show=False),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "cycle_sort", "Sort", id="sort"),
        Binding("u", "toggle_hide_read", "Hide read", id="hide_read"),
        Binding("right_square_bracket", "step_day(-1)", "Next day", id="next_day", show=False),
        Binding("left_square_bracket", "step_day(1)", "Prev day", id="prev_day", show=False),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("w", "cycle_abstract", "Abstract width", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(
        self,
        paths: Iterable[str | os.PathLike[str]],
        config: Config | None = None,
        data_dir: Path | None = None,
        preload: "Preload | None" = None,
    ) -> None:
        super().__init__()
        self.preload = preload
        self.config = config or Config()
        self.paths = [os.fspath(p) for p in paths]
        data_dir = data_dir or Path(os.environ.get("PAPERTRAY_DATA_DIR", "."))
        self.queue = Queue(data_dir)
        self.state = ReadState(data_dir)
        self.store = Store(max_bytes=int(self.config.digests.max_file_mb * 1024 * 1024))
        self.index: SearchIndex | None = None
        self._index_lock = threading.Lock()
        self.query = Query()
        self.sort = self.config.ui.sort
        self.hide_read = self.config.ui.hide_read
        self.abstract_width = "normal" if self.config.ui.show_abstract else "hidden"
        self.loaded = False
        self._read_timer = None
        self._abstract_pending = False
        self._search_pending = False
        self._interacted = False  # set by the first key: nothing is marked read before that
        self._last_result: Result | None = None
        self.watcher = Watcher()

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The panes are kept as attributes: handlers that run late (during shutdown) never query.
        self.days_pane = DaysPane(self._unread_in, id="days")
        self.queue_pane = QueuePane(self.queue, id="queue")
        self.papers_pane = PapersPane(self.state.is_read, self._queue_status, id="papers")
        self.abstract_pane = AbstractPane(id="abstract")
        self.filter_bar = FilterBar(id="filter")
        self.status_bar = StatusBar(id="status")
        yield self.status_bar
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield self.days_pane
                yield self.queue_pane
            with Container(id="reader"):
                yield self.papers_pane
                yield self.abstract_pane
        yield self.filter_bar
        yield Footer()

    def _unread_in(self, ids: list[str]) -> int:
        is_read = self.state.is_read
        return sum(1 for i in ids if not is_read(i))

    def _queue_status(self, paper_id: str) -> str | None:
        entry = self.queue.get(paper_id)
        return entry.status if entry is not None else None

    def on_key(self) -> None:
        self._interacted = True

    def on_resize(self, event) -> None:
        """Below 110 columns the abstract goes under the papers, so titles keep their room."""
        self.screen.set_class(event.size.width < 110, "-narrow")

    def on_mount(self) -> None:
        self.screen.set_class(self.size.width < 110, "-narrow")
        theme = self.config.ui.theme
        if theme in self.available_themes:
            self.theme = theme
        else:
            self.notify(f"Unknown theme {theme!r} (ui.theme); using the default.", severity="warning", markup=False)
        self.set_keymap(self.config.keys.keymap())
        self.days_pane.border_title = "Days"
        self.papers_pane.border_title = "Papers"
        self.abstract_pane.border_title = "Abstract"
        self.papers_pane.empty_text = "Loading digests…"
        self._apply_abstract_width()
        self.filter_bar.display = False
        self.papers_pane.focus()
        for message in self.queue.warnings + self.state.warnings:
            self.notify(message, severity="warning", timeout=12, markup=False)
        self.refresh_queue()
        self.update_status()
        self.load_digests()
        self.set_interval(2.0, self.poll_user_files)

    # -- loading ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load_digests(self) -> None:
        """Read every digest off the UI thread, then hand the finished store over."""
        store = Store(max_bytes=self.store.max_bytes)
        if self.preload is not None:
            digests = store.add_all(self.preload.results())
            self.preload = None
        else:
            digests = store.load(self.paths)
        store.days()
        store.all_ids()
        self.call_from_thread(self._loaded, store, digests)

    def _loaded(self, store, digests) -> None:
        self.store = store
        self.loaded = True
        self.index = None
        self.papers_pane.empty_text = "No papers match." if store.papers else "No papers loaded."
        self._fit_columns()
        self.days_pane.set_days(store.days(), store.all_ids(), keep=ALL)
        self.refresh_papers()
        self.watcher.prime(d.path for d in store.digests)
        failed = [d for d in digests if d.failed]
        if failed:
            names = ", ".join(d.path.name for d in failed[:3]) + (" …" if len(failed) > 3 else "")
            self.notify(
                f"{len(failed)} file(s) could not be read: {names}. Run `papertray check` for details.",
                severity="warning",
                timeout=10,
                markup=False,
            )
        self.build_index()
        gc.freeze()  # the store is long-lived: keep the GC from rescanning it on every pass
        ready = os.environ.get("PAPERTRAY_READY_FILE")
        if ready:
            self.call_after_refresh(lambda: Path(ready).write_text(f"{time.time()}\n"))
        if self.config.digests.watch:
            self.set_interval(self.config.digests.watch_interval, self.check_digests)

    def _fit_columns(self) -> None:
        """Give titles the room of columns no loaded paper fills."""
        papers = self.store.papers.values()
        self.papers_pane.show_votes = any(p.upvotes is not None for p in papers)
        self.papers_pane.show_kind = any(p.kind is not Kind.NEW for p in papers)

    @work(thread=True, exclusive=True, group="index")
    def build_index(self) -> None:
        self._get_index()
        # The index is long-lived too: freeze it so collections don't rescan its 100k-item lists.
        self.call_from_thread(gc.freeze)

    def _get_index(self) -> SearchIndex:
        """The search index over every paper, built once per store (any thread)."""
        with self._index_lock:
            if self.index is None:
                self.index = SearchIndex([self.store.papers[i] for i in self.store.all_ids()])
            return self.index

    # -- the papers list pipeline: scope -> filter -> hide read -> sort ---------------------------

    def refresh_papers(self, keep: str | None = None, top_if_gone: bool = False) -> None:
        """Recompute the papers list for the current day, filter, read-visibility and sort."""
        if self.query.empty:
            ids = self.store.ids_for(self.days_pane.current)
            self._show(Result(list(ids), (), self.query), keep, top_if_gone)
        elif self.index is not None and len(self.index.ids) <= INLINE_SEARCH_MAX:
            # Small corpora search in ~10 ms: inline beats a thread hop plus a wake-up of the UI loop.
            day = self.days_pane.current
            scope = None if day == ALL else self.store.ids_for(day)
            result = self.index.search(self.query, scope, self.state.is_read, self.queue.contains)
            self._show(result, keep, top_if_gone)
        else:
            self.run_search(self.query, self.days_pane.current, keep, top_if_gone)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: Query, day, keep: str | None, top_if_gone: bool = False) -> None:
        """Search off the UI thread; a newer keystroke cancels this one (exclusive worker)."""
        worker = get_current_worker()
        index = self._get_index()
        scope = None if day == ALL else self.store.ids_for(day)
        try:
            result = index.search(
                query, scope, self.state.is_read, self.queue.contains, cancelled=lambda: worker.is_cancelled
            )
        except Cancelled:
            return
        if not worker.is_cancelled:
            self.call_from_thread(self._show, result, keep, top_if_gone)

    def _show(self, result: Result, keep: str | None = None, top_if_gone: bool = False) -> None:
        if not self._alive:
            return
        self._last_result = result
        papers = self.store.papers
        items = [papers[i] for i in result.ids if i in papers]
        if self.hide_read:
            is_read = self.state.is_read
            items = [p for p in items if not is_read(p.id)]
        items = sort_papers(items, self.sort)
        self.papers_pane.set_papers(items, result.highlight, keep=keep, top_if_gone=top_if_gone)
        self.refresh_queue()
        self.update_status()

    def update_status(self) -> None:
        shown = self.papers_pane.row_count
        total = len(self.store.papers)
        day = self.days_pane.current
        parts = [
            Text("papertray", style="bold"),
            Text(f"{shown:,} of {total:,} papers"),
            Text("all days" if day == ALL else day_label(day)),
        ]
        if not self.query.empty:
            parts.append(Text(f"filter: {self.filter_bar.value}", style="bold"))
        parts.append(Text(f"sort: {self.sort}"))
        if self.hide_read:
            parts.append(Text("read hidden"))
        queued = len(self.queue.entries())
        parts.append(Text(f"queue: {queued}"))
        if not self.loaded:
            parts.append(Text("loading…", style="italic"))
        self.status_bar.update(Text("  ·  ").join(parts))

    # -- selection and reading ----------------------------------------------------------------------

    @on(VirtualList.Moved, "#days")
    def _day_moved(self) -> None:
        """A new day starts at its top, unless the paper under the cursor is in it too."""
        if self.loaded and self._alive:
            self.refresh_papers(top_if_gone=True)

    @on(VirtualList.Moved, "#papers")
    def _paper_moved(self) -> None:
        if not self._alive:
            return
        paper = self.papers_pane.current
        # Only a paper the user is reading gets marked: not while typing a filter, not at launch.
        if paper is not None and self._interacted and self.focused in (self.papers_pane, self.abstract_pane):
            self._schedule_read(paper.id)
        elif self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        # The abstract re-lays out the screen; draw the list's frame first and the abstract in the
        # next one, coalescing a burst of cursor moves into one abstract update.
        if not self._abstract_pending:
            self._abstract_pending = True
            self.call_after_refresh(self._show_current_abstract)

    @property
    def _alive(self) -> bool:
        """False once the app is shutting down: late callbacks (timers, workers) must do nothing."""
        return self.is_running and not self._exit and bool(self.screen_stack)

    def _show_current_abstract(self) -> None:
        self._abstract_pending = False
        if not self._alive or self.focused is self.queue_pane:
            return
        paper = self.papers_pane.current
        if paper is None:
            self.abstract_pane.show_nothing("No paper selected." if self.loaded else "Loading…")
            return
        words = self._last_result.highlight if self._last_result else ()
        self.abstract_pane.show_paper(paper, words, self.queue.get(paper.id))

    @on(VirtualList.Moved, "#queue")
    def _queue_moved(self) -> None:
        if self._alive and self.focused is self.queue_pane:
            self._show_queue_entry()

    def _show_queue_entry(self) -> None:
        entry = self.queue_pane.current
        if entry is None:
            self.abstract_pane.show_nothing("Queue empty.")
            return
        paper = self.store.get(entry.id)
        if paper is not None:
            self.abstract_pane.show_paper(paper, (), entry)
        else:
            self.abstract_pane.show_entry(entry)

    def on_descendant_focus(self, event) -> None:
        if not self._alive:
            return
        if event.widget is self.queue_pane:
            self._show_queue_entry()
        elif event.widget is self.papers_pane:
            self._paper_moved()

    @on(VirtualList.Chosen, "#papers")
    def _paper_chosen(self) -> None:
        self.abstract_pane.focus()

    @on(VirtualList.Chosen, "#days")
    def _day_chosen(self) -> None:
        self.papers_pane.focus()

    def _schedule_read(self, paper_id: str) -> None:
        """Mark a paper read once the cursor has rested on it for `ui.mark_read_delay` seconds."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        delay = self.config.ui.mark_read_delay
        if delay <= 0 or self.state.is_read(paper_id):
            return

        def mark() -> None:
            current = self.papers_pane.current
            reading = self.focused in (self.papers_pane, self.abstract_pane)
            if reading and current is not None and current.id == paper_id and not self.state.is_read(paper_id):
                self.state.set_read(paper_id, True)
                self._user_data_changed()

        self._read_timer = self.set_timer(delay, mark)

    def _user_data_changed(self) -> None:
        """Read marks or the queue changed: repaint marks, counts, and report save problems."""
        self.papers_pane.refresh()
        self.days_pane.counts_changed()
        self.refresh_queue()
        self.update_status()
        for store in (self.queue, self.state):
            if store.last_error:
                self.notify(store.last_error, severity="error", timeout=10, markup=False)

    def poll_user_files(self) -> None:
        """Pick up edits of queue/state files made by another instance or by hand."""
        changed = self.queue.reload_if_changed() | self.state.reload_if_changed()
        for store in (self.queue, self.state):
            if store.dirty and store.last_error:
                store.save()  # retry a save that failed (disk full, permissions) once fixed
        if changed:
            self._user_data_changed()

    # -- the current paper, whichever pane has focus ----------------------------------------------------

    def current_paper(self) -> Paper | QueueEntry | None:
        if self.focused is self.queue_pane:
            entry = self.queue_pane.current
            if entry is None:
                return None
            return self.store.get(entry.id) or entry
        return self.papers_pane.current

    # -- actions ------------------------------------------------------------------------------------

    def action_toggle_queue(self) -> None:
        item = self.current_paper()
        if item is None:
            return
        if self.queue.contains(item.id):
            removed = self.queue.remove(item.id)
            if removed is not None:
                self.queue_pane.removed.append(removed)  # `u` in the queue pane brings it back
            self.notify(f"Removed from queue: {item.title}", markup=False, timeout=3)
        else:
            self.queue.add(item)
            self.notify(f"Queued: {item.title}", markup=False, timeout=3)
        self._user_data_changed()
        self._refresh_abstract()

    def _refresh_abstract(self) -> None:
        """Re-show the current item so its queue/read lines are current."""
        if self.focused is self.queue_pane:
            self._show_queue_entry()
        else:
            self._paper_moved()

    def action_toggle_read(self) -> None:
        item = self.current_paper()
        if item is not None:
            self.state.toggle(item.id)
            if self._read_timer is not None:
                self._read_timer.stop()
            self._user_data_changed()
            if self.hide_read:
                self.refresh_papers()

    def action_open(self) -> None:
        item = self.current_paper()
        url = item.url if item is not None else None
        if url:
            self.open_in_browser(url)
        elif item is not None:
            self.notify("This paper has no link.", severity="warning", markup=False)

    def action_open_link(self, n: int) -> None:
        links = self.abstract_pane.links
        if 1 <= n <= len(links):
            self.open_in_browser(links[n - 1][1])

    @work(thread=True, group="browser")
    def open_in_browser(self, url: str) -> None:
        argv = self.config.browser.argv(url)
        try:
            if argv is None:
                ok = webbrowser.open(url)
            else:
                subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
                ok = True
        except OSError as exc:
            ok = False
            self.call_from_thread(self.notify, f"Could not open browser: {exc}", severity="error", markup=False)
            return
        message = f"Opening {url}" if ok else f"No browser found; the link is {url}"
        self.call_from_thread(self.notify, message, markup=False, timeout=4)

    def action_copy_link(self) -> None:
        item = self.current_paper()
        url = item.url if item is not None else None
        if url:
            self.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False, timeout=3)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)] if self.sort in SORTS else SORTS[0]
        self.refresh_papers()
        self.notify(f"Sort: {self.sort}" + (" (relevance first while filtering)" if self.sort == "digest" and not self.query.empty else ""), timeout=2, markup=False)

    def action_toggle_hide_read(self) -> None:
        self.hide_read = not self.hide_read
        self.refresh_papers()
        self.notify("Hiding read papers" if self.hide_read else "Showing read papers", timeout=2, markup=False)

    def action_step_day(self, delta: int) -> None:
        days = self.days_pane
        days.move_to(days.cursor + delta)

    def action_filter(self) -> None:
        self.filter_bar.display = True
        self.filter_bar.focus()

    def action_clear_filter(self) -> None:
        self.filter_bar.value = ""
        self.filter_bar.display = False
        self.papers_pane.focus()

    def action_leave_filter(self) -> None:
        if not self.filter_bar.value:
            self.filter_bar.display = False
        self.papers_pane.focus()

    def action_back(self) -> None:
        if self.focused is self.abstract_pane or self.focused is self.queue_pane or self.focused is self.days_pane:
            self.papers_pane.focus()
        elif not self.query.empty:
            self.action_clear_filter()

    def action_cycle_abstract(self) -> None:
        i = ABSTRACT_WIDTHS.index(self.abstract_width)
        self.abstract_width = ABSTRACT_WIDTHS[(i + 1) % len(ABSTRACT_WIDTHS)]
        self._apply_abstract_width()

    def _apply_abstract_width(self) -> None:
        pane = self.abstract_pane
        pane.display = self.abstract_width != "hidden"
        pane.set_class(self.abstract_width == "wide", "wide")

    def action_help(self) -> None:
        self.push_screen(HelpScreen(help_sections(self)))

    # -- filter --------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Keystrokes that arrive while a search is pending collapse into one search of the latest
        text: stale queries are dropped, never queued."""
        self.query = parse_query(event.value)
        self.filter_bar.show_error(self.query.error)
        if not self._search_pending:
            self._search_pending = True
            self.call_later(self._search_latest)

    def _search_latest(self) -> None:
        self._search_pending = False
        if self._alive:
            # A paper the user chose (or found: clearing the filter keeps it) stays under the cursor;
            # otherwise a new query's results start at the best match.
            top = not self.query.empty and not self.papers_pane.user_moved
            self.refresh_papers(top_if_gone=not self.query.empty, keep=TOP if top else None)

    # -- queue -----------------------------------------------------------------------------------

    def refresh_queue(self) -> None:
        highlight = self._last_result.highlight if self._last_result else ()
        self.queue_pane.show(self.query, highlight)

    @on(QueuePane.Edited)
    def _queue_edited(self) -> None:
        self._user_data_changed()
        if self.focused is self.queue_pane:
            self._show_queue_entry()

    # -- watching digests ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch")
    def check_digests(self) -> None:
        """Poll digest files and folders; parse what changed off the UI thread."""
        changes = self.watcher.poll(self.paths, self.store.max_bytes)
        if changes.changed or changes.removed:
            self.call_from_thread(self._apply_changes, changes)

    def _apply_changes(self, changes) -> None:
        if not self._alive:
            return
        keep = self.papers_pane.current.id if self.papers_pane.current else None
        day = self.days_pane.current
        for path in changes.removed:
            self.store.remove_path(path)
        for result in changes.changed:
            self.store.add(result)
        self.index = None
        self._fit_columns()
        self.days_pane.set_days(self.store.days(), self.store.all_ids(), keep=day)
        self.refresh_papers(keep=keep)
        self.build_index()
        names = [r.digest.path.name for r in changes.changed] + [p.name + " (removed)" for p in changes.removed]
        self.notify("Digests updated: " + ", ".join(names[:4]) + (" …" if len(names) > 4 else ""), markup=False, timeout=5)

    # -- command palette -------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield from app_commands(self)

    def go_to_paper(self, paper_id: str) -> None:
        """Used by the palette's "go to paper": show all days, clear the filter, select the paper."""
        if self.filter_bar.value:
            self.filter_bar.value = ""
            self.filter_bar.display = False
            self.query = Query()
        self.days_pane.move_to(0)
        self.refresh_papers(keep=paper_id)
        self.papers_pane.focus()


def sort_papers(papers: list[Paper], sort: str) -> list[Paper]:
    """Stable sorts: ties keep list order (digest order, or relevance while filtering)."""
    if sort == "date":
        return sorted(papers, key=lambda p: -(p.published.toordinal() if p.published else 0))
    if sort == "upvotes":
        return sorted(papers, key=lambda p: -(p.upvotes or 0))
    if sort == "title":
        return sorted(papers, key=lambda p: p.title.casefold())
    return papers
