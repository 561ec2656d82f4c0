"""The days pane: "All days", "New" (when papers arrived since the last session), the saved
searches, then every digest day (newest first), each with its paper and unread counts (labelled
in the pane's bottom border)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.text import Text
from textual.message import Message

from tui.listing import ALL_DAYS, NEW_DAY, DayKey
from tui.reader.bindings import bindings
from tui.reader.widgets.rows import fit, short_date
from tui.reader.widgets.vlist import VirtualList
from tui.store import Day

SEARCH_MARK = "/ "  # a saved search's row starts like the filter it is
COUNT_LABELS = "papers  unread●"
COUNT_LABEL_NARROW = "unread●"
CountFn = Callable[[str], "tuple[int, int] | None"]


def day_label(d: date | None) -> str:
    """`Fri Nov 20` this year, `Thu 2025-11-20` before; "undated" for files without a date."""
    if d is None:
        return "undated"
    label = short_date(d)
    return f"{d:%a} {label}" if len(label) < 10 else label


class DaysPane(VirtualList):
    """Row 0 is "All days", then "New" when there are new papers, then one row per saved search,
    then `Store.days()` in order."""

    BINDINGS = bindings("days")
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {"days--count"}
    DEFAULT_CSS = """
    DaysPane > .days--count { color: $text-muted; }
    """
    empty_text = "No digests loaded."

    class DeleteSearch(Message):
        """`d` on a saved search's row."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(
        self, unread_count: Callable[[list[str]], int], search_counts: CountFn | None = None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.days: list[Day] = []
        self.searches: list[str] = []  # saved search names, in the pane's order
        self.total = 0
        self.all_ids: list[str] = []
        self.new_ids: list[str] = []
        self._unread_count = unread_count
        self._search_counts = search_counts or (lambda _name: None)
        self._unread_cache: dict[int, tuple[int, int] | None] = {}

    # -- rows: All days, New, saved searches, days ------------------------------------------------

    @property
    def _first_search(self) -> int:
        return 2 if self.new_ids else 1

    @property
    def first_day_row(self) -> int:
        """The row of the first digest day."""
        return self._first_search + len(self.searches)

    def _rows(self) -> int:
        return len(self.days) + self.first_day_row if self.days or self.all_ids or self.searches else 0

    def _row_of(self, day: DayKey) -> int:
        if day == NEW_DAY and self.new_ids:
            return 1
        for i, d in enumerate(self.days, start=self.first_day_row):
            if d.date == day:
                return i
        return 0

    def set_days(self, days: list[Day], all_ids: list[str], keep: DayKey = None,
                 new_ids: list[str] | None = None) -> None:
        """Replace the days; the cursor stays on its row's day or saved search (or goes to `keep`)."""
        current = self.current if keep is None else keep
        search = self.current_search if keep is None else None
        self.days = days
        self.all_ids = all_ids
        if new_ids is not None:
            self.new_ids = new_ids
        self._unread_cache.clear()
        index = self._first_search + self.searches.index(search) if search in self.searches else self._row_of(current)
        self.set_row_count(self._rows(), cursor=index)

    def set_searches(self, names: list[str], keep: str | None = None) -> None:
        """Replace the saved-search rows; the cursor stays on its day (or goes to search `keep`)."""
        current, search = self.current, self.current_search
        self.searches = list(names)
        self._unread_cache.clear()
        target = keep if keep is not None else search
        if target in self.searches:
            self.set_row_count(self._rows(), cursor=self._first_search + self.searches.index(target))
        else:
            self.set_row_count(self._rows(), cursor=self._row_of(current))

    def counts_changed(self) -> None:
        """Read marks changed: recount unread lazily (only visible rows are counted)."""
        self._unread_cache.clear()
        self.refresh()

    @property
    def current(self) -> DayKey:
        """The chosen day's date, `NEW_DAY`, or `ALL_DAYS` (also on a saved search's row: it spans
        every day)."""
        if self.new_ids and self.cursor == 1:
            return NEW_DAY
        day = self.cursor - self.first_day_row
        if 0 <= day < len(self.days):
            return self.days[day].date
        return ALL_DAYS

    @property
    def current_search(self) -> str | None:
        """The saved search under the cursor, if the cursor is on one."""
        i = self.cursor - self._first_search
        return self.searches[i] if 0 <= i < len(self.searches) else None

    def select_day(self, day: DayKey) -> None:
        self.move_to(self._row_of(day))

    def select_search(self, name: str) -> None:
        if name in self.searches:
            self.move_to(self._first_search + self.searches.index(name))

    def action_delete_search(self) -> None:
        if self.current_search is not None:
            self.post_message(self.DeleteSearch(self.current_search))
        else:
            self.app.notify("d deletes a saved search (a / row); days come from your digests.", timeout=3, markup=False)

    def on_resize(self) -> None:
        super().on_resize()
        self.border_subtitle = COUNT_LABELS if self.size.width - 2 >= 24 else COUNT_LABEL_NARROW

    # -- rendering --------------------------------------------------------------------------------

    def _counts(self, index: int) -> tuple[int, int] | None:
        if index in self._unread_cache:
            return self._unread_cache[index]
        got: tuple[int, int] | None
        if self._first_search <= index < self.first_day_row:
            got = self._search_counts(self.searches[index - self._first_search])
        else:
            if index == 0:
                ids = self.all_ids
            elif index < self._first_search:
                ids = self.new_ids
            else:
                ids = self.days[index - self.first_day_row].paper_ids
            got = (len(ids), self._unread_count(ids))
        if got is not None:
            self._unread_cache[index] = got
        return got

    def row_text(self, index: int, width: int) -> Text:
        if index == 0:
            label = "All days"
        elif index < self._first_search:
            label = "New"
        elif index < self.first_day_row:
            label = SEARCH_MARK + self.searches[index - self._first_search]
        else:
            label = day_label(self.days[index - self.first_day_row].date)
        got = self._counts(index)
        if got is None:  # a saved search still being counted
            counts = "     …" + ("" if width < 24 else "       ")
        elif width < 24:  # narrow: the unread count is what triage needs
            total, unread = got
            counts = f"{unread:>6,}●" if unread else f"{total:>6,} "
        else:
            total, unread = got
            counts = f"{total:>6,}" + (f" {unread:>5,}●" if unread else "       ")
        row = Text(no_wrap=True, end="")
        row.append(fit(label, max(1, width - len(counts) - 1)) + " ")  # a space even at 6-digit counts
        row.append(counts, style=self.get_component_rich_style("days--count"))
        return row
