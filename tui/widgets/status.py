"""The one-line status bar: counts, day, filter, sort."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


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
