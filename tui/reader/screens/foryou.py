"""The reader screen's side of the "for you" sort (a base of `ReaderScreen`).

The model lives in `tui.rank` (plain Python); here the screen gathers what it learns from (the
queue and the "not for me" marks, read on the UI thread that owns them), asks a thread worker for
a new order when those or the papers change, and shows the order, its reasons and its fallback.
Nothing here imports numpy: the worker does, the first time the order is wanted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import work
from textual.worker import get_current_worker

from tui.listing import View
from tui.model import Paper
from tui.queue import QueueEntry
from tui.rank.examples import Example, from_papers, from_queue
from tui.rank.live import RANKING, ForYou, Order
from tui.reader.screens.library import LibraryScreen

FOR_YOU = "for-you"


class ForYouScreen(LibraryScreen):
    """Keeps `for_you_order` (each paper's place) current while the sort is "for-you"."""

    view: View

    def __init__(self) -> None:
        super().__init__()
        self.for_you = ForYou()
        self.for_you_order = Order()
        self._for_you_asked: tuple[Any, ...] | None = None  # (ids list, positives, negatives)
        self._for_you_pending = False

    def current_paper(self) -> Paper | QueueEntry | None:
        raise NotImplementedError

    def refresh_abstract(self) -> None:
        raise NotImplementedError

    def user_data_changed(self) -> None:
        raise NotImplementedError

    # -- asking for an order ------------------------------------------------------------------

    def examples(self) -> tuple[tuple[Example, ...], tuple[Example, ...]]:
        """Positives: the queue, every status. Negatives: loaded papers marked not for me (a queued
        paper is never also a negative: queueing it again says you want it)."""
        app = self.papertray
        positives = tuple(from_queue(app.queue.entries(include_done=True)))
        queued = {e.id for e in positives}
        papers = self.store.papers
        marked = sorted(i for i in app.not_for_me.ids if i in papers and i not in queued)
        return positives, tuple(from_papers(papers[i] for i in marked))

    def want_for_you(self) -> None:
        """Ask the worker for a new order if the sort is for-you and the papers or examples changed."""
        if self.view.sort != FOR_YOU or not self.loaded:
            return
        ids = self.store.all_ids()
        positives, negatives = self.examples()
        asked = self._for_you_asked
        if asked is not None and asked[0] is ids and asked[1] == positives and asked[2] == negatives:
            return
        key = (ids, positives, negatives)
        self._for_you_asked = key
        self._for_you_pending = True
        self.rank_for_you(list(self.store.papers.values()), ids, positives, negatives, key)

    @work(thread=True, exclusive=True, group="for-you")
    def rank_for_you(
        self, papers: list[Paper], ids: list[str], positives: Sequence[Example], negatives: Sequence[Example],
        key: tuple[Any, ...],
    ) -> None:
        """Index new papers, learn, order: off the UI thread (a newer request supersedes this one)."""
        worker = get_current_worker()
        order = self.for_you.update(papers, ids, positives, negatives)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._for_you_ready, order, key)

    def _for_you_ready(self, order: Order, key: tuple[Any, ...]) -> None:
        if not self.alive or key is not self._for_you_asked:
            return  # a newer request is on its way
        self.for_you_order = order
        self._for_you_pending = False
        if self.view.sort == FOR_YOU:
            current = self.papers_pane.current
            self.refresh_papers(keep=current.id if current else None)
            self.refresh_abstract()

    # -- showing it ---------------------------------------------------------------------------

    def for_you_positions(self) -> dict[str, int] | None:
        """The places to sort by (the last order while a newer one is computed), or None."""
        return self.for_you_order.positions if self.view.sort == FOR_YOU else None

    def sort_label(self) -> str:
        """The status bar's sort: says when the for-you order is not (yet) in effect, and why."""
        if self.view.sort != FOR_YOU:
            return self.view.sort
        if self.for_you_order.reason and not self._for_you_pending:
            return f"for you → digest order ({self.for_you_order.reason})"
        if self._for_you_pending:
            return f"for you ({RANKING})" if not self.for_you_order.positions else "for you (updating…)"
        return "for you"

    def why_lines(self, paper_id: str) -> list[str] | None:
        """The abstract pane's "For you" lines for a paper (None: not in the for-you sort)."""
        if self.view.sort != FOR_YOU:
            return None
        if self._for_you_pending and not self.for_you_order.positions:
            return [RANKING]
        if self.for_you_order.reason:
            return [f"digest order: {self.for_you_order.reason}"]
        return self.for_you.explain(paper_id) or [RANKING]

    # -- teaching -------------------------------------------------------------------------------

    def action_toggle_not_for_me(self) -> None:
        item = self.current_paper()
        if item is None:
            return
        marks = self.papertray.not_for_me
        on = marks.toggle(item.id, item.title)
        if marks.last_error:
            self.notify(marks.last_error, severity="error", timeout=10, markup=False)
        elif on:
            self.notify(f"Not for me: {item.title} (the for-you order learns from it)", markup=False, timeout=3)
        else:
            self.notify(f"Cleared not for me: {item.title}", markup=False, timeout=3)
        self.user_data_changed()
        self.refresh_abstract()
