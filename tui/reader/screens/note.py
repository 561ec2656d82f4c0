"""A small modal for editing a queue entry's note."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NoteScreen(ModalScreen[str | None]):
    """Enter saves the note (empty clears it); Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, note: str, *, placeholder: str = "") -> None:
        super().__init__()
        self.paper_title = title
        self.note = note
        self.placeholder = placeholder or "a note for this paper (Enter saves, Esc cancels)"
        # A heading that is a whole question (saving a search) is shown as given.
        self.heading = title if title.endswith(":") else f"Note for: {title}"

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(Text(self.heading, style="bold"), id="note-title")
            yield Input(value=self.note, placeholder=self.placeholder, id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
