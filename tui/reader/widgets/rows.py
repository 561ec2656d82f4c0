"""Small formatting helpers shared by the list panes: dates, counts, highlighted titles."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text

from tui.matching import highlight_spans
from tui.model import MONTHS


def short_date(d: date | None, today: date | None = None) -> str:
    """`Nov 20` this year, `2024-06-18` otherwise, blank when unknown (never invented)."""
    if d is None:
        return ""
    today = today or date.today()
    if d.year == today.year:
        return f"{MONTHS[d.month - 1][:3]} {d.day:2d}"
    return d.isoformat()


def highlighted(text: str, words: tuple[str, ...], base: Style | str = "", match: Style | None = None) -> Text:
    """`text` as a rich Text (never parsed as markup) with matched words styled."""
    out = Text(text, style=base, no_wrap=True, end="")
    if words and match is not None:
        for start, end in highlight_spans(text, words):
            out.stylize(match, start, end)
    return out


def fit(text: str, width: int) -> str:
    """Cut a plain string to `width` cells with an ellipsis (for fixed-width columns)."""
    if width <= 0:
        return ""
    cells = cell_len(text)
    if cells <= width:
        return text + " " * (width - cells)
    return set_cell_size(text, width - 1) + "…"  # a wide character cut in half becomes a space
