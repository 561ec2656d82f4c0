"""Where each source lives, what its files are called, and whether an answer is a digest.

An answer is checked with the very parsers `papertray check` uses (`tui.parsers`), so a file
that `fetch` writes is one the reader reads; anything else (an HTML error page, a rate-limit
JSON, a truncated body) is refused before a byte reaches the digest folder.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlencode

from tui.loader import decode
from tui.model import Format, ParseResult
from tui.parsers import parse_text

SOURCES = ("hf", "arxiv")
QUERY_PAGE = 50  # results per arXiv API request; small pages keep each answer quick
API_GAP = 3.0  # seconds between two arXiv API requests, as arXiv's API terms ask
OTHER_GAP = 1.0  # seconds between two requests to any other host


def hf_url(base: str, day: date) -> str:
    return f"{base.rstrip('/')}/api/daily_papers?date={day.isoformat()}"


def hf_name(day: date) -> str:
    return f"hf-daily-{day.isoformat()}.json"


def rss_url(base: str, categories: tuple[str, ...]) -> str:
    return f"{base.rstrip('/')}/rss/{'+'.join(quote(c, safe='.-') for c in categories)}"


def rss_name(categories: tuple[str, ...], day: date) -> str:
    return f"arxiv-{'+'.join(categories)}-{day.isoformat()}.xml"


def query_url(base: str, query: str, start: int, size: int) -> str:
    params = {"search_query": query, "sortBy": "submittedDate", "sortOrder": "descending",
              "start": start, "max_results": size}
    return f"{base.rstrip('/')}/api/query?{urlencode(params)}"


def query_name(query: str, day: date) -> str:
    """`arxiv-query-<words>-<hash>-DAY.xml`: readable, and two queries never share a name."""
    slug = re.sub(r"[^a-z0-9]+", "-", query.lower()).strip("-")[:40].strip("-") or "query"
    tag = hashlib.sha1(query.encode("utf-8")).hexdigest()[:6]
    return f"arxiv-query-{slug}-{tag}-{day.isoformat()}.xml"


@dataclass(slots=True)
class Verdict:
    """What an answer is: a digest with papers, an empty one, or not a digest (with why)."""

    result: ParseResult | None
    problem: str | None = None  # set when the answer is not a usable digest
    empty: bool = False

    @property
    def papers(self) -> int:
        return len(self.result.papers) if self.result else 0

    @property
    def day(self) -> date | None:
        return self.result.digest.date if self.result else None


_EXPECTED = {Format.HF_JSON: "Hugging Face daily papers JSON",
             Format.ARXIV_RSS: "an arXiv RSS feed", Format.ARXIV_ATOM: "an arXiv API (Atom) feed"}


def _looks_like(data: bytes) -> str:
    """A few words naming what came instead of a digest."""
    head = data[:512].lstrip().lower()
    if not head:
        return "an empty answer"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    return "something else"


def judge(data: bytes, name: str, expected: Format) -> Verdict:
    """Parse `data` as `check` would and say whether it may be written as `name`."""
    warnings: list[tuple[str, int | None]] = []
    if not data.strip():
        return Verdict(None, "not a digest: the answer is empty")
    text = decode(data, warnings)
    result = parse_text(text, Path(name), None)
    digest = result.digest
    errors = [d.message for d in digest.diagnostics if d.level == "error"]
    if digest.format is not expected:
        what = f"{digest.format.value} digest" if digest.format else _looks_like(data)
        return Verdict(result, f"not a digest: expected {_EXPECTED[expected]}, got {what}")
    if errors:
        why = errors[0] if errors[0].startswith("not a digest") else f"not a digest: {errors[0]}"
        return Verdict(result, why)
    if not result.papers:
        return Verdict(result, None, empty=True)
    return Verdict(result)


_ENTRY = re.compile(rb"<entry[\s>].*</entry>\s*", re.DOTALL)


def merge_atom_pages(pages: list[bytes]) -> bytes:
    """One Atom document from several pages of the same query: page 1 plus later entries.

    The arXiv API pages share the same root and namespace declarations, so entries can move
    between them as bytes; the merged document is then judged like any other answer.
    """
    if len(pages) == 1:
        return pages[0]
    first = pages[0]
    end = first.rfind(b"</feed>")
    if end < 0:
        return first  # judged (and refused) as it is
    extra = b"".join(m.group(0) for page in pages[1:] if (m := _ENTRY.search(page)))
    return first[:end] + extra + first[end:]
