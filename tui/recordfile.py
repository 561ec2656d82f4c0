"""A keyed map of records in one human-readable TOML file, saved crash-proof and merged with peers.

The reading queue (`tui.queue`) is one. Saving: take the data folder's lock, re-read the file if
its stamp changed since we last read or wrote it, merge, then `persist.atomic_write` (temp file,
fsync, backup rotation, rename, folder fsync).

Merging is three-way: `_combine(mine, theirs)` settles a key both sides have (the queue merges
field by field); removals are records too (tombstones), so a removal is never undone by a peer
that still had the entry. The *base* (what was on disk when we last read or wrote it) tells a
hand deletion in the file from a key we added ourselves. Tombstones older than `TOMBSTONE_DAYS`
are pruned.

Reading is incremental: the file is split at its `[[section]]` headers and every piece that is
byte for byte what we wrote last time reuses the record we already have, so picking up a peer's
change to one entry of 5,000 parses one entry, not the whole file. Any piece that does not parse
on its own sends the whole file through tomllib, which gives the error message its line.

Recovery (see `_recover`): a damaged file is *copied* aside (it stays where the next start will
look until a good file replaces it) and rebuilt from memory, the backup and whatever still decodes;
a missing file with a backup is rebuilt from the backup. Either way the user is told, and a
damaged file never becomes the backup.
"""

from __future__ import annotations

import math
import os
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from itertools import compress, repeat
from operator import attrgetter, eq, is_, is_not
from pathlib import Path
from typing import Any, ClassVar, Generic

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
    pick_latest,
    same_file_kept,
    stamp_of,
    target_of,
)

TOMBSTONE_DAYS = 30
SETTLE_SECONDS = 1.0  # a damaged file younger than this may still be being written by an editor


