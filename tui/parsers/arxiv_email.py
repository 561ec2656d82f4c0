"""arXiv e-mail digests (the daily subscription mailing), 2023 and 2024+ layouts.

A header, then entries separated by a line of dashes. Each entry::

    \\\\
    arXiv:ID [(*cross-listing*)]
    Date: <submitted>   (NNkb)          or   replaced with revised version <date>   (NNkb)

    Title: ... (continuation lines indented)
    Authors: ...
    Categories: ...
    Comments: ... (and DOI:, Journal-ref:, MSC-class:, ACM-class:, Report-no:)
    \\\\
      abstract, wrapped; an indented line starts a new paragraph
    \\\\ ( https://arxiv.org/abs/ID ,  NNkb)

Replacements (after the ``%%--%%--`` line) have no abstract. A ``%%%---`` trailer ends the file.

Decisions where the format leaves room:

- ``published`` is the date on the entry's second line: the submission date of a new or cross-listed
  paper, the revised-version date of a replacement (the only date a replacement carries).
- Authors: parenthesised groups are dropped before splitting on commas and " and " (affiliation
  markers ``(1)``, affiliations ``(MIT)``, the trailing ``((1) Univ ..., (2) ...)`` list, and
  nicknames such as ``(Richard)`` alike): a name list should hold names only.
- The digest's day is the announcement day: the mail ``Date:`` header when there is one (2023
  layout), else the first weekday after the end of the ``received from ... to ...`` range (arXiv
  announces a range ending at 14:00 ET that evening, which is the next day in GMT; a Friday range
  is announced on Sunday evening, Monday in GMT; holidays are not modelled). ``date_start`` is the
  first day of the range. A range with no ``to`` part gives its start day when nothing better exists.
- An entry whose ``arXiv:`` line is missing takes its id from its abs link when it has one, else
  it loads under a title id (with a warning); an entry with neither id nor title is skipped. A
  duplicate id keeps the first entry.
- A ``DOI:`` field becomes a ``doi`` link; Journal-ref, MSC/ACM classes and Report-no have no home
  in the model and are not kept.
- Abstract paragraphs follow arXiv's own rule: a line that starts with white space opens a new
  paragraph, unless it continues a sentence (the line before ends without `.`, `!`, `?`, `:` or
  `;`, and it is not a list item such as `(2) ...`); other line breaks are wraps and become spaces.
- Warnings name the line of the entry's opening ``\\\\`` (its id line for a bad id). An entry cut
  short (no closing abs line) still loads with what it has.

Speed: one regex pass finds the entries, one regex reads the usual head of each; the tolerant
field-by-field reading only runs for entries that do not fit (none in the real mailings).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from tui.model import MONTHS, Digest, Format, Kind, Paper, ParseResult, arxiv_links, title_id
from tui.parsers.common import add_abstract_links, latex_to_unicode

HEAD_BYTES = 8192  # the sniffer and the header search look no further than this

# Where an entry starts: after a line of dashes followed by its opening "\\" line (the separator),
# or at a "\\" line followed by an "arXiv:" line when a separator went missing.
_SEP = re.compile(r"\n(?:-{20,}[ \t]*\n(?=\\\\[ \t]*\n)|(?=\\\\[ \t]*\narXiv:))")
# Where the entries start when the header is not followed by a dashed separator (or is absent).
_FIRST_ENTRY = re.compile(r"(?:^|\n)(\\\\[ \t]*\narXiv:)")
_SNIFF = re.compile(
    r"^\\\\[ \t]*\narXiv:"
    r"|^ ?Submissions to:"
    r"|^ ?received from\s+[A-Z][a-z]{2},?\s+\d{1,2}\s+[A-Z][a-z]{2}\s+\d{2}",
    re.MULTILINE,
)
_ID_LINE = re.compile(
    r"arXiv:(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
    r"(?P<cross>[ \t]+\(\*cross-listing\*\))?[ \t]*(?:\n|$)"
)
_ANY_ID_LINE = re.compile(r"arXiv:[ \t]*(\S*)")
_DATE_LINE = re.compile(
    r"^(?:Date:|(?P<replaced>replaced with revised version))[^\n]*?"
    r"(?P<d>\d{1,2})\s+(?P<m>[A-Z][a-z]{2})\s+(?P<y>\d{4})",
    re.MULTILINE,
)
# The usual head of an entry, in arXiv's order; anything else goes to the tolerant reading.
_HEAD = re.compile(
    r"arXiv:(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?( \(\*cross-listing\*\))?\n"
    r"(?:Date:|(replaced with revised version)) [A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) .*\n"
    r"\nTitle: (.*(?:\n .*)*)\n"
    r"Authors: (.*(?:\n .*)*)\n"
    r"Categories: (.*(?:\n .*)*)"
)
_NO_FIELDS: dict[str, str] = {}  # shared, never written: the usual entry has no further fields
_NEW, _CROSS, _REPLACED = Kind.NEW, Kind.CROSS_LIST, Kind.REPLACED
_FIELD = re.compile(r"^([A-Z][A-Za-z-]*): ?(.*(?:\n[ \t].*)*)", re.MULTILINE)
_END_LINE = "\n\\\\ ("
_END_ID = re.compile(r"\\\\ \( ?https?://arxiv\.org/abs/(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})")
_MARKERS = re.compile(r"\n(?:%%%---|%%--%%--|%-%-%-)")
_UNCLOSED = re.compile(r"\([^,]*")
# A paragraph starts at a blank line, or at an indented line when the line before it ended a
# sentence or the indented line is a list item (`(2) ...`, `2. ...`, `- ...`); an indented line
# in mid-sentence (`... the energy\n  resolution degradation ...`) is a wrap like any other.
# Every branch starts at the newline, so the scan skips to newlines (lookbehinds only run there).
_PARAGRAPH = re.compile(
    r"\n(?:[ \t]*\n\s*"
    r"|(?:(?<=[.!?:;]\n)|(?<=[.!?:;][)\]\"'’”]\n))[ \t]+"
    r"|[ \t]+(?=\(?(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)][ \t]|[-*•][ \t]))"
)

_HEADER_RANGE = re.compile(
    r"received from\s+(?:[A-Z][a-z]{2},?\s+)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{2,4})"
    r"(?:[^\n]*?\bto\s+(?:[A-Z][a-z]{2},?\s+)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{2,4}))?",
)
_HEADER_DATE = re.compile(
    r"^Date:\s+(?:[A-Z][a-z]{2},?\s+)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{2,4})\b", re.MULTILINE
)
_MONTHS = {m[:3]: i for i, m in enumerate(MONTHS, 1)}


def sniff(text: str) -> bool:
    """An entry's ``\\\\`` + ``arXiv:`` lines, or the 2024+ header block, near the top."""
    return _SNIFF.search(text, 0, HEAD_BYTES) is not None


