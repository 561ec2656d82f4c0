"""A keyed map of records in one human-readable TOML file, saved crash-proof and merged with peers.

The reading queue (`tui.queue`) is one. Saving: take the data folder's lock, re-read the file if
its stamp changed since we last read or wrote it, merge, then `persist.atomic_write` (temp file,
fsync, backup rotation, rename, folder fsync).

Merging is three-way: `_combine(mine, theirs)` settles a key both sides have (the queue merges
field by field); removals are records too (tombstones), so a removal is never undone by a peer
that still had the entry. The *base* (what was on disk when we last read or wrote it) tells a
hand deletion in the file from a key we added ourselves. Tombstones older than `TOMBSTONE_DAYS`
are pruned.

Reading and writing are incremental, piece by piece (`tui.recordpieces`): picking up a peer's
change to one entry of 5,000 parses one entry, and a save re-encodes only what changed.

Recovery (see `_recover`): a damaged file is *copied* aside (it stays where the next start will
look until a good file replaces it) and rebuilt from memory, the backup and whatever still decodes;
a missing file with a backup is rebuilt from the backup. Either way the user is told, and a
damaged file never becomes the backup.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from tui import conflicts
from tui.persist import (
    LOCK_NAME,
    LOCK_TIMEOUT,
    Corrupt,
    R,
    Stamp,
    atomic_write,
    backup_of,
    describe_os_error,
    file_lock,
    keep_copy,
    merge,
    now,
    same_file_kept,
    stamp_of,
    target_of,
)
from tui.recordpieces import PieceFile

TOMBSTONE_DAYS = 30
SETTLE_SECONDS = 1.0  # a damaged file younger than this may still be being written by an editor


class TomlStore(PieceFile[R]):
    """Records in `<data_dir>/<FILENAME>`; subclasses say how a record decodes and encodes.

    Nothing here raises into the caller on I/O trouble: problems land in `warnings` (things the
    user should know, e.g. a damaged file) and `last_error` (the last save failed; `dirty` stays
    True and the next save writes everything). One instance is meant for one thread.
    """

    FILENAME: ClassVar[str]
    NOUN: ClassVar[str]  # what the file holds, for messages: "reading queue"

    def __init__(
        self, data_dir: Path, *, lock_timeout: float = LOCK_TIMEOUT, on_wait: Callable[[], None] | None = None
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / self.FILENAME
        self.lock_path = self.data_dir / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        self.warnings: list[str] = []
        self._told = 0
        self.last_error: str | None = None
        self.dirty = False
        self._hold = 0
        self._records: dict[str, R] = {}
        self._base: dict[str, datetime] = {}
        self._stamp: Stamp | None = None  # of the live file as we last read (sound) or wrote it
        self._swept = False
        self._pruned_at = -math.inf
        self._changed()
        self._load_initial()
        self.merge_conflict_copies()

    @property
    def backup_path(self) -> Path:
        return backup_of(self.path)

    def _changed(self) -> None:
        """Called after the records changed in any way, so subclasses can drop derived caches."""

    def _replaced_in_place(self, old: R, new: R) -> bool:
        """Update derived caches for one record swapped for another; False to drop them instead."""
        return False

    # reading --------------------------------------------------------------------------------
    def _load_initial(self) -> None:
        try:
            self._records, self._stamp = self._read(target_of(self.path), live=True)
        except FileNotFoundError:
            if self.backup_path.exists():
                self._recover(None, initial=True)
            return
        except (Corrupt, OSError) as exc:
            self._recover(exc, initial=True)
            return
        self._base = {k: r.updated for k, r in self._records.items()}
        if self._file_version != self.VERSION:
            self.dirty = True  # an older format: rewritten in the current one at the first save
        self._changed()

    def new_warnings(self) -> list[str]:
        """Warnings not yet handed out (the reader shows them as they happen)."""
        fresh = self.warnings[self._told :]
        self._told = len(self.warnings)
        return fresh

    def reload_if_changed(self) -> bool:
        """Pick up a change made on disk by a peer, a sync tool or an editor; True if ours changed.

        Cheap when nothing changed (a stat and a folder scan for conflict copies), so the UI can
        poll it. A file that vanished is ignored (a sync tool may be mid-swap); the next save
        writes it again.
        """
        changed = self.merge_conflict_copies()
        try:
            stamp = stamp_of(os.stat(target_of(self.path)))
        except OSError:
            return changed
        if stamp == self._stamp:
            return changed
        return self._sync_from_disk() or changed

    def _sync_from_disk(self, *, locked: bool = False) -> bool:
        try:
            disk, stamp = self._read(target_of(self.path), live=True)
        except FileNotFoundError:
            return False
        except (Corrupt, OSError) as exc:
            if not locked and self._being_written():
                return False  # an editor may be mid-write: look again at the next poll
            before = dict(self._records)
            self._recover(exc, initial=False, locked=locked)
            return self._records != before
        if stamp == self._stamp:
            return False
        merged = merge(self._records, disk, self._base, self._combine)
        old = self._records
        # Identity first (most records are the very objects we had), equality only for the rest.
        swapped = [k for k, r in merged.items() if old.get(k) is not r and old.get(k) != r]
        same_keys = len(merged) == len(old) and all(k in old for k in swapped)
        self._records = merged
        self._base = {k: r.updated for k, r in disk.items()}
        self._stamp = stamp
        if not swapped and same_keys:
            return False
        if not (same_keys and all(self._replaced_in_place(old[k], merged[k]) for k in swapped)):
            self._changed()  # derived caches (the queue's order) are rebuilt
        return True

    def _being_written(self) -> bool:
        """True if the file changed under a second ago (an editor writing in place, not atomically)."""
        try:
            return time.time() - os.stat(target_of(self.path)).st_mtime < SETTLE_SECONDS
        except OSError:
            return False

    # recovery -------------------------------------------------------------------------------

    def _recover(self, exc: Exception | None, *, initial: bool, locked: bool = False) -> None:
        """Rebuild from what survives a damaged (`exc`) or missing (`None`) file, tell the user, save.

        Under the lock: re-read first (a peer may just have replaced the file), keep a copy of
        the damaged file, rebuild, and write a good file *without* rotating the backup. A kill at
        any point leaves the damaged (or no) file beside an intact backup: the next start does
        the same again. Without the lock (a read-only folder) the rebuild stays in memory.
        """
        if not locked:
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
                with file_lock(self.lock_path, self.lock_timeout, self.on_wait):
                    self._recover(exc, initial=initial, locked=True)
                return
            except OSError as err:
                self._rebuild(exc, initial=initial, kept=None, no_copy=err)
                return
        live = target_of(self.path)
        try:  # the file may have been repaired or replaced while we waited for the lock
            records, stamp = self._read(live, live=True)
        except FileNotFoundError:
            exc = None
            if not (initial and self.backup_path.exists()):
                return
        except (Corrupt, OSError) as err:
            exc = err
        else:
            self._records = merge(self._records, records, {}, self._combine)
            self._base = {k: r.updated for k, r in records.items()}
            self._stamp = stamp
            self.dirty = self.dirty or self._records != records
            self._changed()
            return
        kept: Path | None = None
        no_copy: OSError | None = None
        if exc is not None:
            kept = same_file_kept(live, f"{live.name}.corrupt-*")
            if kept is None:
                try:
                    kept = keep_copy(live, f"{live.name}.corrupt")
                except OSError as err:
                    no_copy = err
        self._rebuild(exc, initial=initial, kept=kept, no_copy=no_copy)
        try:
            self._write_locked(recheck=False)
        except OSError as err:
            self.last_error = f"Could not save the {self.NOUN} to {self.path}: {describe_os_error(err)}."

    def _rebuild(self, exc: Exception | None, *, initial: bool, kept: Path | None, no_copy: OSError | None) -> None:
        """Records from memory, the backup (at start) and what still decodes; one warning."""
        salvage: dict[str, R] = exc.salvage if isinstance(exc, Corrupt) else {}
        if exc is None:
            what = f"The {self.NOUN} file {self.path} is missing"
        else:
            reason = exc.reason if isinstance(exc, Corrupt) else describe_os_error(exc)  # type: ignore[arg-type]
            where = f"a copy is kept as {kept}" if kept else f"could not keep a copy ({describe_os_error(no_copy)})" if no_copy else ""
            what = f"The {self.NOUN} file {self.path} could not be read ({reason}); {where}"
        start: dict[str, R] = dict(self._records)
        recovered = ""
        if initial:
            backup = self.backup_path
            try:
                from_backup, _ = self._read(backup)
                start = merge(start, from_backup, {}, self._combine)
                recovered = f"; recovered {self._live_count(from_backup)} from {backup.name}"
            except FileNotFoundError:
                recovered = f"; there is no backup ({backup.name}) to recover from"
            except (Corrupt, OSError) as bad:
                why = bad.reason if isinstance(bad, Corrupt) else describe_os_error(bad)
                recovered = f"; the backup {backup.name} is unusable too ({why})"
        if salvage:
            recovered += f", plus {self._live_count(salvage)} still readable in the damaged file"
        self.warnings.append(f"{what}{recovered}.")
        self._records = merge(start, salvage, {}, self._combine)
        self._base = {}
        self._stamp = None
        self.dirty = True
        self._changed()

    def _live_count(self, records: Mapping[str, R]) -> str:
        n = sum(1 for r in records.values() if not self._is_tombstone(r))
        return f"{n} {'entry' if n == 1 else 'entries'}"

    # two machines ---------------------------------------------------------------------------

    def merge_conflict_copies(self) -> bool:
        """Merge sync tools' conflict copies of our file into it, then move them aside; True if ours changed.

        A copy is moved only after the merged file is safely saved; a crash before that merges
        it again next time (merging is idempotent).
        """
        self.warnings += conflicts.set_aside_backup_copies(self.data_dir, self.FILENAME)
        copies = conflicts.conflict_copies(self.data_dir, self.FILENAME)
        if not copies:
            return False
        before = dict(self._records)
        done: list[tuple[Path, str]] = []
        for copy in copies:
            try:
                theirs, _ = self._read(copy)
            except (Corrupt, OSError) as exc:
                why = exc.reason if isinstance(exc, Corrupt) else describe_os_error(exc)
                done.append((copy, f"could not be read ({why}), so nothing was taken from it"))
                continue
            self._records = merge(self._records, theirs, {}, self._combine)
            done.append((copy, f"merged into {self.FILENAME}"))
        changed = self._records != before
        if changed:
            self.dirty = True
            self._changed()
            if not self.save():
                return changed  # the copies stay until the merge is on disk
        for copy, what in done:
            try:
                aside = conflicts.set_aside(copy)
            except OSError as exc:
                self.warnings.append(f"A sync conflict copy {copy} was {what}, but could not be moved aside ({describe_os_error(exc)}).")
                continue
            self.warnings.append(f"A sync tool's conflict copy {copy.name} was {what}; it is now in {aside.parent}.")
        return changed

    # writing --------------------------------------------------------------------------------

    def _prune(self) -> None:
        """Drop old tombstones (checked once an hour: it walks every record)."""
        if time.monotonic() - self._pruned_at < 3600:
            return
        self._pruned_at = time.monotonic()
        cutoff = now() - timedelta(days=TOMBSTONE_DAYS)
        old = [k for k, r in self._records.items() if self._is_tombstone(r) and r.updated < cutoff]
        for key in old:
            del self._records[key]

    def _sweep_temp_files(self) -> None:
        """Remove temp files left by crashed saves (called under the lock, so none is live)."""
        live = target_of(self.path)
        for name in (live.name, live.name + ".bak"):
            for stale in live.parent.glob(f".{name}.*.tmp"):
                try:
                    stale.unlink()
                except OSError:
                    pass

    def _write_locked(self, *, recheck: bool = True) -> None:
        """Merge with the file if it changed, then write it (lock held; OSError on failure)."""
        if not self._swept:
            self._sweep_temp_files()
            self._swept = True
        live = target_of(self.path)
        if recheck:
            try:
                stamp: Stamp | None = stamp_of(os.stat(live))
            except FileNotFoundError:
                stamp = None
            if stamp is not None and stamp != self._stamp:
                self._sync_from_disk(locked=True)
                if self._stamp is None:
                    return  # the file was damaged: `_recover` has just written a good one
        self._prune()
        if len(self._cache) > len(self._records):
            for key in [k for k in self._cache if k not in self._records]:
                del self._cache[key]
        order = self._file_order(self._records)
        pieces = self._pieces(order)
        data = b"\n[[".join([f"version = {self.VERSION}\n".encode(), *pieces])
        written = atomic_write(self.path, data, good=self._stamp)
        self._stamp = stamp_of(os.stat(written))
        self._written, self._written_records = pieces, list(order)
        self._base = {k: r.updated for k, r in self._records.items()}
        self.dirty = False
        self.last_error = None

    def save(self) -> bool:
        """Merge with the file on disk and write; False (reason in `last_error`) if that failed.

        Never raises OSError: a full disk or a read-only folder must not crash the reader. The
        records stay in memory and `dirty`, so a later save writes everything.
        """
        if not self.dirty:
            return True  # nothing to write (and no empty file created for a user who queued nothing)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with file_lock(self.lock_path, self.lock_timeout, self.on_wait):
                self._write_locked()
        except OSError as exc:
            self.dirty = True
            self.last_error = f"Could not save the {self.NOUN} to {self.path}: {describe_os_error(exc)}."
            return False
        return not self.dirty

    def write_copy(self, path: Path) -> None:
        """Write everything in memory to `path` (crash-proof, no merge, no lock): a rescue copy
        when the data folder refuses the save. Raises OSError."""
        pieces = self._pieces(self._file_order(self._records))
        atomic_write(Path(path), b"\n[[".join([f"version = {self.VERSION}\n".encode(), *pieces]))

    def flush(self) -> bool:
        """Write any unsaved change; same as `save`."""
        return self.save()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Make several changes with one save at the end (the caller checks `save()`'s result)."""
        self._hold += 1
        try:
            yield
        finally:
            self._hold -= 1

    def _put(self, record: R) -> None:
        """Store a changed record and save at once (unless in a `batch`)."""
        old = self._records.get(record.id)
        self._records[record.id] = record
        self.dirty = True
        if old is None or not self._replaced_in_place(old, record):
            self._changed()
        if not self._hold:
            self.save()
