"""Hugging Face "Daily Papers" page saved as text (browser "save as text", or a copy of the page).

`sniff` and `parse` for this format; finding the entries on the page is `tui/parsers/hf_text_reader.py`
(the page's shape, the fast and the careful reader, organisation bylines). This module builds the
papers and resolves their dates.

Dates: a page date or published date without a year is the most recent such day on or before
a reference day: the date in the file name (`2026-10-31.txt`, `hf-20261031.txt`), else the
file's modification day, else today. The page date itself takes the year that puts it closest
to the file-name date (a page saved on Jan 2 can still be the Dec 31 digest), or the most
recent one on or before the modification day. A page without a page date has the file-name
date as its digest date, or none.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from tui.model import Digest, Format, Paper, ParseResult, title_id
from tui.parsers.common import add_abstract_links, date_in_name
from tui.parsers.hf_text_reader import _BOILERPLATE as _BOILERPLATE  # tests read these here
from tui.parsers.hf_text_reader import _DATE, _TITLE_MAX, _Entry, _Reader
from tui.parsers.hf_text_reader import _organization as _organization

# sniff(): page chrome at a line start; "Subscribe" only alone or glued to a capitalised title.
_SNIFF_CHROME = re.compile(
    r"^(?:Get trending papers in your email inbox|byAK and the research community$"
    r"|Daily Papers$|Subscribe(?:$|[A-Z0-9]))",
    re.MULTILINE,
)
_SNIFF_BYLINE = re.compile(r"^[ \t]*•[ \t]*\d+[ \t]+authors?[ \t]*\n[ \t]*·[ \t]*$", re.MULTILINE)
_SNIFF_HEAD = 16384


def sniff(text: str) -> bool:
    """True for a saved HF papers page: its chrome, a byline block, or two title/abstract pairs.

    Tried last, so it can be permissive, but a file of prose (paragraphs, or headings between
    paragraphs only once) must stay "unknown format".
    """
    head = text[:_SNIFF_HEAD]
    if not head.strip():
        return False
    if _SNIFF_CHROME.search(head) or _SNIFF_BYLINE.search(head):
        return True
    lines = [s for s in (line.strip() for line in head.split("\n")) if s]
    while lines and _DATE.fullmatch(lines[0]):
        del lines[0]  # a page date
    if len(lines) < 4:
        return False
    return all(_plausible_pair(lines[k], lines[k + 1]) for k in (0, 2))


def _plausible_pair(title: str, abstract: str) -> bool:
    """A title is one short line that is not a sentence; an abstract a long line of sentences."""
    return (
        2 <= len(title) <= _TITLE_MAX
        and not title.endswith(".")
        and title[0] not in "#*-=>|"  # Markdown headings, lists, quotes, tables
        and len(abstract) >= 150
        and len(abstract) > 2 * len(title)
        and ". " in abstract
    )


def parse(text: str, path: Path, mtime: float | None = None) -> ParseResult:
    """Read a saved HF papers page; never raises, problems become diagnostics with line numbers."""
    return _parse(text, path, mtime, fast=True)


def _parse(text: str, path: Path, mtime: float | None, fast: bool) -> ParseResult:
    """`parse`, with the fast path optional so tests can check that both paths agree."""
    digest = Digest(path=path, format=Format.HF_TEXT)
    file_day = date_in_name(path.name)
    ref_day = file_day or _mtime_day(mtime)
    reader = _Reader(digest)
    if not (fast and reader.read_fast(text)):
        reader.read(text)
    line_of = reader.line_of(text)
    if reader.page_day is not None:
        digest.date = _page_date(reader.page_day, file_day, ref_day)
        if digest.date is None:
            digest.warn("page date is not a real day; ignored", reader.page_line)
    else:
        digest.date = file_day
    if digest.date is not None:
        ref_day = digest.date
    papers = _build(reader.entries, ref_day, digest, line_of)
    if not any(p.abstract for p in papers):
        # Lone lines with nothing that pairs up are not a page, whatever sniff() said.
        papers = []
        digest.error("no papers found: no title followed by an abstract")
    # Dates are checked after the pass that found them: report in file order.
    digest.diagnostics.sort(key=lambda d: (d.line is None, d.line or 0))
    digest.paper_ids = [p.id for p in papers]
    return ParseResult(digest, papers)


def _build(
    entries: list[_Entry], ref_day: date, digest: Digest, line_of: Callable[[int], int]
) -> list[Paper]:
    """Create each Paper once; resolve year-less dates against `ref_day`; drop repeated titles."""
    papers: list[Paper] = []
    append = papers.append
    seen: dict[str, int] = {}
    days: dict[tuple[int, int, int | None], date | None] = {}
    for where, title, abstract, count, org, when, upvotes in entries:
        published = None
        if when is not None:
            key = when[:3]
            published = days[key] if key in days else days.setdefault(key, _resolve(key[0], key[1], key[2], ref_day))
            if published is None:
                bad = f"byline date is not a real day ({key[0]}/{key[1]}); ignored"
                digest.warn(bad, line_of(when[3]))
        if "\t" in title:  # a tab means nothing inside a one-line title; fold it like other spaces
            title = " ".join(title.split())
        pid = title_id(title)
        if pid in seen:
            first = line_of(seen[pid])
            digest.warn(f"duplicate title (first seen at line {first}); kept the first", line_of(where))
            continue
        seen[pid] = where
        paper = Paper(
            id=pid,
            title=title,
            abstract=abstract,
            author_count=count,
            organization=org,
            published=published,
            upvotes=upvotes,
        )
        if "http" in abstract:  # cheap test first: most abstracts have no URL
            add_abstract_links(paper)
        append(paper)
    return papers


def _mtime_day(mtime: float | None) -> date:
    """The file's modification day (a page is saved on or after its digest's day), else today."""
    if mtime is not None:
        try:
            return datetime.fromtimestamp(mtime).date()
        except (OverflowError, OSError, ValueError):
            pass
    return date.today()


def _resolve(month: int, day: int, year: int | None, ref: date) -> date | None:
    """The day itself when it has a year; else the most recent such day on or before `ref`."""
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for y in range(ref.year, ref.year - 9, -1):  # Feb 29 may need to go back up to 8 years
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d <= ref:
            return d
    return None


def _page_date(page: tuple[int, int, int | None], file_day: date | None, ref: date) -> date | None:
    """The digest's day: the page date, its year from the file name's date or the mtime."""
    month, day, year = page
    if year is not None or file_day is None:
        return _resolve(month, day, year, ref)
    # Closest to the file-name date: it names the digest, but maybe in another time zone.
    best: date | None = None
    for y in (file_day.year - 1, file_day.year, file_day.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - file_day).days) < abs((best - file_day).days):
            best = d
    return best
