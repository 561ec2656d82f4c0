"""Crash-proof TOML files that several papertray instances (and the user's editor) share.

The reading queue (`queue.toml`) and the read marks (`state.toml`) are small keyed maps that
must survive a kill -9, a full disk and a second instance writing at the same time. This module
holds everything the two have in common, so `tui.queue` only says what a record looks like.

On disk, in the data folder given to the store (never built here, see `tui.paths`):

- `<name>.toml`: the live file, `version = 1` first, written with tomli-w.
- `<name>.toml.bak`: the previous version, kept for recovery (a hard link: no copy).
- `<name>.toml.corrupt-<timestamp>`: an unreadable file moved aside, never deleted by us.
- `.<name>.toml.<pid>.<random>.tmp`: a save in progress; one left by a crash is removed later.
- `.papertray.lock`: the `fcntl.flock` lock every save holds. The kernel drops it when its
  process dies, so a crashed instance can never leave a stale lock behind.

Saving: take the lock (with a timeout, so a wedged peer cannot hang the UI), re-read the file if
its stamp (inode, size, mtime_ns, ctime_ns) changed since we last read or wrote it, merge, write a
temp file in the same folder, flush, fsync, link the old file to `.bak`, `os.replace` the temp file
over the live one, fsync the folder, release the lock.

Merging is a three-way, last-writer-wins merge per key. Every record carries an `updated` time;
removals are records too (tombstones), so a removal beats older edits and is never resurrected
by a peer that still had the entry. The *base* (what was on disk when we last read or wrote it)
tells a hand deletion in the file (key gone, our copy unchanged since the base) from a key we
added ourselves (not in the base): the first is dropped, the second kept. On equal `updated` the
disk wins, which is how a hand edit that left `updated` alone is picked up rather than
overwritten. Tombstones older than `TOMBSTONE_DAYS` are pruned.
"""

from __future__ import annotations

import errno
import fcntl
import math
import os
import secrets
import threading
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

LOCK_NAME = ".papertray.lock"
LOCK_TIMEOUT = 1.0  # seconds; a save takes milliseconds, so a longer wait means a wedged peer
TOMBSTONE_DAYS = 30
SETTLE_SECONDS = 1.0  # a damaged file younger than this may still be being written
FORMAT_VERSION = 1

Stamp = tuple[int, int, int, int]


class LockTimeout(OSError):
    """Another process held the data folder's lock for longer than the timeout."""


