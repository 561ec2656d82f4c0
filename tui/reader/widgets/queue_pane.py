"""The queue pane: the reading queue in its saved order, with status marks, notes and its own edits."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message

from tui.queue import Queue, QueueEntry
from tui.reader.bindings import bindings
from tui.reader.widgets.papers import QUEUE_MARK
from tui.reader.widgets.rows import highlighted
from tui.reader.widgets.vlist import VirtualList
from tui.search import Query, entry_matches


class QueuePane(VirtualList):
    """Entries of the `Queue` (saved at once by the model); edits post `Edited` for the app to repaint."""

    BINDINGS = bindings("queue")
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"queue--status", "queue--done", "queue--note"}
    DEFAULT_CSS = """
    QueuePane > .queue--status { color: $text-success; text-style: bold; }
    QueuePane > .queue--done { color: $text-muted; text-style: strike; }
    QueuePane > .queue--note { color: $text-muted; text-style: italic; }
    """
    EMPTY = "Empty. a queues a paper."
    empty_text = EMPTY

    class Edited(Message):
        """The queue changed from this pane (status, order, removal, note)."""

    def __init__(self, queue: Queue, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.queue = queue
        self.entries: list[QueueEntry] = []
        self.highlight: tuple[str, ...] = ()
        self.filter_query = Query()
        self.show_done = False
        self.removed: list[QueueEntry] = []  # undo stack, newest last

    @property
    def current(self) -> QueueEntry | None:
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor]
        return None

    def show(self, query: Query | None = None, highlight: tuple[str, ...] | None = None, keep: str | None = None) -> None:
        """Re-read the queue (filtered by `query` like the papers list) and repaint."""
        if query is not None:
            self.filter_query = query
        if highlight is not None:
            self.highlight = highlight
        entries = self.queue.entries(include_done=self.show_done)
        if not self.filter_query.empty:
            entries = [e for e in entries if entry_matches(self.filter_query, e.title, e.byline, e.abstract)]
        self.empty_text = self.EMPTY if self.filter_query.empty else "No queued paper matches the filter."
        keep_id = keep if keep is not None else (self.current.id if self.current else None)
        self.entries = entries
        index = next((i for i, e in enumerate(entries) if e.id == keep_id), None)
        self.set_row_count(len(entries), cursor=index if index is not None else min(self.cursor, len(entries) - 1))
        active = len(self.queue.entries())
        done = len(self.queue.entries(include_done=True)) - active
        self.border_title = f"Queue ({active})"
        self.border_subtitle = f"{done} done, D shows" if done and not self.show_done else ""

    def _edited(self, keep: str | None = None) -> None:
        self.show(keep=keep)
        self.post_message(self.Edited())

    # -- actions --------------------------------------------------------------------------------------

    def action_cycle(self) -> None:
        """to-read → reading → done → to-read."""
        if self.current is not None:
            self.queue.cycle_status(self.current.id)
            self._edited()

    def action_move(self, delta: int) -> None:
        entry = self.current
        if entry is not None and self.queue.move(entry.id, delta, include_done=self.show_done):
            self._edited(keep=entry.id)

    def remove_entry(self, paper_id: str) -> QueueEntry | None:
        """Take a paper off the queue, keeping it on this pane's undo stack."""
        removed = self.queue.remove(paper_id)
        if removed is not None:
            self.removed.append(removed)
        return removed

    def action_remove(self) -> None:
        entry = self.current
        if entry is not None and (removed := self.remove_entry(entry.id)) is not None:
            self.app.notify(f"Removed {removed.title} — press u to undo", markup=False, timeout=5)
            self._edited()

    def action_undo(self) -> None:
        if self.removed:
            entry = self.removed.pop()
            self.queue.restore(entry)
            self.app.notify(f"Restored {entry.title}", markup=False, timeout=3)
            self._edited(keep=entry.id)

    def action_note(self) -> None:
        entry = self.current
        if entry is None:
            return
        from tui.reader.screens.note import NoteScreen

        def save(note: str | None) -> None:
            if note is not None:
                self.queue.set_note(entry.id, note)
                self._edited(keep=entry.id)

        self.app.push_screen(NoteScreen(entry.title, entry.note), save)

    def action_toggle_done(self) -> None:
        self.show_done = not self.show_done
        self.show()

    # -- rendering ------------------------------------------------------------------------------------

    def row_text(self, index: int, width: int) -> Text:
        entry = self.entries[index]
        row = Text(no_wrap=True, end="")
        row.append(f"{QUEUE_MARK.get(entry.status, '?')} ", style=self.get_component_rich_style("queue--status"))
        if entry.note:  # the note itself is in the abstract pane; long titles would hide it here
            row.append("✎ ", style=self.get_component_rich_style("queue--note"))
        style = self.get_component_rich_style("queue--done") if entry.status == "done" else ""
        row.append_text(highlighted(entry.title, self.highlight, style, self.get_component_rich_style("vlist--match")))
        if entry.note:
            row.append(f"  — {' '.join(entry.note.split())}", style=self.get_component_rich_style("queue--note"))
        return row
