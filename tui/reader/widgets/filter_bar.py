"""The filter bar: a one-line input that filters as you type."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input


class FilterBar(Input):
    """`/` focuses it; every change re-filters; Enter keeps the filter, Esc clears it."""

    BINDINGS = [
        Binding("escape", "screen.clear_filter", "Clear filter", show=True),
        Binding("enter", "screen.leave_filter", "Keep filter", show=True),
        Binding("down", "screen.leave_filter", "To list", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder='filter: words, "a phrase", title:word, is:unread, is:queued   (Esc clears)', id=id)
