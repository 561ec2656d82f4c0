"""Hugging Face `api/daily_papers` JSON: a list of items, each wrapping a `paper` object.

The response is decoded with `json.loads` (C speed) and then walked once. JSON can hold any type
anywhere, so every field goes through a small typed getter: a wrong type is a diagnostic, never an
exception. Strings decoded from `\\u` escapes can carry control characters again, so every text
field is cleaned here (`clean_line` for titles and names, `clean_block` for abstracts).
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from tui.model import Digest, Format, Kind, Paper, ParseResult, arxiv_id, arxiv_links
from tui.parsers.common import add_abstract_links, date_in_name, iso_date
from tui.sanitize import clean_block, clean_line, repair_mojibake

HF_PAPER_URL = "https://huggingface.co/papers/{}"
_UNREADABLE = object()  # `_load` found nothing usable (JSON `null` is a value, so not None)
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
               int: "a number", float: "a number", type(None): "null"}


def sniff(text: str) -> bool:
    """JSON starts with `[` or `{` (after whitespace); no other digest format does."""
    head = text[:64].lstrip()
    return head[:1] in ("[", "{")


def parse(text: str, path: Path, mtime: float | None = None) -> ParseResult:
    """Read a daily_papers response into a digest; see the module docstring for the rules.

    The digest's day is the latest `submittedOnDailyAt` among the items. A response can span
    several days (one real capture holds a Friday's and the next Monday's papers); the newest
    day is the digest's date and, when there are several, `date_start` holds the earliest.
    Without any `submittedOnDailyAt` (2024 captures), a date in the file name is used, else the
    digest has no date (`mtime` says when the file was saved, not which day it lists).
    Diagnostics number items from 1, in file order.
    """
    digest = Digest(path=path, format=Format.HF_JSON)
    data = _load(text, digest)
    if data is _UNREADABLE:
        return ParseResult(digest, [])
    if not isinstance(data, list):
        digest.error(f"not a digest: {_describe_non_list(data)}")
        return ParseResult(digest, [])
    if data and not any(_is_paper_item(item) for item in data):
        kinds = sorted({_JSON_TYPES.get(type(item), "a value") for item in data})
        digest.error(f"not a digest: a JSON list of {len(data)} values ({', '.join(kinds)}) "
                     "with no paper items")
        return ParseResult(digest, [])
    if not data:
        digest.warn("empty list: this response has no papers")

    papers: list[Paper] = []
    days: set[date] = set()
    # Double-decoded UTF-8 written as JSON escapes (`\u00c3\u00a9`) is invisible to the loader's
    # byte check (which sees raw UTF-8); when an all-ASCII file has such escapes, every string is
    # repaired before any field is read and cleaned. Other files pay one `isascii`.
    if text.isascii() and "\\u00" in text and _ESCAPED_MOJIBAKE.search(text):
        data = _repaired(data)
    seen: set[str] = set()
    for index, item in enumerate(data, 1):
        paper = _paper(item, index, digest, days)
        if paper is None:
            continue
        if paper.id in seen:
            digest.warn(f"item {index}: paper {paper.id} listed twice; second copy skipped")
            continue
        seen.add(paper.id)
        papers.append(paper)
        digest.paper_ids.append(paper.id)

    if days:
        digest.date = max(days)
        if len(days) > 1:
            digest.date_start = min(days)
    else:
        digest.date = date_in_name(path.name)
    return ParseResult(digest, papers)


def _load(text: str, digest: Digest) -> Any:
    """Decode the JSON; on a syntax error, report line/column and salvage the items before it."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        digest.error(f"invalid JSON ({exc.msg}) at line {exc.lineno}, column {exc.colno}",
                     line=exc.lineno)
        salvaged = _salvage(text)
        if salvaged:
            digest.warn(f"read the {len(salvaged)} complete items before the error")
        return salvaged or _UNREADABLE
    except (ValueError, RecursionError) as exc:  # e.g. absurd nesting depth
        digest.error(f"invalid JSON: {exc.__class__.__name__}")
        return _UNREADABLE


def _salvage(text: str) -> list[Any]:
    """The complete items at the start of a broken (typically truncated) top-level array."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if not text.startswith("[", pos):
        return []
    items: list[Any] = []
    pos = _skip_space(text, pos + 1)
    while pos < len(text):
        try:
            item, pos = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            break
        items.append(item)
        pos = _skip_space(text, pos)
        if not text.startswith(",", pos):
            break
        pos = _skip_space(text, pos + 1)
    return items


_SPACE = re.compile(r"\s*")


def _skip_space(text: str, pos: int) -> int:
    """The first index at or after `pos` that is not white space."""
    found = _SPACE.match(text, pos)
    return found.end() if found else pos


def _describe_non_list(data: Any) -> str:
    """Name what a non-list response is, so the user sees e.g. the API's own error message."""
    if isinstance(data, dict):
        err = data.get("error")
        if isinstance(err, str):
            return f"the response is an error object: {clean_line(err)[:200]!r}"
        if err is not None:
            return "the response is an error object"
        keys = ", ".join(repr(clean_line(k)[:40]) for k in itertools.islice(data, 5))
        return f"a JSON object (keys: {keys or 'none'}), not a list of paper items"
    return f"{_JSON_TYPES.get(type(data), 'a value')}, not a list of paper items"


