"""The fields of an arXiv Atom or RSS feed and of its entries, as plain strings (no Papers yet).

Two readers give the same result. `read_tree` lets expat and ElementTree's C tree builder do the
work, then walks the few elements we keep: no Python call per element, so the XML step runs
~1.4x faster than with a Python parser target. It takes only documents of the plain feed shape
(every entry a child of the feed or channel) that parse without error, up to `TREE_MAX_CHARS`
(a tree is big). Everything else -- a truncated or malformed file, entries nested in odd places,
a huge file -- goes to `Collector`, the streaming target, which keeps every complete entry read
before an error and decides what odd nesting means.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from tui.gcpause import gc_paused

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RDF_ROOT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"


# Entry children we keep: tag -> (field, how). "text": a single string; "list": repeated text;
# "attr:<name>": repeated attribute value; "links": the whole attribute dict.
_ATOM_FIELDS = {
    ATOM + "id": ("id", "text"), ATOM + "title": ("title", "text"),
    ATOM + "summary": ("summary", "text"), ATOM + "published": ("published", "text"),
    ATOM + "category": ("categories", "attr:term"),
    ATOM + "link": ("links", "links"), ARXIV + "comment": ("comment", "text"),
    ARXIV + "primary_category": ("primary", "attr:term"), ATOM + "author": ("author", "author"),
}
_RSS_FIELDS = {
    "title": ("title", "text"), "link": ("link", "text"), "description": ("summary", "text"),
    "guid": ("guid", "text"), "category": ("categories", "list"), "pubDate": ("published", "text"),
    DC + "creator": ("creator", "text"), ARXIV + "announce_type": ("announce", "text"),
}
_ATOM_FEED_FIELDS = {ATOM + "id": "id", ATOM + "updated": "updated", ATOM + "title": "title"}

# An Atom entry as the parser uses it: index (1-based), id, title, summary, published (None when
# absent), comment, author names, link attributes, category terms (the primary ones first).
# Rows, not dicts: a year of feeds has 30k entries, and a tree is read straight into rows.
AtomRow = tuple[int, str, str, str, "str | None", str, list[str], list[dict[str, str]], tuple[str, ...]]
_RSS_FEED_FIELDS = {"pubDate": "pubDate", "lastBuildDate": "lastBuildDate",
                    "link": "link", "title": "title"}



class Collector:
    """An `XMLParser` target keeping only feed-level fields and each entry's wanted children.

    Entries are plain dicts of strings and lists; Papers are built after parsing. An entry is
    appended only when its end tag is seen, so a truncated file yields its complete entries.
    """

    def __init__(self) -> None:
        self.root: str | None = None
        self.feed: dict[str, str] = {}
        self.feed_links: list[str] = []
        self.entries: list[dict[str, Any]] = []
        self.rows: list[AtomRow] | None = None  # Atom entries as rows, when read from a tree
        self._entry_tag: str | None = None
        self._fields: dict[str, tuple[str, str]] = {}
        self._feed_fields: dict[str, str] = {}
        self._feed_depth = 0
        self._depth = 0
        self._entry: dict[str, Any] | None = None
        self._entry_depth = 0
        self._field: str | None = None  # field whose text is being collected
        self._field_depth = 0
        self._field_feed = False
        self._buf: list[str] = []
        self._author = 0  # depth of the open <author>, or 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self._depth += 1
        depth = self._depth
        if self.root is None:
            self.root = tag
            if tag == ATOM + "feed":
                self._entry_tag, self._fields = ATOM + "entry", _ATOM_FIELDS
                self._feed_fields, self._feed_depth = _ATOM_FEED_FIELDS, 2
            elif tag == "rss":
                self._entry_tag, self._fields = "item", _RSS_FIELDS
                self._feed_fields, self._feed_depth = _RSS_FEED_FIELDS, 3
            return
        if self._field is not None:
            return  # markup nested inside a text field: its text is collected with the field
        entry = self._entry
        if entry is None:
            if tag == self._entry_tag:
                self._entry = {"index": len(self.entries) + 1}
                self._entry_depth = depth
            elif depth == self._feed_depth:
                name = self._feed_fields.get(tag)
                if name is not None:
                    self._begin(name, depth, feed=True)
                elif tag == ATOM + "link" and "href" in attrib:
                    self.feed_links.append(attrib["href"])
            return
        if self._author:
            if tag == ATOM + "name" and depth == self._author + 1:
                self._begin("author", depth)
            return
        if depth != self._entry_depth + 1:
            return
        spec = self._fields.get(tag)
        if spec is None:
            return
        name, how = spec
        if how == "text" or how == "list":
            self._begin(name, depth)
        elif how == "links":
            entry.setdefault("links", []).append(attrib)
        elif how == "author":
            self._author = depth
        else:  # attr:<name>
            value = attrib.get(how[5:])
            if value is not None:
                entry.setdefault(name, []).append(value)

    def _begin(self, name: str, depth: int, feed: bool = False) -> None:
        self._field, self._field_depth, self._field_feed = name, depth, feed
        self._buf = []

    def data(self, data: str) -> None:
        if self._field is not None:
            self._buf.append(data)

    def end(self, tag: str) -> None:
        depth = self._depth
        self._depth -= 1
        if self._field is not None:
            if depth != self._field_depth:
                return
            name, text = self._field, "".join(self._buf)
            self._field = None
            if self._field_feed:
                self.feed.setdefault(name, text)
            elif self._entry is not None:
                if name == "author" or name == "categories":
                    self._entry.setdefault(name, []).append(text)
                else:
                    self._entry.setdefault(name, text)
            return
        if self._author and depth == self._author:
            self._author = 0
        elif self._entry is not None and depth == self._entry_depth:
            self.entries.append(self._entry)
            self._entry = None

    def close(self) -> None:
        return None

    def atom_rows(self) -> list[AtomRow]:
        """The Atom entries as rows (see `AtomRow`), however they were read."""
        if self.rows is not None:
            return self.rows
        return [(e["index"], e.get("id", ""), e.get("title", ""), e.get("summary", ""), e.get("published"),
                 e.get("comment", ""), e.get("author", []), e.get("links", []),
                 (*e.get("primary", ()), *e.get("categories", ()))) for e in self.entries]


# A tree takes ~5x the text in memory for a feed and up to ~35x for a hostile file of tiny
# elements (~140 MB at this size). Above it (a day's feed is ~0.2-2 MB) the streaming reader,
# which keeps only the fields, reads the file.
TREE_MAX_CHARS = 4_000_000


def read_tree(text: str | None, raw: bytes | None = None) -> Collector | None:
    """What `Collector` would gather from `text`, read from a C-built tree; None when the text
    is long, the document does not parse or has entries outside the feed (Atom) or channel (RSS)
    element.

    `raw`, if given, must be `text.encode("utf-8")` (the file as read, when decoding changed
    nothing): expat is given those bytes, with the encoding fixed to UTF-8 as for text (a
    declared encoding is ignored either way), so it reads the very same bytes without the text
    being encoded again (~0.15 ms per 100 KB of non-ASCII text). Without `text`, `raw` is read
    when its bytes (at least as many as its characters) are within the limit."""
    if len(text if text is not None else raw or b"") > TREE_MAX_CHARS:
        return None
    with gc_paused():  # a tree and the entries have no cycles: the collector would only rescan them
        try:
            if raw is None:
                root = ET.fromstring(text or "")
            else:
                parser = ET.XMLParser(encoding="utf-8")
                parser.feed(raw)
                root = parser.close()
        except (ET.ParseError, ValueError, RecursionError, MemoryError):
            return None
        return _gather(root)


def _gather(root: ET.Element) -> Collector | None:
    """The feed's fields and its entries, in document order, from the feed or channel element."""
    got = Collector()
    tag = got.root = root.tag
    if tag == ATOM + "feed":
        entry_tag, fields, feed_fields, parents = ATOM + "entry", _ATOM_FIELDS, _ATOM_FEED_FIELDS, [root]
    elif tag == "rss":
        entry_tag, fields, feed_fields, parents = "item", _RSS_FIELDS, _RSS_FEED_FIELDS, list(root)
    else:
        return got  # not a feed: the streaming reader keeps nothing but the root's name either
    entries: list[Any] = got.entries
    if tag == ATOM + "feed":
        entries = got.rows = []
    read_entry = _atom_row if got.rows is not None else _entry
    feed = got.feed
    link_tag = ATOM + "link"
    for parent in parents:
        for child in parent:
            tag = child.tag
            if tag == entry_tag:
                entries.append(read_entry(child, len(entries) + 1, fields))
                continue
            name = feed_fields.get(tag)
            if name is not None:
                feed.setdefault(name, _text(child))
            elif tag == link_tag and "href" in child.attrib:
                got.feed_links.append(child.attrib["href"])
    # An entry anywhere else (inside another entry or a field, or at another depth): the
    # streaming reader's rules decide what it means.
    if sum(1 for _ in root.iter(entry_tag)) != len(entries):
        return None
    return got


