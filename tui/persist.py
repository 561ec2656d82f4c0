"""Durable files that several papertray instances (and the user's editor, and a sync tool) share.

The primitives every user-data file uses: the data folder's lock, the crash-proof replace with
its backup rotation, times that order changes, and plain reasons for failed writes. The stores
built on them are `tui.recordfile` (TOML files of keyed records: the queue) and `tui.readstate`
(the append-only read-mark journal).

On disk, in the data folder given to the store (never built here, see `tui.paths`):

- `<name>`: the live file. It may be a symlink: writes go to its target, and it stays a link.
- `<name>.bak`: the previous *good* version, beside the target (a hard link: no copy).
- `<name>.corrupt-<timestamp>`: a copy of an unreadable file, kept for the user, never deleted by us.
- `.<name>.<pid>.<random>.tmp`: a save in progress; one left by a crash is removed later.
- `.papertray.lock`: the `fcntl.flock` lock every write holds. The kernel drops it when its
  process dies, so a crashed instance can never leave a stale lock behind.

The replace, step by step (`step()` names each point, so tests can kill or fail the writer there):

1. write `.tmp`, flush, fsync                                   -> "temp-synced"
2. only if the live file is the good version we last read: hard-link it to a temp name and
   rename that over `.bak`                                       -> "backup-kept"
3. rename `.tmp` over the live file                              -> "replaced"
4. fsync the folder                                              -> "dir-synced"

A kill before 3 leaves the old live file; after 3 the new one; `.bak` only ever moves forward to a
version that was itself durable and good (a damaged live file never becomes the backup).
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol, TypeVar

LOCK_NAME = ".papertray.lock"
LOCK_TIMEOUT = 1.0  # seconds: the reader's UI thread must not hang on a wedged peer
CLI_LOCK_TIMEOUT = 10.0  # a command line waits longer for a busy peer rather than fail
WAIT_NOTICE = 1.0  # after this long waiting for the lock, say so

Stamp = tuple[int, int, int, int]

# Fault injection for the crash tests: called with the name of each step of a write. A test sets
# it to raise (a failing disk) or to SIGKILL its own process (a crash at exactly that point).
fault_hook: Callable[[str], None] | None = None


def step(name: str) -> None:
    """Mark a point of a write sequence where a crash must leave recoverable files."""
    if fault_hook is not None:
        fault_hook(name)


class LockTimeout(OSError):
    """Another process held the data folder's lock for longer than the timeout."""


