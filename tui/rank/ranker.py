"""The "for you" model: a profile of the papers you queued, every other paper scored against it.

How a score is made (arxiv-sanity's idea, kept linear so it is instant and explainable):

* every paper is three unit tf-idf vectors: its title+abstract words, its arXiv categories, its
  authors (see `tui.rank.text`);
* the profile is, per kind, the weighted mean of the queued papers' vectors (a paper marked done
  or carrying a note weighs more, see `tui.rank.examples`) minus `NEGATIVE_WEIGHT` times the mean
  of the papers marked "not for me" (Rocchio's relevance feedback);
* a paper's score is the cosine of each of its vectors with the profile, summed with
  `KIND_WEIGHTS` (words count most; categories and shared authors break ties between papers on
  the same topic).

Changing the queue recomputes the profile (a few vectors) and one pass over the index; papers that
arrive are appended to the index (`add_papers`); nothing is ever refitted from scratch. Thread-safe:
the reader calls it from a worker.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from operator import itemgetter

import numpy as np

from tui.rank.examples import Example, PaperLike
from tui.rank.index import Block, Vector, overlap
from tui.rank.text import author_terms, category_terms, paper_words

KINDS = ("text", "categories", "authors")
KIND_WEIGHTS = {"text": 1.0, "categories": 0.3, "authors": 0.3}
BUCKETS = {"text": 1 << 19, "categories": 1 << 12, "authors": 1 << 17}  # hashed columns (index.py)
NEGATIVE_WEIGHT = 0.5
SHOWN_TERMS = {"text": 5, "categories": 2, "authors": 2}  # shared terms an explanation names, per kind
NOTHING_QUEUED = "nothing queued yet: queue a few papers and this order learns what you like"
NO_OVERLAP = "the queued papers share no words with these papers yet"


def _terms(kind: str, title: str, abstract: str, categories: Sequence[str], authors: Sequence[str]) -> list[str]:
    if kind == "text":
        return paper_words(title, abstract or "")
    if kind == "categories":
        return category_terms(categories)
    return author_terms(authors)


@dataclass(frozen=True)
class Ranking:
    """An order of paper ids, best first. `reason` says why it is not personalised (fallback).
    `values` holds each ranked paper's score, aligned with `ids` (-inf for unknown papers)."""

    ids: list[str]
    values: np.ndarray | None = None
    reason: str | None = None

    @property
    def personalised(self) -> bool:
        return self.reason is None

    @cached_property
    def scores(self) -> dict[str, float]:
        """Score by id (built on demand: a dict of 300k floats costs more than the ranking)."""
        if self.values is None:
            return {}
        return {pid: v for pid, v in zip(self.ids, self.values.tolist(), strict=True) if v != -math.inf}


@dataclass(frozen=True, slots=True)
class Neighbour:
    """An example paper close to the explained one: how close, and what they share."""

    id: str
    title: str
    similarity: float
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Explanation:
    id: str
    score: float | None
    status: str  # "ranked" | "queued" | "not for me" | "unranked" (no profile) | "unknown"
    nearest: tuple[Neighbour, ...] = ()
    against: tuple[Neighbour, ...] = ()  # "not for me" papers it resembles

    def lines(self) -> list[str]:
        """Plain-text lines for the CLI and the abstract pane (digest text, never markup)."""
        if self.status == "queued":
            return ["queued: it teaches the for-you order"]
        if self.status == "not for me":
            return ["marked not for me: it teaches the order what to avoid"]
        if self.status != "ranked" or self.score is None:
            return ["not ranked: nothing queued to compare with"]
        out = [f"for you: score {self.score:.3f}"]
        if not self.nearest:
            out.append("  shares nothing with the queued papers")
        for n in self.nearest:
            shared = ", ".join(n.terms) if n.terms else "nothing in particular"
            out.append(f"  near queued “{n.title}” ({n.similarity:.2f}): {shared}")
        for n in self.against:
            out.append(f"  resembles not-for-me “{n.title}” ({n.similarity:.2f}): {', '.join(n.terms)}")
        return out


