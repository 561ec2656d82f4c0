"""Papers the user marked "not for me": the negative examples of the "for you" order.

Kept in `<data_dir>/notforme.toml`, human-readable, with the same crash-proof, peer-merging save
as the reading queue (`tui.recordfile.TomlStore`):

    version = 1

    [[not-for-me]]
    id = "2601.15305"
    title = "Gated sparse attention"
    at = 2026-01-20T09:00:00Z

    [[cleared]]
    id = "2601.00001"
    at = 2026-01-21T10:00:00Z

The title is kept so the file makes sense when read by hand; a cleared mark stays a while as a
tombstone, so a second instance that still had it does not bring it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import tomli_w

from tui.persist import after, as_utc
from tui.recordfile import TomlStore


@dataclass(frozen=True, slots=True)
class Mark:
    """Paper `id` marked (or cleared, `on=False`) at `updated`; the newest mark wins a merge."""

    id: str
    on: bool
    updated: datetime
    title: str = ""


class NotForMe(TomlStore[Mark]):
    """The "not for me" marks; every change is saved at once."""

    FILENAME = "notforme.toml"
    NOUN = "not-for-me marks"
    SECTIONS = ("not-for-me", "cleared")
    VERSION = 1
    READS_VERSIONS = (1,)

    def _changed(self) -> None:
        self._ids = {k for k, m in self._records.items() if m.on}

    @property
    def ids(self) -> set[str]:
        """Ids marked not for me (a copy)."""
        return set(self._ids)

    def __contains__(self, pid: object) -> bool:
        return pid in self._ids

    def set(self, pid: str, on: bool = True, title: str = "") -> bool:
        """Mark or clear one paper; True if that changed anything (saved at once: see `last_error`)."""
        if (pid in self._ids) == on:
            return False
        old = self._records.get(pid)
        self._put(Mark(pid, on, after(old.updated if old else None), title if on else ""))
        return True

    def toggle(self, pid: str, title: str = "") -> bool:
        """Flip the mark; returns the new state (True: not for me)."""
        on = pid not in self._ids
        self.set(pid, on, title)
        return on

    # storage hooks ----------------------------------------------------------------------

    def _is_tombstone(self, record: Mark) -> bool:
        return not record.on

    def _decode_item(self, section: str, table: Any, default_time: datetime, prev: Mark | None) -> Mark:
        if not isinstance(table, dict):
            raise ValueError("is not a table")
        pid = table.get("id")
        if not isinstance(pid, str) or not pid:
            raise ValueError("has no 'id'")
        title = table.get("title", "")
        if not isinstance(title, str):
            raise ValueError("'title' must be text")
        return Mark(pid, section == "not-for-me", as_utc(table.get("at", default_time), "'at'"), title)

    def _self_contained(self, piece: bytes) -> bool:
        return b"\nat = " in piece

    def _file_order(self, records: Mapping[str, Mark]) -> list[Mark]:
        marks = sorted(records.values(), key=lambda m: m.updated)
        return [m for m in marks if m.on] + [m for m in marks if not m.on]

    def _encode_record(self, record: Mark) -> str:
        if record.on:
            return "[[not-for-me]]\n" + tomli_w.dumps({"id": record.id, "title": record.title, "at": record.updated})
        return "[[cleared]]\n" + tomli_w.dumps({"id": record.id, "at": record.updated})
