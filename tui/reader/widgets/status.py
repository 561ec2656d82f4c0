"""The one-line status bar: counts, day, filter, sort."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tui.listing import NEW_DAY, DayKey
from tui.reader.widgets.days import day_label


class StatusBar(Widget):
    """Repaints without a layout pass (its size never depends on its text), unlike `Static.update`,
    which re-lays out the screen: that alone cost ~20 ms per keystroke in the filter."""

    DEFAULT_CSS = "StatusBar { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def update(self, text: Text) -> None:
        if text.plain != self._text.plain or text.spans != self._text.spans:
            self._text = text
            self.refresh()

    def render(self) -> Text:
        return self._text


def status_text(
    *, shown: int, total: int, day: DayKey, filter_text: str | None, sort: str, hide_read: bool, queued: int,
    loading: bool, unsaved: bool = False, new_note: str = "", activity: str = "",
) -> Text:
    """`papertray · 9 of 9 papers · all days · filter: x · sort: digest · queue: 0`."""
    parts = [
        Text("papertray", style="bold"),
        Text(f"{shown:,} of {total:,} papers"),
        *([Text(new_note, style="bold")] if new_note else []),
        Text(("new" if day == NEW_DAY else "all days") if isinstance(day, str) else day_label(day)),
    ]
    if filter_text is not None:
        parts.append(Text(f"filter: {filter_text}", style="bold"))
    parts.append(Text(f"sort: {sort}"))
    if hide_read:
        parts.append(Text("read hidden"))
    parts.append(Text(f"queue: {queued}"))
    if loading:
        parts.append(Text("loading…", style="italic"))
    if unsaved:
        parts.append(Text("NOT SAVED: retrying", style="bold red"))
    if activity:
        parts.append(Text(activity, style="italic"))
    return Text("  ·  ").join(parts)
