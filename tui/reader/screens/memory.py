"""What the reader remembers: saved searches (rows of the days pane), the filter history, the session.

A mixin of `ReaderScreen`. The rules and files are plain (`tui.saved`, `tui.session`); this wires
them to the panes: matching saved searches off the UI thread once per store, counting their unread
papers on the UI thread (a set look-up per paper), and saving the session when it changes.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

from textual import work

from tui.listing import ALL_DAYS, NEW_DAY, DayKey
from tui.model import Digest
from tui.reader.screens.parts import ReaderParts
from tui.reader.widgets.days import DaysPane
from tui.saved import PREFIX, counts, match_ids, merge_arrivals
from tui.session import HistoryWalk, Session, remember_filter
from tui.session import save as save_session


def day_key(day: DayKey) -> str:
    """How the session names a day row."""
    if isinstance(day, str):
        return day  # ALL_DAYS ("all") or NEW_DAY
    return "undated" if day is None else day.isoformat()


def parse_day_key(text: str) -> DayKey:
    if text == "undated":
        return None
    if text in (ALL_DAYS, NEW_DAY):
        return text
    try:
        return date.fromisoformat(text)
    except ValueError:
        return ALL_DAYS


class MemoryActions(ReaderParts):
    """Saved searches (`S`, `d` on a search row), ↑/↓ filter history, and the session file."""

    search_ids: dict[str, list[str]]  # saved search -> the ids its words match (this store)
    active_search: str | None
    history_walk: HistoryWalk | None
    _saved_session: Session | None
    _restore_pending: bool
    _session_lock: threading.Lock
    _session_seq: int
    _session_written: int

    def init_memory(self) -> None:
        self.search_ids = {}
        self.active_search = None
        self.history_walk = None
        self._saved_session = None
        self._restore_pending = True
        self._session_lock = threading.Lock()
        self._session_seq = self._session_written = 0

    # -- saved searches in the days pane ---------------------------------------------------------

    def show_searches(self, keep: str | None = None) -> None:
        self.days_pane.set_searches([s.name for s in self.papertray.searches.all], keep=keep)
        self.match_searches()

    def search_counts(self, name: str) -> tuple[int, int] | None:
        """(papers, unread) of a saved search now, or None while it is being matched."""
        ids = self.search_ids.get(name)
        search = self.papertray.searches.get(name)
        if ids is None or search is None:
            return None
        return counts(ids, search, self.papertray.state.read_ids, self.papertray.queue.contains)

    def index_built(self) -> None:
        self.match_searches()

    def papers_arrived(self, digests: list[Digest], removed: bool) -> None:
        """New papers count in the saved searches at once; the full match follows the new index."""
        store = self.store
        arrived = [store.papers[pid] for d in digests for pid in d.paper_ids if pid in store.papers]
        alive = store.papers if removed else None
        self.search_ids = merge_arrivals(self.search_ids, self.papertray.searches.all, arrived, alive)
        self.days_pane.counts_changed()

    @work(thread=True, exclusive=True, group="saved-searches")
    def match_searches(self) -> None:
        """Match every saved search's words once per store, off the UI thread."""
        if not self.loaded:
            return
        index = self.library.index()
        found = {s.name: match_ids(index, s) for s in self.papertray.searches.all}
        self.app.call_from_thread(self._searches_matched, found)

    def _searches_matched(self, found: dict[str, list[str]]) -> None:
        if self.alive:
            self.search_ids = found
            self.days_pane.counts_changed()

    def open_search(self, name: str) -> None:
        """The cursor is on a saved search's row: its filter over every day."""
        search = self.papertray.searches.get(name)
        if search is None:
            return
        self.active_search = name
        self.filter_bar.display = True
        if self.filter_bar.value == search.query:
            self.refresh_papers(top_if_gone=True)
        else:
            self.filter_bar.value = search.query  # Input.Changed runs the search

    def leave_search(self) -> None:
        """The cursor left a saved search's row for a day: its filter goes with it."""
        search = self.papertray.searches.get(self.active_search or "")
        self.active_search = None
        if search is not None and self.filter_bar.value == search.query:
            self.filter_bar.value = ""
            self.filter_bar.display = False

    def action_save_search(self) -> None:
        text = self.filter_bar.value.strip()
        if not text:
            self.notify("Type a filter first (/), then S saves it.", timeout=4, markup=False)
            return
        from tui.reader.screens.note import NoteScreen

        def save(name: str | None) -> None:
            if not name:
                return
            error = self.papertray.searches.add(name, text)
            if error:
                self.notify(error, severity="error", timeout=8, markup=False)
                return
            self.papertray.session.filters = remember_filter(self.papertray.session.filters, text)
            self.show_searches(keep=" ".join(name.split()))
            self.notify(f"Saved search: {name} = {text}", timeout=4, markup=False)

        self.app.push_screen(
            NoteScreen(f"Save the filter {text!r} as a search named:", self.active_search or "",
                       placeholder="a short name (Enter saves, Esc cancels)"),
            save,
        )

    def on_days_pane_delete_search(self, event: DaysPane.DeleteSearch) -> None:
        """`d` on a saved search's row (a mixin can't use @on: handlers are found by name)."""
        searches = self.papertray.searches
        position = [s.name for s in searches.mine].index(event.name) if searches.get(event.name) in searches.mine else 0
        removed, error = searches.remove(event.name)
        if error:
            self.notify(error, severity="warning", timeout=6, markup=False)
            return
        if removed is None:
            return

        def restore() -> None:
            searches.restore(removed, position)
            self.show_searches(keep=removed.name)
        self.undo_stack.push(f"saved search {removed.name} is back", restore)
        self.show_searches()
        self.notify(f"Deleted saved search {removed.name} — u brings it back", timeout=4, markup=False)

    # -- filter history ----------------------------------------------------------------------------

    def action_filter_history(self, step: int) -> None:
        """↑ older, ↓ newer (↓ past the newest goes back to the list, as before)."""
        bar = self.filter_bar
        if step < 0:
            if self.history_walk is None:
                self.history_walk = HistoryWalk(list(self.papertray.session.filters))
            text = self.history_walk.older(bar.value)
        else:
            text = self.history_walk.newer() if self.history_walk is not None else None
            if text is None:
                self.history_walk = None
                self.action_leave_filter()
                return
        if text is not None:
            bar.value = text
            bar.cursor_position = len(text)

    def remember_filter(self) -> None:
        self.history_walk = None
        session = self.papertray.session
        session.filters = remember_filter(session.filters, self.filter_bar.value)

    # -- the session -------------------------------------------------------------------------------

    def restore_point(self) -> tuple[DayKey, str | None]:
        """The last session's day and paper, once (after the first load)."""
        if not self._restore_pending:
            return ALL_DAYS, None
        self._restore_pending = False
        session = self.papertray.session
        if session.day.startswith(PREFIX):
            name = session.day[len(PREFIX):]
            self.call_after_refresh(self.days_pane.select_search, name)
            return ALL_DAYS, None
        return parse_day_key(session.day) if session.day else ALL_DAYS, session.paper or None

    def session_now(self) -> Session:
        app = self.papertray
        ui = app.config.ui
        paper = self.papers_pane.current
        day = PREFIX + self.active_search if self.active_search else day_key(self.days_pane.current)
        return Session(
            day=day if self.loaded else app.session.day, sort=self.view.sort, hide_read=self.view.hide_read,
            theme=app.theme, abstract_width=self.abstract_width,
            paper=paper.id if paper is not None and self.loaded else app.session.paper,
            filters=list(app.session.filters),
            config={"sort": ui.sort, "hide_read": ui.hide_read, "theme": ui.theme, "show_abstract": ui.show_abstract},
        )

    def save_session(self, wait: bool = False) -> None:
        """Write the session if it changed since the last write: every 2 s in a thread (an fsync
        can take a while, and the UI must not wait for it), and on exit before the app goes."""
        now = self.session_now()
        if now == self._saved_session:
            if wait and self._session_written < self._session_seq:  # a thread is still writing it
                self._write_in_order(now, self._session_seq)
            return
        # A copy: the filter history grows in place on the app's session, and must differ from
        # what was last written for the next save to happen.
        self._saved_session = replace(now, filters=list(now.filters), config=dict(now.config))
        self.papertray.session = now
        self._session_seq += 1
        if wait:
            self._write_in_order(now, self._session_seq)
        else:
            self._write_session(now, self._session_seq)

    @work(thread=True, group="session")
    def _write_session(self, session: Session, seq: int) -> None:
        error = self._write_in_order(session, seq)
        if error is not None and not self.papertray.closing:
            self.app.call_from_thread(self.notify, error, severity="warning", timeout=8, markup=False)

    def _write_in_order(self, session: Session, seq: int) -> str | None:
        """A slow write of an older snapshot must never land after a newer one (say, at exit)."""
        with self._session_lock:
            if seq <= self._session_written:
                return None
            error = save_session(self.papertray.data_dir, session)
            self._session_written = seq
            return error