class Corrupt(Exception):
    """A file that cannot be used as it is; `salvage` holds the records that did decode."""

    def __init__(self, reason: str, salvage: Mapping[str, object] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.salvage: dict = dict(salvage or {})


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


# --- the lock -------------------------------------------------------------------------------


@contextmanager
def file_lock(
    path: Path, timeout: float = LOCK_TIMEOUT, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive flock on `path`, waiting at most `timeout` seconds.

    flock (not a pid file) because the kernel releases it when the holder dies: no stale locks.
    `on_wait` is called once if the wait passes `WAIT_NOTICE` seconds (the CLI says it is waiting).
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        start = time.monotonic()
        told = on_wait is None
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise LockTimeout(
                        errno.EAGAIN, f"another papertray instance held {path} for over {timeout:g} s"
                    ) from None
                if not told and waited >= WAIT_NOTICE:
                    told = True
                    on_wait()  # type: ignore[misc]
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# --- files ----------------------------------------------------------------------------------


def target_of(path: Path) -> Path:
    """The file a write really replaces: a symlinked data file is written through to its target."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (the directory entry itself must reach the disk)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def temp_beside(path: Path) -> Path:
    """A unique temporary name in the same folder, so `os.replace` onto `path` is atomic."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def write_synced(tmp: Path, data: bytes) -> None:
    """Write `data` to `tmp` and make sure it is on disk before anything is renamed onto it."""
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def stamp_of(st: os.stat_result) -> Stamp:
    """What tells us a file changed: a replace changes the inode, an in-place edit size/times."""
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def backup_of(path: Path) -> Path:
    """Where the previous good version of `path` is kept: beside the file really written."""
    live = target_of(path)
    return live.with_name(live.name + ".bak")


def _rotate_backup(live: Path, good: Stamp) -> None:
    """Make `<live>.bak` the live file, but only if the live file is still the good version `good`.

    The check is made on the linked inode itself (inode, size, mtime: a link changes ctime), so
    an editor replacing the file in between can never slip an unchecked version into the backup.
    """
    backup = live.with_name(live.name + ".bak")
    tmp = temp_beside(backup)
    try:
        try:
            os.link(live, tmp)
            linked = stamp_of(os.stat(tmp))
        except FileNotFoundError:
            return
        except OSError:  # file systems without hard links (some FUSE/sync mounts): copy
            with open(live, "rb") as f:
                linked, data = stamp_of(os.fstat(f.fileno())), f.read()
            if linked[:3] == good[:3]:
                write_synced(tmp, data)
        if linked[:3] != good[:3]:
            return
        os.replace(tmp, backup)
    finally:
        discard(tmp)


def atomic_write(path: Path, data: bytes, good: Stamp | None = None) -> Path:
    """Replace `path` (through a symlink) with `data` so a crash at any moment leaves a whole file.

    With `good` (the stamp of the version we last read and found sound), that version becomes
    the backup first; without it (a damaged or missing file) the backup is left alone. Returns
    the file really written (the link's target).
    """
    live = target_of(path)
    tmp = temp_beside(live)
    try:
        write_synced(tmp, data)
        step("temp-synced")
        if good is not None:
            _rotate_backup(live, good)
            step("backup-kept")
        os.replace(tmp, live)
        step("replaced")
    except BaseException:
        discard(tmp)
        raise
    fsync_dir(live.parent)
    step("dir-synced")
    return live


def keep_copy(path: Path, stem: str) -> Path:
    """A copy of `path` named `<stem>-<timestamp>` beside it (hard link, else bytes); made durable.

    Used to keep a damaged file for the user *without* moving it away: until a good file has
    replaced it, the damaged one stays where the next start will look.
    """
    base = path.with_name(f"{stem}-{time.strftime('%Y%m%dT%H%M%S')}")
    target, n = base, 1
    while True:
        try:
            os.link(path, target)
            break
        except FileExistsError:
            target = base.with_name(f"{base.name}-{n}")
            n += 1
        except FileNotFoundError:
            raise
        except OSError:
            write_synced(target, path.read_bytes())
            break
    fsync_dir(path.parent)
    step("copy-kept")
    return target


def same_file_kept(path: Path, pattern: str) -> Path | None:
    """An existing copy (hard link) of `path` matching `pattern` beside it, so we keep only one."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_nlink < 2:
        return None
    for other in path.parent.glob(pattern):
        try:
            o = os.stat(other)
        except OSError:
            continue
        if (o.st_ino, o.st_dev) == (st.st_ino, st.st_dev):
            return other
    return None


def describe_os_error(exc: OSError) -> str:
    """A short, human reason for a failed write."""
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


# --- merging --------------------------------------------------------------------------------


def newer(mine: R, theirs: R) -> R:
    """Whole-record last-writer-wins; on equal times the disk (`theirs`) wins."""
    return mine if mine.updated > theirs.updated else theirs


def merge(
    memory: Mapping[str, R],
    disk: Mapping[str, R],
    base: Mapping[str, datetime],
    combine: Callable[[R, R], R] = newer,
) -> dict[str, R]:
    """Three-way merge of two keyed record maps; `combine(mine, theirs)` settles a key both have.

    `base` maps each key on disk at our last read/write to its `updated` then: a key gone from
    disk whose copy we have not changed since was deleted by hand, and stays deleted. Pass `{}`
    for a plain union (recovery, a sync tool's conflict copy).
    """
    out: dict[str, R] = dict(disk)
    for key, mine in memory.items():
        theirs = disk.get(key)
        if theirs is None:
            seen = base.get(key)
            if seen is not None and mine.updated <= seen:
                continue
            out[key] = mine
        elif mine is not theirs and mine != theirs:
            out[key] = combine(mine, theirs)
    return out


def pick_latest(records: dict[str, R], record: R) -> None:
    """Put `record` in `records` unless one with the same key is newer (duplicates in a file)."""
    old = records.get(record.id)
    if old is None or record.updated >= old.updated:
        records[record.id] = record