class Ranker:
    """Index of every paper seen plus the current profile; `rank` orders any subset of them."""

    def __init__(self, weights: dict[str, float] | None = None) -> None:
        """`weights` overrides `KIND_WEIGHTS` (the benchmark uses it to measure words alone)."""
        self.weights = dict(KIND_WEIGHTS) | (weights or {})
        self.blocks = {kind: Block(BUCKETS[kind], min_df=2) for kind in KINDS}
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self._positives: tuple[Example, ...] = ()
        self._negatives: tuple[Example, ...] = ()
        self._profile: dict[str, np.ndarray] | None = None
        self._scores: np.ndarray | None = None
        self._vectors: dict[tuple[str, str], Vector] = {}
        self._rows_cache: tuple[Sequence[str], np.ndarray] | None = None
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        return sum(b.nbytes for b in self.blocks.values())

    # -- learning -------------------------------------------------------------------------------

    def add_papers(self, papers: Iterable[PaperLike]) -> int:
        """Index papers not seen before (by id); returns how many were added."""
        with self._lock:
            known = self.row
            batch: dict[str, PaperLike] = {}
            for p in papers:
                if p.id not in known and p.id not in batch:
                    batch[p.id] = p
            new = list(batch.values())
            if not new:
                return 0
            for kind, block in self.blocks.items():
                block.append(_terms(kind, p.title, p.abstract, p.categories, p.authors) for p in new)
            start = len(self.ids)
            for i, p in enumerate(new):
                self.row[p.id] = start + i
                self.ids.append(p.id)
            # idf moved: every cached vector and the profile are stale (cheap to rebuild).
            self._vectors.clear()
            self._rows_cache = None
            self._profile = self._scores = None
            return len(new)

    def teach(self, positives: Iterable[Example], negatives: Iterable[Example] = ()) -> bool:
        """Set the examples (the queue, the "not for me" marks); True if that changes the order."""
        pos, neg = tuple(positives), tuple(negatives)
        with self._lock:
            if pos == self._positives and neg == self._negatives:
                return False
            self._positives, self._negatives = pos, neg
            self._profile = self._scores = None
            return True

    def _vector(self, kind: str, ex: Example) -> Vector:
        key = (kind, ex.id)
        vec = self._vectors.get(key)
        if vec is None:
            block = self.blocks[kind]
            row = self.row.get(ex.id)
            if row is not None:
                vec = block.row_vector(row)
            else:
                vec = block.text_vector(_terms(kind, ex.title, ex.abstract, ex.categories, ex.authors))
            self._vectors[key] = vec
        return vec

    def _mean(self, kind: str, examples: Sequence[Example]) -> np.ndarray:
        out = np.zeros(self.blocks[kind].buckets, np.float32)
        total = sum(max(e.weight, 0.0) for e in examples)
        for e in examples:
            cols, vals = self._vector(kind, e)
            np.add.at(out, cols, vals * (max(e.weight, 0.0) / total if total else 0.0))
        return out

    def profile(self) -> dict[str, np.ndarray]:
        """Per kind, the profile vector (in tf-idf space) that scores are cosines with."""
        with self._lock:
            if self._profile is None:
                prof = {}
                for kind in KINDS:
                    w = self._mean(kind, self._positives)
                    if self._negatives:
                        w -= NEGATIVE_WEIGHT * self._mean(kind, self._negatives)
                    prof[kind] = w
                self._profile = prof
            return self._profile

    def scores(self) -> np.ndarray:
        """A score per indexed paper (row order); zeros when there is no profile."""
        with self._lock:
            if self._scores is None:
                total = np.zeros(len(self.ids), np.float32)
                for kind, w in self.profile().items():
                    if not w.any() or not self.weights[kind]:
                        continue
                    block = self.blocks[kind]
                    total += self.weights[kind] * block.dot(w * block.idf()) / block.norms()
                self._scores = total
            return self._scores

    # -- ordering -------------------------------------------------------------------------------

    def rank(self, ids: Sequence[str]) -> Ranking:
        """`ids` (a day, or every day, in digest order) best first. Queued papers go after the
        rest (they are already on your list), "not for me" ones last; ties keep digest order.
        With nothing queued, or no word in common, the order is `ids` itself and `reason` says why."""
        with self._lock:
            if not self._positives:
                return Ranking(list(ids), None, NOTHING_QUEUED)
            scores = self.scores()
            if not scores.any():
                return Ranking(list(ids), None, NO_OVERLAP)
            rows = self._rows_of(ids)
            tier_of_row = np.zeros(len(self.ids) + 1, np.int8)  # the extra last slot: unknown ids
            for tier, examples in ((1, self._positives), (2, self._negatives)):
                tier_of_row[[self.row[e.id] for e in examples if e.id in self.row]] = tier
        got = np.where(rows >= 0, scores[rows], -np.inf)
        order = np.lexsort((-got, tier_of_row[rows]))  # stable: ties keep the order of `ids`
        picked = order.tolist()
        ranked = list(itemgetter(*picked)(ids)) if len(picked) > 1 else [ids[i] for i in picked]
        return Ranking(ranked, got[order])

    def _rows_of(self, ids: Sequence[str]) -> np.ndarray:
        """Index rows of `ids` (-1: not indexed). Cached for the last list asked about: the reader
        asks about the same (never mutated) all-papers list on every queue change."""
        cached = self._rows_cache
        if cached is not None and cached[0] is ids and len(cached[1]) == len(ids):
            return cached[1]
        rows = np.fromiter(map(self.row.get, ids, repeat(-1)), np.int64, len(ids))
        self._rows_cache = (ids, rows)
        return rows

    # -- explaining -----------------------------------------------------------------------------

    def _similar(self, pid: str, examples: Sequence[Example], k: int, min_sim: float = 0.0) -> tuple[Neighbour, ...]:
        row = self.row[pid]
        mine = {kind: self.blocks[kind].row_vector(row) for kind in KINDS}
        found = []
        for e in examples:
            if e.id == pid:
                continue
            sim = 0.0
            terms: list[str] = []
            for kind in KINDS:
                if not self.weights[kind]:
                    continue
                cols, parts = overlap(mine[kind], self._vector(kind, e))
                sim += self.weights[kind] * float(parts.sum())
                block = self.blocks[kind]
                names = block.columns(_terms(kind, e.title, e.abstract, e.categories, e.authors))
                best = [names.get(int(cols[i])) for i in np.argsort(-parts, kind="stable")[: SHOWN_TERMS[kind]]]
                terms.extend(f"by {t}" if kind == "authors" else t for t in best if t)
            if sim > min_sim:
                found.append(Neighbour(e.id, e.title, sim, tuple(terms)))
        found.sort(key=lambda n: -n.similarity)
        return tuple(found[:k])

    def explain(self, pid: str, k: int = 3, wait: bool = True) -> Explanation | None:
        """Why `pid` ranks where it does: its score, the `k` queued papers nearest to it and the
        terms they share, and any "not for me" paper it resembles. With `wait=False` it returns
        None at once if a worker holds the model (the UI thread must never block on a refit)."""
        if not self._lock.acquire(blocking=wait):
            return None
        try:
            return self._explain(pid, k)
        finally:
            self._lock.release()

    def _explain(self, pid: str, k: int) -> Explanation:
        """`explain` with the lock held."""
        if any(e.id == pid for e in self._negatives):
            return Explanation(pid, None, "not for me")
        if any(e.id == pid for e in self._positives):
            return Explanation(pid, None, "queued")
        if pid not in self.row:
            return Explanation(pid, None, "unknown")
        if not self._positives:
            return Explanation(pid, None, "unranked")
        score = float(self.scores()[self.row[pid]])
        nearest = self._similar(pid, self._positives, k)
        against = self._similar(pid, self._negatives, 1, min_sim=0.1) if self._negatives else ()
        return Explanation(pid, score, "ranked", nearest, against)