def _is_paper_item(item: Any) -> bool:
    """An item is paper-shaped if it wraps a `paper` object or itself has id/title fields."""
    if not isinstance(item, dict):
        return False
    return isinstance(item.get("paper"), dict) or ("title" in item and "id" in item)


# An escaped lead character Â..ô, then an escaped U+0080-00BF or cp1252 stand-in. Starts with a
# literal, so the search skips through the text at C speed.
_ESCAPED_MOJIBAKE = re.compile(
    r"\\u00(?:[cC][2-9a-fA-F]|[dDeE][0-9a-fA-F]|[fF][0-4])"
    r"\\u(?:00[89abAB][0-9a-fA-F]|20[12][0-9a-fA-F]|01[5-9][0-9a-fA-F]|02[cdCD][0-9a-fA-F]|2122)"
)


def _repaired(value: Any) -> Any:
    """`value` with `repair_mojibake` applied to every string in it (keys stay as they are)."""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    if isinstance(value, dict):
        return {k: _repaired(v) for k, v in value.items()}
    return value


def _paper(item: Any, index: int, digest: Digest, days: set[date]) -> Paper | None:
    """Build one Paper; required fields (id, title) missing → warning and None."""
    if not isinstance(item, dict):
        digest.warn(f"item {index}: {_JSON_TYPES.get(type(item), 'a value')}, "
                    "not a paper object; skipped")
        return None
    p = item.get("paper")
    if p is None and "id" in item:  # a bare paper object (other HF endpoints return these)
        p = item
    if not isinstance(p, dict):
        digest.warn(f"item {index}: no `paper` object; skipped")
        return None

    raw_id = p.get("id")
    aid = arxiv_id(raw_id) if isinstance(raw_id, str) else None
    if aid is None:
        what = "missing" if raw_id is None else f"not an arXiv id ({_short(raw_id)})"
        digest.warn(f"item {index}: paper.id {what}; skipped")
        return None
    title = _text(p, "title") or _text(item, "title")
    title = clean_line(title) if title else ""
    if not title:
        raw = p.get("title", item.get("title"))
        what = "missing" if raw is None else f"{_kind(raw)}, not text" if not isinstance(raw, str) else "empty"
        digest.warn(f"item {index} ({aid}): title {what}; skipped")
        return None

    abstract = _text(p, "summary") or _text(item, "summary")
    raw_summary = p.get("summary", item.get("summary"))
    if not abstract and raw_summary is not None and not isinstance(raw_summary, str):
        digest.warn(f"item {index} ({aid}): summary is {_kind(raw_summary)}, not text; ignored")
    paper = Paper(id=aid, title=title, abstract=clean_block(abstract) if abstract else "")
    paper.kind = Kind.NEW

    authors = p.get("authors")
    if isinstance(authors, list):
        # Hidden authors are kept: `hidden` hides the paper from that author's HF profile;
        # the person is still an author of the paper (arXiv lists them).
        names = []
        for a in authors:
            name = a.get("name") if isinstance(a, dict) else None
            if isinstance(name, str) and (name := clean_line(name)):
                names.append(name)
        paper.authors = tuple(names)
        paper.author_count = len(names) if names else None
    elif authors is not None:
        digest.warn(f"item {index} ({aid}): paper.authors is {_kind(authors)}, not a list")

    paper.published = iso_date(p.get("publishedAt")) or iso_date(item.get("publishedAt"))
    paper.upvotes = _int(p, "upvotes", index, aid, digest)
    paper.num_comments = _int(item, "numComments", index, aid, digest)
    paper.organization = _org(item.get("organization")) or _org(p.get("organization"))

    day = iso_date(p.get("submittedOnDailyAt"))
    if day is not None:
        days.add(day)

    links = arxiv_links(aid)
    links["hf"] = HF_PAPER_URL.format(aid)
    for key, name in (("githubRepo", "github"), ("projectPage", "project")):
        url = p.get(key)
        if url is None or url == "":
            continue
        url = clean_line(url) if isinstance(url, str) else ""
        if url.startswith(("https://", "http://")) and " " not in url:
            links[name] = url
        else:
            digest.warn(f"item {index} ({aid}): paper.{key} is not an http(s) URL; ignored")
    paper.links = links
    add_abstract_links(paper)
    return paper


def _text(obj: dict[str, Any], key: str) -> str:
    """A string field, or "" when absent or of another type."""
    value = obj.get(key)
    return value if isinstance(value, str) else ""


def _int(obj: dict[str, Any], key: str, index: int, aid: str, digest: Digest) -> int | None:
    """A count field: an int (not a bool); anything else is a warning and None."""
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    digest.warn(f"item {index} ({aid}): {key} is {_kind(value)}, not a count; ignored")
    return None


def _org(value: Any) -> str | None:
    """The organisation's display name (`fullname`), else its handle (`name`)."""
    if not isinstance(value, dict):
        return None
    for key in ("fullname", "name"):
        name = value.get(key)
        if isinstance(name, str) and (name := clean_line(name)):
            return name
    return None


def _kind(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "a value")


def _short(value: Any) -> str:
    """A value for a message: short, cleaned, and its type when it is not a string."""
    if isinstance(value, str):
        return repr(clean_line(value)[:40])
    return _kind(value)



