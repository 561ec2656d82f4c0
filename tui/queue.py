"""The reading queue and the read marks, kept on disk at once and shared between instances.

Two files in the data folder (passed in; `tui.paths` decides where it is):

`queue.toml`, the reading queue::

    version = 1

    [[paper]]                       # one per queued paper, in queue order
    id = "2601.01234"
    title = "..."
    status = "to-read"              # to-read | reading | done
    note = "..."                    # optional
    position = 3.0                  # order key: the queue is sorted by position, then added, id
    added = 2026-01-20 09:00:00.123456+00:00
    updated = 2026-01-21 10:00:00.654321+00:00   # last change; the merge keeps the newest
    published = 2026-01-19
    byline = "A. Author et al."
    authors = ["A. Author", "B. Author", "C. Author"]
    categories = ["cs.CL"]
    abstract = "..."
    [paper.links]
    arxiv = "https://arxiv.org/abs/2601.01234"
    [paper.source]                  # the digest it was queued from
    path = "/home/me/digests/2026-01-20.txt"
    format = "arxiv-email"
    date = 2026-01-20

    [[removed]]                     # tombstone: keeps a peer from resurrecting a removed paper
    id = "2601.09999"
    at = 2026-01-21 11:00:00+00:00

Each entry is self-contained (title, abstract, links...), so it outlives the digest it came from.
Done entries stay in the queue (hidden by default) until removed.

Order: every entry has a float `position`. Adding appends (largest position + 1); moving gives the
entry a position between its new neighbours and bumps only that entry's `updated`, so two
instances reordering different entries merge without conflict. Ties (two instances appending at
once) fall back to `added`, then `id`. To reorder by hand, edit `position`; an entry added by
hand without one sorts right after the entry above it in the file.

`state.toml`, the read marks::

    version = 1

    [read]                          # paper id = when it was marked read
    "2601.01234" = 2026-01-21 10:00:00+00:00

    [unread]                        # marked unread again (kept so a merge does not re-read it)
    "2601.05678" = 2026-01-21 10:05:00+00:00

Both files are merged, not overwritten, when a peer or an editor changed them: see `tui.persist`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

import tomli_w

from tui.links import keep_safe_links
from tui.model import Paper
from tui.sanitize import clean, clean_line
from tui.persist import TomlStore, after, as_utc, now, pick_latest

STATUSES = ("to-read", "reading", "done")


@dataclass(frozen=True, slots=True)
class Source:
    """The digest an entry was queued from (a path as text: it may move or vanish later)."""

    path: str
    format: str | None = None
    date: date | None = None


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """One queued paper, with everything needed to show and export it without its digest.

    Frozen: every change makes a new entry with a later `updated`, which is what the merge
    compares, and an entry handed out for undo can never change under the caller.
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

    @classmethod
    def from_paper(cls, paper: Paper, *, position: float = 0.0) -> QueueEntry:
        """Snapshot a Paper; its source is the newest digest it appeared in (the one being read)."""
        source = None
        if paper.digests:
            newest = max(paper.digests, key=lambda d: d.date or date.min)
            fmt = getattr(newest.format, "value", newest.format)
            source = Source(str(newest.path.absolute()), fmt, newest.date)
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
    """A tombstone: `id` was removed at `updated`; beats any older edit of that entry."""

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


def _entry_from_toml(t: Any, default_time: datetime, default_position: float, warn: Callable[[str], object] | None = None) -> QueueEntry:
    if not isinstance(t, dict):
        raise ValueError("is not a table")
    pid = _get(t, "id", str)
    if not pid:
        raise ValueError("has no 'id'")
    status = _get(t, "status", str, "to-read")
    if status not in STATUSES:
        raise ValueError(f"'status' must be one of {', '.join(STATUSES)}, not {status!r}")
    added = as_utc(t["added"], "'added'") if "added" in t else default_time
    updated = as_utc(t["updated"], "'updated'") if "updated" in t else max(added, default_time)
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
    )


