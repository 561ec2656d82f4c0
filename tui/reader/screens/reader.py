"""The reader screen: days, papers, abstract and queue, and the actions on the selected paper.

What the list shows is decided by `tui.listing` (plain Python); this screen gathers the user's
choices into a `View`, runs the search inline or in a cancellable worker, and hands each pane a
ready list. Heavy work (loading, indexing, watching) runs in thread workers.
"""

from __future__ import annotations

from dataclasses import replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.events import DescendantFocus
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from tui.listing import SORTS, ReadAfterRest, View, next_sort
from tui.model import Paper
from tui.query import Query, parse_query
from tui.queue import QueueEntry
from tui.reader.bindings import bindings
from tui.reader.exporting import ExportActions
from tui.reader.screens.foryou import ForYouScreen
from tui.reader.screens.memory import MemoryActions
from tui.reader.screens.panes import ABSTRACT_WIDTHS, PaneActions
from tui.reader.screens.triage import TriageActions
from tui.reader.widgets.abstract import AbstractPane
from tui.reader.widgets.days import DaysPane
from tui.reader.widgets.filter_bar import FilterBar
from tui.reader.widgets.footer import ReaderFooter
from tui.reader.widgets.papers import TOP, PapersPane
from tui.reader.widgets.queue_pane import QueuePane
from tui.reader.widgets.status import StatusBar, status_text
from tui.reader.widgets.vlist import VirtualList
from tui.search import Cancelled, Result


