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


class AbstractVocabulary:
    """Every distinct run of 3+ letters in `abstracts` (folded), grouped by length."""

    def __init__(self, abstracts: Sequence[str], words: Callable[[], WordIndex | None]) -> None:
        self.abstracts = abstracts
        self._words = words  # the abstract word index, once there is one
        self._seen: set[str] = set()
        self._done = 0  # abstracts read so far
        self._by_length: dict[int, list[str]] | None = None
        self._lock = threading.Lock()

    def _step(self) -> dict[int, list[str]] | None:
        """Read one slice of abstracts; the finished vocabulary once every abstract is in."""
        with self._lock:
            if self._by_length is None and (index := self._words()) is not None:
                self._seen, self._done = index.alpha_words(), len(self.abstracts)
            if self._by_length is None:
                start = self._done
                if start < len(self.abstracts):
                    self._seen.update(_ALPHA_WORD.findall("\n".join(self.abstracts[start : start + 500])))
                    self._done = start + 500
                    return None
                by_length: dict[int, list[str]] = {}
                for w in sorted(self._seen):
                    by_length.setdefault(len(w), []).append(w)
                self._by_length = by_length
                self._seen = set()
            return self._by_length

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
