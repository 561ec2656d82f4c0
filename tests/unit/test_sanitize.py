"""The sanitiser: what reaches the terminal from a digest, and its fast path.

The cleaning rule (README, "Text cleaning"): a complete escape sequence is removed whole, any other
control character alone; nothing else is ever removed, and no removal crosses a line or a field.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.sanitize import _printable, clean, clean_block, clean_line, find_urls, has_controls, repair_mojibake

_SPACES = re.compile(r"\s+")
# Every character `clean` removes when it stands alone: C0 (but tab, newline), DEL, C1, bidi controls.
CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))] + [
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
]
# Printable text, newlines and tabs: what a field holds once its controls are gone.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") | st.sampled_from("\n\t"))


def slow_line(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


# An independent description of the complete sequences, written as whole-string patterns: the
# removed part next to an inserted control must be exactly one of these.
_COMPLETE = [
    re.compile(r"(\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"),
    re.compile(r"(\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f\"<>]*(\x07|\x1b\\|\x9c)"),
    re.compile(r"\x1b[ -/]+[0-~]"),
    re.compile(r"\x1b[0-9=<>\\]"),
]


def is_complete_sequence(s: str) -> bool:
    return any(p.fullmatch(s) for p in _COMPLETE)


@given(st.text())
def test_no_control_or_escape_survives(text: str) -> None:
    for out in (clean(text), clean_line(text), clean_block(text)):
        assert not has_controls(out)
        assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out


@given(st.text())
def test_cleaning_only_removes(text: str) -> None:
    """What survives is the input with characters removed, in order, never anything added."""
    out = iter(text.replace("\r\n", "\n"))
    assert all(ch in out for ch in clean(text))  # `clean(text)` is a subsequence of the input


@given(printable, st.data())
def test_a_control_inserted_anywhere_removes_only_itself_or_a_complete_sequence(text: str, data: st.DataObject) -> None:
    """For any text and any control inserted anywhere, every printable character that is not part
    of a complete escape sequence survives (and the removal stays on its line)."""
    at = data.draw(st.integers(0, len(text)))
    control = data.draw(st.sampled_from(CONTROLS))
    out = clean(text[:at] + control + text[at:])
    if out == text:
        return
    # Something printable went: it must be the rest of a complete sequence the control started.
    assert text.startswith(out[:at]) and out[:at] == text[:at]
    removed_len = len(text) - len(out)
    assert removed_len > 0 and text[at + removed_len :] == out[at:]
    removed = control + text[at : at + removed_len]
    assert is_complete_sequence(removed), repr(removed)
    assert "\n" not in removed


NOT_TERMINATORS = [c for c in CONTROLS if c not in "\x07\x9c"]


@given(printable, st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(NOT_TERMINATORS)), max_size=8))
def test_many_lone_controls_remove_only_themselves(text: str, inserts: list[tuple[int, str]]) -> None:
    """Controls followed by a letter no sequence can continue with ("é"), and no terminator."""
    pieces = list(text)
    for pos, control in sorted(inserts, reverse=True):
        pieces.insert(min(pos, len(pieces)), control + "é")
    dirty = "".join(pieces)
    assert clean(dirty) == "".join(p.replace(p[0], "", 1) if p[0] in CONTROLS else p for p in pieces)


@given(st.text())
def test_fast_path_gives_what_the_slow_path_gives(text: str) -> None:
    assert clean_line(text) == slow_line(text)
    paragraphs = re.split(r"\n[ \t]*\n", clean(text).strip())
    assert clean_block(text) == "\n\n".join(_SPACES.sub(" ", p).strip() for p in paragraphs if p.strip())


@given(st.text(st.characters(max_codepoint=0x7F), min_size=150, max_size=400) | st.text(min_size=190, max_size=260))
def test_the_long_ascii_printable_check_is_isprintable(text: str) -> None:
    assert _printable(text) == text.isprintable()
    for c in (chr(n) for n in (*range(0x20), 0x7F, 0x20, 0x7E)):
        long = "a" * 300 + c
        assert _printable(long) == long.isprintable()


def test_known_sequences() -> None:
    assert clean("\x1b[1;31mred\x1b[0m") == "red"
    assert clean("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert clean("x\x9b2Jy\x00z\x07") == "xyz"
    assert clean("\x1b(B\x1b[mplain\x1b7\x1b8") == "plain"
    assert clean("keep\ttab\nand newline") == "keep\ttab\nand newline"
    assert clean("crlf\r\nline") == "crlf\nline"
    assert clean_line("  a \t b\n c ") == "a b c"
    assert clean_block("one\nwrapped line\n\nsecond  para") == "one wrapped line\n\nsecond para"


def test_lone_and_unterminated_sequences_remove_only_themselves() -> None:
    # A stray C1 character (double-decoded UTF-8) used to delete the rest of the text.
    assert clean("Jos\u00c3\u00a9 \u00e2\x80\x9dquoted\u00e2\x80\x9d and the rest\nnext line") == (
        "Jos\u00c3\u00a9 \u00e2quoted\u00e2 and the rest\nnext line"
    )
    assert clean("title \x1b]0;no terminator\nabstract") == "title ]0;no terminator\nabstract"
    assert clean("a lone \x1bNice day") == "a lone Nice day"
    assert clean("\x9dstring that never ends") == "string that never ends"
    # An OSC body never spans a field delimiter: the JSON/XML around it is left whole.
    assert clean('"a\x1b]x", "b": "y\x07"') == '"a]x", "b": "y"'
    assert clean("<t>a\x9dx</t><s>y\x9c</s>") == "<t>ax</t><s>y</s>"


def test_find_urls() -> None:
    text = "Code at https://github.com/x/y. Demo (https://demo.example.org/a?b=1), again https://github.com/x/y"
    assert find_urls(text) == ["https://github.com/x/y", "https://demo.example.org/a?b=1"]


def test_urls_keep_a_balanced_closing_parenthesis() -> None:
    text = "See https://en.wikipedia.org/wiki/Rust_(language). Or (https://x.org/a_(b)) and https://y.org/p)."
    assert find_urls(text) == ["https://en.wikipedia.org/wiki/Rust_(language)", "https://x.org/a_(b)", "https://y.org/p"]


def test_latex_becomes_letters_with_spacing_kept_and_maths_stays() -> None:
    from tui.parsers.common import latex_to_unicode

    assert latex_to_unicode(r"V\'ictor Yeste, Pablo Barcel\'o, G\"{o}del, Fran\c{c}ois") == "Víctor Yeste, Pablo Barceló, Gödel, François"
    assert latex_to_unicode(r"Schr\"odinger {\"U}ber Stra{\ss}e Dvo\v{r}\'ak Erd\H{o}s Rodr\'{\i}guez") == "Schrödinger Über Straße Dvořák Erdős Rodríguez"
    assert latex_to_unicode(r"Tr\'e Guillory") == "Tré Guillory"
    assert latex_to_unicode(r"Jos\'e Hern\'andez-Orallo") == "José Hernández-Orallo"
    assert latex_to_unicode(r"Balk{\i}r {\dj}uro \c{C}a\u{g}lar") == "Balkır đuro Çağlar"
    assert latex_to_unicode(r"$\mathrm{morphofit}$: \textit{fast} fits, 50% $\vec{v} \omega$") == r"$\mathrm{morphofit}$: fast fits, 50% $\vec{v} \omega$"
    assert latex_to_unicode("no backslash {at all}") == "no backslash {at all}"


@given(st.text())
def test_latex_conversion_never_raises_and_keeps_maths(text: str) -> None:
    from tui.parsers.common import _MATH, latex_to_unicode

    out = latex_to_unicode(text)
    if "\\" not in text:
        assert out == text
    for m in _MATH.finditer(text):
        assert m.group(0) in out


def test_mojibake_is_repaired_only_where_it_is() -> None:
    assert repair_mojibake("S\u00c3\u00a9bastien Lafond") == "Sébastien Lafond"
    assert repair_mojibake("Oliver Wei\u00c3\x9fl") == "Oliver Weißl"
    assert repair_mojibake("a \u00e2\x80\x9cquote\u00e2\x80\x9d") == "a \u201cquote\u201d"
    assert repair_mojibake("JosÃ© RaÃºl Romero\ncafé – naïve\nplain") == "José Raúl Romero\ncafé – naïve\nplain"
    for fine in ("café – naïve", "Ñandú", "résumé", "plain ascii", "Jonáš Herec"):
        assert repair_mojibake(fine) == fine
