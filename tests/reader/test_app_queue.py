"""Behaviour tests of the reading queue in the app: keys in the papers and queue panes, checked on
screen and in a fresh `Queue` read back from the data folder (what another instance would see).

Fixtures and helpers as in `test_app.py` (nine invented papers over three days).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.reader.conftest import (
    ALL_TITLES,
    APP_FIXTURES,
    NOV19,
    SIZE,
    abstract_text,
    loaded,
    make_app,
    notifications,
    on_disk,
    paste_filter,
    rows,
    settle,
    status,
)
from tui.queue import Queue
from tui.reader.screens.note import NoteScreen
from tui.reader.widgets.days import day_label
from tui.readstate import ReadState


def queued_titles(data_dir: Path, include_done: bool = False) -> list[str]:
    """The queue as a second instance would read it from disk."""
    return [e.title for e in Queue(data_dir).entries(include_done=include_done)]


def queue_rows(app, count: int) -> list[str]:
    return rows(app.reader.queue_pane, count)


async def test_a_adds_and_removes_the_current_paper(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert queue_rows(app, 1)[0].startswith("Empty. a queues a paper.")
        await pilot.press("j", "a")
        assert queued_titles(tmp_path) == [ALL_TITLES[1]]
        assert rows(app.reader.papers_pane, 2)[1].startswith("● + Sleepy")
        assert queue_rows(app, 2) == ["+ Sleepy Gradients: When …", ""]
        assert app.reader.queue_pane.border_title == "Queue (1)" and "queue: 1" in status(app)
        assert f"Queued: {ALL_TITLES[1]}" in notifications(app)

        await pilot.press("a")
        assert queued_titles(tmp_path) == []
        assert rows(app.reader.papers_pane, 2)[1].startswith("●   Sleepy")
        assert app.reader.queue_pane.row_count == 0 and "queue: 0" in status(app)
        assert f"Removed from queue: {ALL_TITLES[1]} — u brings it back" in notifications(app)


async def test_abstract_shows_the_queue_status_once_queued(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "j", "k")
        assert "Queue to-read" in abstract_text(app)


async def test_abstract_updates_its_queue_line_at_once(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a")
        assert "Queue to-read" in abstract_text(app)
        await pilot.press("a")
        assert "Queue" not in abstract_text(app)


async def test_queue_pane_reorder_status_remove_undo_note_and_done(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "j", "a", "j", "a")  # queue papers 0, 1, 2 in that order
        assert queued_titles(tmp_path) == ALL_TITLES[:3]
        await pilot.press("Q")  # one key to the queue
        assert app.focused is app.reader.queue_pane
        assert app.reader.queue_pane.cursor == 0
        assert abstract_text(app).startswith(ALL_TITLES[0])  # the abstract follows the queue cursor
        await pilot.press("j")
        assert abstract_text(app).startswith(ALL_TITLES[1])

        # J / K move the entry under the cursor; the cursor goes with it.
        await pilot.press("J")
        assert queued_titles(tmp_path) == [ALL_TITLES[i] for i in (0, 2, 1)]
        assert app.reader.queue_pane.cursor == 2 and app.reader.queue_pane.current.title == ALL_TITLES[1]
        await pilot.press("K", "K")
        assert queued_titles(tmp_path) == [ALL_TITLES[i] for i in (1, 0, 2)]
        assert app.reader.queue_pane.cursor == 0
        await pilot.press("K")  # already first: nothing changes
        assert queued_titles(tmp_path) == [ALL_TITLES[i] for i in (1, 0, 2)]
        assert [r[:2] for r in queue_rows(app, 3)] == ["+ ", "+ ", "+ "]

        # Enter cycles to-read -> reading -> done; done entries hide until D.
        await pilot.press("enter")
        entry = Queue(tmp_path).entries()[0]
        assert (entry.title, entry.status) == (ALL_TITLES[1], "reading")
        assert queue_rows(app, 1)[0].startswith("» Sleepy")
        assert "Queue reading" in abstract_text(app)
        assert rows(app.reader.papers_pane, 2)[1].startswith("● » Sleepy")
        await pilot.press("enter")
        assert Queue(tmp_path).get(entry.id).status == "done"
        assert queued_titles(tmp_path) == [ALL_TITLES[0], ALL_TITLES[2]]  # done entries are not listed by default
        assert app.reader.queue_pane.row_count == 2
        assert app.reader.queue_pane.border_title == "Queue (2)" and app.reader.queue_pane.border_subtitle == "1 done, D shows"
        await pilot.press("D")
        assert app.reader.queue_pane.row_count == 3
        assert queue_rows(app, 1)[0].startswith("✓ Sleepy")
        assert app.reader.queue_pane.border_subtitle == ""
        await pilot.press("D")
        assert app.reader.queue_pane.row_count == 2

        # d removes, u undoes (in place).
        await pilot.press("g", "d")
        assert queued_titles(tmp_path) == [ALL_TITLES[2]]
        assert f"Removed from queue: {ALL_TITLES[0]} — u brings it back" in notifications(app)
        await pilot.press("u")
        assert queued_titles(tmp_path) == [ALL_TITLES[0], ALL_TITLES[2]]
        assert app.reader.queue_pane.current.title == ALL_TITLES[0]
        assert f"Undone: {ALL_TITLES[0]} is back in the queue" in notifications(app)
        await pilot.press("u")  # nothing more to undo
        assert queued_titles(tmp_path) == [ALL_TITLES[0], ALL_TITLES[2]]

        # t edits the note (text): type, Enter saves; Esc cancels.
        await pilot.press("t")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"read fig 3", "enter")
        assert not isinstance(app.screen, NoteScreen)
        assert Queue(tmp_path).get(app.reader.queue_pane.current.id).note == "read fig 3"
        # the note follows the title in the row (cut off in the narrow pane, so ask for a wide row)
        assert app.reader.queue_pane.row_text(0, 200).plain == f"+ ✎ {ALL_TITLES[0]}  — read fig 3"
        assert "Queue to-read — read fig 3" in abstract_text(app)
        await pilot.press("t")
        assert app.screen.query_one(Input).value == "read fig 3"
        await pilot.press("x", "escape")
        assert Queue(tmp_path).get(app.reader.queue_pane.current.id).note == "read fig 3"

        await pilot.press("escape")  # back to the papers
        assert app.focused is app.reader.papers_pane


async def test_queue_follows_the_filter(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("a", "j", "a")  # Orchard Attention, Sleepy Gradients
        await paste_filter(pilot, "orchard")
        assert [e.title for e in app.reader.queue_pane.entries] == [ALL_TITLES[0]]
        await pilot.press("escape")
        await settle(pilot)
        assert [e.title for e in app.reader.queue_pane.entries] == ALL_TITLES[:2]


async def test_queued_paper_outlives_its_digest(tmp_path: Path, monkeypatch) -> None:
    first = make_app(tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("left_square_bracket", "left_square_bracket")  # the arXiv day
        await settle(pilot)
        await pilot.press("g", "a")
        assert queued_titles(tmp_path) == [ALL_TITLES[4]]

    # Next time only the Hugging Face pages are loaded: the arXiv e-mail is gone.
    hf_only = [APP_FIXTURES / "hf-daily-2026-11-20.txt", APP_FIXTURES / "hf-daily-2026-11-18.txt"]
    app = make_app(tmp_path, paths=hf_only)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.reader.papers_pane.row_count == 6 and app.reader.store.get("2611.10001") is None
        assert queue_rows(app, 1)[0].startswith("+ Quantised Kettles")
        await pilot.press("Q")
        assert app.focused is app.reader.queue_pane
        body = abstract_text(app)
        assert body.startswith(ALL_TITLES[4])
        assert "Authors Petra Lindqvist, Omar Haddad, Chen Rui" in body
        assert "integer program solved every five minutes" in body
        assert "Queue to-read" in body and "(not loaded now)" in body
        assert "Seen in " + day_label(NOV19) in body
        await pilot.press("y")
        assert copied == ["https://arxiv.org/abs/2611.10001"]
        await pilot.press("x")  # read marks work on entries without a paper too
        await on_disk(pilot)  # marks are written by a background thread
        assert ReadState(tmp_path).is_read("2611.10001")
        await pilot.press("a")  # and `a` takes it off the queue
        assert queued_titles(tmp_path) == []
        assert app.reader.queue_pane.row_count == 0
