"""Command palette provider: "go to paper" over every loaded title (Ctrl+P)."""

from __future__ import annotations

from functools import partial

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
        for pid in result.ids[:40]:
            paper = store.get(pid)
            if paper is None:
                continue
            # Content(...) is never parsed as markup, whatever the title contains.
            label = Content("Go to paper: ") + Content(paper.title)
            yield Hit(100.0, label, partial(app.go_to_paper, pid), text=paper.title, help=Content(paper.byline))

    async def discover(self) -> Hits:
        yield DiscoveryHit(Content("Go to paper… (type a title)"), lambda: None, help=Content("Type two or more letters to search titles"))