def _text(element: ET.Element) -> str:
    """All text inside an element, nested markup included (as the streaming reader joins it)."""
    if len(element):
        return "".join(element.itertext())
    return element.text or ""


_AUTHOR_NAME = ATOM + "name"


def _entry(element: ET.Element, index: int, fields: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """One entry's wanted children, exactly as `Collector` records them (`_text` written out:
    ~10 children an entry, 30k entries a year)."""
    entry: dict[str, Any] = {"index": index}
    for child in element:
        spec = fields.get(child.tag)
        if spec is None:
            continue
        name, how = spec
        if how == "text":
            if name not in entry:
                entry[name] = "".join(child.itertext()) if len(child) else child.text or ""
        elif how == "list":
            entry.setdefault(name, []).append("".join(child.itertext()) if len(child) else child.text or "")
        elif how == "links":
            entry.setdefault("links", []).append(child.attrib)
        elif how == "author":
            names = entry.get("author")
            for part in child:
                if part.tag == _AUTHOR_NAME:
                    if names is None:
                        names = entry["author"] = []
                    names.append("".join(part.itertext()) if len(part) else part.text or "")
        else:  # attr:<name>
            value = child.attrib.get(how[5:])
            if value is not None:
                entry.setdefault(name, []).append(value)
    return entry


_ROW_CODES = {ATOM + "id": 1, ATOM + "title": 2, ATOM + "summary": 3, ATOM + "published": 4, ARXIV + "comment": 5,
              ATOM + "author": 6, ATOM + "link": 7, ARXIV + "primary_category": 8, ATOM + "category": 9}


def _atom_row(element: ET.Element, index: int, fields: Any = None) -> AtomRow:
    """One Atom entry as a row: what `_entry` records (first text of each field, every author
    name, link and term), straight into the row's places."""
    id_ = title = summary = published = comment = None
    authors: list[str] = []
    links: list[dict[str, str]] = []
    primary: list[str] = []
    terms: list[str] = []
    for child in element:
        code = _ROW_CODES.get(child.tag)
        if code is None:
            continue
        if code == 6:
            for part in child:
                if part.tag == _AUTHOR_NAME:
                    authors.append("".join(part.itertext()) if len(part) else part.text or "")
        elif code == 7:
            links.append(child.attrib)
        elif code >= 8:
            value = child.attrib.get("term")
            if value is not None:
                (primary if code == 8 else terms).append(value)
        else:
            text = "".join(child.itertext()) if len(child) else child.text or ""
            if code == 1:
                if id_ is None:
                    id_ = text
            elif code == 2:
                if title is None:
                    title = text
            elif code == 3:
                if summary is None:
                    summary = text
            elif code == 4:
                if published is None:
                    published = text
            elif comment is None:
                comment = text
    return (index, id_ or "", title or "", summary or "", published, comment or "", authors, links,
            (*primary, *terms))
