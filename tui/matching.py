"""Matching outside the index: highlight spans for the renderer, and the filter run by brute
force over a small list (the queue), by the same rules as `tui.search.SearchIndex`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from rapidfuzz import fuzz

from tui.query import Query, fold, fold_same_length

_WORD = re.compile(r"\w+")


def highlight_spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Character spans of `text` to highlight for the given casefolded words (non-overlapping)."""
    if not words:
        return []
    folded = fold_same_length(text)
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


def entry_matches(
    query: Query, title: str, byline: str, abstract: str,
    meta: tuple[tuple[str, ...], str | None, date | None, int | None] | None = None,
) -> bool:
    """The same query for small lists (the queue), by brute force but by the index's rules: a word
    matches as a substring, a word prefix, or a typo of a word of about its length. Metadata tests
    apply when `meta` is given (see `paper_meta`); a queue entry knows no kind or upvotes, so
    those tests are skipped for it."""
    if meta is not None:
        for test in query.meta:
            if test.name in ("kind", "upvotes") and meta[1] is None and meta[3] is None:
                continue
            if not test.matches(*meta):
                return False
    fields = {"title": fold(title), "by": fold(byline), "abs": fold(abstract)}
    for term in query.terms:
        texts = list(fields.values()) if term.field == "any" else [fields[term.field]]
        hit = any(term.text in t for t in texts)
        if term.negated:
            if hit:
                return False
            continue
        if hit:
            continue
        if not term.exact and len(term.text) >= 4:
            # Typos: titles and bylines from 4 letters, abstracts from 5 (as the index does).
            searched = [t for name, t in fields.items() if term.field in ("any", name) and (name != "abs" or len(term.text) >= 5)]
            words = _WORD.findall(" ".join(searched))
            cutoff = 80 if len(term.text) < 7 else 78
            if any(abs(len(w) - len(term.text)) <= 1 and fuzz.ratio(term.text, w) >= cutoff for w in words):
                continue
        return False
    return True
