"""The "for you" sort in the reader: `s` reaches it, `a` and `N` teach it, the abstract says why.

The digest (tests/fixtures/rank/two-topics.txt) holds eight invented papers on two topics, in this
order: 1 braised beef, 2 galaxy redshifts, 3 sourdough, 4 braised lamb, 5 dark matter halos,
6 telescope mirrors, 7 oven spring, 8 beef stock pots.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from tui.config import Config, UIConfig
from tui.reader.app import PapertrayApp

DIGEST = Path(__file__).resolve().parents[1] / "fixtures" / "rank" / "two-topics.txt"
SIZE = (130, 40)
DIGEST_ORDER = [f"2610.0500{n}" for n in range(1, 9)]


def make_app(data_dir: Path, sort: str = "digest") -> PapertrayApp:
    return PapertrayApp([DIGEST], config=Config(ui=UIConfig(mark_read_delay=0, sort=sort)), data_dir=data_dir)


def ids(app: PapertrayApp) -> list[str]:
    return [p.id for p in app.reader.papers_pane.papers]


def status(app: PapertrayApp) -> str:
    return str(app.query_one("#status").render())


def abstract(app: PapertrayApp) -> str:
    return " ".join(" ".join(app.reader.abstract_pane.text_lines).split())


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_s_reaches_for_you_and_queueing_teaches_it(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert ids(app) == DIGEST_ORDER
        await pilot.press("s", "s", "s", "s")  # digest → date → upvotes → title → for you
        await settle(pilot)
        assert app.reader.view.sort == "for-you"
        # Nothing queued: digest order, and the status bar says why.
        assert ids(app) == DIGEST_ORDER
        assert "for you → digest order (nothing queued yet" in status(app)
        assert "nothing queued yet" in abstract(app)

        await pilot.press("a")  # queue the braised beef paper
        await settle(pilot)
        order = ids(app)
        assert order[:2] == ["2610.05004", "2610.05008"]  # braised lamb, beef stock: the nearest
        assert order[-1] == "2610.05001"  # the queued paper itself goes last
        assert "sort: for you" in status(app) and "digest order" not in status(app)

        await pilot.press("g")  # the best paper: the abstract says why it is first
        await settle(pilot)
        text = abstract(app)
        assert "For you" in text and "near queued “Slow Braising of Beef Shoulder in Red Wine”" in text
        assert "wine" in text and "stock" in text

        await pilot.press("s")  # the cycle wraps back to digest order
        await settle(pilot)
        assert ids(app) == DIGEST_ORDER and "For you" not in abstract(app)


async def test_not_for_me_pushes_a_paper_last_and_is_saved(tmp_path: Path) -> None:
    app = make_app(tmp_path, sort="for-you")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")  # queue braised beef (the first row)
        await settle(pilot)
        assert ids(app)[1] == "2610.05008"
        await pilot.press("g", "j")  # the beef stock pots paper
        await settle(pilot)
        assert app.reader.papers_pane.current.id == "2610.05008"
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert ids(app)[-1] == "2610.05008"  # not for me: last, below the queued paper
        saved = tomllib.loads((tmp_path / "notforme.toml").read_text())
        assert [m["id"] for m in saved["not-for-me"]] == ["2610.05008"]
        assert "marked not for me" in abstract(app)
        await pilot.press("exclamation_mark")  # the cursor followed the paper: clear the mark
        await settle(pilot)
        assert ids(app)[1] == "2610.05008"
        assert [m["id"] for m in tomllib.loads((tmp_path / "notforme.toml").read_text())["cleared"]] == ["2610.05008"]


async def test_marks_made_by_another_instance_are_picked_up(tmp_path: Path) -> None:
    from tui.rank.notforme import NotForMe

    app = make_app(tmp_path, sort="for-you")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        NotForMe(tmp_path).set("2610.05004", title="braised lamb")  # a second papertray
        app.reader.poll_user_files()
        await settle(pilot)
        assert ids(app)[-1] == "2610.05004"


def test_starting_the_reader_does_not_import_the_model() -> None:
    code = "import sys, tui.reader.app, tui.cli; print(sorted(m for m in ('numpy', 'tui.rank.ranker') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
