"""Read marks: an append-only journal, so a mark costs O(1) however many years of marks there are.

`readmarks.log` in the data folder, plain text, one mark per line::

    # papertray read marks: <UTC time> <+ read | - unread> <paper id>; the last line for a paper wins
    2026-01-21T10:00:00.123456Z + 2601.01234
    2026-01-21T10:05:00.000001Z - 2601.05678

Why a journal and not a rewritten TOML file or SQLite: a mark appends one 45-byte line and fsyncs
it (a rewrite cost O(all marks): 34 ms per mark at 100k). Loading is a split and two C-level
passes (dict, set) over fixed-width lines, ~30 ms for 100k marks, where TOML took 700 ms. It stays
a text file a user can read and a sync tool can copy whole (SQLite's separate `-wal` file is what
sync tools corrupt), and two copies merge by taking the newer line per paper.

- Order: in one file, the *last line* for a paper wins (appends are made under the data folder's
  lock, so file order is the order the marks became durable). Between two files (a sync tool's
  conflict copy), the newer time wins; the winning lines are appended.
- The UI thread only changes memory and queues the line; a writer thread appends and fsyncs, and
  retries with back-off when the disk refuses (`last_error`, `pending`). The command line writes
  synchronously (`background=False`, then `flush()`), so "read ..." is printed only once durable.
- Compaction (one line per paper, via the same crash-proof replace as the queue) runs in the
  writer thread when the file has grown to more than twice the papers it marks.
- A damaged line (not a mark) is skipped and reported, and a copy of the file is kept. An
  unfinished last line (a write cut short by a crash, never acknowledged) is dropped.
- The old `state.toml` (version 1) is imported once and renamed `state.toml.migrated`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Set
from itertools import compress, repeat
from operator import eq, itemgetter
from pathlib import Path

from tui.persist import (
    LOCK_NAME,
    LOCK_TIMEOUT,
    atomic_write,
    describe_os_error,
    file_lock,
    fsync_dir,
    keep_copy,
    same_file_kept,
    stamp_of,
    step,
    target_of,
)
from tui.readmerge import FILENAME, HEADER, MARK_LINE, MarkMerging, line_for, parse_lines

RETRY_MAX = 10.0  # seconds between retries of a failing append, at most
_ids = itemgetter(slice(30, None))
_op = itemgetter(28)


class ReadState(MarkMerging):
    """Read/unread per paper id in `<data_dir>/readmarks.log` (see the module docstring)."""

    FILENAME = FILENAME
    NOUN = "read marks"

    def __init__(
        self,
        data_dir: Path,
        *,
        lock_timeout: float = LOCK_TIMEOUT,
        on_wait: Callable[[], None] | None = None,
        background: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / FILENAME
        self.lock_path = self.data_dir / LOCK_NAME
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        self.background = background
        self.warnings: list[str] = []
        self._told = 0
        self.last_error: str | None = None
        self._ops: dict[str, str] = {}  # id -> "+" or "-", the winning line's sign
        self._read_ids: set[str] = set()
        self._pending: list[tuple[str, str]] = []  # (id, line) not yet durable, in order
        self._cond = threading.Condition()
        self._io = threading.Lock()  # one append or compaction at a time in this process
        self._thread: threading.Thread | None = None
        self._failures = 0
        self._compact_wanted = False
        self._file: tuple[int, int] | None = None  # (dev, inode) of the journal we read
        self._offset = 0  # bytes of it consumed (complete lines)
        self._lines = 0  # mark lines in it, to decide on compaction
        self._load()
        self._import_legacy()
        self.merge_conflict_copies()
        if self._lines > 2 * len(self._ops) + 1000:
            self._compact_wanted = True
        if self._compact_wanted and background:
            self._kick()

    # reading --------------------------------------------------------------------------------

    @property
    def read_ids(self) -> Set[str]:
        """The ids marked read (a live view: copy it before keeping it across changes)."""
        return self._read_ids

    def is_read(self, pid: str) -> bool:
        return pid in self._read_ids

    @property
    def dirty(self) -> bool:
        """True while some marks are not yet on disk."""
        return bool(self._pending)

    def new_warnings(self) -> list[str]:
        fresh = self.warnings[self._told :]
        self._told = len(self.warnings)
        return fresh

    def _load(self) -> None:
        """Read the whole journal (start-up, or after it was replaced by a compaction or a sync tool)."""
        live = target_of(self.path)
        try:
            with open(live, "rb") as f:
                st = os.fstat(f.fileno())
                raw = f.read()
        except FileNotFoundError:
            self._file, self._offset, self._lines = None, 0, 0
            self._set_all({})
            return
        except OSError as exc:
            self.warnings.append(f"Could not read the read marks in {self.path}: {describe_os_error(exc)}.")
            return
        end = raw.rfind(b"\n") + 1  # an unfinished last line was never acknowledged: leave it
        lines, bad = self._decode(raw[:end], live)
        ops = dict(zip(map(_ids, lines), map(_op, lines)))
        self._file, self._offset, self._lines = (st.st_dev, st.st_ino), end, len(lines)
        for pid, line in self._pending:  # ours, not yet written: they will come after these
            ops[pid] = line[28]
        self._set_all(ops)
        if bad:
            self._compact_wanted = True

    def _decode(self, raw: bytes, live: Path) -> tuple[list[str], list[tuple[int, str]]]:
        text = raw.decode("utf-8", errors="replace")
        lines, bad = parse_lines(text)
        if bad:
            kept = same_file_kept(live, f"{live.name}.corrupt-*")
            try:
                kept = kept or keep_copy(live, f"{live.name}.corrupt")
                where = f"a copy is kept as {kept}"
            except OSError as exc:
                where = f"could not keep a copy ({describe_os_error(exc)})"
            n, first = bad[0]
            self.warnings.append(
                f"The read marks file {self.path} has {len(bad)} damaged line{'s' if len(bad) > 1 else ''} "
                f"(first at line {n}: {first[:60]!r}); {'they are' if len(bad) > 1 else 'it is'} skipped; {where}."
            )
        return lines, bad

    def _set_all(self, ops: dict[str, str]) -> None:
        self._ops = ops
        self._read_ids = set(compress(ops.keys(), map(eq, ops.values(), repeat("+"))))

    def reload_if_changed(self) -> bool:
        """Pick up marks another instance (or a sync tool) added; True if any changed. Cheap when none did."""
        changed = self.merge_conflict_copies()
        try:
            st = os.stat(target_of(self.path))
        except OSError:
            return changed
        if (st.st_dev, st.st_ino) != self._file or st.st_size < self._offset:
            before = set(self._read_ids)
            self._load()
            return changed or before != self._read_ids
        if st.st_size == self._offset:
            return changed
        try:
            with open(target_of(self.path), "rb") as f:
                f.seek(self._offset)
                raw = f.read(st.st_size - self._offset)
        except OSError:
            return changed
        end = raw.rfind(b"\n") + 1
        if not end:
            return changed
        lines, _bad = parse_lines(raw[:end].decode("utf-8", errors="replace"))
        self._offset += end
        self._lines += len(lines)
        with self._cond:
            mine = {pid for pid, _line in self._pending}
        for line in lines:
            pid = line[30:]
            if pid in mine:
                continue  # our newer mark is on its way to the file, after this one
            if self._apply(pid, line[28] == "+"):
                changed = True
        return changed

    def _apply(self, pid: str, read: bool) -> bool:
        was = pid in self._read_ids
        self._ops[pid] = "+" if read else "-"
        if read:
            self._read_ids.add(pid)
        else:
            self._read_ids.discard(pid)
        return was != read

    # marking --------------------------------------------------------------------------------

    def set_read(self, pid: str, read: bool = True) -> bool:
        """Mark one paper; True if that changed anything. O(1); the write happens off this thread."""
        return self.set_read_many([pid], read) > 0

    def set_read_many(self, pids: Iterable[str], read: bool = True) -> int:
        """Mark many papers (one append); returns how many changed.

        One clock reading and one line prefix for the batch: a bulk mark of 30k papers (`X` in the
        reader) runs on the UI thread, and a strftime per paper was most of its time."""
        read_ids = self._read_ids
        changed = list(dict.fromkeys(pid for pid in pids if (pid in read_ids) != read))
        if not changed:
            return 0
        sign = "+" if read else "-"
        self._ops.update(dict.fromkeys(changed, sign))
        if read:
            read_ids.update(changed)
        else:
            read_ids.difference_update(changed)
        prefix = line_for("", read)[:-1]  # "<time> <sign> "
        lines = [(pid, f"{prefix}{pid}\n") for pid in changed]
        if lines:
            with self._cond:
                self._pending.extend(lines)
            if self.background:
                self._kick()
        return len(lines)

    def toggle(self, pid: str) -> bool:
        """Flip read/unread; returns the new state (True: read)."""
        read = not self.is_read(pid)
        self.set_read(pid, read)
        return read

    # writing --------------------------------------------------------------------------------

    def flush(self) -> bool:
        """Write every pending mark now, in this thread; False (reason in `last_error`) if that failed."""
        with self._io:
            return self._write_pending()

    def save(self) -> bool:
        return self.flush()

    def _write_pending(self) -> bool:
        with self._cond:
            batch = list(self._pending)
        if not batch:
            return True
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with file_lock(self.lock_path, self.lock_timeout, self.on_wait):
                self._append_locked([line for _pid, line in batch])
        except OSError as exc:
            self.last_error = f"Could not save the read marks to {self.path}: {describe_os_error(exc)}."
            return False
        with self._cond:
            del self._pending[: len(batch)]
        self.last_error = None
        return True

    def _append_locked(self, lines: list[str]) -> None:
        """Append `lines` and fsync (lock held). A cut-short write is undone, so no torn line stays."""
        live = target_of(self.path)
        fd = os.open(live, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            size = os.fstat(fd).st_size
            prefix = HEADER if size == 0 else ""
            if size and os.pread(fd, 1, size - 1) != b"\n":
                start = max(0, size - 4096)
                tail = os.pread(fd, size - start, start)
                cut = tail.rfind(b"\n") + 1
                if MARK_LINE.fullmatch(tail[cut:].decode("utf-8", errors="replace")):
                    prefix = "\n"  # a hand-typed last line without its newline: keep it
                else:
                    os.ftruncate(fd, start + cut)  # a write cut short by a crash: never acknowledged
                    size = start + cut
            data = (prefix + "".join(lines)).encode("utf-8")
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                step("appended")
                os.fsync(fd)
            except BaseException:
                try:
                    os.ftruncate(fd, size)
                except OSError:
                    pass
                raise
            step("synced")
        finally:
            os.close(fd)
        if size == 0:
            fsync_dir(live.parent)

    def _kick(self) -> None:
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._writer, name="papertray-readmarks", daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _writer(self) -> None:
        """Append pending marks as they come; back off and retry while the disk refuses."""
        while True:
            with self._cond:
                while not self._pending and not self._compact_wanted:
                    self._cond.wait()
            with self._io:
                ok = self._write_pending()
                if ok and self._compact_wanted:
                    self._compact_wanted = False
                    self._compact()
            if ok:
                self._failures = 0
                continue
            self._failures += 1
            with self._cond:
                self._cond.wait(min(RETRY_MAX, 0.25 * 2**self._failures))

    def _compact(self) -> None:
        """Rewrite the journal with one line per paper (crash-proof replace; marks written meanwhile wait)."""
        try:
            with file_lock(self.lock_path, self.lock_timeout):
                live = target_of(self.path)
                with open(live, "rb") as f:
                    st = os.fstat(f.fileno())
                    raw = f.read()
                end = raw.rfind(b"\n") + 1
                lines, bad = parse_lines(raw[:end].decode("utf-8", errors="replace"))
                latest = dict(zip(map(_ids, lines), lines))
                body = "\n".join(sorted(latest.values()))
                data = (HEADER + body + ("\n" if body else "")).encode("utf-8")
                atomic_write(self.path, data, good=None if bad else stamp_of(st))
        except OSError as exc:
            self.last_error = f"Could not compact the read marks in {self.path}: {describe_os_error(exc)}."

    def close(self, timeout: float = 2.0) -> bool:
        """Write what is pending (waiting at most `timeout` s for the writer); True if nothing is left."""
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            if self._io.acquire(timeout=max(0.0, deadline - time.monotonic())):
                try:
                    self._write_pending()
                finally:
                    self._io.release()
                if self._pending:
                    time.sleep(0.05)
        return not self._pending

    def write_pending_copy(self, path: Path) -> None:
        """Write the marks not yet on disk to `path` as a journal (a rescue copy; OSError on failure).

        Put beside the data folder's journal under a conflict-copy name, it would be merged in.
        """
        with self._cond:
            lines = [line for _pid, line in self._pending]
        atomic_write(Path(path), (HEADER + "".join(lines)).encode("utf-8"))
