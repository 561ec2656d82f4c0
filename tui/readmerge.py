"""The read-mark journal's line format, and merging other journals into it.

Lines are fixed-width (`<27-character UTC time> <+|-> <paper id>`), so they sort by time as text
and load with C-level passes. Merged into the journal: a sync tool's conflict copy of it (the
newer line per paper wins; the winners are appended) and, once, an old `state.toml`.
"""

from __future__ import annotations

import os
import re
import threading
import tomllib
from collections.abc import Callable
from datetime import datetime
from operator import itemgetter
from pathlib import Path

from tui import conflicts
from tui.persist import as_utc, describe_os_error, now, target_of

FILENAME = "readmarks.log"
LEGACY = "state.toml"
HEADER = "# papertray read marks: <UTC time> <+ read | - unread> <paper id>; the last line for a paper wins\n"
_SHAPES = {"Z + ", "Z - "}  # characters 26..29 of every mark line
MARK_LINE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z [+-] \S.*")
_ids = itemgetter(slice(30, None))
_shape = itemgetter(slice(26, 30))
_op = itemgetter(28)


def line_for(pid: str, read: bool, t: datetime | None = None) -> str:
    """One journal line (fixed-width time, so lines sort by time as text)."""
    return f"{(t or now()).strftime('%Y-%m-%dT%H:%M:%S.%fZ')} {'+' if read else '-'} {pid}\n"


def parse_lines(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """Mark lines of `text` (complete lines only) and the damaged ones as (line number, text)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    first = 1 if lines and lines[0].startswith("#") else 0
    if first:
        lines = lines[1:]
    if set(map(_shape, lines)) <= _SHAPES:
        return lines, []  # the usual case: every line is a mark (no per-line Python loop)
    good: list[str] = []
    bad: list[tuple[int, str]] = []
    for n, line in enumerate(lines, 1 + first):
        if MARK_LINE.fullmatch(line):
            good.append(line)
        elif line.strip() and not line.startswith("#"):
            bad.append((n, line))
    return good, bad


class MarkMerging:
    """Merging for `tui.readstate.ReadState` (which provides the attributes used here)."""

    data_dir: Path
    path: Path
    warnings: list[str]
    last_error: str | None
    _cond: threading.Condition
    _pending: list[tuple[str, str]]
    flush: Callable[[], bool]
    _apply: Callable[[str, bool], bool]

    def _append_newer(self, theirs: dict[str, str], source: str) -> int:
        """Append the lines of `theirs` (id -> line) newer than ours; returns how many marks changed."""
        ours: dict[str, str] = {}
        try:
            with open(target_of(self.path), "rb") as f:
                raw = f.read()
            lines, _bad = parse_lines(raw[: raw.rfind(b"\n") + 1].decode("utf-8", errors="replace"))
            ours = dict(zip(map(_ids, lines), lines))
        except FileNotFoundError:
            pass
        newer = sorted(line for pid, line in theirs.items() if pid not in ours or line[:27] > ours[pid][:27])
        if not newer:
            return 0
        with self._cond:
            self._pending.extend((line[30:-1], line) for line in newer)
        if not self.flush():
            raise OSError(self.last_error)
        return sum(self._apply(line[30:-1], line[28] == "+") for line in newer)

    def merge_conflict_copies(self) -> bool:
        """Merge sync tools' conflict copies of the journal, then move them aside; True if marks changed."""
        changed = False
        self.warnings += conflicts.set_aside_backup_copies(self.data_dir, FILENAME)
        for copy in conflicts.conflict_copies(self.data_dir, FILENAME):
            try:
                raw = copy.read_bytes()
                lines, _bad = parse_lines(raw[: raw.rfind(b"\n") + 1].decode("utf-8", errors="replace"))
                theirs = {line[30:]: line + "\n" for line in lines}
                changed |= self._append_newer(theirs, copy.name) > 0
                aside = conflicts.set_aside(copy)
            except OSError as exc:
                self.warnings.append(f"Could not merge the conflict copy {copy}: {describe_os_error(exc)}; it is left in place.")
                continue
            self.warnings.append(f"A sync tool's conflict copy {copy.name} was merged into {FILENAME}; it is now in {aside.parent}.")
        return changed

    def _import_legacy(self) -> None:
        """Bring the marks of an old `state.toml` (version 1) into the journal, once."""
        legacy = self.data_dir / LEGACY
        if not legacy.exists():
            return
        try:
            doc = tomllib.loads(legacy.read_text(encoding="utf-8"))
            theirs: dict[str, str] = {}
            for section, read in (("read", True), ("unread", False)):
                table = doc.get(section, {})
                for pid, when in (table.items() if isinstance(table, dict) else ()):
                    line = line_for(pid, read, as_utc(when, pid))
                    if pid not in theirs or line > theirs[pid]:
                        theirs[pid] = line
            self._append_newer(theirs, LEGACY)
            os.replace(legacy, legacy.with_name(LEGACY + ".migrated"))
        except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
            why = describe_os_error(exc) if isinstance(exc, OSError) else str(exc)
            self.warnings.append(f"Could not import the old read marks {legacy}: {why}; it is left in place.")
