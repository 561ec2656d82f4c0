"""The reader's export actions: the export dialog, and copying a paper's BibTeX entry, citation
key or arXiv id. A mixin of `ReaderScreen`; the keys are in `tui.keys` (scope "reader")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tui.clipboard import Route, copy_with_tool, route
from tui.export import export, facts
from tui.model import Paper
from tui.queue import QueueEntry

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.reader.app import PapertrayApp

    _ScreenBase = Screen[None]
else:
    _ScreenBase = object


class ExportActions(_ScreenBase):
    """Needs `current_paper()` and `papertray` from the screen it is mixed into (`ReaderScreen`)."""

    if TYPE_CHECKING:
        papertray: PapertrayApp

        def current_paper(self) -> Paper | QueueEntry | None: ...

    def _current_entry(self) -> QueueEntry | None:
        item = self.current_paper()
        if item is None:
            return None
        return item if isinstance(item, QueueEntry) else QueueEntry.from_paper(item)

    def action_copy_bibtex(self) -> None:
        entry = self._current_entry()
        if entry is not None:
            self.copy_text(export([entry], "bibtex"), "BibTeX entry", facts.keys([entry])[0])

    def action_copy_key(self) -> None:
        entry = self._current_entry()
        if entry is not None:
            key = facts.keys([entry])[0]
            self.copy_text(key, "citation key", key)

    def action_copy_id(self) -> None:
        entry = self._current_entry()
        if entry is None:
            return
        if entry.arxiv_id is None:
            self.notify("This paper has no arXiv id.", severity="warning", markup=False)
            return
        self.copy_text(entry.arxiv_id, "arXiv id", entry.arxiv_id)

    def copy_text(self, text: str, noun: str, name: str) -> None:
        """Copy by the route this environment allows (`tui.clipboard`); say when it cannot."""
        how: Route = getattr(self.papertray, "clipboard_route", None) or route(os.environ)
        if how.kind == "tool":
            problem = copy_with_tool(how.argv, text)
            if not problem:
                self.papertray.copy_to_clipboard(text)  # keeps the app's own copy in step
                self.notify(f"Copied {noun} {name}", markup=False, timeout=3)
                return
            how = Route("none", why=problem)
        if how.kind == "osc52":
            self.papertray.copy_to_clipboard(text)
            self.notify(f"Copied {noun} {name} (through the terminal)", markup=False, timeout=3)
            return
        self.notify(f"Not copied: {how.why}. The {noun}:\n{text}",
                    severity="warning", markup=False, timeout=30)

    def action_export_queue(self) -> None:
        from tui.reader.screens.export import ExportScreen

        entries = self.papertray.queue.entries(include_done=True)
        if not entries:
            self.notify("The queue is empty: queue papers with a first.", severity="warning", markup=False)
            return

        def done(message: str | None) -> None:
            if message:
                self.notify(message, markup=False, timeout=6)

        folder = Path(os.getcwd())
        self.papertray.push_screen(ExportScreen(entries, folder), done)
