"""Helpers shared by the parsers: building links and dates the same way everywhere."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import Any

from tui.model import Paper
from tui.sanitize import find_urls


def add_abstract_links(paper: Paper) -> None:
    """Add URLs found in the abstract: GitHub and project pages get names, others `url1`, ..."""
    urls = find_urls(paper.abstract)
    if not urls:
        return
    n = 0
    known = {u.rstrip("/") for u in paper.links.values()}
    for url in urls:
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


_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)([-_.]?)(\d\d)\2(\d\d)(?!\d)")


def date_in_name(name: str) -> date | None:
    """A date written in a file name (`2026-10-31.txt`, `hf-20261031.json`), if it is a real day."""
    for m in _FILE_DATE.finditer(name):
        try:
            return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
    return None


# Maths as arXiv writes it: left exactly as written, never handed to the LaTeX converter.
_MATH = re.compile(r"\$\$[^$]*\$\$|\$[^$]*\$")


@lru_cache(maxsize=1)
def _latex_converter() -> Any:
    """pylatexenc's converter, built once and only when a field has a backslash (import ~15 ms)."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def latex_to_unicode(text: str) -> str:
    """LaTeX in an arXiv name or title as the letters it means (`Tr\\'e Guillory` -> `Tré Guillory`,
    `Balk{\\i}r` -> `Balkır`, `\\textit{x}` -> `x`), through pylatexenc rather than a table of
    our own. Maths (`$...$`) stays as written; spacing between words is kept; `%` is a percent
    sign, not a comment. Free when the text has no backslash (nearly every field)."""
    if "\\" not in text:
        return text
    parts: list[str] = []
    done = 0
    for m in _MATH.finditer(text):
        parts.append(_latex_segment(text[done : m.start()]))
        parts.append(m.group(0))
        done = m.end()
    parts.append(_latex_segment(text[done:]))
    return "".join(parts)


# pylatexenc costs ~20 us a character: a name or title is far shorter; a longer "name" is junk
# and is shown as written rather than spending seconds on it.
LATEX_MAX = 2000


def _latex_segment(segment: str) -> str:
    if "\\" not in segment or len(segment) > LATEX_MAX:
        return segment
    try:
        out = _latex_converter().latex_to_text(segment.replace("%", "\\%"))
    except Exception:  # pylatexenc is tolerant; should it still give up, keep what was written
        return segment
    out = unicodedata.normalize("NFC", out)
    # Keep the segment's own edges (a space before maths) and fold the inside like a title.
    lead = " " if segment[:1].isspace() else ""
    tail = " " if segment[-1:].isspace() else ""
    inner = " ".join(out.split())
    if not inner:  # nothing readable came out (a lone `\\`): keep what was written
        return segment
    return f"{lead}{inner}{tail}"
