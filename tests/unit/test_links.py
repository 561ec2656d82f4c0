"""Only http(s) links are loaded, exported or opened (tui.links), wherever they come from."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.links import safe_url
from tui.model import Digest, Format, Paper, ParseResult
from tui.queue import Queue
from tui.store import Store


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2601.01234", "http://dx.doi.org/10.1103/PhysRevB.85.115117",
    "https://huggingface.co/papers/x(1)", "HTTPS://Example.org:8080/a?b=c#d",
])
def test_http_links_pass(url: str) -> None:
    assert safe_url(url) == url


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "--remote-debugging-port=9222", "-new-window",
    "ftp://x.org/a", "data:text/html,<b>", "https://", "http:///path", "https://a b.org", "https://x.org/\x1b[2J",
    "https://x.org:99999999/", "//x.org/a", "", None, 'https://x.org/"onmouseover=1',
])
def test_other_links_are_refused(url) -> None:
    assert safe_url(url) is None


def test_store_drops_unsafe_links_with_a_warning(tmp_path: Path) -> None:
    # Parsers already refuse most (hf-json checks githubRepo); the store is the one gate for all of them.
    digest = Digest(tmp_path / "d.xml", Format.ARXIV_ATOM)
    paper = Paper("2601.01234", "A Paper", links={"arxiv": "https://arxiv.org/abs/2601.01234", "url1": "javascript:alert(1)"})
    store = Store()
    d = store.add(ParseResult(digest, [paper]))
    assert store.papers["2601.01234"].links == {"arxiv": "https://arxiv.org/abs/2601.01234"}
    assert [x.level for x in d.diagnostics] == ["warning"] and "javascript:alert(1)" in d.diagnostics[0].message


def test_queue_drops_unsafe_links_from_a_hand_edited_file(tmp_path: Path) -> None:
    (tmp_path / "queue.toml").write_text(
        'version = 1\n\n[[paper]]\nid = "2601.01234"\ntitle = "T"\n[paper.links]\n'
        'arxiv = "https://arxiv.org/abs/2601.01234"\nbad = "--remote-debugging-port=9222"\n'
    )
    queue = Queue(tmp_path)
    assert dict(queue.get("2601.01234").links) == {"arxiv": "https://arxiv.org/abs/2601.01234"}
    assert len(queue.warnings) == 1 and "--remote-debugging-port=9222" in queue.warnings[0]


async def test_the_reader_never_hands_an_unsafe_link_to_the_browser(tmp_path: Path) -> None:
    from test_app import SIZE, loaded, make_app, notifications, wait_for

    from tui.config import BrowserConfig

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
        await wait_for(pilot, lambda: out.exists(), what="the browser command")
        assert out.read_text() == "https://arxiv.org/abs/2611.10002"
