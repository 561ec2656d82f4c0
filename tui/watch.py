"""Notice new, changed and deleted digest files by polling modification times.

Cheap by design: each tick (`tick`) stats only the watched folders and named files. A folder's
modification time changes when a file in it is added, removed or renamed into place (which is
how `papertray fetch` and most editors save), and only then is the folder walked and each file
stat'ed (`poll`). In-place edits that leave the folder untouched are caught by a full poll every
`full_every` ticks. No extra dependency; inotify-style watchers would add one and still miss
network folders.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui.loader import _GLOB_CHARS, discover, read_digest
from tui.model import ParseResult


@dataclass(slots=True)
class Changes:
    changed: list[ParseResult] = field(default_factory=list)  # new or modified files, parsed
    removed: list[Path] = field(default_factory=list)


class Watcher:
    """Remembers (mtime, size) of every file seen; `poll` reports what differs since."""

    def __init__(self, full_every: int = 12) -> None:
        self.stamps: dict[Path, tuple[int, int]] = {}
        self.full_every = full_every  # ticks between two full polls (in-place edits)
        self._folders: dict[Path, tuple[int, int] | None] = {}
        self._ticks = 0
        self._lock = threading.RLock()  # a tick and an `r` (or a fetch) may poll from two workers

    @staticmethod
    def _stamp(path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def prime(self, paths: Iterable[Path]) -> None:
        """Record the files just loaded, so the first poll reports only later changes."""
        for path in paths:
            stamp = self._stamp(path)
            if stamp is not None:
                self.stamps[path.absolute()] = stamp
        self._folders = {}  # the next tick records the folders (and polls once: nothing is missed)

    def _watch_points(self, specs: Iterable[str | os.PathLike[str]]) -> set[Path]:
        """The folders (and named files) whose stat tells that something may have changed."""
        points: set[Path] = set()
        for spec in specs:
            text = os.path.expanduser(os.fspath(spec))
            if _GLOB_CHARS & set(text):
                parts = Path(text).parts
                fixed = parts[: next(i for i, p in enumerate(parts) if _GLOB_CHARS & set(p))]
                points.add(Path(*fixed).absolute() if fixed else Path.cwd())
            else:
                path = Path(text).absolute()
                points.add(path)
                if not path.is_dir():
                    points.add(path.parent)
        points.update(path.parent for path in self.stamps)
        return points

    def _folder_stamps(self, specs: Iterable[str | os.PathLike[str]]) -> dict[Path, tuple[int, int] | None]:
        return {p: self._stamp(p) for p in self._watch_points(specs)}

    def tick(self, specs: Iterable[str | os.PathLike[str]], max_bytes: int) -> Changes:
        """The periodic check: stat the folders; walk them only when one changed (or every
        `full_every` ticks, for files edited in place)."""
        with self._lock:
            return self._tick(list(specs), max_bytes)

    def _tick(self, specs: list[str | os.PathLike[str]], max_bytes: int) -> Changes:
        self._ticks += 1
        stamps = self._folder_stamps(specs)
        if stamps == self._folders and self._ticks % self.full_every:
            return Changes()
        # Stamps taken before the walk: a file landing during it shows at the next tick. Folders the
        # walk finds are watched from the next tick on (that tick walks once more, harmlessly).
        self._folders = stamps
        return self.poll(specs, max_bytes)

    def poll(self, specs: Iterable[str | os.PathLike[str]], max_bytes: int) -> Changes:
        """Walk the folders now and parse every new or changed file."""
        with self._lock:
            return self._poll(specs, max_bytes)

    def _poll(self, specs: Iterable[str | os.PathLike[str]], max_bytes: int) -> Changes:
        candidates, _problems = discover(specs)
        changes = Changes()
        seen: set[Path] = set()
        for cand in candidates:
            key = cand.path.absolute()
            seen.add(key)
            stamp = self._stamp(cand.path)
            if stamp is None or self.stamps.get(key) == stamp:
                continue
            self.stamps[key] = stamp
            result = read_digest(cand, max_bytes)
            if result.is_digest:
                changes.changed.append(result)
        for key in list(self.stamps):
            if key not in seen:
                del self.stamps[key]
                changes.removed.append(key)
        return changes
