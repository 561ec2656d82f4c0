"""Helpers shared by the parsers: building links and dates the same way everywhere."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from tui.model import Paper
from tui.sanitize import find_urls


def add_abstract_links(paper: Paper) -> None:
    """Add URLs found in the abstract: GitHub and project pages get names, others `url1`, ..."""
    n = 0
    known = {u.rstrip("/") for u in paper.links.values()}
    for url in find_urls(paper.abstract):
        if url.rstrip("/") in known:
            continue
        known.add(url.rstrip("/"))
        if "github.com/" in url and "github" not in paper.links:
            paper.links["github"] = url
        else:
            n += 1
            paper.links[f"url{n}"] = url


def iso_date(value: object) -> date | None:
    """Parse the date part of an ISO timestamp (`2026-07-31T00:00:00.000Z`); None if unusable."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def mtime_year(mtime: float | None) -> int:
    """The year of a file's modification time (fallback for year inference), or this year."""
    if mtime is None:
        return date.today().year
    return datetime.fromtimestamp(mtime).year


_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_.]?)(\d\d)\2(\d\d)(?!\d)")


def date_in_name(name: str) -> date | None:
    """A date written in a file name (`2026-10-31.txt`, `hf-20261031.json`), if it is a real day."""
    for m in _FILE_DATE.finditer(name):
        try:
            return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
    return None


# LaTeX accent commands arXiv listings keep in names and titles (`Schr\\"odinger`, `V\\'ictor`).
_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328", "r": "\u030a"}
_ACCENT = re.compile(r"\{?\\(['`^\"~=.]|[cvuHkr](?=[{ ]))\s*\{?\s*(\\[ij]|[A-Za-z])\s*\}?\}?")
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł"}
_LETTER = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L)(?![A-Za-z])\}?")


def latex_accents(text: str) -> str:
    """Turn LaTeX accents into the letters they mean (`\\'e` -> `é`, `{\\ss}` -> `ß`); maths and
    other commands are left as written. Cheap when there is no backslash."""
    if "\\" not in text:
        return text

    def accent(m: re.Match[str]) -> str:
        letter = m.group(2).lstrip("\\")  # \\i, \\j: dotless letters take the accent
        return unicodedata.normalize("NFC", letter + _ACCENTS[m.group(1)])

    text = _ACCENT.sub(accent, text)
    return _LETTER.sub(lambda m: _LETTERS[m.group(1)], text)
