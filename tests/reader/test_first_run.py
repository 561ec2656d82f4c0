"""First run and empty states explain themselves: the samples say they are samples, an empty folder
says what papertray reads and where to put it."""

from __future__ import annotations

from pathlib import Path

from tests.reader.conftest import loaded, make_app, notifications, rows, screen_text
from tui.reader.app import SAMPLES


async def test_the_bundled_samples_are_labelled_with_the_command_to_read_your_own(tmp_path: Path) -> None:
    app = make_app(tmp_path, paths=[SAMPLES])
    async with app.run_test(size=(160, 45)) as pilot:
        await loaded(pilot)
        assert app.samples
        assert "bundled samples · papertray ~/digests reads yours" in screen_text(app)
        assert any("sample digests bundled with papertray" in m and "papertray ~/digests" in m
                   for m in notifications(app))


async def test_an_empty_folder_says_what_is_read_and_where_to_put_it(tmp_path: Path) -> None:
    empty = tmp_path / "digests"
    empty.mkdir()
    app = make_app(tmp_path / "data", paths=[empty])
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert not app.samples
        text = " ".join(" ".join(rows(app.reader.papers_pane, 12)).split())  # as drawn, wrapped to the pane
        assert f"Nodigestsfoundin{empty}" in "".join(text.split())  # a long path may wrap anywhere
        assert "Hugging Face Daily Papers pages" in text and "arXiv e-mail digests" in text
        assert "papertray ~/digests" in text
        assert not any("sample" in m for m in notifications(app))


async def test_unreadable_files_point_to_papertray_check(tmp_path: Path) -> None:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "notes.txt").write_text("just some notes, not a digest\n", encoding="utf-8")
    app = make_app(tmp_path / "data", paths=[folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert app.reader.papers_pane.empty_text.startswith("No papers could be read from the 1 file(s)")
        assert "papertray check" in app.reader.papers_pane.empty_text
