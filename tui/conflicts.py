"""Conflict copies left by sync tools (Syncthing, Nextcloud, Dropbox) of papertray's data files.

When two machines change a synced file before the tool could copy it across, the tool keeps one
version under the real name and the other beside it under a "conflict copy" name. papertray merges
such a copy into the real file (nothing of either side is lost) and then moves it into
`<data dir>/merged-conflicts/`, so the user can still look at it and the tool syncs the move.

Names recognised, for a file `<stem>.<ext>` (e.g. `queue.toml`):

- Syncthing: `<stem>.sync-conflict-<YYYYMMDD>-<HHMMSS>-<device id>.<ext>`
- Nextcloud / ownCloud: `<stem> (conflicted copy <date> <time>).<ext>` (with or without a user name)
- Dropbox: `<stem> (<device>'s conflicted copy <YYYY-MM-DD>).<ext>` (a trailing ` (1)` too)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

MERGED_DIR = "merged-conflicts"


def _pattern(filename: str) -> re.Pattern[str]:
    stem, dot, ext = filename.rpartition(".")
    if not dot:
        stem, ext = filename, ""
    tail = re.escape("." + ext) if ext else ""
    syncthing = r"\.sync-conflict-\d{8}-\d{6}-[A-Za-z0-9]+"
    bracketed = r" \((?:[^()]*conflicted copy[^()]*|[^()]*conflicted copy[^()]*\(\d+\))\)"  # Nextcloud, Dropbox
    return re.compile(rf"{re.escape(stem)}(?:{syncthing}|{bracketed}){tail}", re.IGNORECASE)


def conflict_copies(folder: Path, filename: str) -> list[Path]:
    """Conflict copies of `folder/filename`, oldest first (so newer copies are merged last)."""
    pattern = _pattern(filename)
    found: list[tuple[float, Path]] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if pattern.fullmatch(entry.name) and entry.is_file():
                    try:
                        found.append((entry.stat().st_mtime, Path(entry.path)))
                    except OSError:
                        continue
    except OSError:
        return []
    return [p for _t, p in sorted(found)]


def set_aside_backup_copies(folder: Path, filename: str) -> list[str]:
    """Move conflict copies of `<filename>.bak` aside (a backup has nothing to merge); what was done."""
    told = []
    for copy in conflict_copies(folder, filename + ".bak"):
        try:
            aside = set_aside(copy)
        except OSError as exc:
            told.append(f"Could not move the sync conflict copy {copy} of a backup aside ({exc.strerror or exc}).")
            continue
        told.append(f"A sync tool's conflict copy {copy.name} of a backup (nothing to merge) is now in {aside.parent}.")
    return told


def set_aside(copy: Path) -> Path:
    """Move a merged conflict copy into `merged-conflicts/` beside it (a unique name); its new path."""
    folder = copy.parent / MERGED_DIR
    folder.mkdir(exist_ok=True)
    target, n = folder / copy.name, 1
    while target.exists():
        target = folder / f"{copy.name}.{n}"
        n += 1
    os.replace(copy, target)
    return target