def parse(text: str, path: Path, mtime: float | None = None) -> ParseResult:
    """Read every entry; damaged ones become warnings naming their line, the rest still load."""
    if "\r" in text:  # the loader normalises CRLF; stay correct if handed raw text anyway
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = Digest(path=path, format=Format.ARXIV_EMAIL)
    lines = _LineCounter(text)

    starts = [0] + [m.end() for m in _SEP.finditer(text)]
    header = text[: _header_end(text, starts)]
    _read_header(header, digest)
    first = len(header)
    starts[0] = first

    replaced_from = text.find("\n%%--%%--", first)
    if replaced_from < 0:
        replaced_from = len(text)

    papers: list[Paper] = []
    seen: set[str] = set()
    ends = starts[1:] + [len(text)]
    for start, end in zip(starts, ends):
        if start >= end:
            continue
        paper = _entry(text, start, end, start > replaced_from, digest, lines)
        if paper is None:
            continue
        if paper.id in seen:  # (no line for the first one: counting back would cost O(n) each)
            digest.warn(f"duplicate entry for {paper.id}; kept the first", lines.at(start))
            continue
        seen.add(paper.id)
        papers.append(paper)
        digest.paper_ids.append(paper.id)

    if not papers:
        digest.error("no arXiv entries found")
    return ParseResult(digest, papers)


class _LineCounter:
    """1-based line numbers for offsets, counted incrementally (only warnings ask for them)."""

    __slots__ = ("text", "pos", "line")

    def __init__(self, text: str) -> None:
        self.text, self.pos, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        """The line of `offset`; offsets must not decrease (entries are visited in order)."""
        self.line += self.text.count("\n", self.pos, offset)
        self.pos = offset
        return self.line


