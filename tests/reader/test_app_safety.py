"""Hostile digests: markup and terminal escapes in titles, abstracts and bylines must be shown as
text, never interpreted, and no control character from the data may reach the terminal.

The digests are written at test time from `benchmarks.synth.hostile_titles()` (plus a few of our
own) in three formats: a Hugging Face page saved as text and an arXiv e-mail (both go through the
loader's `clean`), and a Hugging Face JSON response, whose `\\u001b` escapes only appear after JSON
decoding (so the parser must clean them itself).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from benchmarks.synth import hostile_titles

from tests.reader.conftest import (
    abstract_text,
    loaded,
    make_app,
    notifications,
    paste_filter,
    rows,
    screen_strips,
    screen_text,
    status,
    terminal_output,
    wait_for,
)
from tui.reader.screens.note import NoteScreen

SIZE = (160, 50)
# Markup that Rich/Textual would act on if a string were ever parsed as markup.
MARKUP = [
    "[bold red]x[/]",
    "[@click=app.quit]y[/]",
    "[link=file:///etc/passwd]z[/link]",
    "[$error]",
    "[A-Z]",
    "[b]unclosed bold",
    "[/]",
]
# Control characters that must never be drawn. (A raw tab must not be drawn either, since it moves
# the terminal's cursor; it is left out here and has its own test below.)
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def hf_text_digest(titles: list[str]) -> str:
    """A saved HF page: each title, an abstract quoting it, and a byline block."""
    parts = ["new", "Daily Papers", "Nov 20"]
    for i, title in enumerate(titles):
        parts.append(f"{title} #{i}")
        parts.append(f"Abstract {i} quotes {title} and goes on long enough to read as an abstract.")
        byline = "acme [link=file:///etc/passwd]Acme[/link] Labs" if i == 0 else f"  • {i + 1} authors"
        parts.append(f"{byline}\n·\nNov 19 {i}")
    return "\n\n".join(parts)


def arxiv_email_digest() -> str:
    """One arXiv entry whose title, authors and abstract carry markup and escapes."""
    return "\n".join([
        "-" * 78,
        " received from  Tue 17 Nov 26 19:00:00 GMT  to  Wed 18 Nov 26 19:00:00 GMT",
        "-" * 78,
        "\\\\",
        "arXiv:2611.20001",
        "Date: Tue, 17 Nov 2026 20:11:05 GMT   (10kb)",
        "",
        "Title: [bold red]Arxiv[/] \x1b[31mtitle\x1b[0m",
        "Authors: [@click=app.quit]Eve[/] and [link=file:///etc/passwd]Mallory[/link]",
        "Categories: cs.CR",
        "\\\\",
        "  An abstract with [$error] and \x1b]8;;http://x\x1b\\a link\x1b]8;;\x1b\\ and a bell\x07 and",
        "\x9b2J a clear screen.",
        "\\\\ ( https://arxiv.org/abs/2611.20001 ,  10kb)",
        "%%%---" * 13,
        "",
    ])


def hf_json_digest() -> str:
    """Strings that carry their escapes only after JSON decoding."""
    items = []
    for i, text in enumerate(["\x1b[31mjson red\x1b[0m", "[bold red]json[/]", "\x9b2J json csi", "nul\x00json bell\x07"]):
        paper = {
            "id": f"2611.3000{i}",
            "title": text,
            "summary": f"Summary of {text}.",
            "authors": [{"name": f"Author {text}", "hidden": False}],
            "publishedAt": "2026-11-17T00:00:00.000Z",
            "submittedOnDailyAt": "2026-11-19T00:00:00.000Z",
            "upvotes": i,
        }
        items.append({"paper": paper, "title": text, "summary": paper["summary"], "publishedAt": paper["publishedAt"], "numComments": 0})
    return json.dumps(items)  # json.dumps writes \u001b: no raw control character in the file


def single_line_titles() -> list[str]:
    return [t for t in hostile_titles() if t.strip() and "\n" not in t]


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "hf-2026-11-20.txt").write_text(hf_text_digest(single_line_titles()), encoding="utf-8")
    (folder / "arxiv-2026-11-19.txt").write_text(arxiv_email_digest(), encoding="utf-8")
    (folder / "hf-api-2026-11-18.json").write_text(hf_json_digest(), encoding="utf-8")
    return folder


def drawn_controls(app) -> set[str]:
    """Control characters in the text of every segment the screen is made of."""
    found: set[str] = set()
    for strip in screen_strips(app):
        for segment in strip:
            found.update(CONTROL.findall(segment.text))
    return found


def assert_terminal_clean(app) -> None:
    out = terminal_output(app)
    assert "\x9b" not in out and "\x00" not in out and "\x07" not in out
    assert "\x1b[2J" not in out  # clear screen
    assert not re.search(r"\x1b\]8;[^;]*;(file:|http://x)", out)  # hyperlinks from the data
    # Every escape sequence left is one of ours: SGR styles, cursor moves and our own links.
    leftover = re.sub(r"\x1b\[[0-9;]*[mH]|\x1b\]8;[^\x1b]*\x1b\\", "", out)
    assert "\x1b" not in leftover


async def test_hostile_text_is_shown_literally_and_never_reaches_the_terminal(hostile_dir: Path, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", paths=[hostile_dir])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        n = len(single_line_titles())
        assert app.reader.papers_pane.row_count == n + 1 + 4
        shown = rows(app.reader.papers_pane, n + 5)
        for i, text in enumerate(MARKUP):
            assert shown[i].startswith(f"●   {text} #{i}"), text
        # escape sequences, NUL and BEL are gone; the words around them stay
        cleaned = {"\x1b[31mred\x1b[0m": "red", "\x9b2J cleared": "cleared", "nul\x00byte": "nulbyte", "bell\x07ring": "bellring"}
        titles = single_line_titles()
        for raw, text in cleaned.items():
            i = titles.index(raw)
            assert shown[i].startswith(f"●   {text} #{i}"), text
        assert "[bold red]Arxiv[/] title" in "\n".join(shown)
        assert any(r.startswith("●   json red ") for r in shown)
        assert any(r.startswith("●   [bold red]json[/] ") for r in shown)
        assert any(r.startswith("●   nuljson bell ") for r in shown)

        # The abstract shows the title, the quoted markup and the organisation literally.
        body = abstract_text(app)
        assert body.startswith("[bold red]x[/] #0")
        assert "Organisation [link=file:///etc/passwd]Acme[/link] Labs" in body
        assert "Abstract 0 quotes [bold red]x[/] and goes on" in body
        for i, text in enumerate(MARKUP[1:], start=1):
            await pilot.press("j")
            assert abstract_text(app).startswith(f"{text} #{i}"), text
            assert f"quotes {text} and" in abstract_text(app)
            assert not drawn_controls(app)
        # A click on the row and on the heading of `[@click=app.quit]y[/]` is just a click.
        await pilot.press("g", "j")
        await pilot.click("#abstract", offset=(2, 0))
        for y in (2, 3):  # around row 1 (clicks are off by one row: see test_app.py)
            await pilot.click("#papers", offset=(6, y))
        await pilot.pause()
        assert app.is_running

        # Show every paper's abstract (cursor moved directly: this sweep is about drawing, and a
        # keypress per row would cost seconds): nothing drawn carries a control character.
        for i in range(app.reader.papers_pane.row_count):
            app.reader.papers_pane.move_to(i)
            await pilot.pause()
            assert abstract_text(app).startswith(app.reader.papers_pane.papers[i].title.split()[0][:20])
            assert not drawn_controls(app), app.reader.papers_pane.current.title
        assert_terminal_clean(app)

        # The arXiv entry: markup in the title, authors and abstract, escapes removed.
        await pilot.press("G", "k", "k", "k", "k")
        body = abstract_text(app)
        assert body.startswith("[bold red]Arxiv[/] title")
        assert "[@click=app.quit]Eve[/]" in body and "[link=file:///etc/passwd]Mallory[/link]" in body
        assert "An abstract with [$error] and a link and a bell and a clear screen." in body
        assert not drawn_controls(app)
        assert_terminal_clean(app)
        assert app.is_running


async def test_notifications_palette_note_and_filter_show_markup_literally(hostile_dir: Path, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", paths=[hostile_dir])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("a", "j", "a")
        assert notifications(app)[-2:] == ["Queued: [bold red]x[/] #0", "Queued: [@click=app.quit]y[/] #1"]
        await wait_for(pilot, lambda: len(app.screen.query("Toast")) >= 2, what="the toasts")
        toast_text = screen_text(app)
        assert "Queued: [bold red]x[/] #0" in toast_text
        assert "Queued: [@click=app.quit]y[/] #1" in toast_text
        assert rows(app.reader.queue_pane, 2) == ["+ [bold red]x[/] #0", "+ [@click=app.quit]y[/] #1"]

        # The note editor names the paper literally.
        await pilot.press("Q", "t")
        assert isinstance(app.screen, NoteScreen)
        assert "Note for: [bold red]x[/] #0" in screen_text(app)
        await pilot.press(*"[b]", "enter")
        assert app.queue.entries()[0].note == "[b]"
        assert app.reader.queue_pane.row_text(0, 200).plain == "+ ✎ [bold red]x[/] #0  — [b]"
        await pilot.press("escape")

        # What is typed in the filter is shown as typed in the status line.
        await paste_filter(pilot, "[bold red]")
        assert "filter: [bold red]" in status(app)
        listed = {p.title for p in app.reader.papers_pane.papers}
        assert {"[bold red]x[/] #0", "[bold red]Arxiv[/] title", "[bold red]json[/]"} <= listed
        await pilot.press("escape")

        # The palette lists the hostile title as text.
        await pilot.press("ctrl+p", *"unclosed")
        await wait_for(pilot, lambda: "Go to paper: [b]unclosed bold #5" in screen_text(app), what="the palette hit")
        await pilot.press("escape")
        assert not drawn_controls(app)
        assert app.is_running


async def test_hand_edited_queue_file_cannot_inject_escapes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # TOML's \u escapes let a hand edit (or a synced copy) carry any control character.
    (data / "queue.toml").write_text(
        "version = 1\n\n[[paper]]\n"
        'id = "2611.99999"\n'
        'title = "\\u001b[2Jqueued \\u009b31m title [bold]x[/]"\n'
        'note = "a note \\u0007 with \\u001b]8;;http://x\\u001b\\\\ a link"\n'
        'abstract = "An abstract \\u001b[31mred\\u001b[0m."\n'
        'status = "to-read"\n'
        "added = 2026-11-20 09:00:00Z\nupdated = 2026-11-20 09:00:00Z\n",
        encoding="utf-8",
    )
    app = make_app(data, paths=[])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.reader.queue_pane.row_count == 1
        await pilot.press("Q")
        assert app.focused is app.reader.queue_pane
        assert abstract_text(app).startswith("queued title [bold]x[/]")
        assert not drawn_controls(app)
        assert_terminal_clean(app)


async def test_tabs_in_titles_are_not_drawn_raw(hostile_dir: Path, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", paths=[hostile_dir / "hf-2026-11-20.txt"])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        i = single_line_titles().index("tab\tand\vvertical\fform")
        assert "\t" not in app.reader.papers_pane.papers[i].title
        assert "\t" not in app.reader.papers_pane.render_line(i).text
