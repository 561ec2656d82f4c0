"""The `?` help screen: every key of the focused context plus the query syntax, from the live bindings."""

from __future__ import annotations

import dataclasses

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.search import QUERY_HELP
from tui.widgets.queue_pane import QueuePane


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


def help_sections(app: App) -> list[tuple[str, list[tuple[str, str]]]]:
    """Keys from the bindings in force (after the user's keymap), grouped for the help screen."""

    def rows(bindings) -> list[tuple[str, str]]:
        out = []
        for b in bindings:
            if b.description:
                keys = [app.get_key_display(dataclasses.replace(b, key=k.strip())) for k in b.key.split(",")]
                out.append((" / ".join(keys), b.description))
        return out

    # active_bindings reflects the user's keymap; group keys by action so "j,down" reads as one row,
    # in the order the bindings are declared, the user's key first.
    order = [b.action for b in app.BINDINGS if isinstance(b, Binding)]
    by_action: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for key, active in app.screen.active_bindings.items():
        action = active.binding.action
        if active.node is app and active.binding.description and action in order:
            by_action.setdefault(action, []).append(app.get_key_display(dataclasses.replace(active.binding, key=key)))
            descriptions[action] = active.binding.description
    app_rows = [
        (" / ".join(sorted(by_action[a], key=len)), descriptions[a]) for a in order if a in by_action
    ]
    return [
        ("Everywhere", app_rows + [("Tab / Shift+Tab", "next / previous pane"), ("Ctrl+P", "command palette: actions, themes, go to paper")]),
        ("Lists", [("j / k, ↓ / ↑", "move"), ("g / G", "first / last"), ("PgDn / PgUp, Space", "page"), ("Enter", "papers: read the abstract; days: show that day")]),
        ("Abstract", [("1 … 9", "open the numbered link"), ("Esc", "back to the list")]),
        ("Queue", rows(QueuePane.BINDINGS)),
    ]
