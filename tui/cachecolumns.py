"""A parse cache entry's payload checked, then turned back into a ParseResult (see `tui.cache`).

Two steps: `check` verifies every value's type and range (only plain values come out of it: str,
int, None, list, dict), and `build` makes the digest and papers from them and cannot fail, so no
half-checked entry ever becomes papers. A payload that does not check is a cache miss: the file is
parsed again and its entry rewritten.
"""

from __future__ import annotations

from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

from tui.model import Diagnostic, Digest, Format, Kind, Paper, ParseResult
from tui.textpool import PooledPaper, pooled, restore

_KINDS = {k.value: k for k in Kind}
_FORMATS = {f.value: f for f in Format}
_STR, _INT, _NONE, _LIST, _DICT = str, int, type(None), list, dict
_LAST_DAY = date.max.toordinal()
# A checked entry: the digest's format, date, date_start (day ordinals) and diagnostics, then one
# list per paper field (id, title, abstract, authors, author_count, organization, published, upvotes,
# categories, links, kind, comments, num_comments), then "case" and "case_chars": with `pool`, the
# abstracts are folded and these two hold their fixes; without, the abstracts as given and two Nones.
Columns = tuple[Any, ...]


def _column(obj: dict, name: str, n: int, allowed: set[Any]) -> list:
    col = obj[name]
    if type(col) is not list or len(col) != n or not set(map(type, col)) <= allowed:
        raise TypeError(f"bad column {name}")
    return col


def _str_lists(col: list) -> list:
    if not set(map(type, chain.from_iterable(col))) <= {_STR}:
        raise TypeError("not lists of strings")
    return col


def _ordinals(col: list) -> list:
    """Day numbers (or None) `date.fromordinal` takes: checked here, so `build` cannot fail."""
    days = [v for v in col if v is not None]
    if not set(map(type, days)) <= {_INT} or (days and not 1 <= min(days) <= max(days) <= _LAST_DAY):
        raise ValueError("bad day")
    return col


def _days(col: list) -> list[date | None]:
    fromordinal = date.fromordinal
    return [None if v is None else fromordinal(v) for v in col]


def check(obj: dict, pool: bool = False) -> Columns:
    """Check every value's type (a wrong one raises, and the entry is a miss); see `Columns`."""
    fmt = obj["format"]
    if fmt is not None and fmt not in _FORMATS:
        raise KeyError("bad format")
    day, day_start = _ordinals([obj["date"], obj["date_start"]])
    diagnostics = obj["diagnostics"]
    for level, message, line in diagnostics:
        if level not in ("error", "warning") or type(message) is not str or (line is not None and type(line) is not int):
            raise TypeError("bad diagnostic")
    n = obj["papers"]
    if type(n) is not int:
        raise TypeError("bad count")
    s, si, sn = {_STR}, {_INT, _NONE}, {_STR, _NONE}
    ids, titles, abstracts = (_column(obj, c, n, s) for c in ("id", "title", "abstract"))
    authors = _str_lists(_column(obj, "authors", n, {_LIST}))
    categories = _str_lists(_column(obj, "categories", n, {_LIST}))
    counts, upvotes, ncomments = (_column(obj, c, n, si) for c in ("author_count", "upvotes", "num_comments"))
    orgs, comments = (_column(obj, c, n, sn) for c in ("organization", "comments"))
    published = _ordinals(_column(obj, "published", n, si))
    links = _column(obj, "links", n, {_DICT})
    if not set(map(type, chain.from_iterable(map(dict.values, links)))) <= s:
        raise TypeError("bad links")
    kinds = _column(obj, "kind", n, s)
    if not set(kinds) <= _KINDS.keys():
        raise KeyError("bad kind")
    case = _column(obj, "case", n, {_LIST, _NONE})
    case_chars = _column(obj, "case_chars", n, sn)
    if not set(map(type, chain.from_iterable(c for c in case if c))) <= {_INT}:
        raise TypeError("bad case positions")
    for text, pos, chars in zip(abstracts, case, case_chars):
        if pos is not None and (
            chars is None or len(chars) != len(pos) or (pos and not 0 <= min(pos) <= max(pos) < len(text))
        ):
            raise ValueError("bad case fixes")
    if pool:  # folded: `build` pools them (only once every column has been checked)
        return (fmt, day, day_start, diagnostics, ids, titles, abstracts, authors, counts, orgs, published, upvotes,
                categories, links, kinds, comments, ncomments, case, case_chars)
    abstracts = [text if pos is None else restore(text, pos, chars) for text, pos, chars in zip(abstracts, case, case_chars)]
    return (fmt, day, day_start, diagnostics, ids, titles, abstracts, authors, counts, orgs, published, upvotes,
            categories, links, kinds, comments, ncomments, None, None)


def build(columns: Columns, path: Path, pool: bool = False) -> ParseResult:
    """The ParseResult of checked columns (`entry_columns`, here or in a worker); never fails."""
    (fmt, day, day_start, diagnostics, ids, titles, abstracts, authors, counts, orgs, published, upvotes,
     categories, links, kinds, comments, ncomments, case, case_chars) = columns
    start, end = _days([day_start, day])
    digest = Digest(path=path, format=_FORMATS[fmt] if fmt is not None else None, date=end, date_start=start)
    digest.diagnostics.extend(Diagnostic(level, message, line) for level, message, line in diagnostics)
    if pool:
        abstracts = [text if pos is None else pooled(text, pos, chars) for text, pos, chars in zip(abstracts, case, case_chars)]
    papers = list(map(PooledPaper if pool else Paper, ids, titles, abstracts, map(tuple, authors), counts, orgs,
                      _days(published), upvotes, map(tuple, categories), links, map(_KINDS.__getitem__, kinds),
                      comments, ncomments))
    return ParseResult(digest, papers)