def _header_end(text: str, starts: list[int]) -> int:
    """Where the first entry begins: at the first separator, or at a bare ``\\\\``/``arXiv:`` pair."""
    limit = starts[1] if len(starts) > 1 else len(text)
    m = _FIRST_ENTRY.search(text, 0, limit)
    return m.start(1) if m else limit


def _entry(text: str, start: int, end: int, in_replacements: bool, digest: Digest,
           lines: _LineCounter) -> Paper | None:
    """One entry (``text[start:end]``, from its opening ``\\\\`` line to the next separator)."""
    if not text.startswith("\\\\", start, end):
        if not text[start:end].isspace():
            digest.warn("text that is not an arXiv entry; skipped", lines.at(start))
        return None
    body_at = text.find("\n", start, end) + 1
    if body_at == 0:
        digest.warn("entry truncated after its opening line; skipped", lines.at(start))
        return None
    meta_end = text.find("\n\\\\", body_at, end)
    truncated = meta_end < 0
    head_end = end if truncated else meta_end

    abstract = ""
    if not truncated and not text.startswith(" (", meta_end + 3, end):  # replacements: no abstract
        rest_at = meta_end + 3
        close = text.find(_END_LINE, rest_at, end)
        if close < 0:
            truncated = True
            raw = text[rest_at:end]
            m = _MARKERS.search(raw)
            if m:
                raw = raw[: m.start()]
        else:
            raw = text[rest_at:close]
        abstract = _paragraphs(raw)

    m = _HEAD.match(text, body_at, head_end)
    if m:  # the usual shape, read by one regex
        aid, cross, replaced, day, month, year, title, authors, categories = m.groups()
        fields = dict(_FIELD.findall(text, m.end(), head_end)) if m.end() < head_end else _NO_FIELDS
        published = _date(day, month, year)
        if published is None:
            digest.warn(f"entry {aid}: unreadable date {day} {month} {year}", lines.at(start) + 2)
    else:
        head_read = _read_head(text, start, end, text[body_at:head_end], digest, lines)
        if head_read is None:
            return None
        aid, cross, replaced, published, fields = head_read
        title, authors, categories = (fields.get(k, "") for k in ("Title", "Authors", "Categories"))
    if truncated:
        digest.warn(f"entry {aid} is truncated (no closing abs line)", lines.at(start))

    comments = _fold(fields["Comments"]) or None if "Comments" in fields else None
    links = {} if aid.startswith("title:") else arxiv_links(aid)
    if "DOI" in fields and fields["DOI"].split():
        links["doi"] = f"https://doi.org/{fields['DOI'].split()[0]}"
    paper = Paper(
        id=aid,
        title=latex_to_unicode(_fold(title)),
        abstract=abstract,
        authors=tuple(map(latex_to_unicode, split_authors(authors))) if "\\" in authors else split_authors(authors),
        published=published,
        categories=tuple(categories.split()),
        links=links,
        kind=_REPLACED if replaced or in_replacements else _CROSS if cross else _NEW,
        comments=comments,
    )
    if "http" in abstract:
        add_abstract_links(paper)
    return paper


def _read_head(text: str, start: int, end: int, head: str, digest: Digest,
               lines: _LineCounter) -> tuple[str, bool, bool, date | None, dict[str, str]] | None:
    """The tolerant reading of an entry's id, date and fields, warning about what is missing.

    Returns (id, cross-listed, replaced, date, fields), or None when the entry has neither an id
    nor a title to load it by.
    """
    fields = dict(_FIELD.findall(head))
    title = _fold(fields.get("Title", ""))
    m = _ID_LINE.match(head)
    if m:
        aid = m.group("id")
        cross = m.group("cross") is not None
        if not title:
            digest.warn(f"entry {aid} has no Title", lines.at(start))
    else:
        cross = "(*cross-listing*)" in head.partition("\n")[0]
        bad = _ANY_ID_LINE.match(head)
        what = f"unreadable arXiv id {bad.group(1)!r}" if bad else "no arXiv id line"
        m_end = _END_ID.search(text, start, end)
        if m_end:
            aid = m_end.group(1)
            digest.warn(f"entry has {what}; id {aid} taken from its abs link", lines.at(start) + 1)
        elif title:
            aid = title_id(title)
            digest.warn(f"entry has {what}; loaded by its title", lines.at(start) + 1)
        else:
            digest.warn(f"entry has {what} and no title; skipped", lines.at(start) + 1)
            return None

    published = None
    replaced = False
    d = _DATE_LINE.search(head)
    if d:
        replaced = d.group("replaced") is not None
        published = _date(d.group("d"), d.group("m"), d.group("y"))
        if published is None:
            digest.warn(f"entry {aid}: unreadable date {d.group(0)!r}", lines.at(start) + 2)
    else:
        digest.warn(f"entry {aid} has no Date line", lines.at(start))
    return aid, cross, replaced, published, fields


