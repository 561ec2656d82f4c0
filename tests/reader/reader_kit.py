"""Helpers for the Pilot tests in tests/reader/: the app over the fixture digests, waiting, reading rows.

The fixtures (`tests/fixtures/app/`) are nine invented papers over three days:

    Fri Nov 20 (hf-text)  Orchard Attention, Sleepy Gradients, Cartographers, Teaching Robots
    Thu Nov 19 (arXiv)    Quantised Kettles, Orchard Networks, A Note on Lazy Evaluation
    Wed Nov 18 (hf-text)  Whispering Tables, Bees Versus Transformers
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tui.config import Config, UIConfig
from tui.reader.app import PapertrayApp

APP_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "app"
SIZE = (120, 40)
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


def make_app(data_dir: Path, paths: list[Path] | None = None, **config: Any) -> PapertrayApp:
    """The app over the fixture digests; no automatic read marks unless a test asks."""
    cfg = Config(ui=config.pop("ui", UIConfig(mark_read_delay=0)), **config)
    return PapertrayApp(paths if paths is not None else [APP_FIXTURES], config=cfg, data_dir=data_dir)


async def wait_for(pilot: Any, predicate: Any, timeout: float = 5.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def loaded(pilot: Any) -> PapertrayApp:
    app = pilot.app
    await wait_for(pilot, lambda: app.reader.loaded, what="the digests to load")
    await settle(pilot)
    return app


def titles(app: PapertrayApp) -> list[str]:
    return [p.title for p in app.reader.papers_pane.papers]


def current_title(app: PapertrayApp) -> str | None:
    paper = app.reader.papers_pane.current
    return paper.title if paper else None


def rows(widget: Any, n: int) -> list[str]:
    """The first `n` rows of a list pane as drawn (plain text, right-trimmed)."""
    return [widget.render_line(y).text.rstrip() for y in range(n)]


def notifications(app: PapertrayApp) -> list[str]:
    return [n.message for n in app._notifications]


def screen_text(app: PapertrayApp) -> str:
    """Everything on the screen (the compositor's output), as text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
