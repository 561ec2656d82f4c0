"""What the papers list shows: day → filter → hide read → sort, and when a paper counts as read.

Plain Python, no Textual: the reader screen asks `Library.listing` for the papers of a `View` and
only renders them, and the rule "a paper the cursor rests on is marked read" lives in `ReadAfterRest`
so it is tested without a terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tui.config import SORTS
from tui.loader import LoadCancelled
from tui.model import Digest, Paper, ParseResult
from tui.query import Query
from tui.search import Result, SearchIndex
from tui.store import Store

ALL_DAYS = "all"  # the days pane's first row: every loaded day
NEW_DAY = "new"  # the days pane's "New" row: papers that arrived since the last session
INLINE_SEARCH_MAX = 150_000  # papers; above this a search runs in a cancellable worker thread

DayKey = date | None | str  # a digest day (None: undated files), ALL_DAYS or NEW_DAY


@dataclass(frozen=True, slots=True)
class View:
    """The user's choices that shape the list."""

    day: DayKey = ALL_DAYS
    query: Query = field(default_factory=Query)
    hide_read: bool = False
    sort: str = "digest"


@dataclass(slots=True)
class Listing:
    """The papers to show, in order, and the words to highlight in them."""

    papers: Sequence[Paper]  # a list, or a `Picked` view of a search result (tui.picked)
    highlight: tuple[str, ...] = ()

    @property
    def ids(self) -> list[str]:
        return [p.id for p in self.papers]


def next_sort(sort: str) -> str:
    """The sort after `sort` in the `s` cycle."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)] if sort in SORTS else SORTS[0]


def sort_papers(papers: Sequence[Paper], sort: str, positions: Mapping[str, int] | None = None) -> Sequence[Paper]:
    """Stable sorts: ties keep list order (digest order, or relevance while filtering).

    "for-you" follows `positions` (each paper's place in the for-you order, `tui.rank`); without
    them (not computed yet, or nothing to learn from) the list keeps its order."""
    if sort == "for-you":
        if not positions:
            return papers
        last = len(positions)
        return sorted(papers, key=lambda p: positions.get(p.id, last))
    if sort == "date":
        return sorted(papers, key=lambda p: -(p.published.toordinal() if p.published else 0))
    if sort == "upvotes":
        return sorted(papers, key=lambda p: -(p.upvotes or 0))
    if sort == "title":
        return sorted(papers, key=lambda p: p.title.casefold())
    return papers


class Library:
    """The loaded store and its search index (built once per store, from any thread).

    The store is replaced whole after a load and changed in place by the digest watcher; both go
    through here so the index is never stale.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: SearchIndex | None = None
        self._lock = threading.Lock()
        self.new_ids: list[str] = []  # arrived since the last session (see tui.arrivals)
        self.new_set: frozenset[str] = frozenset()
        self.cache_folder: Path | None = None  # where the abstract word index is kept (tui.wordcache)

    def set_new(self, ids: list[str]) -> None:
        self.new_ids, self.new_set = ids, frozenset(ids)

    @staticmethod
    def load(
        paths: Iterable[str], max_bytes: int, parsed: Iterable[ParseResult] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[Store, list[Digest]]:
        """The one way the reader fills a store: from results parsed ahead (`tui.preload`), or by
        reading `paths`. Warms the store's views so the UI thread never computes them.

        Raises `LoadCancelled` between two files once `cancelled()` is true (the reader quit)."""

        def check(_done: int, _total: int) -> None:
            if cancelled():
                raise LoadCancelled

        store = Store(max_bytes=max_bytes)
        digests = store.add_all(parsed) if parsed is not None else store.load(paths, progress=check)
        store.days()
        store.all_ids()
        return store, digests

    def replace(self, store: Store) -> None:
        with self._lock:
            self.store = store
            self._index = None

    def apply(self, changed: Iterable[ParseResult], removed: Iterable[Path]) -> None:
        """Files the watcher saw change or vanish."""
        with self._lock:
            for path in removed:
                self.store.remove_path(path)
            for result in changed:
                self.store.add(result)
            self._index = None

    @property
    def index_ready(self) -> SearchIndex | None:
        return self._index

    def index(self) -> SearchIndex:
        """The search index over every paper; built on first use (call from a worker thread)."""
        with self._lock:
            if self._index is None:
                store = self.store
                self._index = SearchIndex([store.papers[i] for i in store.all_ids()])
            return self._index

    def scope(self, day: DayKey) -> list[str] | None:
        """The ids of `day` in digest order (None: every paper)."""
        return None if day == ALL_DAYS else self.ids_for(day)

    def ids_for(self, day: DayKey) -> list[str]:
        """The ids of a days-pane row: a day, every paper, or the new ones."""
        return list(self.new_ids) if day == NEW_DAY else list(self.store.ids_for(day))

    def search_inline(self, query: Query) -> bool:
        """Whether a search is quick enough to run on the UI thread (~10 ms): a thread hop plus a
        wake-up of the UI loop would cost more."""
        return query.empty or (self._index is not None and len(self._index.ids) <= INLINE_SEARCH_MAX)

    def match(
        self,
        view: View,
        is_read: Callable[[str], bool],
        is_queued: Callable[[str], bool],
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Result:
        """Step 1-2: the day's papers, filtered (best match first). Raises `search.Cancelled`."""
        if view.query.empty:
            return Result(self.ids_for(view.day), (), view.query)
        return self.index().search(view.query, self.scope(view.day), is_read, is_queued, cancelled=cancelled)

    def finish(
        self, result: Result, view: View, is_read: Callable[[str], bool], positions: Mapping[str, int] | None = None
    ) -> Listing:
        """Step 3-4: drop read papers when asked, then sort (stable: ties keep relevance order)."""
        if result.papers is not None and result.source is not None and result.source is self._index:
            items = result.papers  # found by the current index: the store has not changed since
        else:
            items = list(filter(None, map(self.store.papers.get, result.ids)))
        if view.hide_read:
            items = [p for p in items if not is_read(p.id)]
        return Listing(sort_papers(items, view.sort, positions), result.highlight)

    def listing(self, view: View, is_read: Callable[[str], bool], is_queued: Callable[[str], bool]) -> Listing:
        """The whole pipeline in one call."""
        return self.finish(self.match(view, is_read, is_queued), view, is_read)


@dataclass(slots=True)
class ReadAfterRest:
    """A paper is marked read once the cursor has rested on it for `delay` seconds while the user
    is reading (the papers list or the abstract has focus) — never at launch before the first key,
    never while typing a filter. The screen runs the timer; this decides."""

    delay: float
    interacted: bool = False  # set by the first key press
    pending: str | None = None  # the paper a timer runs for

    def moved(self, paper_id: str | None, reading: bool, is_read: Callable[[str], bool]) -> bool:
        """The cursor is on `paper_id` now: True to start a timer of `delay` (any old one stops)."""
        wanted = (
            paper_id is not None and self.interacted and reading and self.delay > 0 and not is_read(paper_id)
        )
        self.pending = paper_id if wanted else None
        return wanted

    def rested(self, current_id: str | None, reading: bool, is_read: Callable[[str], bool]) -> str | None:
        """The timer fired: the id to mark read, if the user is still reading that paper."""
        paper_id, self.pending = self.pending, None
        if paper_id is not None and reading and current_id == paper_id and not is_read(paper_id):
            return paper_id
        return None

    def cancel(self) -> None:
        self.pending = None
