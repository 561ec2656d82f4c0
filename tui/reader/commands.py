"""The command palette (Ctrl+P): every reader action with its key, and "go to paper" over every title."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.keys import ACTIONS, split_keys
from tui.query import parse_query

if TYPE_CHECKING:
    from tui.reader.screens.reader import ReaderScreen


def literal(text: str) -> str:
    """Digest text for a hit's `help`, which the palette reads with `Content.from_markup`: that
    keeps a `Content` as it is, so the text is never parsed as markup. (`help` is annotated `str`.)"""
    return cast(str, Content(text))


class PaperCommands(Provider):
    """Fuzzy-match paper titles; choosing one shows it in the list (all days, filter cleared)."""

    async def search(self, query: str) -> Hits:
        reader: ReaderScreen | None = getattr(self.app, "reader", None)
        if reader is None or len(query) < 2:
            return
        library = reader.library
        index = library.index()  # built in the background after loading; cheap once built
        result = index.search(parse_query(query))
        for rank, pid in enumerate(result.ids[:40]):
            paper = library.store.get(pid)
            if paper is None:
                continue
            # Content(...) is never parsed as markup, whatever the title contains. (Matcher.highlight
            # would parse it: never hand it digest text.) Scores stay below a matching command's,
            # so typing "theme" lists the Theme command before papers that mention themes.
            label = Content("Go to paper: ") + Content(paper.title)
            yield Hit(0.3 - rank * 0.001, label, partial(reader.go_to_paper, pid), text=paper.title,
                      help=literal(paper.byline))

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content("Go to paper… (type a title)"), lambda: None,
                           help="Type two or more letters to search titles")


def reader_commands(
    reader: ReaderScreen, keymap: dict[str, str], key_display: Callable[[Binding], str]
) -> Iterable[SystemCommand]:
    """Every action of `tui.keys` that has a palette title, with the key in force in its help."""
    for action in ACTIONS:
        if not action.palette:
            continue
        keys = split_keys(keymap.get(action.id, action.keys))
        shown = " / ".join(key_display(Binding(k, action.action)) for k in keys)
        target = reader.app if action.scope == "app" else reader.queue_pane if action.scope == "queue" else reader
        yield SystemCommand(action.palette, f"{action.description} ({shown})", partial(target.run_action, action.action))
    yield SystemCommand("Clear filter", "Show every paper of the day again", reader.action_clear_filter)
    yield SystemCommand("All days", "Show papers of every day", reader.action_show_all_days)
