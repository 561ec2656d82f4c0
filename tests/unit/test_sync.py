"""Merging by field, symlinked data files, and two machines syncing the data folder through a
sync tool that leaves conflict copies (Syncthing, Nextcloud, Dropbox)."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path

import pytest

from tui.model import Paper
from tui.queue import Queue
from tui.readstate import ReadState

V1_FILE = '''version = 1

[[paper]]
id = "2601.00001"
title = "Old format"
status = "reading"
note = "from version 1"
position = 1.0
added = 2026-01-20T09:00:00Z
updated = 2026-01-21T10:00:00Z

[[removed]]
id = "2601.00009"
at = 2026-01-21T11:00:00Z
'''


def paper(pid: str) -> Paper:
    return Paper(pid, f"Title of {pid}", "An invented abstract.", ("Ann Example",))


def seeded(data: Path, n: int = 4) -> None:
    queue = Queue(data)
    for i in range(1, n + 1):
        queue.add(paper(f"2601.0000{i}"))


# --- merge by field -------------------------------------------------------------------------------


def test_note_and_status_of_one_entry_set_in_two_instances_both_survive(tmp_path: Path) -> None:
    seeded(tmp_path)
    a, b = Queue(tmp_path), Queue(tmp_path)
    a.set_note("2601.00002", "read section 3")
    b.set_status("2601.00002", "done")  # b never saw a's note: whole-entry merging would drop it
    b.move("2601.00003", -2)  # and moves another entry
    a.move("2601.00002", 1)  # a moves the edited one
    for q in (a, b, Queue(tmp_path)):
        q.reload_if_changed()
        e = q.get("2601.00002")
        assert (e.note, e.status) == ("read section 3", "done")
        assert [x.id for x in q.entries(include_done=True)] == ["2601.00003", "2601.00001", "2601.00002", "2601.00004"]


def test_removal_wins_over_a_later_edit_made_without_seeing_it(tmp_path: Path) -> None:
    seeded(tmp_path)
    a, b = Queue(tmp_path), Queue(tmp_path)
    a.remove("2601.00001")
    b.set_note("2601.00001", "too late")  # edit of an entry a peer removed: removal merges on its own
    assert not Queue(tmp_path).contains("2601.00001")
    b.add(paper("2601.00001"))  # b no longer has it, so this really re-queues it
    assert Queue(tmp_path).contains("2601.00001")


def test_version_1_file_is_read_and_written_back_as_version_2(tmp_path: Path) -> None:
    (tmp_path / "queue.toml").write_text(V1_FILE)
    queue = Queue(tmp_path)
    assert queue.warnings == []
    e = queue.get("2601.00001")
    assert (e.status, e.note, e.position) == ("reading", "from version 1", 1.0)
    assert e.at("status") == e.at("note") == e.at("position") == e.updated
    assert e.updated.isoformat() == "2026-01-21T10:00:00+00:00"
    assert queue.dirty  # migrated at the first save
    assert queue.save()
    doc = tomllib.loads((tmp_path / "queue.toml").read_text())
    assert doc["version"] == 2
    assert doc["paper"][0]["status_at"].isoformat() == "2026-01-21T10:00:00+00:00"
    assert not queue.contains("2601.00009")
    assert Queue(tmp_path).get("2601.00001") == e


# --- symlinks -------------------------------------------------------------------------------------------


def test_symlinked_queue_and_read_marks_are_written_through(tmp_path: Path) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "dotfiles"
    data.mkdir()
    elsewhere.mkdir()
    (elsewhere / "queue.toml").write_text(V1_FILE.replace("version = 1", "version = 2").replace("updated = ", "status_at = "))
    os.symlink(elsewhere / "queue.toml", data / "queue.toml")
    os.symlink(elsewhere / "readmarks.log", data / "readmarks.log")  # dangling until the first mark
    queue = Queue(data)
    queue.add(paper("2601.00002"))
    queue.add(paper("2601.00003"))
    assert (data / "queue.toml").is_symlink()
    assert [p["id"] for p in tomllib.loads((elsewhere / "queue.toml").read_text())["paper"]] == [
        "2601.00001", "2601.00002", "2601.00003"]
    assert (elsewhere / "queue.toml.bak").exists() and not (data / "queue.toml.bak").exists()
    state = ReadState(data, background=False)
    state.set_read("2601.00002")
    assert state.flush()
    assert (data / "readmarks.log").is_symlink() and "2601.00002" in (elsewhere / "readmarks.log").read_text()
    state._compact()  # a compaction replaces the target, never the link
    assert (data / "readmarks.log").is_symlink()
    assert ReadState(data).read_ids == {"2601.00002"}


# --- two machines ------------------------------------------------------------------------------------------

CONFLICT_NAMES = {
    "syncthing": lambda stem, ext: f"{stem}.sync-conflict-20260121-101010-7QWERTY.{ext}",
    "nextcloud": lambda stem, ext: f"{stem} (conflicted copy 2026-01-21 101010).{ext}",
    "dropbox": lambda stem, ext: f"{stem} (Ada's conflicted copy 2026-01-21).{ext}",
}


@pytest.mark.parametrize("tool", sorted(CONFLICT_NAMES))
def test_two_machines_edited_apart_keep_every_change_of_both(tmp_path: Path, tool: str) -> None:
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    seeded(laptop)
    marks = ReadState(laptop, background=False)
    marks.set_read_many(["r1", "r2"])
    assert marks.flush()
    shutil.copytree(laptop, desktop)  # in sync

    # Apart (offline): each machine changes things.
    q = Queue(laptop)
    q.add(paper("2601.00005"))
    q.set_note("2601.00001", "laptop note")
    q.remove("2601.00003")
    m = ReadState(laptop, background=False)
    m.set_read("r3")
    m.set_read("r1", False)
    assert m.flush()
    q = Queue(desktop)
    q.add(paper("2601.00006"))
    q.set_status("2601.00001", "done")
    q.move("2601.00004", -3)
    m = ReadState(desktop, background=False)
    m.set_read("r4")
    assert m.flush()

    # The sync tool keeps the desktop's files and drops the laptop's beside them as conflict copies.
    name = CONFLICT_NAMES[tool]
    shutil.copy(laptop / "queue.toml", desktop / name("queue", "toml"))
    shutil.copy(laptop / "readmarks.log", desktop / name("readmarks", "log"))
    shutil.copy(laptop / "queue.toml.bak", desktop / name("queue.toml", "bak"))  # backups are synced too

    queue, state = Queue(desktop), ReadState(desktop)
    ids = [e.id for e in queue.entries(include_done=True)]
    # 4 went to the top of the desktop's listing, where 1 (done) was hidden: it ties with 1.
    assert ids == ["2601.00001", "2601.00004", "2601.00002", "2601.00005", "2601.00006"]
    e = queue.get("2601.00001")
    assert (e.note, e.status) == ("laptop note", "done")
    assert state.read_ids == {"r2", "r3", "r4"}
    assert len(state.warnings) == 1 and "merged into readmarks.log" in state.warnings[0]
    assert len(queue.warnings) == 2 and "of a backup (nothing to merge)" in queue.warnings[0]
    assert "merged into queue.toml" in queue.warnings[1]
    assert sorted(p.name for p in desktop.iterdir() if "conflict" in p.name) == ["merged-conflicts"]
    assert len(list((desktop / "merged-conflicts").iterdir())) == 3
    # What was merged is on disk: a plain re-open sees it, with nothing more to say.
    again = Queue(desktop)
    assert again.warnings == [] and [x.id for x in again.entries(include_done=True)] == ids
    assert ReadState(desktop).read_ids == {"r2", "r3", "r4"}


def test_conflict_copy_appearing_while_running_is_merged_at_the_next_poll(tmp_path: Path) -> None:
    seeded(tmp_path, 2)
    queue = Queue(tmp_path)
    other = tmp_path / "other"
    shutil.copytree(tmp_path, other, ignore=shutil.ignore_patterns("other"))
    Queue(other).set_note("2601.00002", "from the other machine")
    shutil.copy(other / "queue.toml", tmp_path / "queue.sync-conflict-20260121-101010-ABC.toml")
    assert queue.reload_if_changed() is True
    assert queue.get("2601.00002").note == "from the other machine"
    assert "conflict copy" in queue.new_warnings()[0]
    assert queue.new_warnings() == []


def test_unreadable_conflict_copy_is_set_aside_and_said(tmp_path: Path) -> None:
    seeded(tmp_path, 2)
    (tmp_path / "queue.sync-conflict-20260121-101010-ABC.toml").write_text("not [ toml")
    queue = Queue(tmp_path)
    assert len(queue.entries()) == 2
    assert "could not be read (invalid TOML" in queue.warnings[0]
    assert (tmp_path / "merged-conflicts" / "queue.sync-conflict-20260121-101010-ABC.toml").exists()
