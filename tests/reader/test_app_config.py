"""Config settings the reader honours, and digest folders watched while it runs."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.reader.conftest import (
    ALL_TITLES,
    APP_FIXTURES,
    SIZE,
    loaded,
    make_app,
    notifications,
    settle,
    wait_for,
)
from tui.config import DigestsConfig, KeysConfig, UIConfig
from tui.watch import Watcher


def titles(app) -> list[str]:
    return [p.title for p in app.reader.papers_pane.papers]


async def test_ui_settings_from_config(tmp_path: Path) -> None:
    ui = UIConfig(theme="gruvbox", sort="title", hide_read=True, show_abstract=False, mark_read_delay=0)
    app = make_app(tmp_path, ui=ui)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.theme == "gruvbox"
        assert titles(app) == sorted(ALL_TITLES, key=str.casefold)
        assert app.reader.hide_read and not app.reader.abstract_pane.display
        await pilot.press("x")  # read papers are hidden: the list loses it at once
        await settle(pilot)
        assert len(titles(app)) == len(ALL_TITLES) - 1


async def test_unknown_theme_warns_and_keeps_running(tmp_path: Path) -> None:
    app = make_app(tmp_path, ui=UIConfig(theme="no-such-theme", mark_read_delay=0))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        assert any("Unknown theme 'no-such-theme'" in n for n in notifications(app))
        assert app.theme != "no-such-theme"


async def test_watched_folder_picks_up_new_changed_and_deleted_files(tmp_path: Path) -> None:
    folder = tmp_path / "digests"
    shutil.copytree(APP_FIXTURES, folder)
    app = make_app(tmp_path / "data", paths=[folder], digests=DigestsConfig(watch=True, watch_interval=0.5))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j")
        current = app.reader.papers_pane.current.id
        # A new digest appears: its papers join, and the cursor stays on the same paper.
        new = (folder / "hf-daily-2026-11-20.txt").read_text().replace("Nov 20", "Nov 21", 1)
        new = new.replace("Orchard Attention", "Brand New Attention")
        (folder / "hf-daily-2026-11-21.txt").write_text(new)
        await wait_for(pilot, lambda: any("Brand New Attention" in t for t in titles(app)), timeout=10, what="the new digest")
        await settle(pilot)
        assert app.reader.papers_pane.current.id == current
        assert any("Digests updated" in n and "hf-daily-2026-11-21.txt" in n for n in notifications(app))
        assert app.reader.days_pane.days[0].date.isoformat() == "2026-11-21"
        # A deleted digest's papers leave (those also in another digest stay).
        (folder / "arxiv-cs-2026-11-19.txt").unlink()
        await wait_for(pilot, lambda: len(app.reader.days_pane.days) == 3, timeout=10, what="the deleted digest to go")


def test_watcher_reports_only_changes(tmp_path: Path) -> None:
    shutil.copytree(APP_FIXTURES, tmp_path / "d")
    watcher = Watcher()
    files = sorted((tmp_path / "d").iterdir())
    watcher.prime(files)
    assert not watcher.poll([tmp_path / "d"], 2**20).changed
    files[0].write_text(files[0].read_text() + "\n")
    changes = watcher.poll([tmp_path / "d"], 2**20)
    assert [r.digest.path for r in changes.changed] == [files[0]] and not changes.removed
    files[1].unlink()
    assert watcher.poll([tmp_path / "d"], 2**20).removed == [files[1].absolute()]


async def test_nothing_is_marked_read_at_launch_or_while_typing_a_filter(tmp_path: Path) -> None:
    # The delay leaves room between two key presses on a loaded machine (`enter` then `j` below):
    # the rule itself is unit-tested in tests/unit/test_listing.py.
    app = make_app(tmp_path, ui=UIConfig(mark_read_delay=0.6))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.pause(0.8)
        assert not app.state.read_ids  # the first paper is shown, not read
        await pilot.press("slash", *"orchard")
        await pilot.pause(0.8)
        assert not app.state.read_ids  # results under the cursor while typing are not read either
        await pilot.press("enter", "j")
        # Pilot may take longer than the delay between the two keys, so the first result can be
        # read too; the paper the user rests on must be.
        current = app.reader.papers_pane.current.id
        await wait_for(pilot, lambda: current in app.state.read_ids, what="the rested-on paper to be read")
        assert app.state.read_ids <= {current, app.reader.papers_pane.papers[0].id}


async def test_hiding_read_moves_to_the_next_paper_still_listed(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "x", "j", "x", "k")  # rows 2 and 3 read; cursor back on row 2
        assert titles(app)[2] == ALL_TITLES[2] and app.reader.papers_pane.cursor == 2
        await pilot.press("h")  # hide read: rows 2 and 3 go; the next unread is row 4
        await settle(pilot)
        assert app.reader.papers_pane.current.title == ALL_TITLES[4]


async def test_new_results_start_at_the_best_match_unless_the_user_chose_a_paper(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"orchard")  # cursor never moved: start at the best match
        await settle(pilot)
        assert app.reader.papers_pane.cursor == 0
        await pilot.press("escape", "G")  # the user goes to the last paper, then filters
        last = app.reader.papers_pane.current.id
        await pilot.press("slash", *"a")
        await settle(pilot)
        assert app.reader.papers_pane.current.id == last  # a chosen paper stays under the cursor


async def test_list_and_queue_keys_are_rebound_by_id(tmp_path: Path) -> None:
    """Widget keys come from tui/keys.py too: `[keys] down` moves every list, `queue_remove` the queue."""
    app = make_app(tmp_path, keys=KeysConfig(down="m,down", queue_remove="z"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        papers = app.reader.papers_pane
        await pilot.press("j")
        assert papers.cursor == 0  # j no longer moves
        await pilot.press("m", "down")
        assert papers.cursor == 2
        await pilot.press("a", "Q")  # queue it, then to the queue pane
        assert app.focused is app.reader.queue_pane and app.reader.queue_pane.row_count == 1
        await pilot.press("d")
        assert app.reader.queue_pane.row_count == 1  # d no longer removes
        await pilot.press("z")
        assert app.reader.queue_pane.row_count == 0 and not app.queue.entries()
