"""A read-only view `items[at[0]], items[at[1]], …`: search results that cost nothing until read.

A broad filter word matches 100k-300k papers of a ten-year archive. Building their id and Paper
lists took ~30 ms per keystroke, though the list shows forty rows. A `Picked` keeps the
positions (a numpy array) and the long-lived list they point into; a row is looked up when
drawn, and iterating (hide-read, export, "mark all read") pays as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import itemgetter
from typing import Any, TypeVar, overload

T = TypeVar("T")
_CHUNK = 4096


class Picked(Sequence[T]):
    """`items` at positions `at` (a 1-d numpy array of ints)."""

    __slots__ = ("_items", "_at")

    def __init__(self, items: Sequence[T], at: Any) -> None:
        self._items = items
        self._at = at

    def __len__(self) -> int:
        return len(self._at)

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> Picked[T]: ...
    def __getitem__(self, i: int | slice) -> T | Picked[T]:
        if isinstance(i, slice):
            return Picked(self._items, self._at[i])
        return self._items[self._at[i]]

    def __iter__(self) -> Iterator[T]:
        items = self._items
        for start in range(0, len(self._at), _CHUNK):
            at = self._at[start : start + _CHUNK].tolist()
            if len(at) > 1:
                yield from itemgetter(*at)(items)
            else:
                yield from (items[i] for i in at)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Picked | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"Picked({list(self)!r})"
