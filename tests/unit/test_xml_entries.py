"""The two feed readers (C-built tree, streaming target) must gather exactly the same fields."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import FIXTURES, shared_path
from tui.parsers import arxiv_xml
from tui.parsers.xml_entries import ATOM as ATOM_NS
from tui.parsers.xml_entries import Collector, read_tree

ATOM_FEED = ATOM_NS + "feed"


def streamed(text: str) -> Collector:
    collector = Collector()
    parser = ET.XMLParser(target=collector)
    try:
        parser.feed(text)
        parser.close()
    except (ET.ParseError, ValueError, RecursionError):
        pass
    return collector


def gathered(c: Collector) -> tuple:
    """What the parser reads from a collector (Atom entries as rows, RSS items as dicts)."""
    entries = c.atom_rows() if c.root == ATOM_FEED else c.entries
    return c.root, c.feed, c.feed_links, entries


def assert_same(text: str) -> bool:
    """The tree reader agrees with the streaming one whenever it takes the document; True if it did."""
    tree = read_tree(text)
    if tree is None:
        return False
    assert gathered(tree) == gathered(streamed(text))
    return True


def test_real_feeds_take_the_tree_path_and_agree() -> None:
    folder = shared_path("realdata", "arxiv_feed_xml")
    for path in sorted(folder.glob("*.xml")):
        assert assert_same(path.read_text(encoding="utf-8")), path.name


def test_fixtures_agree_and_broken_ones_stream() -> None:
    for path in sorted((FIXTURES / "arxiv_xml").iterdir()):
        text = path.read_text(encoding="utf-8")
        if not assert_same(text):
            assert path.name in {"truncated.xml", "billion-laughs.xml", "external-entity.xml"}, path.name


ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"><id>http://arxiv.org/api/q</id>{}</feed>'
AX = "xmlns:arxiv='http://arxiv.org/schemas/atom'"
RICH = ("<entry><id>http://arxiv.org/abs/2611.00003v2</id><published>2026-11-02T00:00:00Z</published>"
        "<title>Rich <b>one</b></title><summary>S  x</summary><author><name>A B</name><name>C</name></author>"
        f"<arxiv:comment {AX}>5 pages</arxiv:comment><arxiv:primary_category {AX} term='cs.AI'/>"
        '<category term="cs.LG"/><link href="https://arxiv.org/pdf/2611.00003v2" title="pdf"/>'
        "<published>1999-01-01T00:00:00Z</published><id>http://arxiv.org/abs/2611.00009v1</id></entry>")
ENTRY = "<entry><id>http://arxiv.org/abs/2611.0000{}v1</id><title>T{}</title></entry>"


@pytest.mark.parametrize("text", [
    ATOM.format(ENTRY.format(1, 1) + "<x>" + ENTRY.format(2, 2) + "</x>"),  # an entry below another element
    ATOM.format("<entry><id>http://arxiv.org/abs/2611.00001v1</id><title>T<entry/></title></entry>"),
    ATOM.format("<title>" + ENTRY.format(1, 1) + "</title>"),
    "<rss><item><title>T</title><link>https://arxiv.org/abs/2611.00001</link></item></rss>",  # item outside a channel
    ATOM.format(ENTRY.format(1, 1))[:-10],  # truncated
])
def test_odd_shapes_and_broken_documents_go_to_the_streaming_reader(text: str) -> None:
    assert read_tree(text) is None
    result = arxiv_xml.parse(text, Path("odd.xml"))  # still read, by the streaming reader's rules
    assert result.digest.paper_ids == [p.id for p in result.papers]


def test_nested_markup_comments_and_cdata_inside_fields_agree() -> None:
    text = ATOM.format(
        "<entry><id>http://arxiv.org/abs/2611.00001v1</id><title>A <b>bold</b> <!-- c -->step</title>"
        "<summary><![CDATA[x < y]]> &amp; <i>z<j>w</j></i> tail</summary>"
        "<author><name>Ann <x>B</x> Lee</name><name>Second</name><x><name>deep</name></x></author>"
        '<link title="pdf" href="http://arxiv.org/pdf/2611.00001v1"/><category term="cs.LG"/><category/>'
        "<title>second title ignored</title></entry>")
    assert assert_same(text)
    (entry,) = streamed(text).entries
    assert entry["title"] == "A bold step" and entry["summary"] == "x < y & zw tail"
    assert entry["author"] == ["Ann B Lee", "Second"] and entry["categories"] == ["cs.LG"]
    (row,) = read_tree(text).atom_rows()  # type: ignore[union-attr]
    assert row[2:4] == ("A bold step", "x < y & zw tail") and row[6] == ["Ann B Lee", "Second"]
    assert row[8] == ("cs.LG",)


tokens = st.sampled_from([
    "<?xml version='1.0'?>", '<feed xmlns="http://www.w3.org/2005/Atom">', "</feed>", "<rss>", "</rss>",
    "<channel>", "</channel>", "<item>", "</item>", "<entry>", "</entry>", "<id>", "</id>",
    "http://arxiv.org/abs/2611.00001v1", "<title>", "</title>", "<summary>", "</summary>", "<description>",
    "</description>", "<link>", "</link>", '<link href="http://arxiv.org/x" title="pdf"/>', "<author>",
    "</author>", "<name>", "</name>", '<category term="cs.LG"/>', "<category>", "</category>",
    "<dc:creator xmlns:dc='http://purl.org/dc/elements/1.1/'>", "</dc:creator>", "<pubDate>", "</pubDate>",
    "<updated>", "</updated>", "<b>", "</b>", "<!-- c -->", "<![CDATA[<x>]]>", "&amp;", "x", " ", "\n",
    "<published>", "</published>", "2026-11-02T00:00:00Z", f"<arxiv:comment {AX}>", "</arxiv:comment>",
    f"<arxiv:primary_category {AX} term='cs.AI'/>", f"<arxiv:primary_category {AX}/>", "<category/>",
    '<category term=""/>', "<name/>", "<title/>", "<id/>", "<summary/>",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(tokens, max_size=40))
def test_tree_and_stream_agree_on_xml_shaped_text(parts: list[str]) -> None:
    assert_same("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([ENTRY.format(1, 1), ENTRY.format(2, 2), "<x>", "</x>", "<title>", "</title>",
                                 "<author><name>N</name></author>", "<summary>s</summary>", RICH, "<entry>",
                                 "</entry>", "<published>2026-01-01</published>", "<author>", "</author>",
                                 f"<arxiv:comment {AX}>c</arxiv:comment>", '<category term="q"/>']), max_size=12))
def test_tree_and_stream_agree_on_well_formed_feeds(parts: list[str]) -> None:
    text = ATOM.format("".join(parts))
    try:
        ET.fromstring(text)
    except ET.ParseError:
        return
    assert_same(text)


def test_a_long_text_is_streamed_with_the_same_result(monkeypatch) -> None:
    text = ATOM.format(ENTRY.format(1, 1) + ENTRY.format(2, 2))
    tree = arxiv_xml.parse(text, Path("x.xml"))
    assert read_tree(text) is not None
    monkeypatch.setattr("tui.parsers.xml_entries.TREE_MAX_CHARS", len(text) - 1)
    assert read_tree(text) is None
    streamed_result = arxiv_xml.parse(text, Path("x.xml"))
    assert [(p.id, p.title) for p in streamed_result.papers] == [(p.id, p.title) for p in tree.papers]
    assert [p.id for p in tree.papers] == ["2611.00001", "2611.00002"]
