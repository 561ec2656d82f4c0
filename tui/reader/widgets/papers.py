"""The papers pane: one row per paper, virtual, with marks, byline, date, upvotes and kind."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter

from rich.text import Text

from tui.model import Kind, Paper
from tui.picked import Picked
from tui.reader.bindings import bindings
from tui.reader.widgets.rows import fit, highlighted, short_date
from tui.reader.widgets.vlist import VirtualList

_ID = attrgetter("id")
TOP = "\x00top"  # a `keep` value meaning "start at the first row" (never a paper id)
KIND_LABEL = {Kind.NEW: "", Kind.CROSS_LIST: "cross", Kind.REPLACED: "repl"}
QUEUE_MARK = {"to-read": "+", "reading": "»", "done": "✓"}


class PapersPane(VirtualList):
    """The papers of the chosen day (or all days), filtered and sorted by the app.

    The pane keeps the cursor on the same paper whenever its list is replaced.
    """

    BINDINGS = bindings("papers")
    COMPONENT_CLASSES = VirtualList.COMPONENT_CLASSES | {
        "papers--unread", "papers--meta", "papers--queued", "papers--new"}
    DEFAULT_CSS = """
    PapersPane > .papers--unread { text-style: bold; }
    PapersPane > .papers--new { color: $accent; text-style: bold; }
    PapersPane > .papers--meta { color: $text-muted; }
    PapersPane > .papers--queued { color: $text-success; text-style: bold; }
    """
    empty_text = "No papers match."

    def __init__(
        self,
        is_read: Callable[[str], bool],
        queue_status: Callable[[str], str | None],
        is_new: Callable[[str], bool] = lambda _id: False,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.papers: Sequence[Paper] = []  # a list, or a search result's `Picked` view
        self.highlight: tuple[str, ...] = ()
        # Columns that only some digests fill (upvotes: HF; kind: arXiv); set by the app per store.
        self.show_votes = True
        self.show_kind = True
        self._ids: list[str] | None = None
        self._is_read = is_read
        self._queue_status = queue_status
        self._is_new = is_new

    @property
    def ids(self) -> list[str]:
        """The listed ids, in order (made once per list: `n`/`p`/`X` at 100k rows)."""
        if self._ids is None or len(self._ids) != len(self.papers):
            self._ids = list(map(_ID, self.papers))
        return self._ids

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.papers):
            return self.papers[self.cursor]
        return None

    def set_papers(
        self, papers: Sequence[Paper], highlight: tuple[str, ...] = (), keep: str | None = None, top_if_gone: bool = False
    ) -> None:
        """Replace the list; the cursor follows paper `keep` (default: the current one) if still listed,
        else stays at its row (or goes to the top when `top_if_gone`: a different day)."""
        keep_id = keep if keep is not None else (self.current.id if self.current else None)
        old_index = self.cursor
        if keep_id == TOP:  # start at the best match
            keep_id, old_index, top_if_gone = None, 0, True
        old_papers = self.papers
        self.papers = papers if isinstance(papers, Picked) else list(papers)
        self._ids = None
        self.highlight = highlight
        index = None
        if keep_id is not None:
            try:  # map+index run in C: ~2 ms at 100k rows, where a Python loop took ~10
                index = self.ids.index(keep_id)
            except ValueError:
                index = None
        if index is None and not top_if_gone and old_papers:
            index = _neighbour(old_papers, old_index, self.papers)
        if index is None:
            index = 0 if top_if_gone else min(old_index, len(self.papers) - 1)
        self.set_row_count(len(self.papers), cursor=index)

    def row_text(self, index: int, width: int) -> Text:
        paper = self.papers[index]
        read = self._is_read(paper.id)
        status = self._queue_status(paper.id)
        meta_style = self.get_component_rich_style("papers--meta")
        row = Text(no_wrap=True, end="")
        if self._is_new(paper.id):  # arrived since the last session
            row.append("✦ ", style=meta_style if read else self.get_component_rich_style("papers--new"))
        else:
            row.append("  " if read else "● ", style=meta_style if read else self.get_component_rich_style("papers--unread"))
        row.append(f"{QUEUE_MARK.get(status or '', ' ')} ", style=self.get_component_rich_style("papers--queued"))
        # Right-hand columns shrink away on narrow terminals: title matters most.
        kind = KIND_LABEL.get(paper.kind, "")
        date_text = short_date(paper.published or (paper.digests[0].date if paper.digests else None))
        votes = "" if paper.upvotes is None else f"▲{paper.upvotes}"
        columns: list[tuple[str, int]] = []
        if width >= 72:
            by_w = 16 if width < 110 else 24
            columns.append((fit(paper.byline, by_w), by_w))
        if width >= 50:
            columns.append((fit(date_text, 10), 10))
        if width >= 60 and self.show_votes:
            columns.append((fit(votes, 5), 5))
        if width >= 96 and self.show_kind:
            columns.append((fit(kind, 5), 5))
        right = sum(w + 1 for _, w in columns)
        title_width = max(10, width - 4 - right)
        title_style = "" if read else self.get_component_rich_style("papers--unread")
        if read:
            title_style = meta_style
        title = highlighted(paper.title, self.highlight, title_style, self.get_component_rich_style("vlist--match"))
        title.truncate(title_width, overflow="ellipsis", pad=True)
        row.append_text(title)
        for text, _w in columns:
            row.append(" ")
            row.append(text, style=meta_style)
        return row


def _neighbour(old: Sequence[Paper], at: int, new: Sequence[Paper]) -> int | None:
    """Where the cursor goes when its paper left the list: the next paper after it that is still
    listed (else the one before), so hiding read papers doesn't skip unread ones."""
    where = {id(p): i for i, p in enumerate(new)}
    for p in old[at + 1 :]:
        if id(p) in where:
            return where[id(p)]
    for p in reversed(old[:at]):
        if id(p) in where:
            return where[id(p)]
    return None
