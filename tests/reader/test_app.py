"""Behaviour tests of the reader: press the keys a user would, check the screen and the files.

The fixtures in `tests/fixtures/app/` are three small invented digests (two Hugging Face pages saved
as text, one arXiv e-mail), nine papers over three days:

    Fri Nov 20 (hf-text)  Orchard Attention, Sleepy Gradients, Cartographers, Teaching Robots
    Thu Nov 19 (arXiv)    Quantised Kettles, Orchard Networks, A Note on Lazy Evaluation
    Wed Nov 18 (hf-text)  Whispering Tables, Bees Versus Transformers

Every test gets its own data folder (`tmp_path`), so queue and read marks start empty. Each Pilot
keypress waits for the app to go idle (~0.1 s), so tests walk through several behaviours per
app session rather than starting a new app for each one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.reader.conftest import (
    ALL_TITLES,
    APP_FIXTURES,
    NOV18,
    NOV19,
    NOV20,
    SIZE,
    abstract_text,
    help_rows,
    loaded,
    make_app,
    notifications,
    on_disk,
    paste_filter,
    rows,
    screen_text,
    settle,
    status,
    titles,
    type_filter,
    wait_for,
)
from tui.config import BrowserConfig, KeysConfig, UIConfig
from tui.queue import Queue
from tui.reader.commands import PaperCommands
from tui.reader.screens.help import HelpScreen
from tui.reader.widgets.days import day_label
from tui.readstate import ReadState

# -- loading, days --------------------------------------------------------------------------------


async def test_days_pane_and_choosing_a_day(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        days = app.reader.days_pane
        assert days.row_count == 4
        assert [d.date for d in days.days] == [NOV20, NOV19, NOV18]
        shown = rows(days, 5)
        assert shown[0].split() == ["All", "days", "9", "9●"]
        for y, (day, count) in enumerate([(NOV20, 4), (NOV19, 3), (NOV18, 2)], start=1):
            assert shown[y].startswith(day_label(day))
            assert shown[y].split()[-2:] == [str(count), f"{count}●"]
        assert shown[4] == ""
        assert titles(app) == ALL_TITLES and app.reader.papers_pane.row_count == 9
        assert "9 of 9 papers" in status(app) and "all days" in status(app)
        assert len(app.library.index_ready.ids) == 9  # the search index was built in the background

        # Tab walks the panes in the README's order: days, papers, abstract, queue (and round).
        assert app.focused is app.reader.papers_pane
        focus = []
        for _ in range(4):
            await pilot.press("tab")
            focus.append(app.focused)
        assert focus == [app.reader.abstract_pane, app.reader.queue_pane, app.reader.days_pane, app.reader.papers_pane]
        await pilot.press("shift+tab")
        assert app.focused is app.reader.days_pane

        await pilot.press("j")  # moving the cursor alone already shows the day
        await settle(pilot)
        assert app.reader.days_pane.current == NOV20
        assert titles(app) == ALL_TITLES[:4]
        assert "4 of 9 papers" in status(app) and day_label(NOV20) in status(app)
        await pilot.press("j")
        await settle(pilot)
        assert titles(app) == ALL_TITLES[4:7]
        assert rows(app.reader.papers_pane, 4)[3] == ""
        await pilot.press("g", "enter")  # Enter on a day hands the focus to its papers
        await settle(pilot)
        assert app.focused is app.reader.papers_pane
        assert titles(app) == ALL_TITLES
        await pilot.press("shift+tab", "G", "enter")
        await settle(pilot)
        assert app.focused is app.reader.papers_pane and titles(app) == ALL_TITLES[7:]
        current = app.reader.papers_pane.current.title
        assert current in ALL_TITLES[7:] and abstract_text(app).startswith(current)

        # [ and ] step days from the papers pane.
        seen = []
        for key in ["right_square_bracket"] * 4 + ["left_square_bracket"] * 4:
            await pilot.press(key)
            await settle(pilot)
            seen.append((app.reader.days_pane.current, app.reader.papers_pane.row_count))
        assert app.focused is app.reader.papers_pane
        assert seen == [
            (NOV19, 3), (NOV20, 4), ("all", 9), ("all", 9),  # `]` comes forward to "All days" and stops
            (NOV20, 4), (NOV19, 3), (NOV18, 2), (NOV18, 2),  # `[` goes back in time and stops at the oldest
        ]


async def test_failed_and_missing_files_still_load_the_rest(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("this is not a digest of any kind\n")
    app = make_app(tmp_path / "data", paths=[APP_FIXTURES / "arxiv-cs-2026-11-19.txt", bad])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert titles(app) == ALL_TITLES[4:7]
        assert "3 of 3 papers" in status(app)
        assert any("1 file(s) could not be read: notes.txt" in m for m in notifications(app))


# -- moving ------------------------------------------------------------------------------------------


async def test_cursor_and_page_keys_move_and_the_abstract_follows(tmp_path: Path) -> None:
    # 12 lines leave the papers pane 8 rows (a page of 7) for 9 papers.
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 12)) as pilot:
        await loaded(pilot)
        papers = app.reader.papers_pane
        assert papers.scrollable_content_region.height == 8
        steps = [
            ("j", 1), ("down", 2), ("k", 1), ("up", 0), ("up", 0), ("G", 8), ("j", 8), ("g", 0),
            ("end", 8), ("home", 0), ("pagedown", 7), ("pagedown", 8), ("pageup", 1), ("pageup", 0),
        ]
        for key, cursor in steps:
            await pilot.press(key)
            assert papers.cursor == cursor, key
            assert papers.current.title == ALL_TITLES[cursor]
            assert abstract_text(app).startswith(ALL_TITLES[cursor]), key
        await pilot.press("G")
        body = abstract_text(app)
        assert "We count flowering plants from drone images" in body
        assert "Authors 6 authors" in body and "Upvotes 2" in body
        # the last row was scrolled into view, drawn with the cursor
        assert rows(papers, 8)[-1].startswith("●   Bees Versus")


async def test_clicking_a_row_selects_it_and_a_double_click_reads_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        papers = app.reader.papers_pane
        top = papers.content_region.y - papers.region.y  # the border
        await pilot.click("#papers", offset=(6, top + 2))
        assert papers.cursor == 2 and papers.current.title == ALL_TITLES[2]
        await pilot.click("#papers", offset=(6, top + 2), times=2)
        assert app.focused is app.reader.abstract_pane and abstract_text(app).startswith(ALL_TITLES[2])


# -- filter -----------------------------------------------------------------------------------------------


async def test_filter_narrows_as_you_type_and_escape_restores(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "j")
        assert app.reader.papers_pane.current.title == ALL_TITLES[5]
        assert app.reader.filter_bar.display is False
        await pilot.press("slash")
        assert app.reader.filter_bar.display is True and app.focused is app.reader.filter_bar
        await pilot.press(*"orch")
        await settle(pilot)
        assert titles(app) == [ALL_TITLES[0], ALL_TITLES[5]]
        assert "2 of 9 papers" in status(app) and "filter: orch" in status(app)
        assert rows(app.reader.papers_pane, 3)[2] == ""
        # the cursor stayed on its paper, now on row 1
        assert app.reader.papers_pane.cursor == 1 and app.reader.papers_pane.current.title == ALL_TITLES[5]
        await pilot.press(*"ard graph")  # every word must match
        await settle(pilot)
        assert titles(app) == [ALL_TITLES[5]]
        assert "1 of 9 papers" in status(app) and "filter: orchard graph" in status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.reader.filter_bar.value == "" and app.reader.filter_bar.display is False
        assert app.focused is app.reader.papers_pane
        assert titles(app) == ALL_TITLES
        assert "9 of 9 papers" in status(app) and "filter:" not in status(app)
        assert app.reader.papers_pane.cursor == 5 and app.reader.papers_pane.current.title == ALL_TITLES[5]

        # Enter keeps the filter and returns to the list; Esc from the list clears it.
        await paste_filter(pilot, "orchard")
        await pilot.press("enter")
        assert app.focused is app.reader.papers_pane and app.reader.filter_bar.display is True
        await pilot.press("k")
        assert app.reader.papers_pane.current.title == ALL_TITLES[0]
        assert titles(app) == [ALL_TITLES[0], ALL_TITLES[5]]
        await pilot.press("q")  # back in the list, q quits again
        assert not app.is_running
    assert app.return_code == 0


async def test_escape_from_the_list_clears_a_kept_filter(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await type_filter(pilot, "quantised")  # q is typed, not a quit
        assert app.is_running and app.reader.filter_bar.value == "quantised"
        assert titles(app) == [ALL_TITLES[4]]
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert titles(app) == ALL_TITLES and app.reader.filter_bar.display is False
        assert app.reader.papers_pane.current.title == ALL_TITLES[4]


FILTER_CASES = [
    ('"fold laundry"', [3]),  # a phrase matches exactly...
    ('"laundry fold"', []),  # ...and only in that order
    ("gardener", [0]),  # a word only in an abstract matches anywhere...
    ("title:gardener", []),  # ...but not with title:
    ("title:orchard", [0, 5]),
    ("by:dahl", [6]),
    ("sleepy", [1]),
    ("sleepx", [1]),  # a typo in a title word still finds it
    ("zzzqqq", []),
]


async def test_filter_syntax(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        for query, expected in FILTER_CASES:
            await paste_filter(pilot, query)
            assert titles(app) == [ALL_TITLES[i] for i in expected], query
            assert f"{len(expected)} of 9 papers" in status(app), query
            if not expected:
                assert rows(app.reader.papers_pane, 1) == ["No papers match."]
                assert abstract_text(app) == "No paper selected."
        await pilot.press("escape")
        await settle(pilot)
        assert titles(app) == ALL_TITLES


async def test_filter_flags_and_day_scope(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("x", "j", "j", "x", "a", "j", "a")  # read 0 and 2; queue 2 and 3
        cases = [
            ("is:unread", [1, 3, 4, 5, 6, 7, 8]),
            ("is:queued", [2, 3]),
            ("is:queued is:unread", [3]),
            ("is:read", [0, 2]),
            ("orchard is:unread", [5]),
            ("-is:queued", [0, 1, 4, 5, 6, 7, 8]),
            ("-is:read -is:queued", [1, 4, 5, 6, 7, 8]),
            ("-", list(range(9))),
        ]
        for query, expected in cases:
            await paste_filter(pilot, query)
            assert titles(app) == [ALL_TITLES[i] for i in expected], query
            assert app.reader.filter_bar.border_subtitle is None
        # An unknown flag or an empty prefix is an error in the bar, not a search for the text.
        await paste_filter(pilot, "is:starred")
        assert "unknown is:starred" in (app.reader.filter_bar.border_subtitle or "")
        assert app.reader.filter_bar.has_class("-query-error") and titles(app) == ALL_TITLES
        await paste_filter(pilot, "title:")
        assert "title: needs a word" in (app.reader.filter_bar.border_subtitle or "")
        await paste_filter(pilot, "orchard")
        assert app.reader.filter_bar.border_subtitle is None and not app.reader.filter_bar.has_class("-query-error")
        await pilot.press("escape")
        # On a day, the filter searches only that day.
        await pilot.press("left_square_bracket", "left_square_bracket")  # Nov 19
        await settle(pilot)
        await paste_filter(pilot, "orchard")
        assert titles(app) == [ALL_TITLES[5]]
        assert "1 of 9 papers" in status(app) and day_label(NOV19) in status(app)


# -- sort, read marks --------------------------------------------------------------------------------------


async def test_s_cycles_the_sort_order_and_keeps_the_cursor(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "j", "j", "j")  # Orchard Networks
        orders = {
            # newest publication first; ties keep the digest order
            "date": [3, 0, 1, 5, 6, 2, 4, 7, 8],
            # most upvotes first; papers without upvotes last, in digest order
            "upvotes": [1, 0, 7, 2, 8, 3, 4, 5, 6],
            "title": [6, 8, 2, 0, 5, 4, 1, 3, 7],
            # nothing queued: the for-you order falls back to digest order and says so
            "for-you": list(range(9)),
            "digest": list(range(9)),
        }
        for name, order in orders.items():
            await pilot.press("s")
            await settle(pilot)
            assert app.reader.sort == name
            shown = "for you → digest order (nothing queued yet" if name == "for-you" else name
            assert f"sort: {shown}" in status(app)
            assert titles(app) == [ALL_TITLES[i] for i in order], name
            assert rows(app.reader.papers_pane, 1)[0].startswith("●   " + ALL_TITLES[order[0]][:20])
            assert app.reader.papers_pane.current.title == ALL_TITLES[5]
            assert app.reader.papers_pane.cursor == order.index(5)
            assert abstract_text(app).startswith(ALL_TITLES[5])


async def test_read_marks_x_u_and_restart(tmp_path: Path) -> None:
    app = make_app(tmp_path)  # mark_read_delay = 0: nothing is marked read by resting
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        first = app.reader.papers_pane.current
        await pilot.press("x")
        await on_disk(pilot)  # marks are written by a background thread
        assert ReadState(tmp_path).is_read(first.id)
        assert rows(app.reader.papers_pane, 2)[0].startswith("    Orchard Attention")  # no unread dot
        assert rows(app.reader.papers_pane, 2)[1].startswith("●   Sleepy")
        assert rows(app.reader.days_pane, 2)[0].split()[-2:] == ["9", "8●"]
        assert rows(app.reader.days_pane, 2)[1].split()[-2:] == ["4", "3●"]
        await pilot.press("x")
        await on_disk(pilot)  # marks are written by a background thread
        assert not ReadState(tmp_path).is_read(first.id)
        assert rows(app.reader.papers_pane, 1)[0].startswith("●   Orchard Attention")
        assert rows(app.reader.days_pane, 1)[0].split()[-2:] == ["9", "9●"]

        await pilot.press("x", "j", "j", "x")  # read 0 and 2
        await pilot.press("h")
        await settle(pilot)
        assert titles(app) == [ALL_TITLES[i] for i in (1, 3, 4, 5, 6, 7, 8)]
        assert "7 of 9 papers" in status(app) and "read hidden" in status(app)
        assert app.reader.papers_pane.current.title in ALL_TITLES
        await pilot.press("g", "x")  # marking another read while hidden drops it from the list
        await settle(pilot)
        assert titles(app) == [ALL_TITLES[i] for i in (3, 4, 5, 6, 7, 8)]
        await pilot.press("u")  # undo: that paper is unread (and listed) again
        await settle(pilot)
        assert titles(app) == [ALL_TITLES[i] for i in (1, 3, 4, 5, 6, 7, 8)]
        await pilot.press("h")
        await settle(pilot)
        assert titles(app) == ALL_TITLES and "read hidden" not in status(app)
        await pilot.pause(0.3)  # resting on a paper never marks it with delay 0
        await on_disk(pilot)  # marks are written by a background thread
        wanted = {ALL_TITLES[0], ALL_TITLES[2]}  # paper 1's mark was undone
        assert ReadState(tmp_path).read_ids == {p.id for p in app.reader.store.papers.values() if p.title in wanted}
    again = make_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert [r[:4] for r in rows(again.reader.papers_pane, 4)] == ["    ", "●   ", "    ", "●   "]


async def test_paper_is_marked_read_after_the_cursor_rests(tmp_path: Path) -> None:
    # 0.5 s: long enough that two keypresses (each waits for the app to go idle) pass a row by
    # even on a busy machine, short enough to keep the test quick.
    app = make_app(tmp_path, ui=UIConfig(mark_read_delay=0.5))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        ids = [p.id for p in app.reader.papers_pane.papers]
        await pilot.pause(0.7)
        assert not app.state.is_read(ids[0])  # shown at launch, but nobody has read it yet
        await pilot.press("j", "k")  # the user starts reading: back on the first paper
        await wait_for(pilot, lambda: app.state.is_read(ids[0]), timeout=3, what="the first paper's read mark")
        await pilot.press("j", "j")  # passes row 1 quicker than the delay
        assert not app.state.is_read(ids[2])
        await wait_for(pilot, lambda: app.state.is_read(ids[2]), timeout=3, what="the auto read mark")
        await pilot.pause(0.6)
        await on_disk(pilot)  # marks are written by a background thread
        assert ReadState(tmp_path).read_ids == {ids[0], ids[2]}
        assert rows(app.reader.papers_pane, 3)[2].startswith("    Cartographers")
        assert rows(app.reader.papers_pane, 3)[1].startswith("●   Sleepy")


# -- panes, help, width, quit ----------------------------------------------------------------------------------


async def test_abstract_help_width_and_quit(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("j", "j", "enter")
        assert app.focused is app.reader.abstract_pane
        body = abstract_text(app)
        assert body.startswith("Cartographers of Latent Space")
        assert "Organisation Maple AI" in body
        assert "Links (press the number to open) 1 GitHub https://github.com/" in body
        assert app.reader.abstract_pane.links == [("github", "https://github.com/example-carto/latent-maps")]
        assert "Seen in " + day_label(NOV20) + " hf-daily-2026-11-20.txt (hf-text)" in body
        await pilot.press("escape")
        assert app.focused is app.reader.papers_pane and app.reader.papers_pane.cursor == 2

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        help_text = help_rows(app)
        for key, what in [("a", "Queue"), ("x", "Read"), ("o", "Open"), ("/", "Filter"), ("s", "Sort"), ("q", "Quit"), ("?", "Help")]:
            assert any(r and r[0] == key and r[-1] == what for r in help_text), key
        flat = "\n".join(" ".join(r) for r in help_text)
        for syntax in ('"a phrase"', "title:word", "is:unread"):
            assert syntax in flat
        assert "J / shift+↓ Move down" in flat  # the queue pane's own keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen) and app.is_running

        normal = app.reader.abstract_pane.size.width
        await pilot.press("w")
        assert app.reader.abstract_width == "wide" and app.reader.abstract_pane.size.width > normal
        await pilot.press("w")
        assert app.reader.abstract_width == "hidden" and app.reader.abstract_pane.display is False
        assert app.reader.papers_pane.size.width > 80  # the list takes the room
        await pilot.press("w")
        assert app.reader.abstract_pane.display is True and app.reader.abstract_pane.size.width == normal

        await pilot.press("q")
        assert not app.is_running
    assert app.return_code == 0


# -- links -------------------------------------------------------------------------------------------------------


async def test_o_opens_the_browser_and_y_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text("import sys, pathlib\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n")
    app = make_app(tmp_path / "data", browser=BrowserConfig(command=f"{sys.executable} {script} {out}"))
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("o", "y")  # Orchard Attention: an HF page entry with no link at all
        await settle(pilot)
        assert "This paper has no link." in notifications(app)
        assert copied == [] and not out.exists()

        await pilot.press("j", "j", "y")  # Cartographers: its only link is the GitHub one
        assert copied == ["https://github.com/example-carto/latent-maps"]
        assert "Copied https://github.com/example-carto/latent-maps" in notifications(app)

        await pilot.press("left_square_bracket", "left_square_bracket")  # the arXiv day
        await settle(pilot)
        await pilot.press("g", "j", "o", "y")
        await wait_for(pilot, lambda: out.exists() and out.read_text() != "", what="the browser command")
        assert out.read_text() == "https://arxiv.org/abs/2611.10002"
        assert copied[-1] == "https://arxiv.org/abs/2611.10002"
        await settle(pilot)
        assert "Opening https://arxiv.org/abs/2611.10002" in notifications(app)

        # In the abstract, a digit opens that numbered link (2 = the PDF); 9 (no such link) does nothing.
        out.write_text("")
        await pilot.press("enter")
        assert app.focused is app.reader.abstract_pane
        assert [name for name, _url in app.reader.abstract_pane.links][:2] == ["arxiv", "pdf"]
        await pilot.press("9", "2")
        await wait_for(pilot, lambda: out.read_text() != "", what="the numbered link")
        assert out.read_text() == "https://arxiv.org/pdf/2611.10002"


# -- command palette, keymap -------------------------------------------------------------------------------------


async def test_palette_goes_to_a_paper(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("left_square_bracket")  # Nov 20 and a filter, so "go to" must undo both
        await paste_filter(pilot, "sleepy")
        await pilot.press("enter")
        provider = PaperCommands(app.screen)
        hits = [hit async for hit in provider.search("whispering")]
        assert [str(h.text) for h in hits] == [ALL_TITLES[7]]
        assert str(hits[0].prompt) == "Go to paper: " + ALL_TITLES[7]

        await pilot.press("ctrl+p")
        await pilot.press(*"whisper")
        assert app.screen.query_one(Input).value == "whisper"
        await wait_for(pilot, lambda: "Go to paper: Whispering" in screen_text(app), what="the palette hit")
        await pilot.press("down", "enter")
        await settle(pilot)
        await wait_for(
            pilot,
            lambda: app.reader.papers_pane.current is not None and app.reader.papers_pane.current.title == ALL_TITLES[7],
            what="the palette to select the paper",
        )
        assert app.reader.days_pane.current == "all" and app.reader.filter_bar.value == ""
        assert app.reader.papers_pane.row_count == 9 and app.focused is app.reader.papers_pane
        assert abstract_text(app).startswith(ALL_TITLES[7])
        assert "9 of 9 papers" in status(app)


async def test_rebound_queue_key(tmp_path: Path) -> None:
    app = make_app(tmp_path, keys=KeysConfig(queue="b"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        first = app.reader.papers_pane.current
        await pilot.press("a")
        assert not app.queue.contains(first.id) and not Queue(tmp_path).contains(first.id)
        await pilot.press("b")
        assert Queue(tmp_path).contains(first.id)
        assert app.reader.queue_pane.row_count == 1
        footer = screen_text(app).splitlines()[-1]
        assert "b Queue" in footer and "a Queue" not in footer


async def test_help_shows_rebound_keys(tmp_path: Path) -> None:
    app = make_app(tmp_path, keys=KeysConfig(queue="b"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("question_mark")
        firsts = [r[:2] for r in help_rows(app)]
        assert ["b", "Queue"] in firsts
        assert ["a", "Queue"] not in firsts


async def test_keys_typed_in_one_burst_with_slash_go_to_the_filter(tmp_path: Path) -> None:
    """`/orch` read at once (a paste, a fast typist on a busy UI): the letters follow the focus to
    the filter; none runs as a list action (`o` open, `s` sort, `q` quit...)."""
    from textual import events

    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        sort = app.reader.view.sort
        for key, char in [("slash", "/"), ("o", "o"), ("r", "r"), ("c", "c"), ("h", "h"), ("s", "s"), ("q", "q")]:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)  # all queued before the app handles the first
        await settle(pilot)
        await settle(pilot)
        assert app.is_running and app.focused is app.reader.filter_bar
        assert app.reader.filter_bar.value == "orchsq" and app.reader.view.sort == sort
        assert titles(app) == []
        await pilot.press("backspace", "backspace")
        await settle(pilot)
        assert app.reader.filter_bar.value == "orch" and titles(app) == [ALL_TITLES[0], ALL_TITLES[5]]
