"""The footer: Textual's, with `? Help` and `q Quit` first so a narrow terminal never hides them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

FIRST = ("app.help", "app.quit", "help", "quit")


class ReaderFooter(Footer):
    """At 80 columns the keys of the focused pane overflow the line; the way out and the way to
    every other key must stay visible, so they lead."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        first = [k for k in keys if getattr(k, "action", None) in FIRST]
        yield from first + [k for k in keys if k not in first]