def _entry_to_toml(e: QueueEntry) -> dict[str, Any]:
    """Field order chosen for a human reading the file: what and where first, abstract last."""
    d: dict[str, Any] = {"id": e.id, "title": e.title, "status": e.status}
    if e.note:
        d["note"] = e.note
    d["position"] = e.position
    d["added"] = e.added
    d["updated"] = e.updated
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


class Queue(TomlStore["QueueEntry | Removed"]):
    """The reading queue in `<data_dir>/queue.toml`; every change is saved before returning.

    Check `last_error` after a change (or after `save()` returns False) to tell the user that the
    disk refused it, and `warnings` once after opening (a damaged file was moved aside).
    """

    FILENAME = "queue.toml"
    NOUN = "reading queue"

    def _changed(self) -> None:
        self._order: list[QueueEntry] | None = None

    # reading ----------------------------------------------------------------------------

    def _all(self) -> list[QueueEntry]:
        if getattr(self, "_order", None) is None:
            live = [r for r in self._records.values() if isinstance(r, QueueEntry)]
            self._order = sorted(live, key=_sort_key)
        return self._order  # type: ignore[return-value]

    def entries(self, include_done: bool = False) -> list[QueueEntry]:
        """Entries in queue order; done ones only when asked (they stay until removed)."""
        if include_done:
            return list(self._all())
        return [e for e in self._all() if e.status != "done"]

    def __len__(self) -> int:
        return len(self._all())

    def get(self, pid: str) -> QueueEntry | None:
        record = self._records.get(pid)
        return record if isinstance(record, QueueEntry) else None

    def contains(self, pid: str) -> bool:
        return isinstance(self._records.get(pid), QueueEntry)

    __contains__ = contains

    # changing ---------------------------------------------------------------------------

    def _next_position(self) -> float:
        order = self._all()
        return (order[-1].position + 1.0) if order else 1.0

    def add(self, item: Paper | QueueEntry) -> QueueEntry:
        """Append a paper (or re-add an entry) unless it is queued already; returns the entry."""
        existing = self.get(item.id)
        if existing is not None:
            return existing
        entry = self._new_entry(item)
        self._put(entry)
        return entry

    def add_many(self, items: Iterable[Paper | QueueEntry]) -> int:
        """Append several papers with one save (e.g. a whole digest); returns how many were new."""
        added = 0
        position = self._next_position()
        for item in items:
            if not self.contains(item.id):
                self._records[item.id] = self._new_entry(item, position + added)
                added += 1
        self._changed()
        if added:
            self.dirty = True
            self.save()
        return added

    def _new_entry(self, item: Paper | QueueEntry, position: float | None = None) -> QueueEntry:
        position = self._next_position() if position is None else position
        if isinstance(item, QueueEntry):
            t = after(self._records[item.id].updated if item.id in self._records else None)
            entry = dataclasses.replace(item, updated=t, position=position)
        else:
            entry = QueueEntry.from_paper(item, position=position)
            if item.id in self._records:  # beat the tombstone even if its clock ran ahead
                entry = dataclasses.replace(entry, updated=after(self._records[item.id].updated))
        return entry

    def toggle(self, paper: Paper) -> bool:
        """Queue the paper, or remove it if queued; True when it is queued afterwards."""
        if self.contains(paper.id):
            self.remove(paper.id)
            return False
        self.add(paper)
        return True

    def remove(self, pid: str) -> QueueEntry | None:
        """Remove an entry (leaving a tombstone); returns it so the UI can offer undo."""
        entry = self.get(pid)
        if entry is None:
            return None
        self._put(Removed(pid, after(entry.updated)))
        return entry

    def restore(self, entry: QueueEntry) -> QueueEntry:
        """Undo a remove: the entry comes back with its status, note and place in the order."""
        old = self._records.get(entry.id)
        restored = dataclasses.replace(entry, updated=after(max(entry.updated, old.updated) if old else entry.updated))
        self._put(restored)
        return restored

    def _edit(self, pid: str, **changes: Any) -> QueueEntry | None:
        entry = self.get(pid)
        if entry is None:
            return None
        if all(getattr(entry, k) == v for k, v in changes.items()):
            return entry
        new = dataclasses.replace(entry, updated=after(entry.updated), **changes)
        self._put(new)
        return new

    def set_status(self, pid: str, status: str) -> QueueEntry | None:
        """Set `to-read`, `reading` or `done`; None if the paper is not queued."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        return self._edit(pid, status=status)

    def cycle_status(self, pid: str) -> QueueEntry | None:
        """to-read -> reading -> done -> to-read: one key walks an entry through its life."""
        entry = self.get(pid)
        if entry is None:
            return None
        return self._edit(pid, status=STATUSES[(STATUSES.index(entry.status) + 1) % len(STATUSES)])

    def set_note(self, pid: str, note: str) -> QueueEntry | None:
        return self._edit(pid, note=note)

    def move(self, pid: str, delta: int, include_done: bool = False) -> bool:
        """Move an entry `delta` places (negative: up) in the listing the user sees."""
        view = self.entries(include_done)
        ids = [e.id for e in view]
        if pid not in ids:
            return False
        return self.move_to(pid, ids.index(pid) + delta, include_done)

    def move_to(self, pid: str, index: int, include_done: bool = False) -> bool:
        """Put an entry at `index` (clamped) of the listing; True if it moved.

        Only the moved entry changes (a position between its new neighbours), so a peer's
        concurrent moves of other entries survive the merge.
        """
        entry = self.get(pid)
        if entry is None:
            return False
        view = self.entries(include_done)
        if pid not in [e.id for e in view]:
            return False
        for _ in range(2):
            others = [e for e in view if e.id != pid]
            index = max(0, min(index, len(others)))
            if [e.id for e in view].index(pid) == index:
                return False
            before = others[index - 1].position if index > 0 else None
            behind = others[index].position if index < len(others) else None
            if before is None:
                pos = behind - 1.0  # type: ignore[operator]
            elif behind is None:
                pos = before + 1.0
            else:
                pos = (before + behind) / 2
                if not before < pos < behind:  # equal positions or floats exhausted
                    self._renumber()
                    view = self.entries(include_done)
                    continue
            self._edit(pid, position=pos)
            return True
        return False

    def _renumber(self) -> None:
        """Spread positions to 1, 2, 3... keeping the order (rare: ties or exhausted floats)."""
        for i, e in enumerate(self._all(), 1):
            if e.position != float(i):
                self._records[e.id] = dataclasses.replace(e, position=float(i), updated=after(e.updated))
        self.dirty = True
        self._changed()

    # storage hooks ----------------------------------------------------------------------

    def _is_tombstone(self, record: QueueEntry | Removed) -> bool:
        return isinstance(record, Removed)

    def _decode(self, doc: dict[str, Any], default_time: datetime) -> tuple[dict[str, Any], list[str]]:
        records: dict[str, QueueEntry | Removed] = {}
        errors: list[str] = []
        papers = doc.get("paper", [])
        removed = doc.get("removed", [])
        if not isinstance(papers, list):
            return records, ["'paper' must be an array of tables ([[paper]])"]
        if not isinstance(removed, list):
            return records, ["'removed' must be an array of tables ([[removed]])"]
        position = 0.0
        for i, t in enumerate(papers, 1):
            try:
                entry = _entry_from_toml(t, default_time, position + 0.001, lambda w: w in self.warnings or self.warnings.append(w))
            except (ValueError, KeyError) as exc:
                pid = t.get("id") if isinstance(t, dict) else None
                errors.append(f"paper #{i}{f' ({pid})' if isinstance(pid, str) else ''}: {exc}")
                continue
            position = entry.position
            pick_latest(records, entry)
        for i, t in enumerate(removed, 1):
            try:
                if not isinstance(t, dict):
                    raise ValueError("is not a table")
                pid = _get(t, "id", str)
                if not pid:
                    raise ValueError("has no 'id'")
                tomb = Removed(pid, as_utc(t.get("at", default_time), "'at'"))
            except ValueError as exc:
                errors.append(f"removed #{i}: {exc}")
                continue
            pick_latest(records, tomb)
        return records, errors

    def _encode_record(self, record: QueueEntry | Removed) -> str:
        # Headers written here: tomli-w would inline a short array of tables as `paper = [...]`,
        # which cannot be concatenated after another entry's sub-tables.
        if isinstance(record, Removed):
            return "[[removed]]\n" + tomli_w.dumps({"id": record.id, "at": record.updated})
        d = _entry_to_toml(record)
        tables = [(k, d.pop(k)) for k in ("links", "source") if k in d]
        out = "[[paper]]\n" + tomli_w.dumps(d, multiline_strings=True)
        for key, table in tables:
            out += f"\n[paper.{key}]\n" + tomli_w.dumps(table)
        return out

    def _layout(self, records: Mapping[str, Any], chunks: Callable[[Iterable[Any]], list[str]]) -> str:
        live = sorted((r for r in records.values() if isinstance(r, QueueEntry)), key=_sort_key)
        dead = sorted((r for r in records.values() if isinstance(r, Removed)), key=lambda r: r.updated)
        return "\n".join(["version = 1\n", *chunks(live), *chunks(dead)])


@dataclass(frozen=True, slots=True)
class ReadMark:
    """Paper `id` was marked read (or unread again) at `updated`; the newest mark wins a merge."""

    id: str
    read: bool
    updated: datetime


class ReadState(TomlStore[ReadMark]):
    """Read/unread per paper id in `<data_dir>/state.toml`; every change is saved at once."""

    FILENAME = "state.toml"
    NOUN = "read marks"

    def _changed(self) -> None:
        self._read_ids = {k for k, m in self._records.items() if m.read}

    @property
    def read_ids(self) -> Set[str]:
        """The ids marked read (a live view: copy it before keeping it across changes)."""
        return self._read_ids

    def is_read(self, pid: str) -> bool:
        return pid in self._read_ids

    def set_read(self, pid: str, read: bool = True) -> bool:
        """Mark one paper; True if that changed anything."""
        return self.set_read_many([pid], read) > 0

    def set_read_many(self, pids: Iterable[str], read: bool = True) -> int:
        """Mark many papers with one save (e.g. a whole digest); returns how many changed."""
        changed = 0
        for pid in pids:
            if (pid in self._read_ids) == read:
                continue
            old = self._records.get(pid)
            self._records[pid] = ReadMark(pid, read, after(old.updated if old else None))
            if read:
                self._read_ids.add(pid)
            else:
                self._read_ids.discard(pid)
            changed += 1
        if changed:
            self.dirty = True
            self.save()
        return changed

    def toggle(self, pid: str) -> bool:
        """Flip read/unread; returns the new state (True: read)."""
        read = not self.is_read(pid)
        self.set_read(pid, read)
        return read

    # storage hooks ----------------------------------------------------------------------

    def _is_tombstone(self, record: ReadMark) -> bool:
        return not record.read

    def _decode(self, doc: dict[str, Any], default_time: datetime) -> tuple[dict[str, ReadMark], list[str]]:
        records: dict[str, ReadMark] = {}
        errors: list[str] = []
        for section, read in (("read", True), ("unread", False)):
            table = doc.get(section, {})
            if not isinstance(table, dict):
                errors.append(f"'{section}' must be a table ([{section}])")
                continue
            for pid, when in table.items():
                try:
                    pick_latest(records, ReadMark(pid, read, as_utc(when, f"{section}.{pid!r}")))
                except ValueError as exc:
                    errors.append(str(exc))
        return records, errors

    def _encode_record(self, record: ReadMark) -> str:
        return tomli_w.dumps({record.id: record.updated})

    def _layout(self, records: Mapping[str, ReadMark], chunks: Callable[[Iterable[ReadMark]], list[str]]) -> str:
        # Dict order (file order, then new marks): stable across saves without a 30k-key sort.
        read = "".join(chunks([m for m in records.values() if m.read]))
        unread = "".join(chunks([m for m in records.values() if not m.read]))
        return f"version = 1\n\n[read]\n{read}\n[unread]\n{unread}"
