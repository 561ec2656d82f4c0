"""The queue pane: the reading queue in its saved order, with status marks, notes and its own edits."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.message import Message

from tui.matching import entry_matches
from tui.query import fold
from tui.queue import Queue, QueueEntry
from tui.reader.bindings import bindings
from tui.reader.widgets.papers import QUEUE_MARK
from tui.reader.widgets.rows import highlighted
from tui.reader.widgets.vlist import VirtualList
from tui.search import Query


def entry_meta(entry: QueueEntry) -> tuple[tuple[str, ...], None, date | None, None]:
    """What a queue entry knows for `cat:`, `after:` and `before:` (no kind, no upvotes)."""
    day = entry.published or (entry.source.date if entry.source is not None else None)
    return tuple(fold(c) for c in entry.categories), None, day, None


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
        """The queue changed from this pane (status, order, note)."""

    class RemoveRequested(Message):
        """`d` on an entry: the screen removes it (and keeps it for `u`)."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(self, queue: Queue, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.queue = queue
        self.entries: list[QueueEntry] = []
        self.highlight: tuple[str, ...] = ()
        self.filter_query = Query()
        self.show_done = False
        self.full = False  # shown full size: status, dates and the whole note in columns

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
            entries = [e for e in entries if entry_matches(self.filter_query, e.title, e.byline, e.abstract, entry_meta(e))]
        self.empty_text = self.EMPTY if self.filter_query.empty else "No queued paper matches the filter."
        keep_id = keep if keep is not None else (self.current.id if self.current else None)
        self.entries = entries
        index = next((i for i, e in enumerate(entries) if e.id == keep_id), None)
        self.set_row_count(len(entries), cursor=index if index is not None else min(self.cursor, len(entries) - 1))
        active = len(self.queue.entries())
        done = len(self.queue.entries(include_done=True)) - active
        self.border_title = f"Queue ({active})" + ("  status · added · changed · title — note" if self.full else "")
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

    def action_remove(self) -> None:
        if self.current is not None:
            self.post_message(self.RemoveRequested(self.current.id))

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
        if self.full and width >= 60:
            return self._full_row(entry, width)
        row = Text(no_wrap=True, end="")
        row.append(f"{QUEUE_MARK.get(entry.status, '?')} ", style=self.get_component_rich_style("queue--status"))
        if entry.note:  # the note itself is in the abstract pane; long titles would hide it here
            row.append("✎ ", style=self.get_component_rich_style("queue--note"))
        style = self.get_component_rich_style("queue--done") if entry.status == "done" else ""
        row.append_text(highlighted(entry.title, self.highlight, style, self.get_component_rich_style("vlist--match")))
        if entry.note:
            row.append(f"  — {' '.join(entry.note.split())}", style=self.get_component_rich_style("queue--note"))
        return row

    def _full_row(self, entry: QueueEntry, width: int) -> Text:
        """`+ to-read  2026-11-20  2026-11-21  Title …  — note`: the columns of the full-size view."""
        status_style = self.get_component_rich_style("queue--status")
        note_style = self.get_component_rich_style("queue--note")
        style = self.get_component_rich_style("queue--done") if entry.status == "done" else ""
        row = Text(no_wrap=True, end="")
        row.append(f"{QUEUE_MARK.get(entry.status, '?')} {entry.status:<8}", style=status_style)
        row.append(f" {entry.added.astimezone():%Y-%m-%d}  {entry.updated.astimezone():%Y-%m-%d}  ",
                   style=self.get_component_rich_style("vlist--dim"))
        note = " ".join(entry.note.split())
        title_width = width - row.cell_len - (min(len(note) + 4, width // 3) if note else 0)
        title = highlighted(entry.title, self.highlight, style, self.get_component_rich_style("vlist--match"))
        title.truncate(max(10, title_width), overflow="ellipsis", pad=bool(note))
        row.append_text(title)
        if note:
            row.append(f"  — {note}", style=note_style)
        return row
