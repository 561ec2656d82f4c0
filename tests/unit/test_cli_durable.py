"""The command line acknowledges a change only once it is on disk: failing disks, a busy lock,
parallel writers, and the `mark` command."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from tui import persist
from tui.cli import SAMPLES, main
from tui.model import Digest, Format, Paper
from tui.queue import Queue
from tui.readstate import ReadState

REPO = Path(__file__).resolve().parents[2]
SAMPLE_IDS = subprocess.run(
    [sys.executable, "-m", "tui", "list", str(SAMPLES)], capture_output=True, text=True, cwd=REPO,
    env={**os.environ, "PYTHONPATH": str(REPO)},
).stdout.split("\n")
SAMPLE_IDS = [line.split("\t")[0] for line in SAMPLE_IDS if line]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=timeout)


def big_queue(data: Path, n: int = 2000) -> None:
    digest = Digest(data / "digest.txt", Format.ARXIV_EMAIL, date(2026, 1, 20))
    abstract = "We study how a queue survives parallel writers. " * 20
    Queue(data).add_many(Paper(f"2501.{i:05d}", f"Filler paper {i}", abstract, ("A. Filler",), digests=[digest])
                         for i in range(n))


@pytest.mark.parametrize("where", ["temp-synced", "replaced"])
@pytest.mark.parametrize("errnum, reason", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "the file system is read-only")])
def test_failing_disk_acknowledges_nothing_and_exits_1(tmp_path, capsys, monkeypatch, where, errnum, reason) -> None:
    data = str(tmp_path / "data")
    assert run(capsys, "queue", "add", SAMPLE_IDS[0], "--data-dir", data)[0] == 0
    before = (tmp_path / "data" / "queue.toml").read_bytes()

    def fail(name: str) -> None:
        if name == where:
            raise OSError(errnum, os.strerror(errnum))

    monkeypatch.setattr(persist, "fault_hook", fail)
    code, out, err = run(capsys, "queue", "add", SAMPLE_IDS[1], SAMPLE_IDS[2], "--data-dir", data)
    assert code == 1 and out == ""  # no "queued" line at all
    assert reason in err and "Nothing was changed." in err
    assert "next successful save" not in err  # no promise
    code, out, err = run(capsys, "queue", "done", SAMPLE_IDS[0], "--data-dir", data)
    assert code == 1 and out == "" and reason in err
    if where == "temp-synced":
        assert (tmp_path / "data" / "queue.toml").read_bytes() == before
    monkeypatch.setattr(persist, "fault_hook", None)
    assert [e.id for e in Queue(tmp_path / "data").entries()] == [SAMPLE_IDS[0]] or where == "replaced"


def test_mark_on_a_failing_disk_acknowledges_nothing(tmp_path, capsys, monkeypatch) -> None:
    def fail(name: str) -> None:
        if name == "appended":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persist, "fault_hook", fail)
    code, out, err = run(capsys, "mark", "read", "2601.00001", "--data-dir", str(tmp_path))
    assert code == 1 and out == "" and "the disk is full" in err and "Nothing was marked." in err
    monkeypatch.setattr(persist, "fault_hook", None)
    assert ReadState(tmp_path).read_ids == set()
    assert (tmp_path / "readmarks.log").read_text().count("\n") <= 1  # the cut-short append was undone


def test_busy_lock_is_waited_for_with_a_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    held = threading.Event()

    def hold() -> None:
        with persist.file_lock(data / persist.LOCK_NAME):
            held.set()
            time.sleep(2.5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait()
    t0 = time.monotonic()
    proc = cli("queue", "add", SAMPLE_IDS[0], "--data-dir", str(data))
    t.join()
    assert proc.returncode == 0, proc.stderr
    assert "waiting for another papertray instance" in proc.stderr
    assert proc.stdout.startswith(f"queued {SAMPLE_IDS[0]}")
    assert time.monotonic() - t0 >= 2.0


def test_mark_ids_and_query(tmp_path: Path, capsys) -> None:
    data = str(tmp_path)
    code, out, _ = run(capsys, "mark", "read", "2601.00001", "2601.00002", "--data-dir", data)
    assert code == 0 and out.splitlines() == ["read 2601.00001", "read 2601.00002"]
    code, out, _ = run(capsys, "mark", "read", "--query", "", "--digests", str(SAMPLES), "--data-dir", data)
    assert code == 0 and out.strip() == f"marked {len(SAMPLE_IDS)} papers read"
    assert ReadState(tmp_path).read_ids == set(SAMPLE_IDS) | {"2601.00001", "2601.00002"}
    code, out, _ = run(capsys, "mark", "unread", "--query", "title:lanternfish", "--digests", str(SAMPLES), "--data-dir", data)
    unread = [line.split()[1] for line in out.splitlines()]
    assert code == 0 and SAMPLE_IDS[0] in unread and len(unread) < 5
    assert all(line.startswith("unread ") for line in out.splitlines())
    assert ReadState(tmp_path).read_ids == (set(SAMPLE_IDS) | {"2601.00001", "2601.00002"}) - set(unread)
    code, _out, err = run(capsys, "mark", "read", "--data-dir", data)
    assert code == 2 and "give paper ids or --query" in err


@pytest.mark.slow
def test_four_parallel_add_loops_on_a_2000_entry_queue_lose_nothing(tmp_path: Path) -> None:
    """4 loops of `queue add` processes at once, 5 adds each, on a 2,000-entry queue (~25 s)."""
    data = tmp_path / "data"
    big_queue(data)
    ids = SAMPLE_IDS[:20]
    results: list[subprocess.CompletedProcess[str]] = []
    lock = threading.Lock()

    def loop(mine: list[str]) -> None:
        for pid in mine:
            proc = cli("queue", "add", pid, "--digests", str(SAMPLES), "--data-dir", str(data), timeout=120)
            with lock:
                results.append(proc)

    threads = [threading.Thread(target=loop, args=(ids[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 20
    for proc in results:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("queued "), proc.stdout
    queue = Queue(data)
    assert set(ids) <= {e.id for e in queue.entries()}
    assert len(queue) == 2000 + 20


def test_cli_tells_about_merged_conflict_copies(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data"
    assert run(capsys, "queue", "add", SAMPLE_IDS[0], "--data-dir", str(data))[0] == 0
    other = tmp_path / "other"
    assert run(capsys, "queue", "add", SAMPLE_IDS[1], "--data-dir", str(other))[0] == 0
    assert run(capsys, "mark", "read", "x1", "--data-dir", str(other))[0] == 0
    (other / "queue.toml").rename(data / "queue (conflicted copy 2026-01-21 101010).toml")
    (other / "readmarks.log").rename(data / "readmarks.sync-conflict-20260121-101010-ABCDEFG.log")
    code, out, err = run(capsys, "queue", "--data-dir", str(data))
    assert code == 0 and SAMPLE_IDS[0] in out and SAMPLE_IDS[1] in out
    assert "warning: A sync tool's conflict copy queue (conflicted copy 2026-01-21 101010).toml was merged" in err
    code, out, err = run(capsys, "mark", "read", "x2", "--data-dir", str(data))
    assert code == 0 and "readmarks.sync-conflict-20260121-101010-ABCDEFG.log was merged" in err
    assert ReadState(data).read_ids == {"x1", "x2"}
