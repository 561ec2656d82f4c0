"""Notice new, changed and deleted digest files by polling modification times.

Polling a few hundred `stat` calls every few seconds costs next to nothing and needs no extra
dependency; inotify-style watchers would add one and still miss network folders.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tui.loader import discover, read_digest
from tui.model import ParseResult


@dataclass(slots=True)
class Changes:
    changed: list[ParseResult] = field(default_factory=list)  # new or modified files, parsed
    removed: list[Path] = field(default_factory=list)


class Watcher:
    """Remembers (mtime, size) of every file seen; `poll` reports what differs since."""

    def __init__(self) -> None:
        self.stamps: dict[Path, tuple[int, int]] = {}

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

    def poll(self, specs: Iterable[str | os.PathLike[str]], max_bytes: int) -> Changes:
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
