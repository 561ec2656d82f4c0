"""The reading queue, kept on disk at once and shared between instances (and machines).

`queue.toml` in the data folder (passed in; `tui.paths` decides where it is)::

    version = 2

    [[paper]]                       # one per queued paper, in queue order
    id = "2601.01234"
    title = "..."
    status = "reading"              # to-read | reading | done
    status_at = 2026-01-21 10:00:00.654321+00:00   # when status was last set
    note = "..."                    # optional
    note_at = 2026-01-21 10:02:00+00:00
    position = 3.0                  # order key: the queue is sorted by position, then added, id
    position_at = ...               # when it was last moved
    added = 2026-01-20 09:00:00.123456+00:00
    queued_at = ...                 # only if re-added or restored after a removal
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

A `*_at` time left out means `added`. Each entry is self-contained (title, abstract, links...), so
it outlives the digest it came from. Done entries stay in the queue (hidden by default) until removed.

Merging is per field: status, note, position and presence (queued vs removed) each keep their last
writer, so a note set on one machine and a status changed on another both survive. A removal wins
over the entry only if it is newer than the entry's (re-)queueing, whatever was edited meanwhile.
Version 1 files (one `updated` time per entry) are read as if every field changed then, and are
written back as version 2 at the next save.

Order: adding appends (largest position + 1); moving gives the entry a position between its new
neighbours and changes only that entry, so two instances reordering different entries merge
without conflict. Ties (two instances appending at once) fall back to `added`, then `id`. To
reorder by hand, edit `position`; an entry added by hand without one sorts right after the entry
above it in the file.

Entries and their merge are in `tui.queueentry`; saving, recovery and merging with peers in
`tui.recordfile`, `tui.recordpieces` and `tui.persist`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import tomli_w

from tui.model import Paper
from tui.persist import after, as_utc
from tui.queueentry import (  # noqa: F401  (re-exported: the queue's public names)
    FIELD_TIMES,
    STATUSES,
    QueueEntry,
    Removed,
    Source,
    _entry_from_toml,
    _entry_to_toml,
    _get,
    _sort_key,
    combine,
)
from tui.recordfile import TomlStore


class Queue(TomlStore["QueueEntry | Removed"]):
    """The reading queue in `<data_dir>/queue.toml`; every change is saved before returning.

    Check `last_error` after a change (or after `save()` returns False) to tell the user that the
    disk refused it, and `warnings` once after opening (a damaged file was moved aside).
    """

    FILENAME = "queue.toml"
    NOUN = "reading queue"

    def _changed(self) -> None:
        self._order: list[QueueEntry] | None = None
        self._where: dict[str, int] = {}

    def _replaced_in_place(self, old: QueueEntry | Removed, new: QueueEntry | Removed) -> bool:
        """A status or note change keeps the order: swap the entry in the sorted list (no re-sort)."""
        order = getattr(self, "_order", None)
        if order is None or not isinstance(old, QueueEntry) or not isinstance(new, QueueEntry):
            return False
        if _sort_key(old) != _sort_key(new):
            return False
        i = self._where.get(old.id)
        if i is None or order[i] is not old:
            return False
        order[i] = new
        return True

    # reading ----------------------------------------------------------------------------

    def _all(self) -> list[QueueEntry]:
        if getattr(self, "_order", None) is None:
            live = [r for r in self._records.values() if isinstance(r, QueueEntry)]
            self._order = sorted(live, key=_sort_key)
            self._where = {e.id: i for i, e in enumerate(self._order)}
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
        old = self._records.get(item.id)
        if isinstance(item, QueueEntry):
            t = after(max(item.updated, old.updated) if old else item.updated)
            return item.changed(t, position=position, queued=True)
        entry = QueueEntry.from_paper(item, position=position)
        if old is not None and old.updated >= entry.added:  # beat the tombstone even if its clock ran ahead
            entry = dataclasses.replace(entry, queued_at=after(old.updated), updated=after(old.updated))
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
        restored = entry.changed(after(max(entry.updated, old.updated) if old else entry.updated), queued=True)
        self._put(restored)
        return restored

    def _edit(self, pid: str, **changes: Any) -> QueueEntry | None:
        entry = self.get(pid)
        if entry is None:
            return None
        if all(getattr(entry, k) == v for k, v in changes.items()):
            return entry
        new = entry.changed(after(entry.updated), **changes)
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
                self._records[e.id] = e.changed(after(e.updated), position=float(i))
        self.dirty = True
        self._changed()

    # storage hooks ----------------------------------------------------------------------

    def _is_tombstone(self, record: QueueEntry | Removed) -> bool:
        return isinstance(record, Removed)

    SECTIONS = ("paper", "removed")
    VERSION = 2
    READS_VERSIONS = (1, 2)

    def _decode_item(self, section: str, t: Any, default_time: datetime, prev: Any) -> QueueEntry | Removed:
        if section == "paper":
            position = (prev.position if prev is not None else 0.0) + 0.001
            return _entry_from_toml(t, default_time, position, self._warn_once)
        if not isinstance(t, dict):
            raise ValueError("is not a table")
        pid = _get(t, "id", str)
        if not pid:
            raise ValueError("has no 'id'")
        return Removed(pid, as_utc(t.get("at", default_time), "'at'"))

    def _warn_once(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _combine(self, mine: QueueEntry | Removed, theirs: QueueEntry | Removed) -> QueueEntry | Removed:
        return combine(mine, theirs)

    def _self_contained(self, piece: bytes) -> bool:
        if piece.startswith(b"removed]]"):
            return b"\nat = " in piece
        return b"\nposition = " in piece and b"\nadded = " in piece

    def _file_order(self, records: Mapping[str, Any]) -> list[Any]:
        live = self._all() if records is self._records else sorted(
            (r for r in records.values() if isinstance(r, QueueEntry)), key=_sort_key)
        dead = sorted((r for r in records.values() if isinstance(r, Removed)), key=lambda r: r.updated)
        return [*live, *dead]

    def _encode_record(self, record: QueueEntry | Removed) -> str:
        # Headers written here: tomli-w would inline a short array of tables as `paper = [...]`,
        # which cannot be concatenated after another entry's sub-tables.
        if isinstance(record, Removed):
            return "[[removed]]\n" + tomli_w.dumps({"id": record.id, "at": record.updated})
        d = _entry_to_toml(record)
        tables = [(k, d.pop(k)) for k in ("links", "source") if k in d]
        out = "[[paper]]\n" + tomli_w.dumps(d, multiline_strings=True)
        if "\n[[" in out:  # a multi-line note with a line like "[[paper]]": keep each entry splittable
            out = "[[paper]]\n" + tomli_w.dumps(d)
        for key, table in tables:
            out += f"\n[paper.{key}]\n" + tomli_w.dumps(table)
        return out
