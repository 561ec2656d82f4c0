"""Abstracts kept once: folded (`tui.query.fold`, what the filter scans), plus what it takes to give them back.

Abstracts are most of a corpus's bytes, and the filter needs them folded (case- and accent-blind),
so holding both the text and its folded copy costs twice the corpus. Here each abstract is stored
folded only; the few characters folding changed (capitals, mostly: ~3% of an abstract) are kept beside it as
positions and originals, and `paper.abstract` puts them back when something reads it (the abstract
pane, an export): ~10 µs for one abstract, nothing for the search.

A Paper joins the pool by switching its class to `PooledPaper` (same slots, so the switch is
allowed and free): its `abstract` slot then holds an index into the pool, and the `abstract`
property turns that into text. Every other reader and writer sees a str, as before; assigning a
str puts the paper back on plain storage. Abstracts whose folding changes their length (ß → ss)
or that are longer than 65,535 characters stay plain strings.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Sequence

from tui.model import Paper
from tui.query import fold

_SLOT = Paper.__dict__["abstract"]  # the slot descriptor the dataclass made for `abstract`
_MAX = 0xFFFF  # positions are stored as 16-bit offsets
CHARS_CHUNK = 1024  # entries whose case-fix characters are kept as one string
_CAPITALS = bytes(1 if 65 <= b <= 90 else 0 for b in range(256))  # A-Z -> 1, every other byte -> 0


def case_fixes(text: str, folded: str) -> list[int]:
    """Positions where `text` and its folded form differ (same length assumed)."""
    if text.isascii():
        # Capitals are the only difference; translate marks them in one C-level pass, find walks them.
        marks = text.encode("ascii").translate(_CAPITALS)
        out: list[int] = []
        find = marks.find
        i = find(1)
        while i >= 0:
            out.append(i)
            i = find(1, i + 1)
        return out
    return [i for i, (a, b) in enumerate(zip(text, folded)) if a != b]


class AbstractPool:
    """Append-only store of folded abstracts and their case fixes (positions + original characters)."""

    def __init__(self) -> None:
        self.folded: list[str] = []
        self._start = array("I", [0])  # entry i's fixes are _pos[_start[i]:_start[i + 1]]
        self._pos = array("H")
        # The original characters at those positions (one per position): joined per chunk of
        # CHARS_CHUNK entries (one str per entry cost ~60 bytes each: 17 MB at 300k papers);
        # the chunk being filled is a list until it is full.
        self._chars: list[str] = []
        self._filling: list[str] = []
        self._lock = threading.Lock()

    def add_folded(self, folded: str, pos: Sequence[int], chars: str) -> int:
        """Pool an abstract already split into its folded text and case fixes (see `split`)."""
        if len(chars) != len(pos):  # one character per position: the chunks' offsets rely on it
            raise ValueError("case fixes: one character per position")
        with self._lock:
            self.folded.append(folded)
            self._pos.extend(pos)
            self._filling.append(chars)
            if len(self._filling) == CHARS_CHUNK:
                self._chars.append("".join(self._filling))
                self._filling = []
            self._start.append(len(self._pos))
            return len(self.folded) - 1

    def add(self, text: str) -> int | None:
        """Pool `text`; returns its index, or None when it must stay a plain string."""
        parts = split(text)
        return None if parts is None else self.add_folded(*parts)

    def text(self, i: int) -> str:
        """The abstract as it was given."""
        with self._lock:
            lo, hi = self._start[i], self._start[i + 1]
            chunk, at = divmod(i, CHARS_CHUNK)
            if chunk < len(self._chars):
                first = self._start[chunk * CHARS_CHUNK]
                chars = self._chars[chunk][lo - first : hi - first]
            else:
                chars = self._filling[at]
            return restore(self.folded[i], self._pos[lo:hi], chars)


def split(text: str) -> tuple[str, list[int], str] | None:
    """An abstract as (folded text, positions that differ, the original characters there), or None
    when it cannot be pooled (folding changes its length, or it is too long)."""
    folded = fold(text)
    if len(folded) != len(text) or len(text) > _MAX:
        return None
    pos = case_fixes(text, folded)
    return folded, pos, "".join([text[i] for i in pos])


def restore(folded: str, pos: Sequence[int], chars: str) -> str:
    """The original text from `split`'s parts."""
    if not pos:
        return folded
    if folded.isascii() and chars.isascii():
        buf = bytearray(folded, "ascii")
        for p, b in zip(pos, chars.encode("ascii")):
            buf[p] = b
        return buf.decode("ascii")
    chars_list = list(folded)
    for p, c in zip(pos, chars):
        chars_list[p] = c
    return "".join(chars_list)


POOL = AbstractPool()


class PooledPaper(Paper):
    """A Paper whose abstract lives in `POOL` (see the module docstring); behaves exactly like one."""

    __slots__ = ()

    @property
    def abstract(self) -> str:
        value = _SLOT.__get__(self, Paper)
        return POOL.text(value) if type(value) is int else value

    @abstract.setter
    def abstract(self, value: str) -> None:
        _SLOT.__set__(self, value)


def pooled(folded: str, pos: Sequence[int], chars: str) -> int:
    """For a Paper being built (see `tui.cache`): the value its abstract slot holds once pooled."""
    return POOL.add_folded(folded, pos, chars)


POOL_MIN_PAPERS = 50_000  # below this, memory is no concern: plain folded copies are quicker to make


def pool_abstracts(papers: Sequence[Paper]) -> list[str]:
    """Move the papers' abstracts into the pool; returns their folded texts, in order (the very
    strings the pool holds, so a search index built on them costs no second copy). Papers already
    pooled (read from the parse cache) cost nothing; a small corpus of plain papers is only folded."""
    out: list[str] = []
    folded = POOL.folded
    if len(papers) < POOL_MIN_PAPERS:
        for p in papers:
            value = _SLOT.__get__(p, Paper)
            out.append(folded[value] if type(value) is int else fold(value))
        return out
    for p in papers:
        value = _SLOT.__get__(p, Paper)
        if type(value) is int:  # already pooled
            out.append(folded[value])
            continue
        i = POOL.add(value) if value and type(p) in (Paper, PooledPaper) else None
        if i is None:  # empty, not poolable, or a subclass we do not know: left alone
            out.append(fold(value))
            continue
        # Class first, then the slot: a reader in another thread sees a str or a pooled index,
        # and PooledPaper handles both, so it never sees an int as text.
        p.__class__ = PooledPaper
        _SLOT.__set__(p, i)
        out.append(folded[i])
    return out
