"""Shared helpers of the reader's Pilot tests: the app over the fixture digests and ways to wait
for it and read its screen. Test modules import them from here (`tests.reader.conftest`).

The fixtures in `tests/fixtures/app/` are three small invented digests (two Hugging Face pages saved
as text, one arXiv e-mail), nine papers over three days (see `ALL_TITLES`).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from textual import events
from textual.geometry import Region
from textual.strip import Strip

from tui.config import Config, UIConfig
from tui.reader.app import PapertrayApp

APP_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "app"
SIZE = (120, 40)

# The "All days" order: newest day first, digest order within a day.
ALL_TITLES = [
    "Orchard Attention: Pruning Heads Like Fruit Trees",
    "Sleepy Gradients: When Optimisers Nap",
    "Cartographers of Latent Space",
    "Teaching Robots to Fold Laundry Badly",
    "Quantised Kettles: Energy-Aware Scheduling of Household Appliances",
    "Orchard Networks for Sparse Graph Learning",
    "A Note on Lazy Evaluation of Reward Models",
    "Whispering Tables: Speech Interfaces for Spreadsheets",
    "Bees Versus Transformers: Counting Flowers From Drones",
]
NOV20, NOV19, NOV18 = date(2026, 11, 20), date(2026, 11, 19), date(2026, 11, 18)


# -- helpers ------------------------------------------------------------------------------------


def make_app(data_dir: Path, paths: list[Path] | None = None, **config: object) -> PapertrayApp:
    """The app over the fixture digests; read marks are never automatic unless a test asks."""
    cfg = Config(ui=config.pop("ui", UIConfig(mark_read_delay=0)), **config)  # type: ignore[arg-type]
    return PapertrayApp(paths if paths is not None else [APP_FIXTURES], config=cfg, data_dir=data_dir)


async def wait_for(pilot, predicate, timeout: float = 5.0, what: str = "condition") -> None:
    """Poll the app until `predicate()` holds (background workers deliver results later)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def on_disk(pilot) -> None:
    """Wait until the read marks the app made are written (a background thread writes them)."""
    await wait_for(pilot, lambda: not pilot.app.state.dirty, what="the read marks to reach the disk")


async def loaded(pilot) -> PapertrayApp:
    """Wait for the background load and the first papers list."""
    app = pilot.app
    await wait_for(pilot, lambda: app.reader.loaded, what="the digests to load")
    await settle(pilot)
    return app


async def settle(pilot) -> None:
    """Let the search/index workers finish and their results reach the panes."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_filter(pilot, text: str) -> None:
    """`/`, the text typed key by key, then wait for the search worker's answer."""
    await pilot.press("slash", *text)
    await settle(pilot)


async def paste_filter(pilot, text: str) -> None:
    """`/` (or Ctrl+U in the open filter), then the text pasted in one go.

    One paste event is much quicker than a keypress per letter, and staying in the filter bar
    saves the focus changes (each re-renders the footer).
    """
    app = pilot.app
    await pilot.press("ctrl+u" if app.focused is app.reader.filter_bar else "slash")
    assert app.reader.filter_bar.value == ""
    pilot.app.reader.filter_bar.post_message(events.Paste(text))
    await pilot.pause()
    assert pilot.app.reader.filter_bar.value == text
    await settle(pilot)


def titles(app: PapertrayApp) -> list[str]:
    return [p.title for p in app.reader.papers_pane.papers]


def status(app: PapertrayApp) -> str:
    return str(app.query_one("#status").render())


def lines(widget) -> list[str]:
    """The text of every rendered line of a widget, as the screen would show it."""
    width, height = widget.size
    return [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]


def abstract_text(app: PapertrayApp) -> str:
    """The abstract pane's text with the wrapping undone (single spaces)."""
    return " ".join(" ".join(app.reader.abstract_pane.text_lines).split())


def rows(vlist, count: int) -> list[str]:
    return [vlist.render_line(y).text.rstrip() for y in range(count)]


# -- the only private Textual API the tests use, each in one place and for one reason --------------


def screen_strips(app: PapertrayApp) -> list[Strip]:
    """Every line the compositor draws, modal screens and toasts included. Private API: Textual has
    no public way to read the composed screen as text (`export_screenshot` gives SVG only)."""
    return list(app.screen._compositor.render_strips())


def terminal_output(app: PapertrayApp) -> str:
    """What the app would write to a real terminal for a full repaint. Private API: the headless
    driver never turns updates into bytes, and the safety tests must see those bytes."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def notifications(app: PapertrayApp) -> list[str]:
    """Messages of the notifications still shown. Private API: Textual keeps them in
    `App._notifications` and offers no public list; the toasts' text is wrapped and cut."""
    return [n.message for n in app._notifications]


def screen_text(app: PapertrayApp) -> str:
    """Everything on the screen (the compositor's output, modal screens included), as text."""
    return "\n".join(strip.text for strip in screen_strips(app))


def help_rows(app: PapertrayApp) -> list[list[str]]:
    """The help screen's rows, split into words."""
    return [line.split() for line in lines(app.screen.query_one("#help-body"))]
