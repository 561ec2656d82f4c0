"""The `?` help screen: every key from `tui.keys` (as the user bound it) plus the filter syntax."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.keys import ACTIONS, FIXED_ROWS, GROUPS, split_keys
from tui.query import QUERY_HELP


class HelpScreen(ModalScreen[None]):
    """Shows the sections it is given (`help_sections`), then the filter syntax."""

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


def help_sections(app: App[Any], keymap: dict[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every action of `tui.keys` by help group, with the keys in force (the user's keymap)."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for group in GROUPS:
        rows: list[tuple[str, str]] = []
        for action in ACTIONS:
            if action.group == group:
                keys = split_keys(keymap.get(action.id, action.keys))
                rows.append((" / ".join(app.get_key_display(Binding(k, action.action)) for k in keys), action.label))
        rows += FIXED_ROWS.get(group, ())
        sections.append((group, rows))
    return sections
