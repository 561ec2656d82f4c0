"""The filter language: what the user types in the filter bar, parsed into a `Query`.

Plain Python, no Textual and no index: `tui.search` runs a `Query` over the loaded papers, the
queue pane runs it over its entries (`tui.matching.entry_matches`), and the filter bar shows
`Query.error` when the text cannot mean what it says (an unknown `is:` value, an empty prefix).

Matching is accent- and case-blind on both sides: `fold` is applied to the query and to the
texts searched, so `by:naze` finds Nazé and `resume` finds résumé.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.model import Paper

_WORD = re.compile(r"\w+")
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S*))')
FIELDS = {"title": "title", "t": "title", "by": "by", "author": "by", "a": "by", "abs": "abs", "abstract": "abs"}
FLAGS = ("unread", "read", "queued")
QUERY_HELP = (
    ("words", "every word must match, fuzzily, in title, byline or abstract (accents optional)"),
    ('"a phrase"', "matches exactly (case- and accent-insensitive)"),
    ("title:word", "title only (also t:); by:name for bylines, abs:word for abstracts"),
    ("-word", "leave out papers containing the word (or -\"a phrase\", -title:word)"),
    ("is:unread", "only unread papers; is:read, is:queued likewise; -is:queued leaves them out"),
    ("cat:cs.LG", "arXiv category (cat:cs for every cs.*); kind:new, kind:cross-list, kind:replaced (a|b: either)"),
    ("after:2026-11-01", "dated on or after that day (YYYY-MM or YYYY too); before:… dated before it"),
    ("upvotes:>20", "Hugging Face upvotes: >N, >=N, <N, <=N, =N (upvotes:N means at least N)"),
)
META = ("cat", "kind", "after", "before", "upvotes")
KINDS = {"new": "new", "cross-list": "cross-list", "crosslist": "cross-list", "cross": "cross-list",
         "replaced": "replaced", "replacement": "replaced", "repl": "replaced"}
_VOTES = re.compile(r"(>=|<=|>|<|=)?(\d+)")
_DAY = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(slots=True, frozen=True)
class Meta:
    """A test on a paper's metadata (`cat:`, `kind:`, `after:`, `before:`, `upvotes:`)."""

    name: str  # one of META
    values: tuple[str, ...] = ()  # cat: folded categories (or archive prefixes); kind: kind names
    day: date | None = None  # after: / before:
    op: str = ">="  # upvotes: comparison
    number: int = 0
    negated: bool = False

    def matches(self, categories: tuple[str, ...], kind: str | None, day: date | None, upvotes: int | None) -> bool:
        """Whether a paper with these (folded categories, kind value, date, upvotes) passes.
        Unknown metadata (no date, no upvotes) never matches a test, and so passes its negation."""
        if self.name == "cat":
            hit = any(c == v or c.startswith(v + ".") for v in self.values for c in categories)
        elif self.name == "kind":
            hit = kind is not None and kind in self.values
        elif self.name in ("after", "before"):
            hit = day is not None and self.day is not None and (day >= self.day if self.name == "after" else day < self.day)
        else:
            hit = upvotes is not None and _compare(upvotes, self.op, self.number)
        return hit != self.negated


def _compare(value: int, op: str, number: int) -> bool:
    return {">": value > number, ">=": value >= number, "<": value < number, "<=": value <= number,
            "=": value == number}[op]


def _meta(name: str, raw: str, negated: bool) -> Meta | str:
    """A `Meta` from `name:raw`, or what is wrong with it."""
    if name == "cat":
        values = tuple(v for v in fold(raw).split("|") if v)
        return Meta("cat", values, negated=negated) if values else "cat: needs a category, e.g. cat:cs.LG"
    if name == "kind":
        wanted = [w for w in fold(raw).split("|") if w]
        unknown = [w for w in wanted if w not in KINDS]
        if unknown or not wanted:
            return f"unknown kind:{raw} (kind:new, kind:cross-list or kind:replaced)"
        return Meta("kind", tuple(KINDS[w] for w in wanted), negated=negated)
    if name in ("after", "before"):
        m = _DAY.fullmatch(raw.strip())
        try:
            if m is None:
                raise ValueError
            day = date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
        except ValueError:
            return f"{name}: needs a date like 2026-11-01 (or 2026-11, 2026), not {raw!r}"
        return Meta(name, day=day, negated=negated)
    m = _VOTES.fullmatch(raw.strip())
    if m is None:
        return f"upvotes: needs a number, e.g. upvotes:>20, not {raw!r}"
    return Meta("upvotes", op=m.group(1) or ">=", number=int(m.group(2)), negated=negated)

# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h"})
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Case- and accent-blind form of `text` for matching (`Nazé` -> `naze`, `Straße` -> `strasse`).

    ASCII text (most of it) costs one `casefold`; lengths may change, so spans in the folded text
    are not spans in the original (see `fold_same_length` for that)."""
    text = text.casefold()
    if text.isascii():
        return text
    return _MARKS.sub("", unicodedata.normalize("NFKD", text)).translate(_LETTERS)


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded if len(folded) == 1 else ch.lower() if len(ch.lower()) == 1 else ch


def fold_same_length(text: str) -> str:
    """`fold`, one character for one, so a match at i..j in the result is at i..j in `text`
    (for highlighting). Characters that fold to more than one (`ß`) stay as they are."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


@dataclass(slots=True, frozen=True)
class Term:
    """One query word or phrase, and where it must match."""

    text: str  # folded
    field: str = "any"  # any | title | by | abs
    exact: bool = False
    negated: bool = False  # `-word`: papers containing it are left out


@dataclass(slots=True, frozen=True)
class Query:
    """A parsed filter. `flags` must hold (`is:read`), `not_flags` must not (`-is:read`).

    `error` says what in the text could not be understood; the rest of the query still applies."""

    terms: tuple[Term, ...] = ()
    flags: frozenset[str] = frozenset()
    not_flags: frozenset[str] = frozenset()
    error: str | None = None
    meta: tuple[Meta, ...] = ()  # metadata tests: every one must pass

    @property
    def empty(self) -> bool:
        return not self.terms and not self.flags and not self.not_flags and not self.meta


def parse_query(text: str) -> Query:
    """Parse the small query language shown in the help (`QUERY_HELP`). Never raises."""
    terms: list[Term] = []
    flags: set[str] = set()
    not_flags: set[str] = set()
    errors: list[str] = []
    meta: list[Meta] = []
    for m in _TOKEN.finditer(text):
        if not m.group(0):
            continue
        neg, prefix, phrase, word = m.groups()
        prefix = (prefix or "").casefold()
        raw = phrase if phrase is not None else word or ""
        value = fold(raw).strip()
        if prefix == "is":
            if not value:
                errors.append("is: needs a value: is:unread, is:read or is:queued")
            elif value in FLAGS:
                (not_flags if neg else flags).add(value)
            else:
                errors.append(f"unknown is:{raw} (is:unread, is:read or is:queued)")
            continue
        if prefix in META:
            got = _meta(prefix, raw, bool(neg))
            if isinstance(got, str):
                errors.append(got)
            else:
                meta.append(got)
            continue
        if prefix and prefix not in FIELDS:
            value = f"{fold(prefix)}:{value}"  # not a field: keep the colon word as typed, e.g. "arxiv:2601"
        elif prefix and not value:
            errors.append(f"{prefix}: needs a word right after the colon")
            continue
        fieldname = FIELDS.get(prefix, "any")
        if not value or (phrase is None and not _WORD.search(value)):
            continue  # a lone `-`, `"`, or punctuation: nothing to match, nothing to leave out
        if neg:
            terms.append(Term(value, fieldname, exact=True, negated=True))
        elif phrase is not None:
            terms.append(Term(value, fieldname, exact=True))
        else:
            # Split "foo-bar" or "foo/bar" into words the tokeniser also sees.
            for w in _WORD.findall(value):
                terms.append(Term(w, fieldname))
    return Query(tuple(terms), frozenset(flags), frozenset(not_flags), "; ".join(errors) or None, tuple(meta))


def paper_meta(paper: Paper) -> tuple[tuple[str, ...], str | None, date | None, int | None]:
    """(folded categories, kind, date, upvotes): the date is the one the list shows, the paper's
    own or else its first digest's."""
    day = paper.published or (paper.digests[0].date if paper.digests else None)
    return tuple(fold(c) for c in paper.categories), paper.kind.value, day, paper.upvotes


def flags_ok(query: Query, pid: str, is_read: Callable[[str], bool], is_queued: Callable[[str], bool]) -> bool:
    """`is:` flags must hold, `-is:` flags must not (`-is:unread` is `is:read`)."""
    state = {"read": is_read(pid)} if (query.flags or query.not_flags) - {"queued"} else {}
    if "read" in state:
        state["unread"] = not state["read"]
    if "queued" in query.flags or "queued" in query.not_flags:
        state["queued"] = is_queued(pid)
    return all(state[f] for f in query.flags) and not any(state[f] for f in query.not_flags)
