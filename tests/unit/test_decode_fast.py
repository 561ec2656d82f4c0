"""The fast byte checks of `tui.loader.decode_raw` give the answers of the plain ones, and the raw
bytes it hands on are exactly what the text decodes from."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.loader import (
    _MOJIBAKE_BYTES,
    _PLAIN_ASCII,
    _rest_needs_cleaning,
    decode,
    decode_raw,
    needs_cleaning,
)
from tui.sanitize import clean, repair_mojibake

# Characters the checks are about: ASCII and C1 controls, bidi overrides, the pieces of
# double-decoded UTF-8 (Ã, Â, ©, cp1252 stand-ins), lead bytes' neighbours (U+0080-00BF,
# U+2000-206F), plain text and whitespace.
_TRICKY = st.sampled_from(
    list("\x00\x07\t\n\r\x0b\x1b\x7f\x80\x85\x9b\x9f\xa0\xa9\xbf\xc2\xc3\xe2\xe9 aZ<&")
    + ["\u2018", "\u201d", "\u2026", "\u202a", "\u202e", "\u2066", "\u2069", "\u206a", "\u2028",
       "\u20ac", "\u2122", "\u0152", "\u0161", "\u0192", "\u02c6", "\u02dc", "\u2039", "\U0001f600",
       "\ufeff", "Ã©", "Ã\u0081", "â\u0080\u009d", "Ã¢â‚¬â„¢", " Jos\u00c3\u00a9\n", "\r\n"])
_TEXTS = st.one_of(st.lists(_TRICKY, max_size=60).map("".join), st.text(max_size=300))


def _old_decode(data: bytes) -> tuple[str, bool]:
    """The decoding before the fast checks (the oracle), and whether the text came back as decoded."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return clean(data.decode("utf-16")), False
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
        if not data.isascii() and _MOJIBAKE_BYTES.search(data):
            text = repair_mojibake(text)
        elif not needs_cleaning(data):
            return text, True
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
    return clean(text), False


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_rest_check_agrees_with_needs_cleaning(text: str) -> None:
    data = text.encode("utf-8", "surrogatepass")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:  # the fast check is only for valid UTF-8
        return
    assert _rest_needs_cleaning(data.translate(None, _PLAIN_ASCII)) == needs_cleaning(data)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    _TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE]), _TEXTS,
              st.sampled_from(["utf-8", "latin-1", "utf-16-le"])).map(
        lambda x: x[0] + x[1].encode(x[2], "replace")),
    st.binary(max_size=300),
))
def test_decode_raw_matches_the_plain_decoding(data: bytes) -> None:
    text, raw = decode_raw(data, [])
    expected, untouched = _old_decode(data)
    assert text == expected == decode(data, [])
    assert (raw is not None) == untouched
    if raw is not None:  # the bytes handed on are the file (without a BOM) and decode to the text
        assert raw.decode("utf-8") == text
        assert data.endswith(raw) and len(data) - len(raw) in (0, len(codecs.BOM_UTF8))


def test_rest_check_sees_each_control_kind() -> None:
    for bad in ("\x1b", "\x00", "\r", "\x7f", "\u0085", "\u009b", "\u202e", "\u2067"):
        data = f"Jos\u00e9 \u201cq\u201d {bad} end".encode()
        assert _rest_needs_cleaning(data.translate(None, _PLAIN_ASCII))
        assert decode_raw(data, [])[1] is None
    assert decode_raw("Jos\u00e9 \u201cq\u201d\tend\n".encode(), [])[1] is not None


# --- feeds read from their bytes (tui.parsers.parse_feed_bytes) --------------------------------

def _rep(result) -> tuple:
    d = result.digest
    return (d.format, d.date, d.paper_ids, [(x.level, x.message, x.line) for x in d.diagnostics],
            [(p.id, p.title, p.abstract, p.authors, p.published, p.categories, p.links, p.kind, p.comments)
             for p in result.papers])


def _feeds() -> list[bytes]:
    from tests.conftest import FIXTURES

    return [(FIXTURES / "arxiv_xml" / name).read_bytes() for name in ("minimal-atom.xml", "minimal-rss.xml")]


_BYTES = st.sampled_from([b"\x80", b"\xc2", b"\xc3\xa9", b"\xe2\x80\x9d", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                          b"\xff", b"\xef\xbf\xbe", b"\xc3", b"\xa9", b"<!-- \xff -->", b"<?p \xfe?>", b"&#x85;",
                          b"<![CDATA[\xe9]]>", b"\x1b", b"\xc2\x85", b"  ", b"\n"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([0, 1]), st.lists(st.tuples(st.floats(0, 1), _BYTES), max_size=3))
def test_feed_bytes_route_takes_only_valid_utf8_and_agrees_with_the_text_route(which: int, edits) -> None:
    from pathlib import Path

    from tui.loader import PLAIN, classify_utf8
    from tui.parsers import parse_feed_bytes, parse_text

    data = _feeds()[which]
    for where, insert in edits:  # after a '>': mostly into text, where the feed stays well-formed
        ends = [i + 1 for i in range(len(data)) if data[i] == ord(">")]
        at = ends[int(where * (len(ends) - 1))]
        data = data[:at] + insert + data[at:]
    body, kind = classify_utf8(data)
    if kind != PLAIN:
        return
    got = parse_feed_bytes(body, Path("f.xml"))
    if got is None:
        return
    text = body.decode("utf-8")  # the bytes route takes valid UTF-8 only: this must not raise
    assert _rep(got) == _rep(parse_text(text, Path("f.xml"), None, body))


def test_an_invalid_byte_in_a_feed_is_still_replaced_with_a_warning(tmp_path) -> None:
    from tests.conftest import FIXTURES
    from tui.loader import Candidate, read_digest

    data = (FIXTURES / "arxiv_xml" / "minimal-atom.xml").read_bytes().replace(b"Universe</title>", b"Universe\xff</title>", 1)
    path = tmp_path / "f.xml"
    path.write_bytes(data)
    result = read_digest(Candidate(path, True))
    assert "\ufffd" in result.papers[0].title
    assert any("invalid UTF-8" in d.message for d in result.digest.diagnostics)
