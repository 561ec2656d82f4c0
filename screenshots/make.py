"""Regenerate the SVG screenshots in `screenshots/` headlessly from the bundled samples.

Run: `python screenshots/make.py`. Deterministic: bundled sample digests, temporary data and
config dirs, a fixed terminal size, a queue seeded with two papers, and three saved searches (rows
of the days pane, with their unread counts).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "screenshots"


async def shoot() -> None:
    from tui.cli import SAMPLES
    from tui.config import Config, UIConfig
    from tui.reader.app import PapertrayApp

    data = Path(tempfile.mkdtemp())
    searches = (("cs.LG", "cat:cs.LG"), ("popular", "upvotes:>20"), ("agents", "agent -survey"))
    config = Config(ui=UIConfig(mark_read_delay=0), searches=searches)
    app = PapertrayApp([os.fspath(SAMPLES)], config=config, data_dir=data)
    async with app.run_test(size=(150, 42)) as pilot:
        while not (app.reader.loaded and app.library.index_ready is not None and len(app.reader.search_ids) == 3):
            await pilot.pause(0.05)
        await pilot.press("j", "j", "a", "j", "x", "j", "j", "a", "k")
        await pilot.pause(0.3)
        app.clear_notifications()
        await pilot.pause(0.1)
        app.save_screenshot("main.svg", str(OUT))
        await pilot.press("slash", *"diffusion")
        app.reader.filter_bar.cursor_blink = False  # the same picture at every run
        await pilot.pause(0.5)
        app.save_screenshot("filter.svg", str(OUT))
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause(0.3)
        app.save_screenshot("help.svg", str(OUT))
        await pilot.press("escape")
        await pilot.press("Q")
        await pilot.pause(0.2)
        if app.focused is not app.reader.queue_pane:
            app.reader.queue_pane.focus()
        await pilot.pause(0.2)
        app.clear_notifications()
        await pilot.pause(0.1)
        app.save_screenshot("queue.svg", str(OUT))


def main() -> int:
    os.environ.setdefault("PAPERTRAY_CONFIG", os.path.join(tempfile.mkdtemp(), "config.toml"))
    sys.path.insert(0, str(REPO))
    OUT.mkdir(exist_ok=True)
    asyncio.run(shoot())
    for name in ("main", "filter", "help", "queue"):
        print(OUT / f"{name}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
