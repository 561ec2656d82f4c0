"""Each shortcut taken while loading feeds gives the answer of the general step it skips."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.links import keep_safe_links, safe_url, split_links
from tui.parsers.arxiv_xml import _abs_id, _abs_id_steps
from tui.sanitize import find_urls

_ID_PARTS = st.sampled_from(["http", "https", "://", "arxiv.org", "arXiv.org", "export.", "/abs/", "/pdf/", "2504",
                             ".", "00357", "0035", "123456", "v", "1", "12", "v1", " ", "\n", "hep-th/", "0101001",
                             "\u0663", "x", "/", "api/errors#"])


def _near_misses(usual: list[str], variants: list[list[str]]) -> st.SearchStrategy[str]:
    """The usual shape (`usual` joined) with up to two of its parts swapped for a variant."""
    def build(swaps: list[tuple[int, int]]) -> str:
        parts = list(usual)
        for at, which in swaps:
            parts[at] = variants[at][which % len(variants[at])]
        return "".join(parts)
    return st.lists(st.tuples(st.integers(0, len(usual) - 1), st.integers(0, 99)), max_size=2).map(build)


_ID_SHAPED = _near_misses(
    ["http://", "arxiv.org", "/abs/", "2504", ".", "00357", "v1"],
    [["https://", "HTTP://", "http:/", "", "ftp://"], ["export.arxiv.org", "arxivXorg", "", "arxiv.org/abs/x"],
     ["/pdf/", "/abs/hep-th/", "abs/", "/abs//", "/ABS/"], ["250", "25044", "\u0663504", "2504.2504"],
     ["", "v", "..", "/"], ["0035", "003577", "0035\u0663", "00357.1", "/abs/2101.00001"],
     ["v12", "v", "", "V1", "v1 ", "v1/abs/2101.00001", "v1x", "v\u0661", "v1v2"]])


@settings(max_examples=600, deadline=None)
@given(st.lists(_ID_PARTS, max_size=10).map("".join) | _ID_SHAPED)
def test_abs_id_shortcut_agrees_with_the_steps(raw: str) -> None:
    assert _abs_id(raw) == _abs_id_steps(raw)


def test_abs_id_shortcut_cases() -> None:
    assert _abs_id("http://arxiv.org/abs/2504.00357v1") == "2504.00357"
    assert _abs_id("https://arxiv.org/abs/2504.0035v12") == "2504.0035"
    assert _abs_id("http://arxiv.org/abs/hep-th/0101001v2") == "hep-th/0101001"
    assert _abs_id("http://arxiv.org/abs/2504.003577v1") is None


_URL_PARTS = st.sampled_from(["http", "https", "HTTP", "javascript:", "://", "//", "arxiv.org", "a-b.c", "-x", ".",
                              "/abs/1", "?q=1", "#f", "(", ")", " ", "\x1b", "\x85", '"', "<", "\\", "`", "@", ":80",
                              ":99999999", "[::1]", "\u00e9", "%41", ""])
_URLS = st.lists(_URL_PARTS, max_size=7).map("".join) | _near_misses(
    ["https://", "arxiv.org", "/abs/2504.00357", "?q=1", "#f"],
    [["http://", "HTTP://", "https:/", "", "https:///", "javascript://"],
     ["a", "-a.org", "a_b.org", ".a", "", "a:8080", "a:99999999", "[::1]", "\u00e9.org", "a b", "a@b"],
     ["", "/", "/a\\b", "/a\x1bb", "/a b", '/"', "/<", "/`", "/\x85", "/\u00e9", ":80/"],
     ["", "?", "?a<b", "?\x7f"], ["", "#", "#`", "# "]])
_LINKS = st.dictionaries(st.sampled_from(["arxiv", "pdf", "doi", "url1", "github"]), _URLS, max_size=4)


@settings(max_examples=600, deadline=None)
@given(_LINKS)
def test_keep_safe_links_shortcut_agrees_with_the_link_by_link_check(links: dict[str, str]) -> None:
    said: list[str] = []
    kept = keep_safe_links(links, "p", said.append)
    expected, dropped = split_links(links)
    assert kept == expected and list(kept) == list(expected) and kept is not links
    assert len(said) == len(dropped)
    assert all(safe_url(u) == u for u in kept.values())


def test_keep_safe_links_with_a_non_string_value() -> None:
    assert keep_safe_links({"a": "https://x.org/", "b": None}, "p") == {"a": "https://x.org/"}  # type: ignore[dict-item]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["http", "s", "://", ":", "x.org", "/a", " ", "(b)", ".", "a"]), max_size=12).map("".join))
def test_find_urls_colon_shortcut(text: str) -> None:
    found = find_urls(text)
    if ":" not in text:
        assert found == []
    assert found == find_urls(text + " :")[: len(found)]


_BLOCK_CHARS = st.sampled_from(list("ab \t\n.\u00a0\u2028\u3000\u00e9\u200b\ufeff") + ["  ", "\n \n", "\n\t\n", " \n\n "])


@settings(max_examples=500, deadline=None)
@given(st.lists(_BLOCK_CHARS, max_size=30).map("".join) | st.text(max_size=200))
def test_clean_block_plain_agrees_on_text_without_controls(text: str) -> None:
    from tui.sanitize import _ANY_BAD, clean_block, clean_block_plain

    if _ANY_BAD.search(text):  # not for such text: a feed with a control or a character reference
        return
    assert clean_block_plain(text) == clean_block(text)


def test_character_references_to_controls_are_still_cleaned(tmp_path) -> None:
    from tui.loader import Candidate, read_digest

    feed = ('<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<id>http://arxiv.org/api/x</id><entry><id>http://arxiv.org/abs/2611.00001v1</id>"
            "<title>T</title><summary>a&#x9b;31mb&#x85;c&#x202e;d&#9;e</summary></entry></feed>")
    path = tmp_path / "f.xml"
    path.write_text(feed, encoding="utf-8")
    (paper,) = read_digest(Candidate(path, True)).papers
    assert paper.abstract == "abcd e"


def test_a_load_leaves_nothing_frozen_and_keeps_a_freeze() -> None:
    import gc

    from tests.conftest import FIXTURES
    from tui.store import Store

    store = Store()
    store.load([FIXTURES / "arxiv_xml"])
    assert store.papers and gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        Store().load([FIXTURES / "arxiv_xml"])
        assert gc.get_freeze_count() >= frozen  # what the reader froze stays frozen
    finally:
        gc.unfreeze()
