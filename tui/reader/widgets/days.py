"""The days pane: "All days" and every digest day, newest first, with paper and unread counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text

from tui.listing import ALL_DAYS, NEW_DAY, DayKey
from tui.reader.bindings import bindings
from tui.reader.widgets.rows import fit, short_date
from tui.reader.widgets.vlist import VirtualList
from tui.store import Day


def day_label(d: date | None) -> str:
    """`Fri Nov 20` this year, `Thu 2025-11-20` before; "undated" for files without a date."""
    if d is None:
        return "undated"
    label = short_date(d)
    return f"{d:%a} {label}" if len(label) < 10 else label


class DaysPane(VirtualList):
    """Row 0 is "All days", then "New" (papers arrived since the last session) when there are
    any; the others are `Store.days()` in order."""

    BINDINGS = bindings("days")
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"days--count"}
    DEFAULT_CSS = """
    DaysPane > .days--count { color: $text-muted; }
    """
    empty_text = "No digests loaded."

    def __init__(self, unread_count: Callable[[list[str]], int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: list[Day] = []
        self.total = 0
        self.all_ids: list[str] = []
        self.new_ids: list[str] = []
        self._unread_count = unread_count
        self._unread_cache: dict[int, int] = {}

    @property
    def _first_day(self) -> int:
        """The row of the first digest day: after "All days" and, when shown, "New"."""
        return 2 if self.new_ids else 1

    def set_days(self, days: list[Day], all_ids: list[str], keep: DayKey = None,
                 new_ids: list[str] | None = None) -> None:
        """Replace the days; the cursor stays on the day it was on (by date)."""
        current = self.current if keep is None else keep
        self.days = days
        self.all_ids = all_ids
        if new_ids is not None:
            self.new_ids = new_ids
        self._unread_cache.clear()
        index = 1 if current == NEW_DAY and self.new_ids else 0
        for i, day in enumerate(days, start=self._first_day):
            if day.date == current:
                index = i
        self.set_row_count(len(days) + self._first_day if days or all_ids else 0, cursor=index)

    def counts_changed(self) -> None:
        """Read marks changed: recount unread lazily (only visible rows are counted)."""
        self._unread_cache.clear()
        self.refresh()

    @property
    def current(self) -> DayKey:
        """The chosen day's date, or `ALL_DAYS`."""
        if self.cursor == 0 or not self.days:
            return ALL_DAYS
        if self.new_ids and self.cursor == 1:
            return NEW_DAY
        return self.days[self.cursor - self._first_day].date

    def row_text(self, index: int, width: int) -> Text:
        if index == 0:
            ids, label = self.all_ids, "All days"
        elif self.new_ids and index == 1:
            ids, label = self.new_ids, "New"
        else:
            day = self.days[index - self._first_day]
            ids, label = day.paper_ids, day_label(day.date)
        unread = self._unread_cache.get(index)
        if unread is None:
            unread = self._unread_cache[index] = self._unread_count(ids)
        if width < 24:  # narrow: the unread count is what triage needs
            counts = f"{unread:>6,}●" if unread else f"{len(ids):>6,} "
        else:
            counts = f"{len(ids):>6,}" + (f" {unread:>5,}●" if unread else "       ")
        row = Text(no_wrap=True, end="")
        row.append(fit(label, max(1, width - len(counts) - 1)) + " ")  # a space even at 6-digit counts
        row.append(counts, style=self.get_component_rich_style("days--count"))
        return row
