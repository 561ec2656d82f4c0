"""One queued paper: the record (`QueueEntry`, `Removed`), its TOML form and its per-field merge.

The file format is described in `tui.queue`. Decoding is strict: a wrong type makes the file
"corrupt" (see `tui.recordfile`), and every text field is cleaned like a digest's.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tui.links import keep_safe_links
from tui.model import Paper, path_text
from tui.persist import as_utc, now
from tui.sanitize import clean, clean_line

STATUSES = ("to-read", "reading", "done")
FIELD_TIMES = ("status", "note", "position", "queued")  # each merges on its own


@dataclass(frozen=True, slots=True)
class Source:
    """The digest an entry was queued from (a path as text: it may move or vanish later)."""

    path: str
    format: str | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One queued paper, with everything needed to show and export it without its digest.

    Frozen: every change makes a new entry, and an entry handed out for undo can never change
    under the caller. Each mergeable field has its own change time (`*_at`, None meaning
    `added`); `updated` is the latest of them.
    """

    id: str
    title: str
    added: datetime
    updated: datetime
    status: str = "to-read"
    note: str = ""
    position: float = 0.0
    published: date | None = None
    byline: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    abstract: str = ""
    links: Mapping[str, str] = field(default_factory=dict)
    source: Source | None = None
    status_at: datetime | None = None
    note_at: datetime | None = None
    position_at: datetime | None = None
    queued_at: datetime | None = None  # (re-)queued: what a removal must be newer than

    def at(self, name: str) -> datetime:
        """When field `name` (status, note, position, queued) was last set."""
        return getattr(self, f"{name}_at") or self.added

    def changed(self, t: datetime, *, queued: bool = False, **changes: Any) -> QueueEntry:
        """A copy with `changes` applied, each stamped `t` (`queued`: re-queued at `t` too)."""
        stamps: dict[str, Any] = {f"{k}_at": t for k in changes}
        if queued:
            stamps["queued_at"] = t
        return dataclasses.replace(self, updated=t, **changes, **stamps)

    @classmethod
    def from_paper(cls, paper: Paper, *, position: float = 0.0) -> QueueEntry:
        """Snapshot a Paper; its source is the newest digest it appeared in (the one being read)."""
        source = None
        if paper.digests:
            newest = max(paper.digests, key=lambda d: d.date or date.min)
            fmt = getattr(newest.format, "value", newest.format)
            source = Source(path_text(newest.path.absolute()), fmt, newest.date)
        t = now()
        return cls(
            id=paper.id,
            title=paper.title,
            added=t,
            updated=t,
            position=position,
            published=paper.published,
            byline=paper.byline,
            authors=tuple(paper.authors),
            categories=tuple(paper.categories),
            abstract=paper.abstract,
            links=dict(paper.links),
            source=source,
        )

    @property
    def url(self) -> str | None:
        """The best single link: arXiv abs, else HF, else any (the same order as Paper.url)."""
        for name in ("arxiv", "pdf", "hf", "github", "project"):
            if name in self.links:
                return self.links[name]
        return next(iter(self.links.values()), None)

    @property
    def arxiv_id(self) -> str | None:
        """The arXiv id when the paper has one (ids of other papers start with `title:`)."""
        return None if self.id.startswith("title:") else self.id

    @property
    def year(self) -> int | None:
        """Publication year, else the year of the digest it came from."""
        if self.published:
            return self.published.year
        if self.source and self.source.date:
            return self.source.date.year
        return None


@dataclass(frozen=True, slots=True)
class Removed:
    """A tombstone: `id` was removed at `updated`; beats the entry if it was queued before that."""

    id: str
    updated: datetime


# --- decoding helpers (strict: a wrong type makes the file "corrupt", see tui.persist) ----------


def _get(table: Mapping[str, Any], key: str, kinds: type | tuple[type, ...], default: Any = None) -> Any:
    value = table.get(key, default)
    if value is default:
        return value
    if not isinstance(value, kinds) or isinstance(value, bool) and bool not in _as_tuple(kinds):
        names = " or ".join(k.__name__ for k in _as_tuple(kinds))
        raise ValueError(f"'{key}' must be {names}, not {type(value).__name__} {value!r}")
    return value


def _as_tuple(kinds: type | tuple[type, ...]) -> tuple[type, ...]:
    return kinds if isinstance(kinds, tuple) else (kinds,)


