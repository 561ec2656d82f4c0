"""A virtual list: renders only the rows on screen, so 100k rows cost what 40 do.

ListView and OptionList build one object per row (seconds at 20k+ rows); this uses Textual's Line
API (`ScrollView.render_line`), asking subclasses for the text of visible rows only.
"""

from __future__ import annotations

import textwrap

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.reader.bindings import bindings


class RowMessage(Message):
    """A message about one row of a VirtualList; `control` lets handlers select by widget id."""

    def __init__(self, vlist: "VirtualList", index: int) -> None:
        super().__init__()
        self.vlist = vlist
        self.index = index

    @property
    def control(self) -> "VirtualList":
        return self.vlist


def set_virtual_height(view: ScrollView, size: Size) -> None:
    """Resize a Line-API view's scrollable area without re-laying out the screen when its scrollbar
    stays as it is: `virtual_size` is a layout reactive, and a layout per keystroke cost ~20 ms."""
    if size == view.virtual_size:
        return
    height = view.scrollable_content_region.height
    if height and view.is_mounted and (size.height > height) == (view.virtual_size.height > height):
        view.set_reactive(ScrollView.virtual_size, size)
        # The scrollbar stays shown (or hidden): only its thumb changes. Our views never scroll
        # sideways (overflow-x: hidden), so the vertical bar is the only one to update.
        if view.show_vertical_scrollbar and view.styles.scrollbar_size_vertical:
            bar = view.vertical_scrollbar
            bar.window_virtual_size = size.height
            bar.window_size = view.container_size.height - view.scrollbar_size_horizontal
            bar.refresh()
        view.scroll_y = view.validate_scroll_y(view.scroll_y)
    else:
        view.virtual_size = size


class VirtualList(ScrollView, can_focus=True):
    """A cursor over `row_count` rows; subclasses implement `row_text(index, width)`."""

    BINDINGS = bindings("list")
    COMPONENT_CLASSES = {"vlist--cursor", "vlist--cursor-blurred", "vlist--dim", "vlist--match", "vlist--empty"}
    DEFAULT_CSS = """
    VirtualList { overflow-x: hidden; }
    VirtualList > .vlist--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    VirtualList > .vlist--cursor-blurred { background: $block-cursor-blurred-background; }
    VirtualList > .vlist--dim { color: $text-muted; }
    VirtualList > .vlist--match { color: $text-accent; text-style: bold underline; }
    VirtualList > .vlist--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Moved(RowMessage):
        """The cursor moved to another row (bursts replace each other in the queue)."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, VirtualList.Moved) and message.vlist is self.vlist

    class Chosen(RowMessage):
        """Enter (or a double click) chose the row under the cursor."""

    empty_text = "Nothing here."

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.row_count = 0
        self.user_moved = False  # the user put the cursor where it is (keys or mouse)

    # -- for subclasses --------------------------------------------------------------------------

    def row_text(self, index: int, width: int) -> Text:
        """The text of one row (already cut to width or not; it is cropped here)."""
        raise NotImplementedError

    def set_row_count(self, count: int, cursor: int | None = None) -> None:
        """Change how many rows there are, keeping the cursor in range (or moving it to `cursor`)."""
        self.row_count = count
        set_virtual_height(self, Size(self.size.width, count))
        target = self.cursor if cursor is None else cursor
        target = max(0, min(target, count - 1)) if count else 0
        self.set_reactive(VirtualList.cursor, target)
        self._scroll_cursor_into_view(center=cursor is not None)
        self.refresh()
        self.post_message(self.Moved(self, target))

    # -- rendering ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        index = self.scroll_offset.y + y
        base = self.rich_style
        if self.row_count == 0:
            lines = self._empty_lines(width)
            if y < len(lines):
                text = Text(lines[y], style=self.get_component_rich_style("vlist--empty"))
                text.truncate(width, overflow="ellipsis", pad=True)
                return Strip(list(text.render(self.app.console)), text.cell_len).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= self.row_count:
            return Strip.blank(width, base)
        text = self.row_text(index, width)
        if "\t" in text.plain:  # a tab would reach the terminal raw and break the columns
            text = Text(text.plain.replace("\t", " "), spans=text.spans, style=text.style)
        text.no_wrap = True
        text.overflow = "ellipsis"
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        strip = Strip(segments).adjust_cell_length(width)
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("vlist--cursor" if self.has_focus else "vlist--cursor-blurred")
            return Strip([Segment(seg.text, base + (seg.style or Style()) + style) for seg in strip])
        return strip.apply_style(base) if base else strip

    def _empty_lines(self, width: int) -> list[str]:
        """The empty message wrapped to the pane (a first-run explanation is several lines); a
        one-line message still ends in an ellipsis when the pane is narrow."""
        if "\n" not in self.empty_text:
            return [self.empty_text]
        lines: list[str] = []
        for paragraph in self.empty_text.split("\n"):
            lines += textwrap.wrap(paragraph, max(10, width), break_on_hyphens=False) or [""]
        return lines

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count)  # a real resize: lay out
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- cursor ---------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        if old != new:
            self.post_message(self.Moved(self, new))

    def move_to(self, index: int) -> None:
        if self.row_count:
            self.cursor = max(0, min(index, self.row_count - 1))

    def _scroll_cursor_into_view(self, center: bool = False) -> None:
        height = self.scrollable_content_region.height or self.size.height
        if height <= 0:
            return
        top = self.scroll_offset.y
        c = self.cursor
        if center and not (top <= c < top + height):
            self.scroll_to(y=max(0, c - height // 2), animate=False, immediate=True)
        elif c < top:
            self.scroll_to(y=c, animate=False, immediate=True)
        elif c >= top + height:
            self.scroll_to(y=c - height + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.user_moved = True
        self.move_to(self.cursor + delta)

    def action_first(self) -> None:
        self.user_moved = True
        self.move_to(0)

    def action_last(self) -> None:
        self.user_moved = True
        self.move_to(self.row_count - 1)

    def action_page(self, direction: int) -> None:
        self.user_moved = True
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_offset.y + direction * height, animate=False, immediate=True)
        self.move_to(self.cursor + direction * height)

    def action_choose(self) -> None:
        if self.row_count:
            self.post_message(self.Chosen(self, self.cursor))

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)  # relative to the rows, not the border
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < self.row_count:
            if index == self.cursor and event.chain > 1:
                self.action_choose()
            self.user_moved = True
            self.move_to(index)
