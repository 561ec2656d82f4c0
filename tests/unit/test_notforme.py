"""The "not for me" marks: saved at once, read back by a second instance, readable by hand."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tui.rank.notforme import NotForMe


def test_marks_are_saved_at_once_and_read_back(tmp_path: Path) -> None:
    marks = NotForMe(tmp_path)
    assert marks.set("2601.00001", title="Gated [bold]sparse[/] attention") is True
    assert marks.set("2601.00001") is False  # already marked
    assert "2601.00001" in marks and marks.last_error is None
    doc = tomllib.loads((tmp_path / "notforme.toml").read_text())
    assert doc["version"] == 1
    assert doc["not-for-me"] == [{"id": "2601.00001", "title": "Gated [bold]sparse[/] attention", "at": doc["not-for-me"][0]["at"]}]
    again = NotForMe(tmp_path)
    assert again.ids == {"2601.00001"}


def test_toggle_clears_and_a_clear_is_remembered_against_a_stale_peer(tmp_path: Path) -> None:
    a = NotForMe(tmp_path)
    a.set("x", title="X")
    b = NotForMe(tmp_path)  # a second instance that has the mark
    assert a.toggle("x") is False and "x" not in a
    b.set("y", title="Y")  # b saves: it merges with a's file and must not bring x back
    assert NotForMe(tmp_path).ids == {"y"}
    doc = tomllib.loads((tmp_path / "notforme.toml").read_text())
    assert [m["id"] for m in doc["cleared"]] == ["x"] and [m["id"] for m in doc["not-for-me"]] == ["y"]


def test_a_hand_written_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "notforme.toml").write_text(
        'version = 1\n\n[[not-for-me]]\nid = "2601.1"\nat = 2026-01-20T09:00:00Z\n\n'
        '[[not-for-me]]\nid = "2601.2"\ntitle = "T"\nat = 2026-01-21\n',
        encoding="utf-8",
    )
    marks = NotForMe(tmp_path)
    assert marks.ids == {"2601.1", "2601.2"} and not marks.warnings


def test_a_damaged_file_is_kept_aside_and_reported(tmp_path: Path) -> None:
    (tmp_path / "notforme.toml").write_text('version = 1\n[[not-for-me]]\nid = "a"\nat = "yesterday"\n', encoding="utf-8")
    marks = NotForMe(tmp_path)
    assert marks.ids == set()
    assert marks.warnings and "not-for-me" in " ".join(marks.warnings)
    assert list(tmp_path.glob("notforme.toml.corrupt*"))
