"""The `?` help screen: every key of the focused context plus the query syntax, from the live bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.search import QUERY_HELP


class HelpScreen(ModalScreen[None]):
    """Keys are read from the bindings actually in force, so a rebinding shows up here too."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close help")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-body")

    def _table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(Text("papertray — keys", style="bold underline"), "")
        for title, rows in self.sections:
            table.add_row("", "")
            table.add_row(Text(title, style="bold"), "")
            for keys, description in rows:
                table.add_row(Text(keys), Text(description))
        table.add_row("", "")
        table.add_row(Text("Filter syntax", style="bold"), "")
        for syntax, description in QUERY_HELP:
            table.add_row(Text(syntax), Text(description))
        table.add_row("", "")
        table.add_row(Text("Esc / ? / q", style="dim"), Text("close this help", style="dim"))
        return table
