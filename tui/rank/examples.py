"""What the "for you" order learns from: queued papers (positives) and "not for me" ones (negatives).

Plain Python, no numpy: the reader builds these on the UI thread and hands them to the ranker's
worker. A queue entry carries its own title, abstract, categories and authors, so a paper queued
months ago still teaches the model when its digest is no longer loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

# How much one example weighs in the profile. Reading a paper to the end, or writing a note on
# it, says more about your interests than queueing it on a whim.
BASE_WEIGHT = 1.0
DONE_BONUS = 0.5
NOTE_BONUS = 0.5


@dataclass(frozen=True, slots=True)
class Example:
    """One paper the user has judged; `weight` scales its pull on the profile."""

    id: str
    title: str
    abstract: str = ""
    categories: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    weight: float = BASE_WEIGHT


class PaperLike(Protocol):
    """A Paper, a QueueEntry, a benchmark's synthetic paper: anything with these (read-only)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def abstract(self) -> str: ...
    @property
    def categories(self) -> tuple[str, ...]: ...
    @property
    def authors(self) -> tuple[str, ...]: ...


class EntryLike(PaperLike, Protocol):
    @property
    def status(self) -> str: ...
    @property
    def note(self) -> str: ...


def entry_weight(status: str, note: str) -> float:
    """Every status counts; done and annotated papers count more."""
    return BASE_WEIGHT + (DONE_BONUS if status == "done" else 0.0) + (NOTE_BONUS if note.strip() else 0.0)


def from_queue(entries: Iterable[EntryLike]) -> list[Example]:
    """Positives from queue entries of every status (to-read, reading, done)."""
    return [
        Example(
            e.id, e.title, e.abstract or "", tuple(e.categories), tuple(e.authors), entry_weight(e.status, e.note or "")
        )
        for e in entries
    ]


def from_papers(papers: Iterable[PaperLike], weight: float = BASE_WEIGHT) -> list[Example]:
    """Examples from papers (e.g. the ones marked "not for me" that are loaded)."""
    return [Example(p.id, p.title, p.abstract or "", tuple(p.categories), tuple(p.authors), weight) for p in papers]
