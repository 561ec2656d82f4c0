"""Helpers shared by the parsers: building links and dates the same way everywhere."""

from __future__ import annotations

import re
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
