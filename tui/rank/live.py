"""The "for you" order as a long-lived service for the reader (plain Python, no Textual).

The reader gathers the examples on its UI thread (the queue and the marks belong to it) and calls
`update` from a worker thread: the first call imports numpy and indexes every paper, later calls
only index papers not seen before and re-score. `explain` never blocks: while a worker holds the
model it returns None and the reader shows the reason once the order arrives.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.rank.examples import Example, PaperLike

if TYPE_CHECKING:
    from tui.rank.ranker import Ranker

RANKING = "ranking…"


@dataclass(frozen=True, slots=True)
class Order:
    """A finished order: each paper's place (empty when it fell back) and why it fell back."""

    positions: dict[str, int] = field(default_factory=dict)
    reason: str | None = None

    @property
    def personalised(self) -> bool:
        return self.reason is None and bool(self.positions)


class ForYou:
    """One model for the reader's lifetime, updated in place as papers and examples change."""

    def __init__(self) -> None:
        self._ranker: Ranker | None = None

    def update(
        self,
        papers: Iterable[PaperLike],
        ids: Sequence[str],
        positives: Sequence[Example],
        negatives: Sequence[Example],
    ) -> Order:
        """Index new papers, learn the examples, order `ids` (every paper). Call from a worker."""
        if self._ranker is None:
            from tui.rank.ranker import Ranker  # numpy: first use only, never on the start-up path

            self._ranker = Ranker()
        self._ranker.add_papers(papers)
        self._ranker.teach(positives, negatives)
        ranking = self._ranker.rank(ids)
        if ranking.reason:
            return Order({}, ranking.reason)
        return Order(dict(zip(ranking.ids, range(len(ranking.ids)), strict=True)))

    def explain(self, pid: str) -> list[str] | None:
        """Why `pid` is where it is, as plain lines; None while the model is busy or not built."""
        if self._ranker is None:
            return None
        why = self._ranker.explain(pid, wait=False)
        return None if why is None else why.lines()
