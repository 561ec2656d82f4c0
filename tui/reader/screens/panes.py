"""Which panes show and which has focus: Tab's order, the queue at full size, the abstract's width, Esc.

A mixin of `ReaderScreen`, kept apart so the screen module stays readable; what it may use of the
screen is declared in `tui/reader/screens/parts.py`.
"""

from __future__ import annotations

from textual.css.query import QueryType
from textual.events import Resize
from textual.widget import Widget

from tui.reader.screens.parts import ReaderParts

ABSTRACT_WIDTHS = ("normal", "wide", "hidden")


class PaneActions(ReaderParts):
    """`Tab` `Q` `w` `Esc`: moving between the panes and sizing them; narrow terminals stack them."""

    # -- focus: Tab walks the panes in the order the README gives ---------------------------------

    def _pane_order(self) -> list[Widget]:
        panes: list[Widget] = [self.days_pane, self.papers_pane, self.abstract_pane, self.queue_pane]
        return [p for p in panes if p.display and p.parent is not None and p.parent.display]

    def focus_next(self, selector: str | type[QueryType] = "*") -> Widget | None:
        return self._focus_step(1) or super().focus_next(selector)

    def focus_previous(self, selector: str | type[QueryType] = "*") -> Widget | None:
        return self._focus_step(-1) or super().focus_previous(selector)

    def _focus_step(self, step: int) -> Widget | None:
        order = self._pane_order()
        if self.focused not in order:
            return None
        target = order[(order.index(self.focused) + step) % len(order)]
        target.focus()
        return target

    def on_resize(self, event: Resize) -> None:
        """Below 110 columns the abstract goes under the papers, so titles keep their room."""
        self.set_class(event.size.width < 110, "-narrow")

    # -- the queue at full size, the abstract's width ------------------------------------------------

    def action_go_queue(self) -> None:
        """`Q`: to the queue; pressed in the queue, full size (status, dates, notes) or back."""
        if self.focused is self.queue_pane:
            self.set_queue_full(not self.queue_full)
        else:
            self.queue_pane.focus()

    @property
    def queue_full(self) -> bool:
        return self.has_class("-queue-full")

    def set_queue_full(self, full: bool) -> None:
        self.set_class(full, "-queue-full")
        self.queue_pane.full = full
        self.queue_pane.show()
        if full:
            self.queue_pane.focus()

    def action_back_to_list(self) -> None:
        if self.cancel_fetch():
            return
        if self.queue_full:
            self.set_queue_full(False)
            self.papers_pane.focus()
        elif self.focused in (self.abstract_pane, self.queue_pane, self.days_pane):
            self.papers_pane.focus()
        elif not self.view.query.empty:
            self.action_clear_filter()

    def action_cycle_abstract(self) -> None:
        i = ABSTRACT_WIDTHS.index(self.abstract_width)
        self.abstract_width = ABSTRACT_WIDTHS[(i + 1) % len(ABSTRACT_WIDTHS)]
        self._apply_abstract_width()

    def _apply_abstract_width(self) -> None:
        self.abstract_pane.display = self.abstract_width != "hidden"
        self.abstract_pane.set_class(self.abstract_width == "wide", "wide")