class ReaderScreen(ExportActions, TriageActions, MemoryActions, PaneActions, ForYouScreen):
    """Every action a key away; the keys come from `tui.keys` (scope "reader")."""

    BINDINGS = [
        *bindings("reader"),
        *[Binding(str(n), f"open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.days_pane = DaysPane(self._unread_in, self.search_counts, id="days")
        self.papers_pane = PapersPane(self._is_read, self._queue_status, self._is_new, id="papers")
        self.abstract_pane = AbstractPane(id="abstract")
        self.filter_bar = FilterBar(id="filter")
        self.status_bar = StatusBar(id="status")
        self.loaded = False
        self.view = View()
        self.abstract_width = "normal"
        self.reading = ReadAfterRest(0)
        self._read_timer: Timer | None = None
        self._abstract_pending = False
        self._search_pending = False
        self._last_result: Result | None = None
        self.init_triage()
        self.init_memory()

    @property
    def sort(self) -> str:
        return self.view.sort

    @property
    def hide_read(self) -> bool:
        return self.view.hide_read

    @property
    def filter_query(self) -> Query:
        return self.view.query

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.queue_pane = QueuePane(self.papertray.queue, id="queue")
        yield self.status_bar
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield self.days_pane
                yield self.queue_pane
            with Container(id="reader"):
                yield self.papers_pane
                yield self.abstract_pane
        yield self.filter_bar
        yield ReaderFooter()

    def _is_read(self, paper_id: str) -> bool:
        return self.papertray.state.is_read(paper_id)

    def _unread_in(self, ids: list[str]) -> int:
        is_read = self.papertray.state.is_read
        return sum(1 for i in ids if not is_read(i))

    def _is_new(self, paper_id: str) -> bool:
        return paper_id in self.library.new_set

    def _queue_status(self, paper_id: str) -> str | None:
        entry = self.papertray.queue.get(paper_id)
        return entry.status if entry is not None else None

    def on_key(self) -> None:
        if not self.reading.interacted:
            self.reading.interacted = True  # nothing is marked read before the first key...
            self.call_after_refresh(self._arm_first_read)

    def _arm_first_read(self) -> None:
        """...but from then on the paper under the cursor counts, even if the key did not move it."""
        if self.alive and self._read_timer is None and self.reading.pending is None:
            self._paper_moved()

    def on_mount(self) -> None:
        ui = self.papertray.config.ui
        self.set_class(self.app.size.width < 110, "-narrow")
        remembered = self.papertray.session.resolved(
            {"sort": ui.sort, "hide_read": ui.hide_read, "theme": ui.theme, "show_abstract": ui.show_abstract})
        self.view = View(sort=remembered.get("sort", ui.sort), hide_read=remembered.get("hide_read", ui.hide_read))
        self.abstract_width = remembered.get("abstract_width", "normal" if ui.show_abstract else "hidden")
        if self.abstract_width not in ABSTRACT_WIDTHS or self.view.sort not in SORTS:
            self.abstract_width, self.view = "normal", replace(self.view, sort=ui.sort)
        self.reading = ReadAfterRest(ui.mark_read_delay)
        self.days_pane.border_title = "Days"
        self.papers_pane.border_title = "Papers"
        self.abstract_pane.border_title = "Abstract"
        self.papers_pane.empty_text = "Loading digests…"
        self._apply_abstract_width()
        self.filter_bar.display = False
        self.papers_pane.focus()
        self.refresh_queue()
        self.update_status()
        self.show_searches()
        self.load_digests()
        self.set_interval(2.0, self.poll_user_files)
        self.set_interval(2.0, self.save_session)

    # -- the papers list: `tui.listing` decides, the panes render ----------------------------------

    def refresh_papers(self, keep: str | None = None, top_if_gone: bool = False) -> None:
        """Recompute the papers list for the current day, filter, read-visibility and sort."""
        self.view = replace(self.view, day=self.days_pane.current)
        self.want_for_you()
        if self.library.search_inline(self.view.query):
            app = self.papertray
            self._show(self.library.match(self.view, app.state.is_read, app.queue.contains), keep, top_if_gone)
        else:
            self.run_search(self.view, keep, top_if_gone)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, view: View, keep: str | None, top_if_gone: bool = False) -> None:
        """Search off the UI thread; a newer keystroke cancels this one (exclusive worker)."""
        worker = get_current_worker()
        app = self.papertray
        try:
            result = self.library.match(view, app.state.is_read, app.queue.contains, lambda: worker.is_cancelled)
        except Cancelled:
            return
        if not worker.is_cancelled:
            app.call_from_thread(self._show, result, keep, top_if_gone)

    def _show(self, result: Result, keep: str | None = None, top_if_gone: bool = False) -> None:
        if not self.alive:
            return
        self._last_result = result
        listing = self.library.finish(result, self.view, self.papertray.state.is_read, self.for_you_positions())
        self.papers_pane.set_papers(listing.papers, listing.highlight, keep=keep, top_if_gone=top_if_gone)
        self.refresh_queue()
        self.update_status()
        self.land_after_show()

    def update_status(self) -> None:
        self.status_bar.update(status_text(
            shown=self.papers_pane.row_count, total=len(self.store.papers), day=self.days_pane.current,
            filter_text=None if self.view.query.empty else self.filter_bar.value, sort=self.sort_label(),
            hide_read=self.view.hide_read, queued=len(self.papertray.queue.entries()), loading=not self.loaded,
            unsaved=any(s.dirty and s.last_error for s in (self.papertray.queue, self.papertray.state)),
            new_note=self.new_note(), activity=self.activity,
        ))

    def refresh_queue(self) -> None:
        highlight = self._last_result.highlight if self._last_result else ()
        self.queue_pane.show(self.view.query, highlight)

    # -- selection and reading ----------------------------------------------------------------------

    @on(VirtualList.Moved, "#days")
    def _day_moved(self) -> None:
        """A new day starts at its top, unless the paper under the cursor is in it too. A saved
        search's row puts its filter in the filter bar, over every day."""
        if not (self.loaded and self.alive):
            return
        search = self.days_pane.current_search
        if search != self.active_search:
            if search is not None:
                self.open_search(search)
                return
            self.leave_search()
        self.refresh_papers(top_if_gone=True)

    @on(VirtualList.Moved, "#papers")
    def _paper_moved(self) -> None:
        if not self.alive:
            return
        paper = self.papers_pane.current
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        # Only a paper the user is reading gets marked: not while typing a filter, not at launch.
        if self.reading.moved(paper.id if paper else None, self._reading_now(), self.papertray.state.is_read):
            self._read_timer = self.set_timer(self.reading.delay, self._rested)
        # The abstract re-lays out the screen; draw the list's frame first and the abstract in the
        # next one, coalescing a burst of cursor moves into one abstract update.
        if not self._abstract_pending:
            self._abstract_pending = True
            self.call_after_refresh(self._show_current_abstract)

    def _reading_now(self) -> bool:
        return self.focused in (self.papers_pane, self.abstract_pane)

    def _rested(self) -> None:
        self._read_timer = None
        if not self.alive:
            return
        current = self.papers_pane.current
        state = self.papertray.state
        paper_id = self.reading.rested(current.id if current else None, self._reading_now(), state.is_read)
        if paper_id is not None:
            state.set_read(paper_id, True)
            self.user_data_changed()

    def _show_current_abstract(self) -> None:
        self._abstract_pending = False
        if not self.alive or self.focused is self.queue_pane:
            return
        paper = self.papers_pane.current
        if paper is None:
            self.abstract_pane.show_nothing("No paper selected." if self.loaded else "Loading…")
            return
        words = self._last_result.highlight if self._last_result else ()
        self.abstract_pane.show_paper(paper, words, self.papertray.queue.get(paper.id), self.why_lines(paper.id))

    @on(VirtualList.Moved, "#queue")
    def _queue_moved(self) -> None:
        if self.alive and self.focused is self.queue_pane:
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

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if not self.alive:
            return
        if event.widget is self.queue_pane:
            self._show_queue_entry()
        elif event.widget is self.papers_pane:
            self._paper_moved()

    @on(VirtualList.Chosen, "#papers")
    def _paper_chosen(self) -> None:
        """Enter reads the abstract: a hidden abstract pane is shown first, never focused unseen."""
        if self.abstract_width == "hidden":
            self.abstract_width = "normal"
            self._apply_abstract_width()
        self.abstract_pane.focus()

    @on(VirtualList.Chosen, "#days")
    def _day_chosen(self) -> None:
        self.papers_pane.focus()

    def user_data_changed(self) -> None:
        """Read marks or the queue changed: repaint marks, counts, and report save problems."""
        self.papers_pane.refresh()
        self.days_pane.counts_changed()
        self.refresh_queue()
        self.want_for_you()
        self.update_status()
        for store in (self.papertray.queue, self.papertray.state):
            if store.last_error:
                self.notify(store.last_error, severity="error", timeout=10, markup=False)

    def current_paper(self) -> Paper | QueueEntry | None:
        """The selected paper, whichever pane has focus (a queue entry when its paper is gone)."""
        if self.focused is self.queue_pane:
            entry = self.queue_pane.current
            if entry is None:
                return None
            return self.store.get(entry.id) or entry
        return self.papers_pane.current

    def refresh_abstract(self) -> None:
        """Re-show the current item so its queue/read lines are current."""
        if self.focused is self.queue_pane:
            self._show_queue_entry()
        else:
            self._paper_moved()

    # -- actions (their keys are in tui.keys) ----------------------------------------------------

    def action_open(self) -> None:
        item = self.current_paper()
        url = item.url if item is not None else None
        if url:
            self.papertray.open_in_browser(url)
        elif item is not None:
            self.notify("This paper has no link.", severity="warning", markup=False)

    def action_cycle_sort(self) -> None:
        self.view = replace(self.view, sort=next_sort(self.view.sort))
        self.refresh_papers()
        relevance = self.view.sort == "digest" and not self.view.query.empty
        self.notify(f"Sort: {self.view.sort}" + (" (relevance first while filtering)" if relevance else ""),
                    timeout=2, markup=False)

    def action_toggle_hide_read(self) -> None:
        self.view = replace(self.view, hide_read=not self.view.hide_read)
        self.refresh_papers()
        self.notify("Hiding read papers" if self.view.hide_read else "Showing read papers", timeout=2, markup=False)

    def action_step_day(self, delta: int) -> None:
        self.days_pane.move_to(self.days_pane.cursor + delta)

    def action_show_all_days(self) -> None:
        self.days_pane.move_to(0)

    def action_filter(self) -> None:
        self.filter_bar.display = True
        # Focus now, not on the next turn (`Widget.focus()`), so keys typed in the same burst
        # follow it (see `PapertrayApp.on_event`); the same below.
        self.set_focus(self.filter_bar)

    def action_clear_filter(self) -> None:
        self.history_walk = None
        self.filter_bar.value = ""
        self.filter_bar.display = False
        self.set_focus(self.papers_pane)
        if self.active_search is not None:  # the search's row goes with its filter
            self.active_search = None
            self.days_pane.move_to(0)

    def action_leave_filter(self) -> None:
        self.remember_filter()
        if not self.filter_bar.value:
            self.filter_bar.display = False
        self.set_focus(self.papers_pane)

    def go_to_paper(self, paper_id: str) -> None:
        """The palette's "go to paper": show all days, clear the filter, select the paper."""
        if self.filter_bar.value:
            self.filter_bar.value = ""
            self.filter_bar.display = False
            self.view = replace(self.view, query=Query())
        self.days_pane.move_to(0)
        self.refresh_papers(keep=paper_id)
        self.papers_pane.focus()

    # -- filter --------------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        """Keystrokes that arrive while a search is pending collapse into one search of the latest
        text: stale queries are dropped, never queued."""
        self.view = replace(self.view, query=parse_query(event.value))
        self.filter_bar.show_error(self.view.query.error)
        if not self._search_pending:
            self._search_pending = True
            self.call_later(self._search_latest)

    def _search_latest(self) -> None:
        self._search_pending = False
        if self.alive:
            # A paper the user chose (or found: clearing the filter keeps it) stays under the cursor;
            # otherwise a new query's results start at the best match.
            filtering = not self.view.query.empty
            top = filtering and not self.papers_pane.user_moved
            self.refresh_papers(top_if_gone=filtering, keep=TOP if top else None)

    @on(QueuePane.RemoveRequested)
    def _queue_remove(self, event: QueuePane.RemoveRequested) -> None:
        if self.remove_from_queue(event.paper_id) is not None:
            self._queue_edited()

    @on(QueuePane.Edited)
    def _queue_edited(self) -> None:
        self.user_data_changed()
        if self.focused is self.queue_pane:
            self._show_queue_entry()
