"""The reader's triage keys: next/previous unread, next day with unread, mark all read, undo, queue.

A mixin of `ReaderScreen`, kept apart so the screen module stays readable. Where to go is decided
by `tui.triage` (plain, unit-tested); this only moves cursors, marks papers and tells the user.
"""

from __future__ import annotations

from dataclasses import replace

from tui.listing import ALL_DAYS, DayKey
from tui.model import Paper, arxiv_id, arxiv_links
from tui.queue import QueueEntry
from tui.reader.screens.parts import ReaderParts
from tui.reader.widgets.abstract import ordered_links
from tui.reader.widgets.days import day_label
from tui.triage import UndoStack, day_with_unread, first_unread, last_unread, next_unread, unread_of


class TriageActions(ReaderParts):
    """`n` `p` `N` `X` `u` `a` `x` `P` `1`-`9` `y`: the keys of a daily pass through new papers."""

    undo_stack: UndoStack
    removed_entries: dict[str, QueueEntry]  # queue entries taken off this session, note and all
    after_show: str | None  # "first" / "last": where the cursor goes once a new day's list is shown

    def init_triage(self) -> None:
        self.undo_stack = UndoStack()
        self.removed_entries = {}
        self.after_show = None

    # -- moving through the unread ------------------------------------------------------------------

    def action_next_unread(self, step: int) -> None:
        """`n`/`p`: the next unread paper in the list; past its end, the next day that has one."""
        pane = self.papers_pane
        is_read = self.papertray.state.read_ids.__contains__
        index = next_unread(pane.ids, pane.cursor, step, is_read)
        if index is not None:
            self._land(index)
            return
        days = self.days_pane.days
        dates: list[DayKey] = [d.date for d in days]
        if self.view.day in dates and self.view.day != ALL_DAYS:
            start = dates.index(self.view.day)
            j = day_with_unread([d.paper_ids for d in days], start, step, is_read, self._filter_matches())
            if j is not None:
                self._go_to_day(j, "first" if step > 0 else "last")
                return
        self.notify("No more unread papers " + ("below." if step > 0 else "above."), timeout=3, markup=False)

    def action_next_unread_day(self) -> None:
        """`N`: the next day down the days pane with an unread paper, at its first unread paper."""
        days = self.days_pane.days
        dates: list[DayKey] = [d.date for d in days]
        start = dates.index(self.view.day) if self.view.day in dates and self.view.day != ALL_DAYS else -1
        is_read = self.papertray.state.read_ids.__contains__
        j = day_with_unread([d.paper_ids for d in days], start, 1, is_read, self._filter_matches())
        if j is None:
            self.notify("No later day in the list has unread papers.", timeout=3, markup=False)
            return
        self._go_to_day(j, "first")

    def _filter_matches(self) -> set[str] | None:
        """With a filter on, the ids it lets through on any day (None: no filter, or not ready yet)."""
        if self.view.query.empty or not self.library.search_inline(self.view.query):
            return None
        app = self.papertray
        return set(self.library.match(replace(self.view, day=ALL_DAYS), app.state.is_read, app.queue.contains).ids)

    def _go_to_day(self, row: int, where: str) -> None:
        day = self.days_pane.days[row]
        self.after_show = where
        self.days_pane.select_day(day.date)
        self.notify(f"{day_label(day.date)}", timeout=2, markup=False)

    def _land(self, index: int) -> None:
        self.papers_pane.user_moved = True
        self.papers_pane.move_to(index)
        if self.focused not in (self.papers_pane, self.abstract_pane):
            self.papers_pane.focus()

    def land_after_show(self) -> None:
        """Called once a list is shown: put the cursor where `n`/`p`/`N` meant it to go."""
        where, self.after_show = self.after_show, None
        if where is None:
            return
        is_read = self.papertray.state.read_ids.__contains__
        ids = self.papers_pane.ids
        index = first_unread(ids, is_read) if where == "first" else last_unread(ids, is_read)
        if index is not None:
            self._land(index)

    # -- read marks -----------------------------------------------------------------------------------

    def action_toggle_read(self) -> None:
        item = self.current_paper()
        if item is None:
            return
        state = self.papertray.state
        read = state.toggle(item.id)
        self.undo_stack.push(f"{item.title}: {'unread' if read else 'read'} again",
                             lambda: state.set_read(item.id, not read))
        if self._read_timer is not None:
            self._read_timer.stop()
        self.reading.cancel()
        self.user_data_changed()
        if self.view.hide_read:
            self.refresh_papers()

    def action_mark_all_read(self) -> None:
        """`X`: every listed paper read, in one save; `u` marks exactly those unread again."""
        state = self.papertray.state
        ids = unread_of(self.papers_pane.ids, state.read_ids)
        if not ids:
            self.notify("Every listed paper is read already.", timeout=3, markup=False)
            return
        state.set_read_many(ids, True)
        self.undo_stack.push(f"{len(ids):,} papers unread again", lambda: state.set_read_many(ids, False))
        self.user_data_changed()
        if self.view.hide_read:
            self.refresh_papers()
        self.notify(f"Marked {len(ids):,} papers read — u undoes.", timeout=5, markup=False)

    def action_undo(self) -> None:
        label = self.undo_stack.pop()
        self.app.clear_notifications()  # the "u undoes" toast is done with
        if label is None:
            self.notify("Nothing to undo.", timeout=2, markup=False)
            return
        self.notify(f"Undone: {label}", timeout=3, markup=False)
        self.user_data_changed()
        self.refresh_papers()
        self.refresh_abstract()

    # -- the queue ------------------------------------------------------------------------------------

    def remove_from_queue(self, paper_id: str) -> QueueEntry | None:
        """Take a paper off the queue so that `u` (or `a` again) brings back the same entry."""
        queue = self.papertray.queue
        entry = queue.remove(paper_id)
        if entry is None:
            return None
        self.removed_entries[paper_id] = entry

        def restore() -> None:
            self.removed_entries.pop(paper_id, None)
            if not queue.contains(paper_id):
                queue.restore(entry)
            self.queue_pane.show(keep=paper_id)
        self.undo_stack.push(f"{entry.title} is back in the queue", restore)
        self.notify(f"Removed from queue: {entry.title} — u brings it back", markup=False, timeout=4)
        return entry

    def action_toggle_queue(self) -> None:
        item = self.current_paper()
        if item is None:
            return
        queue = self.papertray.queue
        if queue.contains(item.id):
            self.remove_from_queue(item.id)
        elif item.id in self.removed_entries:  # re-added: the same entry, note and history
            queue.restore(self.removed_entries.pop(item.id))
            self.app.clear_notifications()
            self.notify(f"Queued again (note kept): {item.title}", markup=False, timeout=3)
        else:
            queue.add(item)
            self.notify(f"Queued: {item.title}", markup=False, timeout=3)
        self.user_data_changed()
        self.refresh_abstract()

    # -- links ----------------------------------------------------------------------------------------

    def _links(self) -> tuple[Paper | QueueEntry | None, list[tuple[str, str]]]:
        item = self.current_paper()
        return item, (ordered_links(item.links) if item is not None else [])

    def action_open_link(self, n: int) -> None:
        """`1`-`9` from any pane: the selected paper's numbered link, as the abstract lists them."""
        item, links = self._links()
        if 1 <= n <= len(links):
            self.papertray.open_in_browser(links[n - 1][1])
        elif item is not None:
            self.notify(f"This paper has no link {n}.", severity="warning", timeout=3, markup=False)

    def action_open_pdf(self) -> None:
        item, links = self._links()
        url = dict(links).get("pdf")
        if url is None and item is not None and (aid := arxiv_id(item.id)):
            url = arxiv_links(aid)["pdf"]
        if url:
            self.papertray.open_in_browser(url)
        elif item is not None:
            self.notify("No PDF link for this paper.", severity="warning", timeout=3, markup=False)

    def action_copy_link(self) -> None:
        item = self.current_paper()
        if item is None:
            return
        url = item.url
        if url:
            self.app.copy_to_clipboard(url)
            self.notify(f"Copied {url}", markup=False, timeout=3)
        else:
            self.notify("This paper has no link to copy.", severity="warning", timeout=3, markup=False)
