"""The digest watcher's cheap tick: folders are stat'ed, and walked only when one changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_app import APP_FIXTURES

from tui.watch import Watcher


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(APP_FIXTURES, tmp_path / "d")
    return tmp_path / "d"


def counting(watcher: Watcher, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    walks: list[int] = []
    original = watcher.poll

    def poll(specs, max_bytes):  # type: ignore[no-untyped-def]
        walks.append(1)
        return original(specs, max_bytes)

    monkeypatch.setattr(watcher, "poll", poll)
    return walks


def test_a_quiet_folder_is_only_stat_ed(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watcher = Watcher(full_every=1000)
    watcher.prime(folder.iterdir())
    walks = counting(watcher, monkeypatch)
    assert not watcher.tick([folder], 2**20).changed  # the first tick after a load walks once
    for _ in range(20):
        assert not watcher.tick([folder], 2**20).changed
    assert len(walks) == 1


def test_a_file_renamed_into_place_is_seen_at_the_next_tick(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    watcher = Watcher(full_every=1000)
    watcher.prime(folder.iterdir())
    watcher.tick([folder], 2**20)
    walks = counting(watcher, monkeypatch)
    text = (folder / "hf-daily-2026-11-20.txt").read_text().replace("Nov 20", "Nov 21", 1)
    (folder / ".tmp").write_text(text)
    os.replace(folder / ".tmp", folder / "hf-daily-2026-11-21.txt")  # how `fetch` writes
    changes = watcher.tick([folder], 2**20)
    assert [r.digest.path.name for r in changes.changed] == ["hf-daily-2026-11-21.txt"] and len(walks) == 1


def test_an_in_place_edit_is_seen_by_the_periodic_full_poll(folder: Path) -> None:
    watcher = Watcher(full_every=3)
    watcher.prime(folder.iterdir())
    watcher.tick([folder], 2**20)
    target = folder / "hf-daily-2026-11-20.txt"
    stat = folder.stat()
    with target.open("a") as f:
        f.write("\n")
    os.utime(folder, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the folder itself looks untouched
    seen = [bool(watcher.tick([folder], 2**20).changed) for _ in range(3)]
    assert seen == [False, True, False]


def test_a_named_file_and_a_glob_are_watched(folder: Path) -> None:
    watcher = Watcher(full_every=1000)
    named = folder / "hf-daily-2026-11-20.txt"
    specs = [str(named), str(folder / "arxiv-*.txt")]
    watcher.prime([named, folder / "arxiv-cs-2026-11-19.txt"])
    watcher.tick(specs, 2**20)
    (folder / "arxiv-cs-2026-11-22.txt").write_text((folder / "arxiv-cs-2026-11-19.txt").read_text())
    assert [r.digest.path.name for r in watcher.tick(specs, 2**20).changed] == ["arxiv-cs-2026-11-22.txt"]
