"""The reader while and after loading: it can always be left, it says which files were damaged,
and a runaway field does not make it sluggish."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from reader.conftest import APP_FIXTURES, SIZE, loaded, make_app, notifications, settle

from tui.cli import SAMPLES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


async def test_a_damaged_file_is_named_in_a_notification(tmp_path: Path) -> None:
    app = make_app(tmp_path / "data", paths=[APP_FIXTURES / "arxiv-cs-2026-11-19.txt", FIXTURES / "arxiv_xml" / "truncated.xml"])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert any("1 file(s) damaged, some papers lost: truncated.xml" in m for m in notifications(app))
        assert app.reader.papers_pane.row_count == 3 + 2  # the salvaged papers are listed


@pytest.mark.parametrize("key", ["q", "ctrl+c"])
async def test_q_and_ctrl_c_leave_the_reader_even_while_loading(tmp_path: Path, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tui.store

    read = tui.store.read_digest
    calls: list[float] = []

    def slow_read(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        calls.append(time.monotonic())
        time.sleep(0.2)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tui.store, "read_digest", slow_read)
    for n in range(40):  # 40 files at 0.2 s each: an 8 s load
        shutil.copy(APP_FIXTURES / "arxiv-cs-2026-11-19.txt", tmp_path / f"arxiv-{n:02}.txt")
    app = make_app(tmp_path / "data", paths=[tmp_path])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert not app.reader.loaded
        await pilot.press(key)
        await pilot.pause()
    assert not app.is_running
    # The load stops at its next file (Python would otherwise wait for it before the process ends).
    quit_at = time.monotonic()
    time.sleep(0.8)
    assert len([t for t in calls if t > quit_at]) <= 1 and len(calls) < 20


async def test_a_huge_abstract_is_shown_cut_and_keys_still_answer(tmp_path: Path) -> None:
    from tui.reader.widgets.abstract import ABSTRACT_SHOWN

    data = json.loads((SAMPLES / "hf-api-2026-11-19.json").read_text(encoding="utf-8"))
    data[1]["paper"]["summary"] = data[1]["summary"] = ("lorem ipsum dolor sit amet " * 320_000)[:8_000_000]
    path = tmp_path / "huge.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app(tmp_path / "data", paths=[path])
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        huge = data[1]["paper"]["id"]
        for _ in range(8):  # to the huge paper
            if app.reader.papers_pane.current.id == huge:
                break
            await pilot.press("j")
            await settle(pilot)
        text = " ".join(" ".join(app.reader.abstract_pane.text_lines).split())  # wrapped lines as one
        assert f"the first {ABSTRACT_SHOWN:,} are shown" in text and "200,002 characters" in text
        slowest = 0.0
        for key in ["j", "k", "k", "j"]:  # off and back on the huge paper
            t0 = time.perf_counter()
            await pilot.press(key)
            await settle(pilot)
            slowest = max(slowest, time.perf_counter() - t0)
        # A guard against the 15 s freeze, not a speed budget (that is the benchmark's job).
        assert slowest < 2.0, slowest
