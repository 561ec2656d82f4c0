"""Typos in abstract words: the words of every abstract (3+ letters), by length, to match a
filter word against ("transfromer" finds abstracts saying "transformer").

Built once per index. From the abstract word index when it is in (its vocabulary already holds
every word); else from the abstracts themselves, 500 at a time, so a search and the background
warm-up can share the work from two threads and neither holds the interpreter for long.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from tui.wordindex import WordIndex

_ALPHA_WORD = re.compile(r"[^\W\d_]{3,}")
SLICE = 50_000  # words grouped per step (and ~8 characters each read per step from a vocabulary)


class AbstractVocabulary:
    """Every distinct run of 3+ letters in `abstracts` (folded), grouped by length."""

    def __init__(self, abstracts: Sequence[str], words: Callable[[], WordIndex | None]) -> None:
        self.abstracts = abstracts
        self._words = words  # the abstract word index, once there is one
        self._seen: set[str] = set()
        self._done = 0  # abstracts (or characters of the index's vocabulary) read so far
        self._vocab: str | None = None  # the word index's vocabulary, when reading from it
        self._pending: list[str] | None = None  # the words seen, being grouped by length
        self._groups: dict[int, list[str]] = {}
        self._sorted: set[int] = set()  # lengths whose group is sorted
        self._by_length: dict[int, list[str]] | None = None
        self._lock = threading.Lock()

    def _step(self) -> dict[int, list[str]] | None:
        """One slice of work; the finished vocabulary once it is all done. Every step is short
        (a real vocabulary has a million words: reading, grouping and sorting them in one go
        held the interpreter for ~1 s)."""
        with self._lock:
            if self._by_length is not None:
                return self._by_length
            if self._pending is None:
                self._collect()
            elif self._pending:
                group, slice_ = self._groups, self._pending[-SLICE:]
                del self._pending[-SLICE:]
                for w in slice_:
                    group.setdefault(len(w), []).append(w)
            else:
                unsorted = next((n for n, ws in self._groups.items() if n not in self._sorted), None)
                if unsorted is None:
                    self._by_length, self._groups = self._groups, {}
                    return self._by_length
                self._groups[unsorted].sort()
                self._sorted.add(unsorted)
            return None

    def _collect(self) -> None:
        """Read one slice of the abstracts, or of the word index's vocabulary once there is one
        (it holds every word, in far fewer characters)."""
        if self._vocab is None and (index := self._words()) is not None:
            self._seen, self._done, self._vocab = set(), 0, index.joined
        text: Sequence[str] | str = self._vocab if self._vocab is not None else self.abstracts
        start = self._done
        if start >= len(text):
            self._pending, self._seen = list(self._seen), set()
            return
        if self._vocab is not None:
            end = self._vocab.find("\n", start + SLICE * 8)
            end = len(self._vocab) if end < 0 else end
            self._seen.update(_ALPHA_WORD.findall(self._vocab, start, end))
            self._done = end + 1
        else:
            self._seen.update(_ALPHA_WORD.findall("\n".join(self.abstracts[start : start + 500])))
            self._done = start + 500

    def ready(self, check: Callable[[], None]) -> dict[int, list[str]]:
        """The vocabulary, built here if need be (`check` may raise to give up between slices)."""
        while (vocab := self._step()) is None:
            check()
        return vocab

    def prepare(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Build it ahead of the first search that needs it (~1 s per 100k papers without the word
        index), yielding between slices so the thread that calls this never starves the UI."""
        while self._step() is None:
            if cancelled():
                return
            time.sleep(0)

    def typos(self, text: str, check: Callable[[], None]) -> list[str]:
        """Words that are a typo of `text`: about its length (a letter more or less), close by
        rapidfuzz ratio, and not containing it (those match as they are), best first."""
        vocab = self.ready(check)
        cutoff = 80 if len(text) < 7 else 78
        near = [w for n in (len(text) - 1, len(text), len(text) + 1) for w in vocab.get(n, ())]
        return [w for w, _score, _ in process.extract(text, near, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
                if text not in w]
