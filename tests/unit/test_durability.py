"""Fault injection: a writer killed (SIGKILL) or failing at every step of a save and of a recovery.

`tui.persist.step` names each point of a write; `tests/unit/fault_writer.py` kills itself at the n-th
time it reaches one. After every kill the next start must recover every acknowledged change, and
the newest good version must survive: a good backup is never replaced by a damaged or missing file.
"""

from __future__ import annotations

import errno
import random
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from tui import persist
from tui.model import Paper
from tui.queue import Queue
from tui.readstate import ReadState

WRITER = Path(__file__).resolve().parent / "fault_writer.py"
SAVE_STEPS = ("temp-synced", "backup-kept", "replaced", "dir-synced")
RECOVERY_STEPS = ("copy-kept", "temp-synced", "replaced", "dir-synced")


def paper(pid: str) -> Paper:
    return Paper(pid, f"Title of {pid}", "An invented abstract.", ("Ann Example",))


def file_ids(path: Path) -> set[str]:
    """Ids in a queue file read with plain tomllib (not through our recovery)."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    assert doc["version"] == 2
    return {p["id"] for p in doc.get("paper", [])}


def run_writer(data: Path, step: str, nth: int, mode: str, count: int = 4) -> tuple[int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, str(WRITER), str(data), step, str(nth), mode, str(count)],
        capture_output=True, text=True, timeout=60,
    )
    return proc.returncode, proc.stdout.split(), proc.stderr


def three_saved(data: Path) -> set[str]:
    queue = Queue(data)
    for i in (1, 2, 3):
        queue.add(paper(f"2601.0000{i}"))
    assert file_ids(data / "queue.toml.bak") == {"2601.00001", "2601.00002"}
    return {"2601.00001", "2601.00002", "2601.00003"}


@pytest.mark.parametrize("nth", [1, 3])
@pytest.mark.parametrize("step", SAVE_STEPS)
def test_kill_at_each_step_of_a_save_loses_no_acknowledged_change(tmp_path: Path, step: str, nth: int) -> None:
    before = three_saved(tmp_path)
    code, acked, err = run_writer(tmp_path, step, nth, "queue")
    assert code == -9, err  # it really died at that step
    assert len(acked) == nth - 1  # the add being saved was never acknowledged
    assert before | set(acked) <= file_ids(tmp_path / "queue.toml")
    file_ids(tmp_path / "queue.toml.bak")  # the backup is whole too
    queue = Queue(tmp_path)
    assert queue.warnings == []
    assert before | set(acked) <= {e.id for e in queue.entries()}
    code, more, err = run_writer(tmp_path, "-", 0, "queue", 2)
    assert code == 0, err
    assert before | set(acked) | set(more) <= {e.id for e in Queue(tmp_path).entries()}
    assert not list(tmp_path.glob(".*.tmp"))  # a crash's temp file was swept by the next save


@pytest.mark.parametrize("damage", ["garbage", "missing"])
@pytest.mark.parametrize("step", RECOVERY_STEPS)
def test_kill_at_each_step_of_a_recovery_keeps_the_backup(tmp_path: Path, step: str, damage: str) -> None:
    three_saved(tmp_path)
    live = tmp_path / "queue.toml"
    if damage == "garbage":
        live.write_bytes(b"[[paper]]\nid = \"2601.0")
    else:
        live.unlink()
    code, _out, err = run_writer(tmp_path, step, 1, "open")
    assert code == (-9 if damage == "garbage" or step != "copy-kept" else 0), err
    queue = Queue(tmp_path)  # the next start
    ids = {e.id for e in queue.entries()}
    assert {"2601.00001", "2601.00002"} <= ids  # all of the backup
    if queue.warnings:
        assert "recovered 2 entries from queue.toml.bak" in queue.warnings[0]
    else:
        assert code == 0 or step in ("replaced", "dir-synced")  # the rebuilt file was already in place
    # Two later saves never push the backup's entries out.
    queue.add(paper("2601.00004"))
    queue.add(paper("2601.00005"))
    assert {"2601.00001", "2601.00002", "2601.00004"} <= file_ids(tmp_path / "queue.toml.bak")
    assert {"2601.00001", "2601.00002", "2601.00004", "2601.00005"} <= file_ids(live)
    if damage == "garbage":
        kept = list(tmp_path.glob("queue.toml.corrupt-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == b"[[paper]]\nid = \"2601.0"  # one copy, however many tries


def test_missing_file_at_start_is_recovered_from_backup_and_said(tmp_path: Path) -> None:
    three_saved(tmp_path)
    (tmp_path / "queue.toml").unlink()
    queue = Queue(tmp_path)
    assert queue.warnings[0] == (
        f"The reading queue file {tmp_path / 'queue.toml'} is missing; recovered 2 entries from queue.toml.bak."
    )
    assert file_ids(tmp_path / "queue.toml") == {"2601.00001", "2601.00002"}


@pytest.mark.parametrize("step", SAVE_STEPS)
def test_a_failure_at_each_step_keeps_the_change_and_both_files(tmp_path: Path, step: str, monkeypatch) -> None:
    before = three_saved(tmp_path)
    queue = Queue(tmp_path)

    def fail(name: str) -> None:
        if name == step:
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(persist, "fault_hook", fail)
    queue.add(paper("2601.00004"))
    assert queue.dirty and "Input/output error" in queue.last_error
    assert before <= file_ids(tmp_path / "queue.toml")
    assert {"2601.00001", "2601.00002"} <= file_ids(tmp_path / "queue.toml.bak")
    monkeypatch.setattr(persist, "fault_hook", None)
    assert queue.save() and not queue.dirty
    assert file_ids(tmp_path / "queue.toml") == before | {"2601.00004"}


@pytest.mark.parametrize("nth", [1, 2])
@pytest.mark.parametrize("step", ["appended", "synced"])
def test_kill_at_each_step_of_a_read_mark(tmp_path: Path, step: str, nth: int) -> None:
    code, acked, err = run_writer(tmp_path, "-", 0, "marks", 3)
    assert code == 0, err
    code, more, err = run_writer(tmp_path, step, nth, "marks", 3)
    assert code == -9 and len(more) == nth - 1, err
    state = ReadState(tmp_path, background=False)
    assert state.warnings == []
    assert set(acked) | set(more) <= state.read_ids
    state.set_read("after")
    assert state.flush()
    assert set(acked) | set(more) | {"after"} <= ReadState(tmp_path).read_ids


@pytest.mark.slow
def test_random_kills_during_recovery_never_lose_the_backup(tmp_path: Path) -> None:
    """40 starts on a damaged or missing file, each killed at a random moment (bounded: ~10 s)."""
    rng = random.Random(20261130)
    three_saved(tmp_path)
    live = tmp_path / "queue.toml"
    kills = 0
    # Kill within the time a whole start takes here (measured, so a fast or slow machine kills as often).
    began = time.monotonic()
    subprocess.run([sys.executable, str(WRITER), str(tmp_path), "-", "0", "open"], capture_output=True, check=True)
    whole = time.monotonic() - began
    for trial in range(40):
        if rng.random() < 0.5:
            live.write_bytes(b"version = 2\n[[paper]]\nid = ")
        elif live.exists():
            live.unlink()
        proc = subprocess.Popen([sys.executable, str(WRITER), str(tmp_path), "-", "0", "open"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.2, 0.95) * whole)
        proc.kill()
        _out, err = proc.communicate()
        kills += proc.returncode == -9
        queue = Queue(tmp_path)
        assert {"2601.00001", "2601.00002"} <= {e.id for e in queue.entries()}, (trial, queue.warnings, err)
        assert {"2601.00001", "2601.00002"} <= file_ids(tmp_path / "queue.toml.bak")
    print(f"40 trials, {kills} killed before the start finished")
    assert kills >= 8
