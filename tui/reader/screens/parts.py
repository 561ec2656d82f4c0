"""What the reader screen's mixins (triage, memory, panes) may use of the screen: declared once, typed.

`ReaderScreen` builds these panes and implements these methods; the mixins derive from this class
so that each can be read (and type-checked) on its own.
"""

from __future__ import annotations

from textual.timer import Timer

from tui.listing import ReadAfterRest, View
from tui.model import Paper
from tui.queue import QueueEntry
from tui.reader.screens.library import LibraryScreen
from tui.reader.widgets.abstract import AbstractPane
from tui.reader.widgets.filter_bar import FilterBar
from tui.reader.widgets.queue_pane import QueuePane
from tui.triage import UndoStack


class ReaderParts(LibraryScreen):
    """The reader screen's panes and state, as its mixins see them."""

    abstract_pane: AbstractPane
    queue_pane: QueuePane
    filter_bar: FilterBar
    view: View
    reading: ReadAfterRest
    abstract_width: str
    undo_stack: UndoStack
    _read_timer: Timer | None

    def current_paper(self) -> Paper | QueueEntry | None:
        raise NotImplementedError

    def refresh_abstract(self) -> None:
        raise NotImplementedError

    def action_leave_filter(self) -> None:
        raise NotImplementedError

    def action_clear_filter(self) -> None:
        raise NotImplementedError
