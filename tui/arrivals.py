"""What is new since the last session: when each digest file was first seen, and when the
reader last ran.

A paper is new when every digest file it appears in was first seen after the previous
session began, so a paper re-listed in a later digest is not new again, and a day rewritten by
`fetch` (upvotes changed) does not make its papers new a second time: first-seen times stay.
The record is small (one timestamp per digest file) and lives in the data folder as
`arrivals.json`, written atomically. Plain Python: the reader asks, this module answers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tui.model import Digest, Paper
from tui.persist import atomic_write

FILE_NAME = "arrivals.json"


def _parse(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def since_label(when: datetime, now: datetime) -> str:
    """`09:30` today, `yesterday`, a weekday within the week (`Tuesday`), else `Nov 3` / `2025-11-03`."""
    local, today = when.astimezone().date(), now.astimezone().date()
    if local == today:
        return f"{when.astimezone():%H:%M}"
    if local == today - timedelta(days=1):
        return "yesterday"
    if today - local < timedelta(days=7):
        return f"{local:%A}"
    return f"{local:%b} {local.day}" if local.year == today.year else local.isoformat()


class Arrivals:
    """First-seen times of digest files and the previous session's start, for one data folder."""

    def __init__(self, data_dir: Path, now: datetime | None = None) -> None:
        self.path = data_dir / FILE_NAME
        self.now = now or datetime.now(UTC)
        self.previous: datetime | None = None  # when the previous session began; None = first run
        self.first_seen: dict[str, datetime] = {}
        self.warning: str | None = None
        self.primed = False  # `see` has recorded the loaded files: only then may a session be saved
        self._dirty = False
        self._load()

    def _load(self) -> None:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.warning = f"{self.path}: unreadable ({exc.__class__.__name__}); nothing is marked new this time"
            return
        if not isinstance(raw, dict):
            return
        self.previous = _parse(raw.get("session"))
        files = raw.get("files")
        if isinstance(files, dict):
            for name, value in files.items():
                when = _parse(value)
                if when is not None:
                    self.first_seen[name] = when

    def see(self, paths: Iterable[Path], when: datetime | None = None) -> None:
        """Record files not seen before (at `when`, default now). On the very first session
        files are dated to the session start, so nothing is new until the next one."""
        stamp = when or datetime.now(UTC)
        self.primed = True
        for path in paths:
            key = os.fspath(Path(path).absolute())
            if key not in self.first_seen:
                self.first_seen[key] = self.now if self.previous is None else max(stamp, self.now)
                self._dirty = True

    def is_new(self, paper: Paper) -> bool:
        """Every digest the paper appears in arrived after the previous session began."""
        if self.previous is None or not paper.digests:
            return False
        for digest in paper.digests:
            seen = self.first_seen.get(os.fspath(Path(digest.path).absolute()))
            if seen is None or seen <= self.previous:
                return False
        return True

    def new_ids(self, papers: Iterable[Paper]) -> list[str]:
        """The new papers' ids, in the given order; each digest is judged once (fast at 100k)."""
        if self.previous is None:
            return []
        previous = self.previous
        verdict: dict[int, bool] = {}

        def arrived(digest: Digest) -> bool:
            known = verdict.get(id(digest))
            if known is None:
                seen = self.first_seen.get(os.fspath(Path(digest.path).absolute()))
                known = verdict[id(digest)] = seen is not None and seen > previous
            return known

        return [p.id for p in papers if p.digests and all(arrived(d) for d in p.digests)]

    def header(self, count: int) -> str:
        """`12 new since Tuesday`, or "" when there is nothing to say."""
        if self.previous is None or count == 0:
            return ""
        return f"{count:,} new since {since_label(self.previous, self.now)}"

    def save(self, session: datetime | None = None) -> None:
        """Write the record with this session as the latest (atomically; errors are ignored:
        losing it only means fewer "new" marks next time)."""
        doc = {"version": 1, "session": (session or self.now).isoformat(),
               "files": {k: v.isoformat() for k, v in sorted(self.first_seen.items())}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(doc, indent=1).encode("utf-8"))
            self._dirty = False
        except OSError:
            pass

