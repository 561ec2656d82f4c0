"""arXiv Atom (API) and RSS 2.0 (listing) feeds, read safely with the standard library.

The XML is read into plain per-entry fields by `tui.parsers.xml_entries` (a C-built tree for
well-formed feeds, a streaming target that keeps every complete entry for broken ones); this
module turns those fields into Papers.

Safety: expat (through `XMLParser`) never fetches external entities or DTDs here, and documents
that declare entities or carry a DOCTYPE with an internal subset (billion laughs, XXE) are
refused before parsing with an error diagnostic; nothing a document points to is ever read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.model import Digest, Format, Kind, Paper, ParseResult, arxiv_id, arxiv_links, title_id
from tui.parsers.common import add_abstract_links, iso_date, latex_to_unicode
from tui.parsers.xml_entries import ATOM, RDF_ROOT, Collector, read_tree
from tui.sanitize import clean_block, clean_block_plain, clean_line

_SNIFF = re.compile(r"\s*<(?:\?xml|feed|rss)[\s>/:]")
# A DOCTYPE: name, optional external id, then `[` (internal subset: refused) or `>` (allowed).
_DOCTYPE = re.compile(
    r"""<!DOCTYPE\s+[^\s\[>]+"""
    r"""(?:\s+(?:SYSTEM\s+(?:"[^"]*"|'[^']*')|PUBLIC\s+(?:"[^"]*"|'[^']*')\s+(?:"[^"]*"|'[^']*')))?"""
    r"""\s*([\[>])"""
)
_RSS_DESC = re.compile(
    r"\s*arXiv:(\S+)\s+Announce Type:\s*([\w-]+)\s*(?:Abstract:\s*)?(.*)\Z", re.DOTALL
)
_VERSION = re.compile(r"v\d+\Z")
_KINDS = {"new": Kind.NEW, "cross": Kind.CROSS_LIST,
          "replace": Kind.REPLACED, "replace-cross": Kind.REPLACED}


def sniff(text: str) -> bool:
    """XML starts with `<?xml`, `<feed` or `<rss` (after whitespace); cheap, looks at the head."""
    return _SNIFF.match(text[:256]) is not None


def parse(text: str, path: Path, mtime: float | None = None, raw: bytes | None = None) -> ParseResult:
    """Read an arXiv Atom or RSS feed; errors and odd entries become diagnostics, never raise.

    `raw`, if given, must be the UTF-8 bytes `text` is the decoding of (see `read_tree`)."""
    digest = Digest(path=path, format=None)
    refusal = _refuse_dtd(text)
    if refusal:
        digest.error(refusal)
        return ParseResult(digest, [])

    collector = read_tree(text, raw)  # the fast reader; None sends the text to the streaming one
    if collector is None:
        collector = _stream(text, digest)
    return _papers(collector, digest, raw)


def parse_plain(raw: bytes, path: Path, mtime: float | None = None) -> ParseResult | None:
    """`parse(raw.decode(), path, mtime, raw)` for a feed read from a C-built tree, without
    decoding the whole text first; None when the tree reader does not take it or it has a `<!`
    (a declaration, comment or CDATA), or when `raw` is not valid UTF-8.

    A parse that succeeds shows `raw` is valid UTF-8: expat rejects any malformed sequence, and
    every piece of a document without `<!` (text, attribute values, names, processing
    instructions) is decoded strictly again by ElementTree. Without `<!`, `parse` would refuse
    nothing, and its tree is this tree (`read_tree` gets the same bytes)."""
    if raw.find(b"!") >= 0 and b"<!" in raw:
        return None
    collector = read_tree(None, raw)
    if collector is None:
        return None
    return _papers(collector, Digest(path=path, format=None), raw)


def _papers(collector: Collector, digest: Digest, raw: bytes | None) -> ParseResult:
    """The papers of what a reader gathered, or the error saying why there are none."""
    root = collector.root
    # Fields of a clean UTF-8 file without character references hold no control characters
    # (expat adds none), so abstracts can skip the checks for them.
    block = clean_block_plain if raw is not None and (b"#" not in raw or b"&#" not in raw) else clean_block
    papers: list[Paper] | None = None
    if root == ATOM + "feed":
        papers = _atom(collector, digest, block)
    elif root == "rss":
        papers = _rss(collector, digest, block)
    if papers is None:
        if root == RDF_ROOT:
            digest.error("not an arXiv feed this reader knows: RSS 1.0 (RDF) is not supported")
        elif root not in (None, ATOM + "feed", "rss"):
            digest.error(f"not an arXiv feed: the root element is <{_tag_name(root)}>, "
                         "not an Atom <feed> or RSS <rss>")
        return ParseResult(digest, [])
    digest.format = Format.ARXIV_ATOM if root == ATOM + "feed" else Format.ARXIV_RSS
    digest.paper_ids = [p.id for p in papers]
    return ParseResult(digest, papers)


def _stream(text: str, digest: Digest) -> Collector:
    """Read with the streaming target: every complete entry before an error is kept."""
    collector = Collector()
    parser = ET.XMLParser(target=collector)
    try:
        parser.feed(text)
        parser.close()
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":", 1)[0]
        digest.error(f"malformed XML ({reason}) at line {line}, column {column}; "
                     f"read {len(collector.entries)} complete entries before it", line=line)
    except (ValueError, RecursionError, MemoryError) as exc:
        digest.error(f"unreadable XML: {exc.__class__.__name__}")
    return collector


def _refuse_dtd(text: str) -> str | None:
    """Why the document is refused (entity declarations, internal DTD subset), or None.

    Every `<!DOCTYPE` is checked, not just the first, so a decoy in a comment cannot hide
    the real one. A DOCTYPE with only an external id is allowed: expat does not fetch it.
    `<!ENTITY` is refused anywhere, even inside CDATA: a rare false alarm is the safe side.
    """
    if not _declares_markup(text):
        return None
    if "<!ENTITY" in text:
        return "refused: the document declares XML entities (possible entity-expansion attack)"
    start = text.find("<!DOCTYPE")
    while start >= 0:
        m = _DOCTYPE.match(text, start)
        if m is None or m.group(1) == "[":
            line = text.count("\n", 0, start) + 1
            what = "an unreadable DOCTYPE" if m is None else "a DOCTYPE with an internal subset"
            return f"refused: {what} at line {line} (arXiv feeds have none)"
        start = text.find("<!DOCTYPE", m.end())
    return None


def _declares_markup(text: str) -> bool:
    """False when `text` surely has no `<!` (no DOCTYPE, entity, comment or CDATA), found by
    looking at its few `!` (a fast memchr) instead of two full searches; True means "look"."""
    bang = text.find("!")
    for _ in range(64):
        if bang < 0:
            return False
        if bang > 0 and text[bang - 1] == "<":
            return True
        bang = text.find("!", bang + 1)
    return True


def _atom(c: Collector, digest: Digest, block: Callable[[str], str] = clean_block) -> list[Paper] | None:
    """Papers from Atom entries; None (with an error) when this is not the arXiv API."""
    marks = [c.feed.get("id", ""), *c.feed_links]
    rows = c.atom_rows()
    is_arxiv = any("arxiv.org" in m for m in marks) or any("arxiv.org/" in r[1] for r in rows)
    if not is_arxiv:
        title = clean_line(c.feed.get("title", ""))[:80]
        digest.error(f"not an arXiv feed: Atom feed {title!r} has no arXiv ids")
        return None
    papers: list[Paper] = []
    seen: set[str] = set()
    for index, raw_id, title, summary, published, comment, authors, links, categories in rows:
        usual = _ABS_URL.fullmatch(raw_id)  # then clean already, and no API error
        if usual is None:
            raw_id = clean_line(raw_id)
            if "/api/errors" in raw_id:
                digest.error(f"arXiv API error: {clean_line(summary)[:200]}")
                continue
        title = latex_to_unicode(clean_line(title))
        aid = usual.group(1) if usual is not None else _abs_id(raw_id)
        if not title:
            digest.warn(f"entry {index}: no title; skipped")
            continue
        if aid is None:
            digest.warn(f"entry {index}: no arXiv id in <id> {raw_id[:60]!r}; kept by title")
        names = _names(authors)
        paper = Paper(id=aid or title_id(title), title=title, abstract=block(summary),
                      authors=names, author_count=len(names) or None, published=iso_date(published),
                      categories=_categories(categories), comments=clean_line(comment) or None,
                      links=_atom_links(aid, links))
        add_abstract_links(paper)
        if _dedup(paper, seen, index, digest):
            papers.append(paper)
    digest.date = iso_date(c.feed.get("updated", "").strip()) or max(
        (p.published for p in papers if p.published), default=None)
    return papers


# The usual <id>: what the general steps below make of it is the group, in one match.
_ABS_URL = re.compile(r"https?://arxiv\.org/abs/([0-9]{4}\.[0-9]{4,5})v[0-9]+")


def _abs_id(raw: str) -> str | None:
    """The versionless id of an `http(s)://arxiv.org/abs/<id>v<n>` URL (old-style ids too)."""
    m = _ABS_URL.fullmatch(raw)
    return m.group(1) if m is not None else _abs_id_steps(raw)


def _abs_id_steps(raw: str) -> str | None:
    """`_abs_id`, step by step, for any <id>."""
    if "/abs/" in raw:
        tail = _VERSION.sub("", raw.rsplit("/abs/", 1)[1].strip())
        found = arxiv_id(tail)
        if found == tail:
            return found
    return arxiv_id(raw) if "arxiv" in raw.lower() else None


def _atom_links(aid: str | None, links: Any) -> dict[str, str]:
    """arXiv abs and pdf (the feed's own pdf link when it has one), and a DOI link if given."""
    out = arxiv_links(aid) if aid else {}
    for attrib in links:
        name = attrib.get("title")
        if name != "pdf" and name != "doi":
            continue  # the alternate link is the abs page, already built from the id
        href = clean_line(attrib.get("href", ""))
        if href.startswith(("https://", "http://")):
            if name == "pdf" or "doi" not in out:
                out[name] = href
    return out


def _rss(c: Collector, digest: Digest, block: Callable[[str], str] = clean_block) -> list[Paper] | None:
    """Papers from arXiv listing RSS items; None (with an error) when not an arXiv channel."""
    is_arxiv = "arxiv.org" in c.feed.get("link", "") or any(
        "arxiv.org/abs/" in e.get("link", "") or e.get("summary", "").lstrip().startswith("arXiv:")
        for e in c.entries)
    if not is_arxiv:
        title = clean_line(c.feed.get("title", ""))[:80]
        digest.error(f"not an arXiv feed: RSS channel {title!r} has no arXiv items")
        return None
    papers: list[Paper] = []
    seen: set[str] = set()
    for e in c.entries:
        index = e["index"]
        title = latex_to_unicode(clean_line(e.get("title", "")))
        if not title:
            digest.warn(f"item {index}: no title; skipped")
            continue
        desc = e.get("summary", "")
        m = _RSS_DESC.match(desc)
        if m:
            aid = arxiv_id(m.group(1))
            announce, abstract = m.group(2).lower(), m.group(3)
        else:
            aid = None
            announce = clean_line(e.get("announce", "")).lower()
            abstract = desc
        aid = aid or arxiv_id(e.get("link", "")) or arxiv_id(e.get("guid", ""))
        if aid is None:
            digest.warn(f"item {index}: no arXiv id in description, link or guid; kept by title")
        kind = _KINDS.get(announce)
        if kind is None:
            if announce:
                digest.warn(f"item {index}: unknown announce type {announce[:30]!r}; shown as new")
            kind = Kind.NEW
        paper = Paper(id=aid or title_id(title), title=title, abstract=block(abstract),
                      kind=kind)
        paper.authors = _names(e.get("creator", "").split(","))
        paper.author_count = len(paper.authors) or None
        paper.categories = _categories(e.get("categories", ()))
        paper.published = _rfc822_date(e.get("published"))
        paper.links = arxiv_links(aid) if aid else {}
        link = clean_line(e.get("link", ""))
        if not aid and link.startswith(("https://", "http://")):
            paper.links["arxiv"] = link
        add_abstract_links(paper)
        if _dedup(paper, seen, index, digest):
            papers.append(paper)
    digest.date = _rfc822_date(c.feed.get("pubDate")) or _rfc822_date(c.feed.get("lastBuildDate"))
    return papers


def _dedup(paper: Paper, seen: set[str], index: int, digest: Digest) -> bool:
    """True the first time an id is seen; a repeat is a warning (one Paper per id per digest)."""
    if paper.id in seen:
        digest.warn(f"entry {index}: {paper.id} appears twice; second copy skipped")
        return False
    seen.add(paper.id)
    return True


def _rfc822_date(value: str | None) -> date | None:
    """The day of an RSS date (`Mon, 27 Apr 2026 00:00:00 -0400`), in its own time zone.

    A feed repeats the same few dates on every item and `parsedate_to_datetime` is slow, so short
    values are remembered (a long one is junk, not worth keeping)."""
    if not value:
        return None
    return _rfc822_day(value) if len(value) <= 100 else _rfc822_day.__wrapped__(value)


@lru_cache(maxsize=1024)
def _rfc822_day(value: str) -> date | None:
    try:
        return parsedate_to_datetime(value.strip()).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _tag_name(tag: str) -> str:
    """A tag without its namespace, cleaned and short, for messages."""
    return clean_line(tag.rsplit("}", 1)[-1])[:40]


def _names(values: Any, unique: bool = False) -> tuple[str, ...]:
    """Clean names or category terms, dropping empty ones (and repeats if `unique`), in order.

    One `isprintable` over the joined list decides for all of them (a feed of 30k entries has
    ~200k names): when it holds and no value has a double space, cleaning a value is stripping
    it (what `clean_line` does then), else each one is cleaned.
    """
    joined = "|".join(values)
    if "\\" in joined:  # LaTeX accents in names (`Barcel\\'o`): the letters they mean
        values = [latex_to_unicode(v) for v in values]
        joined = "|".join(values)
    if joined.isprintable() and "  " not in joined:
        names = tuple(map(str.strip, values))
        if "" in names:
            names = tuple(filter(None, names))
    else:
        names = tuple(filter(None, map(clean_line, values)))
    return tuple(dict.fromkeys(names)) if unique else names


_SEEN_CATEGORIES: dict[tuple[str, ...], tuple[str, ...]] = {}


def _categories(values: Any) -> tuple[str, ...]:
    """`_names(values, unique=True)`, remembered: a year of feeds has 30k entries but only a few
    hundred different category lists. Only short results are kept, and at most a few thousand."""
    key = values if type(values) is tuple else tuple(values)
    found = _SEEN_CATEGORIES.get(key)
    if found is None:
        found = _names(key, unique=True)
        if sum(map(len, key)) <= 200:
            if len(_SEEN_CATEGORIES) >= 16384:  # a year of feeds has ~5k
                _SEEN_CATEGORIES.clear()
            _SEEN_CATEGORIES[key] = found
    return found
