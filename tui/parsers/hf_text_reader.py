"""Reading a saved Hugging Face papers page (`tui/parsers/hf_text.py`) into entries: `_Reader`.

The page has no markup left, so the parser works on its non-blank lines ("elements"):

    [boilerplate] [page date]  title  abstract  [byline  ·  date]  title  abstract ...

Blank lines carry no meaning: the three variants (blank lines with byline blocks, blank lines
without, no blank lines at all) reduce to the same element sequence. The lone `·` line anchors
a byline block; between blocks, text lines pair up as title, abstract. When a title lost its
abstract (or an abstract its title), the pairing resyncs on length (abstracts are far longer
than titles) and the line is reported.

Two readers: `read_fast` takes a regular page in one regex pass over the whole text and gives
up at the first oddity; `read` then walks the lines one by one, judging and reporting each
oddity. Tests check that both read every regular page the same way.

Organisation bylines: the page shows the organisation's avatar, whose alt text is the org's
handle, before its display name (`apple Apple`, `allenai Ai2`). The first word is taken as the
avatar handle and dropped when it is the display name in slug form (`apple`/`Apple`,
`deepseek-ai`/`DeepSeek`) or an all-lowercase slug followed by a capitalised name; otherwise
the whole line is the name (`Google DeepMind` keeps both words).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from tui.model import MONTHS, Digest

# Exact lines of the page chrome, anywhere in the file (a file may hold several saved pages).
_BOILERPLATE = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
# Chrome that can be glued to the next element when the page lost its line breaks; longest
# first so "… inbox once a day!" wins over "… inbox".
_GLUED = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
    "byAK and the research community",
    "Daily Papers",
    "Subscribe",
)
_MONTHS = {n: i for i, m in enumerate(MONTHS, 1) for n in (m[:3].lower(), m.lower())} | {"sept": 9}
# "Feb 2", "Aug 19, 2024", "Sep 8 2" (2 upvotes), "Aug 20, 2024 1".
_DATE = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2})(?:, (\d{4}))?(?: (\d{1,7}))?")
# Something that wants to be a date but may not parse ("Feb 30", "Sometime 2024"): consumed
# as the date line of a byline block and reported, rather than mistaken for a title.
# Possessive `*+`: digits belong to the first run, so a failing 60k-digit line fails in linear time.
_DATEISH = re.compile(r"(?:[A-Za-z]{3,9}\.?\s+)?\d[\d ,./-]*+\w*")
_AUTHORS = re.compile(r"•\s*(\d{1,6})\s+authors?", re.IGNORECASE)
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]*")
_NON_ALNUM = re.compile(r"[\W_]+")

# One regular entry: title, abstract, optional byline block; lines may be separated by blank
# lines (or not), each element stripped. The first characters exclude `·` and `•` so a stray
# anchor or author count never passes as a title or abstract.
_EOL = r"[ \t]*(?:\n(?:[ \t]*\n)*[ \t]*|\Z)"
_FAST_ENTRY = re.compile(
    r"(?P<t>[^\s·•](?:[^\n]*\S)?)[ \t]*\n(?:[ \t]*\n)*[ \t]*"
    r"(?P<a>[^\s·•](?:[^\n]*\S)?)" + _EOL
    # Possessive `{0,99}+`: a title in byline position fails at once instead of backtracking.
    + r"(?:(?P<b>[^\s·][^\n]{0,99}+)(?<=\S)\n[ \t]*·[ \t]*\n"
    + r"[ \t]*(?P<d>\S(?:[^\n]*\S)?)" + _EOL + ")?"
)

_ANCHOR = "·"
_ORG_MAX = 100  # an organisation line is short; a long line before `·` is an abstract
_TITLE_MAX = 300  # an orphan longer than this is an abstract that lost its title


# An entry as found on the page, before the digest's day is known (it resolves the dates):
# [where, title, abstract, author_count, organization, (month, day, year, where) | None, upvotes]
# `where` is a line number (slow path, a list it can fill in when a byline block follows) or a
# character offset (fast path, a tuple; see `line_of`).
_Entry = Any  # a 7-item record: a tuple, or a list while its byline is being filled in


class _Reader:
    """Finds entries, byline blocks and the page date: `read_fast` for regular pages, else `read`."""

    def __init__(self, digest: Digest) -> None:
        self.digest = digest
        self.entries: list[_Entry] = []
        self.page_day: tuple[int, int, int | None] | None = None
        self.page_line: int | None = None
        self.offsets = False  # entries hold character offsets instead of line numbers
        # Byline and date lines repeat across a page: parse each distinct one once.
        self._bylines: dict[str, tuple[int | None, str | None]] = {}
        self._days: dict[str, tuple[int, int, int | None, int | None] | None] = {}

    def _byline(self, line: str) -> tuple[int | None, str | None]:
        """(author count, None) for `• N authors`, else (None, organisation name)."""
        who = self._bylines.get(line)
        if who is None:
            am = _AUTHORS.fullmatch(line)
            who = (int(am.group(1)), None) if am else (None, _organization(line))
            self._bylines[line] = who
        return who

    def _day(self, line: str) -> tuple[int, int, int | None, int | None] | None:
        """`_date_parts` of a line, remembered."""
        try:
            return self._days[line]
        except KeyError:
            day = self._days[line] = _date_parts(line)
            return day

    def line_of(self, text: str) -> Callable[[int], int]:
        """Turn an entry's `where` into a line number (built only if a warning needs one)."""
        if not self.offsets:
            return lambda where: where
        starts: list[int] = []

        def line(pos: int) -> int:
            if not starts:
                starts.extend(m.end() for m in re.finditer("\n", text))
            return bisect_right(starts, pos) + 1

        return line

    def read_fast(self, text: str) -> bool:
        """Read a regular page with one regex pass; False (nothing kept) at the first oddity.

        Accepts only what `read` would read the same way without a diagnostic, so any page
        that needs judgement (stray `·`, lost abstracts, odd dates, chrome mid-file) is read
        by `read` instead.
        """
        start = self._fast_header(text)
        if start < 0:
            return False
        entries: list[_Entry] = []
        append = entries.append
        boiler = _BOILERPLATE
        expected = start
        # Each match anchored where the last one ended (a scanner's `match`, looped in C), not
        # `finditer`, which would retry the pattern from every later character of a line that
        # does not fit: quadratic on a long hostile line.
        # (`Pattern.scanner` is CPython's long-standing, undocumented, untyped API.)
        for m in iter(_FAST_ENTRY.scanner(text, start).match, None):  # type: ignore[attr-defined]
            at = expected
            expected = m.end()
            title, abstract, byline, when = m.group(1, 2, 3, 4)
            if len(abstract) <= 2 * len(title) or title in boiler:
                return self._fast_abort()
            if len(abstract) < 60 and abstract in boiler:
                return self._fast_abort()
            if byline is None:
                append((at, title, abstract, None, None, None, None))
                continue
            day = self._day(when)
            if day is None or byline in boiler:
                return self._fast_abort()
            who = self._byline(byline)
            month, mday, year, upvotes = day
            append((at, title, abstract, who[0], who[1], (month, mday, year, m.start(4)), upvotes))
        if expected < len(text) and not text[expected:].isspace():
            return self._fast_abort()
        self.entries = entries
        self.offsets = True
        return True

    def _fast_abort(self) -> bool:
        self.page_day = self.page_line = None
        return False

    def _fast_header(self, text: str) -> int:
        """Offset of the first title after the chrome, as `read` finds it; records the page date.

        -1 when the header is unusual (two page dates) or there is no body.
        """
        pos, line, n = 0, 1, len(text)
        while pos < n:
            nl = text.find("\n", pos)
            end = n if nl < 0 else nl
            raw = text[pos:end]
            s = raw.strip()
            if s:
                u = _unglue(s)
                if u and u not in _BOILERPLATE:
                    m = _DATE.fullmatch(u)
                    if not (m and m.group(4) is None and _month(m.group(1))):
                        indent = len(raw) - len(raw.lstrip())
                        return pos + indent + len(s) - len(u)
                    if self.page_day is not None:
                        return -1
                    self._page_date(m, line)
            pos, line = end + 1, line + 1
        return -1

    def read(self, text: str) -> None:
        """Walk the non-blank lines, pairing titles and abstracts and reporting every oddity."""
        # (1-based line number, stripped text) for every non-blank line.
        els = [(n, s) for n, line in enumerate(text.split("\n"), 1) if (s := line.strip())]
        n = len(els)
        run: list[tuple[int, str]] = []  # text lines since the last byline block
        header = True  # at the top of a page: chrome and the page date are expected
        i = 0
        while i < n:
            ln, s = els[i]
            if header:
                s = _unglue(s)
                if not s:
                    i += 1
                    continue
                if s in _BOILERPLATE:
                    i += 1
                    continue
                m = _DATE.fullmatch(s)
                if m and m.group(4) is None and _month(m.group(1)):
                    self._page_date(m, ln)
                    i += 1
                    continue
                header = False
                els[i] = (ln, s)
            if len(s) <= 51 and s in _BOILERPLATE:  # a second saved page in the same file
                self._pair(run, final=False)
                run = []
                header = True
                i += 1
                continue
            if s == _ANCHOR:
                i, run = self._block(els, i, run)
                continue
            nxt = els[i + 1][1] if i + 1 < n else None
            if s[0] == "•" and _AUTHORS.fullmatch(s) and nxt != _ANCHOR:
                self.digest.warn(f"author count {s!r} outside a byline block; ignored", ln)
                i += 1
                continue
            run.append((ln, s))
            i += 1
        self._pair(run, final=True)

    def _page_date(self, m: re.Match[str], ln: int) -> None:
        day = (_month(m.group(1)), int(m.group(2)), int(m.group(3)) if m.group(3) else None)
        if self.page_day is None:
            self.page_day, self.page_line = day, ln
        elif day != self.page_day:
            self.digest.warn(f"another page dated {m.group(0)!r}; the digest keeps the first date", ln)

    def _block(
        self, els: list[tuple[int, str]], i: int, run: list[tuple[int, str]]
    ) -> tuple[int, list[tuple[int, str]]]:
        """Handle the `·` at els[i]: return the index after the block and the run that goes on.

        A byline is the line before `·`: an author count, or a short line (an organisation)
        when a date-like line follows; otherwise the `·` is stray and the run continues.
        """
        ln = els[i][0]
        nxt = els[i + 1] if i + 1 < len(els) else None
        day = self._day(nxt[1]) if nxt is not None and len(nxt[1]) < 40 else None
        dateish = day is not None or (
            nxt is not None and nxt[1] != _ANCHOR and _DATEISH.fullmatch(nxt[1]) is not None
        )
        byline: tuple[int, str] | None = None
        if run and run[-1][0] == els[i - 1][0]:
            cand = run[-1][1]
            if len(cand) <= _ORG_MAX and (dateish or self._byline(cand)[0] is not None):
                byline = run.pop()
        if byline is None and day is None:
            self.digest.warn("stray '·' line (no byline before it, no date after it); ignored", ln)
            # Pair what is complete; an odd title left over waits for its abstract after the `·`.
            tail = [run.pop()] if len(run) % 2 else []
            self._pair(run, final=False)
            return i + 1, tail
        before = len(self.entries)
        self._pair(run, final=False)
        entry = self.entries[-1] if len(self.entries) > before else None
        if byline is None:
            self.digest.warn("byline block without an author count or organisation line", ln)
        end = i + 1
        if entry is None:
            where = byline[0] if byline else ln
            self.digest.warn("byline block with no paper before it; ignored", where)
            return end + (1 if dateish else 0), []
        if byline is not None:
            entry[3], entry[4] = self._byline(byline[1])
        if day is not None and nxt is not None:
            month, mday, year, upvotes = day
            entry[5], entry[6] = (month, mday, year, nxt[0]), upvotes
            end += 1
        elif dateish and nxt is not None:
            self.digest.warn(f"byline date {nxt[1]!r} not understood; ignored", nxt[0])
            end += 1
        else:
            self.digest.warn("byline block without a date line", ln)
        return end, []

    def _pair(self, run: list[tuple[int, str]], final: bool) -> None:
        """Turn [title, abstract, title, abstract, ...] into entries, resyncing on an odd one out.

        A pair looks right when the abstract is more than twice as long as the title (true of
        every real entry by a wide margin). When a pair looks wrong but the next one looks
        right, the current line lost its partner: a short one is a title without abstract
        (kept, empty abstract), a long one an abstract without title (skipped).
        """
        k = len(run)
        append = self.entries.append
        j = 0
        while j < k:
            ln, s = run[j]
            if j + 1 < k:
                nxt = run[j + 1][1]
                if not (len(nxt) > 2 * len(s)) and j + 2 < k and len(run[j + 2][1]) > 2 * len(nxt):
                    self._orphan(ln, s, truncated=False)
                    j += 1
                    continue
                append([ln, s, nxt, None, None, None, None])
                j += 2
            else:
                self._orphan(ln, s, truncated=final)
                j += 1

    def _orphan(self, ln: int, s: str, truncated: bool) -> None:
        """A line without its partner: keep a title (empty abstract), skip an abstract."""
        if len(s) > _TITLE_MAX:
            self.digest.warn("text without a title (an abstract?); skipped", ln)
            return
        why = " (file truncated?)" if truncated else ""
        self.digest.warn(f"title {s[:60]!r} has no abstract{why}", ln)
        self.entries.append([ln, s, "", None, None, None, None])


