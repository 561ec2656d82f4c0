"""The abstract pane: a paper's title, full metadata, wrapped abstract, links and digests."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.matching import highlight_spans
from tui.model import LINK_ORDER, Kind, Paper
from tui.queue import QueueEntry
from tui.reader.bindings import bindings
from tui.reader.widgets.days import day_label
from tui.reader.widgets.vlist import set_virtual_height

# The pane lays out what it shows in one go; a runaway abstract (an 8 MB line, cut to 200k characters
# at ingestion) would cost most of a second per cursor move, so it shows the start of it.
ABSTRACT_SHOWN = 20_000

LINK_NAMES = {"arxiv": "arXiv", "pdf": "PDF", "hf": "Hugging Face", "github": "GitHub", "project": "Project page"}


def ordered_links(links: Mapping[str, str]) -> list[tuple[str, str]]:
    """Links in a fixed, predictable order: arXiv, PDF, HF, GitHub, project, then the rest."""
    out = [(k, links[k]) for k in LINK_ORDER if k in links]
    out += [(k, v) for k, v in links.items() if k not in LINK_ORDER]
    return out


class AbstractPane(ScrollView, can_focus=True):
    """Shows one paper (or queue entry). Digits 1-9 open the numbered links.

    Rendered once per paper into lines at the pane's width and drawn with the Line API, so showing
    another paper repaints this pane only: a widget whose height follows its text would re-lay out
    the whole screen on every cursor move.
    """

    # The lists' movement keys (`tui.keys`, scope "list") scroll here; digits open links.
    BINDINGS = [
        *bindings("list"),
        *[Binding(str(n), f"screen.open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)],
    ]
    DEFAULT_CSS = "AbstractPane { overflow-x: hidden; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.links: list[tuple[str, str]] = []
        self._renderable: RenderableType = Text("")
        self._lines: list[Strip] = []
        self._width = 0

    @property
    def text_lines(self) -> list[str]:
        """Every line of the current text as drawn (visible or not): for tests and tools."""
        return [strip.text for strip in self._lines]

    def _set(self, renderable: RenderableType) -> None:
        self._renderable = renderable
        self._layout_lines()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _layout_lines(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0:
            self._lines, self._width = [], 0
            return
        console = self.app.console
        options = console.options.update(width=width, height=None, highlight=False, markup=False)
        self._lines = [Strip(line) for line in console.render_lines(self._renderable, options, pad=False)]
        self._width = width
        set_virtual_height(self, Size(width, len(self._lines)))

    def on_resize(self) -> None:
        if (self.scrollable_content_region.width or self.size.width) != self._width:
            self._layout_lines()
            self.refresh()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width or self.size.width
        base = self.rich_style
        if 0 <= index < len(self._lines):
            return self._lines[index].adjust_cell_length(width, base).apply_style(base)
        return Strip.blank(width, base)

    # -- the list movement actions, as scrolling -----------------------------------------------

    def action_cursor(self, delta: int) -> None:
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False)

    def action_first(self) -> None:
        self.scroll_home(animate=False)

    def action_last(self) -> None:
        self.scroll_end(animate=False)

    def action_page(self, direction: int) -> None:
        if direction > 0:
            self.scroll_page_down(animate=False)
        else:
            self.scroll_page_up(animate=False)

    def show_nothing(self, message: str = "No paper selected.") -> None:
        self.links = []
        self._set(Text(message, style="italic"))

    def show_paper(
        self, paper: Paper, words: tuple[str, ...] = (), queue: QueueEntry | None = None, why: list[str] | None = None
    ) -> None:
        """Render a paper from the store (the richest view), with the user's queue note if any and,
        in the for-you sort, why it ranks where it does (`why`, plain lines)."""
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
        self._show(paper.title, meta, paper.abstract, paper.links, digests, words, why)

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
        links: Mapping[str, str],
        digests: list[str],
        words: tuple[str, ...],
        why: list[str] | None = None,
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
        body = Text(abstract[:ABSTRACT_SHOWN] or "(no abstract in this digest)", style="" if abstract else "italic dim")
        _mark(body, words, match)
        if len(abstract) > ABSTRACT_SHOWN:
            body.append(f" …\n(the abstract goes on: {len(abstract):,} characters; the first {ABSTRACT_SHOWN:,} are shown)",
                        style="italic dim")
        self.links = ordered_links(links)
        link_text = Text()
        for n, (name, url) in enumerate(self.links, start=1):
            label = LINK_NAMES.get(name, "Link")
            link_text.append(f"{n:>2} ", style="bold")
            link_text.append(f"{label:<13}", style="dim")
            link_text.append(url, style=Style(link=url, underline=True))
            link_text.append("\n")
        parts: list[Text] = [heading, Text(""), rows]
        if why:  # above the abstract: the reason is what the for-you sort is read for
            parts += [Text("For you", style="bold dim"), Text("\n".join(why)), Text("")]
        parts += [body, Text("")]
        if self.links:
            parts += [Text("Links (press the number to open)", style="bold dim"), link_text]
        if digests:
            parts += [Text("Seen in", style="bold dim"), Text("\n".join(digests))]
        self._set(Group(*parts))


def _mark(text: Text, words: tuple[str, ...], style: Style) -> None:
    for start, end in highlight_spans(text.plain, words):
        text.stylize(style, start, end)
