"""The folder fetched digests land in: atomic writes, "unchanged" detection, validators kept.

Every file is written under a hidden temporary name and renamed into place (see
`tui.persist.atomic_write`), so the reader, which skips hidden files, never sees half a
download. Validators (ETag, Last-Modified) and a hash of each file's content live in a hidden
state file beside them, `.papertray-fetch.json`, so the next run can ask "changed since?" and
an unchanged day is never rewritten.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tui.persist import LockTimeout, atomic_write

STATE_NAME = ".papertray-fetch.json"
LOCK_WAIT = 5.0  # seconds; a second fetch (cron and `R` at once) waits for the first this long

# Feed-level timestamps that change on every request while the entries stay the same.
_VOLATILE = (
    re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>"),
    re.compile(rb"<updated>[^<]*</updated>"),
)


def content_key(data: bytes) -> str:
    """A hash of what matters in a digest: the bytes, less feed-level build timestamps."""
    head_end = data.find(b"<entry")
    if head_end < 0:
        head_end = data.find(b"<item")
    if head_end > 0:  # only the feed header carries the volatile stamps; entries keep theirs
        head = data[:head_end]
        for pattern in _VOLATILE:
            head = pattern.sub(b"", head)
        data = head + data[head_end:]
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _dir_lock(path: Path, timeout: float) -> Iterator[None]:
    """An exclusive flock on the folder itself: no lock file, so a run that fetches nothing
    leaves the folder exactly as it was. The kernel drops the lock if the holder dies."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(errno.EAGAIN, f"another papertray fetch is writing to {path}") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


class Folder:
    """One target folder and its state file; call `save` for each good download."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state: dict[str, dict[str, Any]] = {}

    def load_state(self) -> None:
        """Read the state file; a missing or damaged one just means "nothing known yet"."""
        try:
            raw = json.loads((self.path / STATE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        files = raw.get("files") if isinstance(raw, dict) else None
        self.state = {k: v for k, v in (files or {}).items() if isinstance(v, dict)}

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Create the folder and hold its fetch lock; raises OSError (LockTimeout) when busy.

        A folder this run created and left empty is removed again: a failed first fetch
        leaves nothing behind.
        """
        created = not self.path.exists()
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            with _dir_lock(self.path, LOCK_WAIT):
                self.load_state()
                yield
        finally:
            if created:
                try:
                    self.path.rmdir()  # only succeeds when empty
                except OSError:
                    pass

    def validators(self, name: str) -> dict[str, str]:
        """Conditional-GET headers for `name`, only while the file is still there."""
        known = self.state.get(name, {})
        if not (self.path / name).is_file():
            return {}
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = str(known["etag"])
        if known.get("last_modified"):
            headers["If-Modified-Since"] = str(known["last_modified"])
        return headers

    def unchanged(self, name: str, data: bytes) -> bool:
        """True when `name` exists and already holds this content (by the content key)."""
        target = self.path / name
        try:
            current = target.read_bytes()
        except OSError:
            return False
        return content_key(current) == content_key(data)

    def save(self, name: str, data: bytes, etag: str | None, last_modified: str | None,
             url: str | None = None) -> None:
        """Write `name` atomically, then remember its validators."""
        atomic_write(self.path / name, data)
        self.remember(name, etag, last_modified, data, url)

    def remember(self, name: str, etag: str | None, last_modified: str | None,
                 data: bytes | None = None, url: str | None = None) -> None:
        """Record validators for `name` (after a save, or a 304/unchanged answer with new ones)."""
        entry = dict(self.state.get(name, {}))
        if url:
            entry["url"] = url
        if etag:
            entry["etag"] = etag
        if last_modified:
            entry["last_modified"] = last_modified
        if data is not None:
            entry["sha256"] = content_key(data)
        if entry == self.state.get(name):
            return
        self.state[name] = entry
        text = json.dumps({"version": 1, "files": self.state}, indent=1, sort_keys=True)
        try:
            atomic_write(self.path / STATE_NAME, text.encode("utf-8"))
        except OSError:
            pass  # losing validators only costs a full download next time


__all__ = ["STATE_NAME", "Folder", "LockTimeout", "content_key"]
