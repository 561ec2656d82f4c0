"""The queue pane: the reading queue in its saved order, with status marks and notes."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding

from tui.queue import QueueEntry
from tui.widgets.papers import QUEUE_MARK
from tui.widgets.rows import highlighted
from tui.widgets.vlist import VirtualList


class QueuePane(VirtualList):
    """Queue entries; the app performs the edits so the store and the file stay in one place."""

    BINDINGS = [
        Binding("enter", "app.queue_cycle", "Status", show=True),
        Binding("K,shift+up", "app.queue_move(-1)", "Move up", show=True),
        Binding("J,shift+down", "app.queue_move(1)", "Move down", show=True),
        Binding("d,delete", "app.queue_remove", "Remove", show=True),
        Binding("u", "app.queue_undo", "Undo", show=True),
        Binding("n", "app.queue_note", "Note", show=True),
        Binding("D", "app.queue_toggle_done", "Show done", show=True),
    ]
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"queue--status", "queue--done", "queue--note"}
    DEFAULT_CSS = """
    QueuePane > .queue--status { color: $text-success; text-style: bold; }
    QueuePane > .queue--done { color: $text-muted; text-style: strike; }
    QueuePane > .queue--note { color: $text-muted; text-style: italic; }
    """
    empty_text = "Empty. a queues a paper."

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[QueueEntry] = []
        self.highlight: tuple[str, ...] = ()

    @property
    def current(self) -> QueueEntry | None:
        if 0 <= self.cursor < len(self.entries):
            return self.entries[self.cursor]
        return None

    def set_entries(self, entries: list[QueueEntry], keep: str | None = None, highlight: tuple[str, ...] = ()) -> None:
        keep_id = keep if keep is not None else (self.current.id if self.current else None)
        self.entries = entries
        self.highlight = highlight
        index = next((i for i, e in enumerate(entries) if e.id == keep_id), None)
        self.set_row_count(len(entries), cursor=index if index is not None else min(self.cursor, len(entries) - 1))

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
