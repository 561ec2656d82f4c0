"""Crash-proof, shared storage of the queue: kill -9, two writers, corrupt files, refusing disks,
hand edits and tombstones."""

from __future__ import annotations

import builtins
import errno
import os
import random
import signal
import sys
import time
import tomllib
import traceback
from datetime import timedelta
from pathlib import Path

import crash_writer
import pytest

from tui import persist, recordfile
from tui.model import Paper
from tui.queue import Queue
from tui.readstate import ReadState


def paper(pid: str, title: str | None = None) -> Paper:
    return Paper(pid, title or f"Title of {pid}", "An invented abstract.", ("Ann Example", "Ben Sample"))


def file_ids(path: Path) -> list[str]:
    """Ids in a queue file, read with tomllib directly (not through our recovery)."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 2
    return [p["id"] for p in doc.get("paper", [])]


class ForkedWriter:
    """`crash_writer.main` in a forked child, with the parts of `subprocess.Popen` the tests use.

    The same code and the same kill -9 as a subprocess, without ~150 ms of interpreter start-up
    and imports per writer: the kill test starts 200 of them.
    """

    def __init__(self, argv: list[str]) -> None:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into pytest
            code = 3
            try:
                os.close(out_r)
                os.close(err_r)
                os.dup2(out_w, 1)
                os.dup2(err_w, 2)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
                code = crash_writer.main(["crash_writer.py", *argv])
            except BaseException:  # noqa: BLE001 - report anything, then leave without cleanup
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(out_w)
        os.close(err_w)
        self.stdout = open(out_r, encoding="utf-8")
        self._stderr = open(err_r, encoding="utf-8")
        self.returncode: int | None = None

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        out, err = self.stdout.read(), self._stderr.read()  # stderr is a line at most
        self.stdout.close()
        self._stderr.close()
        _, status = os.waitpid(self.pid, 0)
        self.returncode = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        return out, err


def writer(data_dir: Path, prefix: str, *extra: str) -> ForkedWriter:
    return ForkedWriter([str(data_dir), prefix, *extra])


# --- (1) kill -9 mid-save -----------------------------------------------------------------


@pytest.mark.slow
def test_kill_9_at_random_moments_never_loses_an_acknowledged_id(tmp_path: Path) -> None:
    """120 writers killed at random moments (4 data folders, one writer at a time in each).

    After every kill: the file parses with plain tomllib, says version 1, and holds every id
    the writer acknowledged (printed after `add` returned); the backup parses too. The next
    writer starts on the same folder, so it also opens whatever the kill left behind.
    """
    rng = random.Random(20260121)
    dirs = [tmp_path / f"data{k}" for k in range(4)]
    acked: dict[Path, set[str]] = {d: set() for d in dirs}
    trials = killed_inside_save = 0
    while trials < 120:
        batch = [(d, writer(d, f"t{trials + k}")) for k, d in enumerate(dirs)]
        trials += len(batch)
        for d, proc in batch:
            if rng.random() < 0.15:
                time.sleep(rng.uniform(0, 0.12))  # may land in start-up, loading or the first save
            else:
                first = proc.stdout.readline()  # it is now adding in a loop
                if first:
                    acked[d].add(first.strip())
                time.sleep(rng.uniform(0, 0.03))
            proc.kill()
        for d, proc in batch:
            out, err = proc.communicate()
            assert proc.returncode == -9, err
            assert "ERROR" not in err and "WARN" not in err, err
            acked[d].update(out.split())
            if any(d.glob(".queue.toml.*.tmp")):
                killed_inside_save += 1  # a temp file was being written when the kill came
            if acked[d]:
                ids = file_ids(d / "queue.toml")
                missing = acked[d] - set(ids)
                assert not missing, f"acknowledged but lost after kill: {sorted(missing)[:5]}"
                assert len(ids) == len(set(ids))
            if (d / "queue.toml.bak").exists():
                file_ids(d / "queue.toml.bak")
    for d in dirs:
        queue = Queue(d)
        assert queue.warnings == []
        assert acked[d] <= {e.id for e in queue.entries()}
    assert sum(len(a) for a in acked.values()) > 240
    print(f"{trials} kills, {killed_inside_save} inside a save, {sum(len(a) for a in acked.values())} ids acked")
    assert killed_inside_save >= 12, "too few kills landed inside a save; the test proves little"


# --- (2) two writers at once ------------------------------------------------------------------


def test_two_writers_at_once_lose_nothing(tmp_path: Path) -> None:
    go = tmp_path / "go"
    data = tmp_path / "data"
    procs = [writer(data, name, "120", str(go)) for name in ("a", "b")]
    time.sleep(0.3)  # both are up and waiting
    go.touch()
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert len(out.split()) == 120
    queue = Queue(data)
    ids = [e.id for e in queue.entries()]
    assert sorted(ids) == sorted([f"a.{i}" for i in range(120)] + [f"b.{i}" for i in range(120)])
    # Both writers' note edits survived too (each edits entry i//2 after adding entry i).
    assert queue.get("a.59").note == "edited after 119"
    assert queue.get("b.59").note == "edited after 119"
    # The saves really interleaved (the test would prove nothing if one ran after the other).
    by_added = [e.id[0] for e in sorted(queue.entries(), key=lambda e: e.added)]
    assert "".join(by_added).count("ab") + "".join(by_added).count("ba") > 1


def test_two_instances_in_one_process_merge_adds(tmp_path: Path) -> None:
    a, b = Queue(tmp_path), Queue(tmp_path)
    a.add(paper("2601.00001"))
    b.add(paper("2601.00002"))  # b never reloaded: its save merges a's entry
    assert file_ids(tmp_path / "queue.toml") == ["2601.00001", "2601.00002"]
    assert [e.id for e in b.entries()] == ["2601.00001", "2601.00002"]
    assert a.reload_if_changed() is True
    assert [e.id for e in a.entries()] == ["2601.00001", "2601.00002"]


def test_a_held_lock_times_out_with_a_message_and_no_hang(tmp_path: Path) -> None:
    queue = Queue(tmp_path, lock_timeout=0.2)
    with persist.file_lock(tmp_path / persist.LOCK_NAME):  # a wedged peer
        t0 = time.monotonic()
        queue.add(paper("2601.00001"))
        assert time.monotonic() - t0 < 1.0
    assert queue.dirty and "another papertray instance" in queue.last_error
    assert queue.contains("2601.00001")
    assert queue.save() is True
    assert file_ids(tmp_path / "queue.toml") == ["2601.00001"]


# --- (3) corrupt files ------------------------------------------------------------------------


def three_saved(tmp_path: Path) -> Path:
    """A queue of three entries on disk; the backup holds the first two."""
    queue = Queue(tmp_path)
    for i in (1, 2, 3):
        queue.add(paper(f"2601.0000{i}"))
    assert file_ids(tmp_path / "queue.toml.bak") == ["2601.00001", "2601.00002"]
    return tmp_path / "queue.toml"


def damage_truncate(text: str) -> bytes:
    return text[: text.index('title = "Title of 2601.00003') + 15].encode()


def damage_junk(text: str) -> bytes:
    return random.Random(7).randbytes(3000) + b"\xff\xfe\x00"


def damage_version(text: str) -> bytes:
    return text.replace("version = 2", "version = 3", 1).encode()


def damage_no_version(text: str) -> bytes:
    return text.replace("version = 2", "", 1).encode()


def damage_empty(text: str) -> bytes:
    return b""


@pytest.mark.parametrize(
    "damage, reason",
    [
        (damage_truncate, "invalid TOML"),
        (damage_junk, "not UTF-8"),
        (damage_version, "version 3 is not 2"),
        (damage_no_version, "no 'version' key"),
        (damage_empty, "no 'version' key"),
    ],
)
def test_unreadable_file_is_moved_aside_and_backup_recovered(tmp_path: Path, damage, reason: str) -> None:
    live = three_saved(tmp_path)
    bad = damage(live.read_text())
    live.write_bytes(bad)
    queue = Queue(tmp_path)
    aside = list(tmp_path.glob("queue.toml.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == bad  # kept byte for byte for the user
    assert len(queue.warnings) == 1
    message = queue.warnings[0]
    assert str(live) in message and str(aside[0]) in message and reason in message
    assert "recovered 2 entries from queue.toml.bak" in message
    assert [e.id for e in queue.entries()] == ["2601.00001", "2601.00002"]
    assert file_ids(live) == ["2601.00001", "2601.00002"]  # a good file is back at once
    assert Queue(tmp_path).warnings == []


def test_wrong_type_in_one_entry_keeps_the_readable_entries(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    live.write_text(live.read_text().replace('title = "Title of 2601.00002"', "title = 42"))
    queue = Queue(tmp_path)
    message = queue.warnings[0]
    assert "paper #2 (2601.00002): 'title' must be str, not int 42" in message
    assert "recovered 2 entries from queue.toml.bak, plus 2 entries still readable in the damaged file" in message
    # 1 and 3 from the damaged file, 2 (with its good title) from the backup.
    assert [(e.id, e.title) for e in queue.entries()] == [
        ("2601.00001", "Title of 2601.00001"),
        ("2601.00002", "Title of 2601.00002"),
        ("2601.00003", "Title of 2601.00003"),
    ]


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('status = "to-read"', 'status = "later"', "'status' must be one of to-read, reading, done, not 'later'"),
        ("position = 1.0", 'position = "first"', "'position' must be int or float, not str 'first'"),
        ("position = 1.0", "position = true", "'position' must be int or float, not bool True"),
        ('authors = [\n    "Ann Example",', 'authors = [\n    7,', "'authors' must be a list of strings"),
        ("added = ", "added = 'yesterday'\n#", "'added' must be a date-time, not str 'yesterday'"),
        ("version = 2", 'version = 2\npaper = "x"', "invalid TOML"),
    ],
)
def test_wrong_types_are_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    live = three_saved(tmp_path)
    text = live.read_text()
    assert old in text
    live.write_text(text.replace(old, new, 1))
    queue = Queue(tmp_path)
    assert expected in queue.warnings[0]
    assert len(list(tmp_path.glob("queue.toml.corrupt-*"))) == 1
    assert {"2601.00001", "2601.00002"} <= {e.id for e in queue.entries()}


def test_both_file_and_backup_bad_starts_empty_and_says_so(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    live.write_text("[[paper]\n")
    (tmp_path / "queue.toml.bak").write_bytes(b"\xff\xfejunk")
    queue = Queue(tmp_path)
    assert queue.entries() == []
    assert "the backup queue.toml.bak is unusable too (not UTF-8" in queue.warnings[0]
    assert file_ids(live) == []


def test_file_corrupted_while_running_is_moved_aside_and_memory_kept(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    live.write_text("garbage = [")
    assert queue.reload_if_changed() is False  # written just now: maybe an editor mid-write
    assert queue.warnings == [] and live.read_text() == "garbage = ["
    old = time.time() - 5
    os.utime(live, (old, old))  # it settled, still broken
    assert queue.reload_if_changed() is False  # nothing in memory changed
    assert "invalid TOML" in queue.warnings[0] and "a copy is kept as" in queue.warnings[0]
    assert file_ids(live) == ["2601.00001", "2601.00002", "2601.00003"]  # rewritten from memory
    assert len(list(tmp_path.glob("queue.toml.corrupt-*"))) == 1


def test_save_moves_a_damaged_file_aside_even_while_fresh(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    live.write_text("[[paper]]\nid = ")
    queue.add(paper("2601.00004"))
    aside = list(tmp_path.glob("queue.toml.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text() == "[[paper]]\nid = "
    assert file_ids(live) == ["2601.00001", "2601.00002", "2601.00003", "2601.00004"]
    assert "invalid TOML" in queue.warnings[0]


def test_read_state_damaged_lines_are_skipped_reported_and_kept(tmp_path: Path) -> None:
    state = ReadState(tmp_path, background=False)
    state.set_read_many(["2601.00001", "2601.00002"])
    assert state.flush()
    log = tmp_path / "readmarks.log"
    good = log.read_text()
    log.write_text(good + "garbage in the middle\n" + "2026-01-21T10:00:00.000000Z + 2601.00003\n")
    state = ReadState(tmp_path)
    assert state.read_ids == {"2601.00001", "2601.00002", "2601.00003"}
    assert "1 damaged line (first at line 4: 'garbage in the middle')" in state.warnings[0]
    kept = list(tmp_path.glob("readmarks.log.corrupt-*"))
    assert len(kept) == 1 and "garbage" in kept[0].read_text()
    assert state.close(5)
    deadline = time.monotonic() + 5
    while "garbage" in log.read_text() and time.monotonic() < deadline:  # compacted in the background
        time.sleep(0.05)
    assert "garbage" not in log.read_text()
    again = ReadState(tmp_path)
    assert again.warnings == [] and again.read_ids == {"2601.00001", "2601.00002", "2601.00003"}


# --- (4) permission denied / read-only folder --------------------------------------------------


def test_permission_denied_on_replace_keeps_memory_and_old_file(tmp_path: Path, monkeypatch) -> None:
    live = three_saved(tmp_path)
    before = live.read_bytes()
    queue = Queue(tmp_path)

    def deny(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", deny)
    queue.add(paper("2601.00004"))
    queue.set_status("2601.00001", "reading")
    assert queue.dirty
    assert queue.last_error.startswith(f"Could not save the reading queue to {live}: permission denied")
    assert [e.id for e in queue.entries()][-1] == "2601.00004"
    assert live.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))  # the failed temp file was cleaned up
    monkeypatch.undo()
    assert queue.save() is True
    assert queue.last_error is None and not queue.dirty
    reopened = Queue(tmp_path)
    assert [e.id for e in reopened.entries()] == ["2601.00001", "2601.00002", "2601.00003", "2601.00004"]
    assert reopened.get("2601.00001").status == "reading"


def test_permission_denied_on_open_is_reported(tmp_path: Path, monkeypatch) -> None:
    queue = Queue(tmp_path)
    real_open = builtins.open

    def deny(file, mode="r", *args, **kwargs):
        if "w" in mode:
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", deny)
    queue.add(paper("2601.00001"))
    assert "permission denied" in queue.last_error
    assert queue.contains("2601.00001") and queue.dirty
    monkeypatch.undo()
    queue.add(paper("2601.00002"))  # the next change writes everything
    assert file_ids(tmp_path / "queue.toml") == ["2601.00001", "2601.00002"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_real_read_only_folder(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    before = live.read_bytes()
    queue = Queue(tmp_path)
    tmp_path.chmod(0o555)
    try:
        queue.add(paper("2601.00004"))
        assert "permission denied" in queue.last_error
        assert live.read_bytes() == before
    finally:
        tmp_path.chmod(0o755)
    assert queue.save() is True
    assert file_ids(live)[-1] == "2601.00004"


def test_data_folder_that_cannot_be_created(tmp_path: Path) -> None:
    """Works as root too: a path under a regular file can never be a folder."""
    (tmp_path / "file").write_text("x")
    queue = Queue(tmp_path / "file" / "data")
    queue.add(paper("2601.00001"))
    assert queue.last_error.startswith(f"Could not save the reading queue to {tmp_path / 'file' / 'data' / 'queue.toml'}")
    assert queue.contains("2601.00001")


# --- (5) disk full ------------------------------------------------------------------------------


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_disk_full_keeps_everything(tmp_path: Path, monkeypatch, where: str) -> None:
    live = three_saved(tmp_path)
    before, backup = live.read_bytes(), (tmp_path / "queue.toml.bak").read_bytes()
    queue = Queue(tmp_path)
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", enospc)
    else:
        real_open = builtins.open

        class FullFile:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                self.f.write(data[: len(data) // 2])  # a partial write, then the disk is full
                enospc()

            def __getattr__(self, name):
                return getattr(self.f, name)

        def full_open(file, mode="r", *args, **kwargs):
            f = real_open(file, mode, *args, **kwargs)
            return FullFile(f) if "w" in mode else f

        monkeypatch.setattr(builtins, "open", full_open)
    queue.remove("2601.00002")
    queue.set_note("2601.00001", "still here")
    assert "the disk is full" in queue.last_error and queue.dirty
    assert live.read_bytes() == before and (tmp_path / "queue.toml.bak").read_bytes() == backup
    assert not list(tmp_path.glob(".*.tmp"))
    assert [e.id for e in queue.entries()] == ["2601.00001", "2601.00003"]
    monkeypatch.undo()
    assert queue.save() is True
    reopened = Queue(tmp_path)
    assert [e.id for e in reopened.entries()] == ["2601.00001", "2601.00003"]
    assert reopened.get("2601.00001").note == "still here"


# --- (6) edits made outside the app -------------------------------------------------------------


def test_hand_edit_is_picked_up_by_reload(tmp_path: Path, monkeypatch) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    calls = []
    real_read = queue._read
    monkeypatch.setattr(queue, "_read", lambda p, **kw: calls.append(p) or real_read(p, **kw))
    assert queue.reload_if_changed() is False and calls == []  # unchanged: only a stat
    text = live.read_text().replace('title = "Title of 2601.00002"', 'title = "Title of 2601.00002"\nnote = "by hand"')
    live.write_text(text)
    assert queue.reload_if_changed() is True
    assert queue.get("2601.00002").note == "by hand"
    assert queue.reload_if_changed() is False


def test_hand_edit_between_two_saves_is_merged_not_overwritten(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    text = live.read_text().replace('status = "to-read"', 'status = "done"', 1)  # entry 1
    text += '\n[[paper]]\nid = "title:handmade"\ntitle = "Typed in by hand"\n'
    live.write_text(text)
    queue.set_note("2601.00003", "from the app")  # no reload in between: the save must merge
    doc = tomllib.loads(live.read_text())
    assert [(p["id"], p["status"], p.get("note", "")) for p in doc["paper"]] == [
        ("2601.00001", "done", ""),
        ("2601.00002", "to-read", ""),
        ("2601.00003", "to-read", "from the app"),
        ("title:handmade", "to-read", ""),
    ]
    assert [e.id for e in queue.entries()] == ["2601.00002", "2601.00003", "title:handmade"]


def test_hand_deleted_entry_stays_deleted(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    text = live.read_text()
    start = text.index("[[paper]]\nid = \"2601.00002\"")
    end = text.index("[[paper]]\nid = \"2601.00003\"")
    live.write_text(text[:start] + text[end:])
    queue.add(paper("2601.00004"))  # our copy of 2 is unchanged since we read it: not resurrected
    assert file_ids(live) == ["2601.00001", "2601.00003", "2601.00004"]
    assert not queue.contains("2601.00002")


def test_hand_added_entry_without_position_sorts_after_its_predecessor(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    text = live.read_text()
    at = text.index("[[paper]]\nid = \"2601.00002\"")
    live.write_text(text[:at] + '[[paper]]\nid = "2601.09999"\ntitle = "Between one and two"\n\n' + text[at:])
    queue = Queue(tmp_path)
    assert queue.warnings == []
    assert [e.id for e in queue.entries()] == ["2601.00001", "2601.09999", "2601.00002", "2601.00003"]


def test_vanished_file_is_rewritten_not_emptied(tmp_path: Path) -> None:
    live = three_saved(tmp_path)
    queue = Queue(tmp_path)
    live.unlink()  # e.g. a sync tool swapping files
    assert queue.reload_if_changed() is False
    assert len(queue.entries()) == 3
    queue.add(paper("2601.00004"))
    assert len(file_ids(live)) == 4


# --- (7) tombstones ---------------------------------------------------------------------------------


def test_removed_in_one_instance_is_not_resurrected_by_another(tmp_path: Path) -> None:
    three_saved(tmp_path)
    a, b = Queue(tmp_path), Queue(tmp_path)
    b.set_note("2601.00002", "older edit in b")  # before the removal: the removal must win
    a.reload_if_changed()
    a.remove("2601.00002")
    b.add(paper("2601.00004"))  # b still has 2 in memory and has not reloaded
    assert file_ids(tmp_path / "queue.toml") == ["2601.00001", "2601.00003", "2601.00004"]
    assert not b.contains("2601.00002")
    doc = tomllib.loads((tmp_path / "queue.toml").read_text())
    assert [r["id"] for r in doc["removed"]] == ["2601.00002"]


def test_re_adding_after_removal_wins_over_the_tombstone(tmp_path: Path) -> None:
    three_saved(tmp_path)
    a, b = Queue(tmp_path), Queue(tmp_path)
    a.remove("2601.00001")
    b.reload_if_changed()
    b.add(paper("2601.00001"))
    a.set_note("2601.00003", "x")  # a still holds the tombstone
    assert file_ids(tmp_path / "queue.toml") == ["2601.00002", "2601.00003", "2601.00001"]
    assert a.contains("2601.00001")


def test_old_tombstones_are_pruned(tmp_path: Path, monkeypatch) -> None:
    queue = Queue(tmp_path)
    queue.add(paper("2601.00001"))
    queue.remove("2601.00001")
    assert "[[removed]]" in (tmp_path / "queue.toml").read_text()
    later = persist.now() + timedelta(days=recordfile.TOMBSTONE_DAYS + 1)
    monkeypatch.setattr(recordfile, "now", lambda: later)
    Queue(tmp_path).add(paper("2601.00002"))  # pruning runs at the first save of a session
    assert "[[removed]]" not in (tmp_path / "queue.toml").read_text()


def test_concurrent_moves_of_different_entries_both_survive(tmp_path: Path) -> None:
    for i in range(1, 5):
        Queue(tmp_path).add(paper(f"2601.0000{i}"))
    a, b = Queue(tmp_path), Queue(tmp_path)
    a.move("2601.00004", -3)  # 4 to the top
    b.move("2601.00001", 1)  # 1 below 2
    a.reload_if_changed()
    expected = ["2601.00004", "2601.00002", "2601.00001", "2601.00003"]
    assert [e.id for e in a.entries()] == expected
    assert [e.id for e in b.entries()] == expected
    assert file_ids(tmp_path / "queue.toml") == expected


def test_leftover_temp_files_are_swept(tmp_path: Path) -> None:
    stale = tmp_path / ".queue.toml.999.deadbeef.tmp"
    tmp_path.mkdir(exist_ok=True)
    stale.write_text("half a file")
    queue = Queue(tmp_path)
    queue.add(paper("2601.00001"))
    assert not stale.exists()
