"""The filter bar: a one-line input that filters as you type."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input


class FilterBar(Input):
    """`/` focuses it; every change re-filters; Enter keeps the filter, Esc clears it; ↑/↓ walk
    the filters used before (kept in the session); Ctrl+S saves the filter as a named search."""

    BINDINGS = [
        Binding("escape", "screen.clear_filter", "Clear filter", show=True),
        Binding("enter", "screen.leave_filter", "Keep filter", show=True),
        Binding("up", "screen.filter_history(-1)", "Older filter", show=False),
        Binding("down", "screen.filter_history(1)", "Newer filter / to list", show=False),
        Binding("ctrl+s", "screen.save_search", "Save search", show=True),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder='filter: words, "a phrase", title:word, is:unread, is:queued   (Esc clears)', id=id)

    def show_error(self, message: str | None) -> None:
        """The query's error (unknown `is:` value, empty prefix) under the input, as text, never markup."""
        self.set_class(message is not None, "-query-error")
        self.border_subtitle = Text(message, style="bold") if message else None
