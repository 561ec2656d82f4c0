"""Fuzzy filtering over every loaded paper, fast enough to run on each keystroke.

Scanning 100k titles with `fuzz.partial_ratio` costs ~80 ms per word, and a substring scan of 100k
abstracts as much again, so neither is done per keystroke over everything. Instead:

* titles and bylines are tokenised once into a vocabulary with posting lists; a query word is
  matched fuzzily (rapidfuzz) against the *vocabulary* (tens of thousands of short words, ~ms),
  plus every word it is a prefix of, and the postings give the papers;
* abstracts are searched by case-insensitive substring (words of 3+ letters), and the hits of a
  word are cached, so typing one more letter only rescans the previous hits;
* all words must match (each in title, byline or abstract); a quoted phrase must match exactly.

Ranking: papers whose titles match every word first, then by summed score, then by list order.
No Textual here: the UI runs `search()` in a worker thread and drops stale results.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from tui.model import Paper

_WORD = re.compile(r"\w+")
_QUERY_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
FIELDS = {"title": "title", "t": "title", "by": "by", "author": "by", "a": "by", "abs": "abs", "abstract": "abs"}
FLAGS = {"unread", "read", "queued"}
QUERY_HELP = (
    ("words", "every word must match, fuzzily, in title, byline or abstract"),
    ('"a phrase"', "matches exactly (case-insensitive)"),
    ("title:word", "title only (also t:); by:name for bylines, abs:word for abstracts"),
    ("-word", "leave out papers containing the word (or -\"a phrase\", -title:word)"),
    ("is:unread", "only unread papers; is:read, is:queued likewise"),
)


@dataclass(slots=True, frozen=True)
class Term:
    """One query word or phrase, and where it must match."""

    text: str  # casefolded
    field: str = "any"  # any | title | by | abs
    exact: bool = False
    negated: bool = False  # `-word`: papers containing it are left out


@dataclass(slots=True, frozen=True)
class Query:
    terms: tuple[Term, ...] = ()
    flags: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.terms and not self.flags


def parse_query(text: str) -> Query:
    """Parse the small query language shown in the help (`QUERY_HELP`). Never raises."""
    terms: list[Term] = []
    flags: set[str] = set()
    for m in _QUERY_TOKEN.finditer(text):
        neg, prefix, phrase, word = m.groups()
        prefix = (prefix or "").casefold()
        value = (phrase if phrase is not None else word or "").casefold().strip()
        if prefix == "is" and value in FLAGS:
            flags.add(value)
            continue
        fieldname = FIELDS.get(prefix, "any")
        if prefix and prefix not in FIELDS and prefix != "is":
            value = f"{prefix}:{value}"  # not a field: keep the colon word as typed, e.g. "arxiv:2601"
        if not value:
            continue
        if neg:
            terms.append(Term(value, fieldname, exact=True, negated=True))
        elif phrase is not None:
            terms.append(Term(value, fieldname, exact=True))
        else:
            # Split "foo-bar" or "foo/bar" into words the tokeniser also sees.
            for w in _WORD.findall(value) or [value]:
                terms.append(Term(w, fieldname))
    return Query(tuple(terms), frozenset(flags))


@dataclass(slots=True)
class Result:
    """Paper ids in rank order, and the words to highlight (casefolded) for the renderer."""

    ids: list[str]
    highlight: tuple[str, ...] = ()
    query: Query = field(default_factory=Query)


class Cancelled(Exception):
    """Raised inside `search` when the caller says the result is no longer wanted."""


class SearchIndex:
    """Tokenised titles/bylines and casefolded abstracts of a fixed list of papers."""

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.ids = [p.id for p in papers]
        self.pos = {pid: i for i, pid in enumerate(self.ids)}
        self.titles = [p.title.casefold() for p in papers]
        self.bylines = [(" ".join(p.authors) or p.byline).casefold() + " " + (p.organization or "").casefold() for p in papers]
        self.abstracts = [p.abstract.casefold() for p in papers]
        self.title_post = _postings(self.titles)
        self.by_post = _postings(self.bylines)
        self.vocab = sorted(set(self.title_post) | set(self.by_post))
        # Arrays, not sets: the GC never scans them (sets of 100k ints made collections slow).
        self._abs_cache: dict[str, array[int]] = {}

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

    def _abstract_hits(self, text: str, check: Callable[[], None]) -> array[int]:
        """Papers whose abstract contains `text`; reuses the hits of a cached prefix of it."""
        cached = self._abs_cache.get(text)
        if cached is not None:
            return cached
        base: Sequence[int] | None = None
        for k in range(len(text) - 1, 2, -1):
            prev = self._abs_cache.get(text[:k])
            if prev is not None:
                base = prev
                break
        abstracts = self.abstracts
        seq: Sequence[int] = range(len(abstracts)) if base is None else base
        hits: list[int] = []
        chunk = 5000
        for start in range(0, len(seq), chunk):
            check()
            hits.extend(i for i in seq[start : start + chunk] if text in abstracts[i])
        result = array("I", hits)
        if len(self._abs_cache) > 64:
            self._abs_cache.clear()
        self._abs_cache[text] = result
        return result

    def _term_scores(
        self, term: Term, within: Collection[int] | None, check: Callable[[], None]
    ) -> tuple[dict[int, float], set[int], set[str]]:
        """Scores per paper index for one term, the papers it matched in their title, and words to highlight.

        `within` (the papers every earlier term matched) bounds the expensive substring scans.
        Scores: a title match weighs 3, a byline match 2, an abstract match 1 (x100 for exact).
        """
        text = term.text
        marks: set[str] = {text}
        if term.exact:
            scores: dict[int, float] = {}
            in_title: set[int] = set()
            for name, texts in reversed(self._fields(term.field)):
                check()
                weight = 3.0 if name == "title" else 2.0 if name == "by" else 1.0
                pool = within if within is not None else range(len(texts))
                hit = [i for i in pool if text in texts[i]]
                scores.update(dict.fromkeys(hit, 100 * weight))
                if name == "title":
                    in_title.update(hit)
            return scores, in_title, marks
        scores = {}
        if term.field in ("any", "abs") and len(text) >= 3:
            if within is not None and len(within) < len(self.abstracts) // 4:
                abstracts = self.abstracts
                scores.update(dict.fromkeys((i for i in within if text in abstracts[i]), 100.0))
            else:
                scores.update(dict.fromkeys(self._abstract_hits(text, check), 100.0))
        in_title = set()
        if term.field in ("any", "title", "by"):
            similar = self._similar_words(text)
            marks.update(w for w in similar if not w.startswith(text))
            by_score: dict[float, list[str]] = {}
            for w, sc in similar.items():
                by_score.setdefault(sc, []).append(w)
            # Ascending weight and score, so dict.update leaves each paper its best score.
            for name, post, weight in (("by", self.by_post, 2.0), ("title", self.title_post, 3.0)):
                if term.field not in ("any", name):
                    continue
                for sc in sorted(by_score):
                    found: set[int] = set()
                    for w in by_score[sc]:
                        lst = post.get(w)
                        if lst:
                            found.update(lst)
                    if name == "title":
                        in_title |= found
                    scores.update(dict.fromkeys(found, sc * weight))
        return scores, in_title, marks

    def _fields(self, name: str) -> list[tuple[str, list[str]]]:
        all_fields = [("title", self.titles), ("by", self.bylines), ("abs", self.abstracts)]
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

        order = scope if scope is not None else self.ids
        if not query.terms:
            ids = [pid for pid in order if _flags_ok(query.flags, pid, is_read, is_queued)]
            return Result(ids, (), query)
        positive = [t for t in query.terms if not t.negated]
        negative = [t for t in query.terms if t.negated]
        total: dict[int, float] | None = None
        if not positive:  # only exclusions: start from every paper in scope
            total = dict.fromkeys(range(len(self.ids)) if scope is None else
                                  (i for i in map(self.pos.get, scope) if i is not None), 0.0)
        title_all: set[int] | None = None
        marks: set[str] = set()
        for term in positive:
            check()
            scores, in_title, term_marks = self._term_scores(term, total.keys() if total is not None else None, check)
            marks |= term_marks
            if total is None:
                total, title_all = scores, in_title
            else:
                total = {i: s + scores[i] for i, s in total.items() if i in scores}
                title_all = (title_all or set()) & in_title
            if not total:
                break
        total = total or {}
        title_all = title_all or set()
        for term in negative:
            check()
            for _name, texts in self._fields(term.field):
                total = {i: s for i, s in total.items() if term.text not in texts[i]}
        check()
        if scope is None:
            # Index order is the all-days order, so the index itself is the tie-breaker.
            hits = sorted(total)
            # One float per paper (no tuples: allocating 100k of them costs a GC pass).
            hits.sort(key=lambda i: (0.0 if i in title_all else 1e6) - total[i])
            ids = [self.ids[i] for i in hits]
        else:
            pos = self.pos
            ranked = []
            for n, pid in enumerate(scope):
                i = pos.get(pid)
                if i is not None and i in total:
                    ranked.append((0 if i in title_all else 1, -total[i], n, pid))
            ranked.sort()
            ids = [r[3] for r in ranked]
        if query.flags:
            ids = [pid for pid in ids if _flags_ok(query.flags, pid, is_read, is_queued)]
        return Result(ids, tuple(sorted(marks, key=len, reverse=True)), query)


def _flags_ok(flags: frozenset[str], pid: str, is_read: Callable[[str], bool], is_queued: Callable[[str], bool]) -> bool:
    if "unread" in flags and is_read(pid):
        return False
    if "read" in flags and not is_read(pid):
        return False
    if "queued" in flags and not is_queued(pid):
        return False
    return True


def _postings(texts: Sequence[str]) -> dict[str, list[int]]:
    """Word -> indexes of the texts containing it (each index once per word)."""
    post: dict[str, list[int]] = {}
    findall = _WORD.findall
    for i, text in enumerate(texts):
        for w in set(findall(text)):
            lst = post.get(w)
            if lst is None:
                post[w] = [i]
            else:
                lst.append(i)
    return post


def highlight_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of `text` to highlight for the given casefolded words (non-overlapping)."""
    if not words:
        return []
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (e.g. ß): fall back to lower()
        folded = text.lower()
        if len(folded) != len(text):
            return []
    pattern = _highlight_pattern(tuple(words))
    return [(m.start(), m.end()) for m in pattern.finditer(folded)]


