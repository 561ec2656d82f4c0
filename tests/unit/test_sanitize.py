"""The sanitiser: what reaches the terminal from a digest, and its fast path."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from tui.sanitize import clean, clean_block, clean_line, find_urls, has_controls

_SPACES = re.compile(r"\s+")


def slow_line(text: str) -> str:
    return _SPACES.sub(" ", clean(text)).strip()


@given(st.text())
def test_no_control_or_escape_survives(text: str) -> None:
    for out in (clean(text), clean_line(text), clean_block(text)):
        assert not has_controls(out)
        assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out


@given(st.text())
def test_fast_path_gives_what_the_slow_path_gives(text: str) -> None:
    assert clean_line(text) == slow_line(text)
    paragraphs = re.split(r"\n\s*\n", clean(text).strip())
    assert clean_block(text) == "\n\n".join(slow_line(p) for p in paragraphs if p.strip())


def test_known_sequences() -> None:
    assert clean("\x1b[1;31mred\x1b[0m") == "red"
    assert clean("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert clean("x\x9b2Jy\x00z\x07") == "xyz"
    assert clean("keep\ttab\nand newline") == "keep\ttab\nand newline"
    assert clean("crlf\r\nline") == "crlf\nline"
    assert clean_line("  a \t b\n c ") == "a b c"
    assert clean_block("one\nwrapped line\n\nsecond  para") == "one wrapped line\n\nsecond para"


def test_find_urls() -> None:
    text = "Code at https://github.com/x/y. Demo (https://demo.example.org/a?b=1), again https://github.com/x/y"
    assert find_urls(text) == ["https://github.com/x/y", "https://demo.example.org/a?b=1"]


def test_latex_accents_become_letters_and_maths_stays() -> None:
    from tui.parsers.common import latex_accents

    assert latex_accents(r"V\'ictor Yeste, Pablo Barcel\'o, G\"{o}del, Fran\c{c}ois") == "Víctor Yeste, Pablo Barceló, Gödel, François"
    assert latex_accents(r"Schr\"odinger {\"U}ber Stra{\ss}e Dvo\v{r}\'ak Erd\H{o}s Rodr\'{\i}guez") == "Schrödinger Über Straße Dvořák Erdős Rodríguez"
    assert latex_accents(r"$\mathrm{morphofit}$ \textit{x} \vec{v} \omega \left(") == r"$\mathrm{morphofit}$ \textit{x} \vec{v} \omega \left("
