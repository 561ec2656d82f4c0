"""Fuzzy filtering over every loaded paper, fast enough to run on each keystroke.

Scanning 100k titles with `fuzz.partial_ratio` costs ~80 ms per word, and a substring scan of 100k
abstracts as much again, so neither is done per keystroke over everything. Instead:

* titles and bylines are tokenised once into a vocabulary with posting lists; a query word is
  matched fuzzily (rapidfuzz) against the *vocabulary* (tens of thousands of short words, ~ms),
  plus every word it is a prefix of, and the postings give the papers;
* abstracts match a word (3+ letters) as a case-insensitive substring. Once the abstract word
  index is in (`tui.wordindex`, built in the background or read from the cache), a word of word
  characters costs its hits; until then, and for words like `o(1)`, abstracts are scanned, the
  hits of a word cached so one more letter only rescans them. Typos (words of 5+ letters) are
  matched against the abstracts' vocabulary;
* texts and query are folded (`tui.query.fold`): case and accents never matter;
* all words must match (each in title, byline or abstract); a quoted phrase must match exactly.

Ranking: papers whose titles match every word first, then by summed score, then by list order.
Scores and ranking are numpy arrays over every paper, and a result is a view (`tui.picked`): a
word matching 200k papers costs milliseconds, not the hundred it took in Python objects.
No Textual here: the UI runs `search()` in a worker thread and drops stale results.
"""

from __future__ import annotations

import bisect
import re
import sys
import threading
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from tui.model import Paper
from tui.picked import Picked
from tui.query import FIELDS, FLAGS, QUERY_HELP, Query, Term, flags_ok, fold, paper_meta, parse_query
from tui.textpool import pool_abstracts
from tui.typos import AbstractVocabulary
from tui.wordpostings import postings

if TYPE_CHECKING:
    import numpy as np

    from tui.wordindex import WordIndex

_WORD = re.compile(r"\w+")
__all__ = ["FIELDS", "FLAGS", "QUERY_HELP", "Query", "Term", "parse_query", "SearchIndex", "Result", "Cancelled"]


@dataclass(slots=True)
class Result:
    """Paper ids in rank order, and the words to highlight (casefolded) for the renderer."""

    ids: Sequence[str]  # a list, or a `Picked` view (tui.picked) over the index's ids
    highlight: tuple[str, ...] = ()
    query: Query = field(default_factory=Query)
    # The papers of `ids` when the index had them at hand, and that index: a reader whose index
    # is still `source` can skip looking 100k ids up again (`Library.finish`).
    papers: Sequence[Paper] | None = None
    source: SearchIndex | None = None


class Cancelled(Exception):
    """Raised inside `search` when the caller says the result is no longer wanted."""


