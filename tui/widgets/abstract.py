"""The abstract pane: a paper's title, full metadata, wrapped abstract, links and digests."""

from __future__ import annotations

from rich.console import Group
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.model import LINK_ORDER, Kind, Paper
from tui.queue import QueueEntry
from tui.search import highlight_spans
from tui.widgets.days import day_label

LINK_NAMES = {"arxiv": "arXiv", "pdf": "PDF", "hf": "Hugging Face", "github": "GitHub", "project": "Project page"}


def ordered_links(links: dict[str, str] | object) -> list[tuple[str, str]]:
    """Links in a fixed, predictable order: arXiv, PDF, HF, GitHub, project, then the rest."""
    items = dict(links)  # type: ignore[call-overload]
    out = [(k, items[k]) for k in LINK_ORDER if k in items]
    out += [(k, v) for k, v in items.items() if k not in LINK_ORDER]
    return out


class AbstractPane(VerticalScroll, can_focus=True):
    """Shows one paper (or queue entry). Digits 1-9 open the numbered links."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
        Binding("space", "page_down", "Page down", show=False),
        *[Binding(str(n), f"app.open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)],
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.body = Static(id="abstract-body")
        self.links: list[tuple[str, str]] = []

    def compose(self):
        yield self.body

    def show_nothing(self, message: str = "No paper selected.") -> None:
        self.links = []
        self.body.update(Text(message, style="italic"))

    def show_paper(self, paper: Paper, words: tuple[str, ...] = (), queue: QueueEntry | None = None) -> None:
        """Render a paper from the store (the richest view), with the user's queue note if any."""
        meta: list[tuple[str, str]] = []
        if paper.authors:
            meta.append(("Authors", ", ".join(paper.authors)))
        elif paper.author_count is not None:
            meta.append(("Authors", f"{paper.author_count} authors"))
        if paper.organization:
            meta.append(("Organisation", paper.organization))
        if paper.published:
            meta.append(("Published", paper.published.isoformat()))
        if paper.upvotes is not None:
            meta.append(("Upvotes", str(paper.upvotes)))
        if paper.num_comments:
            meta.append(("Comments", f"{paper.num_comments} on Hugging Face"))
        if paper.categories:
            meta.append(("Categories", " ".join(paper.categories)))
        if paper.kind is not Kind.NEW:
            meta.append(("Kind", paper.kind.value))
        if paper.comments:
            meta.append(("Notes", paper.comments))
        meta.append(("Id", paper.id))
        if queue is not None:
            meta.append(("Queue", queue.status + (f" — {queue.note}" if queue.note else "")))
        digests = [
            f"{day_label(d.date)}  {d.path.name}  ({d.format.value if d.format else '?'})" for d in paper.digests
        ]
        self._show(paper.title, meta, paper.abstract, paper.links, digests, words)

    def show_entry(self, entry: QueueEntry) -> None:
        """Render a queue entry whose digest is no longer loaded (the entry is self-contained)."""
        meta = []
        if entry.byline or entry.authors:
            meta.append(("Authors", ", ".join(entry.authors) or entry.byline))
        if entry.published:
            meta.append(("Published", entry.published.isoformat()))
        if entry.categories:
            meta.append(("Categories", " ".join(entry.categories)))
        meta.append(("Id", entry.id))
        meta.append(("Queue", entry.status + (f" — {entry.note}" if entry.note else "")))
        src = []
        if entry.source is not None:
            src.append(f"{day_label(entry.source.date)}  {entry.source.path}  (not loaded now)")
        self._show(entry.title, meta, entry.abstract, entry.links, src, ())

    def _show(
        self,
        title: str,
        meta: list[tuple[str, str]],
        abstract: str,
        links: object,
        digests: list[str],
        words: tuple[str, ...],
    ) -> None:
        match = Style(bold=True, underline=True, color="bright_yellow" if self.app.current_theme.dark else "dark_orange3")
        heading = Text(title, style="bold")
        _mark(heading, words, match)
        rows = Text()
        label_w = max(len(k) for k, _ in meta) if meta else 0
        for k, v in meta:
            rows.append(f"{k:<{label_w}}  ", style="dim")
            rows.append(v)
            rows.append("\n")
        body = Text(abstract or "(no abstract in this digest)", style="" if abstract else "italic dim")
        _mark(body, words, match)
        self.links = ordered_links(links)
        link_text = Text()
        for n, (name, url) in enumerate(self.links, start=1):
            label = LINK_NAMES.get(name, "Link")
            link_text.append(f"{n:>2} ", style="bold")
            link_text.append(f"{label:<13}", style="dim")
            link_text.append(url, style=Style(link=url, underline=True))
            link_text.append("\n")
        parts: list[Text] = [heading, Text(""), rows, body, Text("")]
        if self.links:
            parts += [Text("Links (press the number to open)", style="bold dim"), link_text]
        if digests:
            parts += [Text("Seen in", style="bold dim"), Text("\n".join(digests))]
        self.body.update(Group(*parts))
        self.scroll_home(animate=False)


def _mark(text: Text, words: tuple[str, ...], style: Style) -> None:
    for start, end in highlight_spans(text.plain, words):
        text.stylize(style, start, end)
