"""SVG snapshots of the main screens: any change to what the reader draws shows up here.

Each scene is exported with `App.export_screenshot` and compared, byte for byte, with the SVG in
`tests/reader/snapshots/`. On a difference the new picture is written beside it as `NAME.new.svg`
(open both in a browser); when the change is meant, accept every new picture with

    PAPERTRAY_UPDATE_SNAPSHOTS=1 python -m pytest tests/reader/test_snapshots.py

Deterministic: the fixture digests, an empty data folder, a fixed "today" (dates of this year
are drawn without the year), no blinking cursor, no notifications.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from tests.reader.conftest import loaded, make_app, paste_filter, settle
from tui.reader.app import PapertrayApp
from tui.reader.widgets import rows as row_format

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("PAPERTRAY_UPDATE_SNAPSHOTS") == "1"


class _FixedToday(date):
    @classmethod
    def today(cls) -> _FixedToday:
        return cls(2026, 11, 30)


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(row_format, "date", _FixedToday)


async def shoot(app: PapertrayApp, pilot, name: str) -> str | None:
    """Compare the screen with snapshot `name`; the problem as text, or None when it matches."""
    app.clear_notifications()
    await settle(pilot)
    svg = app.export_screenshot(title=name)
    path = SNAPSHOTS / f"{name}.svg"
    new = SNAPSHOTS / f"{name}.new.svg"
    if UPDATE or not path.exists():
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(svg, encoding="utf-8")
        new.unlink(missing_ok=True)
        return None if UPDATE else f"{path.name} did not exist; written now (check it, then commit it)"
    if path.read_text(encoding="utf-8") == svg:
        new.unlink(missing_ok=True)
        return None
    new.write_text(svg, encoding="utf-8")
    return f"{name}: the screen changed; see {new} (PAPERTRAY_UPDATE_SNAPSHOTS=1 accepts it)"


async def test_main_filter_help_and_queue_screens(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    problems: list[str | None] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "a", "j", "x", "j", "j", "a", "k")
        problems.append(await shoot(app, pilot, "main"))

        await paste_filter(pilot, "orchard")
        app.reader.filter_bar.cursor_blink = False
        problems.append(await shoot(app, pilot, "filter"))
        await pilot.press("escape")

        await pilot.press("question_mark")
        problems.append(await shoot(app, pilot, "help"))
        await pilot.press("escape")

        app.reader.queue_pane.focus()
        problems.append(await shoot(app, pilot, "queue"))
    assert [p for p in problems if p] == []


async def test_narrow_terminal(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        await pilot.press("j", "enter")
        problem = await shoot(app, pilot, "narrow")
    assert problem is None, problem
