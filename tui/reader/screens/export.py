"""The export dialog: pick a format and which entries, name the file, Enter writes it.

The file is written the way the CLI writes it (`tui.export.save`: whole or not at all). An
existing file is replaced only after a second Enter, and a bad path is said in the dialog, which
stays open so the name can be fixed.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.export import FORMATS, SUFFIXES, export
from tui.export.save import ExportError, write_export
from tui.queue import STATUSES, QueueEntry

FORMAT_NOTES = {
    "markdown": "reading list for notes", "bibtex": "LaTeX, arXiv's own style", "biblatex": "biber, Zotero",
    "ris": "any reference manager", "csl-json": "pandoc --citeproc", "csv": "spreadsheets", "json": "scripts",
}
SELECTIONS = ("not done", "all", *STATUSES)


def chosen(entries: list[QueueEntry], selection: str) -> list[QueueEntry]:
    """The entries a selection means: every one, those not done, or one status."""
    if selection == "all":
        return entries
    if selection == "not done":
        return [e for e in entries if e.status != "done"]
    return [e for e in entries if e.status == selection]


class ExportScreen(ModalScreen[str | None]):
    """Dismissed with the acknowledgement ("wrote 12 entries to ...") once the file is on disk, or None."""

    # `q` closes the dialog from the lists (in the file name it is just a letter) rather than quitting.
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("q", "cancel", "Cancel", show=False)]

    def __init__(self, entries: list[QueueEntry], folder: Path) -> None:
        super().__init__()
        self.entries = entries
        self.folder = folder
        self.format = FORMATS[1]
        self.selection = SELECTIONS[0]
        self._confirm_replace: str | None = None
        self._path_edited = False
        self._auto_paths = {self._default_path()}  # names this dialog filled in itself

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static(Text("Export the queue", style="bold"))
            yield Static("Format (↑↓, Tab for the next field)", classes="export-label")
            yield OptionList(*[Option(f"{f:<9} {FORMAT_NOTES[f]}", id=f) for f in FORMATS], id="export-format")
            yield Static("Entries", classes="export-label")
            yield OptionList(*[Option(self._selection_label(s), id=s) for s in SELECTIONS], id="export-entries")
            yield Static("File (Enter writes it, Esc cancels)", classes="export-label")
            yield Input(value=self._default_path(), id="export-path")
            yield Static("", id="export-message")

    def on_mount(self) -> None:
        self.query_one("#export-format", OptionList).highlighted = FORMATS.index(self.format)
        self.query_one("#export-entries", OptionList).highlighted = 0
        self.query_one("#export-format", OptionList).focus()

    def _selection_label(self, selection: str) -> str:
        n = len(chosen(self.entries, selection))
        return f"{selection} ({n} entr{'y' if n == 1 else 'ies'})"

    def _default_path(self) -> str:
        return os.fspath(self.folder / f"papertray-queue{SUFFIXES[self.format]}")

    @on(OptionList.OptionHighlighted, "#export-format")
    def _format_moved(self, event: OptionList.OptionHighlighted) -> None:
        self.format = event.option.id or self.format
        if not self._path_edited:
            self._auto_paths.add(self._default_path())
            self.query_one("#export-path", Input).value = self._default_path()
        self._say("")

    @on(OptionList.OptionHighlighted, "#export-entries")
    def _selection_moved(self, event: OptionList.OptionHighlighted) -> None:
        self.selection = event.option.id or self.selection
        self._say("")

    @on(OptionList.OptionSelected)
    def _option_chosen(self) -> None:
        self.focus_next()  # Enter on a list moves on, as Tab does

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        if event.value not in self._auto_paths:  # typed by the user: keep it when the format changes
            self._path_edited = True
        self._confirm_replace = None

    @on(Input.Submitted, "#export-path")
    def _write(self, event: Input.Submitted) -> None:
        target = event.value.strip()
        entries = chosen(self.entries, self.selection)
        if not entries:
            self._say(f"No {self.selection} entries to export.", error=True)
            return
        path = Path(target).expanduser()
        if target and path.is_file() and self._confirm_replace != target:
            self._confirm_replace = target
            self._say(f"{target} exists: Enter again replaces it, or change the name.", error=True)
            return
        try:
            replaced = write_export(target, export(entries, self.format))
        except ExportError as exc:
            self._say(str(exc), error=True)
            return
        count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        self.dismiss(f"Wrote {count} as {self.format} to {target}" + (" (replaced the previous file)" if replaced else ""))

    def _say(self, message: str, error: bool = False) -> None:
        self.query_one("#export-message", Static).update(Text(message, style="bold red" if error else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
