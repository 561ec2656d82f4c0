"""Session memory, saved searches and the filter history, pressed as a user would, across restarts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.reader.conftest import ALL_TITLES, APP_FIXTURES, loaded, make_app, notifications, rows, settle, titles
from tui.config import Config, UIConfig
from tui.reader.app import PapertrayApp

NOV19 = date(2026, 11, 19)


def current_title(app: PapertrayApp) -> str | None:
    paper = app.reader.papers_pane.current
    return paper.title if paper else None


async def test_day_sort_hide_read_theme_width_and_paper_come_back(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")  # Thu Nov 19
        await settle(pilot)
        await pilot.press("j", "s", "w")  # second paper; sort by date; wide abstract
        await settle(pilot)
        app.theme = "gruvbox"  # as the palette's theme picker does
        paper = current_title(app)
        await pilot.press("q")
    again = make_app(tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        reader = again.reader
        assert reader.days_pane.current == NOV19 and reader.view.sort == "date"
        assert reader.abstract_width == "wide" and again.theme == "gruvbox"
        assert current_title(again) == paper
        await pilot.press("h", "q")
    third = make_app(tmp_path)
    async with third.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert third.reader.view.hide_read


async def test_the_config_wins_when_it_changed_since(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("s", "q")  # sort: date, remembered
    edited = make_app(tmp_path, ui=UIConfig(mark_read_delay=0, sort="title"))
    async with edited.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert edited.reader.view.sort == "title"


async def test_a_broken_session_file_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "session.toml").write_text("day = [oops\n", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        assert titles(app) == ALL_TITLES
        assert any("session.toml: ignored" in m for m in notifications(app))


async def test_saving_a_search_shows_a_counted_row_that_follows_read_marks(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("S")
        assert "Type a filter first" in notifications(app)[-1]
        await pilot.press("slash", *"orchard", "enter", "S", *"fruit", "enter")
        await settle(pilot)
        days = app.reader.days_pane
        assert days.searches == ["fruit"] and "Saved search: fruit = orchard" in notifications(app)
        assert rows(days, 2)[1].split() == ["/", "fruit", "2", "2●"]
        assert days.border_subtitle == "papers  unread●"
        await pilot.press("x")  # a read mark: the row's count follows at once
        assert rows(days, 2)[1].split() == ["/", "fruit", "2", "1●"]

        await pilot.press("escape")  # the filter goes; the search row stays
        await settle(pilot)
        assert titles(app) == ALL_TITLES
        await pilot.press("shift+tab", "j")  # to the days pane, onto the search's row
        await settle(pilot)
        assert app.reader.filter_bar.value == "orchard" and len(titles(app)) == 2
        await pilot.press("j")  # on to a day: the search's filter goes
        await settle(pilot)
        assert app.reader.filter_bar.value == "" and len(titles(app)) == 4
        await pilot.press("k", "q")
    again = make_app(tmp_path)  # the search row, and the cursor on it, come back
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await settle(pilot)
        days = again.reader.days_pane
        assert days.searches == ["fruit"] and days.current_search == "fruit"
        assert again.reader.filter_bar.value == "orchard"
        await pilot.press("shift+tab")
        assert again.focused is days, again.focused
        await pilot.press("d")  # delete it; u brings it back
        assert days.searches == []
        await pilot.press("u")
        assert days.searches == ["fruit"]


async def test_config_searches_and_the_filter_history(tmp_path: Path) -> None:
    cfg = Config(ui=UIConfig(mark_read_delay=0), searches=(("kettles", "kettle"),))
    app = PapertrayApp([APP_FIXTURES], config=cfg, data_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await settle(pilot)
        assert rows(app.reader.days_pane, 2)[1].split() == ["/", "kettles", "1", "1●"]
        await pilot.press("slash", *"bees", "enter", "escape", "slash", *"robots", "enter", "q")
    again = PapertrayApp([APP_FIXTURES], config=cfg, data_dir=tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", "up")
        assert again.reader.filter_bar.value == "robots"
        await pilot.press("up")
        assert again.reader.filter_bar.value == "bees"
        await pilot.press("down", "down")
        assert again.reader.filter_bar.value == ""
        await pilot.press("down")  # past the newest: back to the list, as before
        assert again.focused is again.reader.papers_pane


async def test_metadata_filters_in_the_reader_and_as_a_saved_search(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"cat:cs.LG", "enter")
        await settle(pilot)
        assert sorted(titles(app)) == sorted([ALL_TITLES[5], ALL_TITLES[6]])
        await pilot.press("escape", "slash", *"upvotes:>10", "enter", "S", *"popular", "enter")
        await settle(pilot)
        assert sorted(titles(app)) == sorted(ALL_TITLES[:2])
        assert rows(app.reader.days_pane, 2)[1].split() == ["/", "popular", "2", "2●"]
