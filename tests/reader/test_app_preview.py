"""A big archive shows its newest digests first, then everything; the first paint is stamped once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.reader.conftest import APP_FIXTURES, SIZE
from tui.cache import ParseCache
from tui.preload import Preload
from tui.reader.app import PapertrayApp
from tui.store import Store


async def test_preview_then_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tui.preload.MIN_BYTES_TO_FORK", 0)
    monkeypatch.setattr("tui.preload.START_GRACE_S", 0)
    monkeypatch.setattr("tui.preload.PREVIEW_MIN_BYTES", 0)
    monkeypatch.setattr("tui.preload.PREVIEW_BYTES", 1)
    stamp = tmp_path / "first"
    monkeypatch.setenv("PAPERTRAY_FIRST_PAINT_FILE", str(stamp))
    preload = Preload([APP_FIXTURES], 1 << 26, workers=2, cache=ParseCache(tmp_path / "c", pool=True))
    newest = preload.candidates[preload.preview_indexes[0]].path
    previews: list[int] = []
    app = PapertrayApp([APP_FIXTURES], data_dir=tmp_path / "data", preload=preload)
    reader = app.reader
    real = reader._preview

    def spy(store: Store) -> None:
        previews.append(len(store.papers))
        real(store)

    reader._preview = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(250):
            if reader.loaded and app.library.index_ready is not None:
                break
            await asyncio.sleep(0.02)
        await pilot.pause()
        assert reader.loaded and previews
        assert 0 < previews[0] < len(reader.store.papers)  # the glimpse held part of the archive
        assert newest in {d.path for d in reader.store.digests}
        assert reader.papers_pane.row_count == len(reader.store.papers)
        assert stamp.exists() and float(stamp.read_text()) > 0
        first = stamp.read_text()
        await pilot.press("slash", "t", "h", "e")
        await pilot.pause()
        assert stamp.read_text() == first  # written once