def _paragraphs(raw: str) -> str:
    """The abstract as paragraphs: arXiv starts one at an indented line (or after a blank line).

    Same result as ``clean_block`` after turning those line starts into blank lines (the text is
    already clean). Most abstracts are one paragraph of plain wrapped lines: one ``replace`` and
    one search prove it, 4x faster than splitting every word.
    """
    text = raw.strip().replace("\n", " ")
    if "  " not in text and "\t" not in text:  # no indented line, blank line or run of spaces
        return text
    parts = (" ".join(p.split()) for p in _PARAGRAPH.split(raw))
    return "\n\n".join(p for p in parts if p)


def _fold(value: str) -> str:
    """A wrapped field on one line, runs of whitespace as one space (fast path: plain wraps)."""
    value = value.strip().replace("\n", " ")
    if "  " in value or "\t" in value:
        return " ".join(value.split())
    return value


def split_authors(line: str) -> tuple[str, ...]:
    """Names from an Authors field: parenthesised groups dropped, split on commas and " and "."""
    if "(" in line or ")" in line:
        # an unclosed "(" hides the rest of its name's segment; a stray ")" is dropped
        line = _UNCLOSED.sub(" ", _drop_groups(line))
    line = _fold(line).replace(" and ", ",").replace(";", ",")
    return tuple(filter(None, map(str.strip, line.split(","))))


def _drop_groups(line: str) -> str:
    """Each outermost balanced `(...)` group (nested ones inside it too) and each stray `)` becomes
    a space; an unclosed `(` stays. One pass with a stack: linear even for 60k nested parentheses
    (peeling innermost groups with a regex until nothing changes was quadratic)."""
    opens: list[int] = []
    spans: list[tuple[int, int]] = []  # (start, end) of the groups to drop, sorted by start
    for i, ch in enumerate(line):
        if ch == "(":
            opens.append(i)
        elif ch == ")":
            start = opens.pop() if opens else i  # a stray ")" drops only itself
            while spans and spans[-1][0] > start:  # groups nested in this one go with it
                spans.pop()
            spans.append((start, i + 1))
    out: list[str] = []
    done = 0
    for start, end in spans:
        out.append(line[done:start])
        out.append(" ")
        done = end
    out.append(line[done:])
    return "".join(out)


@lru_cache(maxsize=1024)  # a digest repeats a few hundred distinct dates across thousands of entries
def _date(day: str, month: str, year: str) -> date | None:
    """``3 Mar 23`` or ``3 Mar 2023`` as a date (two-digit years are 19xx from 90 on, else 20xx)."""
    m = _MONTHS.get(month)
    if m is None:
        return None
    y = int(year)
    if y < 100:
        y += 1900 if y >= 90 else 2000
    try:
        return date(y, m, int(day))
    except ValueError:
        return None


def _announcement_day(end: date) -> date:
    """The first weekday after a range's end: the GMT day arXiv mails that range's listing."""
    day = end + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _read_header(header: str, digest: Digest) -> None:
    """Set the digest's day and range from the mail Date header and the ``received from`` line."""
    head = header[:HEAD_BYTES]
    mail_day = None
    m = _HEADER_DATE.search(head)
    if m:
        mail_day = _date(*m.groups())
    end = None
    r = _HEADER_RANGE.search(head)
    if r:
        digest.date_start = _date(*r.groups()[:3])
        if r.group(4):
            end = _date(*r.groups()[3:])
    if mail_day is not None:
        digest.date = mail_day
    elif end is not None:
        digest.date = _announcement_day(end)
    elif digest.date_start is not None:
        digest.date = digest.date_start
        digest.warn("digest range has no end ('received from' without 'to'); dated by its start")
    else:
        digest.warn("no digest date in the header (no mail Date: or 'received from' line)")