def _strings(table: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = _get(table, key, list, [])
    if not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{key}' must be a list of strings")
    return tuple(value)


def _day(value: Any, key: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    raise ValueError(f"'{key}' must be a date, not {type(value).__name__} {value!r}")


def _entry_from_toml(
    t: Any, default_time: datetime, default_position: float, warn: Callable[[str], object] | None = None
) -> QueueEntry:
    if not isinstance(t, dict):
        raise ValueError("is not a table")
    pid = _get(t, "id", str)
    if not pid:
        raise ValueError("has no 'id'")
    status = _get(t, "status", str, "to-read")
    if status not in STATUSES:
        raise ValueError(f"'status' must be one of {', '.join(STATUSES)}, not {status!r}")
    added = as_utc(t["added"], "'added'") if "added" in t else default_time
    times: dict[str, datetime | None] = {}
    legacy = as_utc(t["updated"], "'updated'") if "updated" in t else None  # version 1: one time
    for name in FIELD_TIMES:
        key = f"{name}_at"
        value = as_utc(t[key], f"'{key}'") if key in t else (legacy if name != "queued" else None)
        times[key] = None if value is None or value == added else value
    updated = max([added, *(v for v in times.values() if v is not None)])
    position = float(_get(t, "position", (int, float), default_position))
    if not math.isfinite(position):
        raise ValueError("'position' must be a finite number")
    links = _get(t, "links", dict, {})
    if not all(isinstance(v, str) for v in links.values()):
        raise ValueError("'links' values must be strings")
    source = None
    if "source" in t:
        s = _get(t, "source", dict)
        source = Source(_get(s, "path", str, ""), _get(s, "format", str), _day(s.get("date"), "source.date"))
    # A hand-edited or synced file is as untrusted as a digest: clean every text field.
    return QueueEntry(
        id=clean_line(pid),
        title=clean_line(_get(t, "title", str, "")),
        added=added,
        updated=updated,
        status=status,
        note=clean(_get(t, "note", str, "")),
        position=position,
        published=_day(t.get("published"), "published"),
        byline=clean_line(_get(t, "byline", str, "")),
        authors=tuple(clean_line(a) for a in _strings(t, "authors")),
        categories=tuple(clean_line(c) for c in _strings(t, "categories")),
        abstract=clean(_get(t, "abstract", str, "")),
        links=keep_safe_links({clean_line(k): clean_line(v) for k, v in links.items()}, clean_line(pid), warn),
        source=source,
        **times,
    )


def _entry_to_toml(e: QueueEntry) -> dict[str, Any]:
    """Field order chosen for a human reading the file: what and where first, abstract last."""
    d: dict[str, Any] = {"id": e.id, "title": e.title, "status": e.status}
    if e.status_at:
        d["status_at"] = e.status_at
    if e.note:
        d["note"] = e.note
    if e.note_at:
        d["note_at"] = e.note_at
    d["position"] = e.position
    if e.position_at:
        d["position_at"] = e.position_at
    d["added"] = e.added
    if e.queued_at:
        d["queued_at"] = e.queued_at
    if e.published:
        d["published"] = e.published
    if e.byline:
        d["byline"] = e.byline
    if e.authors:
        d["authors"] = list(e.authors)
    if e.categories:
        d["categories"] = list(e.categories)
    if e.abstract:
        d["abstract"] = e.abstract
    if e.links:
        d["links"] = dict(e.links)
    if e.source:
        src: dict[str, Any] = {"path": e.source.path}
        if e.source.format:
            src["format"] = e.source.format
        if e.source.date:
            src["date"] = e.source.date
        d["source"] = src
    return d


def _sort_key(e: QueueEntry) -> tuple[float, datetime, str]:
    return (e.position, e.added, e.id)


def combine(mine: QueueEntry | Removed, theirs: QueueEntry | Removed) -> QueueEntry | Removed:
    """Per field, the later change wins; on a tie the disk (a hand edit) does."""
    if isinstance(mine, Removed) or isinstance(theirs, Removed):
        if isinstance(mine, Removed) and isinstance(theirs, Removed):
            return mine if mine.updated > theirs.updated else theirs
        entry, tomb = (mine, theirs) if isinstance(mine, QueueEntry) else (theirs, mine)
        queued = entry.at("queued")  # type: ignore[union-attr]
        if queued > tomb.updated or (queued == tomb.updated and entry is theirs):
            return entry
        return tomb
    base = mine if mine.at("queued") > theirs.at("queued") else theirs  # title, abstract, links...
    changes: dict[str, Any] = {}
    for name in ("status", "note", "position"):
        side = mine if mine.at(name) > theirs.at(name) else theirs
        changes[name] = getattr(side, name)
        changes[f"{name}_at"] = getattr(side, f"{name}_at") or side.added
    changes["queued_at"] = base.queued_at
    merged = dataclasses.replace(base, **changes)
    times = [merged.added, *(merged.at(n) for n in FIELD_TIMES)]
    unset: dict[str, Any] = {f"{n}_at": None for n in FIELD_TIMES if merged.at(n) == merged.added}
    merged = dataclasses.replace(merged, updated=max(times), **unset)
    return theirs if merged == theirs else mine if merged == mine else merged