_PATTERN_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _highlight_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _PATTERN_CACHE.get(words)
    if pattern is None:
        if len(_PATTERN_CACHE) > 64:
            _PATTERN_CACHE.clear()
        ordered = sorted(words, key=len, reverse=True)[:200]
        pattern = re.compile("|".join(re.escape(w) for w in ordered if w))
        _PATTERN_CACHE[words] = pattern
    return pattern


def entry_matches(query: Query, title: str, byline: str, abstract: str) -> bool:
    """The same query for small lists (the queue), by brute force but by the index's rules: a word
    matches as a substring, a word prefix, or a typo of a word of about its length."""
    fields = {"title": title.casefold(), "by": byline.casefold(), "abs": abstract.casefold()}
    for term in query.terms:
        texts = list(fields.values()) if term.field == "any" else [fields[term.field]]
        hit = any(term.text in t for t in texts)
        if term.negated:
            if hit:
                return False
            continue
        if hit:
            continue
        if not term.exact and len(term.text) >= 4 and term.field != "abs":
            words = _WORD.findall(" ".join(t for name, t in fields.items() if name != "abs" and term.field in ("any", name)))
            if any(abs(len(w) - len(term.text)) <= 1 and fuzz.ratio(term.text, w) >= 80 for w in words):
                continue
        return False
    return True