class TomlStore(Generic[R]):
    """Records in `<data_dir>/<FILENAME>`; subclasses say how a record decodes and encodes.

    Nothing here raises into the caller on I/O trouble: problems land in `warnings` (things the
    user should know, e.g. a damaged file) and `last_error` (the last save failed; `dirty` stays
    True and the next save writes everything). One instance is meant for one thread.
    """

    FILENAME: ClassVar[str]
    NOUN: ClassVar[str]  # what the file holds, for messages: "reading queue"
    SECTIONS: ClassVar[tuple[str, ...]]  # the [[array]] names that hold records, in file order
    VERSION: ClassVar[int]
    READS_VERSIONS: ClassVar[tuple[int, ...]]

    def __init__(
        self, data_dir: Path, *, lock_timeout: float = LOCK_TIMEOUT, on_wait: Callable[[], None] | None = None
    ) -> None:
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
        self._cache: dict[str, tuple[R, bytes]] = {}  # id -> (record, its piece of the file)
        self._written: list[bytes] = []  # the pieces of the file as we last wrote them, in order
        self._written_records: list[R] = []
        self._swept = False
        self._pruned_at = -math.inf
        self._changed()
        self._load_initial()
        self.merge_conflict_copies()

    @property
    def backup_path(self) -> Path:
        return backup_of(self.path)

    # subclass hooks -------------------------------------------------------------------------

    def _decode_item(self, section: str, table: Any, default_time: datetime, prev: R | None) -> R:
        """One record from its table; ValueError names what is wrong. `prev`: the record above."""
        raise NotImplementedError

    def _encode_record(self, record: R) -> str:
        """One record as TOML starting with its `[[section]]` header (cached per record)."""
        raise NotImplementedError

    def _file_order(self, records: Mapping[str, R]) -> list[R]:
        raise NotImplementedError

    def _is_tombstone(self, record: R) -> bool:
        return False

    def _self_contained(self, piece: bytes) -> bool:
        """True if `piece` decodes the same wherever it is and whenever the file was written."""
        return False

    def _combine(self, mine: R, theirs: R) -> R:
        """Settle a key both sides changed; on a tie the disk (`theirs`) wins (a hand edit)."""
        return mine if mine.updated > theirs.updated else theirs

    def _changed(self) -> None:
        """Called after the records changed in any way, so subclasses can drop derived caches."""

    def _replaced_in_place(self, old: R, new: R) -> bool:
        """Update derived caches for one record swapped for another; False to drop them instead."""
        return False

    # reading --------------------------------------------------------------------------------

    def _read(self, path: Path, *, live: bool = False) -> tuple[dict[str, R], Stamp]:
        """Decode `path`; raise `Corrupt` for anything unusable, OSError if it cannot be opened.

        `live`: this is our own file, so remember its pieces for the next incremental read.
        """
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
        default_time = datetime.fromtimestamp(st.st_mtime, timezone.utc)
        try:
            records, errors, pieces, aligned = self._decode_pieces(raw, default_time)
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            records, errors = self._decode_whole(raw, default_time)
            pieces, aligned = [], []
            self._fresh = []
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise Corrupt(errors[0] + more, records)
        if live and pieces and self._file_version == self.VERSION:
            # A piece that states every defaulted value (position, times) decodes the same
            # wherever it is: it can be reused as it is, by the next read and by the next save,
            # which then encodes nothing after opening (and keeps the user's layout). Others are
            # decoded and encoded afresh.
            cache = self._cache
            kept = list(aligned)
            for i in self._fresh:  # pieces identical to known ones were vetted when first seen
                record, piece = kept[i], pieces[i]
                if record is not None and piece.endswith(b"\n") and self._self_contained(piece):
                    if record.id not in cache:
                        cache[record.id] = (record, piece)
                else:
                    kept[i] = None
            self._written, self._written_records = pieces, kept  # type: ignore[assignment]
        return records, stamp_of(st)

    def _check_version(self, doc: dict[str, Any]) -> None:
        version = doc.get("version")
        if version not in self.READS_VERSIONS:
            if version is None:
                raise Corrupt("no 'version' key")
            raise Corrupt(f"version {version!r} is not {self.VERSION} (written by a newer papertray?)")
        self._file_version = version

    def _decode_pieces(
        self, raw: bytes, default_time: datetime
    ) -> tuple[dict[str, R], list[str], list[bytes], list[R | None]]:
        """Decode piece by piece, reusing the records of pieces identical to what we know."""
        pieces = raw.split(b"\n[[")
        header = tomllib.loads(pieces[0].decode("utf-8"))
        if any(section in header for section in self.SECTIONS):
            raise UnicodeDecodeError("utf-8", b"", 0, 0, "not split cleanly")  # let the whole-file parse judge
        self._check_version(header)
        body = pieces[1:]
        known, known_records = self._written, self._written_records
        n = len(body)
        same = list(map(eq, body, known))  # positional, memcmp: the usual case is "all but one"
        same += [False] * (n - len(same))
        aligned: list[R | None] = [r if ok else None for r, ok in zip(known_records, same)]
        aligned += [None] * (n - len(aligned))
        errors: list[str] = []
        misses = list(compress(range(n), map(is_, aligned, repeat(None))))
        self._fresh = misses
        if misses:
            by_bytes = dict(zip(known, known_records))
            for i in misses:
                record = by_bytes.get(body[i])
                if record is None:
                    doc = tomllib.loads("[[" + body[i].decode("utf-8"))
                    record = self._decode_piece(doc, default_time, aligned, i, body, errors)
                aligned[i] = record
        found = list(filter(None, aligned))  # records are always true
        records = dict(zip(map(attrgetter("id"), found), found))
        if len(records) != len(found):  # the same id twice (a hand edit): keep the newest
            records = {}
            for r in found:
                pick_latest(records, r)
        return records, errors, body, aligned

    def _decode_piece(self, doc, default_time, aligned, i, body, errors):  # type: ignore[no-untyped-def]
        """The one record a changed piece holds (None, with an error, if it does not decode)."""
        for section in self.SECTIONS:
            tables = doc.get(section)
            if tables is None:
                continue
            prev = next((r for r in reversed(aligned[:i]) if r is not None and self._section_of(r) == section), None)
            for t in tables if isinstance(tables, list) else [tables]:
                try:
                    return self._decode_item(section, t, default_time, prev)
                except (ValueError, KeyError) as exc:
                    number = 1 + sum(1 for p in body[:i] if p.startswith(section.encode() + b"]]"))
                    pid = t.get("id") if isinstance(t, dict) else None
                    errors.append(f"{section} #{number}{f' ({pid})' if isinstance(pid, str) else ''}: {exc}")
                    return None
        return None

    def _section_of(self, record: R) -> str:
        return self.SECTIONS[-1] if self._is_tombstone(record) else self.SECTIONS[0]

    def _decode_whole(self, raw: bytes, default_time: datetime) -> tuple[dict[str, R], list[str]]:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise Corrupt(f"not UTF-8 text (byte {exc.start})") from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise Corrupt(f"invalid TOML: {exc}") from None
        self._check_version(doc)
        records: dict[str, R] = {}
        errors: list[str] = []
        counts = dict.fromkeys(self.SECTIONS, 0)
        prev: dict[str, R | None] = dict.fromkeys(self.SECTIONS, None)
        self._decode_doc(doc, default_time, records, errors, counts, prev)
        return records, errors

    def _decode_doc(self, doc, default_time, records, errors, counts, prev) -> None:  # type: ignore[no-untyped-def]
        for section in self.SECTIONS:
            tables = doc.get(section, [])
            if not isinstance(tables, list):
                errors.append(f"'{section}' must be an array of tables ([[{section}]])")
                continue
            for t in tables:
                counts[section] += 1
                try:
                    record = self._decode_item(section, t, default_time, prev[section])
                except (ValueError, KeyError) as exc:
                    pid = t.get("id") if isinstance(t, dict) else None
                    errors.append(f"{section} #{counts[section]}{f' ({pid})' if isinstance(pid, str) else ''}: {exc}")
                    continue
                prev[section] = record
                pick_latest(records, record)

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
        if getattr(self, "_file_version", self.VERSION) != self.VERSION:
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
        changed = merged != self._records
        self._records = merged
        self._base = {k: r.updated for k, r in disk.items()}
        self._stamp = stamp
        if changed:
            self._changed()
        return changed

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
                why = bad.reason if isinstance(bad, Corrupt) else describe_os_error(bad)  # type: ignore[arg-type]
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
        copies = conflicts.conflict_copies(self.data_dir, self.FILENAME)
        if not copies:
            return False
        before = dict(self._records)
        done: list[tuple[Path, str]] = []
        for copy in copies:
            try:
                theirs, _ = self._read(copy)
            except (Corrupt, OSError) as exc:
                why = exc.reason if isinstance(exc, Corrupt) else describe_os_error(exc)  # type: ignore[arg-type]
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

    def _pieces(self, records: list[R]) -> list[bytes]:
        """Each record's piece of the file (its TOML after the leading `[[`), re-encoding only changes.

        tomli-w needs ~0.1 ms per queue entry; caching keeps a 5,000-entry save at a few ms.
        """
        written = self._written_records
        if len(written) == len(records):  # the usual save: the same records in place, but one or two
            out = list(self._written)
            for i in compress(range(len(records)), map(is_not, records, written)):
                out[i] = self._piece(records[i])
            return out
        return [self._piece(record) for record in records]

    def _piece(self, record: R) -> bytes:
        cache = self._cache
        hit = cache.get(record.id)
        if hit is None or (hit[0] is not record and hit[0] != record):
            text = self._encode_record(record)
            hit = cache[record.id] = (record, text.encode("utf-8")[2:])
        elif hit[0] is not record:
            hit = cache[record.id] = (record, hit[1])
        return hit[1]

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
        self._written, self._written_records = pieces, order
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
