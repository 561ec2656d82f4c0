"""Only http(s) links are loaded, exported or opened (tui.links), wherever they come from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.links import _split_check, safe_url
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


url_parts = st.sampled_from([":", "/", "?", "#", "@", "[", "]", "[::1]", ".", "-", "a", "Z9", "x.org", "80", "99999999",
                              "%41", "\u00e9", "\uff0e", "\u2100", " ", "http://", "//"])
urls = st.tuples(st.sampled_from(["http", "https", "HTTP", "ftp", "", "h"]), st.sampled_from(["://", ":/", ":", "//"]),
                 st.lists(url_parts, max_size=4).map("".join), st.sampled_from(["", "/", "?q", "#f", "/a/b"])).map("".join)


@settings(max_examples=500, deadline=None)
@given(urls | st.lists(url_parts, max_size=8).map("".join))
def test_the_fast_path_agrees_with_urlsplit(url: str) -> None:
    expected = None if not url or safe_url.__globals__["_BAD_CHARS"].search(url) else _split_check(url)
    assert safe_url(url) == expected


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
