"""Asked on quit while changes are not on disk: retry, save the queue elsewhere, or discard."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

RESCUE_NAME = "papertray-queue-rescue.toml"


class UnsavedScreen(ModalScreen[str | None]):
    """Dismissed with "retry", "elsewhere:<path>" or "discard"; None (Esc) keeps the reader open.

    The app does the writing and shows this screen again, with the new reason, if it failed:
    quitting never drops a change the user did not choose to drop.
    """

    BINDINGS = [
        Binding("r", "choose('retry')", "Retry"),
        Binding("e", "elsewhere", "Save elsewhere"),
        Binding("d", "choose('discard')", "Discard"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, reason: str, default_path: Path) -> None:
        super().__init__()
        self.reason = reason
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="unsaved-box"):
            yield Static(Text("Some changes are not saved", style="bold"), id="unsaved-title")
            yield Static(Text(self.reason), id="unsaved-reason")
            yield Static(
                Text("r  retry the save    e  save the queue elsewhere    d  discard and quit    Esc  back"),
                id="unsaved-keys",
            )

    def _path_box(self) -> Input | None:
        found = self.query("#unsaved-path")
        return found.first(Input) if found else None

    def action_choose(self, choice: str) -> None:
        if self._path_box() is None:
            self.dismiss(choice)

    def action_elsewhere(self) -> None:
        if self._path_box() is None:  # mounted only now, so letter keys never land in it before
            box = Input(value=str(self.default_path), id="unsaved-path")
            self.query_one("#unsaved-box").mount(box)
            box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        if path:
            self.dismiss(f"elsewhere:{path}")

    def action_cancel(self) -> None:
        box = self._path_box()
        if box is not None:
            box.remove()
        else:
            self.dismiss(None)
