"""Command palette provider: "go to paper" over every loaded title (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content


class PaperCommands(Provider):
    """Fuzzy-match paper titles; choosing one shows it in the list (all days, filter cleared)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        store = getattr(app, "store", None)
        if store is None or len(query) < 2:
            return
        index = app._get_index()  # built in the background after loading; cheap once built
        from tui.search import parse_query

        result = index.search(parse_query(query))
        for rank, pid in enumerate(result.ids[:40]):
            paper = store.get(pid)
            if paper is None:
                continue
            # Content(...) is never parsed as markup, whatever the title contains. (Matcher.highlight
            # would parse it: never hand it digest text.) Scores stay below a matching command's,
            # so typing "theme" lists the Theme command before papers that mention themes.
            label = Content("Go to paper: ") + Content(paper.title)
            yield Hit(0.3 - rank * 0.001, label, partial(app.go_to_paper, pid), text=paper.title, help=Content(paper.byline))

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content("Go to paper… (type a title)"), lambda: None, help=Content("Type two or more letters to search titles"))


def app_commands(app: App) -> Iterable[SystemCommand]:
    """Every papertray action for the palette, with its key in the help text."""
    from tui.app import SORTS

    yield SystemCommand("Filter papers", "Focus the filter bar (/)", app.action_filter)
    yield SystemCommand("Clear filter", "Show every paper of the day again", app.action_clear_filter)
    yield SystemCommand("Queue or unqueue paper", "Toggle the current paper in the reading queue (a)", app.action_toggle_queue)
    yield SystemCommand("Toggle read", "Mark the current paper read or unread (x)", app.action_toggle_read)
    yield SystemCommand("Open paper in browser", "Open the paper's main link (o)", app.action_open)
    yield SystemCommand("Copy link", "Copy the paper's link to the clipboard (y)", app.action_copy_link)
    yield SystemCommand("Cycle sort", f"Sort by {', '.join(SORTS)} (s)", app.action_cycle_sort)
    yield SystemCommand("Show or hide read papers", "Toggle hiding read papers (u)", app.action_toggle_hide_read)
    yield SystemCommand("Next day", "Step to the next (newer) day (])", lambda: app.action_step_day(-1))
    yield SystemCommand("Previous day", "Step to the previous (older) day ([)", lambda: app.action_step_day(1))
    yield SystemCommand("All days", "Show papers of every day", lambda: app.days_pane.move_to(0))
    yield SystemCommand("Show or hide done queue entries", "Toggle done entries in the queue (D)", app.queue_pane.action_toggle_done)
    yield SystemCommand("Abstract pane width", "Cycle normal, wide, hidden (w)", app.action_cycle_abstract)
    yield SystemCommand("Help", "Every key and the filter syntax (?)", app.action_help)
