"""The reader's export dialog and copy keys, and its refusal to open unsafe links, driven with the keys a user would press."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from tests.export_oracles import read_bibtex, read_csv, read_ris
from tests.reader.conftest import SIZE, loaded, make_app, notifications, settle, wait_for
from tui.clipboard import Route, route
from tui.config import BrowserConfig
from tui.reader.screens.export import ExportScreen


async def to_arxiv_paper(pilot) -> None:
    """The arXiv day's second paper, 2611.10002 (Orchard Networks)."""
    await pilot.press("left_square_bracket", "left_square_bracket")
    await settle(pilot)
    await pilot.press("g", "j")
    await settle(pilot)
    assert pilot.app.reader.current_paper().id == "2611.10002"


async def test_copy_bibtex_key_and_id(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.clipboard_route = Route("osc52")
        await pilot.press("i")  # Orchard Attention, an HF page entry: no arXiv id
        assert "This paper has no arXiv id." in notifications(app)

        await to_arxiv_paper(pilot)
        await pilot.press("i")
        assert app.clipboard == "2611.10002"
        assert "Copied arXiv id 2611.10002 (through the terminal)" in notifications(app)
        await pilot.press("b")
        pyb, _ = read_bibtex(app.clipboard)
        [(key, entry)] = pyb.entries.items()
        assert entry.fields["eprint"] == "2611.10002" and entry.fields["doi"] == "10.48550/arXiv.2611.10002"
        await pilot.press("c")
        assert app.clipboard == key and f"Copied citation key {key} (through the terminal)" in notifications(app)

        # A terminal known to drop OSC 52: say so, and show the text instead.
        app.clipboard_route = Route("none", why="macOS Terminal does not accept clipboard text from programs")
        await pilot.press("i")
        assert app.clipboard == key  # unchanged
        assert notifications(app)[-1] == (
            "Not copied: macOS Terminal does not accept clipboard text from programs. The arXiv id:\n2611.10002"
        )

        # A local clipboard tool gets the text on its stdin.
        out = tmp_path / "clip.txt"
        app.clipboard_route = Route("tool", (sys.executable, "-c", f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"))
        await pilot.press("i")
        assert out.read_text() == "2611.10002" and notifications(app)[-1] == "Copied arXiv id 2611.10002"
        app.clipboard_route = Route("tool", (sys.executable, "-c", "import sys; sys.exit('no display')"))
        await pilot.press("c")
        assert notifications(app)[-1].startswith("Not copied: ") and "no display" in notifications(app)[-1]


@pytest.mark.parametrize("env, kind", [
    ({"TERM": "xterm-256color"}, "osc52"),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, "none"),
    ({"TERM": "xterm-256color", "VTE_VERSION": "7600"}, "none"),
    ({"TERM": "linux"}, "none"),
    ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0", "VTE_VERSION": "7600"}, "osc52"),
    ({"TERM": "xterm", "SSH_TTY": "/dev/pts/1", "DISPLAY": ":0"}, "osc52"),  # a remote tool would copy remotely
])
def test_clipboard_route(env: dict[str, str], kind: str) -> None:
    assert route(env, platform="linux").kind == kind


def message(app) -> str:
    return str(app.screen.query_one("#export-message", Static).render())


async def test_export_dialog_writes_the_chosen_format_and_entries(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app(tmp_path / "data")
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await pilot.press("e")
        assert "The queue is empty: queue papers with a first." in notifications(app)
        assert not isinstance(app.screen, ExportScreen)

        await pilot.press("j", "a", "j", "a")  # queue Sleepy Gradients and Cartographers
        await to_arxiv_paper(pilot)
        await pilot.press("a")  # and Orchard Networks
        await settle(pilot)
        app.queue.set_status("2611.10002", "done")

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog")
        await pilot.press("down", "down", "tab", "tab")  # bibtex -> ris; entries: not done; to the file name
        path = app.screen.query_one("#export-path", Input)
        assert path.value == str(tmp_path / "papertray-queue.ris") and app.focused is path
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        target = tmp_path / "papertray-queue.ris"
        assert f"Wrote 2 entries as ris to {target}" in notifications(app)
        assert [r["title"] for r in read_ris(target.read_text())] == [
            "Sleepy Gradients: When Optimisers Nap", "Cartographers of Latent Space"
        ]

        # Again, only the done entry, as CSV, into the same file: it exists, so Enter twice.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog")
        await pilot.press("down", "down", "down", "down", "tab")  # csv
        await pilot.press(*["down"] * 4, "tab")  # entries: done
        await pilot.press("home", "ctrl+k", *str(target))
        await pilot.press("enter")
        assert isinstance(app.screen, ExportScreen) and "exists: Enter again replaces it" in message(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert f"Wrote 1 entry as csv to {target} (replaced the previous file)" in notifications(app)
        rows = read_csv(target.read_text(encoding="utf-8"))
        assert [r["id"] for r in rows] == ["arXiv:2611.10002"] and rows[0]["status"] == "done"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "papertray-queue.ris"]  # no temp file left

        # A bad path is said in the dialog, which stays open; Esc leaves without writing.
        await pilot.press("e", "tab", "tab", "home", "ctrl+k", *"/nonexistent/refs.bib", "enter")
        assert isinstance(app.screen, ExportScreen)
        assert message(app) == "cannot write /nonexistent/refs.bib: the folder /nonexistent does not exist"
        count = len(notifications(app))
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportScreen) and len(notifications(app)) == count

        # `q` in the dialog's lists closes the dialog, not the app.
        await pilot.press("e", "q")
        assert not isinstance(app.screen, ExportScreen) and app.is_running


async def test_the_reader_never_hands_an_unsafe_link_to_the_browser(tmp_path: Path) -> None:
    out = tmp_path / "opened.txt"
    script = tmp_path / "browser.py"
    script.write_text("import sys, pathlib\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n")
    app = make_app(tmp_path / "data", browser=BrowserConfig(command=f"{sys.executable} {script} {out}"))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        app.open_in_browser("file:///etc/passwd")
        await wait_for(pilot, lambda: any("Not opened" in n for n in notifications(app)), what="the refusal")
        assert not out.exists()
        app.open_in_browser("https://arxiv.org/abs/2611.10002")
        # The stand-in browser creates the file, then writes it: wait for the text, not the file.
        await wait_for(pilot, lambda: out.exists() and out.read_text() != "", what="the browser command")
        assert out.read_text() == "https://arxiv.org/abs/2611.10002"
