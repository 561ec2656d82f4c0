"""The reader and fetched digests: files landing while it runs, `r`, `R` (and Esc), "New"."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.fetch_server import FakeServices, Reply, running
from tests.reader.conftest import (
    APP_FIXTURES,
    SIZE,
    loaded,
    make_app,
    notifications,
    settle,
    status,
    titles,
    wait_for,
)
from tui.config import DigestsConfig, FetchConfig
from tui.fetch import fetch
from tui.listing import NEW_DAY

FETCH = Path(__file__).resolve().parents[1] / "fixtures" / "fetch"
WATCH = DigestsConfig(watch=True, watch_interval=0.5)


@pytest.fixture
def services() -> Iterator[FakeServices]:
    with running() as s:
        yield s


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(APP_FIXTURES, tmp_path / "digests")
    return tmp_path / "digests"


def hf_today(services: FakeServices, **reply: object) -> str:
    """Serve the invented HF day as today's answer; returns its first title."""
    today = date.today().isoformat()
    body = (FETCH / "hf-2026-11-28.json").read_text(encoding="utf-8").replace("2026-11-28", today)
    services.add(f"/api/daily_papers?date={today}", Reply(200, body.encode("utf-8"), **reply))  # type: ignore[arg-type]
    return f"Invented paper 2611.00004 of {today}"


def fetch_config(services: FakeServices, folder: Path) -> FetchConfig:
    return FetchConfig(dir=folder, sources=("hf",), hf_base_url=services.url, arxiv_rss_base_url=services.url,
                       arxiv_api_base_url=services.url, timeout=5.0, retries=1)


def last_session(data: Path, when: datetime, files: list[Path]) -> None:
    """An arrivals record as a session that ended at `when` would have left it."""
    data.mkdir(parents=True, exist_ok=True)
    doc = {"version": 1, "session": when.isoformat(),
           "files": {str(f.absolute()): (when - timedelta(hours=1)).isoformat() for f in files}}
    (data / "arrivals.json").write_text(json.dumps(doc), encoding="utf-8")


async def test_a_file_fetched_while_reading_appears_live_with_the_cursor_kept(
        services: FakeServices, folder: Path, tmp_path: Path) -> None:
    first_new = hf_today(services)
    cfg = fetch_config(services, folder)
    data = tmp_path / "data"
    last_session(data, datetime.now(UTC) - timedelta(days=1), sorted(folder.iterdir()))
    app = make_app(data, paths=[folder], digests=WATCH, fetch=cfg)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        reader = app.reader
        assert reader.days_pane.new_ids == [] and "new since" not in status(app)
        await pilot.press("j", "j")
        current = reader.papers_pane.current.id
        # `papertray fetch` from cron (another process, here a thread) writes today's digest.
        outcomes = await asyncio.to_thread(fetch, cfg, folder)
        assert [o.status for o in outcomes] == ["fetched"]
        await wait_for(pilot, lambda: first_new in titles(app), timeout=10, what="the fetched digest")
        await settle(pilot)
        assert reader.papers_pane.current.id == current
        assert len(reader.days_pane.new_ids) == 3 and "3 new since yesterday" in status(app)
        # The "New" row lists exactly the arrivals, each marked.
        reader.days_pane.move_to(1)  # the "New" row, under "All days"
        await settle(pilot)
        assert reader.days_pane.current == NEW_DAY and len(titles(app)) == 3
        assert reader.papers_pane.row_text(0, 100).plain.startswith("✦ ")
        row = reader.days_pane.row_text(1, 30).plain
        assert row.startswith("New") and "3" in row


async def test_R_fetches_in_a_worker_and_the_new_day_shows(services: FakeServices, folder: Path, tmp_path: Path) -> None:
    first_new = hf_today(services, delay=0.3)
    app = make_app(tmp_path / "data", paths=[folder], digests=WATCH, fetch=fetch_config(services, folder))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: "fetching" in status(app), timeout=3, what="progress in the status bar")
        await wait_for(pilot, lambda: first_new in titles(app), timeout=10, what="the fetched digest")
        # The watcher may show the new day a moment before the worker's report lands (a busy machine).
        await wait_for(pilot, lambda: any("Fetched 1 file(s), 3 papers" in n for n in notifications(app)),
                       timeout=5, what="the fetch report")
        assert "fetching" not in status(app)
        assert (folder / f"hf-daily-{date.today()}.json").is_file()
        assert "papertray/" in services.log[0][1]["user-agent"]


async def test_esc_stops_a_fetch_that_is_waiting(services: FakeServices, folder: Path, tmp_path: Path) -> None:
    today = date.today().isoformat()
    services.add(f"/api/daily_papers?date={today}", Reply(429, b'{"error": "slow down"}', {"Retry-After": "60"}))
    app = make_app(tmp_path / "data", paths=[folder], digests=WATCH, fetch=fetch_config(services, folder))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("R")
        await wait_for(pilot, lambda: len(services.log) == 1, timeout=5, what="the first request")
        await pilot.pause(0.2)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.reader._fetch_cancel is None, timeout=3, what="the fetch to stop")
        assert any("cancelled" in n for n in notifications(app))
        assert "fetching" not in status(app) and len(services.log) == 1
        assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in APP_FIXTURES.iterdir())


async def test_r_reloads_now_even_with_watching_off(folder: Path, tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", paths=[folder], digests=DigestsConfig(watch=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await loaded(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert any("No new or changed digests" in n for n in notifications(app))
        text = (folder / "hf-daily-2026-11-20.txt").read_text().replace("Nov 20", "Nov 22", 1)
        (folder / "hf-daily-2026-11-22.txt").write_text(text.replace("Orchard Attention", "Reloaded Attention"))
        await pilot.pause(0.3)
        assert not any("Reloaded Attention" in t for t in titles(app))  # not watching: nothing moves
        await pilot.press("r")
        await wait_for(pilot, lambda: any("Reloaded Attention" in t for t in titles(app)), timeout=5, what="reload")


async def test_papers_new_since_the_last_session_at_start(folder: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    older = [folder / "hf-daily-2026-11-18.txt", folder / "arxiv-cs-2026-11-19.txt"]
    last_session(data, datetime.now(UTC) - timedelta(days=3), older)  # the Nov 20 file came after
    app = make_app(data, paths=[folder])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        reader = app.reader
        assert len(reader.days_pane.new_ids) == 4
        when = (datetime.now(UTC) - timedelta(days=3)).astimezone()
        assert f"4 new since {when:%A}" in status(app)
    # The session is over: next time nothing of this is new.
    again = make_app(data, paths=[folder])
    async with again.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert again.reader.days_pane.new_ids == [] and "new since" not in status(again)
