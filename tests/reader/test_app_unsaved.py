"""The reader never drops a change silently: a failing save is shown and retried, quitting with
unsaved changes asks (retry, save the queue elsewhere, discard), a file damaged while the reader
runs is reported when it is found. Keys pressed as a user would; results read back from disk."""

from __future__ import annotations

import errno
import os
import time
import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.reader.conftest import ALL_TITLES, SIZE, loaded, make_app, notifications, status, wait_for
from tui import persist
from tui.model import Paper
from tui.queue import Queue
from tui.reader.screens.unsaved import UnsavedScreen


@pytest.fixture
def full_disk(monkeypatch):
    """Every queue save fails as on a full disk until the test calls the returned `fix()`."""

    def fail(name: str) -> None:
        if name == "temp-synced":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(persist, "fault_hook", fail)
    return lambda: monkeypatch.setattr(persist, "fault_hook", None)


async def test_failing_save_is_shown_and_retried_until_it_works(tmp_path: Path, full_disk) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert any("the disk is full" in m for m in notifications(app))
        assert "NOT SAVED" in status(app)
        assert Queue(tmp_path).entries() == []
        full_disk()  # space freed: the background retry (every 2 s) writes it
        await wait_for(pilot, lambda: "NOT SAVED" not in status(app), timeout=6, what="the retry")
        assert [e.title for e in Queue(tmp_path).entries()] == [ALL_TITLES[0]]


async def test_quit_with_unsaved_changes_asks_and_discard_quits(tmp_path: Path, full_disk) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "q")
        assert isinstance(app.screen, UnsavedScreen) and app.is_running
        assert "the disk is full" in str(app.screen.query_one("#unsaved-reason").render())
        await pilot.press("escape")  # back to reading: nothing lost
        assert not isinstance(app.screen, UnsavedScreen) and app.queue.dirty
        await pilot.press("q")
        assert isinstance(app.screen, UnsavedScreen), app.screen
        await pilot.press("d")
        await pilot.pause()
        assert not app.is_running
    assert Queue(tmp_path).entries() == []  # discarded, as chosen


async def test_quit_retry_saves_once_the_disk_works(tmp_path: Path, full_disk) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "q", "r")
        assert isinstance(app.screen, UnsavedScreen)  # still failing: asked again
        full_disk()
        await pilot.press("r")
        await pilot.pause()
        assert not app.is_running
    assert [e.title for e in Queue(tmp_path).entries()] == [ALL_TITLES[0]]


async def test_quit_can_save_the_queue_elsewhere(tmp_path: Path, full_disk) -> None:
    rescue = tmp_path / "rescue" / "queue-rescue.toml"
    rescue.parent.mkdir()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "q", "e")
        full_disk()  # the data folder stays broken in spirit; the rescue path is elsewhere
        box = app.screen.query_one("#unsaved-path", Input)
        box.value = str(rescue)
        await pilot.press("enter")
        await pilot.pause()
        assert not app.is_running
    doc = tomllib.loads(rescue.read_text())
    assert doc["version"] == 2 and [p["title"] for p in doc["paper"]] == [ALL_TITLES[0]]
    assert not (tmp_path / "data" / "queue.toml").exists()


async def test_file_damaged_while_running_is_reported_when_found(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        live = tmp_path / "queue.toml"
        live.write_text("[[paper]]\nid = ")
        old = time.time() - 5
        os.utime(live, (old, old))  # settled: not an editor mid-write
        await wait_for(pilot, lambda: any("could not be read" in m for m in notifications(app)), timeout=6,
                       what="the damage report")
        assert [e.title for e in Queue(tmp_path).entries()] == [ALL_TITLES[0]]  # rewritten from memory
        assert len(list(tmp_path.glob("queue.toml.corrupt-*"))) == 1


async def test_conflict_copy_from_another_machine_is_merged_and_reported(tmp_path: Path) -> None:
    other = tmp_path / "other"
    Queue(other).add(_paper("2611.99999"))
    (tmp_path / "data").mkdir()
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        (other / "queue.toml").rename(tmp_path / "data" / "queue.sync-conflict-20261130-101010-ABCDEFG.toml")
        await wait_for(pilot, lambda: any("conflict copy" in m for m in notifications(app)), timeout=6,
                       what="the conflict-copy notice")
        assert app.queue.contains("2611.99999") and "queue: 1" in status(app)
        assert (tmp_path / "data" / "merged-conflicts").is_dir()


def _paper(pid: str) -> Paper:
    return Paper(pid, "From the other machine", "An abstract.", ("A. Person",))