class Corrupt(Exception):
    """A file that cannot be used as it is; `salvage` holds the records that did decode."""

    def __init__(self, reason: str, salvage: Mapping[str, Any] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.salvage: dict[str, Any] = dict(salvage or {})


class Record(Protocol):
    """What the merge needs of a record: its key and the time of its last change."""

    @property
    def id(self) -> str: ...

    @property
    def updated(self) -> datetime: ...


R = TypeVar("R", bound=Record)

# --- time -----------------------------------------------------------------------------------

_clock_lock = threading.Lock()
_last_time = datetime.min.replace(tzinfo=timezone.utc)


def now() -> datetime:
    """UTC time that never repeats or goes back within this process.

    Two changes in the same microsecond must still be ordered, or the merge could keep the
    older one.
    """
    global _last_time
    with _clock_lock:
        t = datetime.now(timezone.utc)
        if t <= _last_time:
            t = _last_time + timedelta(microseconds=1)
        _last_time = t
        return t


def after(previous: datetime | None) -> datetime:
    """A change time later than `previous`, even when a peer's clock ran ahead of ours."""
    t = now()
    if previous is not None and t <= previous:
        t = previous + timedelta(microseconds=1)
    return t


def as_utc(value: object, what: str) -> datetime:
    """A TOML date-time (or date) as an aware UTC datetime; local times are taken as UTC."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    raise ValueError(f"{what} must be a date-time, not {type(value).__name__} {value!r}")


# --- files ----------------------------------------------------------------------------------


@contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive flock on `path`, waiting at most `timeout` seconds.

    flock (not a pid file) because the kernel releases it when the holder dies: no stale locks.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockTimeout(
                        errno.EAGAIN, f"another papertray instance held {path} for over {timeout:g} s"
                    ) from None
                time.sleep(0.002)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (the directory entry itself must reach the disk)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _temp_beside(path: Path) -> Path:
    """A unique temporary name in the same folder, so `os.replace` onto `path` is atomic."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_synced(tmp: Path, data: bytes) -> None:
    """Write `data` to `tmp` and make sure it is on disk before anything is renamed onto it."""
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _keep_backup(path: Path, backup: Path) -> None:
    """Make `backup` the current `path` (hard link, atomically replaced; copy where links fail)."""
    tmp = _temp_beside(backup)
    try:
        try:
            os.link(path, tmp)
        except FileNotFoundError:
            return  # first save: nothing to back up
        except OSError:
            _write_synced(tmp, path.read_bytes())  # file systems without hard links (some FUSE/sync mounts)
        os.replace(tmp, backup)
    except BaseException:
        _discard(tmp)
        raise


def atomic_write(path: Path, data: bytes, backup: Path | None = None) -> None:
    """Replace `path` with `data` so a crash at any moment leaves the old or the new file, whole.

    The old file becomes `backup` only once the new one is safely on disk, so a full disk or a
    permission error leaves both the file and its backup untouched.
    """
    tmp = _temp_beside(path)
    try:
        _write_synced(tmp, data)
        if backup is not None:
            _keep_backup(path, backup)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise
    fsync_dir(path.parent)


def stamp_of(st: os.stat_result) -> Stamp:
    """What tells us a file changed: a replace changes the inode, an in-place edit size/times."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def describe_os_error(exc: OSError) -> str:
    """A short, human reason for a failed save."""
    if isinstance(exc, LockTimeout):
        return exc.strerror or str(exc)
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only",
    }
    reason = reasons.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__
    return f"{reason} ({exc.filename})" if exc.filename else reason


def merge(memory: Mapping[str, R], disk: Mapping[str, R], base: Mapping[str, datetime]) -> dict[str, R]:
    """Three-way, last-writer-wins merge of two keyed record maps (see the module docstring).

    `base` maps each key on disk at our last read/write to its `updated` then; pass `{}` for a
    plain union (recovery), where nothing can be told apart as a deletion.
    """
    out: dict[str, R] = dict(disk)
    for key, mine in memory.items():
        theirs = disk.get(key)
        if theirs is None:
            seen = base.get(key)
            if seen is not None and mine.updated <= seen:
                continue  # deleted on disk (by hand) and unchanged by us since: stay deleted
            out[key] = mine
        elif mine.updated > theirs.updated:
            out[key] = mine
    return out


def pick_latest(records: dict[str, R], record: R) -> None:
    """Put `record` in `records` unless one with the same key is newer (duplicates in a file)."""
    old = records.get(record.id)
    if old is None or record.updated >= old.updated:
        records[record.id] = record


# --- the store ------------------------------------------------------------------------------


class TomlStore(Generic[R]):
    """A keyed map of records in one TOML file, saved crash-proof and merged with peers.

    Subclasses say how records decode (`_decode`) and encode (`_chunks`), and which are
    tombstones (`_is_tombstone`). Nothing here raises into the caller's UI loop on I/O trouble:
    problems land in `warnings` (things the user should know, e.g. a file moved aside) and
    `last_error` (the last save failed; `dirty` stays True and the next save writes everything).
    One instance is meant for one thread (the UI's); other processes are handled by the lock.
    """

    FILENAME: ClassVar[str]
    NOUN: ClassVar[str]  # what the file holds, for messages: "reading queue"

    def __init__(self, data_dir: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / self.FILENAME
        self.backup_path = self.data_dir / (self.FILENAME + ".bak")
        self.lock_path = self.data_dir / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.warnings: list[str] = []
        self.last_error: str | None = None
        self.dirty = False
        self._records: dict[str, R] = {}
        self._base: dict[str, datetime] = {}
        self._stamp: Stamp | None = None
        self._chunk_cache: dict[str, tuple[R, str]] = {}
        self._swept = False
        self._pruned_at = -math.inf
        self._changed()
        self._load_initial()

    # subclass hooks -------------------------------------------------------------------------

    def _decode(self, doc: dict[str, Any], default_time: datetime) -> tuple[dict[str, R], list[str]]:
        """Records from a parsed document (version already checked), and one error per bad item."""
        raise NotImplementedError

    def _encode_record(self, record: R) -> str:
        """One record as a TOML fragment (tomli-w output); cached, so a save re-encodes only changes."""
        raise NotImplementedError

    def _layout(self, records: Mapping[str, R], chunks: Callable[[Iterable[R]], list[str]]) -> str:
        """The whole file from the records; `chunks(some_records)` gives their TOML fragments."""
        raise NotImplementedError

    def _is_tombstone(self, record: R) -> bool:
        return False

    def _changed(self) -> None:
        """Called after the records changed in any way, so subclasses can drop derived caches."""

    # reading --------------------------------------------------------------------------------

    def _read(self, path: Path) -> tuple[dict[str, R], Stamp]:
        """Decode `path`; raise `Corrupt` for anything unusable, OSError if it cannot be opened."""
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Corrupt(f"not UTF-8 text (byte {exc.start})") from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise Corrupt(f"invalid TOML: {exc}") from None
        version = doc.get("version")
        if version != FORMAT_VERSION:
            if version is None:
                raise Corrupt("no 'version' key")
            raise Corrupt(f"version {version!r} is not {FORMAT_VERSION} (written by another papertray?)")
        default_time = datetime.fromtimestamp(st.st_mtime, timezone.utc)
        records, errors = self._decode(doc, default_time)
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise Corrupt(errors[0] + more, records)
        return records, stamp_of(st)

    def _load_initial(self) -> None:
        try:
            self._records, self._stamp = self._read(self.path)
        except FileNotFoundError:
            return
        except (Corrupt, OSError):
            self._recover_unlocked(initial=True)
            return
        self._base = {k: r.updated for k, r in self._records.items()}
        self._changed()

    def _recover_unlocked(self, *, initial: bool) -> bool:
        """Re-read under the lock (a peer may have just replaced the file), recover, then save.

        Saving at once matters: with the file moved aside, a crash before the next save would
        otherwise start the app without the recovered records.
        """
        before = dict(self._records)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with file_lock(self.lock_path, self.lock_timeout):
                self._sync_from_disk(locked=True, initial=initial)
        except OSError as err:
            # No lock (read-only folder?): recover in memory without touching the file.
            try:
                disk, stamp = self._read(self.path)
            except (Corrupt, OSError) as exc:
                self._recover_locked(exc, initial=initial, move=err)
            else:
                self._records = merge(self._records, disk, self._base)
                self._base = {k: r.updated for k, r in disk.items()}
                self._stamp = stamp
                self._changed()
        if self.dirty:
            self.save()
        return self._records != before

    def _recover_locked(self, exc: Exception, *, initial: bool, move: OSError | None = None) -> None:
        """Move an unusable file aside (lock held), rebuild what we can and tell the user.

        `move` is the error that stopped us taking the lock; then the file is left in place.
        """
        reason = exc.reason if isinstance(exc, Corrupt) else describe_os_error(exc)  # type: ignore[arg-type]
        salvage: dict[str, R] = exc.salvage if isinstance(exc, Corrupt) else {}
        if move is None:
            try:
                moved = self._move_aside()
            except OSError as err:
                move = err
        if move is not None:
            where = f"could not move it aside ({describe_os_error(move)})"
        else:
            where = f"moved it to {moved}" if moved else "it has since been replaced"
        recovered = ""
        start: dict[str, R] = dict(self._records)
        if initial:
            try:
                start, _ = self._read(self.backup_path)
                recovered = f"; recovered {self._live_count(start)} from {self.backup_path.name}"
            except FileNotFoundError:
                recovered = f"; there is no backup ({self.backup_path.name}) to recover from"
            except (Corrupt, OSError) as bad:
                why = bad.reason if isinstance(bad, Corrupt) else describe_os_error(bad)
                recovered = f"; the backup {self.backup_path.name} is unusable too ({why})"
                start = {}
        if salvage:
            recovered += f", plus {self._live_count(salvage)} still readable in the damaged file"
        self.warnings.append(f"The {self.NOUN} file {self.path} could not be read ({reason}); {where}{recovered}.")
        self._records = merge(start, salvage, {})
        self._base = {}
        self._stamp = None
        self.dirty = True
        self._changed()

    def _move_aside(self) -> Path | None:
        """Rename the live file to `<name>.corrupt-<timestamp>` (unique); None if it is gone."""
        stem = f"{self.FILENAME}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}"
        target = self.data_dir / stem
        n = 1
        while target.exists():
            target = self.data_dir / f"{stem}-{n}"
            n += 1
        try:
            os.rename(self.path, target)
        except FileNotFoundError:
            return None
        return target

    def _live_count(self, records: Mapping[str, R]) -> str:
        n = sum(1 for r in records.values() if not self._is_tombstone(r))
        return f"{n} {'entry' if n == 1 else 'entries'}"

    def reload_if_changed(self) -> bool:
        """Pick up a change made on disk by a peer, a sync tool or an editor; True if ours changed.

        Cheap when nothing changed (one stat), so the UI can poll it every second or so. A file
        that vanished is ignored (a sync tool may be mid-swap); the next save writes it again.
        """
        try:
            stamp = stamp_of(os.stat(self.path))
        except OSError:
            return False
        if stamp == self._stamp:
            return False
        return self._sync_from_disk()

    def _sync_from_disk(self, *, locked: bool = False, initial: bool = False) -> bool:
        try:
            disk, stamp = self._read(self.path)
        except FileNotFoundError:
            return False
        except (Corrupt, OSError) as exc:
            if not locked:
                if not initial and self._being_written():
                    return False  # an editor may be mid-write: look again at the next poll
                return self._recover_unlocked(initial=initial)
            before = dict(self._records)
            self._recover_locked(exc, initial=initial)
            return self._records != before
        if stamp == self._stamp:
            return False
        merged = merge(self._records, disk, self._base)
        changed = merged != self._records
        self._records = merged
        self._base = {k: r.updated for k, r in disk.items()}
        self._stamp = stamp
        if changed:
            self._changed()
        return changed

    def _being_written(self) -> bool:
        """True if the file changed under a second ago (an editor writing in place, not atomically).

        Only polling waits for it to settle; a save moves it aside at once, and since the
        editor's open descriptor follows the renamed file, its remaining writes land there.
        """
        try:
            return time.time() - os.stat(self.path).st_mtime < SETTLE_SECONDS
        except OSError:
            return False

    # writing --------------------------------------------------------------------------------

    def _chunks(self, records: Iterable[R]) -> list[str]:
        """Each record's TOML fragment, re-encoding only records that changed since last time.

        tomli-w needs ~0.1 ms per queue entry; caching keeps a 1,000-entry save at a few ms.
        """
        cache = self._chunk_cache
        out: list[str] = []
        for record in records:
            hit = cache.get(record.id)
            if hit is None or (hit[0] is not record and hit[0] != record):
                hit = cache[record.id] = (record, self._encode_record(record))
            elif hit[0] is not record:
                hit = cache[record.id] = (record, hit[1])  # equal copy (re-read): next time `is`
            out.append(hit[1])
        return out

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
        for name in (self.FILENAME, self.FILENAME + ".bak"):
            for stale in self.data_dir.glob(f".{name}.*.tmp"):
                try:
                    stale.unlink()
                except OSError:
                    pass

    def save(self) -> bool:
        """Merge with the file on disk and write; False (reason in `last_error`) if that failed.

        Never raises OSError: a full disk or a read-only folder must not crash the UI. The
        records stay in memory and `dirty`, so a later save writes everything.
        """
        if not self.dirty:
            return True  # nothing to write (and no empty file created for a user who queued nothing)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with file_lock(self.lock_path, self.lock_timeout):
                if not self._swept:
                    self._sweep_temp_files()
                    self._swept = True
                try:
                    stamp = stamp_of(os.stat(self.path))
                except FileNotFoundError:
                    stamp = None
                if stamp is not None and stamp != self._stamp:
                    self._sync_from_disk(locked=True)
                self._prune()
                if len(self._chunk_cache) > len(self._records):
                    for key in [k for k in self._chunk_cache if k not in self._records]:
                        del self._chunk_cache[key]
                data = self._layout(self._records, self._chunks).encode("utf-8")
                atomic_write(self.path, data, self.backup_path)
                self._stamp = stamp_of(os.stat(self.path))
        except OSError as exc:
            self.dirty = True
            self.last_error = (
                f"Could not save the {self.NOUN} to {self.path}: {describe_os_error(exc)}. "
                "Your changes are kept and will be written by the next successful save."
            )
            return False
        self._base = {k: r.updated for k, r in self._records.items()}
        self.dirty = False
        self.last_error = None
        return True

    def flush(self) -> bool:
        """Write any unsaved change (e.g. after `last_error` was fixed); same as `save`."""
        return self.save()

    def _put(self, record: R) -> None:
        """Store a changed record and save at once (every change reaches the disk immediately)."""
        self._records[record.id] = record
        self.dirty = True
        self._changed()
        self.save()
