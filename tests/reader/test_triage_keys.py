"""Triage keys, pressed as a daily reader would: n/p/N, X and u, a that keeps notes, links, Q."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.reader.conftest import (
    ALL_TITLES,
    loaded,
    make_app,
    notifications,
    on_disk,
    rows,
    screen_text,
    settle,
    titles,
    wait_for,
)
from tui.config import UIConfig
from tui.queue import Queue
from tui.readstate import ReadState

NOV20, NOV19 = date(2026, 11, 20), date(2026, 11, 19)


def current_title(app) -> str | None:
    paper = app.reader.papers_pane.current
    return paper.title if paper else None


def read_titles(app, data: Path | None = None) -> set[str]:
    """Titles marked read: in the app's memory, or (given the data folder) on disk."""
    state = ReadState(data) if data is not None else app.state
    return {p.title for p in app.reader.store.papers.values() if state.is_read(p.id)}


async def test_n_p_N_walk_the_unread_across_days_and_X_marks_the_day_undoably(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("left_square_bracket")  # the newest day
        await settle(pilot)
        assert app.reader.days_pane.current == NOV20 and titles(app) == ALL_TITLES[:4]
        await pilot.press("x", "n")  # the first paper read: n goes to the next unread
        assert current_title(app) == ALL_TITLES[1]

        await pilot.press("X")  # the whole day read, in one go
        assert read_titles(app) == set(ALL_TITLES[:4])
        await on_disk(pilot)
        assert read_titles(app, tmp_path) == set(ALL_TITLES[:4])
        assert "Marked 3 papers read — u undoes." in notifications(app)
        assert rows(app.reader.days_pane, 2)[1].split()[-1] == "4"  # no unread count left on that day

        await pilot.press("n")  # nothing unread left today: on to the next day, at its first unread
        await settle(pilot)
        assert app.reader.days_pane.current == NOV19 and current_title(app) == ALL_TITLES[4]
        await pilot.press("p")  # nothing unread above, today or the day before
        await settle(pilot)
        assert app.reader.days_pane.current == NOV19 and "No more unread papers above." in notifications(app)

        await pilot.press("u")  # X undone: exactly the three it marked
        await settle(pilot)
        assert read_titles(app) == {ALL_TITLES[0]}
        assert not any("u undoes" in m for m in notifications(app))  # the toast went with the undo
        await pilot.press("p")  # now the day before has unread papers: its last one
        await settle(pilot)
        assert app.reader.days_pane.current == NOV20 and current_title(app) == ALL_TITLES[3]

        await pilot.press("N")  # next day down with unread papers
        await settle(pilot)
        assert app.reader.days_pane.current == NOV19 and current_title(app) == ALL_TITLES[4]
        await pilot.press("u", "u", "u")  # the x toggle, then nothing left
        await settle(pilot)
        assert read_titles(app) == set()
        await on_disk(pilot)
        assert read_titles(app, tmp_path) == set()
        assert "Nothing to undo." in notifications(app)


async def test_X_marks_only_the_filtered_set(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"orchard", "enter")
        await settle(pilot)
        assert sorted(titles(app)) == sorted([ALL_TITLES[0], ALL_TITLES[5]])
        await pilot.press("X")
        assert read_titles(app) == {ALL_TITLES[0], ALL_TITLES[5]}


async def test_a_on_a_queued_paper_keeps_its_note_for_a_again_and_for_u(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a", "Q", "t", *"fig 3", "enter", "escape")
        assert app.focused is app.reader.papers_pane
        paper_id = app.reader.papers_pane.current.id
        added = Queue(tmp_path).get(paper_id).added
        await pilot.press("a")  # off the queue...
        assert Queue(tmp_path).get(paper_id) is None
        await pilot.press("a")  # ...and back: the same entry, note and history
        entry = Queue(tmp_path).get(paper_id)
        assert entry is not None and entry.note == "fig 3" and entry.added == added
        await pilot.press("a", "u")  # u brings it back too
        entry = Queue(tmp_path).get(paper_id)
        assert entry is not None and entry.note == "fig 3" and entry.added == added
        assert not any("u brings it back" in m for m in notifications(app))


async def test_enter_with_the_abstract_hidden_shows_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("w", "w")
        assert not app.reader.abstract_pane.display
        await pilot.press("enter")
        assert app.reader.abstract_pane.display and app.focused is app.reader.abstract_pane
        assert app.reader.abstract_pane.region.width > 0


async def test_links_pdf_and_copy_from_the_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app(tmp_path)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_in_browser", opened.append)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert app.focused is app.reader.papers_pane
        await pilot.press("y", "P", "1")  # the first paper has no link at all
        assert copied == [] and opened == []
        assert "This paper has no link to copy." in notifications(app)
        assert "No PDF link for this paper." in notifications(app)
        assert "This paper has no link 1." in notifications(app)
        await pilot.press("j", "j", "j", "j")  # Quantised Kettles: arXiv and PDF links
        await pilot.press("1", "2", "P", "y")
        assert opened == ["https://arxiv.org/abs/2611.10001", "https://arxiv.org/pdf/2611.10001",
                          "https://arxiv.org/pdf/2611.10001"]
        assert copied == ["https://arxiv.org/abs/2611.10001"]


async def test_the_first_paper_is_marked_read_once_the_user_starts(tmp_path: Path) -> None:
    app = make_app(tmp_path, ui=UIConfig(mark_read_delay=0.2))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.pause(0.4)
        assert read_titles(app) == set()  # not at launch
        await pilot.press("z")  # any key: the user is here
        await wait_for(pilot, lambda: read_titles(app) == {ALL_TITLES[0]}, what="the first paper read")


async def test_help_and_quit_stay_in_the_footer_at_80_columns(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer and "q Quit" in footer


async def test_Q_goes_to_the_queue_and_shows_it_full_size(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("a", "Q")
        assert app.focused is app.reader.queue_pane and not app.reader.queue_full
        await pilot.press("t", *"read later", "enter", "Q")
        assert app.reader.queue_full and app.reader.papers_pane.region.width == 0
        assert app.reader.queue_pane.region.width > 100
        row = rows(app.reader.queue_pane, 1)[0]
        today = Queue(tmp_path).entries()[0].added.astimezone().strftime("%Y-%m-%d")
        assert row.startswith(f"+ to-read  {today}  {today}  {ALL_TITLES[0]}") and row.endswith("— read later")
        await pilot.press("escape")
        assert not app.reader.queue_full and app.focused is app.reader.papers_pane
        assert app.reader.papers_pane.region.width > 0


async def test_palette_screenshot_without_a_downloads_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.reader.app as app_module

    monkeypatch.setattr(app_module, "user_downloads_path", lambda: tmp_path / "no-such-folder")
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p", *"screenshot")  # the palette's own Screenshot command
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: list(tmp_path.glob("*.svg")), what="the screenshot file")
        assert not (tmp_path / "no-such-folder").exists()