class SearchIndex:
    """Tokenised titles/bylines and casefolded abstracts of a fixed list of papers."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.ids = [p.id for p in papers]
        self.papers = list(papers)
        self.pos = {pid: i for i, pid in enumerate(self.ids)}
        # Folded titles make the title postings, then go: phrases and exclusions, which need the
        # text, fold it again on first use (`titles`; ~38 MB at 300k papers otherwise).
        titles = [fold(p.title) for p in papers]
        self._titles: list[str] | None = None
        # Interned: HF pages give counts, not names, so most bylines are one of a few dozen strings.
        self.bylines = [sys.intern(fold(" ".join(p.authors) or p.byline) + " " + fold(p.organization or "")) for p in papers]
        self.abstracts = pool_abstracts(papers)  # folded once, shared with the papers (tui.textpool)
        # What `cat:`, `kind:`, `after:`, `before:` and `upvotes:` test (tui.query.Meta.matches):
        # made on the first query that has such a test (~35 MB at 300k papers, most never use it).
        self._meta: list[tuple[tuple[str, ...], str | None, date | None, int | None]] | None = None
        self.title_post = postings(titles)
        del titles
        self.by_post = postings(self.bylines)
        self.vocab = sorted(set(self.title_post) | set(self.by_post))
        # Arrays, not sets: the GC never scans them (sets of 100k ints made collections slow).
        self._abs_cache: dict[str, array[int]] = {}
        # Distinct abstract words, for typos in abstracts: built on the first search that needs
        # it, a chunk at a time (a cancelled search keeps what it built).
        self.typo_words = AbstractVocabulary(self.abstracts, lambda: self.words)
        self._lazy_lock = threading.Lock()  # the titles and metadata made on first use
        # Abstract words -> papers (tui.wordindex): set once built or read from the cache; until
        # then abstracts are scanned.
        self.words: WordIndex | None = None

    # -- matching one term -------------------------------------------------------------------

    def _similar_words(self, text: str) -> dict[str, float]:
        """Vocabulary words close to `text`: prefix matches score 100, typos by rapidfuzz ratio."""
        words: dict[str, float] = {}
        lo = bisect.bisect_left(self.vocab, text)
        hi = bisect.bisect_left(self.vocab, text + "\U0010ffff")
        for w in self.vocab[lo:hi]:
            words[w] = 100.0
        if len(text) >= 4:
            # A typo keeps a word's length within a letter: "fusion" is no typo of "diffusion"
            # (ratio 80), "transfromer" is one of "transformer" (ratio 91).
            cutoff = 80 if len(text) < 7 else 78
            for w, score, _ in process.extract(text, self.vocab, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
                if abs(len(w) - len(text)) <= 1:
                    words.setdefault(w, score)
            # A typo inside a word still being typed: compare with prefixes of the same length.
            n = len(text) + 1
            for w, score, _ in process.extract(
                text, [v[:n] for v in self.vocab if len(v) > n], scorer=fuzz.ratio, score_cutoff=85, limit=200
            ):
                for full in self.vocab[bisect.bisect_left(self.vocab, w) : bisect.bisect_left(self.vocab, w + "\U0010ffff")]:
                    words.setdefault(full, score - 5)
        return words

    def prepare_typos(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Build the abstract vocabulary ahead of the first search that needs it (tui.typos)."""
        self.typo_words.prepare(cancelled)

    def _abstract_typo_hits(self, text: str, check: Callable[[], None]) -> array[int]:
        """Papers whose abstract has a typo of `text` (a word of about its length, as for titles)."""
        key = "~" + text
        cached = self._abs_cache.get(key)
        if cached is not None:
            return cached
        typos = self.typo_words.typos(text, check)
        hits: set[int] = set()
        for w in typos[:20]:
            hits.update(self._abstract_hits(w, check))
        result = array("I", sorted(hits))
        self._abs_cache[key] = result
        return result

    def _abstract_hits(self, text: str, check: Callable[[], None]) -> array[int]:
        """Papers whose abstract contains `text`; reuses the hits of a cached prefix of it."""
        cached = self._abs_cache.get(text)
        if cached is not None:
            return cached
        words = self.words
        if words is not None:
            from tui.wordindex import indexable

            if indexable(text):
                return array("I", words.hits(text).tobytes())
        base: Sequence[int] | None = None
        for k in range(len(text) - 1, 2, -1):
            prev = self._abs_cache.get(text[:k])
            if prev is not None:
                base = prev
                break
        seq: Sequence[int] = range(len(self.abstracts)) if base is None else base
        result = array("I", self._containing(text, self.abstracts, seq, check))
        if len(self._abs_cache) > 64 or sum(len(a) for a in self._abs_cache.values()) > 8_000_000:
            self._abs_cache.clear()  # at most 64 words or ~32 MB of hits
        self._abs_cache[text] = result
        return result

    def _term_scores(
        self, term: Term, within: np.ndarray | None, check: Callable[[], None]
    ) -> tuple[np.ndarray, np.ndarray, set[str]]:
        """Scores per paper (0: no match) for one term, whether it matched each paper's title, and
        the words to highlight.

        `within` (positions every earlier term matched) bounds the expensive substring scans.
        Scores: a title match weighs 3, a byline match 2, an abstract match 1 (x100 for exact).
        They are written weakest first (abstract typo, abstract, byline, title; ascending score
        within each), so each paper keeps its best one.
        """
        import numpy as np  # not at start-up: the reader's first paint does not need it

        from tui.wordindex import indexable

        text = term.text
        marks: set[str] = {text}
        size = len(self.ids)
        scores = np.zeros(size, dtype=np.float64)
        in_title = np.zeros(size, dtype=bool)
        if term.exact:
            for name, texts in reversed(self._fields(term.field)):
                check()
                weight = 3.0 if name == "title" else 2.0 if name == "by" else 1.0
                candidates = self._abs_candidates(text, within) if name == "abs" else None
                pool = candidates if candidates is not None else within.tolist() if within is not None else range(len(texts))
                hit = self._containing(text, texts, pool, check)
                scores[hit] = 100 * weight
                if name == "title":
                    in_title[hit] = True
            return scores, in_title, marks
        if term.field in ("any", "abs") and len(text) >= 3:
            if len(text) >= 5:
                # A typo in an abstract word scores below a real match.
                scores[np.frombuffer(self._abstract_typo_hits(text, check), dtype=np.uint32)] = 80.0
            if self.words is not None and indexable(text):
                scores[self.words.hits(text)] = 100.0
            elif (candidates := self._abs_candidates(text, within)) is not None:
                scores[self._containing(text, self.abstracts, candidates, check)] = 100.0
            elif within is not None and len(within) < len(self.abstracts) // 4:
                scores[self._containing(text, self.abstracts, within.tolist(), check)] = 100.0
            else:
                scores[np.frombuffer(self._abstract_hits(text, check), dtype=np.uint32)] = 100.0
        if term.field in ("any", "title", "by"):
            similar = self._similar_words(text)
            marks.update(w for w in similar if not w.startswith(text))
            by_score: dict[float, list[str]] = {}
            for w, sc in similar.items():
                by_score.setdefault(sc, []).append(w)
            for name, post, weight in (("by", self.by_post, 2.0), ("title", self.title_post, 3.0)):
                if term.field not in ("any", name):
                    continue
                for sc in sorted(by_score):
                    for w in by_score[sc]:
                        lst = post.get(w)
                        if lst:
                            found = np.frombuffer(lst, dtype=np.uint32)
                            scores[found] = sc * weight
                            if name == "title":
                                in_title[found] = True
        return scores, in_title, marks

    def _abs_candidates(self, text: str, within: np.ndarray | None) -> list[int] | None:
        """Papers whose abstract may contain `text` (a phrase, or a word like `o(1)`), by the word
        index: each run of word characters in `text` lies inside one of the abstract's words, so
        the abstract is in the hits of every run. None when there is no index or no such run."""
        import numpy as np

        runs = _WORD.findall(text)
        if self.words is None or not runs:
            return None
        longest, *others = sorted(set(runs), key=len, reverse=True)
        found = self.words.hits(longest)
        for run in others:
            found = np.intersect1d(found, self.words.hits(run), assume_unique=True)
        if within is not None:
            found = np.intersect1d(found, within, assume_unique=True)
        candidates: list[int] = found.tolist()
        return candidates

    @staticmethod
    def _containing(text: str, texts: Sequence[str], pool: Sequence[int], check: Callable[[], None]) -> list[int]:
        """The positions of `pool` whose text contains `text`: the one substring scan, in slices
        so a stale search stops early."""
        hits: list[int] = []
        for start in range(0, len(pool), 5000):
            check()
            hits.extend(i for i in pool[start : start + 5000] if text in texts[i])
        return hits

    def prepare_words(self, step: Callable[[], None] = lambda: None) -> None:
        """Build the abstract word index (`tui.wordindex`); `step` runs between small steps."""
        from tui.wordindex import WordIndex

        if self.words is None:
            self.words = WordIndex.build(self.abstracts, step)

    def _fields(self, name: str) -> list[tuple[str, list[str]]]:
        all_fields = [("title", self.titles()), ("by", self.bylines), ("abs", self.abstracts)]
        return all_fields if name == "any" else [f for f in all_fields if f[0] == name]

    # -- the query ------------------------------------------------------------------------------

    def search(
        self,
        query: Query,
        scope: Sequence[str] | None = None,
        is_read: Callable[[str], bool] = lambda _id: False,
        is_queued: Callable[[str], bool] = lambda _id: False,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Result:
        """Papers of `scope` (ids, in list order; None = all) matching `query`, best first.

        Raises `Cancelled` as soon as `cancelled()` turns true, so a stale search stops early.
        """

        def check() -> None:
            if cancelled():
                raise Cancelled

        import numpy as np

        from tui.wordindex import indexable

        order = scope if scope is not None else self.ids
        if not query.terms:
            listed = [pid for pid in order if flags_ok(query, pid, is_read, is_queued)]
            return Result(self._meta_ok(query, listed), (), query)
        positive = [t for t in query.terms if not t.negated]
        negative = [t for t in query.terms if t.negated]
        size = len(self.ids)
        total = np.zeros(size, dtype=np.float64)
        title_all = np.zeros(size, dtype=bool)
        if positive:
            matched = np.zeros(size, dtype=bool)
        elif scope is None:  # only exclusions: start from every paper in scope
            matched = np.ones(size, dtype=bool)
        else:
            matched = np.zeros(size, dtype=bool)
            matched[[i for i in map(self.pos.get, scope) if i is not None]] = True
        marks: set[str] = set()
        for n, term in enumerate(positive):
            check()
            scores, in_title, term_marks = self._term_scores(term, np.flatnonzero(matched) if n else None, check)
            marks |= term_marks
            if n == 0:
                matched, title_all = scores > 0, in_title
            else:
                matched &= scores > 0
                title_all &= in_title
            total += scores
            if not matched.any():
                break
        for term in negative:
            check()
            for name, texts in self._fields(term.field):
                if name == "abs" and self.words is not None and indexable(term.text):
                    matched[self.words.hits(term.text)] = False
                else:
                    matched[self._containing(term.text, texts, np.flatnonzero(matched).tolist(), check)] = False
        check()
        if scope is None:
            at = self._ranked(np.flatnonzero(matched), total, title_all)
        else:
            pos = self.pos
            ranked = []
            for n, pid in enumerate(scope):
                i = pos.get(pid)
                if i is not None and matched[i]:
                    ranked.append((0 if title_all[i] else 1, -float(total[i]), n, i))
            ranked.sort()
            at = np.asarray([r[3] for r in ranked], dtype=np.int64)
        check()
        ids, papers = Picked(self.ids, at), Picked(self.papers, at)
        highlight = tuple(sorted(marks, key=len, reverse=True))
        if query.flags or query.not_flags or query.meta:
            kept = [pid for pid in ids if flags_ok(query, pid, is_read, is_queued)]
            return Result(self._meta_ok(query, kept), highlight, query)
        return Result(ids, highlight, query, papers, self)

    def _ranked(self, at: np.ndarray, total: np.ndarray, title_all: np.ndarray) -> np.ndarray:
        """Positions `at` (ascending) in rank order: title matches first, then by score, then in
        index order (the all-days order). In numpy: sorting 100k+ hits by a Python key took ~50 ms."""
        import numpy as np

        # One float per paper, as the rule was first written: title matches 1e6 ahead. (Totals a
        # rounding apart are then equal and fall back to index order, as they always did.)
        key = np.where(title_all[at], 0.0, 1e6) - total[at]
        ranked: np.ndarray = at[np.lexsort((at, key))]  # the last key sorts first
        return ranked

    def titles(self) -> list[str]:
        """The folded titles, in index order (made again on first use; any thread)."""
        with self._lazy_lock:
            if self._titles is None:
                self._titles = [fold(p.title) for p in self.papers]
            return self._titles

    def meta(self) -> list[tuple[tuple[str, ...], str | None, date | None, int | None]]:
        """Each paper's `paper_meta`, in index order (built once, on first use; any thread)."""
        with self._lazy_lock:
            if self._meta is None:
                self._meta = [paper_meta(p) for p in self.papers]
            return self._meta

    def _meta_ok(self, query: Query, ids: list[str]) -> list[str]:
        """The ids whose metadata passes every `cat:`/`kind:`/`after:`/`before:`/`upvotes:` test."""
        if not query.meta:
            return ids
        pos, meta, tests = self.pos, self.meta(), query.meta
        return [pid for pid in ids if (i := pos.get(pid)) is not None and all(t.matches(*meta[i]) for t in tests)]