def _unglue(s: str) -> str:
    """Split page chrome glued to the next element (`SubscribeBayesian Updates…`)."""
    changed = True
    while changed and s and s not in _BOILERPLATE:
        changed = False
        for chrome in _GLUED:
            if s.startswith(chrome):
                rest = s[len(chrome) :].lstrip()
                if rest and not rest[0].islower():
                    s, changed = rest, True
                    break
    return s


def _month(name: str) -> int:
    return _MONTHS.get(name.lower(), 0)


def _date_parts(line: str) -> tuple[int, int, int | None, int | None] | None:
    """(month, day, year or None, upvotes or None) of a byline date line, None if not one."""
    m = _DATE.fullmatch(line)
    month = _month(m.group(1)) if m else 0
    if not month or m is None:
        return None
    year, upvotes = m.group(3, 4)
    return month, int(m.group(2)), int(year) if year else None, int(upvotes) if upvotes else None


def _organization(line: str) -> str:
    """The organisation's display name, without the avatar handle (see the module docstring)."""
    parts = line.split(None, 1)
    if len(parts) < 2:
        return line
    handle, name = parts
    h = _NON_ALNUM.sub("", handle.casefold())
    nm = _NON_ALNUM.sub("", name.casefold())
    if h and nm and (h.startswith(nm) or nm.startswith(h)):
        return name
    if _SLUG.fullmatch(handle) and not name[0].islower():
        return name
    return line
